/*
 * feed.c - counters, feed pages and consumers; portable SQL.
 *
 * What a page holds and who may read it is decided in domain/feed.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/feed.h"

void
store_feed_counter_name(int64_t supplier_id, char out[32])
{
	snprintf(out, 32, "feed/%lld", (long long)supplier_id);
}

enum store_rc
store_counter_lock(struct store_conn *c, const char *name, int64_t *last,
    struct err *e)
{
	static const char	lock[] = "UPDATE exchange_counters SET "
				    "last = last WHERE name = $1 "
				    "RETURNING last";
	struct store_param	p[] = { SP_T(name) };
	enum store_rc		rc;

	/* The no-op UPDATE takes the row lock that orders the writers. */
	rc = store_query_int(c, lock, p, 1, last, e);
	if (rc != STORE_NOTFOUND)
		return rc;

	rc = store_exec(c, "INSERT INTO exchange_counters (name, last) "
	    "VALUES ($1, 0) ON CONFLICT DO NOTHING", p, 1, NULL, e);
	if (rc != STORE_OK)
		return rc;
	return store_query_int(c, lock, p, 1, last, e);
}

enum store_rc
store_counter_set(struct store_conn *c, const char *name, int64_t last,
    struct err *e)
{
	struct store_param	p[] = { SP_T(name), SP_I(last) };

	return store_exec(c, "UPDATE exchange_counters SET last = $2 WHERE "
	    "name = $1", p, 2, NULL, e);
}

enum store_rc
store_counter_get(struct store_conn *c, const char *name, int64_t *last,
    struct err *e)
{
	struct store_param	p[] = { SP_T(name) };
	enum store_rc		rc;

	rc = store_query_int(c, "SELECT last FROM exchange_counters WHERE "
	    "name = $1", p, 1, last, e);
	if (rc == STORE_NOTFOUND) {
		*last = 0;
		err_clear(e);
		rc = STORE_OK;
	}
	return rc;
}

/* Fills f from the current row of a feed page. */
static void
feed_read(const struct store_rows *r, struct store_feed_row *f)
{
	f->position = store_rows_int(r, 0);
	f->id = store_rows_int(r, 1);
	f->uuid = store_rows_text(r, 2);
	f->kind = store_rows_text(r, 3);
	f->received_at = store_rows_int(r, 4);
	f->distributor_id = store_rows_int(r, 5);
	f->distributor_code = store_rows_int(r, 6);
	f->distributor_name = store_rows_text(r, 7);
	f->licence_number = store_rows_text(r, 8);
	f->device_mdm_id = store_rows_text(r, 9);
	f->from_system = store_rows_int(r, 10) != 0;
	f->agent = store_rows_text(r, 11);
	f->body = store_rows_text(r, 12);
	f->body_len = store_rows_len(r, 12);
}

enum store_rc
store_feed_page(struct store_conn *c, int64_t supplier_id, int64_t after,
    int limit, int (*fn)(const struct store_feed_row *, void *), void *arg,
    struct err *e)
{
	struct store_param	 p[] = {
		SP_I(supplier_id), SP_I(after), SP_I(limit),
	};
	struct store_feed_row	 f;
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, "SELECT position, id, uuid, kind, received_at, "
	    "distributor_id, distributor_code, distributor_name, "
	    "licence_number, device_mdm_id, CASE WHEN api_key_id IS NULL "
	    "THEN 0 ELSE 1 END, agent, body FROM documents WHERE "
	    "supplier_id = $1 AND position > $2 ORDER BY position LIMIT $3",
	    p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;

	while (store_rows_next(r)) {
		feed_read(r, &f);
		if (fn(&f, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

#define CONSUMER_SELECT "SELECT name, position, COALESCE(api_key_id, 0), " \
	"created_at, updated_at FROM feed_consumers "

/* Fills k from the current row (columns as in CONSUMER_SELECT). */
static void
consumer_read(const struct store_rows *r, struct store_feed_consumer *k)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", store_rows_text(r, 0));
	k->position = store_rows_int(r, 1);
	k->api_key_id = store_rows_int(r, 2);
	k->created_at = store_rows_int(r, 3);
	k->updated_at = store_rows_int(r, 4);
}

enum store_rc
store_feed_consumer_put(struct store_conn *c, int64_t supplier_id,
    const char *name, int64_t position, int64_t api_key_id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_T(name), SP_I(position),
		api_key_id > 0 ? SP_I(api_key_id) : SP_N, SP_I(now),
	};
	enum store_rc		rc;
	int64_t			changes = 0;

	rc = store_exec(c, "INSERT INTO feed_consumers (supplier_id, name, "
	    "position, api_key_id, created_at, updated_at) VALUES ($1, $2, "
	    "$3, $4, $5, $5) ON CONFLICT (supplier_id, name) DO UPDATE SET "
	    "position = excluded.position, api_key_id = excluded.api_key_id, "
	    "updated_at = excluded.updated_at "
	    "WHERE feed_consumers.position <= excluded.position",
	    p, 5, &changes, e);
	if (rc == STORE_OK && changes == 0) {
		rc = STORE_CONFLICT;
		err_set(e, ERR_CONFLICT, "position_backwards", "position",
		    "A consumer's position only moves forward.");
	}
	return rc;
}

enum store_rc
store_feed_consumer_get(struct store_conn *c, int64_t supplier_id,
    const char *name, struct store_feed_consumer *out, struct err *e)
{
	struct store_param	 p[] = { SP_I(supplier_id), SP_T(name) };
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, CONSUMER_SELECT "WHERE supplier_id = $1 AND "
	    "name = $2", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r))
		consumer_read(r, out);
	else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "consumer_not_found", NULL,
		    "There is no feed consumer of that name.");
	}
	store_rows_free(r);
	return rc;
}

enum store_rc
store_feed_consumer_list(struct store_conn *c, int64_t supplier_id,
    struct store_feed_consumer **items, size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(supplier_id), SP_I(FEED_CONSUMERS_MAX),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*items = xcalloc(FEED_CONSUMERS_MAX, sizeof(**items));
	*n = 0;
	rc = store_query(c, CONSUMER_SELECT "WHERE supplier_id = $1 "
	    "ORDER BY name LIMIT $2", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < FEED_CONSUMERS_MAX && store_rows_next(r))
		consumer_read(r, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}
