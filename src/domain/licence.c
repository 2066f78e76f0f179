/*
 * licence.c - the holder's side of Т-Обмен (groups, lists, connecting,
 * moving) and what every licence source file shares: checks of numbers,
 * codes and names, audit entries, batches, the network hook.
 *
 * No SQL or HTTP here: licences go through store/licence.h, devices
 * through store/device.h, links through store/link.h, all on one
 * connection and transaction per change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/licence.h"
#include "domain/licence_int.h"
#include "domain/network.h"
#include "domain/password.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/device.h"
#include "store/link.h"

#define LICENCE_USER_MAX	200	/* characters of an agent's name */

bool
licence_number_valid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != LICENCE_NUMBER_LEN)
		return false;
	for (i = 0; i < LICENCE_NUMBER_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int
licence_code_parse(const char *s, char out[LICENCE_CODE_LEN + 1])
{
	size_t	n = 0;

	if (s == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '-' || *s == ' ')
			continue;
		if (*s < '0' || *s > '9' || n == LICENCE_CODE_LEN)
			return -1;
		out[n++] = *s;
	}
	out[n] = '\0';
	return n == LICENCE_CODE_LEN ? 0 : -1;
}

void
licence_code_format(const char *code, char out[20])
{
	size_t	i, n = strnlen(code, 16), k = 0;

	/* By hand, not snprintf: list answers format one per row. */
	for (i = 0; i < n; i++) {
		if (i > 0 && i % 4 == 0)
			out[k++] = '-';
		out[k++] = code[i];
	}
	out[k] = '\0';
}

/* Writes n random decimal digits into out; the first is never 0 when
 * lead is set. */
static void
licence_digits(char *out, size_t n, bool lead)
{
	size_t	i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + (i == 0 && lead ?
		    1 + randombytes_uniform(9) : randombytes_uniform(10)));
	out[n] = '\0';
}

void
licence_generate(char number[LICENCE_NUMBER_LEN + 1],
    char code[LICENCE_CODE_LEN + 1])
{
	licence_digits(number, LICENCE_NUMBER_LEN, true);
	licence_digits(code, LICENCE_CODE_LEN, false);
}

/* Copies s without leading and trailing white space into out (n bytes);
 * false if it does not fit. */
static bool
licence_trim(const char *s, char *out, size_t n)
{
	size_t	len;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	if (len >= n)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

/* True if s holds a control character. */
static bool
licence_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int
licence_user_check(const char *in, char *out, struct err *e)
{
	size_t	chars;

	if (in == NULL || !licence_trim(in, out, LICENCE_USER_SIZE))
		goto bad;
	chars = password_chars(out);
	if (chars < 1 || chars > LICENCE_USER_MAX || licence_has_control(out))
		goto bad;
	return 0;

bad:
	err_set(e, ERR_INVALID, "user_invalid", "user",
	    "Give the agent's name: 1 to %d characters.", LICENCE_USER_MAX);
	return -1;
}

int
licence_search_prepare(const char *in, char *out, struct err *e)
{
	char	trimmed[LICENCE_SEARCH_SIZE];

	out[0] = '\0';
	if (in == NULL)
		return 0;
	if (!licence_trim(in, trimmed, sizeof(trimmed)) ||
	    password_chars(trimmed) > LICENCE_SEARCH_MAX ||
	    licence_has_control(trimmed)) {
		err_set(e, ERR_INVALID, "search_invalid", "q",
		    "A search is at most %d characters of text.",
		    LICENCE_SEARCH_MAX);
		return -1;
	}
	store_licence_fold(trimmed, out, LICENCE_SEARCH_SIZE);
	return 0;
}

void
licence_batch_release(struct licence_batch *b)
{
	free(b->unchanged);
	b->unchanged = NULL;
	b->nunchanged = 0;
}

int
licence_need_manager(const struct actor *who, struct err *e)
{
	if (account_role_manages(who->role))
		return 0;
	err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
	    "Only an owner or an administrator of the company may do this.");
	return -1;
}

void
licence_parties_add(struct licence_parties *p, int64_t id)
{
	size_t	i;

	if (id <= 0 || p->n == LICENCE_PARTIES_MAX)
		return;
	for (i = 0; i < p->n; i++)
		if (p->ids[i] == id)
			return;
	p->ids[p->n++] = id;
}

