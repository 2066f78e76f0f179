#!/usr/bin/env bash
# run.sh - `make bench`: the service's throughput, latency and memory as
# ratios of this machine's own ceilings, measured in the same run.
#
#   bench/run.sh [--quick]
#
# Builds release binaries (build-release/, or $BENCH_BUILD), measures the
# ceilings (bench/ceilings/ and Debian's nginx), fills fresh stores (a
# SQLite file and a throwaway PostgreSQL), drives the real tobmen server
# over loopback with wrk (bench/wrk/*.lua) and bench/tools, and prints one
# table: figure, value, ceiling, ratio, target, verdict.  The same goes to
# bench/results/ as Markdown and JSON.  Every number is the median of
# $BENCH_RUNS runs (at least 3) with its range.
#
# --quick (make bench-quick, about 2 minutes) runs each measurement for
# 1 s instead of 3, soaks for 30 s instead of 5 minutes and pages the feed
# of 100,000 documents against 10,000 instead of 1,000,000 against
# 100,000; its table says so.  All load stays on 127.0.0.1 and every
# process started here is stopped on exit.

set -u -o pipefail

. "$(dirname "$0")/lib/common.sh"
. "$BENCH_LIB/pg.sh"
. "$BENCH_LIB/nginx.sh"
. "$BENCH_LIB/server.sh"

MODE=full
case ${1:-} in
--quick) MODE=quick ;;
"") ;;
*) die "usage: bench/run.sh [--quick]" ;;
esac

NPROC=$(nproc)
CONNS=64			# the issue's default
CONNS_BULK=16			# 100-document uploads: 340 KB a request
CONNS_LOGIN=$((2 * NPROC))	# argon2id takes a core for a while
RUNS=${BENCH_RUNS:-3}
[ "$RUNS" -ge 3 ] 2>/dev/null || die "BENCH_RUNS must be 3 or more"
if [ "$MODE" = full ]; then
	DUR=3 ARGON_DUR=3 SOAK=300 SOAK_T1=60
	FEED_SMALL=100000 FEED_BIG=1000000
else
	DUR=1 ARGON_DUR=2 SOAK=30 SOAK_T1=10
	FEED_SMALL=10000 FEED_BIG=100000
