/*
 * sqlitedoc.c - the ceilings' document schema on SQLite and its inserts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sqlitedoc.h"

static const char sqlitedoc_schema[] =
    "CREATE TABLE IF NOT EXISTS doc ("
    " id INTEGER PRIMARY KEY,"
    " supplier_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL,"
    " uuid TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " number TEXT NOT NULL,"
    " doc_at INTEGER NOT NULL,"
    " outlet_code TEXT NOT NULL,"
    " outlet_name TEXT NOT NULL,"
    " agent TEXT NOT NULL,"
    " total INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS doc_uuid ON doc (uuid);"
    "CREATE UNIQUE INDEX IF NOT EXISTS doc_feed"
    " ON doc (supplier_id, position);"
    "CREATE TABLE IF NOT EXISTS line ("
    " doc_id INTEGER NOT NULL,"
    " n INTEGER NOT NULL,"
    " product_code TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " qty INTEGER NOT NULL,"
    " price INTEGER NOT NULL,"
    " amount INTEGER NOT NULL,"
    " PRIMARY KEY (doc_id, n)) WITHOUT ROWID;";

/* Dies with the connection's last error. */
static void
sqlitedoc_fail(struct sqlitedoc *s, const char *what)
{
	bench_die("sqlite: %s: %s", what, sqlite3_errmsg(s->db));
}

void
sqlitedoc_exec(struct sqlitedoc *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		sqlitedoc_fail(s, sql);
}

/* Prepares sql into *st, or dies. */
static void
sqlitedoc_prepare(struct sqlitedoc *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		sqlitedoc_fail(s, sql);
}

void
sqlitedoc_open(struct sqlitedoc *s, const char *path, bool durable)
{
	if (sqlite3_open(path, &s->db) != SQLITE_OK)
		sqlitedoc_fail(s, path);
	sqlite3_busy_timeout(s->db, 5000);
	if (durable)
		sqlitedoc_exec(s, "PRAGMA journal_mode=WAL;"
		    "PRAGMA synchronous=FULL;");
	else
		sqlitedoc_exec(s, "PRAGMA journal_mode=OFF;"
		    "PRAGMA synchronous=OFF;PRAGMA cache_size=-262144;");
	sqlitedoc_exec(s, sqlitedoc_schema);

	sqlitedoc_prepare(s, "INSERT INTO doc (supplier_id, position, uuid,"
	    " kind, number, doc_at, outlet_code, outlet_name, agent, total)"
	    " VALUES (?, ?, ?, 'order', ?, ?, ?, ?, ?, ?)", &s->ins_doc);
	sqlitedoc_prepare(s, "INSERT INTO line (doc_id, n, product_code,"
	    " name, qty, price, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    &s->ins_line);
	sqlitedoc_prepare(s, "BEGIN IMMEDIATE", &s->begin);
	sqlitedoc_prepare(s, "COMMIT", &s->commit);
}

void
sqlitedoc_close(struct sqlitedoc *s)
{
	sqlite3_finalize(s->ins_doc);
	sqlite3_finalize(s->ins_line);
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlitedoc_exec(s, "PRAGMA journal_mode=WAL;");
	sqlite3_close(s->db);
	s->db = NULL;
}

/* Steps a statement that returns no row, then resets it. */
static void
sqlitedoc_step(struct sqlitedoc *s, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		sqlitedoc_fail(s, what);
	sqlite3_reset(st);
}

void
sqlitedoc_begin(struct sqlitedoc *s)
{
	sqlitedoc_step(s, s->begin, "begin");
}

void
sqlitedoc_commit(struct sqlitedoc *s)
{
	sqlitedoc_step(s, s->commit, "commit");
}

void
sqlitedoc_insert(struct sqlitedoc *s, const struct bench_doc *d,
    int64_t supplier, int64_t position)
{
	const struct bench_line	*l;
	sqlite3_stmt		*st = s->ins_doc;
	int64_t			 id;
	int			 i;

	sqlite3_bind_int64(st, 1, supplier);
	sqlite3_bind_int64(st, 2, position);
	sqlite3_bind_text(st, 3, d->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, d->number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, d->doc_at);
	sqlite3_bind_text(st, 6, d->outlet_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, d->outlet_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, d->agent, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, d->total);
	sqlitedoc_step(s, st, "insert doc");
	id = sqlite3_last_insert_rowid(s->db);

	st = s->ins_line;
	for (i = 0; i < BENCH_LINES; i++) {
		l = &d->lines[i];
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, l->product_code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, l->qty);
		sqlite3_bind_int64(st, 6, l->price);
		sqlite3_bind_int64(st, 7, l->amount);
		sqlitedoc_step(s, st, "insert line");
	}
}

int64_t
sqlitedoc_last(struct sqlitedoc *s, int64_t supplier)
{
	sqlite3_stmt	*st;
	int64_t		 last = 0;

	sqlitedoc_prepare(s, "SELECT coalesce(max(position), 0) FROM doc"
	    " WHERE supplier_id = ?", &st);
	sqlite3_bind_int64(st, 1, supplier);
	if (sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return last;
}
