/*
 * pg.c - the PostgreSQL backend, through libpq.
 *
 * Each pooled connection prepares a statement once per SQL text (PQprepare,
 * remembered by name) and then runs it with text parameters.  A connection
 * found broken before it is lent is reset, and its statements are prepared
 * again.  SQLSTATEs map to store results here and nowhere else.  Server
 * notices are swallowed: this folder never logs.
 */
#include <assert.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "core/xmalloc.h"
#include "store/backend.h"
#include "store/store.h"

/* The advisory lock key that serialises migrations ("tobm" in ASCII). */
#define PG_MIGRATE_LOCK		"1953456749"

/* Seconds to wait for the server when connecting. */
#define PG_CONNECT_TIMEOUT	"10"

struct pg_stmt {
	char	name[24];	/* "" for the unnamed statement (not cached) */
	int	nparams;
};

struct pg_conn {
	struct store_conn	 base;	/* first: pointers convert */
	PGconn			*pg;
	struct store_cache	 cache;
	unsigned int		 next_id;
};

struct pg_rows {
	struct store_rows	 base;	/* first: pointers convert */
	PGresult		*res;
	int			 row;	/* -1 before the first */
	int			 nrows;
};

/* Copies libpq's connection message without its trailing newline. */
static void
pg_conn_message(struct pg_conn *c, char *out, size_t n)
{
	size_t	len;

	snprintf(out, n, "%s", PQerrorMessage(c->pg));
	len = strlen(out);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	if (len == 0)
		snprintf(out, n, "connection failed");
}

/* True if the SQLSTATE says the server or the link went away. */
static bool
pg_state_down(const char *state)
{
	return strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0;
}

/* Maps a failed result (res may be NULL) to a store result and fills e. */
static enum store_rc
pg_fail(struct pg_conn *c, const PGresult *res, const char *what,
    struct err *e)
{
	const char	*state = NULL, *msg = NULL;
	char		 buf[256];
	enum store_rc	 rc = STORE_ERR;
	bool		 down;

	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	}
	if (msg == NULL) {
		pg_conn_message(c, buf, sizeof(buf));
		msg = buf;
	}
	if (state == NULL)
		state = "";
	down = PQstatus(c->pg) == CONNECTION_BAD || pg_state_down(state);

	if (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0)
		rc = STORE_CONFLICT;
	else if (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		rc = STORE_BUSY;

	if (state[0] == '\0')
		return store_fail(e, rc, down, "%s: %s", what, msg);
	return store_fail(e, rc, down, "%s: %s (SQLSTATE %s)", what, msg,
	    state);
}

/* Does nothing: notices (such as "already exists, skipping") are not
 * errors, and store/ never writes to stderr. */
static void
pg_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Frees one cached statement (a store_cache_release callback). */
static void
pg_stmt_free(void *value, void *arg)
{
	(void)arg;
	free(value);
}

static void
pg_disconnect(struct store_conn *base)
{
	struct pg_conn	*c = (struct pg_conn *)base;

	store_cache_release(&c->cache, pg_stmt_free, NULL);
	PQfinish(c->pg);
	free(c);
}

static enum store_rc
pg_connect(const char *url, int busy_ms, struct store_conn **out,
    struct err *e)
{
	static const char *const keys[] = { "connect_timeout",
	    "application_name", "client_encoding", "dbname", NULL };
	const char	*values[] = { PG_CONNECT_TIMEOUT, "tobmen", "UTF8",
			    url, NULL };
	struct pg_conn	*c;
	char		 msg[256];

	(void)busy_ms;
	*out = NULL;
	c = xcalloc(1, sizeof(*c));
	store_cache_init(&c->cache);

	/* The URL comes last so that what it says wins over our defaults. */
	c->pg = PQconnectdbParams(keys, values, 1);
	if (c->pg == NULL)
		abort();
	if (PQstatus(c->pg) != CONNECTION_OK) {
		pg_conn_message(c, msg, sizeof(msg));
		pg_disconnect(&c->base);
		return store_fail(e, STORE_ERR, true, "cannot connect to "
		    "PostgreSQL: %s", msg);
	}
	PQsetNoticeProcessor(c->pg, pg_notice_ignore, NULL);

	*out = &c->base;
	return STORE_OK;
}

/* Reconnects a broken connection; its prepared statements are gone. */
static enum store_rc
pg_reset(struct pg_conn *c, struct err *e)
{
	char	msg[256];

	store_cache_release(&c->cache, pg_stmt_free, NULL);
	PQreset(c->pg);
	if (PQstatus(c->pg) == CONNECTION_OK)
		return STORE_OK;

	pg_conn_message(c, msg, sizeof(msg));
	return store_fail(e, STORE_ERR, true, "cannot reconnect to "
	    "PostgreSQL: %s", msg);
}

