/*
 * store.h - the one interface to persistent state, with two backends.
 *
 * A struct store is a pool of connections to either SQLite (the embedded
 * default, WAL, synchronous=FULL) or PostgreSQL (libpq).  Callers borrow a
 * connection, run parameterised SQL written once for both backends, and
 * give it back.  SQL uses $1, $2 ... placeholders; the SQLite backend maps
 * them to ?1, ?2.  Only this folder includes sqlite3.h or libpq-fe.h.
 *
 * Portable SQL rules: integers are BIGINT/INTEGER, times are Unix
 * milliseconds in BIGINT, booleans are 0/1 integers, binary values are hex
 * text, ids come back with RETURNING.  DDL that must differ lives in
 * migrations/sqlite and migrations/pg with the same version numbers.
 *
 * Errors: every failure fills the struct err once and never logs.
 * STORE_CONFLICT comes with ERR_CONFLICT, STORE_BUSY with ERR_UNAVAILABLE
 * (worth a retry), an unreachable store with ERR_UNAVAILABLE, anything else
 * with ERR_INTERNAL; all but conflicts count in the store error metric.
 * After a failed statement inside a transaction, roll the transaction back:
 * PostgreSQL refuses anything else in it.  To find out whether a row
 * exists while writing, use INSERT ... ON CONFLICT DO NOTHING rather than
 * catching STORE_CONFLICT.
 *
 * Thread safety: a struct store may be shared; a struct store_conn belongs
 * to one thread between store_acquire and store_release.
 */
#ifndef TOBMEN_STORE_STORE_H
#define TOBMEN_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no row where one was required */
	STORE_CONFLICT,		/* unique or foreign key violation */
	STORE_BUSY,		/* lock not obtained in time; may retry */
	STORE_ERR,		/* anything else; e says what */
};

enum store_kind { STORE_SQLITE, STORE_POSTGRES };

enum store_param_type { SP_NULL, SP_TEXT, SP_INT };

/*
 * A parameter.  Text is borrowed: SP_T's until the call that binds it
 * returns, SP_TN's until the statement is finished (store_exec returned,
 * or store_rows_free), so that long texts are bound without a copy.
 */
struct store_param {
	enum store_param_type	 type;
	const char		*text;	/* SP_TEXT: NUL-terminated */
	size_t			 len;	/* SP_TN: strlen(text), else 0 */
	int64_t			 i;	/* SP_INT */
};

#define SP_T(s)	((struct store_param){ .type = (s) ? SP_TEXT : SP_NULL, \
		    .text = (s) })
/* Text of n bytes (its strlen), kept unchanged until the statement is
 * finished. */
#define SP_TN(s, n) ((struct store_param){ .type = SP_TEXT, .text = (s), \
		    .len = (n) })
#define SP_I(n)	((struct store_param){ .type = SP_INT, .i = (n) })
#define SP_N	((struct store_param){ .type = SP_NULL })

struct store;
struct store_conn;
struct store_rows;

/*
 * Opens a pool for url: "sqlite:PATH" (the file and its folder are created)
 * or "postgres://..." / "postgresql://...".  pool is the number of
 * connections; busy_ms the SQLite busy timeout.  Returns STORE_OK and *out,
 * or an error with e filled.  The caller frees with store_close.
 */
enum store_rc	store_open(const char *url, int pool, int busy_ms,
		    struct store **out, struct err *e);
/* Closes every connection; all must have been released. */
void		store_close(struct store *st);
enum store_kind	store_kind(const struct store *st);
/* True if c's backend makes a query's rows as they are read (SQLite):
 * a query without LIMIT that the caller stops reading early costs only
 * the rows read.  False if the whole result comes at once (PostgreSQL),
 * where only a LIMIT bounds the work. */
bool		store_conn_lazy(const struct store_conn *c);

/* Borrows a connection, waiting for one if all are busy; a PostgreSQL
 * connection found broken is reconnected first.  Returns NULL with e filled
 * if the store cannot be reached.  Give it back with store_release, which
 * rolls back an open transaction; every store_rows must be freed first. */
struct store_conn *store_acquire(struct store *st, struct err *e);
void		store_release(struct store_conn *c);
/* Returns STORE_OK if a trivial query succeeds (for /readyz).  Waits at
 * most busy_ms (5 s if 0) for a free connection, else STORE_BUSY. */
enum store_rc	store_ping(struct store *st, struct err *e);

/* Starts a transaction.  write=true takes the write lock at once (SQLite
 * BEGIN IMMEDIATE), so a writer never fails half way on a lock upgrade;
 * write=false (BEGIN DEFERRED) suits readers.  PostgreSQL locks rows, so
 * there both are a plain BEGIN (READ COMMITTED). */
