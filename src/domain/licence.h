/*
 * licence.h - licences of the mobile trade app and their service status
 * in Т-Обмен («Сервисы и баланс» → «Т-Обмен»), for the holder, for the
 * supplier that manages a distributor's licences, and for the operator.
 *
 * The rules:
 * - A licence is «ВКЛ» or «ВНЕ СЕРВИСА» for each supplier separately.  A
 *   holder connects its licences to a supplier it is linked with (an
 *   accepted link), or to itself when it is a supplier.  When a link
 *   ends, the holder's licences drop out of service for that supplier
 *   (licence_network_register wires that into domain/network.c).
 * - A supplier sees a linked distributor's licences that are «ВКЛ» for
 *   it; while, and only while, the distributor allows it («Разрешить
 *   управление моими лицензиями в Т-Обмене»), it sees them all and may
 *   connect, disconnect and move them, the ones it owns included.
 *   Otherwise ERR_FORBIDDEN "licence_management_not_allowed".
 * - Changes need an owner or admin (ERR_FORBIDDEN "forbidden"); members
 *   look.  A batch is one transaction: one unknown or blocked licence
 *   refuses it all; licences already in the wanted state are reported in
 *   the result, not failed.  A blocked licence cannot be connected.
 * - Moving a licence releases its device (the token dies), sets the new
 *   agent's name, and lets the next activation bind a new device.
 * - Every change is in the audit log for the holder, the owner and the
 *   suppliers concerned, in the same transaction.
 *
 * Tenancy: the company is the actor's.  A licence of a company the actor
 * may not see is ERR_NOTFOUND "licence_not_found"; a supplier or
 * distributor it is not linked with is ERR_NOTFOUND "supplier_not_found"
 * / "distributor_not_found".  Functions borrow a store connection for
 * their own transaction, fill e on failure and never log.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_LICENCE_H
#define TOBMEN_DOMAIN_LICENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "store/licence.h"

#define LICENCE_PAGE_MAX	200	/* rows per page */
#define LICENCE_BATCH_MAX	10000	/* licences per connect request */
#define LICENCE_ISSUE_MAX	10000	/* licences per issue command */
#define LICENCE_SEARCH_MAX	100	/* characters of a search */
#define LICENCE_GROUPS_MAX	1000	/* partners listed at once */

/* One group of the Т-Обмен table: a supplier (holder's view) or a
 * distributor (supplier's view), with counts. */
struct licence_group {
	int64_t	 company_id;
	char	 name[LICENCE_COMPANY_SIZE];
	int64_t	 code;		/* distributor code; 0 for oneself */
	bool	 self;		/* the company's own supplier group */
	bool	 manage;	/* supplier's view: may it manage them */
	int64_t	 total;		/* licences it may see */
	int64_t	 in_service;	/* of them «ВКЛ» for the supplier */
};

/* What a list asks for; strings are borrowed. */
struct licence_filter {
	const char		*search;	/* as typed; NULL or "" */
	enum licence_state	 state;		/* needs a supplier */
	const char		*after;		/* number, NULL or "" */
	int			 limit;		/* 1 to LICENCE_PAGE_MAX */
};

/* The outcome of a connect or disconnect batch. */
struct licence_batch {
	int64_t	 supplier_id;
	char	 supplier_name[LICENCE_COMPANY_SIZE];
	int64_t	 holder_id;
	char	 holder_name[LICENCE_COMPANY_SIZE];
	size_t	 requested;	/* distinct numbers asked for */
	size_t	 changed;	/* whose status moved */
	/* Numbers that were in the wanted state already; malloc'd. */
	char	(*unchanged)[LICENCE_NUMBER_LEN + 1];
	size_t	 nunchanged;
};

/* Frees what a batch holds; b may be used again. */
void	licence_batch_release(struct licence_batch *b);

/*
 * Pure helpers (no store).
 */

/* True if s is exactly 20 decimal digits. */
bool	licence_number_valid(const char *s);
/* Reads an activation code: 16 digits, groups may be split by '-' or
 * spaces.  Writes the bare digits into out; -1 if not a code. */
int	licence_code_parse(const char *s, char out[LICENCE_CODE_LEN + 1]);
/* Writes code as four groups of four ("5280-4543-2633-4521"). */
void	licence_code_format(const char *code, char out[20]);
/* Writes a new random number (20 digits, no leading zero) and
 * activation code (16 digits) into number and code. */
void	licence_generate(char number[LICENCE_NUMBER_LEN + 1],
	    char code[LICENCE_CODE_LEN + 1]);
/* Checks an agent's name (1 to 200 characters after trimming, no control
 * characters) and writes it trimmed into out (LICENCE_USER_SIZE).
 * ERR_INVALID "user_invalid" (field "user"). */
int	licence_user_check(const char *in, char *out, struct err *e);
/* Folds a search as typed (trimmed, at most LICENCE_SEARCH_MAX
 * characters, no control characters) into out (LICENCE_SEARCH_SIZE).
 * ERR_INVALID "search_invalid" (field "q"). */
int	licence_search_prepare(const char *in, char *out, struct err *e);

/*
 * The holder's side.
 */

