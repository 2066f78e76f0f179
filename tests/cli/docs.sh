#!/usr/bin/env bash
# docs.sh - the documents the code promises stay true: every log event the
# code emits is listed in docs/LOGGING.md, and every XXX: mark in the
# source has an entry in docs/KNOWN_ISSUES.md naming its file.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

cd "$TOP" || exit 1

# Event names are the string right after the level in log_event().
events=$(grep -rhoE 'log_event\(LOG_[A-Z]+, *"[a-z0-9_.]+"' src |
    sed -E 's/.*"([a-z0-9_.]+)"/\1/' | sort -u)
if [ -z "$events" ]; then
	t_fail "log events found in src/" "the pattern matched nothing"
fi
for e in $events; do
	if grep -qF "\`$e\`" docs/LOGGING.md; then
		t_ok "LOGGING.md lists $e"
	else
		t_fail "LOGGING.md lists $e" "add a row for $e to docs/LOGGING.md"
	fi
done

marks=$(grep -rlE '\bXXX:' src web --include='*.c' --include='*.h' \
    --include='*.js' 2>/dev/null | sort -u)
for f in $marks; do
	if grep -qF "$f" docs/KNOWN_ISSUES.md 2>/dev/null; then
		t_ok "KNOWN_ISSUES.md covers the XXX: mark in $f"
	else
		t_fail "KNOWN_ISSUES.md covers the XXX: mark in $f"
	fi
done

t_summary
