/*
 * network.c - the distributor network over HTTP: the supplier's list
 * (/network/distributors), invitations (/invitations/{token}), the
 * distributor's supplier cards (/network/suppliers) and the join page.
 *
 * Parses, calls domain/network.h, renders JSON; every rule lives there.
 * The company is the session's.  Invitation endpoints and the join page
 * carry the token in their address, so they answer with
 * Referrer-Policy: no-referrer and are never cached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/network.h"
#include "http/assets.h"

#define NETWORK_LIMIT_DEFAULT	50

/* Flags of the routes whose address holds an invitation token. */
#define NETWORK_TOKEN_ROUTE \
	(HTTP_NO_STORE | HTTP_NO_REFERRER | HTTP_NO_LOG_PATH)

/* Logs event about link id. */
static void
network_log(const char *event, int64_t id)
{
	char	link[24];

	snprintf(link, sizeof(link), "%lld", (long long)id);
	log_event(LOG_INFO, event, "link", link, NULL);
}

/* A decimal id as a JSON string, or null for 0. */
static json_t *
network_id(int64_t id)
{
	char	s[24];

	if (id == 0)
		return json_null();
	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_string(s);
}

/* {id, name} of a company, or null when it is not known. */
static json_t *
network_company(int64_t id, const char *name)
{
	if (id == 0)
		return json_null();
	return json_pack("{s:o, s:s}", "id", network_id(id), "name", name);
}

/* The supplier's view of a row of its network. */
static json_t *
network_link_json(const struct network_link *nl)
{
	const struct store_link	*l = &nl->row;
	char			 code[16];

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:I, "
	    "s:o, s:o, s:o, s:o, s:o, s:s}",
	    "id", network_id(l->id), "name", l->name, "email", l->email,
	    "code", code, "status", nl->status, "lang", l->lang,
	    "distributor", network_company(l->distributor_id,
	    l->distributor_name),
	    "manage_licences", l->manage_licences,
	    "licences_in_service", (json_int_t)nl->licences,
	    "invited_at", auth_time_json(l->invited_at),
	    "expires_at", auth_time_json(strcmp(l->status, "invited") == 0 ?
	    l->expires_at : 0),
	    "accepted_at", auth_time_json(l->accepted_at),
	    "ended_at", auth_time_json(l->ended_at),
	    "updated_at", auth_time_json(l->updated_at),
	    "reason", l->reason);
}

/* The distributor's card of a supplier it is linked with. */
static json_t *
network_card_json(const struct network_link *nl)
{
	const struct store_link	*l = &nl->row;
	char			 code[16];

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	return json_pack("{s:o, s:o, s:s, s:o, s:b, s:I}",
	    "id", network_id(l->id),
	    "supplier", network_company(l->supplier_id, l->supplier_name),
	    "code", code, "since", auth_time_json(l->accepted_at),
	    "manage_licences", l->manage_licences,
	    "licences_in_service", (json_int_t)nl->licences);
}

/* What the invited company may see of an invitation. */
static json_t *
network_invitation_json(const struct network_link *nl)
{
	const struct store_link	*l = &nl->row;
	char			 code[16];

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	return json_pack("{s:{s:s}, s:s, s:s, s:s, s:o}",
	    "supplier", "name", l->supplier_name, "code", code,
	    "name", l->name, "email", l->email,
	    "expires_at", auth_time_json(l->expires_at));
}

/* Reads ?after= and ?limit=; -1 with e filled if malformed. */
static int
network_page_args(struct http_req *req, int64_t *after, int *limit,
    struct err *e)
{
	const char	*a = http_req_query(req, "after");
	const char	*l = http_req_query(req, "limit");
	int64_t		 n;

	*after = 0;
	*limit = NETWORK_LIMIT_DEFAULT;
	if (a != NULL && a[0] != '\0' && (*after = auth_id(a)) < 0) {
		err_set(e, ERR_INVALID, "after_invalid", "after",
		    "after must be an id from the previous page.");
		return -1;
	}
	if (l != NULL && l[0] != '\0') {
		n = auth_id(l);
		if (n < 1 || n > NETWORK_LIST_MAX) {
			err_set(e, ERR_INVALID, "limit_invalid", "limit",
			    "The limit must be between 1 and %d.",
			    NETWORK_LIST_MAX);
			return -1;
		}
		*limit = (int)n;
	}
	return 0;
}