/* Lists the suppliers the actor's company may connect its licences to
 * (itself first when it is a supplier, then its links by age), each with
 * the counts for it.  *items is malloc'd (free it). */
int	licence_groups(const struct app *app, const struct actor *who,
	    struct licence_group **items, size_t *n, struct err *e);

/*
 * Lists the actor's company's licences by number, with their status for
 * supplier_id (0: no status, and f->state must be LICENCE_STATE_ALL) and
 * every licence's services[].  ERR_NOTFOUND "supplier_not_found" if the
 * company may not connect to supplier_id.  *items is malloc'd (free it);
 * *more says whether another page follows.
 */
int	licence_list(const struct app *app, const struct actor *who,
	    int64_t supplier_id, const struct licence_filter *f,
	    struct store_licence **items, size_t *n, bool *more,
	    struct err *e);

/* Reads one licence of the actor's company. */
int	licence_get(const struct app *app, const struct actor *who,
	    const char *number, struct store_licence *out, struct err *e);

/*
 * Connects (on) or disconnects the n licences named by numbers (20-digit
 * strings, duplicates counted once) of the actor's company for
 * supplier_id, in one transaction.  ERR_INVALID "licences_invalid" for
 * an empty or too long list or a malformed number; ERR_NOTFOUND
 * "licence_not_found" (the number in the message); ERR_FORBIDDEN
 * "licence_blocked" when connecting a blocked licence.  out is filled on
 * success; release it with licence_batch_release in every case.
 */
int	licence_connect(const struct app *app, const struct actor *who,
	    int64_t supplier_id, const char *const *numbers, size_t n,
	    bool on, struct licence_batch *out, struct err *e);

/* Moves licence number of the actor's company to the agent user: the
 * bound device is released, the next activation binds a new one. */
int	licence_move(const struct app *app, const struct actor *who,
	    const char *number, const char *user, struct store_licence *out,
	    struct err *e);

/*
 * The supplier's side: a linked distributor's licences.
 */

/* Lists the distributors linked with the actor's supplier company, with
 * the permission and the counts it may see.  ERR_FORBIDDEN
 * "not_supplier" for a company that is no supplier. */
int	licence_partner_groups(const struct app *app, const struct actor *who,
	    struct licence_group **items, size_t *n, struct err *e);

/* Lists distributor_id's licences as the actor's supplier may see them
 * (all with the permission, else only those «ВКЛ» for it), with their
 * status for it.  ERR_NOTFOUND "distributor_not_found" if not linked. */
int	licence_partner_list(const struct app *app, const struct actor *who,
	    int64_t distributor_id, const struct licence_filter *f,
	    struct store_licence **items, size_t *n, bool *more,
	    bool *manage, struct err *e);

/* Connects or disconnects distributor_id's licences for the actor's
 * supplier, as licence_connect; needs the permission. */
int	licence_partner_connect(const struct app *app,
	    const struct actor *who, int64_t distributor_id,
	    const char *const *numbers, size_t n, bool on,
	    struct licence_batch *out, struct err *e);

/* Moves a linked distributor's licence to the agent user; needs the
 * permission.  A licence of a company not linked is "not found". */
int	licence_partner_move(const struct app *app, const struct actor *who,
	    const char *number, const char *user, struct store_licence *out,
	    struct err *e);

/*
 * The operator (tobmen admin licence).  who is the operator's actor.
 */

/*
 * Issues count (1 to LICENCE_ISSUE_MAX) new licences held by holder_id
 * and owned by owner_id (0: the holder), in one transaction.  The holder
 * must be a supplier or a distributor; another owner must be a supplier.
 * *items (malloc'd, free it) gets them.
 */
int	licence_issue(const struct app *app, const struct actor *who,
	    int64_t holder_id, int64_t owner_id, int count,
	    struct store_licence **items, size_t *n, struct err *e);

/* Lists up to limit licences held or owned by company_id after number
 * `after`; *more as in licence_list. */
int	licence_company_list(const struct app *app, int64_t company_id,
	    const char *after, int limit, struct store_licence **items,
	    size_t *n, bool *more, struct err *e);

/* Blocks or unblocks licence number.  *changed (may be NULL) is false
 * when it already was so (then nothing is written). */
int	licence_block(const struct app *app, const struct actor *who,
	    const char *number, bool on, struct store_licence *out,
	    bool *changed, struct err *e);

/*
 * Registers the licence functions that domain/network.c calls when a
 * link's card is shown, its permission cleared or the link ended.  Call
 * once at start-up, before serving.
 */
void	licence_network_register(void);

/* The same functions, for callers inside a transaction on c: counts of
 * the distributor's licences «ВКЛ» for the supplier and owned by it, and
 * taking them all out of service for it (audited).  0 or -1. */
int	licence_in_service_count(struct store_conn *c, int64_t supplier_id,
	    int64_t distributor_id, int64_t *n, struct err *e);
int	licence_owned_count(struct store_conn *c, int64_t supplier_id,
	    int64_t distributor_id, int64_t *n, struct err *e);
int	licence_drop(struct store_conn *c, int64_t supplier_id,
	    int64_t distributor_id, int64_t now, struct err *e);

#endif