fi
PAGE=1000
BUILD=${BENCH_BUILD:-$TOP/build-release}
case $BUILD in
/*) ;;
*) BUILD=$TOP/$BUILD ;;
esac
BIN=$BUILD/bench
TOBMEN=$BUILD/tobmen
RESULTS=$BENCH_DIR/results

BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/tobmen-bench.XXXXXX")
chmod 755 "$BENCH_WORK"
if [ -n "${BENCH_KEEP:-}" ]; then
	say "keeping the work folder $BENCH_WORK"
else
	cleanup_push "rm -rf '$BENCH_WORK'"
fi
BENCH_RAW=$BENCH_WORK/raw.tsv
: >"$BENCH_RAW"
exec 2> >(tee -a "$BENCH_WORK/run.log" >&2)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- measuring helpers ------------------------------------------------

# wrk_run SECONDS CONNS SCRIPT URL [ARGS...]: one wrk run; prints its
# result line (bench/wrk/report.lua), or fails.
wrk_run()
{
	local d=$1 c=$2 s=$3 u=$4 t=$NPROC out

	shift 4
	[ "$t" -gt "$c" ] && t=$c
	out=$(wrk -t"$t" -c"$c" -d"${d}s" --timeout 30s -s "$BENCH_WRK/$s" \
	    "$u" -- "$@" 2>&1) || { say "wrk failed: $out"; return 1; }
	out=$(grep '^result ' <<<"$out" | tail -n 1)
	[ -n "$out" ] || { say "wrk printed no result"; return 1; }
	echo "$out"
}

# [ALSO=KEY2] [DRAIN=NAME] measure_once ID KEY SCALE CMD...: runs CMD
# once (after server NAME has drained) and records KEY of its result line
# times SCALE (and KEY2 as ID.KEY2).  A run with errors (socket errors,
# non-2xx answers, documents acknowledged but not stored) is recorded
# with a note, and report.py refuses the figure.  Prints the result line.
measure_once()
{
	local id=$1 key=$2 scale=$3 also=${ALSO:-} out v bad e s

	shift 3
	[ -n "${DRAIN:-}" ] && drain "$DRAIN"
	out=$("$@") || { record na "$id" "the measurement failed"; return 1; }
	v=$(kv "$out" "$key") || { record na "$id" "no $key"; return 1; }
	v=$(awk -v v="$v" -v s="$scale" 'BEGIN { printf "%.6g", v * s }')
	e=$(kv "$out" errors) || e=0
	s=$(kv "$out" status) || s=0
	bad=
	if [ "$e" != 0 ] || [ "$s" != 0 ]; then
		bad="errors=$e non2xx=$s"
	fi
	record run "$id" "$v" "$bad"
	[ -n "$also" ] && record run "$id.$also" "$(kv "$out" "$also")"
	say "  $id: $key=$v $bad"
	echo "$out"
}

# measure ID KEY SCALE CMD...: measure_once, $RUNS times.
measure()
{
	local i

	for ((i = 1; i <= RUNS; i++)); do
		measure_once "$@" || return 1
	done
}

# drain NAME: waits (up to 20 s) until server NAME has worked off what
# the last run left queued: two /healthz answers in a row under 50 ms.
drain()
{
	local i ok=0 t

	for ((i = 0; i < 200 && ok < 2; i++)); do
		t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 \
		    "${SRV_URL[$1]}/healthz") || t=9
		if awk -v t="$t" 'BEGIN { exit !(t < 0.05) }'; then
			ok=$((ok + 1))
		else
			ok=0
			sleep 0.1
		fi
	done
}

# vals ID: the values recorded for ID, one per line.
vals()
{
	awk -F'\t' -v id="$1" '$1 == "run" && $2 == id { print $3 }' \
	    "$BENCH_RAW"
}

# med ID: the median of ID's runs (empty if none).
med()
{
	local v

	v=$(vals "$1")
	[ -n "$v" ] && median $v
}

# jget FILE KEY...: a value of the setup JSON (keys, or list indexes).
jget()
{
	python3 - "$@" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)
EOF
}

# setup_net NAME DB: the network of bench/lib/setup.py on server NAME;
# leaves its JSON in $BENCH_WORK/NAME.json and device tokens in
# $BENCH_WORK/NAME.tokens.
setup_net()
{
	local f=$BENCH_WORK/$1.json

	python3 "$BENCH_LIB/setup.py" --bin "$TOBMEN" --db "$2" \
	    --url "${SRV_URL[$1]}" --mail-dir "${SRV_DIR[$1]}/mail" \
	    --out "$f" || return 1
	python3 -c 'import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    print(d["token"])' "$f" >"$BENCH_WORK/$1.tokens"
}

# feed_head NAME: the supplier's last feed position on server NAME.
feed_head()
{
	curl -fsS -H "Authorization: Bearer $(jget "$BENCH_WORK/$1.json" \
	    feed_key)" "${SRV_URL[$1]}/api/v1/feed?limit=1" |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["head"])'
}

# A fresh 8-hex-digit prefix for the uuids of one upload run.
NONCE_N=0
nonce()
{
	NONCE_N=$((NONCE_N + 1))
	printf 'a%03x%04x' $((RANDOM % 4096)) "$NONCE_N"
}

# upload_run NAME DOCS SECONDS CONNS: one wrk upload run on server NAME
# with DOCS documents a request; checks afterwards that the feed grew by
# at least what was acknowledged.
upload_run()
{
	local name=$1 docs=$2 before after out n

	before=$(feed_head "$name") || return 1
	out=$(wrk_run "$3" "$4" upload.lua \
	    "${SRV_URL[$name]}/api/v1/device/documents" \
	    "$BENCH_WORK/up$docs-$name.tmpl" "$(nonce)" \
	    "$BENCH_WORK/$name.tokens") || return 1
	sleep 0.2
	after=$(feed_head "$name") || return 1
	n=$(kv "$out" requests)
	if [ $((after - before)) -lt $((n * docs)) ]; then
		say "upload: $((n * docs)) documents acknowledged, the feed" \
		    "grew by $((after - before))"
		out="$out errors=1"
	fi
	echo "$out"
}

# rss_sampler PID FILE: writes "seconds kib" every 0.2 s until killed,
# seconds counted from the sampler's start.
rss_sampler()
{
	local t0

	t0=$(date +%s.%N)
	while kill -0 "$1" 2>/dev/null; do
		echo "$(awk -v a="$t0" -v b="$(date +%s.%N)" \
		    'BEGIN { printf "%.2f", b - a }') $(rss_kb "$1")" >>"$2"
		sleep 0.2
	done
}

# --- phases -----------------------------------------------------------

phase_build()
{
	say "building release binaries in $BUILD"
	local log=$BENCH_WORK/build.log

	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" "$TOP" --buildtype=release >"$log" 2>&1 ||
		    { tail -n 30 "$log" >&2; die "meson setup failed"; }
	fi
	ninja -C "$BUILD" tobmen >"$log" 2>&1 ||
	    { tail -n 30 "$log" >&2; die "the build failed"; }
	make -s -C "$BENCH_DIR" O="$BIN" CFLAGS="-O2 -g" \
	    TOBMEN_LIB="$BUILD/libtobmen.a" >"$log" 2>&1 ||
	    { tail -n 30 "$log" >&2; die "the bench tools failed"; }
}

# The versions of what the figures depend on, one line.
versions()
{
	printf '%s, ' "SQLite $(pkg-config --modversion sqlite3)" \
	    "$("$PG_BIN/postgres" --version | sed 's/.*) /PostgreSQL /')" \
	    "libmicrohttpd $(pkg-config --modversion libmicrohttpd)" \
	    "jansson $(pkg-config --modversion jansson)" \
	    "yajl $(pkg-config --modversion yajl)" \
	    "libsodium $(pkg-config --modversion libsodium)" \
	    "$(nginx -v 2>&1 | sed 's/.*: //')" \
	    "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
	cc --version | head -n 1
}

phase_machine()
{
	local cpu mem

	cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
	mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' \
	    /proc/meminfo)
	record meta mode "$MODE"
	record meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	record meta machine "$NPROC cores, $mem, $cpu, Linux $(uname -r)"
	record meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
	record meta tobmen "$("$TOBMEN" --version)"
	record meta versions "$(versions)"
	record meta commit "$(git -C "$TOP" rev-parse --short HEAD \
	    2>/dev/null || echo none)"
	record meta conns_bulk "$CONNS_BULK"
	record meta conns_login "$CONNS_LOGIN"
	record meta hash_parallel "$("$TOBMEN" serve --help | sed -n \
	    's/.*hash_parallel:.*(default: \([0-9]*\)).*/\1/p')"
	record meta settings "runs=$RUNS seconds=$DUR connections=$CONNS\
 (100-document uploads $CONNS_BULK, login $CONNS_LOGIN)\
 wrk_threads=$NPROC soak=${SOAK}s feed=$FEED_SMALL/$FEED_BIG"
}

