/*
 * packages.c - a supplier's system publishes packages for its
 * distributors' phones (/packages, API key of scope publish) and follows
 * their delivery (scope read or publish).
 *
 * Parses, calls domain/package.h, renders; the supplier is the key's
 * company.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/exchange.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/package.h"

#define PACKAGES_DEFAULT	50

/* A package with its delivery counts. */
static json_t *
package_json(const struct package_info *p)
{
	char	id[24], pos[24], t[32];

	snprintf(id, sizeof(id), "%lld", (long long)p->row.id);
	snprintf(pos, sizeof(pos), "%lld", (long long)p->row.position);
	clock_format_rfc3339(p->row.created_at, t);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:{s:I, s:I, "
	    "s:I}}", "id", id, "position", pos, "kind", p->row.kind,
	    "name", p->row.name, "target", p->row.target,
	    "size", (json_int_t)p->row.size, "created_at", t,
	    "delivery", "devices", (json_int_t)p->devices,
	    "acknowledged", (json_int_t)p->acked,
	    "targets", (json_int_t)p->targets);
}

/* POST /packages {kind, name?, target, payload} */
static void
packages_publish(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct package_info		 p;
	struct err			 e;
	json_t				*o;
	char				 id[24];

	if ((k = exchange_apikey(req, APIKEY_PUBLISH)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (package_publish(app, k, o, &p, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)p.row.id);
	log_event(LOG_INFO, "exchange.publish", "package", id, "kind",
	    p.row.kind, "target", p.row.target, NULL);
	http_reply_json(req, 201, package_json(&p));
}

/* The key of a request that follows packages: read or publish. */
static const struct apikey_caller *
packages_reader(struct http_req *req)
{
	const struct apikey_caller	*k;
	struct err			 e;

	if ((k = exchange_apikey(req, 0)) == NULL)
		return NULL;
	if ((k->scopes & (APIKEY_READ | APIKEY_PUBLISH)) != 0)
		return k;
	err_set(&e, ERR_FORBIDDEN, "scope_missing", NULL,
	    "This API key may not do this; it needs another scope.");
	http_reply_error(req, &e);
	return NULL;
}

/* GET /packages?after=&limit= */
static void
packages_list(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct package_info		*items = NULL;
	struct err			 e;
	json_t				*arr;
	int64_t				 after;
	size_t				 n = 0, i;
	bool				 more = false;
	int				 limit;

	if ((k = packages_reader(req)) == NULL ||
	    exchange_page(req, PACKAGES_DEFAULT, PACKAGE_LIST_MAX, &after,
	    &limit) != 0)
		return;
	err_clear(&e);
	if (package_list(app, k->company_id, after, limit, &items, &n, &more,
	    &e) != 0) {
		http_reply_error(req, &e);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, package_json(&items[i]));
	http_reply_json(req, 200, exchange_page_json(arr, more,
	    n > 0 ? items[n - 1].row.position : 0));

out:
	free(items);
}

/* GET /packages/{id} */
static void
packages_show(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct package_info		 p;
	struct err			 e;
	int64_t				 id;

	if ((k = packages_reader(req)) == NULL ||
	    (id = exchange_path_id(req, "id", "package_not_found",
	    "There is no such package here.")) < 0)
		return;
	err_clear(&e);
	if (package_get(app, k->company_id, id, &p, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, package_json(&p));
}

void
api_packages_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/packages", packages_publish,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/packages", packages_list,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/packages/{id}", packages_show,
	    HTTP_NO_STORE);
}
