/*
 * pg_insert.c - the PostgreSQL write ceiling.
 *
 *	ceil-pg CONNINFO pipeline|copy PER_TXN SECONDS CONNS
 *
 * Makes fresh tables doc and line (the same shape as the SQLite ceiling)
 * and writes test documents, one header and twenty line rows each, from
 * CONNS connections at once for SECONDS, PER_TXN documents per
 * transaction.  pipeline: prepared INSERTs sent in pipeline mode, one
 * round trip per transaction; copy: COPY of the headers, then of the
 * lines.  Commits are durable (the server's defaults).  Prints
 * "docs_per_s=N docs=N seconds=S".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "benchlib.h"

#define CEIL_CONNS_MAX	64
#define CEIL_THREAD_IDS	1000000000LL	/* documents per thread at most */

enum ceil_mode { CEIL_PIPELINE, CEIL_COPY };

struct ceil_job {
	const char	*conninfo;
	enum ceil_mode	 mode;
	long		 per_txn;
	double		 limit;
	int		 n;		/* thread number */
	long		 docs;		/* written */
	double		 seconds;
	pthread_t	 tid;
};

static const char ceil_schema[] =
    "DROP TABLE IF EXISTS line; DROP TABLE IF EXISTS doc;"
    "CREATE TABLE doc ("
    " id BIGINT PRIMARY KEY,"
    " supplier_id BIGINT NOT NULL,"
    " position BIGINT NOT NULL,"
    " uuid TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " number TEXT NOT NULL,"
    " doc_at BIGINT NOT NULL,"
    " outlet_code TEXT NOT NULL,"
    " outlet_name TEXT NOT NULL,"
    " agent TEXT NOT NULL,"
    " total BIGINT NOT NULL);"
    "CREATE UNIQUE INDEX doc_uuid ON doc (uuid);"
    "CREATE UNIQUE INDEX doc_feed ON doc (supplier_id, position);"
    "CREATE TABLE line ("
    " doc_id BIGINT NOT NULL,"
    " n INTEGER NOT NULL,"
    " product_code TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " qty BIGINT NOT NULL,"
    " price BIGINT NOT NULL,"
    " amount BIGINT NOT NULL,"
    " PRIMARY KEY (doc_id, n));";

/* Connects or dies. */
static PGconn *
ceil_connect(const char *conninfo)
{
	PGconn	*c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		bench_die("pg: %s", PQerrorMessage(c));
	return c;
}

