# server.sh - the real tobmen server under load; source after common.sh.
#
# srv_start NAME DB [FLAGS...] runs "tobmen serve --migrate" on DB on a
# free loopback port in its own folder (log, mail), with the settings a
# small production server would have, and waits for /healthz.  The only
# setting changed from the defaults is the per-address connection limit,
# off, because every bench connection comes from 127.0.0.1.  It sets
# SRV_PID[NAME], SRV_URL[NAME], SRV_PORT[NAME], SRV_DIR[NAME].

declare -A SRV_PID SRV_URL SRV_PORT SRV_DIR

srv_start()
{
	local name=$1 db=$2 dir port

	shift 2
	dir=$(mktemp -d "$BENCH_WORK/srv-$name.XXXXXX")
	port=$(free_port)
	SRV_DIR[$name]=$dir
	SRV_PORT[$name]=$port
	SRV_URL[$name]=http://127.0.0.1:$port
	(cd "$dir" && exec "$TOBMEN" serve --migrate --db "$db" \
	    --listen "127.0.0.1:$port" --data-dir "$dir/data" \
	    --mail-dir "$dir/mail" --per-ip-connections 0 "$@") \
	    >"$dir/server.out" 2>>"$dir/server.log" &
	SRV_PID[$name]=$!
	cleanup_push "proc_stop ${SRV_PID[$name]}"
	if ! wait_http "${SRV_URL[$name]}/healthz" "${SRV_PID[$name]}"; then
		tail -n 20 "$dir/server.log" >&2
		return 1
	fi
}

# srv_stop NAME: SIGTERM and wait (the server lets requests finish).
srv_stop()
{
	proc_stop "${SRV_PID[$1]}"
}

# srv_has NAME METHOD PATH: true if the server routes METHOD PATH (any
# answer but the router's own 404 "not_found").
srv_has()
{
	local out

	out=$(curl -s -X "$2" -H 'Content-Type: application/json' -d '{}' \
	    -w '\n%{http_code}' "${SRV_URL[$1]}$3" 2>/dev/null)
	case $out in
	*'"code":"not_found"'*404) return 1 ;;
	esac
	return 0
}