# The reference files, nginx (a reference for the libmicrohttpd ceiling,
# no figure is held against it) and the minimal libmicrohttpd server,
# which stays up for the figures of server A.
phase_http()
{
	local port

	say "ceilings: HTTP"
	# 200 bytes exactly, checked below.
	printf '{"status":"ok","service":"%s","note":"%s","pad":"%s"}' \
	    "tobmen-bench" \
	    "a fixed reply of exactly two hundred bytes, the same for nginx" \
	    "$(printf 'x%.0s' $(seq 79))" >"$BENCH_WORK/small.json"
	[ "$(wc -c <"$BENCH_WORK/small.json")" -eq 200 ] ||
	    die "small.json is not 200 bytes"
	"$BIN/bench-doc" '@DOCS@' 1 >"$BENCH_WORK/doc.json"

	if nginx_start "$BENCH_WORK" "$BENCH_WORK/small.json"; then
		measure c_nginx_get rps 1 wrk_run "$DUR" "$CONNS" get.lua \
		    "$NGINX_URL" >/dev/null
		nginx_stop
	else
		record na c_nginx_get "nginx did not start"
	fi

	port=$(free_port)
	"$BIN/ceil-http" "$port" "$BENCH_WORK/small.json" >/dev/null &
	CEIL_HTTP_PID=$!
	CEIL_HTTP_URL=http://127.0.0.1:$port/
	cleanup_push "proc_stop $CEIL_HTTP_PID"
	wait_http "$CEIL_HTTP_URL" "$CEIL_HTTP_PID" || die "ceil-http failed"

	say "ceiling: SQLite, one document a transaction"
	measure c_sqlite_1 docs_per_s 1 "$BIN/ceil-sqlite" \
	    "$BENCH_WORK/ceil.db" 1 "$DUR" >/dev/null
}

