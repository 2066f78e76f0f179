/*
 * package.c - publishing packages, reading them back, and delivering
 * them to phones until acknowledged.
 *
 * No SQL or HTTP here: rows go through store/package.h and the counter
 * through store/feed.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/network.h"
#include "domain/package.h"
#include "domain/password.h"
#include "store/company.h"
#include "store/feed.h"

#define PACKAGE_COUNTER	"packages"

static const char *const package_kinds[] = {
	"catalogue", "prices", "outlets", "tasks", "messages",
};

/* Checks the kind and copies it into p. */
static int
package_kind(json_t *o, struct store_package *p, struct err *e)
{
	const char	*k = json_string_value(json_object_get(o, "kind"));
	size_t		 i;

	for (i = 0; k != NULL && i < sizeof(package_kinds) /
	    sizeof(*package_kinds); i++) {
		if (strcmp(k, package_kinds[i]) == 0) {
			snprintf(p->kind, sizeof(p->kind), "%s", k);
			return 0;
		}
	}
	err_set(e, ERR_INVALID, "kind_invalid", "kind", "kind must be "
	    "catalogue, prices, outlets, tasks or messages.");
	return -1;
}

/* Checks the optional name (up to 100 characters, no control bytes). */
static int
package_name(json_t *o, struct store_package *p, struct err *e)
{
	json_t		*v = json_object_get(o, "name");
	const char	*s;
	size_t		 i;

	if (v == NULL || json_is_null(v))
		return 0;
	s = json_string_value(v);
	if (s == NULL || strlen(s) != json_string_length(v) ||
	    strlen(s) >= sizeof(p->name) || password_chars(s) > 100)
		goto bad;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20)
			goto bad;
	snprintf(p->name, sizeof(p->name), "%s", s);
	return 0;

bad:
	err_set(e, ERR_INVALID, "name_invalid", "name",
	    "name must be text of up to 100 characters.");
	return -1;
}

/* Reads the target; *list gets the array of codes or licences. */
static int
package_target(json_t *o, struct store_package *p, json_t **list,
    struct err *e)
{
	json_t	*t = json_object_get(o, "target");

	*list = NULL;
	if (json_is_string(t) && strcmp(json_string_value(t), "all") == 0) {
		snprintf(p->target, sizeof(p->target), "all");
		return 0;
	}
	if (json_is_object(t) && json_object_size(t) == 1) {
		if ((*list = json_object_get(t, "codes")) != NULL)
			snprintf(p->target, sizeof(p->target), "codes");
		else if ((*list = json_object_get(t, "licences")) != NULL)
			snprintf(p->target, sizeof(p->target), "licences");
	}
	if (*list != NULL && json_is_array(*list) &&
	    json_array_size(*list) > 0 &&
	    json_array_size(*list) <= PACKAGE_TARGETS_MAX)
		return 0;
	err_set(e, ERR_INVALID, "target_invalid", "target", "target must be "
	    "\"all\", {\"codes\": [...]} or {\"licences\": [...]} with 1 "
	    "to %d entries.", PACKAGE_TARGETS_MAX);
	return -1;
}

/* Resolves entry i of a codes target to a linked distributor. */
static int
package_target_code(struct store_conn *c, int64_t supplier_id, json_t *v,
    size_t i, int64_t *distributor_id, struct err *e)
{
	char		 buf[24];
	const char	*s = json_string_value(v);
	int64_t		 code;
	enum store_rc	 rc;

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		s = buf;
	}
	if (network_code_parse(s, &code, e) == 0) {
		rc = store_package_code(c, supplier_id, code, distributor_id,
		    e);
		if (rc != STORE_NOTFOUND)
			return rc == STORE_OK ? 0 : -1;
	}
	err_set(e, ERR_INVALID, "code_unknown", NULL, "No distributor of "
	    "this supplier is linked under the code at target.codes[%zu].",
	    i);
	snprintf(e->field, sizeof(e->field), "target.codes[%zu]", i);
	return -1;
}

