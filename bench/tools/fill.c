/*
 * fill.c - grows a service store to N documents of one supplier, through
 * the service's own code: document_parse makes each canonical body and
 * its hash, store_document_insert writes it under the supplier's feed
 * counter, exactly as an upload does.
 *
 *	bench-fill DB SUPPLIER_ID DISTRIBUTOR_ID N
 *
 * DB is the service's store URL (sqlite:PATH or postgres://...), already
 * set up by bench/lib/setup.py, with no server running on it: the
 * documents come from the distributor's first bound device.
 *
 * Canonicalising every document would take minutes, so FILL_KINDS test
 * documents are canonicalised once and document p is kind p modulo
 * FILL_KINDS with its own uuid put in and its hash made again (the uuid
 * is a plain string of the canonical text, so this is the text the
 * service would have made).  Filling is not measured: this connection
 * writes without a journal or disk flushes (SQLite journal_mode=OFF and
 * synchronous=OFF, back to WAL at the end; PostgreSQL
 * synchronous_commit=off), FILL_TXN documents a transaction.  Prints
 * "documents=N seconds=S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "benchlib.h"
#include "domain/document.h"
#include "store/document.h"
#include "store/feed.h"
#include "store/store.h"

#define FILL_TXN	10000
#define FILL_KINDS	1000

/* Who the filled documents come from. */
struct fill_source {
	struct store_exchange_link	link;
	int64_t				distributor_id;
	int64_t				licence_id;
	int64_t				device_id;
	char				licence_number[32];
	char				mdm_id[64];
};

/* Dies with e's message. */
static void
fill_fail(const char *what, const struct err *e)
{
	bench_die("%s: %s", what, e->msg);
}

/* Reads the link and the distributor's first bound device. */
static void
fill_source(struct store_conn *c, int64_t supplier, int64_t distributor,
    struct fill_source *src)
{
	struct store_param	 p[] = { SP_I(distributor) };
	struct store_rows	*r;
	struct err		 e;
	int			 count;

	err_clear(&e);
	memset(src, 0, sizeof(*src));
	src->distributor_id = distributor;
	if (store_document_link(c, distributor, supplier, 0, &src->link,
	    &count, &e) != STORE_OK)
		fill_fail("no link between the supplier and the distributor",
		    &e);
	if (store_query(c, "SELECT l.id, l.number, d.id, d.mdm_id FROM devices"
	    " AS d JOIN licences AS l ON l.id = d.licence_id WHERE"
	    " d.company_id = $1 AND d.released_at IS NULL ORDER BY d.id"
	    " LIMIT 1", p, 1, &r, &e) != STORE_OK)
		fill_fail("devices", &e);
	if (!store_rows_next(r))
		bench_die("the distributor has no bound device");
	src->licence_id = store_rows_int(r, 0);
	snprintf(src->licence_number, sizeof(src->licence_number), "%s",
	    store_rows_text(r, 1));
	src->device_id = store_rows_int(r, 2);
	snprintf(src->mdm_id, sizeof(src->mdm_id), "%s",
	    store_rows_text(r, 3));
	store_rows_free(r);
}

/* Canonicalises test document seq into out, as an upload would. */
static void
fill_kind(uint64_t seq, int64_t now, struct document *out)
{
	struct bench_buf	 b;
	struct bench_doc	 d;
	json_error_t		 je;
	struct err		 e;
	json_t			*o;

	bench_buf_init(&b, 1u << 20);
	bench_doc_make(seq, &d);
	bench_doc_json(&d, &b);
	if ((o = json_loadb(b.data, b.len, 0, &je)) == NULL)
		bench_die("test document %llu: %s", (unsigned long long)seq,
		    je.text);
	err_clear(&e);
	if (document_parse(o, DOCUMENT_FROM_DEVICE, NULL, now, out, &e) != 0)
		fill_fail("document_parse", &e);
	if (strncmp(out->canon, "{\"uuid\":\"", 9) != 0)
		bench_die("the canonical form no longer starts with the uuid");
	json_decref(o);
	bench_buf_release(&b);
}

/* Makes document pos from its kind: the uuid of test document pos put
 * into the canonical text, and the hash of the result. */
static void
fill_doc(const struct document *kind, int64_t pos, char *canon,
    char uuid[DOCUMENT_UUID_LEN + 1], char hash[DOCUMENT_HASH_LEN + 1])
{
	struct bench_doc	d;
	unsigned char		h[32];

	bench_doc_make((uint64_t)pos, &d);
	memcpy(uuid, d.uuid, DOCUMENT_UUID_LEN + 1);
	memcpy(canon, kind->canon, kind->canon_len + 1);
	memcpy(canon + 9, uuid, DOCUMENT_UUID_LEN);
	crypto_generichash(h, sizeof(h), (const unsigned char *)canon,
	    kind->canon_len, NULL, 0);
	sodium_bin2hex(hash, DOCUMENT_HASH_LEN + 1, h, sizeof(h));
}

