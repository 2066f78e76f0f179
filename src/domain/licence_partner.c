/*
 * licence_partner.c - the supplier's side of Т-Обмен: its distributors'
 * licences, and connecting, disconnecting and moving them while the
 * distributor allows it.
 *
 * The permission is read from the link inside the same transaction as
 * the change, with the link's row locked, so a distributor that clears
 * the box (or a link that ends) mid-way is never outrun.  No SQL here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/licence.h"
#include "domain/licence_int.h"
#include "domain/network.h"
#include "store/company.h"
#include "store/link.h"

/* Checks that the actor's company is a supplier; co (initialised) gets
 * it. */
static int
partner_need_supplier(struct store_conn *c, const struct actor *who,
    struct company *co, struct err *e)
{
	if (store_company_get(c, who->company_id, co, e) != STORE_OK)
		return -1;
	if (co->is_supplier)
		return 0;
	err_set(e, ERR_FORBIDDEN, "not_supplier", NULL,
	    "Only a supplier company sees its distributors' licences.");
	return -1;
}

/* Reads the permission of the link with distributor_id (locked with
 * lock) into *manage.  ERR_NOTFOUND "distributor_not_found" when they
 * are not linked. */
static int
partner_link(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, bool lock, bool *manage, struct err *e)
{
	if (distributor_id > 0 && distributor_id != supplier_id &&
	    store_licence_link(c, supplier_id, distributor_id, lock, manage,
	    e) == STORE_OK)
		return 0;
	if (distributor_id <= 0 || distributor_id == supplier_id ||
	    e->code == ERR_NOTFOUND)
		err_set(e, ERR_NOTFOUND, "distributor_not_found",
		    "distributor", "This distributor is not in your network.");
	return -1;
}

/* Refuses a change without the distributor's permission. */
static int
partner_need_permission(bool manage, struct err *e)
{
	if (manage)
		return 0;
	err_set(e, ERR_FORBIDDEN, "licence_management_not_allowed", NULL,
	    "The distributor has not allowed you to manage its licences.");
	return -1;
}

/* Appends the group of accepted link l. */
static int
partner_group_add(struct store_conn *c, const struct store_link *l,
    struct licence_group **items, size_t *n, struct err *e)
{
	struct licence_group	*g;

	*items = xrealloc(*items, (*n + 1) * sizeof(**items));
	g = &(*items)[*n];
	memset(g, 0, sizeof(*g));
	g->company_id = l->distributor_id;
	snprintf(g->name, sizeof(g->name), "%s", l->distributor_name);
	g->code = l->code;
	g->manage = l->manage_licences;
	if (store_licence_count(c, l->distributor_id, l->supplier_id,
	    &g->total, &g->in_service, e) != STORE_OK)
		return -1;
	if (!g->manage)
		g->total = g->in_service;
	(*n)++;
	return 0;
}

struct partner_groups_arg {
	const struct actor	 *who;
	struct licence_group	**items;
	size_t			 *n;
};

static int
partner_groups_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct partner_groups_arg	*g = arg;
	struct store_link		*links = NULL;
	struct company			 co;
	int64_t				 after = 0;
	size_t				 got = 0, i;
	int				 rc = -1;

	company_init(&co);
	if (partner_need_supplier(c, g->who, &co, e) != 0)
		goto out;
	do {
		free(links);
		if (store_link_list(c, LINK_SUPPLIER, co.id, after,
		    NETWORK_LIST_MAX, &links, &got, e) != STORE_OK)
			goto out;
		for (i = 0; i < got && *g->n < LICENCE_GROUPS_MAX; i++)
			if (strcmp(links[i].status, "accepted") == 0 &&
			    partner_group_add(c, &links[i], g->items, g->n,
			    e) != 0)
				goto out;
		after = got > 0 ? links[got - 1].id : after;
	} while (got == NETWORK_LIST_MAX && *g->n < LICENCE_GROUPS_MAX);
	rc = 0;

out:
	free(links);
	company_release(&co);
	return rc;
}

int
licence_partner_groups(const struct app *app, const struct actor *who,
    struct licence_group **items, size_t *n, struct err *e)
{
	struct partner_groups_arg	arg = { who, items, n };

	*items = NULL;
	*n = 0;
	return licence_tx(app, false, partner_groups_tx, &arg, e);
}

