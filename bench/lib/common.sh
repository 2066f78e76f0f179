# common.sh - what every part of bench/run.sh shares; source, don't run.
#
# Gives: messages, a cleanup stack run on exit (newest first) so every
# process the bench starts is stopped, free loopback ports, the resident
# memory of a process, key=value parsing of the tools' result lines,
# and the raw results file that bench/lib/report.py turns into the table.

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$BENCH_LIB")
TOP=$(dirname "$BENCH_DIR")
export BENCH_WRK=$BENCH_DIR/wrk

# say TEXT...: a progress line on stderr, with the seconds since start.
BENCH_T0=$(date +%s)
say()
{
	printf '[%4ds] %s\n' $(($(date +%s) - BENCH_T0)) "$*" >&2
}

die()
{
	say "error: $*"
	exit 1
}

# --- cleanup stack: each entry runs once, last pushed first, on exit.

_cleanups=()

cleanup_push()
{
	_cleanups+=("$1")
}

cleanup_run()
{
	local i

	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" || true
	done
	_cleanups=()
}

trap cleanup_run EXIT
trap 'exit 130' INT TERM

# proc_stop PID: SIGTERM, up to 15 s, then SIGKILL; waits for the child.
proc_stop()
{
	local pid=$1 i

	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "process $pid ignored SIGTERM; killing it"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# Prints a TCP port nothing listens on at 127.0.0.1 right now.
free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# rss_kb PID: the resident set of PID in KiB (0 if it is gone).
rss_kb()
{
	awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' \
	    "/proc/$1/status" 2>/dev/null || echo 0
}

# rss_mib PID: the same in MiB, one decimal.
rss_mib()
{
	awk -v k="$(rss_kb "$1")" 'BEGIN { printf "%.1f", k / 1024 }'
}

# kv LINE KEY: the value of KEY=value in a tool's result line.
kv()
{
	local w

	for w in $1; do
		case $w in
		"$2"=*) echo "${w#*=}"; return 0 ;;
		esac
	done
	return 1
}

# --- raw results: one line per measurement, read by report.py.
#
#   run ID VALUE [NOTE]      one run of figure or ceiling ID
#   na ID REASON             ID could not be measured, and why
#   note ID TEXT             a remark printed under the table
#   meta KEY VALUE           the machine, versions, commands

record()
{
	local IFS=$'\t'

	printf '%s\n' "$*" >>"$BENCH_RAW"
}

# median VALUES...: the median of the numbers given.
median()
{
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
	          else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wait_http URL PID: waits up to 30 s for URL to answer; 1 if PID died
# or it never did.
wait_http()
{
	local i

	for ((i = 0; i < 300; i++)); do
		kill -0 "$2" 2>/dev/null || return 1
		curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
