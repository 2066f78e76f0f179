/*
 * audit.h - the audit log: who changed what, when, from where.
 *
 * Every change of a link, a permission, a licence binding or a service
 * status is written here in the same transaction as the change.  An entry
 * concerns one company (company_id) and may name the other side
 * (other_company_id); each of the two reads it.  Entries are never changed
 * or removed.  The store records what it is given: deciding what to write
 * and who may read is domain/'s job.
 */
#ifndef TOBMEN_STORE_AUDIT_H
#define TOBMEN_STORE_AUDIT_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct audit_entry {
	int64_t		 id;		/* set by the store */
	int64_t		 at;		/* Unix ms; 0 on insert means now */
	int64_t		 actor_user_id;	/* 0: none (a device, the system) */
	int64_t		 actor_company_id; /* 0: none (the operator) */
	const char	*ip;		/* client address; NULL: unknown */
	const char	*action;	/* dotted ("link.accept"); required */
	const char	*object_type;	/* "link", "licence", ...; or NULL */
	const char	*object_id;	/* or NULL */
	int64_t		 company_id;	/* the company concerned; required */
	int64_t		 other_company_id; /* the other side; 0: none */
	const char	*before;	/* JSON of the old state; NULL: none */
	const char	*after;		/* JSON of the new state; NULL: none */
};

/* The most entries store_audit_list hands out at once. */
#define AUDIT_LIST_MAX	500

/*
 * Appends a copy of a (its id is ignored).  NULL ip, object_type and
 * object_id are stored as "".  STORE_ERR with e filled if action is empty
 * or company_id is not positive.
 */
enum store_rc	store_audit_add(struct store_conn *c,
		    const struct audit_entry *a, struct err *e);

/*
 * Reads the entries that name company_id on either side, newest first: at
 * most limit (clamped to 1..AUDIT_LIST_MAX) with id < after (after <= 0
 * starts at the newest).  fn is called once per entry, its strings valid
 * until it returns (before and after NULL when absent); it returns 0 to go
 * on and anything else to stop.  *next_after (may be NULL) gets the id to
 * pass as after for the next page, or 0 when no entries remain or fn
 * stopped.
 */
enum store_rc	store_audit_list(struct store_conn *c, int64_t company_id,
		    int64_t after, int limit,
		    int (*fn)(const struct audit_entry *a, void *arg),
		    void *arg, int64_t *next_after, struct err *e);

#endif
