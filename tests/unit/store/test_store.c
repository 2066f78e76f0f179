/*
 * test_store.c - the store interface on a real SQLite file and, when
 * TOBMEN_TEST_PG_URL (or TOBMEN_PG_URL) names a PostgreSQL database, on
 * PostgreSQL too.  Each test gets an empty store: a new file in a new
 * folder, or a new schema that is dropped afterwards.
 */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/xmalloc.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/store.h"

#define POOL	2
#define BUSY_MS	5000

struct fx {
	bool		 pg;
	char		 dir[64];	/* temporary folder */
	char		*url;		/* the store under test */
	char		*admin_url;	/* PG: the database as given */
	char		 schema[64];	/* PG: this test's own schema */
	struct store	*st;
};

static int	fx_serial;

/* Returns the PostgreSQL URL to test against, or NULL. */
static const char *
pg_url(void)
{
	const char	*url = getenv("TOBMEN_TEST_PG_URL");

	if (url == NULL || url[0] == '\0')
		url = getenv("TOBMEN_PG_URL");
	return url != NULL && url[0] != '\0' ? url : NULL;
}

/* Runs one statement on a short-lived store at url. */
static void
admin_exec(const char *url, const char *sql)
{
	struct store		*st;
	struct store_conn	*c;
	struct err		 e;

	assert_int_equal(store_open(url, 1, BUSY_MS, &st, &e), STORE_OK);
	c = store_acquire(st, &e);
	assert_non_null(c);
	if (store_exec(c, sql, NULL, 0, NULL, &e) != STORE_OK)
		fail_msg("%s: %s", sql, e.msg);
	store_release(c);
	store_close(st);
}

static int
setup_sqlite(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));
	struct err	 e;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tobmen-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->url = xasprintf("sqlite:%s/sub/folder/test.db", f->dir);
	if (store_open(f->url, POOL, BUSY_MS, &f->st, &e) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
setup_pg(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));
	const char	*base = pg_url();
	char		 sql[128];
	struct err	 e;

	f->pg = true;
	*state = f;
	if (base == NULL)
		return 0;

	snprintf(f->schema, sizeof(f->schema), "tobmen_unit_%d_%d",
	    (int)getpid(), ++fx_serial);
	f->admin_url = xstrdup(base);
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", f->schema);
	admin_exec(f->admin_url, sql);
	f->url = xasprintf("%s%coptions=-csearch_path%%3D%s", base,
	    strchr(base, '?') != NULL ? '&' : '?', f->schema);
	if (store_open(f->url, POOL, BUSY_MS, &f->st, &e) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* nftw callback removing one entry. */
static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 sql[128];

	store_close(f->st);
	if (f->pg && f->admin_url != NULL) {
		snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE",
		    f->schema);
		admin_exec(f->admin_url, sql);
	}
	if (f->dir[0] != '\0')
		nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f->admin_url);
	free(f->url);
	free(f);
	return 0;
}

/* Returns the fixture, skipping the test when there is no store. */
static struct fx *
fx_get(void **state)
{
	struct fx	*f = *state;

	if (f->st == NULL)
		skip();
	return f;
}

static struct store_conn *
acquire(struct store *st)
{
	struct store_conn	*c;
	struct err		 e;

	if ((c = store_acquire(st, &e)) == NULL)
		fail_msg("store_acquire: %s", e.msg);
	return c;
}

/* Runs sql, failing the test unless it succeeds. */
static void
exec_ok(struct store_conn *c, const char *sql, const struct store_param *p,
    int np)
{
	struct err	e;

	if (store_exec(c, sql, p, np, NULL, &e) != STORE_OK)
		fail_msg("%s: %s", sql, e.msg);
}

static int64_t
query_int(struct store_conn *c, const char *sql, const struct store_param *p,
    int np)
{
	struct err	e;
	int64_t		v = -1;

	if (store_query_int(c, sql, p, np, &v, &e) != STORE_OK)
		fail_msg("%s: %s", sql, e.msg);
	return v;
}

static void
migrate_ok(struct store *st)
{
	struct err	e;
	int		n;

	if (store_migrate(st, &n, &e) != STORE_OK)
		fail_msg("store_migrate: %s", e.msg);
}

