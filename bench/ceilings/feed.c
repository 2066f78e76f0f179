/*
 * feed.c - the feed ceiling: pages of documents read by cursor from the
 * service's own store and written out as JSON by a streaming writer.
 *
 *	ceil-feed PATH SUPPLIER_ID PAGE SECONDS THREADS
 *
 * PATH is the service's SQLite file, filled by bench-fill.  THREADS
 * threads, each with its own read-only connection, run for SECONDS: each
 * picks a random cursor, runs the page query the service runs (the
 * documents after the cursor in feed order, the canonical body holding
 * each document's lines) and writes the page with yajl's generator, no
 * document tree, in the feed's shape, to /dev/null.  The stored body is
 * already JSON, so it is put in as it is.  Prints
 * "pages_per_s=N page_ms=N pages=N seconds=S", page_ms being the mean
 * time of one page in one thread.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <yajl/yajl_gen.h>

#include "benchlib.h"

#define FEED_THREADS_MAX	64

/* The service's page query (src/store/feed.c). */
static const char feed_sql[] =
    "SELECT position, id, uuid, kind, received_at, distributor_id,"
    " distributor_code, distributor_name, licence_number, device_mdm_id,"
    " CASE WHEN api_key_id IS NULL THEN 0 ELSE 1 END, agent, body"
    " FROM documents WHERE supplier_id = ?1 AND position > ?2"
    " ORDER BY position LIMIT ?3";

struct feed_job {
	const char	*path;
	int64_t		 supplier;
	long		 page;
	double		 limit;
	int64_t		 last;		/* highest position */
	unsigned int	 seed;
	long		 pages;
	double		 seconds;
	pthread_t	 tid;
};

/* Writes yajl's buffer out and empties it. */
static void
feed_flush(yajl_gen g, int fd)
{
	const unsigned char	*out;
	size_t			 len;

	yajl_gen_get_buf(g, &out, &len);
	if (len > 0 && write(fd, out, len) != (ssize_t)len)
		bench_die("write failed");
	yajl_gen_clear(g);
}

