/*
 * store.c - the connection pool and the dispatch to a backend.
 *
 * Owns struct store: the backend's ops table, every connection, and the
 * idle list that store_acquire waits on.  Knows no SQL dialect; everything
 * backend-specific goes through struct store_ops.  Also holds the helpers
 * both backends share: error filling, $N scanning, the statement cache.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/metrics.h"
#include "core/xmalloc.h"
#include "store/backend.h"
#include "store/store.h"

/* How long store_ping waits for a free connection if busy_ms is 0. */
#define STORE_PING_WAIT_MS	5000

struct store {
	const struct store_ops	 *ops;
	int			  busy_ms;
	pthread_mutex_t		  mu;
	pthread_cond_t		  cv;	/* signalled when one turns idle */
	int			  n;
	struct store_conn	**conns;
	struct store_conn	**idle;	/* a stack of n slots */
	int			  nidle;
};

struct store_cache_entry {
	struct store_cache_entry	*next;
	uint64_t			 hash;
	size_t				 len;
	char				*sql;
	void				*value;
};

#define STORE_CACHE_SLOTS	256

enum store_rc
store_fail(struct err *e, enum store_rc rc, bool down, const char *fmt, ...)
{
	char		msg[sizeof(e->msg)];
	va_list		ap;

	assert(rc != STORE_OK);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (down)
		err_set(e, ERR_UNAVAILABLE, "store_unavailable", NULL, "%s",
		    msg);
	else if (rc == STORE_CONFLICT)
		err_set(e, ERR_CONFLICT, "conflict", NULL, "%s", msg);
	else if (rc == STORE_BUSY)
		err_set(e, ERR_UNAVAILABLE, "store_busy", NULL, "%s", msg);
	else
		err_set(e, ERR_INTERNAL, "store_error", NULL, "%s", msg);

	if (rc != STORE_CONFLICT)
		metrics_store_error();
	return rc;
}

/* Returns the length of the quoted run starting at s (s[0] is the quote
 * character; a doubled quote stands for itself). */
static size_t
sql_skip_quoted(const char *s)
{
	char	q = s[0];
	size_t	i = 1;

	for (;;) {
		if (s[i] == '\0')
			return i;
		if (s[i] == q && s[i + 1] == q) {
			i += 2;
			continue;
		}
		if (s[i] == q)
			return i + 1;
		i++;
	}
}

/* Returns the length of the comment starting at s, or 0 if none does. */
static size_t
sql_skip_comment(const char *s)
{
	const char	*end;

	if (s[0] == '-' && s[1] == '-') {
		end = strchr(s, '\n');
		return end != NULL ? (size_t)(end - s) : strlen(s);
	}
	if (s[0] == '/' && s[1] == '*') {
		end = strstr(s + 2, "*/");
		return end != NULL ? (size_t)(end - s) + 2 : strlen(s);
	}
	return 0;
}

int
store_sql_params(const char *sql, char c, char **out)
{
	char	*copy = NULL;
	size_t	 i = 0, skip;
	int	 max = 0, n;

	if (out != NULL)
		copy = xstrdup(sql);

	while (sql[i] != '\0') {
		if (sql[i] == '\'' || sql[i] == '"') {
			i += sql_skip_quoted(sql + i);
			continue;
		}
		if ((skip = sql_skip_comment(sql + i)) != 0) {
			i += skip;
			continue;
		}
		if (sql[i] != '$' || sql[i + 1] < '0' || sql[i + 1] > '9') {
			i++;
			continue;
		}

		if (copy != NULL)
			copy[i] = c;
		n = 0;
		for (i++; sql[i] >= '0' && sql[i] <= '9'; i++) {
			n = n * 10 + (sql[i] - '0');
			if (n > 999)
				goto fail;
		}
		if (n == 0)
			goto fail;
		if (n > max)
			max = n;
	}

	if (out != NULL)
		*out = copy;
	return max;

fail:
	free(copy);
	return -1;
}

/* Hashes the n bytes of an SQL text eight at a time: a statement is
 * looked up on every query, and its text can be long. */
static uint64_t
cache_hash(const char *s, size_t n)
{
	uint64_t	h = n * 0x9e3779b97f4a7c15u, w;
	size_t		i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	return h ^ (h >> 29);
}