/* The store opens, creating the folders above a SQLite file, with the
 * durability and mapping settings in force on every pooled connection. */
static void
test_open_settings(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c[POOL];
	struct store_rows	*r;
	struct err		 e;
	int			 i;

	if (f->pg) {
		assert_int_equal(store_kind(f->st), STORE_POSTGRES);
		return;
	}
	assert_int_equal(store_kind(f->st), STORE_SQLITE);
	for (i = 0; i < POOL; i++)
		c[i] = acquire(f->st);
	for (i = 0; i < POOL; i++) {
		assert_int_equal(store_query(c[i], "PRAGMA journal_mode", NULL,
		    0, &r, &e), STORE_OK);
		assert_true(store_rows_next(r));
		assert_string_equal(store_rows_text(r, 0), "wal");
		store_rows_free(r);
		assert_int_equal(query_int(c[i], "PRAGMA synchronous", NULL,
		    0), 2);
		assert_int_equal(query_int(c[i], "PRAGMA foreign_keys", NULL,
		    0), 1);
		/* mapped whole, through sqvfs: past SQLite's own 2 GiB */
		assert_int_equal(query_int(c[i], "PRAGMA mmap_size", NULL, 0),
		    (int64_t)1 << 40);
	}
	for (i = 0; i < POOL; i++)
		store_release(c[i]);
}

/* Opening fails cleanly for a bad URL and an unreachable server. */
static void
test_open_errors(void **state)
{
	struct store	*st = (struct store *)0x1;
	struct err	 e;

	(void)state;
	assert_int_equal(store_open("mysql://x", 1, 0, &st, &e), STORE_ERR);
	assert_null(st);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(store_open("sqlite:", 1, 0, &st, &e), STORE_ERR);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(store_open("postgres://127.0.0.1:1/none"
	    "?connect_timeout=2", 1, 0, &st, &e), STORE_ERR);
	assert_null(st);
	assert_int_equal(e.code, ERR_UNAVAILABLE);
}

/* A new store is at version 0 and fails the check; migrating brings it to
 * the latest version, and migrating again changes nothing. */
static void
test_migrate_twice(void **state)
{
	struct fx	*f = fx_get(state);
	struct err	 e;
	int		 version = -1, n = -1;

	assert_true(store_schema_latest() >= 1);
	assert_int_equal(store_schema_version(f->st, &version, &e), STORE_OK);
	assert_int_equal(version, 0);
	assert_int_equal(store_schema_check(f->st, &e), STORE_ERR);
	assert_non_null(strstr(e.msg, "run tobmen migrate"));

	assert_int_equal(store_migrate(f->st, &n, &e), STORE_OK);
	assert_int_equal(n, store_schema_latest());
	assert_int_equal(store_migrate(f->st, &n, &e), STORE_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_schema_version(f->st, &version, &e), STORE_OK);
	assert_int_equal(version, store_schema_latest());
	assert_int_equal(store_schema_check(f->st, &e), STORE_OK);
}

/* A store written by a newer binary is refused by migrate and check. */
static void
test_newer_version_refused(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct err		 e;
	int			 version, n = -1;

	migrate_ok(f->st);
	c = acquire(f->st);
	exec_ok(c, "INSERT INTO schema_migrations (version, name, applied_at)"
	    " VALUES (999, 'future', 0)", NULL, 0);
	store_release(c);

	assert_int_equal(store_migrate(f->st, &n, &e), STORE_ERR);
	assert_int_equal(n, 0);
	assert_non_null(strstr(e.msg, "schema version 999"));
	assert_non_null(strstr(e.msg, "upgrade tobmen"));
	assert_int_equal(store_schema_check(f->st, &e), STORE_ERR);
	assert_non_null(strstr(e.msg, "upgrade tobmen"));
	assert_int_equal(store_schema_version(f->st, &version, &e), STORE_OK);
	assert_int_equal(version, 999);
}

struct migrator {
	const char	*url;
	int		 applied;
	enum store_rc	 rc;
	char		 msg[256];
};

static void *
migrate_thread(void *arg)
{
	struct migrator	*m = arg;
	struct store	*st;
	struct err	 e;

	m->rc = store_open(m->url, 1, BUSY_MS, &st, &e);
	if (m->rc == STORE_OK) {
		m->rc = store_migrate(st, &m->applied, &e);
		store_close(st);
	}
	if (m->rc != STORE_OK)
		snprintf(m->msg, sizeof(m->msg), "%s", e.msg);
	return NULL;
}

