#!/usr/bin/env bash
# unit.sh - runs meson's "unit" suite in the test build and counts every
# cmocka case in it, not every program.
#
# The store's cases run on both backends: a PostgreSQL server is started
# here and its URL handed over in TOBMEN_PG_URL.
#
# A program's cases are read from its cmocka summary ("[  PASSED  ] N
# test(s)." and "[  FAILED  ] N test(s)"); a program that crashed, leaked
# or timed out counts one more failure, and one that prints no cmocka
# summary but succeeds counts as one case.
set -uo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pg.sh"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
	echo "no test build in $BUILD_DIR: run make test" >&2
	t_fail "unit: test build present"
	t_summary
	exit 1
fi

pg_failed=0
if ! pg_start; then
	pg_failed=1
fi

export CMOCKA_MESSAGE_OUTPUT=stdout
rm -f "$BUILD_DIR/meson-logs/testlog.json"
meson test -C "$BUILD_DIR" --suite unit --no-rebuild --print-errorlogs
rc=$?

if [ ! -s "$BUILD_DIR/meson-logs/testlog.json" ]; then
	if [ "$rc" -ne 0 ]; then
		t_fail "unit: meson test ran" "meson test exited $rc"
	fi
	if [ "$pg_failed" -ne 0 ]; then
		t_fail "unit: a PostgreSQL server for the store cases starts"
	fi
	t_summary
	exit
fi

python3 - "$BUILD_DIR/meson-logs/testlog.json" "$pg_failed" <<'PY'
import json, re, sys

passed = failed = skipped = 0
if sys.argv[2] != "0":
    print("FAIL - unit: a PostgreSQL server for the store cases starts")
    failed += 1
good = ("OK", "EXPECTEDFAIL")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.strip():
        continue
    t = json.loads(line)
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    p = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", out))
    f = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", out))
    s = sum(int(n) for n in re.findall(r"\[  SKIPPED \] (\d+) test", out))
    result = t.get("result", "")
    if result == "SKIP":
        s = s or 1
    elif result not in good and f == 0:
        f = 1
    elif result in good and p + f + s == 0:
        p = 1
    word = "ok" if f == 0 else "FAIL"
    print(f"{word} - unit {t['name']}: {p} passed, {f} failed"
          f"{', %d skipped' % s if s else ''} ({result})")
    passed += p
    failed += f
    skipped += s
tail = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{tail}")
sys.exit(1 if failed else 0)
PY