/* Builds {items, next_after} from a page rendered by fn. */
static json_t *
network_page_json(const struct network_link *items, size_t n, bool more,
    json_t *(*fn)(const struct network_link *))
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, fn(&items[i]));
	return json_pack("{s:o, s:o}", "items", arr, "next_after",
	    more && n > 0 ? network_id(items[n - 1].row.id) : json_null());
}

/* Reads {id} of the path; 404 for anything that is not an id. */
static int64_t
network_path_id(struct http_req *req)
{
	int64_t		id = auth_id(http_req_param(req, "id"));
	struct err	e;

	if (id > 0)
		return id;
	err_set(&e, ERR_NOTFOUND, "link_not_found", NULL,
	    "There is no such distributor or supplier here.");
	http_reply_error(req, &e);
	return -1;
}

/* Replies with the page that list reads, each row rendered by fn. */
static void
network_page_reply(struct http_req *req,
    int (*list)(const struct app *, const struct actor *, int64_t, int,
    struct network_link **, size_t *, bool *, struct err *),
    json_t *(*fn)(const struct network_link *))
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*items = NULL;
	struct err			 e;
	int64_t				 after;
	size_t				 n = 0;
	bool				 more = false;
	int				 limit;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (network_page_args(req, &after, &limit, &e) != 0 ||
	    list(app, &who->actor, after, limit, &items, &n, &more, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, network_page_json(items, n, more,
		    fn));
	free(items);
}

/* Replies with the row {id} of the path that get reads, rendered by
 * fn. */
static void
network_row_reply(struct http_req *req,
    int (*get)(const struct app *, const struct actor *, int64_t,
    struct network_link *, struct err *),
    json_t *(*fn)(const struct network_link *))
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*out;
	struct err			 e;
	int64_t				 id;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (id = network_path_id(req)) < 0)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (get(app, &who->actor, id, out, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, fn(out));
}

/* GET /network/distributors?after=&limit= */
static void
network_list_handler(struct http_req *req)
{
	network_page_reply(req, network_list, network_link_json);
}

/*
 * Reads the optional "code" member: a string or a whole number, written
 * into buf.  *out is NULL when absent.
 */
static int
network_code_arg(json_t *o, char *buf, size_t n, const char **out,
    struct err *e)
{
	json_t	*v = json_object_get(o, "code");

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		*out = buf;
		return 0;
	}
	return auth_str(o, "code", false, out, e);
}