int
licence_parties_of(struct store_conn *c, const struct store_licence *l,
    int64_t extra, struct licence_parties *p, struct err *e)
{
	struct store_licence_supplier	*sup = NULL;
	size_t				 n = 0, i;
	enum store_rc			 rc;

	p->n = 0;
	licence_parties_add(p, l->holder_id);
	licence_parties_add(p, extra);
	licence_parties_add(p, l->owner_id);
	rc = store_licence_suppliers(c, l->id, l->holder_id, &sup, &n, e);
	for (i = 0; rc == STORE_OK && i < n; i++)
		licence_parties_add(p, sup[i].id);
	free(sup);
	return rc == STORE_OK ? 0 : -1;
}

/* Appends one entry naming company and other. */
static int
licence_audit_one(struct store_conn *c, const struct licence_audit *a,
    int64_t company, int64_t other, struct err *e)
{
	struct audit_entry	entry;

	memset(&entry, 0, sizeof(entry));
	entry.at = a->now;
	if (a->who != NULL) {
		entry.actor_user_id = a->who->user_id;
		entry.actor_company_id = a->who->company_id;
		entry.ip = a->who->ip[0] != '\0' ? a->who->ip : NULL;
	} else {
		entry.actor_company_id = a->device_company;
		entry.ip = a->ip;
	}
	entry.action = a->action;
	entry.object_type = "licence";
	entry.object_id = a->object_id;
	entry.company_id = company;
	entry.other_company_id = other;
	entry.before = a->before;
	entry.after = a->after;
	return store_audit_add(c, &entry, e) == STORE_OK ? 0 : -1;
}

int
licence_audit(struct store_conn *c, const struct licence_audit *a,
    const struct licence_parties *p, struct err *e)
{
	size_t	i;

	if (p->n == 0)
		return 0;
	if (licence_audit_one(c, a, p->ids[0], p->n > 1 ? p->ids[1] : 0,
	    e) != 0)
		return -1;
	for (i = 2; i < p->n; i++)
		if (licence_audit_one(c, a, p->ids[i], p->ids[0], e) != 0)
			return -1;
	return 0;
}

/* Renders o compactly and drops it (malloc'd; "{}" if it failed). */
static char *
licence_dump(json_t *o)
{
	char	*s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) :
	    NULL;

	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
}

char *
licence_state_json(const struct store_licence *l)
{
	return licence_dump(json_pack("{s:s, s:s, s:s, s:s, s:b}",
	    "number", l->number, "user", l->user_name, "mdm_id", l->mdm_id,
	    "config_version", l->config_version, "blocked", l->blocked));
}

/* Orders licence numbers for qsort. */
static int
licence_number_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
licence_numbers_prepare(const char *const *numbers, size_t n,
    licence_number_t **out, size_t *nout, struct err *e)
{
	size_t	i, k = 0;

	*out = NULL;
	*nout = 0;
	if (n == 0 || n > LICENCE_BATCH_MAX) {
		err_set(e, ERR_INVALID, "licences_invalid", "licences",
		    "Name 1 to %d licences.", LICENCE_BATCH_MAX);
		return -1;
	}
	*out = xcalloc(n, sizeof(**out));
	for (i = 0; i < n; i++) {
		if (!licence_number_valid(numbers[i])) {
			err_set(e, ERR_INVALID, "licences_invalid",
			    "licences", "A licence number is 20 digits.");
			return -1;
		}
		memcpy((*out)[i], numbers[i], LICENCE_NUMBER_LEN + 1);
	}
	qsort(*out, n, sizeof(**out), licence_number_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || strcmp((*out)[k - 1], (*out)[i]) != 0)
			memmove((*out)[k++], (*out)[i], sizeof(**out));
	*nout = k;
	return 0;
}

