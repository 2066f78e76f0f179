/*
 * package.h - packages a supplier publishes to its distributors' phones:
 * catalogue, prices, outlets, tasks and messages.
 *
 * The rules:
 * - Only a supplier publishes, with an API key of scope publish.  A
 *   package has a kind, an optional name (up to 100 characters), a JSON
 *   payload (an object or an array) and a target: "all" (every
 *   distributor linked with the supplier when a phone asks), {"codes":
 *   [...]} (distributors by their code, each in an accepted link) or
 *   {"licences": [...]} (licences by number, each «ВКЛ» for the
 *   supplier), up to PACKAGE_TARGETS_MAX entries.  A code or licence that
 *   does not qualify refuses the whole package.
 * - A phone sees the packages of every supplier its licence is «ВКЛ» for
 *   and that target it, in position order, until it acknowledges each;
 *   acknowledging twice is harmless.  A package it may not see is "not
 *   found".
 * - Publishing takes the next position of the "packages" counter in
 *   commit order, so a phone paging with after= never skips one.
 *
 * Functions borrow a store connection, fill e on failure, never log.
 * Thread safe.
 */
#ifndef TOBMEN_DOMAIN_PACKAGE_H
#define TOBMEN_DOMAIN_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/apikey.h"
#include "domain/device.h"
#include "store/package.h"

#define PACKAGE_TARGETS_MAX	1000
#define PACKAGE_LIST_MAX	200
/* A page of downloads stops growing once its text passes this; the next
 * package goes to the next page. */
#define PACKAGE_PAGE_SOFT	(8u * 1024 * 1024)

/* A package with what is known of its delivery. */
struct package_info {
	struct store_package	 row;
	int64_t			 acked;		/* devices that acknowledged */
	int64_t			 devices;	/* bound devices it reaches */
	int64_t			 targets;	/* codes or licences named */
};

/*
 * Publishes the package described by o ({kind, name?, target, payload})
 * for the key's company.  ERR_INVALID "kind_invalid", "target_invalid",
 * "payload_invalid", "name_invalid", "code_unknown" / "licence_unknown"
 * (field names the entry); ERR_FORBIDDEN "not_supplier".
 */
int	package_publish(const struct app *app, const struct apikey_caller *k,
	    json_t *o, struct package_info *out, struct err *e);

/* Reads package id of the supplier with its delivery counts.
 * ERR_NOTFOUND "package_not_found". */
int	package_get(const struct app *app, int64_t supplier_id, int64_t id,
	    struct package_info *out, struct err *e);

/* Lists the supplier's packages with position > after (limit 1 to
 * PACKAGE_LIST_MAX); *items is malloc'd (free it), *more says whether a
 * page follows. */
int	package_list(const struct app *app, int64_t supplier_id,
	    int64_t after, int limit, struct package_info **items, size_t *n,
	    bool *more, struct err *e);

/* A package as a phone gets it. */
struct package_row {
	int64_t		 id;
	int64_t		 position;
	int64_t		 supplier_id;
	const char	*supplier_name;
	const char	*kind;
	const char	*name;
	int64_t		 created_at;
	const char	*payload;	/* JSON text */
	size_t		 payload_len;
};

/* Where a page of downloads ended. */
struct package_page {
	size_t	n;
	int64_t	last;		/* position of the last package given */
	bool	more;		/* call again with after = last */
};

/*
 * Calls fn for the packages the device is offered with position > after,
 * at most limit, stopping early once out's text passes PACKAGE_PAGE_SOFT
 * (out is the buffer fn writes to; only its length is read).
 */
int	package_for_device(const struct app *app,
	    const struct device_caller *d, int64_t after, int limit,
	    const struct buf *out,
	    int (*fn)(const struct package_row *, void *), void *arg,
	    struct package_page *pg, struct err *e);

/* Acknowledges package id for the device.  *acked_at gets the time of
 * the first acknowledgement, *first whether it was this call.
 * ERR_NOTFOUND "package_not_found" if the device may not see it. */
int	package_ack(const struct app *app, const struct device_caller *d,
	    int64_t id, int64_t *acked_at, bool *first, struct err *e);

#endif