/* Two processes migrating one empty store at once apply each migration
 * exactly once between them. */
static void
test_migrate_concurrently(void **state)
{
	struct fx	*f = fx_get(state);
	struct migrator	 m[4];
	pthread_t	 t[4];
	int		 i, total = 0;

	for (i = 0; i < 4; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].url = f->url;
		pthread_create(&t[i], NULL, migrate_thread, &m[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (m[i].rc != STORE_OK)
			fail_msg("migrator %d: %s", i, m[i].msg);
		total += m[i].applied;
	}
	assert_int_equal(total, store_schema_latest());
}

/* Commit keeps, rollback discards, and a connection given back with a
 * transaction open is rolled back. */
static void
test_transactions(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct err		 e;
	const char		*count = "SELECT count(*) FROM t";

	c = acquire(f->st);
	exec_ok(c, "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL, 0);

	assert_int_equal(store_begin(c, true, &e), STORE_OK);
	exec_ok(c, "INSERT INTO t (id) VALUES (1)", NULL, 0);
	assert_int_equal(store_commit(c, &e), STORE_OK);

	assert_int_equal(store_begin(c, true, &e), STORE_OK);
	exec_ok(c, "INSERT INTO t (id) VALUES (2)", NULL, 0);
	assert_int_equal(query_int(c, count, NULL, 0), 2);
	store_rollback(c);
	assert_int_equal(query_int(c, count, NULL, 0), 1);

	assert_int_equal(store_begin(c, false, &e), STORE_OK);
	exec_ok(c, "INSERT INTO t (id) VALUES (3)", NULL, 0);
	store_release(c);

	c = acquire(f->st);
	assert_int_equal(query_int(c, count, NULL, 0), 1);
	assert_int_equal(store_begin(c, false, &e), STORE_OK);
	assert_int_equal(store_commit(c, &e), STORE_OK);
	store_release(c);
}

/* Writes n rows of 3,000 bytes in one lazy commit; returns its *due. */
static bool
lazy_round(struct store_conn *c, int first, int n)
{
	struct store_param	 p[2];
	struct err		 e;
	char			*body;
	bool			 due = true;
	int			 i;

	body = xmalloc(3001);
	memset(body, 'x', 3000);
	body[3000] = '\0';
	assert_int_equal(store_begin(c, true, &e), STORE_OK);
	for (i = 0; i < n; i++) {
		p[0] = SP_I(first + i);
		p[1] = SP_T(body);
		exec_ok(c, "INSERT INTO t (id, body) VALUES ($1, $2)", p, 2);
	}
	assert_int_equal(store_commit_lazy(c, &due, &e), STORE_OK);
	free(body);
	return due;
}

/* A lazy commit leaves SQLite's checkpoint to store_checkpoint, which
 * must then keep the write-ahead log from growing: after each round the
 * next one writes the log from its start again. */
static void
test_lazy_commit(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct err		 e;
	struct stat		 sb;
	char			*wal;
	int			 round;

	c = acquire(f->st);
	exec_ok(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)",
	    NULL, 0);
	for (round = 0; round < 4; round++) {
		/* 1,200 rows of 3 KB: past the thousand pages of a
		 * checkpoint. */
		assert_int_equal(lazy_round(c, round * 1200, 1200), !f->pg);
		assert_int_equal(store_checkpoint(f->st, &e), STORE_OK);
	}
	assert_int_equal(query_int(c, "SELECT count(*) FROM t", NULL, 0),
	    4800);
	store_release(c);
	if (f->pg)
		return;

	/* One round's log is about 4.5 MB; four without checkpoints
	 * would be 18 MB. */
	wal = xasprintf("%s-wal", f->url + strlen("sqlite:"));
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size < 8 * 1024 * 1024);
	free(wal);
}

/* Unique, primary key and foreign key violations are conflicts; other
 * constraint failures are plain errors. */