# Server A on SQLite: memory, the small GETs, uploads, p99 and login,
# each figure's runs interleaved with its ceiling's (ceiling, figure,
# ceiling, figure, ...) so that a change in the machine's load hits both.
# The soak uses server A afterwards.
phase_server_a()
{
	local db=sqlite:$BENCH_WORK/a/tobmen.db i dcookie tmpl has

	say "tobmen on SQLite: setting up"
	mkdir -p "$BENCH_WORK/a"
	srv_start a "$db" || die "tobmen did not start"
	setup_net a "$db" || die "the bench network could not be made"
	dcookie="Cookie: $(jget "$BENCH_WORK/a.json" distributor cookie)"
	tmpl="{\"supplier_id\":$(jget "$BENCH_WORK/a.json" supplier id),"
	tmpl="$tmpl\"documents\":[@DOCS@]}"
	"$BIN/bench-doc" "$tmpl" 1 >"$BENCH_WORK/up1-a.tmpl"
	"$BIN/bench-doc" "$tmpl" 100 >"$BENCH_WORK/up100-a.tmpl"
	# The feed stores start as a copy of this one: same companies,
	# device and key, without a second round of set-up mails.
	mkdir -p "$BENCH_WORK/b" "$BENCH_WORK/s"
	python3 -c 'import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
src.close()' "$BENCH_WORK/a/tobmen.db" "$BENCH_WORK/b/tobmen.db" ||
	    die "copying the store failed"
	cp "$BENCH_WORK/a.json" "$BENCH_WORK/b.json"
	say "PostgreSQL: starting and setting up in the background"
	(pg_prepare >"$BENCH_WORK/p.log" 2>&1) &
	PG_PREP_PID=$!
	cleanup_push "pg_orphans"
	sleep 1

	for ((i = 1; i <= RUNS; i++)); do
		record run f_mem_idle "$(rss_mib "${SRV_PID[a]}")"
		sleep 0.5
	done
	mem_conns a
	say "waiting for the PostgreSQL set-up to finish"
	wait "$PG_PREP_PID"

	say "figures: GET /api/v1/auth/me and the licence table"
	srv_has a GET /api/v1/auth/me || record na f_me "endpoint missing"
	srv_has a GET /api/v1/licences ||
	    record na f_licences "endpoint missing"
	for ((i = 1; i <= RUNS; i++)); do
		measure_once c_mhd_get rps 1 wrk_run "$DUR" "$CONNS" get.lua \
		    "$CEIL_HTTP_URL" >/dev/null
		srv_has a GET /api/v1/auth/me && DRAIN=a measure_once f_me \
		    rps 1 wrk_run "$DUR" "$CONNS" get.lua \
		    "${SRV_URL[a]}/api/v1/auth/me" "$dcookie" >/dev/null
		srv_has a GET /api/v1/licences && DRAIN=a measure_once \
		    f_licences rps 1 wrk_run "$DUR" "$CONNS" get.lua \
		    "${SRV_URL[a]}/api/v1/licences?limit=100" "$dcookie" \
		    >/dev/null
	done

	has=yes
	if ! srv_has a POST /api/v1/device/documents; then
		has=
		for i in f_upload_1 f_p99 f_upload_100; do
			record na "$i" "endpoint missing"
		done
	fi
	say "figure: upload, one document a request"
	for ((i = 1; i <= RUNS; i++)); do
		measure_once c_mhd_post rps 1 wrk_run "$DUR" "$CONNS" \
		    post_file.lua "$CEIL_HTTP_URL" "$BENCH_WORK/doc.json" \
		    >/dev/null
		[ -n "$has" ] && DRAIN=a measure_once f_upload_1 rps 1 \
		    upload_run a 1 "$DUR" "$CONNS" >/dev/null
	done
	[ -n "$has" ] && p99_figure "$tmpl"

	say "figure: upload, 100 documents a request"
	for ((i = 1; i <= RUNS; i++)); do
		measure_once c_sqlite_100 docs_per_s 1 "$BIN/ceil-sqlite" \
		    "$BENCH_WORK/ceil.db" 100 "$DUR" >/dev/null
		[ -n "$has" ] && DRAIN=a measure_once f_upload_100 rps 100 \
		    upload_run a 100 $((DUR + 1)) "$CONNS_BULK" >/dev/null
	done

	login_figure
}

