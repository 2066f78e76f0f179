# common.sh - shared helpers for the shell test suites; source, don't run.
#
# Gives: the paths of the tree and the test build, cleanup on exit in
# reverse order, a free loopback port, starting and stopping a tobmen
# server with its log checked for sanitizer reports, and the ok/FAIL
# counting that ends every suite with one "N passed, N failed" line.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${TOBMEN_BUILD:-$TOP/build-test}
case "$BUILD_DIR" in
/*) ;;
*) BUILD_DIR=$TOP/$BUILD_DIR ;;
esac
TOBMEN=${TOBMEN_BIN:-$BUILD_DIR/tobmen}

# Sanitizers: a leak or an error ends the process with a report; the
# report is what fails the suite (see sanitizer_check).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

SANITIZER_RE='ERROR: AddressSanitizer|runtime error:|LeakSanitizer'

# --- cleanup stack: each entry runs once, last pushed first, on exit.

_cleanups=()

# Runs every pushed cleanup command, newest first.
cleanup_run()
{
	local i

	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" || true
	done
	_cleanups=()
}

# Adds a shell command to run on exit.
cleanup_push()
{
	_cleanups+=("$1")
}

trap cleanup_run EXIT
trap 'exit 130' INT TERM

# tmpdir_new VAR: makes a temporary folder, removed on exit, and stores
# its path in VAR (not printed: a cleanup pushed from $(...) would be lost).
tmpdir_new()
{
	local d

	d=$(mktemp -d "${TMPDIR:-/tmp}/tobmen-test.XXXXXX")
	chmod 755 "$d"
	cleanup_push "rm -rf '$d'"
	printf -v "$1" '%s' "$d"
}

# Prints a TCP port that nothing listens on at 127.0.0.1 right now.
free_port()
{
	python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# --- counting.

T_PASSED=0
T_FAILED=0
T_SKIPPED=0

# ok NAME: one passing check.
t_ok()
{
	T_PASSED=$((T_PASSED + 1))
	echo "ok - $1"
}

# t_fail NAME WHY...: one failing check, with the reason indented.
t_fail()
{
	local name=$1

	shift
	T_FAILED=$((T_FAILED + 1))
	echo "FAIL - $name"
	if [ $# -gt 0 ]; then
		printf '  %s\n' "$@"
	fi
}

# t_skip NAME WHY: a check that cannot run here.
t_skip()
{
	T_SKIPPED=$((T_SKIPPED + 1))
	echo "skip - $1: $2"
}

# t_check NAME COMMAND...: passes when the command exits 0.
t_check()
{
	local name=$1

	shift
	if "$@"; then
		t_ok "$name"
	else
		t_fail "$name" "command failed: $*"
	fi
}

# Prints the suite's closing line; returns 1 if anything failed.
t_summary()
{
	if [ "$T_SKIPPED" -gt 0 ]; then
		echo "$T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	else
		echo "$T_PASSED passed, $T_FAILED failed"
	fi
	[ "$T_FAILED" -eq 0 ]
}

# Fails the run at once when the binary under test is missing.
require_binary()
{
	if [ ! -x "$TOBMEN" ]; then
		echo "no tobmen binary at $TOBMEN: build first (make test)" >&2
		t_fail "binary present" "missing $TOBMEN"
		t_summary
		exit 1
	fi
}

# --- a server under test.

SERVER_PID=
SERVER_RC=
SERVER_LOG=
SERVER_URL=

# server_start DB [FLAGS...]: starts "tobmen serve" on a free port with
# --test-clock, its stderr in a log file; sets SERVER_PID, SERVER_LOG,
# SERVER_URL and waits until /healthz answers.  Returns 1 if it does not.
server_start()
{
	local db=$1 dir port

	shift
	tmpdir_new dir
	port=$(free_port)
	SERVER_LOG=$dir/server.log
	SERVER_URL=http://127.0.0.1:$port
	(cd "$dir" && exec "$TOBMEN" serve --db "$db" \
	    --listen "127.0.0.1:$port" --test-clock \
	    --data-dir "$dir/data" --mail-dir "$dir/data/mail" \
	    "$@") >"$dir/server.out" 2>"$SERVER_LOG" &
	SERVER_PID=$!
	cleanup_push "server_kill $SERVER_PID"
	server_wait_ready
}

# Waits up to 30 s for /healthz; 1 if the server died or never answered.
server_wait_ready()
{
	local i

	for ((i = 0; i < 300; i++)); do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "server exited during start; its log:" >&2
			tail -n 30 "$SERVER_LOG" >&2
			return 1
		fi
		if curl -fsS -o /dev/null --max-time 2 \
		    "$SERVER_URL/healthz" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "server did not answer /healthz in 30 s; its log:" >&2
	tail -n 30 "$SERVER_LOG" >&2
	return 1
}

# Last resort on exit: a server still running is killed.
server_kill()
{
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
	fi
	return 0
}

# server_stop: SIGTERM, waits up to 30 s; the exit status goes to
# SERVER_RC (the server is this shell's child, so no $(...) here).
server_stop()
{
	local i

	kill -TERM "$SERVER_PID" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "server ignored SIGTERM for 30 s; killing it" >&2
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	SERVER_RC=0
	wait "$SERVER_PID" 2>/dev/null || SERVER_RC=$?
}

# sanitizer_check FILE: 1 and the report's first lines if FILE holds a
# sanitizer report.
sanitizer_check()
{
	if grep -Eq "$SANITIZER_RE" "$1" 2>/dev/null; then
		echo "sanitizer report in $1:" >&2
		grep -E -A 20 "$SANITIZER_RE" "$1" | head -n 60 >&2
		return 1
	fi
	return 0
}

# server_stop_checked NAME: stops the server and records one check: exit
# status 0 after SIGTERM and no sanitizer report in its log.
server_stop_checked()
{
	local name=$1

	server_stop
	if [ "$SERVER_RC" != 0 ]; then
		t_fail "$name: server exits 0 on SIGTERM" \
		    "exit status $SERVER_RC" \
		    "$(tail -n 20 "$SERVER_LOG")"
	elif ! sanitizer_check "$SERVER_LOG"; then
		t_fail "$name: server log has no sanitizer report"
	else
		t_ok "$name: server stopped cleanly"
	fi
}