int
licence_page(struct store_conn *c, struct store_licence_query *q,
    const struct licence_filter *f, struct store_licence **items, size_t *n,
    bool *more, struct err *e)
{
	char	search[LICENCE_SEARCH_SIZE];

	*items = NULL;
	*n = 0;
	*more = false;
	if (f->limit < 1 || f->limit > LICENCE_PAGE_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", LICENCE_PAGE_MAX);
		return -1;
	}
	if (f->after != NULL && f->after[0] != '\0' &&
	    !licence_number_valid(f->after)) {
		err_set(e, ERR_INVALID, "after_invalid", "after",
		    "after must be a licence number from the previous page.");
		return -1;
	}
	if (licence_search_prepare(f->search, search, e) != 0)
		return -1;
	q->search = search;
	q->after = f->after;
	q->limit = f->limit + 1;
	if (store_licence_list(c, q, items, n, e) != STORE_OK)
		return -1;
	if (*n > (size_t)f->limit) {
		*more = true;
		*n = (size_t)f->limit;
	}
	return 0;
}

/* What a batch did, for the audit log. */
struct licence_done {
	licence_number_t	*numbers;	/* changed */
	int64_t			*owners;
	size_t			 n;
};

/* The audit JSON of the batch's changes whose owner is owner (0: all). */
static char *
licence_batch_json(const struct licence_batch *b,
    const struct licence_done *d, int64_t owner)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; i < d->n; i++)
		if (owner == 0 || d->owners[i] == owner)
			json_array_append_new(arr, json_string(d->numbers[i]));
	return licence_dump(json_pack("{s:I, s:s, s:o, s:I}", "supplier",
	    (json_int_t)b->supplier_id, "supplier_name", b->supplier_name,
	    "licences", arr, "unchanged", (json_int_t)b->nunchanged));
}

/* Writes the batch's audit entries: holder and supplier see it all; an
 * owner that is neither sees its own licences only. */
static int
licence_batch_audit(struct store_conn *c, const struct actor *who,
    bool on, const struct licence_batch *b, const struct licence_done *d,
    int64_t now, struct err *e)
{
	struct licence_audit	 a = {
		.who = who, .now = now,
		.action = on ? "licence.connect" : "licence.disconnect",
		.object_id = d->n == 1 ? d->numbers[0] : NULL,
	};
	struct licence_parties	 p = { .n = 0 };
	int64_t			*seen = xcalloc(d->n + 1, sizeof(*seen));
	char			*json;
	size_t			 i, k, nseen = 0;
	int			 rc;

	licence_parties_add(&p, b->holder_id);
	licence_parties_add(&p, b->supplier_id);
	a.after = json = licence_batch_json(b, d, 0);
	rc = licence_audit(c, &a, &p, e);
	free(json);
	for (i = 0; rc == 0 && i < d->n; i++) {
		for (k = 0; k < nseen && seen[k] != d->owners[i]; k++)
			;
		if (k < nseen || d->owners[i] == b->holder_id ||
		    d->owners[i] == b->supplier_id)
			continue;
		seen[nseen++] = d->owners[i];
		p.n = 0;
		licence_parties_add(&p, d->owners[i]);
		licence_parties_add(&p, b->holder_id);
		a.after = json = licence_batch_json(b, d, d->owners[i]);
		rc = licence_audit(c, &a, &p, e);
		free(json);
	}
	free(seen);
	return rc;
}

/* Sets one licence's status; records it in d or in out's unchanged. */
static int
licence_batch_one(struct store_conn *c, const char *number, bool on,
    int64_t by, int64_t now, struct licence_batch *out,
    struct licence_done *d, struct err *e)
{
	int64_t	id, owner;
	bool	blocked, changed;

	if (store_licence_find(c, out->holder_id, number, &id, &owner,
	    &blocked, e) != STORE_OK) {
		if (e->code == ERR_NOTFOUND)
			err_set(e, ERR_NOTFOUND, "licence_not_found",
			    "licences", "Licence %s is not among the "
			    "company's licences.", number);
		return -1;
	}
	if (on && blocked) {
		err_set(e, ERR_FORBIDDEN, "licence_blocked", "licences",
		    "Licence %s is blocked and cannot be connected.", number);
		return -1;
	}
	if (store_licence_service_set(c, id, out->supplier_id, on, by, now,
	    &changed, e) != STORE_OK)
		return -1;
	if (!changed) {
		memcpy(out->unchanged[out->nunchanged++], number,
		    LICENCE_NUMBER_LEN + 1);
		return 0;
	}
	memcpy(d->numbers[d->n], number, LICENCE_NUMBER_LEN + 1);
	d->owners[d->n++] = owner;
	return 0;
}