# p99_figure TEMPLATE: p99 of paced one-document uploads at half the
# median rate that f_upload_1 reached.
p99_figure()
{
	local half

	half=$(awk -v m="$(med f_upload_1)" 'BEGIN { printf "%d", m / 2 }')
	record meta p99_rate "$half"
	say "figure: p99 at $half uploads/s"
	[ "$half" -ge 1 ] || { record na f_p99 "no upload rate"; return; }
	DRAIN=a measure f_p99 p99_ms 1 "$BIN/bench-paced" -m POST \
	    -H 'Content-Type: application/json' \
	    -H "Authorization: Bearer $(head -n 1 "$BENCH_WORK/a.tokens")" \
	    -t "$1" -d 1 -s $((RANDOM * 1000 + 9000000)) \
	    "${SRV_URL[a]}/api/v1/device/documents" "$half" $((DUR + 1)) \
	    "$CONNS" >/dev/null
}

# login_figure: logins against argon2id checks, with server A's RSS
# sampled during the login runs.
login_figure()
{
	local i tmp=$BENCH_WORK/login-rss spid peak

	say "figure: login"
	: >"$tmp"
	for ((i = 1; i <= RUNS; i++)); do
		measure_once c_argon2 hashes_per_s 1 "$BIN/ceil-argon2" \
		    "$ARGON_DUR" "$NPROC" >/dev/null
		drain a
		rss_sampler "${SRV_PID[a]}" "$tmp" &
		spid=$!
		measure_once f_login rps 1 wrk_run "$ARGON_DUR" "$CONNS_LOGIN" \
		    login.lua "${SRV_URL[a]}/api/v1/auth/login" \
		    "$(jget "$BENCH_WORK/a.json" distributor email)" \
		    "$(jget "$BENCH_WORK/a.json" password)" >/dev/null
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	done
	peak=$(sort -k2 -n "$tmp" | tail -n 1 | cut -d' ' -f2)
	record meta login_peak_kib "${peak:-0}"
	record meta login_base_kib "$(sort -k2 -n "$tmp" | head -n 1 |
	    cut -d' ' -f2)"
}