/* Resolves entry i of a licences target to a licence in service. */
static int
package_target_licence(struct store_conn *c, int64_t supplier_id,
    json_t *v, size_t i, int64_t *licence_id, struct err *e)
{
	const char	*s = json_string_value(v);
	enum store_rc	 rc;

	if (s != NULL && strlen(s) == LICENCE_NUMBER_LEN) {
		rc = store_package_licence(c, supplier_id, s, licence_id, e);
		if (rc != STORE_NOTFOUND)
			return rc == STORE_OK ? 0 : -1;
	}
	err_set(e, ERR_INVALID, "licence_unknown", NULL, "The licence at "
	    "target.licences[%zu] is not «ВКЛ» for this supplier.", i);
	snprintf(e->field, sizeof(e->field), "target.licences[%zu]", i);
	return -1;
}

/* Stores the targets of package id from list. */
static int
package_targets(struct store_conn *c, const struct store_package *p,
    int64_t id, json_t *list, struct err *e)
{
	size_t	i;
	int64_t	dist, lic;

	for (i = 0; list != NULL && i < json_array_size(list); i++) {
		dist = lic = 0;
		if (strcmp(p->target, "codes") == 0) {
			if (package_target_code(c, p->supplier_id,
			    json_array_get(list, i), i, &dist, e) != 0)
				return -1;
		} else if (package_target_licence(c, p->supplier_id,
		    json_array_get(list, i), i, &lic, e) != 0) {
			return -1;
		}
		if (store_package_target(c, id, dist, lic, e) != STORE_OK)
			return -1;
	}
	return 0;
}

/* Checks that company id is a supplier. */
static int
package_need_supplier(struct store_conn *c, int64_t id, struct err *e)
{
	struct company	co;
	int		rc = -1;

	company_init(&co);
	if (store_company_get(c, id, &co, e) == STORE_OK) {
		if (co.is_supplier)
			rc = 0;
		else
			err_set(e, ERR_FORBIDDEN, "not_supplier", NULL,
			    "Only a supplier company publishes packages.");
	}
	company_release(&co);
	return rc;
}

/* The publication, on c inside a write transaction. */
static int
package_publish_tx(struct store_conn *c, struct store_package *p,
    const char *payload, json_t *list, struct package_info *out,
    struct err *e)
{
	int64_t	last, id;

	if (package_need_supplier(c, p->supplier_id, e) != 0 ||
	    store_counter_lock(c, PACKAGE_COUNTER, &last, e) != STORE_OK ||
	    store_package_insert(c, p, payload, last + 1, &id, e) !=
	    STORE_OK ||
	    package_targets(c, p, id, list, e) != 0 ||
	    store_counter_set(c, PACKAGE_COUNTER, last + 1, e) != STORE_OK ||
	    store_package_get(c, p->supplier_id, id, &out->row, e) !=
	    STORE_OK)
		return -1;
	return store_package_stats(c, id, &out->acked, &out->devices,
	    &out->targets, e) == STORE_OK ? 0 : -1;
}