int
licence_batch_apply(struct store_conn *c, const struct actor *who,
    const licence_number_t *nums, size_t n, bool on, int64_t now,
    struct licence_batch *out, struct err *e)
{
	struct licence_done	d = { .n = 0 };
	size_t			i;
	int			rc = 0;

	out->requested = n;
	out->changed = 0;
	out->unchanged = xcalloc(n, sizeof(*out->unchanged));
	out->nunchanged = 0;
	d.numbers = xcalloc(n, sizeof(*d.numbers));
	d.owners = xcalloc(n, sizeof(*d.owners));
	for (i = 0; rc == 0 && i < n; i++)
		rc = licence_batch_one(c, nums[i], on, who->company_id, now,
		    out, &d, e);
	out->changed = d.n;
	if (rc == 0 && d.n > 0)
		rc = licence_batch_audit(c, who, on, out, &d, now, e);
	free(d.numbers);
	free(d.owners);
	return rc;
}

int
licence_move_tx(struct store_conn *c, const struct actor *who,
    int64_t holder_id, int64_t supplier_id, const char *number,
    const char *user, int64_t now, struct store_licence *out, struct err *e)
{
	struct licence_audit	a = {
		.who = who, .action = "licence.move", .object_id = number,
		.now = now,
	};
	struct licence_parties	p;
	char			*before = NULL, *after = NULL;
	int			 rc = -1;

	if (store_licence_lock(c, holder_id, number, e) != STORE_OK ||
	    store_licence_get(c, holder_id, supplier_id, number, out, e) !=
	    STORE_OK)
		return -1;
	before = licence_state_json(out);
	if (store_device_release(c, out->id, now, NULL, e) != STORE_OK)
		goto out;
	snprintf(out->user_name, sizeof(out->user_name), "%s", user);
	out->mdm_id[0] = '\0';
	if (store_licence_update(c, out, now, e) != STORE_OK ||
	    licence_parties_of(c, out, supplier_id, &p, e) != 0)
		goto out;
	a.before = before;
	a.after = after = licence_state_json(out);
	rc = licence_audit(c, &a, &p, e);

out:
	free(before);
	free(after);
	return rc;
}

