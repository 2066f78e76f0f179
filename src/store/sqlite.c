/*
 * sqlite.c - the SQLite backend: one file, WAL, synchronous=FULL.
 *
 * Each pooled connection keeps its prepared statements, keyed by the SQL
 * text as callers wrote it ($N placeholders are rewritten to ?N once, when
 * the statement is first prepared).  Writers take the write lock at BEGIN
 * (IMMEDIATE) so they never fail half way through on a lock upgrade.
 *
 * Writers of this process also queue on one mutex before they ask SQLite
 * for the lock.  SQLite's own busy handler waits by sleeping 1, 2, 5, 10
 * ... ms and trying again, so a writer that arrives just after another
 * would idle for milliseconds after the lock came free; the mutex hands
 * it over at once.  Other processes (the command line) still meet the
 * busy handler.  This file only maps SQLite's results; it never logs.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <sqlite3.h>

#include "core/err.h"
#include "core/xmalloc.h"
#include "store/backend.h"
#include "store/shmlock.h"
#include "store/sqvfs.h"
#include "store/store.h"

struct sq_stmt {
	sqlite3_stmt	*stmt;
	int		 nparams;
	bool		 cached; /* owned by the cache, else its user */
	bool		 busy;	/* rows are stepping through it */
};

struct sq_conn {
	struct store_conn	base;	/* first: pointers convert */
	sqlite3			*db;
	struct store_cache	cache;
	int			busy_ms;
	bool			writer;	/* holds sq_writer_mu */
};

struct sq_rows {
	struct store_rows	 base;	/* first: pointers convert */
	struct sq_stmt		*s; /* NULL once the rows are exhausted */
	bool			 pending; /* a row fetched, not given */
	bool			 writer; /* took the writer mutex itself */
};

/* The process's one writer (see the top of the file). */
static pthread_mutex_t	sq_writer_mu = PTHREAD_MUTEX_INITIALIZER;

/* The log's size, in pages, at which a commit checkpoints: SQLite's
 * default, set again after a lazy commit borrowed the hook. */
#define SQ_CHECKPOINT_PAGES	1000

/* How often a busy switch to WAL is tried again. */
#define SQ_WAL_RETRY_MS	10

/* Pages of the file mapped into memory, so reads need no copy: all of
 * it, up to the most sqvfs maps (SQVFS_MAP_MAX). */
#define SQ_MMAP_BYTES	"1099511627776"

/* Maps an SQLite result code (extended) to a store result and fills e. */
static enum store_rc
sq_fail(struct sq_conn *c, int code, const char *what, struct err *e)
{
	const char	*msg = c->db != NULL ? sqlite3_errmsg(c->db) :
			    sqlite3_errstr(code);

	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return store_fail(e, STORE_BUSY, false, "%s: %s", what, msg);
	case SQLITE_CONSTRAINT:
		if (code == SQLITE_CONSTRAINT_UNIQUE ||
		    code == SQLITE_CONSTRAINT_PRIMARYKEY ||
		    code == SQLITE_CONSTRAINT_ROWID ||
		    code == SQLITE_CONSTRAINT_FOREIGNKEY)
			return store_fail(e, STORE_CONFLICT, false, "%s: %s",
			    what, msg);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_NOTADB:
		return store_fail(e, STORE_ERR, true, "%s: %s", what, msg);
	default:
		break;
	}
	return store_fail(e, STORE_ERR, false, "%s: %s", what, msg);
}

/* Creates every missing folder above the file at path. */
static int
sq_make_parent(const char *path)
{
	char	*dir, *p, saved;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		goto out_dir;
	*p = '\0';

	for (p = dir + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			rc = -1;
		if (saved == '\0')
			break;
		*p = '/';
	}

out_dir:
	free(dir);
	return rc;
}

/*
 * Switches the file to WAL and checks that it took.  Two processes
 * opening a new file at once (two "tobmen migrate") can find each other
 * holding a lock here, and SQLite then answers "busy" without calling
 * the busy handler, as waiting could deadlock; the switch is tried again
 * from the start, for as long as the busy timeout.
 */
