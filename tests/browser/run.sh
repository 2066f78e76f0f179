#!/usr/bin/env bash
# run.sh STORE - runs the browser tests against a real server on one store.
#
# STORE is "sqlite" (a file in a temporary folder) or "postgres" (a
# PostgreSQL server started here, see tests/lib/pg.sh).  Builds nothing:
# uses $TOBMEN_BUILD/tobmen.  Installs playwright-core from the lock file
# when it is missing, migrates the store, starts the server on a free port
# with mail written as .eml files, runs `node --test` on every
# tests/browser/*.test.mjs (headless Debian chromium), stops the server and
# checks it exits 0 with no sanitizer report.  Screenshots land in
# tests/browser/screenshots/.  Extra arguments go to node --test (e.g.
# --test-name-pattern=login).  The last line is "N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/common.sh"

store=${1:-}
shift || true
OPERATOR_EMAIL=operator@example.test

require_binary
case "$store" in
sqlite|postgres) ;;
*)
	echo "usage: tests/browser/run.sh sqlite|postgres [NODE_TEST_ARGS]" >&2
	exit 2
	;;
esac

if [ ! -x "${TOBMEN_CHROMIUM:-/usr/bin/chromium}" ]; then
	t_fail "chromium present" "no ${TOBMEN_CHROMIUM:-/usr/bin/chromium}" \
	    "(scripts/deps.sh --test installs it)"
	t_summary
	exit 1
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
	if ! (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) \
	    >&2; then
		t_fail "playwright-core installs" "npm ci failed in $HERE"
		t_summary
		exit 1
	fi
fi

tmpdir_new work
if [ "$store" = postgres ]; then
	. "$HERE/../lib/pg.sh"
	if ! pg_start; then
		t_fail "postgres: test server starts"
		t_summary
		exit 1
	fi
	db=$TOBMEN_PG_URL
else
	db=sqlite:$work/tobmen.db
fi

if ! "$TOBMEN" migrate --db "$db" >"$work/migrate.log" 2>&1; then
	t_fail "$store: migrate" "$(tail -n 20 "$work/migrate.log")"
	t_summary
	exit 1
fi

if ! server_start "$db" --operator-email "$OPERATOR_EMAIL"; then
	t_fail "$store: server starts and answers /healthz"
	t_summary
	exit 1
fi
mail_dir=$(dirname "$SERVER_LOG")/data/mail
mkdir -p "$mail_dir"

# Node's TAP output (the default when not on a terminal) ends with
# "# pass N" / "# fail N" / "# cancelled N" lines; a cancelled test
# (a hook that failed, a timeout) counts as failed.
(cd "$HERE" && TOBMEN_TEST_URL=$SERVER_URL TOBMEN_TEST_MAIL_DIR=$mail_dir \
    TOBMEN_TEST_OPERATOR_EMAIL=$OPERATOR_EMAIL \
    node --test --test-reporter=tap --test-concurrency=1 "$@" \
    ./*.test.mjs) >"$work/node.out" 2>&1
node_rc=$?
grep -v -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' \
    "$work/node.out" || true

count()
{
	grep -E "^# $1 [0-9]+" "$work/node.out" | tail -n 1 | awk '{print $3}'
}

pass=$(count pass)
fail=$(count fail)
cancelled=$(count cancelled)
skipped=$(count skipped)
if [ -z "$pass" ]; then
	t_fail "$store: node --test ran to the end" "exit status $node_rc" \
	    "$(tail -n 20 "$work/node.out")"
else
	T_PASSED=$((T_PASSED + pass))
	T_FAILED=$((T_FAILED + ${fail:-0} + ${cancelled:-0}))
	T_SKIPPED=$((T_SKIPPED + ${skipped:-0}))
	if [ "$node_rc" -ne 0 ] && [ "$T_FAILED" -eq 0 ]; then
		t_fail "$store: node --test exits 0" "exit status $node_rc"
	fi
fi

server_stop_checked "$store"
t_summary
