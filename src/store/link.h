/*
 * link.h - SQL for links: invitations into a supplier's network and the
 * links they become.
 *
 * A row starts "invited" with the hash of its token, becomes "accepted"
 * (the distributor company is then set) or ends "declined", "revoked" or
 * "disconnected".  Every state change is one UPDATE guarded by the state
 * it leaves, so two requests racing on one row cannot both win; a lost
 * race is STORE_NOTFOUND.  Tenant lookups take the company on the side
 * that asks.  Rows are copied into fixed-size structs; only the lists are
 * malloc'd.  Functions run on the caller's connection and transaction;
 * none of them logs.
 */
#ifndef TOBMEN_STORE_LINK_H
#define TOBMEN_STORE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define LINK_NAME_SIZE		808	/* 200 characters of up to 4 bytes */
#define LINK_EMAIL_SIZE		256
#define LINK_COMPANY_SIZE	1204	/* 300 characters of up to 4 bytes */
#define LINK_REASON_SIZE	2004	/* 500 characters of up to 4 bytes */
#define LINK_CODE_MIN		10000
#define LINK_CODE_MAX		99999

/* Which company a lookup is scoped to. */
enum link_side {
	LINK_SUPPLIER,		/* rows where supplier_id is the company */
	LINK_DISTRIBUTOR,	/* accepted rows where it is the distributor */
};

struct store_link {
	int64_t	 id;
	int64_t	 supplier_id;
	int64_t	 distributor_id;	/* 0 until accepted or declined */
	int64_t	 code;
	char	 name[LINK_NAME_SIZE];	/* as the supplier wrote it */
	char	 email[LINK_EMAIL_SIZE];
	char	 lang[8];
	char	 status[16];		/* invited, accepted, declined, ... */
	char	 reason[LINK_REASON_SIZE];	/* of a disconnection */
	bool	 manage_licences;
	int64_t	 invited_by;		/* user id, 0 if unknown */
	int64_t	 created_at;
	int64_t	 invited_at;		/* last (re)sent */
	int64_t	 expires_at;
	int64_t	 accepted_at;		/* 0 = never */
	int64_t	 ended_at;		/* declined, revoked, disconnected */
	int64_t	 updated_at;

	/* Read from companies; "" when there is no such company. */
	char	 supplier_name[LINK_COMPANY_SIZE];
	char	 distributor_name[LINK_COMPANY_SIZE];
};

/*
 * Inserts an "invited" row from l (supplier_id, code, name, email, lang,
 * invited_by, expires_at) with token_hash, dated now, and stores its id in
 * *id.  STORE_CONFLICT (e "code_taken") if the supplier already holds the
 * code; the insert then changes nothing and the transaction stays usable.
 */
enum store_rc	store_link_insert(struct store_conn *c,
		    const struct store_link *l, const char *token_hash,
		    int64_t now, int64_t *id, struct err *e);

/* Sets *used to whether a live row of the supplier other than except_id
 * (0 for none) holds code. */
enum store_rc	store_link_code_used(struct store_conn *c,
		    int64_t supplier_id, int64_t code, int64_t except_id,
		    bool *used, struct err *e);

/* Sets *open to whether the supplier has an invited or accepted row for
 * this (lowercased) e-mail. */
enum store_rc	store_link_email_open(struct store_conn *c,
		    int64_t supplier_id, const char *email, bool *open,
		    struct err *e);

/* Finds the lowest code the supplier does not hold into *code.
 * STORE_NOTFOUND (e "codes_exhausted") if every code is held. */
enum store_rc	store_link_code_lowest_free(struct store_conn *c,
		    int64_t supplier_id, int64_t *code, struct err *e);

/* Reads row id as seen by company on side.  STORE_NOTFOUND (e
 * "link_not_found") if that company may not see it. */
enum store_rc	store_link_get(struct store_conn *c, enum link_side side,
		    int64_t company_id, int64_t id, struct store_link *out,
		    struct err *e);

/* Reads the row whose live token has this hash (any state; the caller
 * judges it).  STORE_NOTFOUND if none. */
enum store_rc	store_link_find_token(struct store_conn *c,
		    const char *token_hash, struct store_link *out,
		    struct err *e);

/* Lists up to limit rows seen by company on side with id > after, by
 * id.  *items is malloc'd (free() it, also when *n is 0). */
enum store_rc	store_link_list(struct store_conn *c, enum link_side side,
		    int64_t company_id, int64_t after, int limit,
		    struct store_link **items, size_t *n, struct err *e);

/* Sets *linked to whether supplier and distributor share an accepted
 * row. */
enum store_rc	store_link_active(struct store_conn *c, int64_t supplier_id,
		    int64_t distributor_id, bool *linked, struct err *e);

/*
 * Spends the token: the row still "invited" and unexpired at now, not the
 * company's own invitation, and meant for company (distributor_id unset
 * or equal), becomes "accepted" by company, or "declined" when accept is
 * false.  *id gets the row.  STORE_NOTFOUND if no row qualifies (the
 * token is unknown, spent, expired, or lost a race); STORE_CONFLICT if
 * the pair is already linked.
 */
enum store_rc	store_link_spend(struct store_conn *c,
		    const char *token_hash, int64_t company_id, bool accept,
		    int64_t now, int64_t *id, struct err *e);

/*
 * Gives row id of the supplier a new token valid until expires_at and
 * makes it "invited" again, from "invited" (expired or not), "declined",
 * "revoked" or "disconnected".  A disconnected row keeps its distributor,
 * so only that company can take it back; the others forget who declined.
 * STORE_NOTFOUND if the row is not in such a state; STORE_CONFLICT if its
 * code was given to another row meanwhile.
 */
enum store_rc	store_link_reissue(struct store_conn *c,
		    int64_t supplier_id, int64_t id, const char *token_hash,
		    int64_t expires_at, int64_t now, struct err *e);

/* "invited" -> "revoked" for row id of the supplier; the token dies.
 * STORE_NOTFOUND if the row is not invited. */
enum store_rc	store_link_revoke(struct store_conn *c, int64_t supplier_id,
		    int64_t id, int64_t now, struct err *e);

/* "accepted" -> "disconnected" with reason; the permission is cleared.
 * STORE_NOTFOUND if the row is not accepted. */
enum store_rc	store_link_disconnect(struct store_conn *c,
		    int64_t supplier_id, int64_t id, const char *reason,
		    int64_t now, struct err *e);

/* Sets the licence-management permission of the distributor's accepted
 * row id.  STORE_NOTFOUND if there is no such row. */
enum store_rc	store_link_set_manage(struct store_conn *c,
		    int64_t distributor_id, int64_t id, bool on, int64_t now,
		    struct err *e);

#endif