struct partner_list_arg {
	const struct actor		 *who;
	int64_t				  distributor_id;
	const struct licence_filter	 *f;
	struct store_licence		**items;
	size_t				 *n;
	bool				 *more;
	bool				 *manage;
};

static int
partner_list_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct partner_list_arg		*l = arg;
	struct store_licence_query	 q = {
		.holder_id = l->distributor_id,
		.supplier_id = l->who->company_id, .state = l->f->state,
	};
	struct company			 co;
	int				 rc = -1;

	company_init(&co);
	if (partner_need_supplier(c, l->who, &co, e) != 0 ||
	    partner_link(c, co.id, l->distributor_id, false, l->manage,
	    e) != 0)
		goto out;
	/* Without the permission only the licences connected to this
	 * supplier are its business. */
	if (!*l->manage && q.state == LICENCE_STATE_OFF) {
		rc = 0;
		goto out;
	}
	if (!*l->manage)
		q.state = LICENCE_STATE_ON;
	rc = licence_page(c, &q, l->f, l->items, l->n, l->more, e);

out:
	company_release(&co);
	return rc;
}

int
licence_partner_list(const struct app *app, const struct actor *who,
    int64_t distributor_id, const struct licence_filter *f,
    struct store_licence **items, size_t *n, bool *more, bool *manage,
    struct err *e)
{
	struct partner_list_arg	arg = {
		who, distributor_id, f, items, n, more, manage,
	};

	*items = NULL;
	*n = 0;
	*more = false;
	*manage = false;
	return licence_tx(app, false, partner_list_tx, &arg, e);
}

static int
partner_connect_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_batch_arg	*a = arg;
	struct licence_batch		*b = a->out;
	struct company			 co, dist;
	bool				 manage = false;
	int				 rc = -1;

	company_init(&co);
	company_init(&dist);
	if (partner_need_supplier(c, a->who, &co, e) != 0 ||
	    partner_link(c, co.id, b->holder_id, true, &manage, e) != 0 ||
	    partner_need_permission(manage, e) != 0 ||
	    store_company_get(c, b->holder_id, &dist, e) != STORE_OK)
		goto out;
	b->supplier_id = co.id;
	snprintf(b->supplier_name, sizeof(b->supplier_name), "%s", co.name);
	snprintf(b->holder_name, sizeof(b->holder_name), "%s", dist.name);
	rc = licence_batch_apply(c, a->who, a->nums, a->n, a->on,
	    clock_now_ms(), b, e);

out:
	company_release(&dist);
	company_release(&co);
	return rc;
}

int
licence_partner_connect(const struct app *app, const struct actor *who,
    int64_t distributor_id, const char *const *numbers, size_t n, bool on,
    struct licence_batch *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->holder_id = distributor_id;
	return licence_batch_run(app, who, numbers, n, on, out,
	    partner_connect_tx, e);
}

/* Finds whose the licence is, then moves it under that link's lock.  A
 * licence of a company outside the network is "not found", so its
 * existence is not told. */
static int
partner_move_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_move_arg	*m = arg;
	struct company		 co;
	int64_t			 holder;
	bool			 manage = false;
	int			 rc = -1;

	company_init(&co);
	if (partner_need_supplier(c, m->who, &co, e) != 0 ||
	    store_licence_get(c, 0, co.id, m->number, m->out, e) != STORE_OK)
		goto out;
	holder = m->out->holder_id;
	if (holder == co.id || store_licence_link(c, co.id, holder, true,
	    &manage, e) != STORE_OK) {
		if (holder == co.id || e->code == ERR_NOTFOUND)
			err_set(e, ERR_NOTFOUND, "licence_not_found", NULL,
			    "There is no such licence in your network.");
		goto out;
	}
	if (partner_need_permission(manage, e) != 0)
		goto out;
	rc = licence_move_tx(c, m->who, holder, co.id, m->number, m->user,
	    clock_now_ms(), m->out, e);

out:
	company_release(&co);
	return rc;
}

int
licence_partner_move(const struct app *app, const struct actor *who,
    const char *number, const char *user, struct store_licence *out,
    struct err *e)
{
	return licence_move_run(app, who, number, user, out, partner_move_tx,
	    "There is no such licence in your network.", e);
}