/* Inserts document pos, made from kind. */
static void
fill_one(struct store_conn *c, const struct fill_source *src,
    int64_t supplier, int64_t pos, int64_t now, const struct document *kind)
{
	static char		 canon[DOCUMENT_CANON_MAX + 1];
	struct store_document	 row;
	struct err		 e;
	char			 uuid[DOCUMENT_UUID_LEN + 1];
	char			 hash[DOCUMENT_HASH_LEN + 1];
	int64_t			 id;
	bool			 inserted;

	fill_doc(kind, pos, canon, uuid, hash);
	memset(&row, 0, sizeof(row));
	row.supplier_id = supplier;
	row.distributor_id = src->distributor_id;
	row.uuid = uuid;
	row.content_hash = hash;
	row.kind = kind->kind;
	row.number = kind->number;
	row.doc_at = kind->date;
	row.received_at = now;
	row.distributor_code = src->link.code;
	row.distributor_name = src->link.distributor_name;
	row.licence_id = src->licence_id;
	row.licence_number = src->licence_number;
	row.device_id = src->device_id;
	row.device_mdm_id = src->mdm_id;
	row.agent = kind->agent;
	row.outlet_code = kind->outlet_code;
	row.total = kind->total;
	row.body = canon;

	err_clear(&e);
	if (store_document_insert(c, &row, pos, &inserted, &id, &e) !=
	    STORE_OK)
		fill_fail("insert", &e);
	if (!inserted)
		bench_die("document %lld was there already", (long long)pos);
}

/* One transaction: from the counter's value up to at most n. */
static int64_t
fill_batch(struct store_conn *c, const struct fill_source *src,
    int64_t supplier, int64_t n, const struct document *kinds)
{
	struct err	e;
	char		counter[32];
	int64_t		last, pos, now = (int64_t)time(NULL) * 1000;

	err_clear(&e);
	store_feed_counter_name(supplier, counter);
	if (store_begin(c, true, &e) != STORE_OK ||
	    store_counter_lock(c, counter, &last, &e) != STORE_OK)
		fill_fail("begin", &e);
	for (pos = last + 1; pos <= n && pos <= last + FILL_TXN; pos++)
		fill_one(c, src, supplier, pos, now,
		    &kinds[pos % FILL_KINDS]);
	if (store_counter_set(c, counter, pos - 1, &e) != STORE_OK ||
	    store_commit(c, &e) != STORE_OK)
		fill_fail("commit", &e);
	return pos - 1;
}

/* Runs pragma (SQLite) or set (PostgreSQL) on c. */
static void
fill_setting(struct store_conn *c, const char *sql)
{
	struct store_rows	*r;
	struct err		 e;

	err_clear(&e);
	if (store_query(c, sql, NULL, 0, &r, &e) != STORE_OK)
		fill_fail(sql, &e);
	while (store_rows_next(r))
		continue;
	if (store_rows_rc(r, &e) != STORE_OK)
		fill_fail(sql, &e);
	store_rows_free(r);
}

int
main(int argc, char **argv)
{
	static struct document	 kinds[FILL_KINDS];
	struct fill_source	 src;
	struct store		*st;
	struct store_conn	*c;
	struct err		 e;
	int64_t			 supplier, n, last, now;
	double			 t0 = bench_now();
	bool			 lite;
	int			 i;

	if (argc != 5)
		bench_die("usage: bench-fill DB SUPPLIER_ID DISTRIBUTOR_ID N");
	supplier = bench_arg_long(argv[2], "SUPPLIER_ID");
	n = bench_arg_long(argv[4], "N");
	if (sodium_init() < 0)
		bench_die("libsodium did not start");
	err_clear(&e);
	if (store_open(argv[1], 1, 5000, &st, &e) != STORE_OK ||
	    (c = store_acquire(st, &e)) == NULL)
		fill_fail(argv[1], &e);
	lite = store_kind(st) == STORE_SQLITE;
	if (lite) {
		fill_setting(c, "PRAGMA journal_mode=OFF");
		fill_setting(c, "PRAGMA synchronous=OFF");
	} else {
		fill_setting(c, "SET synchronous_commit = off");
	}
	fill_source(c, supplier, bench_arg_long(argv[3], "DISTRIBUTOR_ID"),
	    &src);

	now = (int64_t)time(NULL) * 1000;
	for (i = 0; i < FILL_KINDS; i++)
		fill_kind((uint64_t)i + 1, now, &kinds[i]);
	do {
		last = fill_batch(c, &src, supplier, n, kinds);
	} while (last < n);
	for (i = 0; i < FILL_KINDS; i++)
		document_release(&kinds[i]);

	if (lite)
		fill_setting(c, "PRAGMA journal_mode=WAL");
	store_release(c);
	store_close(st);
	printf("documents=%lld seconds=%.3f\n", (long long)last,
	    bench_now() - t0);
	return 0;
}
