#!/usr/bin/env bash
# run.sh - the exchange's concurrency and crash suite on both stores.
#
# For each store (SQLite in a temporary folder, then a PostgreSQL server
# started here, see tests/lib/pg.sh) migrates an empty store and runs
# tests/exchange/suite.py, which starts the server itself (it kills it
# with SIGKILL on purpose), builds a network and tries to break the feed
# cursor, idempotency and durability.  Builds nothing: uses
# $TOBMEN_BUILD/tobmen.  Usage: tests/exchange/run.sh [sqlite|postgres]...
# The last line is "N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/common.sh"

require_binary
stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(sqlite postgres)

# run_store STORE: migrates a fresh store and runs the suite on it.
run_store()
{
	local store=$1 work db out last as_pg

	tmpdir_new work
	case "$store" in
	sqlite)
		db=sqlite:$work/tobmen.db
		unset TOBMEN_TEST_PSQL
		;;
	postgres)
		. "$HERE/../lib/pg.sh"
		if ! pg_start; then
			t_fail "postgres: test server starts"
			return
		fi
		db=$TOBMEN_PG_URL
		# The suite installs a trigger that slows commits down.
		TOBMEN_TEST_PSQL="$PG_BIN/psql -h $PG_DIR -p $PG_PORT"
		TOBMEN_TEST_PSQL+=" -U postgres -d tobmen_test -X -q"
		TOBMEN_TEST_PSQL+=" -v ON_ERROR_STOP=1 -c"
		if [ "$(id -u)" -eq 0 ]; then
			as_pg="runuser -u postgres --"
			TOBMEN_TEST_PSQL="$as_pg $TOBMEN_TEST_PSQL"
		fi
		export TOBMEN_TEST_PSQL
		;;
	*)
		echo "usage: tests/exchange/run.sh [sqlite|postgres]..." >&2
		exit 2
		;;
	esac
	if ! "$TOBMEN" migrate --db "$db" >"$work/migrate.log" 2>&1; then
		t_fail "$store: migrate" "$(tail -n 20 "$work/migrate.log")"
		return
	fi

	out=$work/suite.out
	TOBMEN_TEST_BIN=$TOBMEN TOBMEN_TEST_DB=$db \
	    python3 "$HERE/suite.py" "$store" >"$out" 2>&1
	grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$out"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		T_PASSED=$((T_PASSED + BASH_REMATCH[1]))
		T_FAILED=$((T_FAILED + BASH_REMATCH[2]))
	else
		t_fail "$store: suite.py ran to the end" "$(tail -n 20 "$out")"
	fi
	if [ "$store" = postgres ]; then
		pg_stop
	fi
}

for s in "${stores[@]}"; do
	run_store "$s"
done
t_summary
