/*
 * apikeys.c - API keys in the cabinet (Администрирование → API-ключи):
 * list, create (the secret is in that one answer only) and revoke.
 *
 * Session endpoints: the company is the session's; owners and admins
 * create and revoke, every user lists.  Parses, calls domain/apikey.h,
 * renders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/exchange.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/apikey.h"

#define APIKEYS_DEFAULT	50

/* A time as RFC 3339, or null for 0. */
static json_t *
apikeys_time(int64_t ms)
{
	char	t[32];

	if (ms == 0)
		return json_null();
	clock_format_rfc3339(ms, t);
	return json_string(t);
}

/* The scopes as a JSON array of names. */
static json_t *
apikeys_scopes(const char *list)
{
	json_t		*a = json_array();
	const char	*p = list;
	size_t		 n;

	while (*p != '\0') {
		n = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return a;
}

/* A key as the cabinet shows it (never the secret). */
static json_t *
apikeys_json(const struct store_apikey *k)
{
	char	id[24], by[24];

	snprintf(id, sizeof(id), "%lld", (long long)k->id);
	snprintf(by, sizeof(by), "%lld", (long long)k->created_by);
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:o}",
	    "id", id, "name", k->name, "prefix", k->prefix,
	    "scopes", apikeys_scopes(k->scopes),
	    "status", k->revoked_at != 0 ? "revoked" : "active",
	    "created_at", apikeys_time(k->created_at),
	    "created_by", k->created_by > 0 ? json_pack("{s:s, s:s}", "id",
	    by, "name", k->created_by_name) : json_null(),
	    "last_used_at", apikeys_time(k->last_used_at),
	    "last_used_ip", k->last_used_ip,
	    "revoked_at", apikeys_time(k->revoked_at));
}

/* GET /api-keys?after=&limit= */
static void
apikeys_list(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_apikey		*items = NULL;
	struct err			 e;
	json_t				*arr;
	int64_t				 after;
	size_t				 n = 0, i;
	bool				 more = false;
	int				 limit;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    exchange_page(req, APIKEYS_DEFAULT, APIKEY_LIST_MAX, &after,
	    &limit) != 0)
		return;
	err_clear(&e);
	if (apikey_list(app, &who->actor, after, limit, &items, &n, &more,
	    &e) != 0) {
		http_reply_error(req, &e);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, apikeys_json(&items[i]));
	http_reply_json(req, 200, exchange_page_json(arr, more,
	    n > 0 ? items[n - 1].id : 0));

out:
	free(items);
}

/* Reads "scopes": an array of names (or one comma list) into bits. */
static int
apikeys_scopes_arg(json_t *o, unsigned *bits, struct err *e)
{
	json_t		*v = json_object_get(o, "scopes");
	json_t		*s;
	unsigned	 one;
	size_t		 i;

	*bits = 0;
	if (json_is_string(v))
		return apikey_scopes_parse(json_string_value(v), bits, e);
	if (!json_is_array(v) || json_array_size(v) == 0)
		return apikey_scopes_parse("", bits, e);
	json_array_foreach(v, i, s) {
		if (!json_is_string(s) || strchr(json_string_value(s), ',') ||
		    apikey_scopes_parse(json_string_value(s), &one, e) != 0)
			return apikey_scopes_parse("", bits, e);
		*bits |= one;
	}
	return 0;
}

/* POST /api-keys {name, scopes} */
static void
apikeys_create(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct apikey_new		*k;
	struct err			 e;
	const char			*name;
	unsigned			 scopes;
	json_t				*o, *body;
	char				 id[24];

	if ((who = auth_require(req, AUTH_MANAGER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	k = arena_alloc(http_req_arena(req), sizeof(*k));
	if (auth_str(o, "name", true, &name, &e) != 0 ||
	    apikeys_scopes_arg(o, &scopes, &e) != 0 ||
	    apikey_create(app, &who->actor, name, scopes, k, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)k->row.id);
	log_event(LOG_INFO, "apikey.create", "key", id, "scopes",
	    k->row.scopes, NULL);
	body = apikeys_json(&k->row);
	json_object_set_new(body, "key", json_string(k->secret));
	sodium_memzero(k->secret, sizeof(k->secret));
	http_reply_json(req, 201, body);
}

/* POST /api-keys/{id}/revoke */
static void
apikeys_revoke(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_apikey		*k;
	struct err			 e;
	int64_t				 id;

	if ((who = auth_require(req, AUTH_MANAGER)) == NULL ||
	    (id = exchange_path_id(req, "id", "apikey_not_found",
	    "There is no such API key here.")) < 0)
		return;
	err_clear(&e);
	k = arena_alloc(http_req_arena(req), sizeof(*k));
	if (apikey_revoke(app, &who->actor, id, k, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	log_event(LOG_INFO, "apikey.revoke", "key", http_req_param(req, "id"),
	    NULL);
	http_reply_json(req, 200, apikeys_json(k));
}

void
api_apikeys_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/api-keys", apikeys_list, HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/api-keys", apikeys_create,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/api-keys/{id}/revoke", apikeys_revoke,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
