/*
 * feed.c - reading the feed by cursor and keeping consumers' positions.
 *
 * No SQL or HTTP here: everything goes through store/feed.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/feed.h"

/* Carries a page through the store's callback. */
struct feed_walk {
	const struct buf	 *out;
	int			(*fn)(const struct store_feed_row *, void *);
	void			 *arg;
	struct feed_page	 *pg;
	int			  limit;
};

/* Hands one row on; stops at the limit or once the page is large. */
static int
feed_walk_one(const struct store_feed_row *f, void *arg)
{
	struct feed_walk	*w = arg;

	/* The store reads one row past the limit to tell whether more
	 * follow; that row is never handed on. */
	if ((int)w->pg->n == w->limit ||
	    (w->pg->n > 0 && w->out->len > FEED_PAGE_SOFT)) {
		w->pg->more = true;
		return 1;
	}
	if (w->fn(f, w->arg) != 0)
		return 1;
	w->pg->n++;
	w->pg->last = f->position;
	return 0;
}

int
feed_read(const struct app *app, int64_t supplier_id, int64_t after,
    int limit, const struct buf *out,
    int (*fn)(const struct store_feed_row *, void *), void *arg,
    struct feed_page *pg, struct err *e)
{
	struct feed_walk	 w = {
		.out = out, .fn = fn, .arg = arg, .pg = pg, .limit = limit,
	};
	struct store_conn	*c;
	char			 counter[32];
	enum store_rc		 rc;

	memset(pg, 0, sizeof(*pg));
	pg->last = after;
	if (limit < 1 || limit > FEED_LIMIT_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", FEED_LIMIT_MAX);
		return -1;
	}
	store_feed_counter_name(supplier_id, counter);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_counter_get(c, counter, &pg->head, e);
	if (rc == STORE_OK)
		rc = store_feed_page(c, supplier_id, after, limit + 1,
		    feed_walk_one, &w, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

int
feed_head(const struct app *app, int64_t supplier_id, int64_t *head,
    struct err *e)
{
	struct store_conn	*c;
	char			 counter[32];
	enum store_rc		 rc;

	*head = 0;
	store_feed_counter_name(supplier_id, counter);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_counter_get(c, counter, head, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

bool
feed_consumer_name_ok(const char *name)
{
	size_t	i, n;
	char	c;

	if (name == NULL || (n = strlen(name)) == 0 ||
	    n >= FEED_CONSUMER_NAME_SIZE - 3)
		return false;
	for (i = 0; i < n; i++) {
		c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return false;
	}
	return true;
}

/* The commit, on c inside a write transaction. */
static int
feed_commit_tx(struct store_conn *c, int64_t supplier_id, int64_t key_id,
    const char *name, int64_t position, struct feed_consumer *out,
    struct err *e)
{
	char	counter[32];
	int64_t	head;

	store_feed_counter_name(supplier_id, counter);
	if (store_counter_get(c, counter, &head, e) != STORE_OK)
		return -1;
	if (position > head) {
		err_set(e, ERR_INVALID, "position_ahead", "position",
		    "The feed has no position %lld yet (its last is %lld).",
		    (long long)position, (long long)head);
		return -1;
	}
	if (store_feed_consumer_put(c, supplier_id, name, position, key_id,
	    clock_now_ms(), e) != STORE_OK ||
	    store_feed_consumer_get(c, supplier_id, name, &out->row, e) !=
	    STORE_OK)
		return -1;
	out->lag = head - out->row.position;
	return 0;
}

int
feed_consumer_commit(const struct app *app, int64_t supplier_id,
    int64_t key_id, const char *name, int64_t position,
    struct feed_consumer *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if (!feed_consumer_name_ok(name)) {
		err_set(e, ERR_INVALID, "name_invalid", "name", "A consumer's "
		    "name is 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'.");
		return -1;
	}
	if (position < 0) {
		err_set(e, ERR_INVALID, "field_invalid", "position",
		    "position must be a position of the feed.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    feed_commit_tx(c, supplier_id, key_id, name, position, out, e) ==
	    0 && store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

int
feed_consumer_get(const struct app *app, int64_t supplier_id,
    const char *name, struct feed_consumer *out, struct err *e)
{
	struct store_conn	*c;
	char			 counter[32];
	int64_t			 head = 0;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if (!feed_consumer_name_ok(name)) {
		err_set(e, ERR_NOTFOUND, "consumer_not_found", NULL,
		    "There is no feed consumer of that name.");
		return -1;
	}
	store_feed_counter_name(supplier_id, counter);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_counter_get(c, counter, &head, e) == STORE_OK &&
	    store_feed_consumer_get(c, supplier_id, name, &out->row, e) ==
	    STORE_OK) {
		out->lag = head - out->row.position;
		rc = 0;
	}
	store_release(c);
	return rc;
}

int
feed_consumers(const struct app *app, int64_t supplier_id,
    struct feed_consumer **items, size_t *n, int64_t *head, struct err *e)
{
	struct store_feed_consumer	*rows = NULL;
	struct store_conn		*c;
	char				 counter[32];
	size_t				 i;
	int				 rc = -1;

	*items = NULL;
	*n = 0;
	*head = 0;
	store_feed_counter_name(supplier_id, counter);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_counter_get(c, counter, head, e) != STORE_OK ||
	    store_feed_consumer_list(c, supplier_id, &rows, n, e) != STORE_OK)
		goto out;
	*items = xcalloc(*n > 0 ? *n : 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		(*items)[i].row = rows[i];
		(*items)[i].lag = *head - rows[i].position;
	}
	rc = 0;

out:
	free(rows);
	store_release(c);
	return rc;
}
