# pg.sh - a throwaway PostgreSQL 15 for the bench; source after common.sh.
#
# pg_start makes a cluster in a new folder under the work folder and
# starts it on a free loopback port (unix socket in that folder, with
# pg_stat_statements loaded when installed, so the bench can count
# statements per document); pg_newdb makes databases on it.  As root
# the server runs as the "postgres" user, as PostgreSQL requires.  The
# cleanup stack stops it and removes the folder.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_PORT=

_pg_as()
{
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_start WORKDIR: 0 when the server runs, 1 with the reason on stderr.
pg_start()
{
	local opts

	[ -x "$PG_BIN/initdb" ] || { say "no PostgreSQL at $PG_BIN"; return 1; }
	PG_DIR=$(mktemp -d "$1/pg.XXXXXX")
	chmod 755 "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	cleanup_push pg_stop
	PG_PORT=$(free_port)

	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust \
	    -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
		tail -n 20 "$PG_DIR/initdb.log" >&2
		return 1
	fi
	opts="-c listen_addresses=127.0.0.1 -c port=$PG_PORT"
	opts="$opts -c unix_socket_directories=$PG_DIR -c max_connections=200"
	if [ -f /usr/share/postgresql/15/extension/pg_stat_statements.control ]
	then
		opts="$opts -c shared_preload_libraries=pg_stat_statements"
	fi
	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
	    -w -t 60 -o "$opts" start >/dev/null; then
		tail -n 20 "$PG_DIR/server.log" >&2
		return 1
	fi
}

# pg_newdb NAME: creates database NAME and prints its URL.
pg_newdb()
{
	_pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres "$1" ||
	    return 1
	echo "postgres://postgres@127.0.0.1:$PG_PORT/$1"
}

# pg_psql NAME SQL: runs SQL in database NAME, prints unaligned rows.
pg_psql()
{
	_pg_as "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1" \
	    -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"
}

pg_stop()
{
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop \
		    >/dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
