#!/usr/bin/env bash
# run.sh STORE - runs api_tests against a real server on one store.
#
# STORE is "sqlite" (a file in a temporary folder) or "postgres" (a
# PostgreSQL server started here, see tests/lib/pg.sh).  Builds nothing:
# uses $TOBMEN_BUILD/tobmen and $TOBMEN_BUILD/tests/api/api_tests.  Migrates
# the store, starts the server on a free port with --test-clock, runs the
# tests, stops the server with SIGTERM and checks that it exits 0 with no
# sanitizer report in its log.  Extra arguments go to api_tests (a filter).
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

store=${1:-}
shift || true
API_TESTS=$BUILD_DIR/tests/api/api_tests

require_binary
if [ ! -x "$API_TESTS" ]; then
	t_fail "api_tests present" "missing $API_TESTS: run make test"
	t_summary
	exit 1
fi

tmpdir_new work
case "$store" in
sqlite)
	db=sqlite:$work/tobmen.db
	;;
postgres)
	. "$(dirname "$0")/../lib/pg.sh"
	if ! pg_start; then
		t_fail "postgres: test server starts"
		t_summary
		exit 1
	fi
	db=$TOBMEN_PG_URL
	;;
*)
	echo "usage: tests/api/run.sh sqlite|postgres [FILTER]" >&2
	exit 2
	;;
esac

if ! "$TOBMEN" migrate --db "$db" >"$work/migrate.log" 2>&1; then
	t_fail "$store: migrate" "$(tail -n 20 "$work/migrate.log")"
	t_summary
	exit 1
fi
if ! sanitizer_check "$work/migrate.log"; then
	t_fail "$store: migrate has no sanitizer report"
fi

if ! server_start "$db"; then
	t_fail "$store: server starts and answers /healthz"
	t_summary
	exit 1
fi

# The server writes mail as .eml files into its mail_dir; tests that
# need a mailed token read it there, and tests that need an operator
# action run the binary against the same store.
mail_dir=$(dirname "$SERVER_LOG")/data/mail
mkdir -p "$mail_dir"
TOBMEN_TEST_URL=$SERVER_URL TOBMEN_TEST_STORE=$store \
    TOBMEN_TEST_MAIL_DIR=$mail_dir TOBMEN_TEST_DB=$db TOBMEN_TEST_BIN=$TOBMEN \
    "$API_TESTS" "$@" >"$work/api.out" 2>&1
api_rc=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$work/api.out" || true
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/api.out" | tail -n 1)
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]
then
	T_PASSED=$((T_PASSED + BASH_REMATCH[1]))
	T_FAILED=$((T_FAILED + BASH_REMATCH[2]))
	T_SKIPPED=$((T_SKIPPED + ${BASH_REMATCH[4]:-0}))
fi
if ! sanitizer_check "$work/api.out"; then
	t_fail "$store: api_tests has no sanitizer report"
elif [ -z "$last" ] || { [ "$api_rc" -ne 0 ] && [ "$T_FAILED" -eq 0 ]; }; then
	t_fail "$store: api_tests ran to the end" "exit status $api_rc" \
	    "$(tail -n 20 "$work/api.out")"
fi

server_stop_checked "$store"
t_summary
