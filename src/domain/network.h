/*
 * network.h - a supplier's distributor network: invitations, joining,
 * supplier cards and the licence-management permission.
 *
 * The rules: only a supplier company invites, and only its owners and
 * admins change its network (members look).  A distributor code is 10000
 * to 99999 and unique within the supplier.  An invitation token is 32
 * random bytes (domain/token.h), kept only as a hash, spent once, dead
 * after cfg->invite_ttl_s or when replaced (resend) or revoked.  A company
 * holds at most one accepted link per supplier and never accepts its own
 * invitation.  The distributor's owners and admins answer invitations and
 * set the permission.  Every change, its audit entry and its mail are one
 * transaction; the mail worker is kicked after the commit.
 *
 * Tenancy: the company always comes from the actor.  Another company's
 * row is "not found"; a company on the wrong side (a distributor calling
 * supplier functions) is ERR_FORBIDDEN "not_supplier".  Functions borrow
 * a store connection from app for their own transaction, fill e on
 * failure and never log.  Thread safe once network_licences_set was
 * called (at start-up, before serving).
 */
#ifndef TOBMEN_DOMAIN_NETWORK_H
#define TOBMEN_DOMAIN_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "store/link.h"

#define NETWORK_LIST_MAX	200	/* rows per page */
#define NETWORK_IMPORT_MAX	1000	/* CSV rows per import */
#define NETWORK_REASON_MAX	500	/* characters of a disconnection */

/*
 * What the licence module (issue 5) does for the network.  Each function
 * runs on the caller's connection and transaction and returns 0 or -1
 * with e filled.  Until a module registers itself there are no licences:
 * counts are 0 and there is nothing to take out of service.
 */
struct network_licences {
	/* Counts the distributor's licences in service for the supplier. */
	int	(*in_service)(struct store_conn *c, int64_t supplier_id,
		    int64_t distributor_id, int64_t *n, struct err *e);
	/* Counts the distributor's licences that the supplier owns. */
	int	(*owned_by_supplier)(struct store_conn *c,
		    int64_t supplier_id, int64_t distributor_id, int64_t *n,
		    struct err *e);
	/* Takes every licence of the distributor out of service for the
	 * supplier (the link ends); the data already received stays. */
	int	(*drop)(struct store_conn *c, int64_t supplier_id,
		    int64_t distributor_id, int64_t now, struct err *e);
};

/* Registers the licence module; ops must live as long as the process. */
void	network_licences_set(const struct network_licences *ops);

/* A row of the network as one side sees it. */
struct network_link {
	struct store_link	 row;
	/* invited, expired, accepted, declined, revoked, disconnected */
	const char		*status;
	int64_t			 licences;	/* in service for supplier */
};

/* What the supplier gives for a new distributor. */
struct network_invite {
	const char	*name;
	const char	*email;
	const char	*code;	/* NULL or "" to have one assigned */
	const char	*lang;	/* of the mail: "ru" (NULL) or "en" */
};

/*
 * Supplier side.  Each needs a supplier company; changes need an owner or
 * admin (ERR_FORBIDDEN "forbidden").
 */

/*
 * Adds an invited distributor and queues the "invite" mail.  ERR_INVALID
 * for a bad name ("name_invalid"), e-mail ("email_invalid") or code
 * ("code_invalid"); ERR_CONFLICT "code_taken" (field "code") if the given
 * code is held, "already_invited" if the address has an open invitation
 * or a link, "self_invite" if it belongs to the supplier's own user.
 */
int	network_invite(const struct app *app, const struct actor *who,
	    const struct network_invite *in, struct network_link *out,
	    struct err *e);

/* Lists the supplier's rows with id > after, at most limit (1 to
 * NETWORK_LIST_MAX).  *items is malloc'd (free it); *more says whether
 * another page follows. */
int	network_list(const struct app *app, const struct actor *who,
	    int64_t after, int limit, struct network_link **items, size_t *n,
	    bool *more, struct err *e);

/* Reads row id of the supplier.  ERR_NOTFOUND "link_not_found". */
int	network_get(const struct app *app, const struct actor *who,
	    int64_t id, struct network_link *out, struct err *e);

/* Sends a new token for row id (invited, expired, declined, revoked or
 * disconnected); the old token dies.  ERR_CONFLICT "invalid_state" for an
 * accepted row, "code_taken" if its code went to another row. */
int	network_resend(const struct app *app, const struct actor *who,
	    int64_t id, struct network_link *out, struct err *e);

