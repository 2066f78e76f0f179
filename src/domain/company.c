/*
 * company.c - checking and changing a company card.
 *
 * The checksum rules of ИНН are the tax service's published ones.  No SQL
 * here: rows go through store/company.h, the log through store/audit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/xmalloc.h"
#include "domain/company.h"
#include "domain/password.h"
#include "store/audit.h"

#define COMPANY_NAME_MAX	300
#define COMPANY_ADDRESS_MAX	500
#define COMPANY_PHONE_MAX	40

/* True if the first n characters of s are digits and s has length n. */
static bool
company_digits(const char *s, size_t n)
{
	size_t	i;

	if (s == NULL || strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The check digit of the first len digits of s with weights w. */
static int
company_check_digit(const char *s, const int *w, size_t len)
{
	int	sum = 0;
	size_t	i;

	for (i = 0; i < len; i++)
		sum += (s[i] - '0') * w[i];
	return sum % 11 % 10;
}

bool
company_inn_valid(const char *inn)
{
	static const int w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };

	if (company_digits(inn, 10))
		return company_check_digit(inn, w10, 9) == inn[9] - '0';
	if (company_digits(inn, 12))
		return company_check_digit(inn, w11, 10) == inn[10] - '0' &&
		    company_check_digit(inn, w12, 11) == inn[11] - '0';
	return false;
}

bool
company_kpp_valid(const char *kpp)
{
	size_t	i;

	if (kpp == NULL || strlen(kpp) != 9)
		return false;
	for (i = 0; i < 9; i++) {
		char	c = kpp[i];
		bool	digit = c >= '0' && c <= '9';

		if (!digit && !((i == 4 || i == 5) && c >= 'A' && c <= 'Z'))
			return false;
	}
	return true;
}

/* True if s has at most max characters and no control characters. */
static bool
company_text_ok(const char *s, size_t max)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return password_chars(s) <= max;
}

/* Checks the free-text fields of card. */
static int
company_text_check(const struct company_card *card, struct err *e)
{
	if (card->name != NULL && (card->name[0] == '\0' ||
	    strspn(card->name, " ") == strlen(card->name) ||
	    !company_text_ok(card->name, COMPANY_NAME_MAX))) {
		err_set(e, ERR_INVALID, "name_invalid", "name",
		    "The company name must have 1 to %d characters.",
		    COMPANY_NAME_MAX);
		return -1;
	}
	if (card->address != NULL &&
	    !company_text_ok(card->address, COMPANY_ADDRESS_MAX)) {
		err_set(e, ERR_INVALID, "address_invalid", "address",
		    "The address may have at most %d characters.",
		    COMPANY_ADDRESS_MAX);
		return -1;
	}
	if (card->phone != NULL &&
	    (!company_text_ok(card->phone, COMPANY_PHONE_MAX) ||
	    strspn(card->phone, "0123456789+-() ") != strlen(card->phone))) {
		err_set(e, ERR_INVALID, "phone_invalid", "phone",
		    "The phone may hold digits, spaces, + - ( ) and at most "
		    "%d characters.", COMPANY_PHONE_MAX);
		return -1;
	}
	return 0;
}

/* Checks ИНН and КПП as they will be after the change. */
static int
company_tax_check(const char *inn, const char *kpp, struct err *e)
{
	if (inn[0] != '\0' && !company_inn_valid(inn)) {
		err_set(e, ERR_INVALID, "inn_invalid", "inn",
		    "The ИНН must be 10 or 12 digits with valid check digits.");
		return -1;
	}
	if (kpp[0] != '\0' && !company_kpp_valid(kpp)) {
		err_set(e, ERR_INVALID, "kpp_invalid", "kpp",
		    "The КПП must be 9 characters (digits; the 5th and 6th "
		    "may be capital Latin letters).");
		return -1;
	}
	if (kpp[0] != '\0' && strlen(inn) != 10) {
		err_set(e, ERR_INVALID, "kpp_invalid", "kpp",
		    "A КПП goes with the 10-digit ИНН of an organisation.");
		return -1;
	}
	return 0;
}

