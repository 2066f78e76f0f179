#!/usr/bin/env bash
# device.sh - "tobmen demo" and "tobmen device" against a real server
# (SQLite): the demo fills a new store and refuses a used one; a licence
# issued by the operator and connected by the distributor is activated by
# the command-line device, which generates documents, uploads them (again:
# duplicates), uploads while the server is still starting (the retries
# get through), and downloads and acknowledges the supplier's packages.
# Every subcommand answers --help.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

require_binary
tmpdir_new work
cd "$work" || exit 1
export TOBMEN_DATA_DIR=$work/data
export TOBMEN_MAIL_DIR=$work/data/mail

DB=sqlite:$work/tobmen.db
OUT=$work/out
ERR=$work/err
RC=0
PASSWORD=demo-tobmen-2024

# run ARGS...: runs tobmen; stdout in OUT, stderr in ERR, status in RC.
run()
{
	RC=0
	"$TOBMEN" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
	if ! sanitizer_check "$ERR"; then
		t_fail "$*: no sanitizer report"
	fi
}

# expect NAME STATUS [TEXT]: the last run exited STATUS and printed TEXT.
expect()
{
	local name=$1 want=$2 text=${3:-}

	if [ "$RC" != "$want" ]; then
		t_fail "$name" "exit status $RC, want $want" \
		    "$(tail -n 5 "$ERR")"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$OUT" "$ERR"; then
		t_fail "$name" "output lacks \"$text\":" \
		    "$(tail -n 5 "$OUT" "$ERR")"
	else
		t_ok "$name"
	fi
}

# py EXPR FILE: evaluates a Python expression on the JSON in FILE (as j).
py()
{
	python3 -c "import json,sys; j=json.load(open('$2')); print($1)"
}

for verb in "" activate upload generate download; do
	run device $verb --help
	expect "device $verb --help" 0 "tobmen device activate"
done
run demo --help
expect "demo --help" 0 "usage: tobmen demo"
run device frobnicate
expect "device refuses an unknown verb" 2 "unknown argument"
run device generate --count 0
expect "device generate refuses --count 0" 2 "--count"

# The demo fills a new store, once.
run migrate --db "$DB"
expect "migrate" 0
run demo --db "$DB" --quiet --distributors 2 --licences 4 --days 3
expect "demo fills a new store" 0 "supplier1@demo.example"
code=$(grep -o 'dist01@demo.example .*code [0-9]*' "$OUT" | grep -o '[0-9]*$')
run demo --db "$DB" --quiet
expect "demo refuses a store that holds companies" 1 "already holds"

if ! server_start "$DB"; then
	t_fail "server starts"
	t_summary
	exit 1
fi

# A new licence of dist01, connected to supplier 1 by the distributor.
run admin company list --db "$DB" --json
dist=$(py "[c['id'] for c in j if c['name'].endswith('-1»')][0]" "$OUT")
sup=$(py "[c['id'] for c in j if c['is_supplier']][0]" "$OUT")
run admin licence issue --company "$dist" --count 1 --db "$DB" --json
number=$(py "j[0]['number']" "$OUT")
actcode=$(py "j[0]['activation_code']" "$OUT")
curl -s -c "$work/jar" -H 'Content-Type: application/json' -o "$work/login" \
    -d "{\"email\":\"dist01@demo.example\",\"password\":\"$PASSWORD\"}" \
    "$SERVER_URL/api/v1/auth/login"
csrf=$(py "j['csrf_token']" "$work/login")
status=$(curl -s -b "$work/jar" -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "{\"supplier\":\"$sup\",\"licences\":[\"$number\"]}" \
    "$SERVER_URL/api/v1/licences/connect")
t_check "the distributor connects the new licence" test "$status" = 200

run device activate --server "$SERVER_URL" --licence "$number" \
    --code "$actcode" --user "Агент Тестов" --state "$work/dev.json"
expect "device activate" 0 "activated licence $number"
t_check "the state file is private" \
    test "$(stat -c %a "$work/dev.json")" = 600

run device generate --count 30 --days 2 --seed 7 --agent "Агент Тестов"
expect "device generate" 0
cp "$OUT" "$work/docs.json"
t_check "generate writes 30 documents" \
    test "$(py 'len(j)' "$work/docs.json")" = 30
run device generate --count 30 --days 2 --seed 7 --agent "Агент Тестов"
# The dates follow the clock; everything else follows the seed.
t_check "the same seed gives the same documents" test \
    "$(py "[(d['uuid'], d['total']) for d in j]" "$OUT")" = \
    "$(py "[(d['uuid'], d['total']) for d in j]" "$work/docs.json")"

run device upload --state "$work/dev.json" --supplier-code "$code" \
    --batch 7 "$work/docs.json"
expect "device upload stores every document" 0 "stored 30, duplicates 0"
run device upload --state "$work/dev.json" --supplier "$sup" \
    "$work/docs.json"
expect "device upload again: duplicates" 0 "stored 0, duplicates 30"

# A document that does not add up is refused, and the exit says so.
py "json.dumps([dict(j[0], uuid='00000000-0000-4000-8000-0000000000aa', \
    total=j[0]['total'] + 1)])" "$work/docs.json" >"$work/bad.json"
run device upload --state "$work/dev.json" --supplier "$sup" \
    "$work/bad.json"
expect "device upload reports a refusal" 1 "total_mismatch"

# Uploads while the server is down go through once it is back.
server_stop
run device generate --count 10 --seed 8
cp "$OUT" "$work/late.json"
"$TOBMEN" device upload --state "$work/dev.json" --supplier "$sup" \
    --retries 40 "$work/late.json" >"$work/late.out" 2>"$work/late.err" &
late=$!
sleep 1
port=${SERVER_URL##*:}
(cd "$work" && exec "$TOBMEN" serve --db "$DB" --listen "127.0.0.1:$port" \
    --data-dir "$work/data" --mail-dir "$work/data/mail") \
    >"$work/server2.out" 2>"$work/server2.log" &
SERVER_PID=$!
SERVER_LOG=$work/server2.log
cleanup_push "server_kill $SERVER_PID"
server_wait_ready
rc=0
wait "$late" || rc=$?
t_check "an upload retried until the server came back" test "$rc" = 0
t_check "... and stored everything" grep -qF "stored 10," "$work/late.out"
t_check "... after saying it would try again" \
    grep -qF "trying again" "$work/late.err"

mkdir -p "$work/pkg"
run device download --state "$work/dev.json" --out "$work/pkg"
expect "device download gets the demo's packages" 0 "2 packages"
t_check "the catalogue's payload is written" \
    test -n "$(ls "$work"/pkg/package-*.json 2>/dev/null | head -n 1)"
run device download --state "$work/dev.json"
expect "acknowledged packages are not offered again" 0 "0 packages"

server_stop_checked "device"
t_summary
