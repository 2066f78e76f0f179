/*
 * exchange_control.c - building the rows of «Контроль» from the per-day
 * counts, the licences in service and the network's links.
 *
 * No SQL or HTTP here: everything goes through store/document.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/exchange_control.h"
#include "store/company.h"

#define CONTROL_DAY_MS	(24LL * 3600 * 1000)

/* A view being built. */
struct control_build {
	struct control_view	*v;
	size_t			 cap;
	bool			 supplier;	/* rows per distributor */
};

void
control_view_release(struct control_view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}

/* Appends an empty row. */
static struct control_row *
control_add(struct control_build *b)
{
	struct control_view	*v = b->v;

	if (v->n == b->cap) {
		b->cap = b->cap > 0 ? b->cap * 2 : 16;
		v->rows = xrealloc(v->rows, b->cap * sizeof(*v->rows));
	}
	memset(&v->rows[v->n], 0, sizeof(v->rows[v->n]));
	return &v->rows[v->n++];
}

/* Finds the row of supplier, distributor and licence, or NULL. */
static struct control_row *
control_find(struct control_build *b, int64_t supplier_id,
    int64_t distributor_id, int64_t licence_id)
{
	struct control_view	*v = b->v;
	size_t			 i;

	for (i = v->n; i > 0; i--) {
		struct control_row	*r = &v->rows[i - 1];

		if (r->supplier_id == supplier_id &&
		    r->distributor_id == distributor_id &&
		    r->licence_id == licence_id)
			return r;
	}
	return NULL;
}

/* A licence «ВКЛ» for a supplier: one row of the distributor's view. */
static int
control_on_licence(const struct store_control_licence *l, void *arg)
{
	struct control_build	*b = arg;
	struct control_row	*r = control_add(b);

	r->supplier_id = l->supplier_id;
	snprintf(r->supplier_name, sizeof(r->supplier_name), "%s",
	    l->supplier_name);
	r->code = l->code;
	r->licence_id = l->licence_id;
	snprintf(r->licence_number, sizeof(r->licence_number), "%s",
	    l->number);
	snprintf(r->user_name, sizeof(r->user_name), "%s", l->user_name);
	r->last_contact_at = l->last_contact_at;
	r->in_service = true;
	return 0;
}

/* A distributor of the network: one row of the supplier's view. */
static int
control_on_partner(const struct store_control_partner *p, void *arg)
{
	struct control_build	*b = arg;
	struct control_row	*r = control_add(b);

	r->distributor_id = p->distributor_id;
	snprintf(r->distributor_name, sizeof(r->distributor_name), "%s",
	    p->name);
	r->code = p->code;
	snprintf(r->status, sizeof(r->status), "%s", p->status);
	r->last_at = p->last_at;
	return 0;
}

/* Makes the row a day's counts belong to when no earlier step did. */
static struct control_row *
control_row_for(struct control_build *b, const struct store_exchange_day *d)
{
	struct control_row	*r;

	r = control_add(b);
	r->supplier_id = b->supplier ? 0 : d->supplier_id;
	snprintf(r->supplier_name, sizeof(r->supplier_name), "%s",
	    b->supplier ? "" : d->supplier_name);
	r->distributor_id = d->distributor_id;
	snprintf(r->distributor_name, sizeof(r->distributor_name), "%s",
	    d->distributor_name);
	r->code = d->code;
	r->licence_id = b->supplier ? 0 : d->licence_id;
	snprintf(r->licence_number, sizeof(r->licence_number), "%s",
	    b->supplier ? "" : d->licence_number);
	snprintf(r->user_name, sizeof(r->user_name), "%s",
	    b->supplier ? "" : d->user_name);
	return r;
}

/* Adds one day's counts to its row. */
static int
control_on_day(const struct store_exchange_day *d, void *arg)
{
	struct control_build	*b = arg;
	struct control_row	*r;
	int64_t			 i = d->day - b->v->first_day;

	if (b->supplier)
		r = control_find(b, 0, d->distributor_id, 0);
	else
		r = control_find(b, d->supplier_id, 0, d->licence_id);
	if (r == NULL)
		r = control_row_for(b, d);
	if (i >= 0 && i < b->v->ndays) {
		r->day_documents[i] += d->documents;
		r->day_rejected[i] += d->rejected;
	}
	r->documents += d->documents;
	r->rejected += d->rejected;
	if (d->last_at > r->last_at)
		r->last_at = d->last_at;
	return 0;
}

