/*
 * device.h - SQL for devices: installs of the mobile trade app bound to
 * licences.
 *
 * A device row is made when a licence is activated on an MDM ID.  While
 * bound (released_at unset) it holds the hash of its device token; a
 * licence has at most one bound device, which the schema enforces.
 * Releasing a device (a licence moved to another agent) clears its token
 * and keeps the row for the history of «Устройства».  Functions run on
 * the caller's connection and transaction; none logs.
 */
#ifndef TOBMEN_STORE_DEVICE_H
#define TOBMEN_STORE_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/licence.h"
#include "store/store.h"

struct store_device {
	int64_t	 id;
	int64_t	 licence_id;
	int64_t	 company_id;		/* the licence's holder */
	char	 mdm_id[LICENCE_MDM_SIZE];
	char	 app_version[LICENCE_VERSION_SIZE];
	char	 user_name[LICENCE_USER_SIZE];
	int64_t	 first_contact_at;
	int64_t	 last_contact_at;
	int64_t	 released_at;		/* 0 while bound */

	/* Read from the licence. */
	char	 number[LICENCE_NUMBER_LEN + 1];
	int64_t	 owner_id;
	bool	 blocked;
};

/* Inserts a bound device from d (licence_id, company_id, mdm_id,
 * app_version, user_name) with token_hash, first and last contact now,
 * and stores its id in *id.  STORE_CONFLICT (e "licence_bound") if the
 * licence has a bound device already; the transaction stays usable. */
enum store_rc	store_device_insert(struct store_conn *c,
		    const struct store_device *d, const char *token_hash,
		    int64_t now, int64_t *id, struct err *e);

/* Reads the device bound to licence_id.  STORE_NOTFOUND if none. */
enum store_rc	store_device_bound(struct store_conn *c, int64_t licence_id,
		    struct store_device *out, struct err *e);

/* Gives bound device id a new token hash and records a new activation
 * (version, user, last contact now) on the same install. */
enum store_rc	store_device_reissue(struct store_conn *c, int64_t id,
		    const char *token_hash, const char *app_version,
		    const char *user_name, int64_t now, struct err *e);

/* Releases the device bound to licence_id, if any: its token dies.
 * *released (may be NULL) says whether there was one. */
enum store_rc	store_device_release(struct store_conn *c,
		    int64_t licence_id, int64_t now, bool *released,
		    struct err *e);

/* Reads the bound device whose token has this hash.  STORE_NOTFOUND if
 * none (unknown, replaced or released). */
enum store_rc	store_device_by_token(struct store_conn *c,
		    const char *token_hash, struct store_device *out,
		    struct err *e);

/* Sets the last contact of device id to now. */
enum store_rc	store_device_touch(struct store_conn *c, int64_t id,
		    int64_t now, struct err *e);

/* Lists up to limit devices of company_id, newest first, with id below
 * before (0: from the newest).  *items is malloc'd (free() it). */
enum store_rc	store_device_list(struct store_conn *c, int64_t company_id,
		    int64_t before, int limit, struct store_device **items,
		    size_t *n, struct err *e);

#endif