static void
test_conflicts(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct store_rows	*r;
	struct err		 e;
	int64_t			 changes = -1;

	c = acquire(f->st);
	exec_ok(c, "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT"
	    " NOT NULL UNIQUE)", NULL, 0);
	exec_ok(c, "CREATE TABLE ch (id INTEGER PRIMARY KEY, p_id INTEGER"
	    " REFERENCES p (id))", NULL, 0);
	exec_ok(c, "INSERT INTO p (id, code) VALUES (1, 'a')", NULL, 0);

	assert_int_equal(store_exec(c, "INSERT INTO p (id, code) VALUES"
	    " (1, 'b')", NULL, 0, &changes, &e), STORE_CONFLICT);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(changes, 0);
	assert_int_equal(store_exec(c, "INSERT INTO p (id, code) VALUES"
	    " (2, 'a')", NULL, 0, NULL, &e), STORE_CONFLICT);
	assert_int_equal(store_exec(c, "INSERT INTO ch (id, p_id) VALUES"
	    " (1, 7)", NULL, 0, NULL, &e), STORE_CONFLICT);
	assert_int_equal(store_query(c, "INSERT INTO p (id, code) VALUES"
	    " (3, 'a') RETURNING id", NULL, 0, &r, &e), STORE_CONFLICT);

	assert_int_equal(store_exec(c, "INSERT INTO p (id) VALUES (4)", NULL,
	    0, NULL, &e), STORE_ERR);
	assert_int_equal(e.code, ERR_INTERNAL);
	assert_int_equal(store_exec(c, "SELEC nonsense", NULL, 0, NULL, &e),
	    STORE_ERR);

	assert_int_equal(store_exec(c, "UPDATE p SET code = 'z' WHERE id > 0",
	    NULL, 0, &changes, &e), STORE_OK);
	assert_int_equal(changes, 1);
	store_release(c);
}

