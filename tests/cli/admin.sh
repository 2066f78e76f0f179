#!/usr/bin/env bash
# admin.sh - "tobmen admin" on both stores: help for every command, adding
# and listing companies and users as tables and as JSON, the checks that
# refuse bad input without changing anything, the welcome mail queued for
# a new user, and the last-owner rule on "user disable".
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/pg.sh"

require_binary
tmpdir_new work
cd "$work" || exit 1
export TOBMEN_DATA_DIR=$work/data
export TOBMEN_MAIL_DIR=$work/data/mail

DB=
OUT=$work/out
ERR=$work/err
RC=0

# sql STORE NAME QUERY: prints the rows of QUERY on store NAME.
sql()
{
	case "$1" in
	sqlite) sqlite3 -batch "$work/$2.db" "$3" ;;
	postgres) pg_psql "$2" "$3" ;;
	esac
}

# admin ARGS...: runs tobmen admin on $DB; stdout in OUT, stderr in ERR,
# exit status in RC.
admin()
{
	RC=0
	"$TOBMEN" admin "$@" --db "$DB" >"$OUT" 2>"$ERR" </dev/null || RC=$?
	if ! sanitizer_check "$ERR"; then
		t_fail "admin $*: no sanitizer report"
	fi
}

# expect NAME STATUS [TEXT]: one check that the last run exited STATUS and,
# if given, that its output (stdout and stderr) contains TEXT.
expect()
{
	local name=$1 want=$2 text=${3:-}

	if [ "$RC" != "$want" ]; then
		t_fail "$name" "exit status $RC, want $want" "$(cat "$ERR")"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$OUT" "$ERR"; then
		t_fail "$name" "output lacks \"$text\":" "$(cat "$OUT" "$ERR")"
	else
		t_ok "$name"
	fi
}

# json EXPR: evaluates a Python expression on the JSON in OUT (as j).
json()
{
	python3 -c "import json,sys; j=json.load(open('$OUT')); print($1)"
}

# expect_json NAME EXPR WANT: one check that EXPR on OUT's JSON is WANT.
expect_json()
{
	local got

	got=$(json "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "$2 is \"$got\", want \"$3\""
	fi
}

check_help()
{
	local what verb

	RC=0
	"$TOBMEN" admin --help >"$OUT" 2>"$ERR" || RC=$?
	expect "admin --help lists the commands" 0 "user disable"
	for what in "company add" "company list" "company show" \
	    "user add" "user list" "user disable"; do
		RC=0
		# shellcheck disable=SC2086
		"$TOBMEN" admin $what --help >"$OUT" 2>"$ERR" || RC=$?
		expect "admin $what --help" 0 "usage: tobmen admin $what"
	done
	RC=0
	"$TOBMEN" admin company frobnicate >"$OUT" 2>"$ERR" || RC=$?
	expect "an unknown admin command is a usage error" 2 "unknown"
}

# check_store STORE: the whole story on one store.
check_store()
{
	local s=$1 sup op uid uid2 n

	case "$s" in
	sqlite) DB=sqlite:$work/admin.db ;;
	postgres)
		pg_createdb admin || { t_fail "$s: createdb"; return; }
		DB=$(pg_url admin)
		;;
	esac
	"$TOBMEN" migrate --db "$DB" >"$work/migrate.log" 2>&1 ||
	    { t_fail "$s: migrate" "$(cat "$work/migrate.log")"; return; }

	admin company add --name 'ООО "Поставщик"' --supplier \
	    --inn 7707083893 --kpp 773601001 --phone '+7 495 000-00-00' --json
	expect "$s: company add --json" 0
	expect_json "$s: the new company is a supplier" \
	    "j['is_supplier'], j['is_distributor'], j['inn']" \
	    "True False 7707083893"
	sup=$(json "j['id']")

	admin company add --name Оператор --operator
	expect "$s: company add --operator prints a line" 0 "(operator)"
	op=$(sql "$s" admin "SELECT max(id) FROM companies")

	admin company add --name Bad --distributor --inn 7707083894
	expect "$s: a bad ИНН is refused" 1 "ИНН"
	admin company add --name Bad --supplier --operator
	expect "$s: --operator with --supplier is a usage error" 2
	admin company add --name Bad
	expect "$s: a company needs a kind" 2
	admin company add --name Bad --distributor --bogus
	expect "$s: an unknown option is a usage error" 2 "--bogus"
	n=$(sql "$s" admin "SELECT count(*) FROM companies WHERE name = 'Bad'")
	if [ "$n" = 0 ]; then
		t_ok "$s: refused companies were not stored"
	else
		t_fail "$s: refused companies were not stored" "$n stored"
	fi

	admin company list
	expect "$s: company list is a table" 0 "ID  NAME"
	expect "$s: company list shows the supplier" 0 'ООО "Поставщик"'
	admin company list --json
	expect_json "$s: company list --json has both companies" "len(j)" 2

	admin user add --company "$sup" --email Boss@Example.com \
	    --name 'Иван Петров' --role owner --json
	expect "$s: user add --json" 0
	expect_json "$s: the new user is an owner, e-mail lowercased" \
	    "j['role'], j['email'], j['disabled']" \
	    "owner boss@example.com False"
	uid=$(json "j['id']")
	n=$(sql "$s" admin \
	    "SELECT count(*) FROM outbox WHERE to_addr = 'boss@example.com'")
	if [ "$n" = 1 ]; then
		t_ok "$s: the new user's set-password mail is queued"
	else
		t_fail "$s: the new user's set-password mail is queued" \
		    "$n mails in the outbox"
	fi

	admin user add --company "$sup" --email boss@example.com
	expect "$s: a taken e-mail is refused" 1 "already exists"
	admin user add --company "$sup" --email op@example.com --role operator
	expect "$s: operators only in the operator's company" 1 "operator"
	admin user add --company "$op" --email op@example.com --role operator
	expect "$s: an operator joins the operator's company" 0 "(operator)"
	admin user add --company 999999 --email x@example.com
	expect "$s: user add to no company fails" 1
	admin user add --email x@example.com
	expect "$s: user add needs --company" 2

	admin user list --company "$sup"
	expect "$s: user list is a table" 0 "boss@example.com"
	expect "$s: a user without a password shows as invited" 0 "invited"
	admin company show "$sup" --json
	expect_json "$s: company show --json has the card and users" \
	    "j['company']['kpp'], len(j['users'])" "773601001 1"
	admin company show "$sup"
	expect "$s: company show prints the card" 0 "773601001"
	admin company show 999999
	expect "$s: company show of no company fails" 1

	admin user disable "$uid"
	expect "$s: the last owner cannot be disabled" 1 "last owner"
	admin user add --company "$sup" --email second@example.com \
	    --role owner --json
	uid2=$(json "j['id']")
	admin user disable "$uid" --json
	expect_json "$s: with a second owner, the first is disabled" \
	    "j['disabled']" "True"
	admin user list --company "$sup" --json
	expect_json "$s: user list --json shows who is disabled" \
	    "sorted((u['email'], u['disabled']) for u in j)" \
	    "[('boss@example.com', True), ('second@example.com', False)]"
	admin user disable "$uid2"
	expect "$s: and now the second is the last owner" 1 "last owner"
}

check_help
for store in sqlite postgres; do
	if [ "$store" = postgres ] && ! pg_start; then
		t_fail "postgres: test server starts"
		continue
	fi
	check_store "$store"
done
t_summary