/* POST /network/distributors {name, email, code?, lang?} */
static void
network_add_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_invite		 in = { .name = NULL };
	struct network_link		*out;
	struct err			 e;
	json_t				*o;
	char				 code[24];

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (auth_str(o, "name", true, &in.name, &e) != 0 ||
	    auth_str(o, "email", true, &in.email, &e) != 0 ||
	    network_code_arg(o, code, sizeof(code), &in.code, &e) != 0 ||
	    auth_str(o, "lang", false, &in.lang, &e) != 0 ||
	    network_invite(app, &who->actor, &in, out, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	network_log("link.invited", out->row.id);
	http_reply_json(req, 201, network_link_json(out));
}

/* GET /network/distributors/{id} */
static void
network_show_handler(struct http_req *req)
{
	network_row_reply(req, network_get, network_link_json);
}

/* The supplier's changes to one row, by the last segment of the path. */
enum network_action { ACT_RESEND, ACT_REVOKE, ACT_DISCONNECT };

/* POST /network/distributors/{id}/{resend,revoke,disconnect} */
static void
network_change_handler(struct http_req *req, enum network_action act)
{
	static const char *const events[] = {
		[ACT_RESEND] = "link.resent",
		[ACT_REVOKE] = "link.revoked",
		[ACT_DISCONNECT] = "link.disconnected",
	};
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*out;
	struct err			 e;
	const char			*reason = NULL;
	json_t				*o;
	int64_t				 id;
	int				 rc;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (id = network_path_id(req)) < 0 || (o = auth_body(req)) == NULL)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (act == ACT_DISCONNECT &&
	    auth_str(o, "reason", true, &reason, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (act == ACT_RESEND)
		rc = network_resend(app, &who->actor, id, out, &e);
	else if (act == ACT_REVOKE)
		rc = network_revoke(app, &who->actor, id, out, &e);
	else
		rc = network_disconnect(app, &who->actor, id, reason, out, &e);
	if (rc != 0) {
		http_reply_error(req, &e);
		return;
	}
	network_log(events[act], id);
	http_reply_json(req, 200, network_link_json(out));
}

static void
network_resend_handler(struct http_req *req)
{
	network_change_handler(req, ACT_RESEND);
}

static void
network_revoke_handler(struct http_req *req)
{
	network_change_handler(req, ACT_REVOKE);
}

static void
network_disconnect_handler(struct http_req *req)
{
	network_change_handler(req, ACT_DISCONNECT);
}

/* The report of one imported row. */
static json_t *
network_import_row_json(const struct network_import_row *r)
{
	json_t	*o;

	o = json_pack("{s:i, s:s, s:s, s:s, s:b}", "line", r->line,
	    "name", r->name, "email", r->email, "code", r->code,
	    "accepted", r->err.code == ERR_NONE);
	if (r->err.code == ERR_NONE)
		json_object_set_new(o, "distributor",
		    network_link_json(&r->link));
	else
		json_object_set_new(o, "error", json_pack("{s:s, s:s, s:s}",
		    "code", r->err.id, "message", r->err.msg, "field",
		    r->err.field));
	return o;
}

/* POST /network/distributors/import {csv, lang?} */
static void
network_import_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_import_row	*rows = NULL;
	struct err			 e;
	const char			*lang = NULL;
	json_t				*o, *csv, *arr;
	size_t				 n = 0, i, ok = 0;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	csv = json_object_get(o, "csv");
	if (!json_is_string(csv)) {
		err_set(&e, ERR_INVALID, "field_required", "csv",
		    "csv must hold the text of the file.");
		goto fail;
	}
	if (auth_str(o, "lang", false, &lang, &e) != 0 ||
	    network_import(app, &who->actor, json_string_value(csv),
	    json_string_length(csv), lang, &rows, &n, &e) != 0)
		goto fail;

	arr = json_array();
	for (i = 0; i < n; i++) {
		ok += rows[i].err.code == ERR_NONE;
		json_array_append_new(arr, network_import_row_json(&rows[i]));
	}
	log_event(LOG_INFO, "link.imported", "rows",
	    arena_printf(http_req_arena(req), "%zu", n), "accepted",
	    arena_printf(http_req_arena(req), "%zu", ok), NULL);
	http_reply_json(req, 200, json_pack("{s:o, s:I, s:I}", "rows", arr,
	    "accepted", (json_int_t)ok, "rejected", (json_int_t)(n - ok)));
	free(rows);
	return;

fail:
	free(rows);
	http_reply_error(req, &e);
}

/* GET /invitations/{token} */
static void
network_invitation_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*out;
	struct err			 e;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (network_invitation(app, &who->actor, http_req_param(req,
	    "token"), out, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, network_invitation_json(out));
}

/* POST /invitations/{token}/accept and .../decline */
static void
network_answer_handler(struct http_req *req, bool accept)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*out;
	struct err			 e;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    auth_body(req) == NULL)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (network_answer(app, &who->actor, http_req_param(req, "token"),
	    accept, out, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	network_log(accept ? "link.accepted" : "link.declined", out->row.id);
	if (accept)
		http_reply_json(req, 200, network_card_json(out));
	else
		http_reply_empty(req, 204);
}

static void
network_accept_handler(struct http_req *req)
{
	network_answer_handler(req, true);
}

static void
network_decline_handler(struct http_req *req)
{
	network_answer_handler(req, false);
}

/* GET /network/suppliers?after=&limit= */
static void
network_cards_handler(struct http_req *req)
{
	network_page_reply(req, network_suppliers, network_card_json);
}

/* GET /network/suppliers/{id} */
static void
network_card_handler(struct http_req *req)
{
	network_row_reply(req, network_supplier, network_card_json);
}

/* 409 confirm_required, with the number of licences at stake. */
static void
network_confirm_reply(struct http_req *req, const struct err *e,
    int64_t owned)
{
	http_reply_json(req, 409, json_pack("{s:{s:s, s:s, s:s, s:I}}",
	    "error", "code", e->id, "message", e->msg, "field", e->field,
	    "licences", (json_int_t)owned));
}

/* PATCH /network/suppliers/{id} {manage_licences, confirm?} */
static void
network_permission_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct network_link		*out;
	struct err			 e;
	json_t				*o;
	int64_t				 id, owned = 0;
	int				 on = -1, confirm = -1;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (id = network_path_id(req)) < 0 || (o = auth_body(req)) == NULL)
		return;
	out = arena_alloc(http_req_arena(req), sizeof(*out));
	err_clear(&e);
	if (auth_bool(o, "manage_licences", &on, &e) != 0 ||
	    auth_bool(o, "confirm", &confirm, &e) != 0)
		goto fail;
	if (on < 0) {
		err_set(&e, ERR_INVALID, "field_required", "manage_licences",
		    "manage_licences (true or false) is required.");
		goto fail;
	}
	if (network_permission(app, &who->actor, id, on == 1, confirm == 1,
	    out, &owned, &e) != 0)
		goto fail;
	network_log(on ? "link.permission_on" : "link.permission_off", id);
	http_reply_json(req, 200, network_card_json(out));
	return;

