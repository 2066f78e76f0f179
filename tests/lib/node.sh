#!/usr/bin/env bash
# node.sh DIR - runs DIR's *.test.js / *.test.mjs files with node's test
# runner and turns its TAP totals into one "N passed, N failed" line.
#
# For suites that need nothing started around them; a suite that needs a
# server writes its own DIR/run.sh instead.  Cancelled tests count as
# failed.
set -uo pipefail

dir=${1:?usage: node.sh DIR}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

(cd "$dir" && node --test --test-reporter=tap) | tee "$out"
rc=${PIPESTATUS[0]}

count()
{
	local n

	n=$(grep -E "^# $1 [0-9]+$" "$out" | tail -n 1 | awk '{print $3}')
	echo "${n:-0}"
}

passed=$(count pass)
failed=$(( $(count fail) + $(count cancelled) ))
skipped=$(( $(count skipped) + $(count todo) ))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
