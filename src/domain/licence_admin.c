/*
 * licence_admin.c - what the operator does with licences: issuing them to
 * a company, listing a company's licences, blocking and unblocking.
 *
 * Called from the command line (cli/admin_licence.c); the actor is the
 * operator.  Every change is audited in its transaction.  No SQL here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/licence.h"
#include "domain/licence_int.h"
#include "store/company.h"

/* Draws of a new number before giving up (a clash is one in 10^19). */
#define LICENCE_INSERT_TRIES	8
/* Numbers an "issue" audit entry lists; the count covers the rest. */
#define LICENCE_AUDIT_NUMBERS	100

/* Checks holder and owner for an issue; fills their names. */
static int
admin_companies_ok(struct store_conn *c, int64_t holder_id,
    int64_t owner_id, struct store_licence *tmpl, struct err *e)
{
	struct company	h, o;
	int		rc = -1;

	company_init(&h);
	company_init(&o);
	if (store_company_get(c, holder_id, &h, e) != STORE_OK) {
		if (e->code == ERR_NOTFOUND)
			err_set(e, ERR_NOTFOUND, "company_not_found",
			    "company", "There is no company %lld.",
			    (long long)holder_id);
		goto out;
	}
	if (!h.is_supplier && !h.is_distributor) {
		err_set(e, ERR_INVALID, "holder_invalid", "company",
		    "Licences are issued to suppliers and distributors.");
		goto out;
	}
	if (owner_id != holder_id && (store_company_get(c, owner_id, &o, e) !=
	    STORE_OK || !o.is_supplier)) {
		if (e->code != ERR_INTERNAL && e->code != ERR_UNAVAILABLE)
			err_set(e, ERR_INVALID, "owner_invalid", "owner",
			    "Another company may own the licences only if it "
			    "is a supplier.");
		goto out;
	}
	snprintf(tmpl->holder_name, sizeof(tmpl->holder_name), "%s", h.name);
	snprintf(tmpl->owner_name, sizeof(tmpl->owner_name), "%s",
	    owner_id != holder_id ? o.name : h.name);
	rc = 0;

out:
	company_release(&o);
	company_release(&h);
	return rc;
}

/* Inserts one licence from tmpl with fresh random number and code. */
static int
admin_insert(struct store_conn *c, const struct store_licence *tmpl,
    int64_t now, struct store_licence *out, struct err *e)
{
	enum store_rc	rc = STORE_CONFLICT;
	int		tries;

	*out = *tmpl;
	for (tries = 0; rc == STORE_CONFLICT && tries < LICENCE_INSERT_TRIES;
	    tries++) {
		licence_generate(out->number, out->code);
		rc = store_licence_insert(c, out, now, &out->id, e);
	}
	out->created_at = out->updated_at = now;
	return rc == STORE_OK ? 0 : -1;
}

/* The audit entry of an issue: the count and the first numbers. */
static int
admin_issue_audit(struct store_conn *c, const struct actor *who,
    const struct store_licence *items, size_t n, int64_t now,
    struct err *e)
{
	struct licence_audit	 a = {
		.who = who, .action = "licence.issue", .now = now,
		.object_id = n == 1 ? items[0].number : NULL,
	};
	struct licence_parties	 p = { .n = 0 };
	json_t			*arr = json_array(), *o;
	char			*json;
	size_t			 i;
	int			 rc;

	for (i = 0; i < n && i < LICENCE_AUDIT_NUMBERS; i++)
		json_array_append_new(arr, json_string(items[i].number));
	o = json_pack("{s:I, s:I, s:I, s:o}", "count", (json_int_t)n,
	    "holder", (json_int_t)items[0].holder_id, "owner",
	    (json_int_t)items[0].owner_id, "licences", arr);
	json = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) :
	    NULL;
	json_decref(o);
	licence_parties_add(&p, items[0].holder_id);
	licence_parties_add(&p, items[0].owner_id);
	a.after = json;
	rc = licence_audit(c, &a, &p, e);
	free(json);
	return rc;
}