/* Withdraws an open invitation.  ERR_CONFLICT "invalid_state" if it is
 * not open. */
int	network_revoke(const struct app *app, const struct actor *who,
	    int64_t id, struct network_link *out, struct err *e);

/* Ends an accepted link for reason (1 to NETWORK_REASON_MAX characters);
 * the distributor's licences drop out of service for the supplier. */
int	network_disconnect(const struct app *app, const struct actor *who,
	    int64_t id, const char *reason, struct network_link *out,
	    struct err *e);

/* One line of a CSV import and what became of it. */
struct network_import_row {
	int			 line;		/* 1-based, in the file */
	char			 name[LINK_NAME_SIZE];
	char			 email[LINK_EMAIL_SIZE];
	char			 code[16];	/* as given, may be "" */
	struct network_link	 link;		/* when accepted */
	struct err		 err;		/* ERR_NONE: accepted */
};

/*
 * Invites every row of csv (UTF-8, with or without a BOM; "name;e-mail;
 * code" separated by ';' or ','; fields may be quoted; a first line of
 * column titles is skipped; the code may be empty).  Each row is its own
 * transaction, so one bad row refuses only itself.  *rows is malloc'd
 * (free it).  Returns -1 only when the whole file is refused: not a
 * supplier or admin, empty, or more than NETWORK_IMPORT_MAX rows.
 */
int	network_import(const struct app *app, const struct actor *who,
	    const char *csv, size_t len, const char *lang,
	    struct network_import_row **rows, size_t *n, struct err *e);

/*
 * Splits csv into rows as network_import describes, without inviting:
 * each row gets its line, fields and, for a row of the wrong shape, its
 * error.  Column titles and blank lines are skipped.  *rows is malloc'd
 * (free it, also on failure).  -1 with e "csv_empty" or "too_many_rows".
 */
int	network_import_parse(const char *csv, size_t len,
	    struct network_import_row **rows, size_t *n, struct err *e);

/*
 * Distributor side.
 */

/*
 * Reads the invitation behind token for the actor's company.  An
 * unknown, spent, revoked, replaced or expired token, or one meant for
 * another company, is ERR_NOTFOUND "invitation_invalid" with one message
 * that tells them apart in no way; ERR_CONFLICT "self_invite" for the
 * company's own invitation.  Failed lookups are throttled per user and
 * per address (ERR_THROTTLED "throttled").
 */
int	network_invitation(const struct app *app, const struct actor *who,
	    const char *token, struct network_link *out, struct err *e);

/*
 * Accepts (accept) or declines the invitation for the actor's company
 * (owner or admin).  Accepting links the company under the invitation's
 * code, marks it a distributor, and is atomic: of two requests with one
 * token exactly one succeeds.  Errors as network_invitation, plus
 * ERR_CONFLICT "already_linked".  out (may be NULL) gets the new card.
 */
int	network_answer(const struct app *app, const struct actor *who,
	    const char *token, bool accept, struct network_link *out,
	    struct err *e);

/* Lists the actor's supplier cards (accepted links) with id > after. */
int	network_suppliers(const struct app *app, const struct actor *who,
	    int64_t after, int limit, struct network_link **items, size_t *n,
	    bool *more, struct err *e);

/* Reads one supplier card.  ERR_NOTFOUND "link_not_found". */
int	network_supplier(const struct app *app, const struct actor *who,
	    int64_t id, struct network_link *out, struct err *e);

/*
 * Sets «Разрешить управление моими лицензиями в Т-Обмене» on card id
 * (owner or admin) and mails the supplier's owners and admins.  Turning
 * it off while the supplier owns some of the company's licences needs
 * confirm: otherwise ERR_CONFLICT "confirm_required" and *owned (may be
 * NULL) gets how many.  Setting the value it already has changes nothing.
 */
int	network_permission(const struct app *app, const struct actor *who,
	    int64_t id, bool on, bool confirm, struct network_link *out,
	    int64_t *owned, struct err *e);

/* The shown status of a row at now: its state, or "expired" for an
 * open invitation past its end. */
const char	*network_status(const struct store_link *l, int64_t now);

/* Checks a distributor code given as text: exactly five digits, 10000 to
 * 99999.  Returns 0 with *code set, or -1 with e ERR_INVALID
 * "code_invalid" (field "code"). */
int	network_code_parse(const char *s, int64_t *code, struct err *e);

#endif