/* Runs sql outside a pipeline, expecting no rows. */
static void
ceil_exec(PGconn *c, const char *sql, ExecStatusType want)
{
	PGresult	*r = PQexec(c, sql);

	if (PQresultStatus(r) != want)
		bench_die("pg: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

/* Prepares the two inserts on c. */
static void
ceil_prepare(PGconn *c)
{
	PGresult	*r;

	r = PQprepare(c, "doc", "INSERT INTO doc (id, supplier_id, position,"
	    " uuid, kind, number, doc_at, outlet_code, outlet_name, agent,"
	    " total) VALUES ($1, $2, $3, $4, 'order', $5, $6, $7, $8, $9,"
	    " $10)", 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		bench_die("pg: prepare: %s", PQerrorMessage(c));
	PQclear(r);
	r = PQprepare(c, "line", "INSERT INTO line (doc_id, n, product_code,"
	    " name, qty, price, amount) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		bench_die("pg: prepare: %s", PQerrorMessage(c));
	PQclear(r);
}

/* Queues line n of document doc_id in the pipeline. */
static void
ceil_send_line(PGconn *c, const char *doc_id, int n,
    const struct bench_line *l)
{
	char		 sn[12], sq[24], spr[24], sam[24];
	const char	*p[7] = { doc_id, sn, l->product_code, l->name, sq,
	    spr, sam };

	snprintf(sn, sizeof(sn), "%d", n);
	snprintf(sq, sizeof(sq), "%lld", (long long)l->qty);
	snprintf(spr, sizeof(spr), "%lld", (long long)l->price);
	snprintf(sam, sizeof(sam), "%lld", (long long)l->amount);
	if (!PQsendQueryPrepared(c, "line", 7, p, NULL, NULL, 0))
		bench_die("pg: send: %s", PQerrorMessage(c));
}

/* Queues the header and lines of d (row id) in the pipeline. */
static void
ceil_send_doc(PGconn *c, const struct bench_doc *d, long long id)
{
	char		 sid[24], sat[24], stot[24];
	const char	*p[10] = { sid, "1", sid, d->uuid, d->number, sat,
	    d->outlet_code, d->outlet_name, d->agent, stot };
	int		 i;

	snprintf(sid, sizeof(sid), "%lld", id);
	snprintf(sat, sizeof(sat), "%lld", (long long)d->doc_at);
	snprintf(stot, sizeof(stot), "%lld", (long long)d->total);
	if (!PQsendQueryPrepared(c, "doc", 10, p, NULL, NULL, 0))
		bench_die("pg: send: %s", PQerrorMessage(c));
	for (i = 0; i < BENCH_LINES; i++)
		ceil_send_line(c, sid, i + 1, &d->lines[i]);
}

/* Sends a statement without parameters into the pipeline. */
static void
ceil_send(PGconn *c, const char *sql)
{
	if (!PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0))
		bench_die("pg: send %s: %s", sql, PQerrorMessage(c));
}

/* Reads every result up to the pipeline's sync; dies on an error. */
static void
ceil_drain(PGconn *c)
{
	PGresult	*r;
	int		 st;

	for (;;) {
		r = PQgetResult(c);
		if (r == NULL)
			continue;
		st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			return;
		if (st != PGRES_COMMAND_OK)
			bench_die("pg: pipeline: %s", PQerrorMessage(c));
	}
}

/* One transaction of per_txn documents, pipelined. */
static void
ceil_txn_pipeline(PGconn *c, struct ceil_job *j, long long first)
{
	struct bench_doc	d;
	long			i;

	ceil_send(c, "BEGIN");
	for (i = 0; i < j->per_txn; i++) {
		bench_doc_make((uint64_t)(first + i), &d);
		ceil_send_doc(c, &d, first + i);
	}
	ceil_send(c, "COMMIT");
	if (!PQpipelineSync(c))
		bench_die("pg: sync: %s", PQerrorMessage(c));
	ceil_drain(c);
}

/* Ends a COPY started with sql after sending b. */
static void
ceil_copy(PGconn *c, const char *sql, struct bench_buf *b)
{
	PGresult	*r;

	ceil_exec(c, sql, PGRES_COPY_IN);
	if (PQputCopyData(c, b->data, (int)b->len) != 1 ||
	    PQputCopyEnd(c, NULL) != 1)
		bench_die("pg: copy: %s", PQerrorMessage(c));
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		bench_die("pg: copy: %s", PQerrorMessage(c));
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
}

/* One transaction of per_txn documents, by COPY. */
static void
ceil_txn_copy(PGconn *c, struct ceil_job *j, long long first,
    struct bench_buf *docs, struct bench_buf *lines)
{
	struct bench_doc	 d;
	const struct bench_line	*l;
	long			 i;
	int			 k;

	docs->len = lines->len = 0;
	for (i = 0; i < j->per_txn; i++) {
		bench_doc_make((uint64_t)(first + i), &d);
		bench_buf_printf(docs, "%lld\t1\t%lld\t%s\torder\t%s\t%lld\t"
		    "%s\t%s\t%s\t%lld\n", first + i, first + i, d.uuid,
		    d.number, (long long)d.doc_at, d.outlet_code,
		    d.outlet_name, d.agent, (long long)d.total);
		for (k = 0; k < BENCH_LINES; k++) {
			l = &d.lines[k];
			bench_buf_printf(lines, "%lld\t%d\t%s\t%s\t%lld\t%lld"
			    "\t%lld\n", first + i, k + 1, l->product_code,
			    l->name, (long long)l->qty, (long long)l->price,
			    (long long)l->amount);
		}
	}
	ceil_exec(c, "BEGIN", PGRES_COMMAND_OK);
	ceil_copy(c, "COPY doc (id, supplier_id, position, uuid, kind,"
	    " number, doc_at, outlet_code, outlet_name, agent, total)"
	    " FROM STDIN", docs);
	ceil_copy(c, "COPY line (doc_id, n, product_code, name, qty, price,"
	    " amount) FROM STDIN", lines);
	ceil_exec(c, "COMMIT", PGRES_COMMAND_OK);
}

static void *
ceil_run(void *arg)
{
	struct ceil_job		*j = arg;
	struct bench_buf	 docs, lines;
	PGconn			*c = ceil_connect(j->conninfo);
	long long		 next = (long long)(j->n + 1) * CEIL_THREAD_IDS;
	double			 t0;

	bench_buf_init(&docs, 64u << 20);
	bench_buf_init(&lines, 256u << 20);
	if (j->mode == CEIL_PIPELINE) {
		ceil_prepare(c);
		if (!PQenterPipelineMode(c))
			bench_die("pg: pipeline mode: %s", PQerrorMessage(c));
	}

	t0 = bench_now();
	do {
		if (j->mode == CEIL_PIPELINE)
			ceil_txn_pipeline(c, j, next);
		else
			ceil_txn_copy(c, j, next, &docs, &lines);
		next += j->per_txn;
		j->docs += j->per_txn;
		j->seconds = bench_now() - t0;
	} while (j->seconds < j->limit);

	bench_buf_release(&docs);
	bench_buf_release(&lines);
	PQfinish(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ceil_job	 jobs[CEIL_CONNS_MAX];
	PGconn		*c;
	long		 nconns, i, docs = 0;
	double		 seconds = 0;

	if (argc != 6)
		bench_die("usage: ceil-pg CONNINFO pipeline|copy PER_TXN"
		    " SECONDS CONNS");
	if (strcmp(argv[2], "pipeline") != 0 && strcmp(argv[2], "copy") != 0)
		bench_die("mode must be pipeline or copy");
	nconns = bench_arg_long(argv[5], "CONNS");
	if (nconns > CEIL_CONNS_MAX)
		bench_die("at most %d connections", CEIL_CONNS_MAX);

	c = ceil_connect(argv[1]);
	ceil_exec(c, "SET client_min_messages = warning", PGRES_COMMAND_OK);
	ceil_exec(c, ceil_schema, PGRES_COMMAND_OK);
	PQfinish(c);

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < nconns; i++) {
		jobs[i].conninfo = argv[1];
		jobs[i].mode = argv[2][0] == 'p' ? CEIL_PIPELINE : CEIL_COPY;
		jobs[i].per_txn = bench_arg_long(argv[3], "PER_TXN");
		jobs[i].limit = bench_arg_double(argv[4], "SECONDS");
		jobs[i].n = (int)i;
		if (pthread_create(&jobs[i].tid, NULL, ceil_run, &jobs[i]))
			bench_die("cannot start a thread");
	}
	for (i = 0; i < nconns; i++) {
		pthread_join(jobs[i].tid, NULL);
		docs += jobs[i].docs;
		if (jobs[i].seconds > seconds)
			seconds = jobs[i].seconds;
	}
	printf("docs_per_s=%.1f docs=%ld seconds=%.3f\n",
	    (double)docs / seconds, docs, seconds);
	return 0;
}