fail:
	if (strcmp(e.id, "confirm_required") == 0)
		network_confirm_reply(req, &e, owned);
	else
		http_reply_error(req, &e);
}

/* GET /suppliers/join?invite=TOKEN: the cabinet, without a referrer. */
static void
network_join_page(struct http_req *req)
{
	const struct asset	*a = assets_resolve(http_req_path(req));
	struct err		 e;

	if (a != NULL) {
		assets_reply(req, a);
		return;
	}
	err_set(&e, ERR_NOTFOUND, "not_found", NULL,
	    "There is no page or endpoint at this address.");
	http_reply_error(req, &e);
}

void
api_network_routes(struct http_router *r)
{
	const char	*d = "/api/v1/network/distributors";

	http_route(r, "GET", d, network_list_handler, HTTP_NO_STORE);
	http_route(r, "POST", d, network_add_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/network/distributors/import",
	    network_import_handler, HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/network/distributors/{id}",
	    network_show_handler, HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/network/distributors/{id}/resend",
	    network_resend_handler, HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/network/distributors/{id}/revoke",
	    network_revoke_handler, HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/network/distributors/{id}/disconnect",
	    network_disconnect_handler, HTTP_JSON_BODY | HTTP_NO_STORE);

	http_route(r, "GET", "/api/v1/invitations/{token}",
	    network_invitation_handler, NETWORK_TOKEN_ROUTE);
	http_route(r, "POST", "/api/v1/invitations/{token}/accept",
	    network_accept_handler, HTTP_JSON_BODY | NETWORK_TOKEN_ROUTE);
	http_route(r, "POST", "/api/v1/invitations/{token}/decline",
	    network_decline_handler, HTTP_JSON_BODY | NETWORK_TOKEN_ROUTE);

	http_route(r, "GET", "/api/v1/network/suppliers",
	    network_cards_handler, HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/network/suppliers/{id}",
	    network_card_handler, HTTP_NO_STORE);
	http_route(r, "PATCH", "/api/v1/network/suppliers/{id}",
	    network_permission_handler, HTTP_JSON_BODY | HTTP_NO_STORE);

	http_route(r, "GET", "/suppliers/join", network_join_page,
	    NETWORK_TOKEN_ROUTE);
}