static enum store_rc
sq_set_wal(struct sq_conn *c, struct err *e)
{
	struct timespec	 pause = { 0, SQ_WAL_RETRY_MS * 1000000L };
	sqlite3_stmt	*stmt = NULL;
	const char	*mode;
	enum store_rc	 rc = STORE_OK;
	int		 code, waited = 0;

	for (;;) {
		code = SQLITE_OK;
		if (stmt == NULL)
			code = sqlite3_prepare_v2(c->db,
			    "PRAGMA journal_mode=WAL", -1, &stmt, NULL) & 0xff;
		if (code == SQLITE_OK)
			code = sqlite3_step(stmt) & 0xff;
		if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
		    waited >= c->busy_ms)
			break;
		sqlite3_reset(stmt);
		nanosleep(&pause, NULL);
		waited += SQ_WAL_RETRY_MS;
	}
	if (code != SQLITE_ROW) {
		rc = sq_fail(c, sqlite3_extended_errcode(c->db),
		    "cannot switch the store to WAL", e);
		goto out_stmt;
	}

	mode = (const char *)sqlite3_column_text(stmt, 0);
	if (mode == NULL || strcmp(mode, "wal") != 0)
		rc = store_fail(e, STORE_ERR, true, "the store stayed in "
		    "journal mode %s instead of wal", mode ? mode : "?");

out_stmt:
	sqlite3_finalize(stmt);
	return rc;
}

static void sq_disconnect(struct store_conn *);

static pthread_once_t	sq_once = PTHREAD_ONCE_INIT;

/* The file layer files are opened through: ours (sqvfs.h), or SQLite's
 * default when ours could not be set up. */
static const char	*sq_vfs;

/* Turns SQLite's memory statistics off before its first use.  They keep
 * one process-wide mutex around every allocation SQLite makes, and the
 * HTTP threads queued on it: futex waits on most small requests.  Nothing
 * reads the statistics.  (Too late if SQLite is in use already; then
 * they stay on, which is only slower.)  Then sets up the file layer that
 * maps the whole store, and the read locks kept between transactions
 * (shmlock.h); without either, SQLite's own works, only slower. */
static void
sq_configure(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqvfs_register() == SQLITE_OK)
		sq_vfs = SQVFS_NAME;
	(void)shmlock_install(sqlite3_vfs_find("unix"));
}

static enum store_rc
sq_connect(const char *path, int busy_ms, struct store_conn **out,
    struct err *e)
{
	struct sq_conn	*c;
	enum store_rc	 rc;
	int		 code;

	pthread_once(&sq_once, sq_configure);

	*out = NULL;
	if (path[0] == '\0') {
		err_set(e, ERR_INVALID, "bad_db_url", "db",
		    "the store URL sqlite: needs a file name");
		return STORE_ERR;
	}
	if (sq_make_parent(path) == -1)
		return store_fail(e, STORE_ERR, true, "cannot create the "
		    "folder of %s: %s", path, strerror(errno));

	c = xcalloc(1, sizeof(*c));
	store_cache_init(&c->cache);
	code = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, sq_vfs);
	if (code != SQLITE_OK) {
		rc = store_fail(e, STORE_ERR, true, "cannot open %s: %s",
		    path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(code));
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, busy_ms > 0 ? busy_ms : 0);
	c->busy_ms = busy_ms > 0 ? busy_ms : 0;

	if ((rc = sq_set_wal(c, e)) != STORE_OK)
		goto fail;
	code = sqlite3_exec(c->db, "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA mmap_size=" SQ_MMAP_BYTES ";", NULL, NULL, NULL);
	if (code != SQLITE_OK) {
		rc = sq_fail(c, code, "cannot set up the store", e);
		goto fail;
	}

	*out = &c->base;
	return STORE_OK;

fail:
	sq_disconnect(&c->base);
	return rc;
}

/* Finalises one cached statement (a store_cache_release callback). */
static void
sq_stmt_free(void *value, void *arg)
{
	struct sq_stmt	*s = value;

	(void)arg;
	sqlite3_finalize(s->stmt);
	free(s);
}

static void
sq_disconnect(struct store_conn *base)
{
	struct sq_conn	*c = (struct sq_conn *)base;

	store_cache_release(&c->cache, sq_stmt_free, NULL);
	sqlite3_close(c->db);
	free(c);
}

static enum store_rc
sq_check(struct store_conn *base, struct err *e)
{
	(void)base;
	(void)e;
	return STORE_OK;
}

static bool
sq_in_tx(struct store_conn *base)
{
	struct sq_conn	*c = (struct sq_conn *)base;

	return sqlite3_get_autocommit(c->db) == 0;
}

/* Takes the process's writer mutex for c, waiting at most the busy
 * timeout, as SQLite would wait for its lock. */
