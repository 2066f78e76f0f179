/*
 * exchange_control.h - «Контроль»: what went through the exchange, per
 * day, as each side sees it.
 *
 * A distributor sees one row per licence and supplier the licence is (or
 * was, within the period) «ВКЛ» for, plus one row per supplier for its
 * own system's uploads: the last upload, the device's last contact, and
 * documents accepted and refused per day.  It also reads its refused
 * documents with their reasons.  A supplier sees one row per distributor
 * of its network: its code and status, the last data received, and
 * documents per day.  Days are UTC dates.
 *
 * Tenancy: the company is the actor's; a company that is neither kind
 * gets ERR_FORBIDDEN "not_exchange".  Functions borrow a store
 * connection, fill e on failure, never log.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_EXCHANGE_CONTROL_H
#define TOBMEN_DOMAIN_EXCHANGE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "store/document.h"
#include "store/licence.h"

#define CONTROL_DAYS_MAX	31
#define CONTROL_DAYS_DEFAULT	14
#define CONTROL_REJECTS_MAX	200

/* One row of «Контроль». */
struct control_row {
	int64_t	 supplier_id;
	char	 supplier_name[DOCUMENT_COMPANY_SIZE];
	int64_t	 distributor_id;
	char	 distributor_name[DOCUMENT_COMPANY_SIZE];
	int64_t	 code;			/* the distributor's, 0 unknown */
	char	 status[16];		/* the link's, supplier's view */
	int64_t	 licence_id;		/* 0: the system's uploads */
	char	 licence_number[LICENCE_NUMBER_LEN + 1];
	char	 user_name[LICENCE_USER_SIZE];
	bool	 in_service;		/* «ВКЛ» now (licence rows) */
	int64_t	 last_at;		/* last upload, 0 never */
	int64_t	 last_contact_at;	/* the device's, 0 never */
	int64_t	 documents;		/* over the period */
	int64_t	 rejected;
	int64_t	 day_documents[CONTROL_DAYS_MAX];
	int64_t	 day_rejected[CONTROL_DAYS_MAX];
};

struct control_view {
	int64_t			 first_day;	/* days since 1970-01-01 */
	int			 ndays;
	struct control_row	*rows;		/* malloc'd */
	size_t			 n;
};

/* The distributor's view over the last ndays (1 to CONTROL_DAYS_MAX,
 * today included).  ERR_FORBIDDEN "not_distributor".  Release out with
 * control_view_release either way. */
int	control_distributor(const struct app *app, const struct actor *who,
	    int ndays, struct control_view *out, struct err *e);

/* The supplier's view; ERR_FORBIDDEN "not_supplier". */
int	control_supplier(const struct app *app, const struct actor *who,
	    int ndays, struct control_view *out, struct err *e);

void	control_view_release(struct control_view *v);

/* Calls fn for the distributor's refused documents, newest first, with
 * id < before (0: from the newest), at most limit (1 to
 * CONTROL_REJECTS_MAX); *next gets the before of the next page, 0 when
 * none. */
int	control_rejects(const struct app *app, const struct actor *who,
	    int64_t before, int limit,
	    int (*fn)(const struct store_reject_row *, void *), void *arg,
	    int64_t *next, struct err *e);

#endif