/* Replaces *dst with a copy of src when src is not NULL. */
static void
company_set(char **dst, const char *src)
{
	if (src == NULL)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

int
company_card_apply(struct company *co, const struct company_card *card,
    struct err *e)
{
	const char	*inn = card->inn ? card->inn : co->inn ? co->inn : "";
	const char	*kpp = card->kpp ? card->kpp : co->kpp ? co->kpp : "";

	if (company_text_check(card, e) != 0 ||
	    company_tax_check(inn, kpp, e) != 0)
		return -1;
	company_set(&co->name, card->name);
	company_set(&co->inn, card->inn);
	company_set(&co->kpp, card->kpp);
	company_set(&co->address, card->address);
	company_set(&co->phone, card->phone);
	return 0;
}

char *
company_json(const struct company *co)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
	    "name", co->name ? co->name : "", "inn", co->inn ? co->inn : "",
	    "kpp", co->kpp ? co->kpp : "",
	    "address", co->address ? co->address : "",
	    "phone", co->phone ? co->phone : "",
	    "is_supplier", co->is_supplier,
	    "is_distributor", co->is_distributor);
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
}

/* Appends an audit entry about company co. */
static int
company_audit(struct store_conn *c, const struct actor *who,
    const char *action, const struct company *co, const char *before,
    struct err *e)
{
	struct audit_entry	a;
	char			id[24];
	char			*after = company_json(co);
	enum store_rc		rc;

	memset(&a, 0, sizeof(a));
	snprintf(id, sizeof(id), "%lld", (long long)co->id);
	a.actor_user_id = who->user_id;
	a.actor_company_id = who->user_id != 0 ? who->company_id : 0;
	a.ip = who->ip[0] != '\0' ? who->ip : NULL;
	a.action = action;
	a.object_type = "company";
	a.object_id = id;
	a.company_id = co->id;
	a.before = before;
	a.after = after;
	rc = store_audit_add(c, &a, e);
	free(after);
	return rc == STORE_OK ? 0 : -1;
}

int
company_get(const struct app *app, const struct actor *who,
    struct company *out, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_company_get(c, who->company_id, out, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

/* The transaction of company_update, on c. */
static int
company_update_tx(struct store_conn *c, const struct actor *who,
    const struct company_card *card, struct company *out, struct err *e)
{
	char	*before;
	int	 rc = -1;

	if (store_company_get(c, who->company_id, out, e) != STORE_OK)
		return -1;
	before = company_json(out);
	if (company_card_apply(out, card, e) == 0 &&
	    store_company_update(c, out, e) == STORE_OK &&
	    company_audit(c, who, "company.update", out, before, e) == 0)
		rc = 0;
	free(before);
	return rc;
}

int
company_update(const struct app *app, const struct actor *who,
    const struct company_card *card, struct company *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (!account_role_manages(who->role)) {
		err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
		    "Only an owner or an administrator may edit the card.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    company_update_tx(c, who, card, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

int
company_create(struct store_conn *c, const struct actor *who,
    const struct company_card *card, bool supplier, bool distributor,
    struct company *out, struct err *e)
{
	if (card->name == NULL) {
		err_set(e, ERR_INVALID, "name_invalid", "name",
		    "The company name is required.");
		return -1;
	}
	if (company_card_apply(out, card, e) != 0)
		return -1;
	out->is_supplier = supplier;
	out->is_distributor = distributor;
	if (store_company_insert(c, out, e) != STORE_OK)
		return -1;
	return company_audit(c, who, "company.create", out, NULL, e);
}

int
company_add(const struct app *app, const struct actor *who,
    const struct company_card *card, bool supplier, bool distributor,
    struct company *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    company_create(c, who, card, supplier, distributor, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

int
company_list(const struct app *app, int64_t after, int limit,
    struct company_page *page, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	memset(page, 0, sizeof(*page));
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_company_list(c, after, limit, page, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}