/* True if the idle connection's socket has something to read: a notice,
 * or a server's goodbye followed by the end of the stream. */
static bool
pg_readable(struct pg_conn *c)
{
	struct pollfd	pfd = { .fd = PQsocket(c->pg), .events = POLLIN };

	return pfd.fd >= 0 && poll(&pfd, 1, 0) > 0;
}

static enum store_rc
pg_check(struct store_conn *base, struct err *e)
{
	struct pg_conn	*c = (struct pg_conn *)base;
	int		 i;

	/* An idle connection has nothing to read unless the server spoke
	 * first, typically to say it is closing the link.  Read until the
	 * socket is quiet or libpq has seen the end of the stream. */
	for (i = 0; i < 4 && PQstatus(c->pg) == CONNECTION_OK; i++) {
		if (!pg_readable(c))
			break;
		PQconsumeInput(c->pg);
	}
	if (PQstatus(c->pg) == CONNECTION_OK)
		return STORE_OK;
	return pg_reset(c, e);
}

static bool
pg_in_tx(struct store_conn *base)
{
	struct pg_conn		*c = (struct pg_conn *)base;
	PGTransactionStatusType	 ts = PQtransactionStatus(c->pg);

	return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
}

/* Runs parameterless SQL; what names it in an error message. */
static enum store_rc
pg_simple(struct pg_conn *c, const char *sql, const char *what,
    struct err *e)
{
	PGresult	*res;
	enum store_rc	 rc = STORE_OK;
	ExecStatusType	 st;

