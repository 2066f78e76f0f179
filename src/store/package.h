/*
 * package.h - SQL for packages a supplier publishes to phones (catalogue,
 * prices, outlets, tasks, messages), their targets and the devices'
 * acknowledgements (migration 006).
 *
 * A package takes its position from the counter "packages" (store/feed.h)
 * inside the publishing transaction, so positions are visible in commit
 * order.  Whether a device may see a package is one SQL condition used
 * both by the download and by the acknowledgement: the package's
 * supplier has an accepted link with the device's company, the licence is
 * «ВКЛ» for that supplier, and the package targets everyone, the company
 * or the licence.  Functions run on the caller's connection and
 * transaction; none logs.
 */
#ifndef TOBMEN_STORE_PACKAGE_H
#define TOBMEN_STORE_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define PACKAGE_NAME_SIZE	404	/* 100 characters of up to 4 bytes */

struct store_package {
	int64_t	 id;
	int64_t	 supplier_id;
	int64_t	 position;
	char	 kind[16];		/* catalogue, prices, ... */
	char	 target[16];		/* all, codes, licences */
	char	 name[PACKAGE_NAME_SIZE];
	int64_t	 size;			/* bytes of payload */
	int64_t	 api_key_id;		/* 0 if not from a key */
	int64_t	 created_at;
};

/* Inserts p (supplier_id, kind, target, name, api_key_id, created_at)
 * with payload (JSON text) at position; *id gets the row. */
enum store_rc	store_package_insert(struct store_conn *c,
		    const struct store_package *p, const char *payload,
		    int64_t position, int64_t *id, struct err *e);

/* Adds a target of package id: a distributor (licence_id 0) or a
 * licence (distributor_id 0). */
enum store_rc	store_package_target(struct store_conn *c, int64_t id,
		    int64_t distributor_id, int64_t licence_id,
		    struct err *e);

/* Reads package id of supplier_id.  STORE_NOTFOUND (e
 * "package_not_found"). */
enum store_rc	store_package_get(struct store_conn *c, int64_t supplier_id,
		    int64_t id, struct store_package *out, struct err *e);

/* Lists the supplier's packages with position > after, by position, at
 * most limit.  *items is malloc'd (free it, also when *n is 0). */
enum store_rc	store_package_list(struct store_conn *c, int64_t supplier_id,
		    int64_t after, int limit, struct store_package **items,
		    size_t *n, struct err *e);

/* Counts the devices that acknowledged package id, the bound devices it
 * reaches now, and its targets. */
enum store_rc	store_package_stats(struct store_conn *c, int64_t id,
		    int64_t *acked, int64_t *devices, int64_t *targets,
		    struct err *e);

/* Finds the distributor that supplier_id knows by code in an accepted
 * link.  STORE_NOTFOUND if none. */
enum store_rc	store_package_code(struct store_conn *c, int64_t supplier_id,
		    int64_t code, int64_t *distributor_id, struct err *e);

/* Finds licence number if it is «ВКЛ» for supplier_id and its holder is
 * linked with the supplier or is the supplier.  STORE_NOTFOUND if not. */
enum store_rc	store_package_licence(struct store_conn *c,
		    int64_t supplier_id, const char *number, int64_t *id,
		    struct err *e);

/* A package offered to a device; strings valid until the callback
 * returns. */
struct store_package_offer {
	int64_t		 id;
	int64_t		 position;
	int64_t		 supplier_id;
	const char	*supplier_name;
	const char	*kind;
	const char	*name;
	int64_t		 created_at;
	const char	*payload;
	size_t		 payload_len;
};

/*
 * Calls fn for the packages the device may see and has not acknowledged,
 * with position > after, by position, at most limit.  licence_id and
 * company_id are the device's licence and its holder.  fn returns 0 to
 * go on.
 */
enum store_rc	store_package_offers(struct store_conn *c,
		    int64_t licence_id, int64_t company_id, int64_t device_id,
		    int64_t after, int limit,
		    int (*fn)(const struct store_package_offer *, void *),
		    void *arg, struct err *e);

/* Sets *visible to whether the device (its licence and company) may see
 * package id. */
enum store_rc	store_package_visible(struct store_conn *c,
		    int64_t licence_id, int64_t company_id, int64_t id,
		    bool *visible, struct err *e);

/* Records that device_id acknowledged package id at now, unless it had;
 * *acked_at gets the first acknowledgement's time and *first whether it
 * was this one. */
enum store_rc	store_package_ack(struct store_conn *c, int64_t id,
		    int64_t device_id, int64_t licence_id, int64_t now,
		    int64_t *acked_at, bool *first, struct err *e);

#endif
