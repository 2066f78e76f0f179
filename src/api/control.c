/*
 * control.c - «Контроль» in the cabinet: per-day exchange counts for the
 * distributor (per licence and supplier) or the supplier (per
 * distributor, with its feed consumers' lag), and the distributor's
 * refused documents.
 *
 * Session endpoints; the company is the session's.  Parses, calls
 * domain/exchange_control.h and domain/feed.h, renders with the
 * streaming writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/exchange.h"
#include "core/clock.h"
#include "domain/exchange_control.h"
#include "domain/feed.h"

#define CONTROL_DAY_MS		(24LL * 3600 * 1000)
#define CONTROL_REJECTS_DEFAULT	50

/* Writes a company reference {id, name}. */
static void
control_company(struct jsonw *w, const char *key, int64_t id,
    const char *name)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kid(w, "id", id);
	jsonw_kstring(w, "name", name);
	jsonw_object_end(w);
}

/* Writes the per-day counts of r. */
static void
control_days_json(struct jsonw *w, const struct control_view *v,
    const struct control_row *r)
{
	int	i;

	jsonw_key(w, "per_day");
	jsonw_array_begin(w);
	for (i = 0; i < v->ndays; i++) {
		jsonw_object_begin(w);
		jsonw_kint(w, "documents", r->day_documents[i]);
		jsonw_kint(w, "rejected", r->day_rejected[i]);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* Writes one row for side. */
static void
control_row_json(struct jsonw *w, const struct control_view *v,
    const struct control_row *r, bool supplier)
{
	char	code[16];

	snprintf(code, sizeof(code), "%lld", (long long)r->code);
	jsonw_object_begin(w);
	if (supplier) {
		control_company(w, "distributor", r->distributor_id,
		    r->distributor_name);
		jsonw_kstring(w, "status", r->status);
	} else {
		control_company(w, "supplier", r->supplier_id,
		    r->supplier_name);
		jsonw_key(w, "licence");
		if (r->licence_id > 0) {
			jsonw_object_begin(w);
			jsonw_kid(w, "id", r->licence_id);
			jsonw_kstring(w, "number", r->licence_number);
			jsonw_kstring(w, "user", r->user_name);
			jsonw_object_end(w);
		} else {
			jsonw_null(w);
		}
		jsonw_kstring(w, "source", r->licence_id > 0 ? "device" :
		    "system");
		jsonw_kbool(w, "in_service", r->in_service);
		jsonw_ktime(w, "last_contact_at", r->last_contact_at);
	}
	jsonw_kstring(w, "code", r->code > 0 ? code : "");
	jsonw_ktime(w, "last_at", r->last_at);
	jsonw_kint(w, "documents", r->documents);
	jsonw_kint(w, "rejected", r->rejected);
	control_days_json(w, v, r);
	jsonw_object_end(w);
}

/* Writes the dates of the view's days ("2026-03-01"). */
static void
control_dates_json(struct jsonw *w, const struct control_view *v)
{
	char	t[32];
	int	i;

	jsonw_key(w, "days");
	jsonw_array_begin(w);
	for (i = 0; i < v->ndays; i++) {
		clock_format_rfc3339((v->first_day + i) * CONTROL_DAY_MS, t);
		jsonw_stringn(w, t, 10);
	}
	jsonw_array_end(w);
}

/* Writes the supplier's feed consumers with their lag. */
static int
control_consumers_json(struct jsonw *w, const struct app *app,
    int64_t supplier_id, struct err *e)
{
	struct feed_consumer	*items = NULL;
	size_t			 n = 0, i;
	int64_t			 head;

	if (feed_consumers(app, supplier_id, &items, &n, &head, e) != 0)
		return -1;
	jsonw_kid(w, "head", head);
	jsonw_key(w, "consumers");
	jsonw_array_begin(w);
	for (i = 0; i < n; i++) {
		jsonw_object_begin(w);
		jsonw_kstring(w, "name", items[i].row.name);
		jsonw_kid(w, "position", items[i].row.position);
		jsonw_kint(w, "lag", items[i].lag);
		jsonw_ktime(w, "updated_at", items[i].row.updated_at);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	free(items);
	return 0;
}

/* Reads ?days= (CONTROL_DAYS_DEFAULT when absent); -1 after replying. */
static int
control_days_arg(struct http_req *req, int *days)
{
	const char	*s = http_req_query(req, "days");
	struct err	 e;
	int64_t		 n;

	*days = CONTROL_DAYS_DEFAULT;
	if (s == NULL || s[0] == '\0')
		return 0;
	n = auth_id(s);
	if (n >= 1 && n <= CONTROL_DAYS_MAX) {
		*days = (int)n;
		return 0;
	}
	err_set(&e, ERR_INVALID, "days_invalid", "days",
	    "days must be between 1 and %d.", CONTROL_DAYS_MAX);
	http_reply_error(req, &e);
	return -1;
}

/* GET /control?side=distributor|supplier&days= */
static void
control_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*side = http_req_query(req, "side");
	struct control_view		 v;
	struct buf			 b;
	struct jsonw			 w;
	struct err			 e;
	bool				 sup;
	int				 days, rc;
	size_t				 i;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    control_days_arg(req, &days) != 0)
		return;
	err_clear(&e);
	sup = side != NULL && strcmp(side, "supplier") == 0;
	if (side != NULL && !sup && strcmp(side, "distributor") != 0) {
		err_set(&e, ERR_INVALID, "side_invalid", "side",
		    "side must be distributor or supplier.");
		http_reply_error(req, &e);
		return;
	}
	rc = sup ? control_supplier(app, &who->actor, days, &v, &e) :
	    control_distributor(app, &who->actor, days, &v, &e);
	buf_init(&b, EXCHANGE_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_kstring(&w, "side", sup ? "supplier" : "distributor");
	if (rc == 0 && sup)
		rc = control_consumers_json(&w, app, who->actor.company_id,
		    &e);
	if (rc != 0) {
		buf_release(&b);
		control_view_release(&v);
		http_reply_error(req, &e);
		return;
	}
	control_dates_json(&w, &v);
	jsonw_key(&w, "rows");
	jsonw_array_begin(&w);
	for (i = 0; i < v.n; i++)
		control_row_json(&w, &v, &v.rows[i], sup);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	control_view_release(&v);
	exchange_reply(req, 200, &w, &b);
}

/* Writes one refused document. */
static int
control_reject_json(const struct store_reject_row *x, void *arg)
{
	struct jsonw	*w = arg;

	jsonw_object_begin(w);
	jsonw_kid(w, "id", x->id);
	control_company(w, "supplier", x->supplier_id, x->supplier_name);
	jsonw_key(w, "uuid");
	if (x->uuid[0] != '\0')
		jsonw_string(w, x->uuid);
	else
		jsonw_null(w);
	jsonw_kstring(w, "kind", x->kind);
	jsonw_kstring(w, "number", x->number);
	jsonw_key(w, "licence");
	if (x->licence_number[0] != '\0')
		jsonw_string(w, x->licence_number);
	else
		jsonw_null(w);
	jsonw_key(w, "error");
	jsonw_object_begin(w);
	jsonw_kstring(w, "code", x->code);
	jsonw_kstring(w, "message", x->message);
	jsonw_object_end(w);
	jsonw_kint(w, "attempts", x->attempts);
	jsonw_ktime(w, "first_at", x->first_at);
	jsonw_ktime(w, "last_at", x->last_at);
	jsonw_kbool(w, "accepted_later", x->accepted_later);
	jsonw_object_end(w);
	return 0;
}

/* GET /control/rejects?before=&limit= */
static void
control_rejects_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*bs = http_req_query(req, "before");
	struct buf			 b;
	struct jsonw			 w;
	struct err			 e;
	int64_t				 before = 0, next, unused;
	int				 limit;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    exchange_page(req, CONTROL_REJECTS_DEFAULT, CONTROL_REJECTS_MAX,
	    &unused, &limit) != 0)
		return;
	err_clear(&e);
	if (bs != NULL && bs[0] != '\0' && (before = auth_id(bs)) < 0) {
		err_set(&e, ERR_INVALID, "before_invalid", "before",
		    "before must be an id from the previous page.");
		http_reply_error(req, &e);
		return;
	}
	buf_init(&b, EXCHANGE_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	if (control_rejects(app, &who->actor, before, limit,
	    control_reject_json, &w, &next, &e) != 0) {
		buf_release(&b);
		http_reply_error(req, &e);
		return;
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "next_before");
	if (next > 0)
		jsonw_id(&w, next);
	else
		jsonw_null(&w);
	jsonw_object_end(&w);
	exchange_reply(req, 200, &w, &b);
}

void
api_control_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/control", control_handler,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/control/rejects",
	    control_rejects_handler, HTTP_NO_STORE);
}