# mem_conns NAME: resident memory of server NAME while 1,000 keep-alive
# connections it has served stay open.
mem_conns()
{
	local i pid out=$BENCH_WORK/hold.out

	say "figure: 1,000 keep-alive connections"
	for ((i = 1; i <= RUNS; i++)); do
		"$BIN/bench-hold" "${SRV_PORT[$1]}" /healthz 1000 2 >"$out" &
		pid=$!
		for _ in $(seq 300); do
			grep -q '^open=' "$out" && break
			sleep 0.1
		done
		sleep 1
		record run f_mem_conns "$(rss_mib "${SRV_PID[$1]}")" \
		    "$(grep '^open=' "$out")"
		wait "$pid"
		say "  f_mem_conns run $i: $(tr '\n' ' ' <"$out")"
		grep -q '^alive=1000$' "$out" ||
		    record note f_mem_conns "run $i: $(tr '\n' ' ' <"$out")"
	done
}

# PostgreSQL and server P on it, set up; runs in the background while
# server A's memory is measured (memory is not disturbed by another
# process's CPU use, and set-up mostly waits for mail).  Writes
# $BENCH_WORK/p.ready with the two database URLs, or p.failed.
pg_prepare()
{
	local ceil_url url

	if ! pg_start "$BENCH_WORK"; then
		echo "PostgreSQL did not start" >"$BENCH_WORK/p.failed"
		return
	fi
	echo "$PG_DIR" >"$BENCH_WORK/p.dir"
	if ! ceil_url=$(pg_newdb ceiling) || ! url=$(pg_newdb tobmen); then
		echo "createdb failed" >"$BENCH_WORK/p.failed"
		return
	fi
	srv_start p "$url"
	echo "${SRV_PID[p]}" >"$BENCH_WORK/p.pid"
	if ! wait_http "${SRV_URL[p]}/healthz" "${SRV_PID[p]}" ||
	    ! setup_net p "$url"; then
		echo "tobmen did not start on PostgreSQL" >"$BENCH_WORK/p.failed"
		return
	fi
	"$BIN/bench-doc" "{\"supplier_id\":$(jget "$BENCH_WORK/p.json" \
	    supplier id),\"documents\":[@DOCS@]}" 100 \
	    >"$BENCH_WORK/up100-p.tmpl"
	printf '%s\n%s\n%s\n%s\n%s\n' "$ceil_url" "$url" "$PG_DIR" \
	    "$PG_PORT" "${SRV_PID[p]} ${SRV_PORT[p]} ${SRV_DIR[p]}" \
	    >"$BENCH_WORK/p.ready"
}

# pg_orphans: on an early exit, stops what pg_prepare started and no one
# adopted.
pg_orphans()
{
	[ -n "$PG_ADOPTED" ] && return 0
	kill -TERM "$PG_PREP_PID" 2>/dev/null
	wait "$PG_PREP_PID" 2>/dev/null
	[ -f "$BENCH_WORK/p.pid" ] && proc_stop "$(cat "$BENCH_WORK/p.pid")"
	if [ -f "$BENCH_WORK/p.dir" ]; then
		PG_DIR=$(cat "$BENCH_WORK/p.dir")
		pg_stop
	fi
}
PG_ADOPTED=
PG_PREP_PID=

# pg_adopt: takes over what pg_prepare (a subshell) started: PG_DIR,
# PG_PORT and server P, so that they are measured and stopped here.
pg_adopt()
{
	local pid port dir

	PG_CEIL_URL=$(sed -n 1p "$BENCH_WORK/p.ready")
	PG_TOBMEN_URL=$(sed -n 2p "$BENCH_WORK/p.ready")
	PG_DIR=$(sed -n 3p "$BENCH_WORK/p.ready")
	PG_PORT=$(sed -n 4p "$BENCH_WORK/p.ready")
	read -r pid port dir < <(sed -n 5p "$BENCH_WORK/p.ready")
	SRV_PID[p]=$pid
	SRV_PORT[p]=$port
	SRV_DIR[p]=$dir
	SRV_URL[p]=http://127.0.0.1:$port
	PG_ADOPTED=yes
	cleanup_push pg_stop
	cleanup_push "proc_stop $pid"
}