void
store_cache_init(struct store_cache *sc)
{
	sc->slots = NULL;
	sc->nslots = 0;
	sc->n = 0;
}

void *
store_cache_get(const struct store_cache *sc, const char *sql)
{
	struct store_cache_entry	*ce;
	uint64_t			 h;
	size_t				 n;

	if (sc->slots == NULL)
		return NULL;

	n = strlen(sql);
	h = cache_hash(sql, n);
	for (ce = sc->slots[h % sc->nslots]; ce != NULL; ce = ce->next) {
		if (ce->hash == h && ce->len == n &&
		    memcmp(ce->sql, sql, n) == 0)
			return ce->value;
	}
	return NULL;
}

int
store_cache_put(struct store_cache *sc, const char *sql, void *value)
{
	struct store_cache_entry	*ce;
	size_t				 slot;

	if (sc->n >= STORE_CACHE_MAX)
		return -1;
	if (sc->slots == NULL) {
		sc->nslots = STORE_CACHE_SLOTS;
		sc->slots = xcalloc(sc->nslots, sizeof(*sc->slots));
	}

	ce = xmalloc(sizeof(*ce));
	ce->len = strlen(sql);
	ce->hash = cache_hash(sql, ce->len);
	ce->sql = xstrdup(sql);
	ce->value = value;
	slot = ce->hash % sc->nslots;
	ce->next = sc->slots[slot];
	sc->slots[slot] = ce;
	sc->n++;
	return 0;
}

void
store_cache_release(struct store_cache *sc,
    void (*free_value)(void *value, void *arg), void *arg)
{
	struct store_cache_entry	*ce, *next;
	size_t				 i;

	for (i = 0; i < sc->nslots; i++) {
		for (ce = sc->slots[i]; ce != NULL; ce = next) {
			next = ce->next;
			free_value(ce->value, arg);
			free(ce->sql);
			free(ce);
		}
	}
	free(sc->slots);
	store_cache_init(sc);
}

/* Picks the backend for url and sets *target to the part it reads. */
static const struct store_ops *
store_pick(const char *url, const char **target)
{
	if (strncmp(url, "sqlite://", 9) == 0) {
		*target = url + 9;
		return &store_sqlite_ops;
	}
	if (strncmp(url, "sqlite:", 7) == 0) {
		*target = url + 7;
		return &store_sqlite_ops;
	}
	if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0) {
		*target = url;
		return &store_pg_ops;
	}
	return NULL;
}

/* Frees st and the connections it holds (conns[0..n-1]). */
static void
store_free(struct store *st)
{
	int	i;

	for (i = 0; i < st->n; i++)
		st->ops->disconnect(st->conns[i]);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free(st->idle);
	free(st->conns);
	free(st);
}

/* Prepares the lock and the condition (on the monotonic clock). */
static void
store_init_sync(struct store *st)
{
	pthread_condattr_t	ca;

	pthread_mutex_init(&st->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->cv, &ca);
	pthread_condattr_destroy(&ca);
}

enum store_rc
store_open(const char *url, int pool, int busy_ms, struct store **out,
    struct err *e)
{
	const struct store_ops	*ops;
	const char		*target;
	struct store		*st;
	struct store_conn	*c;
	enum store_rc		 rc;

	*out = NULL;
	if (url == NULL || (ops = store_pick(url, &target)) == NULL) {
		err_set(e, ERR_INVALID, "bad_db_url", "db", "the store URL "
		    "must start with sqlite: or postgres://");
		return STORE_ERR;
	}
	if (pool < 1)
		pool = 1;

	st = xcalloc(1, sizeof(*st));
	st->ops = ops;
	st->busy_ms = busy_ms;
	st->conns = xcalloc((size_t)pool, sizeof(*st->conns));
	st->idle = xcalloc((size_t)pool, sizeof(*st->idle));
	store_init_sync(st);

	while (st->n < pool) {
		rc = ops->connect(target, busy_ms, &c, e);
		if (rc != STORE_OK) {
			store_free(st);
			return rc;
		}
		c->st = st;
		st->conns[st->n++] = c;
		st->idle[st->nidle++] = c;
	}

