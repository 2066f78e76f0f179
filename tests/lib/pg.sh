# pg.sh - a throwaway PostgreSQL 15 server for tests; source after common.sh.
#
# pg_start runs initdb into a new temporary folder, starts the server on a
# free loopback port with its unix socket in that folder, creates a
# database and exports its URL as TOBMEN_PG_URL.  The server and the folder
# are removed on exit.  PostgreSQL refuses to run as root, so as root the
# server runs as the "postgres" user (created by the postgresql package).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_PORT=

# Runs a PostgreSQL program as the user that owns the cluster.
_pg_as()
{
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_start: 0 with TOBMEN_PG_URL exported, 1 with the reason on stderr.
pg_start()
{
	if [ ! -x "$PG_BIN/initdb" ]; then
		echo "pg.sh: no PostgreSQL at $PG_BIN;" \
		    "install it with scripts/deps.sh --test" >&2
		return 1
	fi
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tobmen-pg.XXXXXX")
	cleanup_push "pg_stop"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$PG_DIR"
	fi
	PG_PORT=$(free_port)

	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
	    -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		tail -n 20 "$PG_DIR/initdb.log" >&2
		return 1
	fi

	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
	    -w -t 60 -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT \
	    -c unix_socket_directories=$PG_DIR -c max_connections=200" \
	    start >/dev/null; then
		echo "pg.sh: PostgreSQL did not start:" >&2
		tail -n 20 "$PG_DIR/server.log" >&2
		return 1
	fi

	pg_createdb tobmen_test || return 1
	export TOBMEN_PG_URL
	TOBMEN_PG_URL=$(pg_url tobmen_test)
}

# pg_url NAME: prints the URL of database NAME on the test server.
pg_url()
{
	echo "postgres://postgres@127.0.0.1:$PG_PORT/$1"
}

# pg_createdb NAME: creates an empty database on the test server.
pg_createdb()
{
	_pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres "$1"
}

# pg_psql NAME SQL: runs SQL in database NAME, prints unaligned rows.
pg_psql()
{
	_pg_as "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1" \
	    -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"
}

# pg_stop: stops the server at once and removes its folder.
pg_stop()
{
	if [ -z "$PG_DIR" ]; then
		return 0
	fi
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w \
		    stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
