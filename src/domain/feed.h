/*
 * feed.h - the supplier's consolidated feed of its distributors' documents
 * and the named consumers that read it.
 *
 * The rules:
 * - The feed is every document stored for the supplier, in position
 *   order.  A reader asks for position > after, at most FEED_LIMIT_MAX at
 *   once, and continues from the last position it got.  Positions are
 *   handed out in commit order (store/feed.h), so a reader that does
 *   this never skips nor repeats a committed document, whatever the
 *   concurrency of the writers.
 * - A consumer is a name (1 to 64 of A-Z a-z 0-9 . _ -) under which the
 *   supplier's system commits the position it has processed.  The
 *   position moves forward only and never past the feed's head; its lag
 *   is head minus position.
 *
 * Tenancy: the supplier comes from the caller's key or session.
 * Functions borrow a store connection, fill e on failure, never log.
 * Thread safe.
 */
#ifndef TOBMEN_DOMAIN_FEED_H
#define TOBMEN_DOMAIN_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/feed.h"

#define FEED_LIMIT_MAX		1000
#define FEED_LIMIT_DEFAULT	100
/* A page stops growing once its text passes this (documents are at most
 * the request body limit each, so the page stays far below its cap). */
#define FEED_PAGE_SOFT		(16u * 1024 * 1024)

/* Where a page ended. */
struct feed_page {
	size_t	n;
	int64_t	last;		/* the position to continue after */
	int64_t	head;		/* the feed's last position when read */
	bool	more;		/* documents past last existed */
};

/*
 * Calls fn for the supplier's documents with position > after, at most
 * limit (1 to FEED_LIMIT_MAX), stopping early once out (the buffer fn
 * writes to) passes FEED_PAGE_SOFT.  pg->last is after when the page is
 * empty.
 */
int	feed_read(const struct app *app, int64_t supplier_id, int64_t after,
	    int limit, const struct buf *out,
	    int (*fn)(const struct store_feed_row *, void *), void *arg,
	    struct feed_page *pg, struct err *e);

/* Reads the supplier's last feed position (0 while the feed is empty)
 * into *head. */
int	feed_head(const struct app *app, int64_t supplier_id, int64_t *head,
	    struct err *e);

/* A consumer with its lag. */
struct feed_consumer {
	struct store_feed_consumer	row;
	int64_t				lag;	/* head - position */
};

/* Commits position for consumer name of the supplier (made if new) by
 * key_id (0: not a key).  ERR_INVALID "name_invalid" / "position_ahead";
 * ERR_CONFLICT "position_backwards". */
int	feed_consumer_commit(const struct app *app, int64_t supplier_id,
	    int64_t key_id, const char *name, int64_t position,
	    struct feed_consumer *out, struct err *e);

/* Reads consumer name.  ERR_NOTFOUND "consumer_not_found". */
int	feed_consumer_get(const struct app *app, int64_t supplier_id,
	    const char *name, struct feed_consumer *out, struct err *e);

/* Lists the supplier's consumers with their lag; *head gets the feed's
 * last position.  *items is malloc'd (free it). */
int	feed_consumers(const struct app *app, int64_t supplier_id,
	    struct feed_consumer **items, size_t *n, int64_t *head,
	    struct err *e);

/* True if name is a valid consumer name. */
bool	feed_consumer_name_ok(const char *name);

#endif