	*out = st;
	return STORE_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	assert(st->nidle == st->n);
	store_free(st);
}

enum store_kind
store_kind(const struct store *st)
{
	return st->ops->kind;
}

bool
store_conn_lazy(const struct store_conn *c)
{
	return c->st->ops->kind == STORE_SQLITE;
}

/* Returns c to the idle stack and wakes one waiter. */
static void
store_give_back(struct store_conn *c)
{
	struct store	*st = c->st;

	pthread_mutex_lock(&st->mu);
	assert(st->nidle < st->n);
	st->idle[st->nidle++] = c;
	pthread_cond_signal(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

/* Takes an idle connection, waiting at most wait_ms (forever if < 0).
 * Returns NULL if none turned idle in time. */
static struct store_conn *
store_take(struct store *st, int wait_ms)
{
	struct store_conn	*c = NULL;
	struct timespec		 until;
	int			 rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&st->mu);
	while (st->nidle == 0 && rc != ETIMEDOUT) {
		if (wait_ms < 0)
			pthread_cond_wait(&st->cv, &st->mu);
		else
			rc = pthread_cond_timedwait(&st->cv, &st->mu, &until);
	}
	if (st->nidle > 0)
		c = st->idle[--st->nidle];
	pthread_mutex_unlock(&st->mu);
	return c;
}

/* Takes a connection within wait_ms (forever if < 0) and makes sure it
 * works; see store_acquire. */
static enum store_rc
store_acquire_within(struct store *st, int wait_ms, struct store_conn **out,
    struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*out = NULL;
	if ((c = store_take(st, wait_ms)) == NULL)
		return store_fail(e, STORE_BUSY, false, "every store "
		    "connection stayed in use for %d ms", wait_ms);

	if ((rc = st->ops->check(c, e)) != STORE_OK) {
		store_give_back(c);
		return rc;
	}
	*out = c;
	return STORE_OK;
}

struct store_conn *
store_acquire(struct store *st, struct err *e)
{
	struct store_conn	*c;

	store_acquire_within(st, -1, &c, e);
	return c;
}

void
store_release(struct store_conn *c)
{
	if (c == NULL)
		return;
	assert(c->open_rows == 0);
	if (c->st->ops->in_tx(c))
		c->st->ops->rollback(c);
	store_give_back(c);
}

enum store_rc
store_ping(struct store *st, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;
	int64_t			 one;

	rc = store_acquire_within(st, st->busy_ms > 0 ? st->busy_ms :
	    STORE_PING_WAIT_MS, &c, e);
	if (rc != STORE_OK)
		return rc;

	rc = store_query_int(c, "SELECT 1", NULL, 0, &one, e);
	store_release(c);
	return rc;
}

enum store_rc
store_begin(struct store_conn *c, bool write, struct err *e)
{
	return c->st->ops->begin(c, write, e);
}

enum store_rc
store_commit(struct store_conn *c, struct err *e)
{
	return c->st->ops->commit(c, e);
}

enum store_rc
store_commit_lazy(struct store_conn *c, bool *due, struct err *e)
{
	*due = false;
	if (c->st->ops->commit_lazy == NULL)
		return c->st->ops->commit(c, e);
	return c->st->ops->commit_lazy(c, due, e);
}

enum store_rc
store_checkpoint(struct store *st, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	if (st->ops->checkpoint == NULL)
		return STORE_OK;
	if ((c = store_acquire(st, e)) == NULL)
		return STORE_ERR;
	rc = st->ops->checkpoint(c, e);
	store_release(c);
	return rc;
}

void
store_rollback(struct store_conn *c)
{
	c->st->ops->rollback(c);
}

enum store_rc
store_savepoint(struct store_conn *c, struct err *e)
{
	return c->st->ops->exec(c, "SAVEPOINT tobmen_sp", NULL, 0, NULL, e);
}

enum store_rc
store_savepoint_release(struct store_conn *c, struct err *e)
{
	return c->st->ops->exec(c, "RELEASE SAVEPOINT tobmen_sp", NULL, 0,
	    NULL, e);
}

enum store_rc
store_savepoint_rollback(struct store_conn *c, struct err *e)
{
	enum store_rc	rc;

	rc = c->st->ops->exec(c, "ROLLBACK TO SAVEPOINT tobmen_sp", NULL, 0,
	    NULL, e);
	if (rc != STORE_OK)
		return rc;
	return c->st->ops->exec(c, "RELEASE SAVEPOINT tobmen_sp", NULL, 0,
	    NULL, e);
}

enum store_rc
store_exec(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, int64_t *changes, struct err *e)
{
	if (changes != NULL)
		*changes = 0;
	return c->st->ops->exec(c, sql, p, np, changes, e);
}

enum store_rc
store_query(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct store_rows **out,
    struct err *e)
{
	enum store_rc	rc;

	*out = NULL;
	rc = c->st->ops->query(c, sql, p, np, out, e);
	if (rc == STORE_OK) {
		(*out)->conn = c;
		c->open_rows++;
	}
	return rc;
}

bool
store_rows_next(struct store_rows *r)
{
	if (r->rc != STORE_OK)
		return false;
	return r->conn->st->ops->rows_next(r);
}

enum store_rc
store_rows_rc(const struct store_rows *r, struct err *e)
{
	if (r->rc != STORE_OK && e != NULL)
		*e = r->err;
	return r->rc;
}

int
store_rows_ncols(const struct store_rows *r)
{
	return r->ncols;
}

bool
store_rows_null(const struct store_rows *r, int col)
{
	assert(col >= 0 && col < r->ncols);
	return r->conn->st->ops->rows_null(r, col);
}

const char *
store_rows_text(const struct store_rows *r, int col)
{
	assert(col >= 0 && col < r->ncols);
	return r->conn->st->ops->rows_text(r, col);
}

size_t
store_rows_len(const struct store_rows *r, int col)
{
	assert(col >= 0 && col < r->ncols);
	return r->conn->st->ops->rows_len(r, col);
}

int64_t
store_rows_int(const struct store_rows *r, int col)
{
	assert(col >= 0 && col < r->ncols);
	return r->conn->st->ops->rows_int(r, col);
}

void
store_rows_free(struct store_rows *r)
{
	struct store_conn	*c;

	if (r == NULL)
		return;
	c = r->conn;
	assert(c->open_rows > 0);
	c->open_rows--;
	c->st->ops->rows_free(r);
}

enum store_rc
store_query_int(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, int64_t *out, struct err *e)
{
	struct store_rows	*r;
	enum store_rc		 rc;

	if ((rc = store_query(c, sql, p, np, &r, e)) != STORE_OK)
		return rc;

	if (store_rows_next(r)) {
		*out = store_rows_int(r, 0);
		rc = STORE_OK;
	} else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		err_set(e, ERR_NOTFOUND, "not_found", NULL, "no row");
		rc = STORE_NOTFOUND;
	}

	store_rows_free(r);
	return rc;
}

