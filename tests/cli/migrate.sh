#!/usr/bin/env bash
# migrate.sh - "tobmen migrate" on both stores: a fresh store gets every
# migration once, a second run changes nothing, two at once apply each
# migration once, a store that was never migrated or is newer than the
# binary is refused by "serve" with a message saying what to do.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/pg.sh"

require_binary
tmpdir_new work
cd "$work" || exit 1
export TOBMEN_DATA_DIR=$work/data
export TOBMEN_MAIL_DIR=$work/data/mail

# sql STORE NAME QUERY: prints the rows of QUERY on store NAME.
sql()
{
	case "$1" in
	sqlite) sqlite3 -batch "$work/$2.db" "$3" ;;
	postgres) pg_psql "$2" "$3" ;;
	esac
}

# db_url STORE NAME: the --db value of a new, empty store NAME.
db_url()
{
	case "$1" in
	sqlite) echo "sqlite:$work/$2.db" ;;
	postgres)
		pg_createdb "$2" || return 1
		pg_url "$2"
		;;
	esac
}

# migrate LOG URL: runs tobmen migrate; its output in LOG; sets RC.
migrate()
{
	RC=0
	"$TOBMEN" migrate --db "$2" >"$1" 2>&1 </dev/null || RC=$?
}

# serve_refuses NAME URL WORD: one check that serve exits non-zero at once
# on store URL and says WORD.
serve_refuses()
{
	local name=$1 url=$2 word=$3 log=$work/serve.log rc=0

	timeout 30 "$TOBMEN" serve --db "$url" \
	    --listen "127.0.0.1:$(free_port)" >"$log" 2>&1 </dev/null || rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
		t_fail "$name" "serve exit status $rc, want a refusal"
	elif ! grep -qi -- "$word" "$log"; then
		t_fail "$name" "serve does not say \"$word\":" \
		    "$(tail -n 5 "$log")"
	elif ! sanitizer_check "$log"; then
		t_fail "$name" "sanitizer report"
	else
		t_ok "$name"
	fi
}

check_fresh_and_twice()
{
	local s=$1 url v n1 n2 t1 t2

	url=$(db_url "$s" fresh) || { t_fail "$s: create a database"; return; }
	serve_refuses "$s: serve refuses a store never migrated" "$url" \
	    "migrate"

	url=$(db_url "$s" main) || { t_fail "$s: create a database"; return; }
	migrate "$work/m1.log" "$url"
	if [ "$RC" != 0 ] || ! sanitizer_check "$work/m1.log"; then
		t_fail "$s: migrate a fresh store" \
		    "$(tail -n 10 "$work/m1.log")"
		return
	fi
	t_ok "$s: migrate a fresh store"

	v=$(sql "$s" main "SELECT max(version) FROM schema_migrations")
	n1=$(sql "$s" main "SELECT count(*) FROM schema_migrations")
	t1=$(sql "$s" main "SELECT sum(applied_at) FROM schema_migrations")
	if [ "${v:-0}" -ge 1 ] && [ "${n1:-0}" -ge 1 ]; then
		t_ok "$s: schema version $v recorded ($n1 migrations)"
	else
		t_fail "$s: schema version recorded" "version '$v' rows '$n1'"
	fi
	if sql "$s" main "SELECT count(*) FROM companies" >/dev/null 2>&1
	then
		t_ok "$s: the companies table exists"
	else
		t_fail "$s: the companies table exists"
	fi

	migrate "$work/m2.log" "$url"
	n2=$(sql "$s" main "SELECT count(*) FROM schema_migrations")
	t2=$(sql "$s" main "SELECT sum(applied_at) FROM schema_migrations")
	if [ "$RC" = 0 ] && [ "$n1" = "$n2" ] && [ "$t1" = "$t2" ]; then
		t_ok "$s: a second migrate changes nothing"
	else
		t_fail "$s: a second migrate changes nothing" \
		    "exit $RC, rows $n1 -> $n2, applied_at $t1 -> $t2" \
		    "$(tail -n 10 "$work/m2.log")"
	fi
}

check_concurrent()
{
	local s=$1 url rc1=0 rc2=0 dup

	url=$(db_url "$s" race) || { t_fail "$s: create a database"; return; }
	"$TOBMEN" migrate --db "$url" >"$work/r1.log" 2>&1 </dev/null &
	local p1=$!
	"$TOBMEN" migrate --db "$url" >"$work/r2.log" 2>&1 </dev/null &
	local p2=$!
	wait "$p1" || rc1=$?
	wait "$p2" || rc2=$?
	dup=$(sql "$s" race "SELECT count(*) - count(DISTINCT version)
	    FROM schema_migrations")
	if [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$dup" = 0 ]; then
		t_ok "$s: two migrates at once both succeed, each step once"
	else
		t_fail "$s: two migrates at once" \
		    "exit $rc1 and $rc2, duplicate rows '$dup'" \
		    "$(tail -n 5 "$work/r1.log" "$work/r2.log")"
	fi
}

check_too_new()
{
	local s=$1 url v

	url=$(db_url "$s" newer) || { t_fail "$s: create a database"; return; }
	migrate "$work/n1.log" "$url"
	v=$(sql "$s" newer "SELECT max(version) + 1000 FROM schema_migrations")
	sql "$s" newer "INSERT INTO schema_migrations (version, name,
	    applied_at) VALUES ($v, 'from_the_future', 0)" >/dev/null

	migrate "$work/n2.log" "$url"
	if [ "$RC" != 0 ] && grep -q "schema version $v" "$work/n2.log"; then
		t_ok "$s: migrate refuses a store newer than the binary"
	else
		t_fail "$s: migrate refuses a store newer than the binary" \
		    "exit $RC" "$(tail -n 5 "$work/n2.log")"
	fi
	serve_refuses "$s: serve refuses a store newer than the binary" \
	    "$url" "schema version $v"
}

for store in sqlite postgres; do
	if [ "$store" = postgres ] && ! pg_start; then
		t_fail "postgres: test server starts"
		continue
	fi
	check_fresh_and_twice "$store"
	check_concurrent "$store"
	check_too_new "$store"
done
t_summary