	res = PQexec(c->pg, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_fail(c, res, what, e);
	PQclear(res);
	return rc;
}

static enum store_rc
pg_begin(struct store_conn *base, bool write, struct err *e)
{
	struct pg_conn	*c = (struct pg_conn *)base;
	enum store_rc	 rc;

	(void)write;
	rc = pg_simple(c, "BEGIN", "BEGIN", e);

	/* Nothing ran yet, so a link that broke is worth one new try. */
	if (rc != STORE_OK && PQstatus(c->pg) == CONNECTION_BAD &&
	    pg_reset(c, e) == STORE_OK)
		rc = pg_simple(c, "BEGIN", "BEGIN", e);
	return rc;
}

static enum store_rc
pg_commit(struct store_conn *base, struct err *e)
{
	struct pg_conn	*c = (struct pg_conn *)base;
	PGresult	*res;
	enum store_rc	 rc = STORE_OK;

	res = PQexec(c->pg, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(c, res, "COMMIT", e);
	else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		rc = store_fail(e, STORE_ERR, false, "the transaction was "
		    "rolled back because a statement in it had failed");
	PQclear(res);
	return rc;
}

static void
pg_rollback(struct store_conn *base)
{
	struct pg_conn	*c = (struct pg_conn *)base;

	if (pg_in_tx(base))
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* Finds or prepares the statement for sql.  An uncached one (the cache is
 * full) is the unnamed statement and is freed by the caller. */
static enum store_rc
pg_prepare(struct pg_conn *c, const char *sql, struct pg_stmt **out,
    bool *cached, struct err *e)
{
	struct pg_stmt	*s;
	PGresult	*res;
	enum store_rc	 rc = STORE_OK;
	int		 n, put;

	if ((*out = store_cache_get(&c->cache, sql)) != NULL) {
		*cached = true;
		return STORE_OK;
	}
	if ((n = store_sql_params(sql, '$', NULL)) < 0)
		return store_fail(e, STORE_ERR, false, "bad $N placeholder "
		    "in: %.80s", sql);

	s = xcalloc(1, sizeof(*s));
	s->nparams = n;
	*cached = c->cache.n < STORE_CACHE_MAX;
	if (*cached)
		snprintf(s->name, sizeof(s->name), "tobmen_%u",
		    ++c->next_id);

	res = PQprepare(c->pg, s->name, sql, n, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = pg_fail(c, res, "cannot prepare a statement", e);
		free(s);
		goto out_res;
	}
	if (*cached) {
		put = store_cache_put(&c->cache, sql, s);
		assert(put == 0);
		(void)put;
	}
	*out = s;

out_res:
	PQclear(res);
	return rc;
}

/* Prepares sql and runs it with p; *res gets a result of either kind. */
static enum store_rc
pg_run(struct pg_conn *c, const char *sql, const struct store_param *p,
    int np, PGresult **res, struct err *e)
{
	struct pg_stmt	*s;
	const char	**values = NULL;
	char		(*nums)[24] = NULL;
	enum store_rc	 rc;
	bool		 cached;
	int		 i;

	*res = NULL;
	if ((rc = pg_prepare(c, sql, &s, &cached, e)) != STORE_OK)
		return rc;
	if (np != s->nparams) {
		rc = store_fail(e, STORE_ERR, false, "the statement takes "
		    "%d parameters, %d given", s->nparams, np);
		goto out_stmt;
	}

	if (np > 0) {
		values = xcalloc((size_t)np, sizeof(*values));
		nums = xcalloc((size_t)np, sizeof(*nums));
	}
	for (i = 0; i < np; i++) {
		if (p[i].type == SP_TEXT)
			values[i] = p[i].text;
		else if (p[i].type == SP_INT) {
			snprintf(nums[i], sizeof(nums[i]), "%" PRId64,
			    p[i].i);
			values[i] = nums[i];
		}
	}
	*res = PQexecPrepared(c->pg, s->name, np, values, NULL, NULL, 0);
	free(nums);
	free(values);

out_stmt:
	if (!cached)
		free(s);
	return rc;
}

static enum store_rc
pg_exec(struct store_conn *base, const char *sql, const struct store_param *p,
    int np, int64_t *changes, struct err *e)
{
	struct pg_conn	*c = (struct pg_conn *)base;
	PGresult	*res;
	enum store_rc	 rc;
	ExecStatusType	 st;

	if ((rc = pg_run(c, sql, p, np, &res, e)) != STORE_OK)
		return rc;

	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_fail(c, res, "statement failed", e);
	else if (changes != NULL)
		*changes = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return rc;
}

static enum store_rc
pg_query(struct store_conn *base, const char *sql,
    const struct store_param *p, int np, struct store_rows **out,
    struct err *e)
{
	struct pg_conn	*c = (struct pg_conn *)base;
	struct pg_rows	*r;
	PGresult	*res;
	enum store_rc	 rc;
	ExecStatusType	 st;

	if ((rc = pg_run(c, sql, p, np, &res, e)) != STORE_OK)
		return rc;

	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = pg_fail(c, res, "query failed", e);
		PQclear(res);
		return rc;
	}

	r = xcalloc(1, sizeof(*r));
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	r->base.ncols = PQnfields(res);
	*out = &r->base;
	return STORE_OK;
}

static bool
pg_rows_next(struct store_rows *base)
{
	struct pg_rows	*r = (struct pg_rows *)base;

	if (r->row + 1 >= r->nrows) {
		r->row = r->nrows;
		return false;
	}
	r->row++;
	return true;
}

static bool
pg_rows_null(const struct store_rows *base, int col)
{
	const struct pg_rows	*r = (const struct pg_rows *)base;

	assert(r->row >= 0 && r->row < r->nrows);
	return PQgetisnull(r->res, r->row, col) != 0;
}

static const char *
pg_rows_text(const struct store_rows *base, int col)
{
	const struct pg_rows	*r = (const struct pg_rows *)base;

	assert(r->row >= 0 && r->row < r->nrows);
	return PQgetvalue(r->res, r->row, col);
}

static size_t
pg_rows_len(const struct store_rows *base, int col)
{
	const struct pg_rows	*r = (const struct pg_rows *)base;

	assert(r->row >= 0 && r->row < r->nrows);
	return (size_t)PQgetlength(r->res, r->row, col);
}

static int64_t
pg_rows_int(const struct store_rows *base, int col)
{
	const char	*v = pg_rows_text(base, col);

	/* A boolean expression comes back as t or f. */
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static void
pg_rows_free(struct store_rows *base)
{
	struct pg_rows	*r = (struct pg_rows *)base;

	PQclear(r->res);
	free(r);
}

static enum store_rc
pg_script(struct store_conn *base, const char *sql, struct err *e)
{
	return pg_simple((struct pg_conn *)base, sql, "script failed", e);
}

static enum store_rc
pg_lock_schema(struct store_conn *base, struct err *e)
{
	assert(pg_in_tx(base));
	return pg_simple((struct pg_conn *)base,
	    "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")",
	    "cannot take the migration lock", e);
}

const struct store_ops store_pg_ops = {
	.name		= "postgres",
	.kind		= STORE_POSTGRES,
	.connect	= pg_connect,
	.disconnect	= pg_disconnect,
	.check		= pg_check,
	.in_tx		= pg_in_tx,
	.begin		= pg_begin,
	.commit		= pg_commit,
	.rollback	= pg_rollback,
	.exec		= pg_exec,
	.query		= pg_query,
	.rows_next	= pg_rows_next,
	.rows_null	= pg_rows_null,
	.rows_text	= pg_rows_text,
	.rows_len	= pg_rows_len,
	.rows_int	= pg_rows_int,
	.rows_free	= pg_rows_free,
	.script		= pg_script,
	.lock_schema	= pg_lock_schema,
};