void
store_rows_copy(const struct store_rows *r, int col, char *dst, size_t n)
{
	const char	*s = store_rows_text(r, col);
	size_t		 len;

	/* As snprintf "%s" would, without parsing a format for every
	 * column of every row; the backend knows the length already.  A
	 * text with a NUL inside still reads as what comes before it. */
	if (n == 0)
		return;
	len = store_rows_len(r, col);
	if (len > n - 1)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

enum store_rc
store_query_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np,
    void (*read)(const struct store_rows *r, void *out), void *out,
    const char *id, const char *msg, struct err *e)
{
	struct store_rows	*r;
	enum store_rc		 rc;

	if ((rc = store_query(c, sql, p, np, &r, e)) != STORE_OK)
		return rc;

	if (store_rows_next(r))
		read(r, out);
	else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, id, NULL, "%s", msg);
	}
	store_rows_free(r);
	return rc;
}

/* For migrate.c: runs a parameterless multi-statement script. */
enum store_rc
store_script(struct store_conn *c, const char *sql, struct err *e)
{
	return c->st->ops->script(c, sql, e);
}

/* For migrate.c: serialises migrators of the same store. */
enum store_rc
store_lock_schema(struct store_conn *c, struct err *e)
{
	return c->st->ops->lock_schema(c, e);
}