enum store_rc	store_begin(struct store_conn *c, bool write, struct err *e);
enum store_rc	store_commit(struct store_conn *c, struct err *e);
/*
 * Commits like store_commit, but a checkpoint the commit would run at its
 * end (SQLite copying its write-ahead log into the database file, every
 * thousand pages or so) is left to the caller: *due is set when one is
 * owed, and store_checkpoint should follow once whoever waits for the
 * commit has been answered.  PostgreSQL owes none.
 */
enum store_rc	store_commit_lazy(struct store_conn *c, bool *due,
		    struct err *e);
/* Runs the checkpoint store_commit_lazy left, on a connection of its own,
 * without waiting for readers or writers (a pages still in use is left
 * for the next one).  STORE_OK at once for PostgreSQL. */
enum store_rc	store_checkpoint(struct store *st, struct err *e);
/* Never fails from the caller's point of view; errors are swallowed. */
void		store_rollback(struct store_conn *c);

/*
 * Savepoints inside an open transaction, for work that must be undone
 * alone while the rest of the transaction stays (a group of uploads under
 * one commit).  store_savepoint marks a point; store_savepoint_release
 * keeps what was done since and forgets the mark; store_savepoint_rollback
 * undoes it and forgets the mark too.  They nest: release and rollback
 * act on the latest mark still open.  After a failed statement a
 * PostgreSQL transaction is usable again only through
 * store_savepoint_rollback.
 */
enum store_rc	store_savepoint(struct store_conn *c, struct err *e);
enum store_rc	store_savepoint_release(struct store_conn *c, struct err *e);
enum store_rc	store_savepoint_rollback(struct store_conn *c, struct err *e);

/* Runs a statement without result rows; *changes (may be NULL) gets the
 * number of rows affected. */
enum store_rc	store_exec(struct store_conn *c, const char *sql,
		    const struct store_param *p, int np, int64_t *changes,
		    struct err *e);

/* Runs a query.  On STORE_OK *out holds the rows (possibly none); step
 * through them with store_rows_next and free with store_rows_free.  Values
 * are valid until the next store_rows_next or store_rows_free. */
enum store_rc	store_query(struct store_conn *c, const char *sql,
		    const struct store_param *p, int np,
		    struct store_rows **out, struct err *e);
/* Advances to the next row; false at the end or on error (then
 * store_rows_rc tells which). */
bool		store_rows_next(struct store_rows *r);
enum store_rc	store_rows_rc(const struct store_rows *r, struct err *e);
int		store_rows_ncols(const struct store_rows *r);
bool		store_rows_null(const struct store_rows *r, int col);
/* Text of a column ("" for NULL); never NULL. */
const char	*store_rows_text(const struct store_rows *r, int col);
/* Bytes in the text of a column (0 for NULL), known without a strlen;
 * valid once store_rows_text has read the same column of this row. */
size_t		store_rows_len(const struct store_rows *r, int col);
int64_t		store_rows_int(const struct store_rows *r, int col);
void		store_rows_free(struct store_rows *r);
/* Copies the text of column col into dst (n bytes), truncating; the
 * schema's limits make the columns it is used for fit. */
void		store_rows_copy(const struct store_rows *r, int col,
		    char *dst, size_t n);

/*
 * Convenience for the common single-row lookups: runs sql and reads the
 * first column of the first row as an integer.  STORE_NOTFOUND if no row.
 */
enum store_rc	store_query_int(struct store_conn *c, const char *sql,
		    const struct store_param *p, int np, int64_t *out,
		    struct err *e);

/*
 * Runs a query expected to give at most one row and hands that row to
 * read(r, out).  STORE_NOTFOUND, e set to ERR_NOTFOUND with id and msg,
 * if there is none; another code with e filled on failure.
 */
enum store_rc	store_query_one(struct store_conn *c, const char *sql,
		    const struct store_param *p, int np,
		    void (*read)(const struct store_rows *r, void *out),
		    void *out, const char *id, const char *msg,
		    struct err *e);

/* Migrations (store/migrate.c). */

/* The highest schema version this binary knows. */
int		store_schema_latest(void);
/* Reads the store's schema version (0 for an empty store). */
enum store_rc	store_schema_version(struct store *st, int *version,
		    struct err *e);
/* Applies every pending migration, each in its own transaction.  *applied
 * (may be NULL) gets how many were applied.  Refuses (STORE_ERR) a store
 * whose version is newer than this binary's. */
enum store_rc	store_migrate(struct store *st, int *applied, struct err *e);
/* STORE_OK if the store is exactly at store_schema_latest(); otherwise
 * STORE_ERR with a message telling the operator what to run. */
enum store_rc	store_schema_check(struct store *st, struct err *e);

#endif
