/*
 * company.h - the company card and the rules for its details.
 *
 * A company is a supplier, a distributor or both (the operator's own
 * company is neither).  Its card: name (1..300 characters), ИНН (10
 * digits for an organisation, 12 for an individual entrepreneur, check
 * digits verified), КПП (9 characters: 4 digits, 2 digits or capital
 * Latin letters, 3 digits; only with a 10-digit ИНН), address and phone
 * (optional, bounded).  Owners and admins edit their own company's card;
 * the company always comes from the actor.  Changes are audited.  None of
 * these functions logs.
 */
#ifndef TOBMEN_DOMAIN_COMPANY_H
#define TOBMEN_DOMAIN_COMPANY_H

#include <stdbool.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "store/company.h"

/* True if inn is 10 or 12 digits with valid check digits. */
bool	company_inn_valid(const char *inn);
/* True if kpp has the shape of a КПП. */
bool	company_kpp_valid(const char *kpp);

/* New values for a card; NULL members stay as they are.  "" clears the
 * optional ones (inn, kpp, address, phone). */
struct company_card {
	const char	*name;
	const char	*inn;
	const char	*kpp;
	const char	*address;
	const char	*phone;
};

/* Applies card to co (strings are copied) after checking every field.
 * Returns 0, or -1 with e ERR_INVALID naming the field; co is then left
 * as it was. */
int	company_card_apply(struct company *co, const struct company_card *card,
	    struct err *e);

/* Reads the actor's company into out (initialised by the caller). */
int	company_get(const struct app *app, const struct actor *who,
	    struct company *out, struct err *e);

/* Edits the actor's company card (owner, admin or operator). */
int	company_update(const struct app *app, const struct actor *who,
	    const struct company_card *card, struct company *out,
	    struct err *e);

/* Creates a company with card (name required) and the given kinds, on c
 * inside the caller's transaction; the audit entry names who.  out must
 * be initialised; on success out->id is set. */
int	company_create(struct store_conn *c, const struct actor *who,
	    const struct company_card *card, bool supplier, bool distributor,
	    struct company *out, struct err *e);

/* Creates a company in its own transaction (the operator's command
 * line). */
int	company_add(const struct app *app, const struct actor *who,
	    const struct company_card *card, bool supplier, bool distributor,
	    struct company *out, struct err *e);

/* Lists every company after id `after` (the operator's command line);
 * release page with company_page_release in every case. */
int	company_list(const struct app *app, int64_t after, int limit,
	    struct company_page *page, struct err *e);

/* Renders co as a JSON object text for the audit log (malloc'd). */
char	*company_json(const struct company *co);

#endif