# PostgreSQL: the 100-document upload against the pipelined ceiling,
# interleaved, with statements per document from pg_stat_statements;
# COPY as a reference.
phase_pg()
{
	local i stmts docs

	if [ ! -f "$BENCH_WORK/p.ready" ]; then
		for i in c_pg_pipeline c_pg_copy f_upload_100_pg; do
			record na "$i" "$(cat "$BENCH_WORK/p.failed" 2>/dev/null)"
		done
		return
	fi
	pg_adopt
	record meta pg_ceiling_conns "$NPROC"
	if ! srv_has p POST /api/v1/device/documents; then
		record na f_upload_100_pg "endpoint missing"
	fi
	pg_psql tobmen "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
	    SELECT pg_stat_statements_reset()" >/dev/null 2>&1
	docs=$(feed_head p)

	say "figure: upload of 100 documents on PostgreSQL"
	for ((i = 1; i <= RUNS; i++)); do
		measure_once c_pg_pipeline docs_per_s 1 "$BIN/ceil-pg" \
		    "$PG_CEIL_URL" pipeline 100 "$DUR" "$NPROC" >/dev/null
		srv_has p POST /api/v1/device/documents &&
		    DRAIN=p measure_once f_upload_100_pg rps 100 upload_run p \
		    100 $((DUR + 1)) "$CONNS_BULK" >/dev/null
	done
	docs=$(($(feed_head p) - docs))
	stmts=$(pg_psql tobmen "SELECT sum(calls) FROM pg_stat_statements
	    WHERE dbid = (SELECT oid FROM pg_database
	    WHERE datname = 'tobmen')" 2>/dev/null)
	if [ -n "$stmts" ] && [ "$docs" -gt 0 ]; then
		record meta pg_statements_per_doc "$(awk -v s="$stmts" \
		    -v d="$docs" 'BEGIN { printf "%.2f", s / d }')"
	fi
	proc_stop "${SRV_PID[p]}"
	measure c_pg_copy docs_per_s 1 "$BIN/ceil-pg" "$PG_CEIL_URL" copy \
	    100 "$DUR" "$NPROC" >/dev/null
	pg_stop
}

# fill_b N: grows store B to N documents (no server on it meanwhile).
fill_b()
{
	local out

	out=$("$BIN/bench-fill" "sqlite:$BENCH_WORK/b/tobmen.db" \
	    "$(jget "$BENCH_WORK/b.json" supplier id)" \
	    "$(jget "$BENCH_WORK/b.json" distributor id)" "$1") ||
	    die "bench-fill failed"
	say "filled: $out"
}

# Store B (a copy of A made after A's set-up) filled directly to
# FEED_SMALL and copied as store S; B grows to FEED_BIG during the soak.
phase_feed_prep()
{
	say "feed stores: filling $FEED_SMALL documents"
	fill_b "$FEED_SMALL"
	cp "$BENCH_WORK/b/tobmen.db" "$BENCH_WORK/s/tobmen.db"
}

# The feed at both sizes, runs interleaved (small, big, small, ...) so
# that a change in the machine's load hits both sizes alike: first the
# ceiling, then the service over HTTP.
phase_feed()
{
	local i n key sup has=yes

	key=$(jget "$BENCH_WORK/b.json" feed_key)
	sup=$(jget "$BENCH_WORK/b.json" supplier id)
	record meta f_feed_small_documents "$FEED_SMALL"
	record meta f_feed_big_documents "$FEED_BIG"
	srv_start s "sqlite:$BENCH_WORK/s/tobmen.db" ||
	    die "tobmen did not start on the small feed store"
	srv_start b "sqlite:$BENCH_WORK/b/tobmen.db" ||
	    die "tobmen did not start on the big feed store"
	srv_has b GET /api/v1/feed || has=
	if [ -z "$has" ]; then
		record na f_feed_small "endpoint missing"
		record na f_feed_big "endpoint missing"
	fi
	say "figure: feed pages from $FEED_SMALL and $FEED_BIG documents"
	for ((i = 1; i <= RUNS; i++)); do
		for n in small big; do
			ALSO=page_ms measure_once "c_feed_$n" pages_per_s 1 \
			    "$BIN/ceil-feed" "$BENCH_WORK/${n:0:1}/tobmen.db" \
			    "$sup" "$PAGE" "$DUR" "$NPROC" >/dev/null
		done
		[ -n "$has" ] || continue
		DRAIN=s ALSO=mean_ms measure_once f_feed_small rps 1 wrk_run \
		    "$DUR" "$CONNS" feed.lua "${SRV_URL[s]}" "$key" \
		    "$FEED_SMALL" "$PAGE" >/dev/null
		DRAIN=b ALSO=mean_ms measure_once f_feed_big rps 1 wrk_run \
		    "$DUR" "$CONNS" feed.lua "${SRV_URL[b]}" "$key" \
		    "$FEED_BIG" "$PAGE" >/dev/null
	done
	srv_stop s
	srv_stop b
}

# The soak on server A; meanwhile store B grows to FEED_BIG (the soak
# measures memory only, which the filler does not touch).
phase_soak()
{
	local tmp=$BENCH_WORK/soak-rss spid fpid wout

	say "soak: ${SOAK}s of mixed load; filling the feed store meanwhile"
	: >"$tmp"
	(fill_b "$FEED_BIG" >"$BENCH_WORK/fill.out" 2>&1) &
	fpid=$!
	cleanup_push "proc_stop $fpid"
	rss_sampler "${SRV_PID[a]}" "$tmp" &
	spid=$!
	wout=$(wrk_run "$SOAK" "$CONNS" mixed.lua "${SRV_URL[a]}" \
	    "$(jget "$BENCH_WORK/a.json" distributor cookie)" \
	    "$BENCH_WORK/a.tokens" "$BENCH_WORK/up1-a.tmpl" "$(nonce)" \
	    "$(jget "$BENCH_WORK/a.json" feed_key)" "$(feed_head a)")
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	say "soak: $wout"
	record meta soak "$wout"
	# Three pairs of 3-second windows: around minute 1, and the last
	# 9 seconds; each window's median RSS.
	python3 - "$tmp" "$SOAK_T1" "$SOAK" >>"$BENCH_RAW" <<'EOF'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
t1, t2 = float(sys.argv[2]), float(sys.argv[3])
def win(a, b):
    v = [k for t, k in rows if a <= t < b]
    return statistics.median(v) / 1024 if v else None
for k in range(3):
    x = win(t1 - 4.5 + 3 * k, t1 - 1.5 + 3 * k)
    y = win(t2 - 9 + 3 * k, t2 - 6 + 3 * k)
    if x is not None and y is not None:
        print("run\tf_mem_growth\t%.1f\trss %.1f -> %.1f MiB" %
              (y - x, x, y))
EOF
	wait "$fpid" || die "filling the feed store failed"
	cat "$BENCH_WORK/fill.out" >&2
}

phase_report()
{
	record meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
	mkdir -p "$RESULTS"
	python3 "$BENCH_LIB/report.py" "$BENCH_RAW" "$RESULTS"
	cp "$BENCH_WORK/run.log" "$RESULTS/latest.log"
	cp "$BENCH_RAW" "$RESULTS/latest.tsv"
}

# --- the run ----------------------------------------------------------

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ "$(df -Pk "$BENCH_WORK" | awk 'NR == 2 { print $4 }')" -gt \
    $((FEED_BIG / 100 * 700)) ] || die "not enough free disk in $BENCH_WORK"

phase_build
phase_machine
say "mode $MODE: $RUNS runs of ${DUR}s, $CONNS connections, $NPROC cores"
phase_http
phase_server_a
proc_stop "$CEIL_HTTP_PID"
phase_pg
phase_feed_prep
phase_soak
srv_stop a
phase_feed
phase_report