struct admin_issue_arg {
	const struct actor	 *who;
	int64_t			  holder_id;
	int64_t			  owner_id;
	int			  count;
	struct store_licence	**items;
	size_t			 *n;
};

static int
admin_issue_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct admin_issue_arg	*a = arg;
	struct store_licence	 tmpl;
	int64_t			 now = clock_now_ms();
	int			 i;

	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.holder_id = a->holder_id;
	tmpl.owner_id = a->owner_id;
	if (admin_companies_ok(c, a->holder_id, a->owner_id, &tmpl, e) != 0)
		return -1;
	*a->items = xcalloc((size_t)a->count, sizeof(**a->items));
	for (i = 0; i < a->count; i++) {
		if (admin_insert(c, &tmpl, now, &(*a->items)[i], e) != 0)
			return -1;
		(*a->n)++;
	}
	return admin_issue_audit(c, a->who, *a->items, *a->n, now, e);
}

int
licence_issue(const struct app *app, const struct actor *who,
    int64_t holder_id, int64_t owner_id, int count,
    struct store_licence **items, size_t *n, struct err *e)
{
	struct admin_issue_arg	arg = {
		who, holder_id, owner_id > 0 ? owner_id : holder_id, count,
		items, n,
	};

	*items = NULL;
	*n = 0;
	if (count < 1 || count > LICENCE_ISSUE_MAX) {
		err_set(e, ERR_INVALID, "count_invalid", "count",
		    "Issue 1 to %d licences at a time.", LICENCE_ISSUE_MAX);
		return -1;
	}
	if (holder_id <= 0) {
		err_set(e, ERR_INVALID, "holder_invalid", "company",
		    "Name the company the licences are for.");
		return -1;
	}
	if (licence_tx(app, true, admin_issue_tx, &arg, e) == 0)
		return 0;
	*n = 0;
	return -1;
}

int
licence_company_list(const struct app *app, int64_t company_id,
    const char *after, int limit, struct store_licence **items, size_t *n,
    bool *more, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > LICENCE_PAGE_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", LICENCE_PAGE_MAX);
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_licence_list_company(c, company_id, after, limit + 1, items,
	    n, e);
	store_release(c);
	if (rc != STORE_OK)
		return -1;
	if (*n > (size_t)limit) {
		*more = true;
		*n = (size_t)limit;
	}
	return 0;
}

struct admin_block_arg {
	const struct actor	*who;
	const char		*number;
	bool			 on;
	struct store_licence	*out;
	bool			*changed;
};

static int
admin_block_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct admin_block_arg	*b = arg;
	struct licence_audit	 a = {
		.who = b->who, .object_id = b->number,
		.action = b->on ? "licence.block" : "licence.unblock",
		.now = clock_now_ms(),
	};
	struct licence_parties	 p;
	char			*before, *after = NULL;
	int			 rc = -1;

	if (store_licence_lock(c, 0, b->number, e) != STORE_OK ||
	    store_licence_get(c, 0, 0, b->number, b->out, e) != STORE_OK)
		return -1;
	*b->changed = b->out->blocked != b->on;
	if (!*b->changed)
		return 0;
	before = licence_state_json(b->out);
	b->out->blocked = b->on;
	if (store_licence_update(c, b->out, a.now, e) != STORE_OK ||
	    licence_parties_of(c, b->out, 0, &p, e) != 0)
		goto out;
	a.before = before;
	a.after = after = licence_state_json(b->out);
	rc = licence_audit(c, &a, &p, e);

out:
	free(before);
	free(after);
	return rc;
}

int
licence_block(const struct app *app, const struct actor *who,
    const char *number, bool on, struct store_licence *out, bool *changed,
    struct err *e)
{
	bool			dummy;
	struct admin_block_arg	arg = {
		who, number, on, out, changed != NULL ? changed : &dummy,
	};

	if (!licence_number_valid(number)) {
		err_set(e, ERR_INVALID, "number_invalid", "number",
		    "A licence number is 20 digits.");
		return -1;
	}
	return licence_tx(app, true, admin_block_tx, &arg, e);
}
