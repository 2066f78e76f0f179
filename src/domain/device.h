/*
 * device.h - devices of the mobile trade app: activation, the device
 * token, and «Устройства».
 *
 * A device activates a licence with its number and activation code and
 * reports its MDM ID (a GUID) and app version.  It gets a device token:
 * 32 random bytes in base64url (domain/token.h), of which only the hash
 * is kept.  The rules:
 * - A wrong number or code is ERR_UNAUTHORIZED "activation_failed", the
 *   same answer for both, and counts against the client's address: more
 *   than DEVICE_ACTIVATE_LIMIT failures in DEVICE_ACTIVATE_WINDOW_MS are
 *   ERR_THROTTLED "throttled" until the oldest leaves the window.
 * - A blocked licence is ERR_FORBIDDEN "licence_blocked".
 * - A licence bound to another MDM ID is ERR_CONFLICT "licence_bound"
 *   until the binding is released (licence_move).  The same MDM ID may
 *   activate again: it gets a new token and the old one dies.
 * - Each activation is in the audit log, for the holder, the owner and
 *   the suppliers the licence is «ВКЛ» for.
 *
 * For the exchange (issue 6): device_auth turns a device token into the
 * licence, device and company behind it, and device_supplier_check tells
 * whether that licence may exchange with a supplier.  Functions borrow a
 * store connection (the _conn forms use the caller's), fill e and never
 * log.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_DEVICE_H
#define TOBMEN_DOMAIN_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "domain/token.h"
#include "store/device.h"
#include "store/licence.h"

#define DEVICE_ACTIVATE_LIMIT		20
#define DEVICE_ACTIVATE_WINDOW_MS	(15LL * 60 * 1000)
/* last_contact is written at most this often per device. */
#define DEVICE_TOUCH_MS			(60LL * 1000)
#define DEVICE_LIST_MAX			200

/* What a device sends to activate; strings are borrowed. */
struct device_activation {
	const char	*licence;		/* 20 digits */
	const char	*activation_code;	/* 16 digits, may be grouped */
	const char	*mdm_id;		/* GUID, any case */
	const char	*app_version;		/* 1 to 64 characters */
	const char	*user;			/* agent's name; NULL: keep */
	const char	*ip;			/* client address (throttle) */
};

/* What an activation gives back. */
struct device_session {
	char				 token[TOKEN_LEN + 1];	/* secret */
	struct store_licence		 licence;
	struct store_device		 device;
	/* The suppliers the licence is «ВКЛ» for; malloc'd. */
	struct store_licence_supplier	*suppliers;
	size_t				 nsuppliers;
	int				 retry_s;	/* with ERR_THROTTLED */
};

/* Wipes the token and frees the list; s may be used again. */
void	device_session_release(struct device_session *s);

/*
 * Activates in->licence on in->mdm_id (see the rules above).  The user
 * name, when given, becomes the licence's user only if it has none.
 * Returns 0 with out filled (release it in every case), or -1 with e.
 */
int	device_activate(const struct app *app,
	    const struct device_activation *in, struct device_session *out,
	    struct err *e);

/* Who a device token stands for. */
struct device_caller {
	int64_t	 device_id;
	int64_t	 licence_id;
	int64_t	 company_id;		/* the licence's holder */
	int64_t	 owner_id;		/* who pays for the licence */
	char	 number[LICENCE_NUMBER_LEN + 1];
	char	 mdm_id[LICENCE_MDM_SIZE];
	char	 user_name[LICENCE_USER_SIZE];
	char	 app_version[LICENCE_VERSION_SIZE];
};

/*
 * Finds the bound device whose token this is and notes the contact
 * (device and licence, at most once per DEVICE_TOUCH_MS).  Returns 0
 * with out filled, or -1 with e: ERR_UNAUTHORIZED "device_unauthorized"
 * for a malformed, unknown, replaced or released token, ERR_FORBIDDEN
 * "licence_blocked" for a blocked licence.  The _conn form runs on the
 * caller's connection (its own transaction, if any).
 */
int	device_auth(const struct app *app, const char *token,
	    struct device_caller *out, struct err *e);
int	device_auth_conn(struct store_conn *c, const char *token,
	    int64_t now, struct device_caller *out, struct err *e);

/* Returns 0 if the caller's licence is «ВКЛ» for supplier_id, else -1
 * with ERR_FORBIDDEN "licence_out_of_service" (or a store error). */
int	device_supplier_check(struct store_conn *c,
	    const struct device_caller *d, int64_t supplier_id,
	    struct err *e);

/* Lists the suppliers the caller's licence is «ВКЛ» for, with the
 * holder's distributor code in each.  *items is malloc'd (free it). */
int	device_suppliers(const struct app *app, const struct device_caller *d,
	    struct store_licence_supplier **items, size_t *n, struct err *e);

/* Lists the actor's company's devices, newest first, with id below
 * before (0: from the newest), at most limit (1 to DEVICE_LIST_MAX).
 * *items is malloc'd (free it); *more says whether more follow. */
int	device_list(const struct app *app, const struct actor *who,
	    int64_t before, int limit, struct store_device **items, size_t *n,
	    bool *more, struct err *e);

/* True if s is a GUID (8-4-4-4-12 hex digits); writes it lower-cased
 * into out (LICENCE_MDM_SIZE). */
bool	device_mdm_parse(const char *s, char out[LICENCE_MDM_SIZE]);

#endif