/* A lock that cannot be had in time is STORE_BUSY, not a failure. */
static void
test_busy(void **state)
{
	struct fx		*f = fx_get(state);
	struct store		*st;
	struct store_conn	*a, *b;
	struct err		 e;

	assert_int_equal(store_open(f->url, 1, 50, &st, &e), STORE_OK);
	a = acquire(f->st);
	b = acquire(st);
	exec_ok(a, "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL, 0);
	exec_ok(a, "INSERT INTO t (id) VALUES (1)", NULL, 0);

	assert_int_equal(store_begin(a, true, &e), STORE_OK);
	exec_ok(a, "UPDATE t SET id = 1 WHERE id = 1", NULL, 0);
	if (!f->pg) {
		assert_int_equal(store_begin(b, true, &e), STORE_BUSY);
	} else {
		assert_int_equal(store_begin(b, true, &e), STORE_OK);
		exec_ok(b, "SET LOCAL lock_timeout = '50ms'", NULL, 0);
		assert_int_equal(store_exec(b, "UPDATE t SET id = 1",
		    NULL, 0, NULL, &e), STORE_BUSY);
	}
	assert_int_equal(e.code, ERR_UNAVAILABLE);
	store_release(b);
	store_release(a);
	store_close(st);
}

struct borrower {
	struct store		*st;
	struct store_conn	*got;
	volatile int		 done;
};

static void *
borrow_thread(void *arg)
{
	struct borrower	*b = arg;

	b->got = acquire(b->st);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void
sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* With every connection lent, a borrower waits until one comes back. */
static void
test_pool_wait(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c[POOL];
	struct borrower		 b = { .st = f->st };
	pthread_t		 t;
	struct err		 e;
	int			 i;

	for (i = 0; i < POOL; i++)
		c[i] = acquire(f->st);
	pthread_create(&t, NULL, borrow_thread, &b);
	sleep_ms(200);
	assert_int_equal(__atomic_load_n(&b.done, __ATOMIC_SEQ_CST), 0);

	store_release(c[1]);
	pthread_join(t, NULL);
	assert_ptr_equal(b.got, c[1]);
	store_release(b.got);
	store_release(c[0]);
	assert_int_equal(store_ping(f->st, &e), STORE_OK);
}

/* Ping answers STORE_BUSY, after busy_ms, when no connection is free. */
static void
test_ping_busy(void **state)
{
	struct fx		*f = fx_get(state);
	struct store		*st;
	struct store_conn	*c;
	struct err		 e;

	assert_int_equal(store_open(f->url, 1, 100, &st, &e), STORE_OK);
	assert_int_equal(store_ping(st, &e), STORE_OK);
	c = acquire(st);
	assert_int_equal(store_ping(st, &e), STORE_BUSY);
	assert_int_equal(e.code, ERR_UNAVAILABLE);
	store_release(c);
	assert_int_equal(store_ping(st, &e), STORE_OK);
	store_close(st);
}

/* $N may repeat and come in any order; quoted text and comments are not
 * placeholders; the count of parameters must match. */
static void
test_placeholders(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct store_rows	*r;
	struct store_param	 p[10];
	struct err		 e;
	int64_t			 v;
	int			 i;

	c = acquire(f->st);
	p[0] = SP_T("a");
	p[1] = SP_T("b");
	assert_int_equal(store_query(c, "SELECT CAST($2 AS TEXT) || '-' ||"
	    " CAST($1 AS TEXT) || '-' || CAST($2 AS TEXT), '$1''$2', \"x$1\""
	    " FROM (SELECT 1 AS \"x$1\") q -- $3\n /* $4 */", p, 2, &r, &e),
	    STORE_OK);
	assert_int_equal(store_rows_ncols(r), 3);
	assert_true(store_rows_next(r));
	assert_string_equal(store_rows_text(r, 0), "b-a-b");
	assert_string_equal(store_rows_text(r, 1), "$1'$2");
	assert_int_equal(store_rows_int(r, 2), 1);
	assert_false(store_rows_next(r));
	assert_int_equal(store_rows_rc(r, &e), STORE_OK);
	store_rows_free(r);

	for (i = 0; i < 10; i++)
		p[i] = SP_I(i + 1);
	assert_int_equal(query_int(c, "SELECT CAST($10 AS BIGINT) * 100 +"
	    " CAST($1 AS BIGINT) * 10 + CAST($9 AS BIGINT) + CAST($2 AS"
	    " BIGINT) + CAST($3 AS BIGINT) + CAST($4 AS BIGINT) + CAST($5 AS"
	    " BIGINT) + CAST($6 AS BIGINT) + CAST($7 AS BIGINT) + CAST($8 AS"
	    " BIGINT) - 35", p, 10), 1019);

	assert_int_equal(store_query_int(c, "SELECT CAST($1 AS BIGINT)", p, 2,
	    &v, &e), STORE_ERR);
	assert_non_null(strstr(e.msg, "1 parameters, 2 given"));
	assert_int_equal(store_exec(c, "SELECT $0", NULL, 0, NULL, &e),
	    STORE_ERR);
	store_release(c);
}

/* Rows: NULLs, integers, texts; a cached statement can be read again while
 * its first result is still open; no row is STORE_NOTFOUND. */
static void
test_rows(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct store_rows	*r1, *r2;
	struct store_param	 p[] = { SP_I(-42), SP_N, SP_T("привет") };
	const char		*sql = "SELECT CAST($1 AS BIGINT),"
				    " CAST($2 AS TEXT), CAST($3 AS TEXT)";
	struct err		 e;
	int64_t			 v;

	c = acquire(f->st);
	assert_int_equal(store_query(c, sql, p, 3, &r1, &e), STORE_OK);
	p[0] = SP_I(INT64_MAX);
	assert_int_equal(store_query(c, sql, p, 3, &r2, &e), STORE_OK);
	assert_true(store_rows_next(r2));
	assert_true(store_rows_next(r1));
	assert_int_equal(store_rows_int(r1, 0), -42);
	assert_int_equal(store_rows_int(r2, 0), INT64_MAX);
	assert_true(store_rows_null(r1, 1));
	assert_string_equal(store_rows_text(r1, 1), "");
	assert_false(store_rows_null(r1, 2));
	assert_string_equal(store_rows_text(r1, 2), "привет");
	store_rows_free(r2);
	store_rows_free(r1);

	assert_int_equal(store_query_int(c, "SELECT 1 WHERE 1 = 0", NULL, 0,
	    &v, &e), STORE_NOTFOUND);
	assert_int_equal(query_int(c, sql, p, 3), INT64_MAX);
	store_release(c);
}

/* A company is added, read, changed and listed page by page. */
static void
test_company_crud(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct company		 co, got;
	struct err		 e;

	migrate_ok(f->st);
	c = acquire(f->st);
	company_init(&co);
	company_init(&got);
	co.name = xstrdup("ООО \"Поставщик\"");
	co.inn = xstrdup("7701234567");
	co.is_supplier = true;
	assert_int_equal(store_company_insert(c, &co, &e), STORE_OK);
	assert_true(co.id > 0);
	assert_true(co.created_at > 0);

	assert_int_equal(store_company_get(c, co.id, &got, &e), STORE_OK);
	assert_string_equal(got.name, "ООО \"Поставщик\"");
	assert_string_equal(got.inn, "7701234567");
	assert_string_equal(got.kpp, "");
	assert_true(got.is_supplier);
	assert_false(got.is_distributor);
	assert_int_equal(got.created_at, co.created_at);

	free(co.phone);
	co.phone = xstrdup("+7 495 000-00-00");
	co.is_distributor = true;
	assert_int_equal(store_company_update(c, &co, &e), STORE_OK);
	assert_int_equal(store_company_get(c, co.id, &got, &e), STORE_OK);
	assert_string_equal(got.phone, "+7 495 000-00-00");
	assert_true(got.is_distributor);
	assert_int_equal(got.created_at, co.created_at);

	assert_int_equal(store_company_get(c, co.id + 100, &got, &e),
	    STORE_NOTFOUND);
	assert_null(got.name);
	co.id += 100;
	assert_int_equal(store_company_update(c, &co, &e), STORE_NOTFOUND);
	assert_int_equal(e.code, ERR_NOTFOUND);

	company_release(&got);
	company_release(&co);
	store_release(c);
}

static void
test_company_list(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct company		 co;
	struct company_page	 pg;
	struct err		 e;
	int64_t			 ids[7], after = 0;
	int			 i, seen = 0;

	migrate_ok(f->st);
	c = acquire(f->st);
	for (i = 0; i < 7; i++) {
		company_init(&co);
		co.name = xasprintf("company %d", i);
		assert_int_equal(store_company_insert(c, &co, &e), STORE_OK);
		ids[i] = co.id;
		company_release(&co);
	}

	do {
		assert_int_equal(store_company_list(c, after, 3, &pg, &e),
		    STORE_OK);
		assert_true(pg.n == 3 || (pg.n == 1 && pg.next_after == 0));
		for (i = 0; i < pg.n; i++)
			assert_int_equal(pg.items[i].id, ids[seen++]);
		after = pg.next_after;
		company_page_release(&pg);
	} while (after != 0);
	assert_int_equal(seen, 7);
	store_release(c);
}

struct collect {
	int64_t	ids[16];
	int	n;
	int	stop_at;	/* stop after this many, 0: never */
};

static int
collect_entry(const struct audit_entry *a, void *arg)
{
	struct collect	*col = arg;

	assert_true(col->n < 16);
	col->ids[col->n++] = a->id;
	return col->stop_at != 0 && col->n == col->stop_at;
}

/* Reads every page for company, newest first; returns the count. */
static int
audit_all(struct store_conn *c, int64_t company, int limit,
    struct collect *col)
{
	struct err	e;
	int64_t		after = 0;
	int		pages = 0;

	memset(col, 0, sizeof(*col));
	do {
		assert_int_equal(store_audit_list(c, company, after, limit,
		    collect_entry, col, &after, &e), STORE_OK);
		pages++;
	} while (after != 0);
	return pages;
}

/* An entry is read by the company it concerns and by the other side,
 * newest first, page by page, and by nobody else. */
static void
test_audit(void **state)
{
	struct fx		*f = fx_get(state);
	struct store_conn	*c;
	struct audit_entry	 a;
	struct collect		 col;
	struct store_rows	*r;
	struct err		 e;
	int64_t			 next;
	int			 i;

	migrate_ok(f->st);
	c = acquire(f->st);
	for (i = 0; i < 8; i++) {
		memset(&a, 0, sizeof(a));
		a.action = i < 5 ? "link.accept" : "company.update";
		a.company_id = i < 5 ? 10 : 20;
		a.other_company_id = i < 5 ? 20 : 0;
		a.actor_user_id = i == 0 ? 5 : 0;
		a.ip = "127.0.0.1";
		a.after = i == 0 ? "{\"status\":\"active\"}" : NULL;
		assert_int_equal(store_audit_add(c, &a, &e), STORE_OK);
	}

	assert_int_equal(audit_all(c, 20, 3, &col), 3);
	assert_int_equal(col.n, 8);
	for (i = 1; i < col.n; i++)
		assert_true(col.ids[i] < col.ids[i - 1]);
	assert_int_equal(audit_all(c, 10, 5, &col), 1);
	assert_int_equal(col.n, 5);
	assert_int_equal(audit_all(c, 30, 5, &col), 1);
	assert_int_equal(col.n, 0);

	memset(&col, 0, sizeof(col));
	col.stop_at = 2;
	assert_int_equal(store_audit_list(c, 20, 0, 5, collect_entry, &col,
	    &next, &e), STORE_OK);
	assert_int_equal(col.n, 2);
	assert_int_equal(next, 0);

	assert_int_equal(store_query(c, "SELECT actor_user_id, after, before"
	    " FROM audit_log ORDER BY id", NULL, 0, &r, &e), STORE_OK);
	assert_true(store_rows_next(r));
	assert_int_equal(store_rows_int(r, 0), 5);
	assert_string_equal(store_rows_text(r, 1), "{\"status\":\"active\"}");
	assert_true(store_rows_null(r, 2));
	assert_true(store_rows_next(r));
	assert_true(store_rows_null(r, 0));
	store_rows_free(r);

	memset(&a, 0, sizeof(a));
	a.company_id = 10;
	assert_int_equal(store_audit_add(c, &a, &e), STORE_ERR);
	store_release(c);
}

/* A PostgreSQL connection whose server side went away is reconnected
 * before it is lent again. */
static void
test_reconnect(void **state)
{
	struct fx		*f = fx_get(state);
	struct store		*st;
	struct store_conn	*c, *killer;
	struct store_param	 p[1];
	struct err		 e;
	int64_t			 pid, alive = 1;
	int			 tries;

	if (!f->pg)
		skip();
	assert_int_equal(store_open(f->url, 1, BUSY_MS, &st, &e), STORE_OK);
	c = acquire(st);
	pid = query_int(c, "SELECT pg_backend_pid()", NULL, 0);
	store_release(c);

	killer = acquire(f->st);
	p[0] = SP_I(pid);
	exec_ok(killer, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))", p,
	    1);
	for (tries = 0; tries < 100 && alive > 0; tries++) {
		alive = query_int(killer, "SELECT count(*) FROM"
		    " pg_stat_activity WHERE pid = $1", p, 1);
		sleep_ms(20);
	}
	assert_int_equal(alive, 0);
	store_release(killer);

	c = acquire(st);
	assert_int_not_equal(query_int(c, "SELECT pg_backend_pid()", NULL, 0),
	    pid);
	store_release(c);
	assert_int_equal(store_ping(st, &e), STORE_OK);
	store_close(st);
}

#define STORE_TESTS(setup) {						\
	cmocka_unit_test_setup_teardown(test_open_settings, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_migrate_twice, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_newer_version_refused,	\
	    setup, teardown),						\
	cmocka_unit_test_setup_teardown(test_migrate_concurrently,	\
	    setup, teardown),						\
	cmocka_unit_test_setup_teardown(test_transactions, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_lazy_commit, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_conflicts, setup,		\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_busy, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_pool_wait, setup,		\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_ping_busy, setup,		\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_placeholders, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_rows, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_company_crud, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_company_list, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_audit, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_reconnect, setup,		\
	    teardown),							\
}

int
main(void)
{
	const struct CMUnitTest	common[] = {
		cmocka_unit_test(test_open_errors),
	};
	const struct CMUnitTest	sqlite[] = STORE_TESTS(setup_sqlite);
	const struct CMUnitTest	pg[] = STORE_TESTS(setup_pg);
	int			failed = 0;

	failed += cmocka_run_group_tests_name("store", common, NULL, NULL);
	failed += cmocka_run_group_tests_name("store_sqlite", sqlite, NULL,
	    NULL);
	failed += cmocka_run_group_tests_name("store_postgres", pg, NULL,
	    NULL);
	return failed != 0;
}