int
package_publish(const struct app *app, const struct apikey_caller *k,
    json_t *o, struct package_info *out, struct err *e)
{
	struct store_package	 p;
	struct store_conn	*c;
	json_t			*payload = json_object_get(o, "payload");
	json_t			*list;
	char			*text = NULL;
	int			 rc = -1;

	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	p.supplier_id = k->company_id;
	p.api_key_id = k->key_id;
	p.created_at = clock_now_ms();
	if (package_kind(o, &p, e) != 0 || package_name(o, &p, e) != 0 ||
	    package_target(o, &p, &list, e) != 0)
		return -1;
	if (!json_is_object(payload) && !json_is_array(payload)) {
		err_set(e, ERR_INVALID, "payload_invalid", "payload",
		    "payload must be a JSON object or array.");
		return -1;
	}
	text = json_dumps(payload, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (text == NULL)
		xmalloc_fail(0);

	if ((c = store_acquire(app->store, e)) == NULL)
		goto out;
	if (store_begin(c, true, e) == STORE_OK &&
	    package_publish_tx(c, &p, text, list, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);

out:
	free(text);
	return rc;
}

int
package_get(const struct app *app, int64_t supplier_id, int64_t id,
    struct package_info *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_package_get(c, supplier_id, id, &out->row, e) == STORE_OK &&
	    store_package_stats(c, id, &out->acked, &out->devices,
	    &out->targets, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

int
package_list(const struct app *app, int64_t supplier_id, int64_t after,
    int limit, struct package_info **items, size_t *n, bool *more,
    struct err *e)
{
	struct store_package	*rows = NULL;
	struct store_conn	*c;
	size_t			 i;
	int			 rc = -1;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > PACKAGE_LIST_MAX)
		limit = PACKAGE_LIST_MAX;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_package_list(c, supplier_id, after, limit + 1, &rows, n,
	    e) != STORE_OK)
		goto out;
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*more = true;
	}
	*items = xcalloc(*n > 0 ? *n : 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		(*items)[i].row = rows[i];
		if (store_package_stats(c, rows[i].id, &(*items)[i].acked,
		    &(*items)[i].devices, &(*items)[i].targets, e) !=
		    STORE_OK)
			goto out;
	}
	rc = 0;

out:
	free(rows);
	store_release(c);
	return rc;
}

/* Carries a download page through the store's callback. */
struct package_walk {
	const struct buf	 *out;
	int			(*fn)(const struct package_row *, void *);
	void			 *arg;
	struct package_page	 *pg;
	int			  limit;
};

/* Hands one offer on; stops once the page is large enough. */
static int
package_walk_one(const struct store_package_offer *o, void *arg)
{
	struct package_walk	*w = arg;
	struct package_row	 r = {
		.id = o->id, .position = o->position,
		.supplier_id = o->supplier_id,
		.supplier_name = o->supplier_name, .kind = o->kind,
		.name = o->name, .created_at = o->created_at,
		.payload = o->payload, .payload_len = o->payload_len,
	};

	/* The store reads one row past the limit to know whether more
	 * follow. */
	if ((int)w->pg->n == w->limit ||
	    (w->pg->n > 0 && w->out->len > PACKAGE_PAGE_SOFT)) {
		w->pg->more = true;
		return 1;
	}
	if (w->fn(&r, w->arg) != 0)
		return 1;
	w->pg->n++;
	w->pg->last = o->position;
	return 0;
}

int
package_for_device(const struct app *app, const struct device_caller *d,
    int64_t after, int limit, const struct buf *out,
    int (*fn)(const struct package_row *, void *), void *arg,
    struct package_page *pg, struct err *e)
{
	struct package_walk	 w = {
		.out = out, .fn = fn, .arg = arg, .pg = pg, .limit = limit,
	};
	struct store_conn	*c;
	enum store_rc		 rc;

	memset(pg, 0, sizeof(*pg));
	pg->last = after;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_package_offers(c, d->licence_id, d->company_id,
	    d->device_id, after, limit + 1, package_walk_one, &w, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

/* The acknowledgement, on c inside a write transaction. */
static int
package_ack_tx(struct store_conn *c, const struct device_caller *d,
    int64_t id, int64_t *acked_at, bool *first, struct err *e)
{
	bool	visible;

	if (store_package_visible(c, d->licence_id, d->company_id, id,
	    &visible, e) != STORE_OK)
		return -1;
	if (!visible) {
		err_set(e, ERR_NOTFOUND, "package_not_found", NULL,
		    "There is no such package for this device.");
		return -1;
	}
	return store_package_ack(c, id, d->device_id, d->licence_id,
	    clock_now_ms(), acked_at, first, e) == STORE_OK ? 0 : -1;
}

int
package_ack(const struct app *app, const struct device_caller *d,
    int64_t id, int64_t *acked_at, bool *first, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    package_ack_tx(c, d, id, acked_at, first, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}
