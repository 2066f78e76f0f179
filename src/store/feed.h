/*
 * feed.h - SQL for the supplier's feed: the position counters that order
 * it, reading it by cursor, and the named consumers' committed positions
 * (migration 006; the design is told at the top of 006_exchange.sql).
 *
 * A counter is a row of exchange_counters.  store_counter_lock locks it
 * for the rest of the caller's write transaction and reads its value; the
 * caller hands out the following numbers to what it writes and stores the
 * new value with store_counter_set before committing.  Another writer of
 * the same counter waits until that commit, so numbers become visible in
 * order.  Functions run on the caller's connection and transaction; none
 * logs.
 */
#ifndef TOBMEN_STORE_FEED_H
#define TOBMEN_STORE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define FEED_CONSUMER_NAME_SIZE	68	/* 64 ASCII characters */
#define FEED_CONSUMERS_MAX	100

/* Writes the name of supplier_id's feed counter ("feed/42") into out,
 * which holds 32 bytes. */
void		store_feed_counter_name(int64_t supplier_id, char out[32]);

/* Locks counter name (made at 0 if new) inside a write transaction and
 * reads it into *last. */
enum store_rc	store_counter_lock(struct store_conn *c, const char *name,
		    int64_t *last, struct err *e);
/* Sets a counter locked by store_counter_lock to last. */
enum store_rc	store_counter_set(struct store_conn *c, const char *name,
		    int64_t last, struct err *e);
/* Reads counter name without locking; 0 if it does not exist yet. */
enum store_rc	store_counter_get(struct store_conn *c, const char *name,
		    int64_t *last, struct err *e);

/* One document of a feed page; strings valid until the callback
 * returns. */
struct store_feed_row {
	int64_t		 position;
	int64_t		 id;
	const char	*uuid;
	const char	*kind;
	int64_t		 received_at;
	int64_t		 distributor_id;
	int64_t		 distributor_code;
	const char	*distributor_name;
	const char	*licence_number;	/* "" from a system */
	const char	*device_mdm_id;		/* "" from a system */
	bool		 from_system;
	const char	*agent;
	const char	*body;			/* canonical JSON */
	size_t		 body_len;
};

/*
 * Calls fn for the supplier's documents with position > after, in
 * position order, at most limit; fn returns 0 to go on, anything else to
 * stop.  One statement, so the page is one snapshot.
 */
enum store_rc	store_feed_page(struct store_conn *c, int64_t supplier_id,
		    int64_t after, int limit,
		    int (*fn)(const struct store_feed_row *, void *),
		    void *arg, struct err *e);

struct store_feed_consumer {
	char	 name[FEED_CONSUMER_NAME_SIZE];
	int64_t	 position;
	int64_t	 api_key_id;		/* the key that last committed */
	int64_t	 created_at;
	int64_t	 updated_at;
};

/*
 * Commits position for the supplier's consumer name (made if new) at now.
 * A position below the one committed before is refused: STORE_CONFLICT
 * with e "position_backwards", nothing changed.
 */
enum store_rc	store_feed_consumer_put(struct store_conn *c,
		    int64_t supplier_id, const char *name, int64_t position,
		    int64_t api_key_id, int64_t now, struct err *e);

/* Reads one consumer.  STORE_NOTFOUND (e "consumer_not_found"). */
enum store_rc	store_feed_consumer_get(struct store_conn *c,
		    int64_t supplier_id, const char *name,
		    struct store_feed_consumer *out, struct err *e);

/* Lists the supplier's consumers by name, at most FEED_CONSUMERS_MAX.
 * *items is malloc'd (free it, also when *n is 0). */
enum store_rc	store_feed_consumer_list(struct store_conn *c,
		    int64_t supplier_id, struct store_feed_consumer **items,
		    size_t *n, struct err *e);

#endif
