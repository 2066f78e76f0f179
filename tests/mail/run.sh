#!/usr/bin/env bash
# run.sh - the mail suite: the outbox and its worker against a real SMTP
# server, on SQLite and on PostgreSQL.
#
# Runs $TOBMEN_BUILD/tests/mail/mail_test once per store; the program
# starts and stops tests/mail/smtpd.py (Debian python3-aiosmtpd) itself.
# PostgreSQL is $TOBMEN_TEST_PG_URL when set, otherwise a throwaway server
# started here (tests/lib/pg.sh).  Each check of the program becomes one
# check here, named after its store; a sanitizer report in the program's
# log or a crash is one more failure.  Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

MAIL_TEST=$BUILD_DIR/tests/mail/mail_test
SMTPD=$TOP/tests/mail/smtpd.py

# Prints a Python that can import aiosmtpd, or nothing.
find_python()
{
	local py

	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import aiosmtpd' >/dev/null 2>&1; then
			command -v "$py"
			return 0
		fi
	done
	return 1
}

# run_store NAME DB: one run of mail_test, its checks counted here.
run_store()
{
	local name=$1 db=$2 work rc line summary=no

	tmpdir_new work
	"$MAIL_TEST" --db "$db" --python "$PYTHON" --smtpd "$SMTPD" \
	    --dir "$work" >"$work/out" 2>"$work/log"
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) t_ok "$name: ${line#ok - }" ;;
		"FAIL - "*) t_fail "$name: ${line#FAIL - }" ;;
		*" passed, "*" failed") summary=yes ;;
		esac
	done <"$work/out"
	if [ "$summary" = no ] || { [ "$rc" -ne 0 ] &&
	    ! grep -q '^FAIL - ' "$work/out"; }; then
		t_fail "$name: mail_test ran to the end" "exit status $rc" \
		    "$(tail -n 20 "$work/log")"
	elif ! sanitizer_check "$work/log"; then
		t_fail "$name: no sanitizer report"
	elif [ "$rc" -ne 0 ]; then
		echo "  last lines of the $name log:"
		tail -n 15 "$work/log" | sed 's/^/  /'
	fi
}

if [ ! -x "$MAIL_TEST" ]; then
	t_fail "mail_test present" "missing $MAIL_TEST: run make test"
	t_summary
	exit 1
fi
if ! PYTHON=$(find_python); then
	t_fail "python3 with aiosmtpd" \
	    "install python3-aiosmtpd (scripts/deps.sh --test)"
	t_summary
	exit 1
fi

tmpdir_new sqlite_dir
run_store sqlite "sqlite:$sqlite_dir/mail.db"

if [ -n "${TOBMEN_TEST_PG_URL:-}" ]; then
	run_store postgres "$TOBMEN_TEST_PG_URL"
else
	. "$(dirname "$0")/../lib/pg.sh"
	if pg_start; then
		run_store postgres "$TOBMEN_PG_URL"
	else
		t_fail "postgres: test server starts"
	fi
fi

t_summary
