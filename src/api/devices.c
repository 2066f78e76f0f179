/*
 * devices.c - devices over HTTP: activation by the mobile app
 * (POST /device/activate), what a device token stands for
 * (GET /device/me) and the company's «Устройства» (GET /devices).
 *
 * A device authenticates with "Authorization: Bearer <device token>";
 * it has no session, so no cookie or CSRF token is involved.  Parses,
 * calls domain/device.h, renders JSON; the rules live there.  Never logs
 * a token or an activation code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/device.h"
#include "domain/licence.h"

#define DEVICES_LIMIT_DEFAULT	50

/* A decimal id as a JSON string. */
static json_t *
dev_id(int64_t id)
{
	char	s[24];

	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_string(s);
}

/* The suppliers a licence is «ВКЛ» for: [{id, name, code}]. */
static json_t *
dev_suppliers_json(const struct store_licence_supplier *s, size_t n)
{
	json_t	*arr = json_array();
	char	 code[24];
	size_t	 i;

	for (i = 0; i < n; i++) {
		snprintf(code, sizeof(code), "%lld", (long long)s[i].code);
		json_array_append_new(arr, json_pack("{s:o, s:s, s:o}",
		    "id", dev_id(s[i].id), "name", s[i].name,
		    "code", s[i].code > 0 ? json_string(code) : json_null()));
	}
	return arr;
}

/* One row of «Устройства». */
static json_t *
dev_json(const struct store_device *d)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b}",
	    "id", dev_id(d->id), "mdm_id", d->mdm_id, "licence", d->number,
	    "user", d->user_name, "config_version", d->app_version,
	    "first_contact_at", auth_time_json(d->first_contact_at),
	    "last_contact_at", auth_time_json(d->last_contact_at),
	    "released_at", auth_time_json(d->released_at),
	    "bound", d->released_at == 0);
}

/* POST /device/activate {licence, activation_code, mdm_id, app_version,
 * user?} */
static void
dev_activate_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	struct device_activation	 in = { .ip = http_req_ip(req) };
	struct device_session		*s;
	struct store_licence		*l;
	struct err			 e;
	json_t				*o;

	if ((o = auth_body(req)) == NULL)
		return;
	s = arena_alloc(http_req_arena(req), sizeof(*s));
	err_clear(&e);
	if (auth_str(o, "licence", true, &in.licence, &e) != 0 ||
	    auth_str(o, "activation_code", true, &in.activation_code,
	    &e) != 0 || auth_str(o, "mdm_id", true, &in.mdm_id, &e) != 0 ||
	    auth_str(o, "app_version", true, &in.app_version, &e) != 0 ||
	    auth_str(o, "user", false, &in.user, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (device_activate(app, &in, s, &e) != 0) {
		log_event(LOG_INFO, "device.activate_refused", "reason", e.id,
		    NULL);
		auth_reply_error(req, &e, s->retry_s);
		return;
	}
	l = &s->licence;
	log_event(LOG_INFO, "device.activated", "licence", l->number,
	    "mdm_id", l->mdm_id, NULL);
	http_reply_json(req, 200, json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, "
	    "s:{s:o, s:s}, s:o}", "device_token", s->token,
	    "licence", "number", l->number, "user", l->user_name,
	    "config_version", l->config_version, "mdm_id", l->mdm_id,
	    "company", "id", dev_id(l->holder_id), "name", l->holder_name,
	    "suppliers", dev_suppliers_json(s->suppliers, s->nsuppliers)));
	device_session_release(s);
}

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static const char *
dev_bearer(struct http_req *req)
{
	const char	*h = http_req_header(req, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	return h + 7;
}

/* GET /device/me: the licence, company and suppliers of a token. */
static void
dev_me_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	struct store_licence_supplier	*sup = NULL;
	struct device_caller		*d;
	struct err			 e;
	size_t				 n = 0;

	d = arena_alloc(http_req_arena(req), sizeof(*d));
	err_clear(&e);
	if (device_auth(app, dev_bearer(req), d, &e) != 0 ||
	    device_suppliers(app, d, &sup, &n, &e) != 0) {
		if (e.code == ERR_UNAUTHORIZED)
			http_resp_header(req, "WWW-Authenticate", "Bearer");
		http_reply_error(req, &e);
		free(sup);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:{s:s, s:s, s:s, s:s}, "
	    "s:{s:o}, s:o}", "licence", "number", d->number,
	    "user", d->user_name, "config_version", d->app_version,
	    "mdm_id", d->mdm_id, "company", "id", dev_id(d->company_id),
	    "suppliers", dev_suppliers_json(sup, n)));
	free(sup);
}

/* GET /devices?after=&limit= (after: the id of the previous page's last
 * row; newest first) */
static void
dev_list_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*a = http_req_query(req, "after");
	const char			*l = http_req_query(req, "limit");
	struct store_device		*items = NULL;
	struct err			 e;
	json_t				*arr;
	int64_t				 after = 0;
	int64_t				 limit = DEVICES_LIMIT_DEFAULT;
	size_t				 n = 0, i;
	bool				 more = false;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (a != NULL && a[0] != '\0' && (after = auth_id(a)) < 0) {
		err_set(&e, ERR_INVALID, "after_invalid", "after",
		    "after must be an id from the previous page.");
		goto fail;
	}
	/* Anything outside 1..DEVICE_LIST_MAX gets device_list's error. */
	if (l != NULL && l[0] != '\0' && ((limit = auth_id(l)) < 0 ||
	    limit > DEVICE_LIST_MAX))
		limit = 0;
	if (device_list(app, &who->actor, after, (int)limit, &items, &n,
	    &more, &e) != 0)
		goto fail;
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, dev_json(&items[i]));
	http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", arr,
	    "next_after", more && n > 0 ? dev_id(items[n - 1].id) :
	    json_null()));
	free(items);
	return;

fail:
	free(items);
	http_reply_error(req, &e);
}

void
api_devices_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/device/activate", dev_activate_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE | HTTP_NO_LOG_PATH);
	http_route(r, "GET", "/api/v1/device/me", dev_me_handler,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/devices", dev_list_handler,
	    HTTP_NO_STORE);
}