int
licence_tx(const struct app *app, bool write,
    int (*fn)(struct store_conn *c, void *arg, struct err *e), void *arg,
    struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, write, e) == STORE_OK && fn(c, arg, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

/* Checks that the actor's company (co) may connect to supplier_id and
 * reads the supplier's name into name; with lock, the link stays locked
 * until the transaction ends. */
static int
licence_supplier_ok(struct store_conn *c, const struct company *co,
    int64_t supplier_id, bool lock, char *name, size_t size, struct err *e)
{
	struct company	sup;
	bool		manage;
	int		rc = -1;

	if (supplier_id == co->id && co->is_supplier) {
		snprintf(name, size, "%s", co->name);
		return 0;
	}
	if (supplier_id <= 0 || store_licence_link(c, supplier_id, co->id,
	    lock, &manage, e) != STORE_OK) {
		if (supplier_id <= 0 || e->code == ERR_NOTFOUND)
			err_set(e, ERR_NOTFOUND, "supplier_not_found",
			    "supplier", "Your company is not linked with "
			    "this supplier.");
		return -1;
	}
	company_init(&sup);
	if (store_company_get(c, supplier_id, &sup, e) == STORE_OK) {
		snprintf(name, size, "%s", sup.name);
		rc = 0;
	}
	company_release(&sup);
	return rc;
}

/* Appends the group of supplier link l (or of oneself) to the list. */
static int
licence_group_add(struct store_conn *c, int64_t holder_id,
    int64_t supplier_id, const char *name, int64_t code, bool manage,
    struct licence_group **items, size_t *n, struct err *e)
{
	struct licence_group	*g;

	*items = xrealloc(*items, (*n + 1) * sizeof(**items));
	g = &(*items)[*n];
	memset(g, 0, sizeof(*g));
	g->company_id = supplier_id;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->code = code;
	g->self = supplier_id == holder_id;
	g->manage = manage;
	if (store_licence_count(c, holder_id, supplier_id, &g->total,
	    &g->in_service, e) != STORE_OK)
		return -1;
	(*n)++;
	return 0;
}

struct licence_groups_arg {
	const struct actor	 *who;
	struct licence_group	**items;
	size_t			 *n;
};

/* Lists the holder's groups on c. */
static int
licence_groups_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_groups_arg	*g = arg;
	struct store_link		*links = NULL;
	struct company			 co;
	int64_t				 after = 0;
	size_t				 got = 0, i;
	int				 rc = -1;

	company_init(&co);
	if (store_company_get(c, g->who->company_id, &co, e) != STORE_OK ||
	    (co.is_supplier && licence_group_add(c, co.id, co.id, co.name, 0,
	    true, g->items, g->n, e) != 0))
		goto out;
	do {
		free(links);
		if (store_link_list(c, LINK_DISTRIBUTOR, co.id, after,
		    NETWORK_LIST_MAX, &links, &got, e) != STORE_OK)
			goto out;
		for (i = 0; i < got && *g->n < LICENCE_GROUPS_MAX; i++)
			if (licence_group_add(c, co.id, links[i].supplier_id,
			    links[i].supplier_name, links[i].code,
			    links[i].manage_licences, g->items, g->n, e) != 0)
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
licence_groups(const struct app *app, const struct actor *who,
    struct licence_group **items, size_t *n, struct err *e)
{
	struct licence_groups_arg	arg = { who, items, n };

	*items = NULL;
	*n = 0;
	return licence_tx(app, false, licence_groups_tx, &arg, e);
}

struct licence_list_arg {
	const struct actor		 *who;
	int64_t				  supplier_id;
	const struct licence_filter	 *f;
	struct store_licence		**items;
	size_t				 *n;
	bool				 *more;
};

/* Lists one page of the holder's licences on c. */
static int
licence_list_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_list_arg		*l = arg;
	struct store_licence_query	 q = {
		.holder_id = l->who->company_id,
		.supplier_id = l->supplier_id, .state = l->f->state,
		.want_services = true,
	};
	struct company			 co;
	char				 name[LICENCE_COMPANY_SIZE];
	int				 rc = -1;

	/* The company is needed only to check the supplier named. */
	company_init(&co);
	if (l->supplier_id != 0 && (store_company_get(c, l->who->company_id,
	    &co, e) != STORE_OK || licence_supplier_ok(c, &co, l->supplier_id,
	    false, name, sizeof(name), e) != 0))
		goto out;
	rc = licence_page(c, &q, l->f, l->items, l->n, l->more, e);

out:
	company_release(&co);
	return rc;
}

int
licence_list(const struct app *app, const struct actor *who,
    int64_t supplier_id, const struct licence_filter *f,
    struct store_licence **items, size_t *n, bool *more, struct err *e)
{
	struct licence_list_arg	arg = {
		who, supplier_id, f, items, n, more,
	};

	*items = NULL;
	*n = 0;
	*more = false;
	if (supplier_id == 0 && f->state != LICENCE_STATE_ALL) {
		err_set(e, ERR_INVALID, "supplier_required", "supplier",
		    "A status filter needs a supplier.");
		return -1;
	}
	return licence_tx(app, false, licence_list_tx, &arg, e);
}

int
licence_get(const struct app *app, const struct actor *who,
    const char *number, struct store_licence *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (!licence_number_valid(number)) {
		err_set(e, ERR_NOTFOUND, "licence_not_found", NULL,
		    "There is no such licence here.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_licence_get(c, who->company_id, 0, number, out, e) ==
	    STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

/* The holder's batch on c: the supplier is checked with its link locked,
 * so a disconnection cannot slip in between. */
static int
licence_connect_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_batch_arg	*a = arg;
	struct licence_batch		*b = a->out;
	struct company			 co;
	int				 rc = -1;

	company_init(&co);
	if (store_company_get(c, a->who->company_id, &co, e) != STORE_OK ||
	    licence_supplier_ok(c, &co, b->supplier_id, true,
	    b->supplier_name, sizeof(b->supplier_name), e) != 0)
		goto out;
	b->holder_id = co.id;
	snprintf(b->holder_name, sizeof(b->holder_name), "%s", co.name);
	rc = licence_batch_apply(c, a->who, a->nums, a->n, a->on,
	    clock_now_ms(), b, e);

out:
	company_release(&co);
	return rc;
}

int
licence_batch_run(const struct app *app, const struct actor *who,
    const char *const *numbers, size_t n, bool on,
    struct licence_batch *out,
    int (*fn)(struct store_conn *c, void *arg, struct err *e),
    struct err *e)
{
	struct licence_batch_arg	 arg = { .who = who, .on = on,
					    .out = out };
	licence_number_t		*nums = NULL;
	int				 rc = -1;

	if (licence_need_manager(who, e) != 0 ||
	    licence_numbers_prepare(numbers, n, &nums, &arg.n, e) != 0)
		goto out;
	arg.nums = nums;
	rc = licence_tx(app, true, fn, &arg, e);

out:
	free(nums);
	return rc;
}

int
licence_connect(const struct app *app, const struct actor *who,
    int64_t supplier_id, const char *const *numbers, size_t n, bool on,
    struct licence_batch *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->supplier_id = supplier_id;
	return licence_batch_run(app, who, numbers, n, on, out,
	    licence_connect_tx, e);
}

static int
licence_move_holder_tx(struct store_conn *c, void *arg, struct err *e)
{
	struct licence_move_arg	*m = arg;

	return licence_move_tx(c, m->who, m->who->company_id, 0, m->number,
	    m->user, clock_now_ms(), m->out, e);
}

int
licence_move_run(const struct app *app, const struct actor *who,
    const char *number, const char *user, struct store_licence *out,
    int (*fn)(struct store_conn *c, void *arg, struct err *e),
    const char *missing, struct err *e)
{
	char			clean[LICENCE_USER_SIZE];
	struct licence_move_arg	arg = { who, number, clean, out };

	if (licence_need_manager(who, e) != 0 ||
	    licence_user_check(user, clean, e) != 0)
		return -1;
	if (!licence_number_valid(number)) {
		err_set(e, ERR_NOTFOUND, "licence_not_found", NULL, "%s",
		    missing);
		return -1;
	}
	return licence_tx(app, true, fn, &arg, e);
}

int
licence_move(const struct app *app, const struct actor *who,
    const char *number, const char *user, struct store_licence *out,
    struct err *e)
{
	return licence_move_run(app, who, number, user, out,
	    licence_move_holder_tx, "There is no such licence here.", e);
}

/*
 * The network's hook.
 */

int
licence_in_service_count(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t *n, struct err *e)
{
	return store_licence_count_in_service(c, supplier_id, distributor_id,
	    n, e) == STORE_OK ? 0 : -1;
}

int
licence_owned_count(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t *n, struct err *e)
{
	return store_licence_count_owned(c, supplier_id, distributor_id, n,
	    e) == STORE_OK ? 0 : -1;
}

int
licence_drop(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t now, struct err *e)
{
	struct licence_audit	a = {
		.device_company = supplier_id, .action = "licence.disconnect",
		.now = now,
	};
	struct licence_parties	p = { .n = 0 };
	char			*json;
	int64_t			 n = 0;
	int			 rc;

	if (store_licence_service_drop(c, supplier_id, distributor_id, &n,
	    e) != STORE_OK)
		return -1;
	if (n == 0)
		return 0;
	licence_parties_add(&p, distributor_id);
	licence_parties_add(&p, supplier_id);
	a.after = json = licence_dump(json_pack("{s:I, s:I, s:s}",
	    "supplier", (json_int_t)supplier_id, "count", (json_int_t)n,
	    "reason", "link_ended"));
	rc = licence_audit(c, &a, &p, e);
	free(json);
	return rc;
}

static const struct network_licences licence_network_ops = {
	.in_service = licence_in_service_count,
	.owned_by_supplier = licence_owned_count,
	.drop = licence_drop,
};

void
licence_network_register(void)
{
	network_licences_set(&licence_network_ops);
}