static enum store_rc
sq_writer_take(struct sq_conn *c, struct err *e)
{
	struct timespec	until;
	int		rc;

	if (c->writer)
		return STORE_OK;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += c->busy_ms / 1000;
	until.tv_nsec += (long)(c->busy_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	rc = c->busy_ms > 0 ? pthread_mutex_timedlock(&sq_writer_mu, &until) :
	    pthread_mutex_trylock(&sq_writer_mu);
	if (rc != 0)
		return store_fail(e, STORE_BUSY, false, "another writer held "
		    "the store for %d ms", c->busy_ms);
	c->writer = true;
	return STORE_OK;
}

/* Gives the writer mutex back once c has no transaction open. */
static void
sq_writer_drop(struct sq_conn *c)
{
	if (!c->writer || sqlite3_get_autocommit(c->db) == 0)
		return;
	c->writer = false;
	pthread_mutex_unlock(&sq_writer_mu);
}

/* Whether running s outside a transaction writes (and so needs the
 * writer mutex for the statement's own transaction). */
static bool
sq_autocommit_write(struct sq_conn *c, const struct sq_stmt *s)
{
	return sqlite3_get_autocommit(c->db) != 0 &&
	    !sqlite3_stmt_readonly(s->stmt);
}

/* Hands a statement back: a cached one is reset for its next use (so it
 * holds no read snapshot), an uncached one is finalised. */
static void
sq_done(struct sq_stmt *s)
{
	if (!s->cached) {
		sq_stmt_free(s, NULL);
		return;
	}
	sqlite3_reset(s->stmt);
	sqlite3_clear_bindings(s->stmt);
	s->busy = false;
}

/* True if tail, what follows a prepared statement, holds another one
 * (rather than nothing, semicolons or comments). */
static bool
sq_more_sql(struct sq_conn *c, const char *tail)
{
	sqlite3_stmt	*stmt = NULL;
	int		 code;

	tail += strspn(tail, " \t\r\n;");
	if (*tail == '\0')
		return false;
	code = sqlite3_prepare_v2(c->db, tail, -1, &stmt, NULL);
	sqlite3_finalize(stmt);
	return code != SQLITE_OK || stmt != NULL;
}

/* Compiles sql (already in ?N form) into a new statement. */
static enum store_rc
sq_compile(struct sq_conn *c, const char *sql, const char *text,
    bool persistent, struct sq_stmt **out, struct err *e)
{
	sqlite3_stmt	*stmt;
	const char	*tail;
	int		 code;

	code = sqlite3_prepare_v3(c->db, text, -1,
	    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
	if (code != SQLITE_OK)
		return sq_fail(c, code, "cannot prepare a statement", e);

	if (stmt == NULL || sq_more_sql(c, tail)) {
		sqlite3_finalize(stmt);
		return store_fail(e, STORE_ERR, false, "the SQL must hold "
		    "exactly one statement: %.80s", sql);
	}

	*out = xcalloc(1, sizeof(**out));
	(*out)->stmt = stmt;
	return STORE_OK;
}

/* Finds or prepares the statement for sql and marks it busy. */
static enum store_rc
sq_prepare(struct sq_conn *c, const char *sql, struct sq_stmt **out,
    struct err *e)
{
	struct sq_stmt	*s;
	char		*text;
	enum store_rc	 rc;
	bool		 reuse;
	int		 n;

	s = store_cache_get(&c->cache, sql);
	if (s != NULL && !s->busy)
		goto out_busy;
	reuse = s == NULL;

	if ((n = store_sql_params(sql, '?', &text)) < 0)
		return store_fail(e, STORE_ERR, false, "bad $N placeholder "
		    "in: %.80s", sql);
	rc = sq_compile(c, sql, text, reuse, &s, e);
	free(text);
	if (rc != STORE_OK)
		return rc;
	s->nparams = n;
	s->cached = reuse && store_cache_put(&c->cache, sql, s) == 0;

out_busy:
	s->busy = true;
	*out = s;
	return STORE_OK;
}

/* Binds p to s; checks that the count matches the placeholders.  Texts
 * are copied unless SQLite may borrow them: an SP_TN's, or any when whole
 * is true (the statement runs to its end before the caller goes on). */
static enum store_rc
sq_bind(struct sq_conn *c, struct sq_stmt *s, const struct store_param *p,
    int np, bool whole, struct err *e)
{
	int	i, code = SQLITE_OK;

	if (np != s->nparams)
		return store_fail(e, STORE_ERR, false, "the statement takes "
		    "%d parameters, %d given", s->nparams, np);

	for (i = 0; i < np && code == SQLITE_OK; i++) {
		switch (p[i].type) {
		case SP_NULL:
			code = sqlite3_bind_null(s->stmt, i + 1);
			break;
		case SP_TEXT:
			code = sqlite3_bind_text(s->stmt, i + 1, p[i].text,
			    p[i].len > 0 ? (int)p[i].len : -1,
			    whole || p[i].len > 0 ? SQLITE_STATIC :
			    SQLITE_TRANSIENT);
			break;
		case SP_INT:
			code = sqlite3_bind_int64(s->stmt, i + 1, p[i].i);
			break;
		}
	}
	if (code != SQLITE_OK)
		return sq_fail(c, code, "cannot bind a parameter", e);
	return STORE_OK;
}

/* Prepares and binds (whole as sq_bind takes it); on failure nothing
 * stays busy. */
static enum store_rc
sq_start(struct sq_conn *c, const char *sql, const struct store_param *p,
    int np, bool whole, struct sq_stmt **out, struct err *e)
{
	enum store_rc	rc;

	if ((rc = sq_prepare(c, sql, out, e)) != STORE_OK)
		return rc;
	if ((rc = sq_bind(c, *out, p, np, whole, e)) != STORE_OK) {
		sq_done(*out);
		*out = NULL;
	}
	return rc;
}

static enum store_rc
sq_exec(struct store_conn *base, const char *sql, const struct store_param *p,
    int np, int64_t *changes, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	struct sq_stmt	*s;
	enum store_rc	 rc = STORE_OK;
	int64_t		 before;
	int		 code;

	if ((rc = sq_start(c, sql, p, np, true, &s, e)) != STORE_OK)
		return rc;
	if (sq_autocommit_write(c, s) &&
	    (rc = sq_writer_take(c, e)) != STORE_OK) {
		sq_done(s);
		return rc;
	}

	before = sqlite3_total_changes(c->db);
	while ((code = sqlite3_step(s->stmt)) == SQLITE_ROW)
		continue;
	if (code != SQLITE_DONE)
		rc = sq_fail(c, code, "statement failed", e);
	else if (changes != NULL && sqlite3_total_changes(c->db) != before)
		*changes = sqlite3_changes(c->db);

	sq_done(s);
	sq_writer_drop(c);
	return rc;
}

static enum store_rc
sq_query(struct store_conn *base, const char *sql,
    const struct store_param *p, int np, struct store_rows **out,
    struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	struct sq_rows	*r;
	struct sq_stmt	*s;
	enum store_rc	 rc;
	bool		 writer = false;
	int		 code;

	if ((rc = sq_start(c, sql, p, np, false, &s, e)) != STORE_OK)
		return rc;
	if (sq_autocommit_write(c, s)) {
		if ((rc = sq_writer_take(c, e)) != STORE_OK) {
			sq_done(s);
			return rc;
		}
		writer = true;
	}

	/* Step once here, so that a failure (a busy lock, a constraint hit
	 * by INSERT ... RETURNING) is this call's result. */
	code = sqlite3_step(s->stmt);
	if (code != SQLITE_ROW && code != SQLITE_DONE) {
		rc = sq_fail(c, code, "query failed", e);
		sq_done(s);
		if (writer)
			sq_writer_drop(c);
		return rc;
	}

	r = xcalloc(1, sizeof(*r));
	r->base.ncols = sqlite3_column_count(s->stmt);
	r->pending = code == SQLITE_ROW;
	r->s = s;
	r->writer = writer;
	if (!r->pending) {
		sq_done(s);
		r->s = NULL;
		if (writer)
			sq_writer_drop(c);
		r->writer = false;
	}
	*out = &r->base;
	return STORE_OK;
}

static bool
sq_rows_next(struct store_rows *base)
{
	struct sq_rows	*r = (struct sq_rows *)base;
	struct sq_conn	*c = (struct sq_conn *)base->conn;
	int		 code;

	if (r->pending) {
		r->pending = false;
		return true;
	}
	if (r->s == NULL)
		return false;

	if ((code = sqlite3_step(r->s->stmt)) == SQLITE_ROW)
		return true;
	if (code != SQLITE_DONE)
		base->rc = sq_fail(c, code, "reading rows failed", &base->err);
	sq_done(r->s);
	r->s = NULL;
	if (r->writer) {
		r->writer = false;
		sq_writer_drop(c);
	}
	return false;
}

static bool
sq_rows_null(const struct store_rows *base, int col)
{
	const struct sq_rows	*r = (const struct sq_rows *)base;

	assert(r->s != NULL);
	return sqlite3_column_type(r->s->stmt, col) == SQLITE_NULL;
}

static const char *
sq_rows_text(const struct store_rows *base, int col)
{
	const struct sq_rows	*r = (const struct sq_rows *)base;
	const unsigned char	*t;

	assert(r->s != NULL);
	t = sqlite3_column_text(r->s->stmt, col);
	return t != NULL ? (const char *)t : "";
}

/* sqlite3_column_bytes after sqlite3_column_text gives the text's
 * length, NUL not counted. */
static size_t
sq_rows_len(const struct store_rows *base, int col)
{
	const struct sq_rows	*r = (const struct sq_rows *)base;

	assert(r->s != NULL);
	return (size_t)sqlite3_column_bytes(r->s->stmt, col);
}

static int64_t
sq_rows_int(const struct store_rows *base, int col)
{
	const struct sq_rows	*r = (const struct sq_rows *)base;

	assert(r->s != NULL);
	return sqlite3_column_int64(r->s->stmt, col);
}

static void
sq_rows_free(struct store_rows *base)
{
	struct sq_rows	*r = (struct sq_rows *)base;

	if (r->s != NULL)
		sq_done(r->s);
	if (r->writer)
		sq_writer_drop((struct sq_conn *)base->conn);
	free(r);
}

static enum store_rc
sq_begin(struct store_conn *base, bool write, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	enum store_rc	 rc;

	if (!write)
		return sq_exec(base, "BEGIN DEFERRED", NULL, 0, NULL, e);
	if ((rc = sq_writer_take(c, e)) != STORE_OK)
		return rc;
	rc = sq_exec(base, "BEGIN IMMEDIATE", NULL, 0, NULL, e);
	sq_writer_drop(c);
	return rc;
}

static enum store_rc
sq_commit(struct store_conn *base, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	enum store_rc	 rc;

	rc = sq_exec(base, "COMMIT", NULL, 0, NULL, e);
	sq_writer_drop(c);
	return rc;
}

/* The WAL hook of a lazy commit: notes the log's size in pages. */
static int
sq_wal_note(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	*(int *)arg = pages;
	return SQLITE_OK;
}

/* SQLite runs its checkpoint from a hook called after each commit; the
 * lazy commit swaps that hook for one that only notes the log's size,
 * then puts the default back. */
static enum store_rc
sq_commit_lazy(struct store_conn *base, bool *due, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	enum store_rc	 rc;
	int		 pages = 0;

	sqlite3_wal_hook(c->db, sq_wal_note, &pages);
	rc = sq_commit(base, e);
	sqlite3_wal_autocheckpoint(c->db, SQ_CHECKPOINT_PAGES);
	*due = rc == STORE_OK && pages >= SQ_CHECKPOINT_PAGES;
	return rc;
}

static enum store_rc
sq_checkpoint(struct store_conn *base, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	int		 code;

	code = sqlite3_wal_checkpoint_v2(c->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (code != SQLITE_OK)
		return sq_fail(c, code, "checkpoint failed", e);
	return STORE_OK;
}

static void
sq_rollback(struct store_conn *base)
{
	struct sq_conn	*c = (struct sq_conn *)base;

	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	sq_writer_drop(c);
}

static enum store_rc
sq_script(struct store_conn *base, const char *sql, struct err *e)
{
	struct sq_conn	*c = (struct sq_conn *)base;
	int		 code;

	code = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (code != SQLITE_OK)
		return sq_fail(c, code, "script failed", e);
	return STORE_OK;
}

static enum store_rc
sq_lock_schema(struct store_conn *c, struct err *e)
{
	(void)c;
	(void)e;
	return STORE_OK;
}

const struct store_ops store_sqlite_ops = {
	.name		= "sqlite",
	.kind		= STORE_SQLITE,
	.connect	= sq_connect,
	.disconnect	= sq_disconnect,
	.check		= sq_check,
	.in_tx		= sq_in_tx,
	.begin		= sq_begin,
	.commit		= sq_commit,
	.commit_lazy	= sq_commit_lazy,
	.checkpoint	= sq_checkpoint,
	.rollback	= sq_rollback,
	.exec		= sq_exec,
	.query		= sq_query,
	.rows_next	= sq_rows_next,
	.rows_null	= sq_rows_null,
	.rows_text	= sq_rows_text,
	.rows_len	= sq_rows_len,
	.rows_int	= sq_rows_int,
	.rows_free	= sq_rows_free,
	.script		= sq_script,
	.lock_schema	= sq_lock_schema,
};
