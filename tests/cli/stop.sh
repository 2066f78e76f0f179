#!/usr/bin/env bash
# stop.sh - graceful stop: SIGTERM while several requests are still
# uploading their bodies.  Those requests must still get their full
# answer, a new connection must not be served, and the server must exit 0
# with no sanitizer report.
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

require_binary
tmpdir_new work
cd "$work" || exit 1

INFLIGHT=4
BODY_KB=256		# under the 1 MiB default body cap
RATE=64k		# so each upload takes about 4 s

db=sqlite:$work/stop.db
if ! "$TOBMEN" migrate --db "$db" >"$work/migrate.log" 2>&1; then
	t_fail "migrate" "$(tail -n 5 "$work/migrate.log")"
	t_summary
	exit 1
fi
if ! server_start "$db"; then
	t_fail "server starts"
	t_summary
	exit 1
fi

# A body the route reads to the end before answering; /healthz takes no
# JSON, so any bytes do.
head -c $((BODY_KB * 1024)) /dev/zero | tr '\0' 'x' >"$work/body"

pids=()
for ((i = 0; i < INFLIGHT; i++)); do
	curl -s -o "$work/resp.$i" -w '%{http_code}' --max-time 60 \
	    --limit-rate "$RATE" -X GET -H 'Expect:' \
	    --data-binary "@$work/body" "$SERVER_URL/healthz" \
	    >"$work/code.$i" 2>"$work/curl.$i" &
	pids+=($!)
done

# Wait until every upload is under way, then ask the server to stop.
sleep 1
running=0
for p in "${pids[@]}"; do
	kill -0 "$p" 2>/dev/null && running=$((running + 1))
done
if [ "$running" -eq "$INFLIGHT" ]; then
	t_ok "$INFLIGHT uploads are in flight when SIGTERM comes"
else
	t_fail "$INFLIGHT uploads are in flight when SIGTERM comes" \
	    "only $running still running after 1 s"
fi
kill -TERM "$SERVER_PID"
sleep 0.5

if kill -0 "$SERVER_PID" 2>/dev/null; then
	t_ok "the server waits for the requests in flight"
else
	t_fail "the server waits for the requests in flight" \
	    "it was gone 0.5 s after SIGTERM"
fi

# A new connection during the drain is refused at once, not left waiting
# in the listen queue until the server exits.
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "$SERVER_URL/healthz" 2>/dev/null)
curl_rc=$?
if [ "$curl_rc" -eq 7 ]; then
	t_ok "a new connection is refused while stopping"
else
	t_fail "a new connection is refused while stopping" \
	    "curl exit $curl_rc (7 = refused, 28 = timed out), status $code"
fi

ok=0
for ((i = 0; i < INFLIGHT; i++)); do
	wait "${pids[i]}"
	c=$(cat "$work/code.$i")
	if [ "$c" = 200 ]; then
		ok=$((ok + 1))
	else
		echo "  request $i: status '$c' $(cat "$work/curl.$i")" \
		    "$(head -c 200 "$work/resp.$i" 2>/dev/null)"
	fi
done
if [ "$ok" -eq "$INFLIGHT" ]; then
	t_ok "every request in flight got its 200"
else
	t_fail "every request in flight got its 200" \
	    "$ok of $INFLIGHT did"
fi

server_stop_checked "stop"
if grep -q 'server.stop' "$SERVER_LOG"; then
	t_ok "the log records the stop"
else
	t_fail "the log records the stop" "$(tail -n 5 "$SERVER_LOG")"
fi

# Each request that finished has its access line: status, duration in
# milliseconds with three decimals, and the bytes sent (the wait for
# the server to come up made one more).
line='event=http\.request .*method=GET route=/healthz path=/healthz '
line+='status=200 dur_ms=[0-9]+\.[0-9]{3} bytes=[1-9][0-9]* ip=127\.0\.0\.1 '
line+='end=ok$'
n=$(grep -Ec "$line" "$SERVER_LOG")
if [ "$n" -ge "$INFLIGHT" ]; then
	t_ok "every finished request has its access line"
else
	t_fail "every finished request has its access line" \
	    "$n of $INFLIGHT; $(grep -m1 'http.request' "$SERVER_LOG")"
fi
t_summary
