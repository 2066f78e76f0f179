/*
 * network_int.h - what the network's source files share, private to
 * domain/network*.c.
 *
 * Each helper runs on the caller's connection and transaction and returns
 * 0 or -1 with e filled.
 */
#ifndef TOBMEN_DOMAIN_NETWORK_INT_H
#define TOBMEN_DOMAIN_NETWORK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/network.h"
#include "store/company.h"

/* Checks that the actor's company is a supplier (ERR_FORBIDDEN
 * "not_supplier") and, if change, that the actor is an owner or admin
 * (ERR_FORBIDDEN "forbidden").  co (initialised) gets the company. */
int	network_need_supplier(struct store_conn *c, const struct actor *who,
	    bool change, struct company *co, struct err *e);

/* Refuses an actor that is not an owner or admin of its company. */
int	network_need_manager(const struct actor *who, struct err *e);

/* Reads row id on side for company into out, with its shown status and
 * licence count at now. */
int	network_load(struct store_conn *c, enum link_side side,
	    int64_t company_id, int64_t id, int64_t now,
	    struct network_link *out, struct err *e);

/* Sets out->status and out->licences from out->row at now. */
int	network_fill(struct store_conn *c, int64_t now,
	    struct network_link *out, struct err *e);

/* Counts the licences that the supplier owns among the distributor's. */
int	network_owned(struct store_conn *c, int64_t supplier_id,
	    int64_t distributor_id, int64_t *n, struct err *e);

/* Takes the distributor's licences out of service for the supplier. */
int	network_drop(struct store_conn *c, int64_t supplier_id,
	    int64_t distributor_id, int64_t now, struct err *e);

/* Writes an audit entry for a change of a link from before to after
 * (either may be NULL), seen by the supplier and, once known, the
 * distributor. */
int	network_audit(struct store_conn *c, const struct actor *who,
	    const char *action, const struct store_link *before,
	    const struct store_link *after, int64_t now, struct err *e);

/* Queues the "invite" mail for row l with token. */
int	network_mail_invite(const struct app *app, struct store_conn *c,
	    const struct store_link *l, const char *token, struct err *e);

/* Wakes the mail worker after a commit that queued mail. */
void	network_kick(const struct app *app);

#endif
