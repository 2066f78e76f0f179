#!/usr/bin/env bash
# run.sh - runs every test suite and ends with one line "N passed, N failed"
# (", N skipped" when some were skipped) summing them all.
#
# Usage: tests/run.sh [SUITE...]   e.g. tests/run.sh unit api-sqlite cli/config
# The binaries come from $TOBMEN_BUILD (default build-test, made by
# "make test").  A suite is a command whose last "N passed, N failed" line
# is its count; it fails as a whole (one more failure) when it prints no
# such line or exits non-zero with no failure counted.  Suites, in order:
#   unit             tests/lib/unit.sh: every cmocka case of meson's unit suite
#   api-sqlite       tests/api/run.sh sqlite
#   api-postgres     tests/api/run.sh postgres (a PostgreSQL it starts itself)
#   cli/NAME         each tests/cli/NAME.sh
#   NAME             each other tests/NAME/run.sh, in name order; one whose
#                    header has the line "# run.sh STORE" runs twice, as
#                    NAME-sqlite and NAME-postgres.  A tests/NAME with a
#                    package.json and *.test.js or *.test.mjs files but no
#                    run.sh runs under "node --test" (tests/lib/node.sh).
# Adding a suite is adding such a script: nothing here changes.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
export TOBMEN_BUILD=${TOBMEN_BUILD:-build-test}
case "$TOBMEN_BUILD" in
/*) ;;
*) TOBMEN_BUILD=$TOP/$TOBMEN_BUILD ;;
esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

SUITE_TIMEOUT=${TOBMEN_SUITE_TIMEOUT:-1800}
SUMMARY_RE='^([A-Za-z][A-Za-z-]*: )?([0-9]+) passed, ([0-9]+) failed'
SUMMARY_RE+='(, ([0-9]+) skipped)?$'

names=()
cmds=()

# add NAME COMMAND: appends a suite.
add()
{
	names+=("$1")
	cmds+=("$2")
}

# add_dir NAME: adds tests/NAME's suite.  A run.sh whose header has the
# line "# run.sh STORE" runs once per store, as NAME-sqlite and
# NAME-postgres.
add_dir()
{
	local name=$1 d=tests/$1

	if [ -f "$d/run.sh" ]; then
		if grep -q '^# run.sh STORE' "$d/run.sh"; then
			add "$name-sqlite" "bash $d/run.sh sqlite"
			add "$name-postgres" "bash $d/run.sh postgres"
		else
			add "$name" "bash $d/run.sh"
		fi
	elif [ -f "$d/package.json" ] &&
	    compgen -G "$d/*.test.*js" >/dev/null; then
		add "$name" "bash tests/lib/node.sh $d"
	fi
}

# Finds the suites; see the usage above for the order.
discover()
{
	local f d name

	add unit "tests/lib/unit.sh"
	add_dir api
	for f in tests/cli/*.sh; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .sh)
		add "cli/$name" "bash $f"
	done
	for d in tests/*/; do
		name=$(basename "$d")
		case "$name" in
		unit|api|cli|lib) continue ;;
		esac
		add_dir "$name"
	done
}

# True when suite name was asked for (or nothing was asked for).
wanted()
{
	local w

	[ "$#" -gt 1 ] || return 0
	for w in "${@:2}"; do
		[ "$w" = "$1" ] && return 0
	done
	return 1
}

total_passed=0
total_failed=0
total_skipped=0
logdir=$(mktemp -d "${TMPDIR:-/tmp}/tobmen-run.XXXXXX")
trap 'rm -rf "$logdir"' EXIT

# run_suite NAME COMMAND: runs it, shows its output, adds up its count.
run_suite()
{
	local name=$1 cmd=$2 log rc line p=0 f=0 s=0

	log=$logdir/${name//\//_}.log
	echo "== $name: $cmd"
	timeout -k 30 "$SUITE_TIMEOUT" bash -c "$cmd" 2>&1 </dev/null |
	    tee "$log"
	rc=${PIPESTATUS[0]}

	line=$(grep -E "$SUMMARY_RE" "$log" | tail -n 1)
	if [[ "$line" =~ $SUMMARY_RE ]]; then
		p=${BASH_REMATCH[2]}
		f=${BASH_REMATCH[3]}
		s=${BASH_REMATCH[5]:-0}
	else
		echo "FAIL - $name: printed no \"N passed, N failed\" line"
		f=1
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL - $name: exited with status $rc"
		f=1
	fi
	echo "-- $name: $p passed, $f failed, $s skipped"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
}

discover
for i in "${!names[@]}"; do
	if wanted "${names[i]}" "$@"; then
		run_suite "${names[i]}" "${cmds[i]}"
	fi
done

if [ "$total_skipped" -gt 0 ]; then
	echo "$total_passed passed, $total_failed failed," \
	    "$total_skipped skipped"
else
	echo "$total_passed passed, $total_failed failed"
fi
[ "$total_failed" -eq 0 ]