/* Writes a member name. */
static void
feed_key(yajl_gen g, const char *key)
{
	yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

/* Writes a text column as a string member. */
static void
feed_str(yajl_gen g, const char *key, sqlite3_stmt *st, int col)
{
	feed_key(g, key);
	yajl_gen_string(g, sqlite3_column_text(st, col),
	    (size_t)sqlite3_column_bytes(st, col));
}

/* Writes an integer column as a decimal string member (ids are strings
 * in the API). */
static void
feed_id(yajl_gen g, const char *key, sqlite3_stmt *st, int col)
{
	char	s[24];
	int	n;

	n = snprintf(s, sizeof(s), "%lld",
	    (long long)sqlite3_column_int64(st, col));
	feed_key(g, key);
	yajl_gen_string(g, (const unsigned char *)s, (size_t)n);
}

/* Writes Unix ms column col as an RFC 3339 string member. */
static void
feed_time(yajl_gen g, const char *key, sqlite3_stmt *st, int col)
{
	struct bench_doc	d;
	char			t[32];

	d.doc_at = sqlite3_column_int64(st, col);
	bench_doc_date(&d, t);
	feed_key(g, key);
	yajl_gen_string(g, (const unsigned char *)t, strlen(t));
}

/* Writes one document of the page from the row. */
static void
feed_item(yajl_gen g, sqlite3_stmt *st)
{
	yajl_gen_map_open(g);
	feed_id(g, "position", st, 0);
	feed_id(g, "id", st, 1);
	feed_str(g, "uuid", st, 2);
	feed_str(g, "kind", st, 3);
	feed_time(g, "received_at", st, 4);
	feed_key(g, "distributor");
	yajl_gen_map_open(g);
	feed_id(g, "id", st, 5);
	feed_id(g, "code", st, 6);
	feed_str(g, "name", st, 7);
	yajl_gen_map_close(g);
	feed_key(g, "source");
	yajl_gen_string(g, (const unsigned char *)(sqlite3_column_int(st,
	    10) ? "system" : "device"), 6);
	feed_str(g, "licence", st, 8);
	feed_key(g, "device");
	yajl_gen_map_open(g);
	feed_str(g, "mdm_id", st, 9);
	yajl_gen_map_close(g);
	feed_str(g, "agent", st, 11);
	/* yajl writes a "number" as given: the way to put in JSON text
	 * that is already valid, the stored canonical body. */
	feed_key(g, "document");
	yajl_gen_number(g, (const char *)sqlite3_column_text(st, 12),
	    (size_t)sqlite3_column_bytes(st, 12));
	yajl_gen_map_close(g);
}

/* Reads and writes one page after cursor; returns documents written. */
static long
feed_page(const struct feed_job *j, sqlite3 *db, sqlite3_stmt *st,
    yajl_gen g, int fd, int64_t cursor)
{
	int64_t	last = cursor;
	long	n = 0;
	int	rc;

	sqlite3_bind_int64(st, 1, j->supplier);
	sqlite3_bind_int64(st, 2, cursor);
	sqlite3_bind_int64(st, 3, j->page);
	yajl_gen_map_open(g);
	feed_key(g, "items");
	yajl_gen_array_open(g);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		feed_item(g, st);
		last = sqlite3_column_int64(st, 0);
		n++;
		feed_flush(g, fd);
	}
	if (rc != SQLITE_DONE)
		bench_die("sqlite: feed: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
	yajl_gen_array_close(g);
	feed_key(g, "next_after");
	yajl_gen_integer(g, last);
	feed_key(g, "more");
	yajl_gen_bool(g, last < j->last);
	yajl_gen_map_close(g);
	feed_flush(g, fd);
	yajl_gen_reset(g, NULL);
	return n;
}

static void *
feed_run(void *arg)
{
	struct feed_job	*j = arg;
	sqlite3		*db;
	sqlite3_stmt	*st;
	yajl_gen	 g;
	int64_t		 span = j->last - j->page;
	double		 t0;
	int		 fd;

	if (sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(db, feed_sql, -1, &st, NULL) != SQLITE_OK)
		bench_die("sqlite: %s: %s", j->path, sqlite3_errmsg(db));
	if ((fd = open("/dev/null", O_WRONLY)) == -1)
		bench_die("cannot open /dev/null");
	g = yajl_gen_alloc(NULL);

	t0 = bench_now();
	do {
		if (feed_page(j, db, st, g, fd, rand_r(&j->seed) %
		    (span + 1)) != j->page)
			bench_die("a page came short");
		j->pages++;
		j->seconds = bench_now() - t0;
	} while (j->seconds < j->limit);

	yajl_gen_free(g);
	close(fd);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

/* The highest feed position of supplier in the store at path. */
static int64_t
feed_last(const char *path, int64_t supplier)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 last = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT max(position) FROM"
	    " documents WHERE supplier_id = ?", -1, &st, NULL) != SQLITE_OK)
		bench_die("sqlite: %s: %s", path, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, supplier);
	if (sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return last;
}

int
main(int argc, char **argv)
{
	struct feed_job	jobs[FEED_THREADS_MAX];
	double		seconds = 0, busy = 0;
	long		i, n, pages = 0;

	if (argc != 6)
		bench_die("usage: ceil-feed PATH SUPPLIER_ID PAGE SECONDS"
		    " THREADS");
	n = bench_arg_long(argv[5], "THREADS");
	if (n > FEED_THREADS_MAX)
		bench_die("at most %d threads", FEED_THREADS_MAX);
	memset(jobs, 0, sizeof(jobs));
	jobs[0].supplier = bench_arg_long(argv[2], "SUPPLIER_ID");
	jobs[0].page = bench_arg_long(argv[3], "PAGE");
	jobs[0].last = feed_last(argv[1], jobs[0].supplier);
	if (jobs[0].last < jobs[0].page)
		bench_die("the store holds fewer than %ld documents",
		    jobs[0].page);

	for (i = 0; i < n; i++) {
		jobs[i].path = argv[1];
		jobs[i].supplier = jobs[0].supplier;
		jobs[i].page = jobs[0].page;
		jobs[i].limit = bench_arg_double(argv[4], "SECONDS");
		jobs[i].last = jobs[0].last;
		jobs[i].seed = (unsigned int)time(NULL) * 31 + (unsigned int)i;
		if (pthread_create(&jobs[i].tid, NULL, feed_run, &jobs[i]))
			bench_die("cannot start a thread");
	}
	for (i = 0; i < n; i++) {
		pthread_join(jobs[i].tid, NULL);
		pages += jobs[i].pages;
		busy += jobs[i].seconds;
		if (jobs[i].seconds > seconds)
			seconds = jobs[i].seconds;
	}
	printf("pages_per_s=%.3f page_ms=%.3f pages=%ld seconds=%.3f\n",
	    (double)pages / seconds, busy * 1000 / (double)pages, pages,
	    seconds);
	return 0;
}