/* Checks the company's kind; supplier picks which. */
static int
control_need(struct store_conn *c, const struct actor *who, bool supplier,
    struct err *e)
{
	struct company	co;
	int		rc = -1;

	company_init(&co);
	if (store_company_get(c, who->company_id, &co, e) != STORE_OK)
		goto out;
	if (supplier ? co.is_supplier : co.is_distributor)
		rc = 0;
	else if (supplier)
		err_set(e, ERR_FORBIDDEN, "not_supplier", NULL,
		    "Only a supplier company has this view.");
	else
		err_set(e, ERR_FORBIDDEN, "not_distributor", NULL,
		    "Only a distributor company has this view.");

out:
	company_release(&co);
	return rc;
}

/* Builds either view on c. */
static int
control_build_on(struct store_conn *c, const struct actor *who,
    bool supplier, struct control_build *b, struct err *e)
{
	enum store_rc	rc;

	if (control_need(c, who, supplier, e) != 0)
		return -1;
	if (supplier)
		rc = store_document_partners(c, who->company_id,
		    control_on_partner, b, e);
	else
		rc = store_document_licences(c, who->company_id,
		    control_on_licence, b, e);
	if (rc != STORE_OK)
		return -1;
	return store_document_days(c, supplier ? DOCUMENT_AS_SUPPLIER :
	    DOCUMENT_AS_DISTRIBUTOR, who->company_id, b->v->first_day,
	    control_on_day, b, e) == STORE_OK ? 0 : -1;
}

/* Builds a view of ndays ending today. */
static int
control_view(const struct app *app, const struct actor *who, bool supplier,
    int ndays, struct control_view *out, struct err *e)
{
	struct control_build	 b = { .v = out, .supplier = supplier };
	struct store_conn	*c;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if (ndays < 1 || ndays > CONTROL_DAYS_MAX) {
		err_set(e, ERR_INVALID, "days_invalid", "days",
		    "days must be between 1 and %d.", CONTROL_DAYS_MAX);
		return -1;
	}
	out->ndays = ndays;
	out->first_day = clock_now_ms() / CONTROL_DAY_MS - (ndays - 1);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = control_build_on(c, who, supplier, &b, e);
	store_release(c);
	return rc;
}

int
control_distributor(const struct app *app, const struct actor *who,
    int ndays, struct control_view *out, struct err *e)
{
	return control_view(app, who, false, ndays, out, e);
}

int
control_supplier(const struct app *app, const struct actor *who, int ndays,
    struct control_view *out, struct err *e)
{
	return control_view(app, who, true, ndays, out, e);
}

/* Counts the rows handed on; the store reads one past the limit to
 * tell whether a next page exists. */
struct control_walk {
	int	(*fn)(const struct store_reject_row *, void *);
	void	 *arg;
	int	  n;
	int	  limit;
	bool	  more;
	int64_t	 *next;
};

static int
control_walk_one(const struct store_reject_row *x, void *arg)
{
	struct control_walk	*w = arg;

	if (w->n == w->limit) {
		w->more = true;
		return 1;
	}
	if (w->fn(x, w->arg) != 0)
		return 1;
	w->n++;
	*w->next = x->id;
	return 0;
}

int
control_rejects(const struct app *app, const struct actor *who,
    int64_t before, int limit,
    int (*fn)(const struct store_reject_row *, void *), void *arg,
    int64_t *next, struct err *e)
{
	struct control_walk	 w = {
		.fn = fn, .arg = arg, .limit = limit, .next = next,
	};
	struct store_conn	*c;
	int			 rc = -1;

	*next = 0;
	if (limit < 1 || limit > CONTROL_REJECTS_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", CONTROL_REJECTS_MAX);
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (control_need(c, who, false, e) == 0 &&
	    store_document_rejects(c, who->company_id, before, limit + 1,
	    control_walk_one, &w, e) == STORE_OK)
		rc = 0;
	store_release(c);
	if (!w.more)
		*next = 0;
	return rc;
}
