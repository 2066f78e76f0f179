/*
 * licences.c - licences over HTTP: the holder's Т-Обмен table
 * (/licences...) and the supplier's view of its distributors' licences
 * (/network/licences...).
 *
 * Parses, calls domain/licence.h, renders JSON; every rule lives there.
 * The company is the session's.  The licence module registers its hook
 * into the network module here, at start-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/licence.h"

#define LICENCES_LIMIT_DEFAULT	50

/* How much of a licence a view shows. */
enum lic_view {
	VIEW_HOLDER,		/* everything, with services[] */
	VIEW_PARTNER,		/* a supplier allowed to manage */
	VIEW_PARTNER_LOOK,	/* a supplier without the permission */
};

/* The cap of a licence answer: a page of LICENCE_PAGE_MAX rows with
 * every text at its longest fits. */
#define LICENCES_REPLY_MAX	(16u * 1024 * 1024)

/* A decimal id (or distributor code) as a JSON string, or null for 0. */
static json_t *
lic_id(int64_t id)
{
	char	s[24];

	if (id <= 0)
		return json_null();
	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_string(s);
}

/* {id, name} of a company. */
static json_t *
lic_company(int64_t id, const char *name)
{
	return json_pack("{s:o, s:s}", "id", lic_id(id), "name", name);
}

/* The text of the company last written under one key of a page's rows,
 * which nearly all name the same one or two companies: each name is
 * escaped once a page, not once a row.  The rows of a page come from one
 * statement, in which a company id has one name: the id alone tells
 * whether the text still holds. */
struct lic_memo {
	int64_t		 id;
	const char	*name;		/* borrowed from the row; NULL: none */
	struct buf	 text;
	bool		 ok;
};

/* The text, quotes included, of the time last written under one key of
 * a page's rows: licences issued together share their created_at. */
struct lic_time {
	int64_t	ms;
	char	text[36];
	size_t	len;		/* 0: none yet */
};

/* What the rows of one page share. */
struct lic_page {
	struct lic_memo	owner, holder;
	struct lic_time	created, activated, contact;
};

/* {id, name} of a company. */
static void
lic_write_company_value(struct jsonw *w, int64_t id, const char *name)
{
	jsonw_object_begin(w);
	JSONW_KEY(w, "id");
	if (id > 0)
		jsonw_id(w, id);
	else
		jsonw_null(w);
	JSONW_KEY(w, "name");
	jsonw_string(w, name);
	jsonw_object_end(w);
}

/* {id, name} of a company, through memo unless it is NULL. */
static void
lic_write_company(struct jsonw *w, int64_t id, const char *name,
    struct lic_memo *memo)
{
	struct jsonw	mw;

	if (memo != NULL && (memo->name == NULL || memo->id != id)) {
		buf_reset(&memo->text);
		jsonw_init(&mw, &memo->text);
		lic_write_company_value(&mw, id, name);
		memo->id = id;
		memo->name = name;
		memo->ok = !jsonw_failed(&mw);
	}
	if (memo != NULL && memo->ok)
		jsonw_raw(w, memo->text.data, memo->text.len);
	else
		lic_write_company_value(w, id, name);
}

/* A time as jsonw_time writes it, through memo unless it is NULL. */
static void
lic_write_time(struct jsonw *w, int64_t ms, struct lic_time *memo)
{
	if (ms == 0 || memo == NULL) {
		jsonw_time(w, ms);
		return;
	}
	/* RFC 3339 text needs no escaping: it goes out as it is made. */
	if (memo->len == 0 || memo->ms != ms) {
		memo->text[0] = '"';
		clock_format_rfc3339(ms, memo->text + 1);
		memo->len = strlen(memo->text);
		memo->text[memo->len++] = '"';
		memo->ms = ms;
	}
	jsonw_raw(w, memo->text, memo->len);
}

/* s, or null when empty. */
static void
lic_write_opt(struct jsonw *w, const char *s)
{
	if (s[0] != '\0')
		jsonw_string(w, s);
	else
		jsonw_null(w);
}

/* A licence as view shows it; status only when a supplier was named,
 * services[] only for the holder's list.  pg, if not NULL, is what the
 * rows of a page share. */
static void
lic_write(struct jsonw *w, const struct store_licence *l,
    enum lic_view view, bool status, bool services, struct lic_page *pg)
{
	char	code[20];
	size_t	i;

	licence_code_format(l->code, code);
	jsonw_object_begin(w);
	JSONW_KEY(w, "number");
	jsonw_string(w, l->number);
	JSONW_KEY(w, "activation_code");
	lic_write_opt(w, view == VIEW_PARTNER_LOOK ? "" : code);
	JSONW_KEY(w, "user");
	jsonw_string(w, l->user_name);
	JSONW_KEY(w, "config_version");
	jsonw_string(w, l->config_version);
	JSONW_KEY(w, "mdm_id");
	lic_write_opt(w, l->mdm_id);
	JSONW_KEY(w, "blocked");
	jsonw_bool(w, l->blocked);
	JSONW_KEY(w, "owner");
	lic_write_company(w, l->owner_id, l->owner_name,
	    pg != NULL ? &pg->owner : NULL);
	JSONW_KEY(w, "holder");
	lic_write_company(w, l->holder_id, l->holder_name,
	    pg != NULL ? &pg->holder : NULL);
	JSONW_KEY(w, "created_at");
	lic_write_time(w, l->created_at, pg != NULL ? &pg->created : NULL);
	JSONW_KEY(w, "activated_at");
	lic_write_time(w, l->activated_at,
	    pg != NULL ? &pg->activated : NULL);
	JSONW_KEY(w, "last_contact_at");
	lic_write_time(w, l->last_contact_at,
	    pg != NULL ? &pg->contact : NULL);
	if (status) {
		JSONW_KEY(w, "status");
		jsonw_string(w, l->in_service ? "on" : "off");
	}
	if (services) {
		JSONW_KEY(w, "services");
		jsonw_array_begin(w);
		for (i = 0; i < l->nservices; i++)
			jsonw_id(w, l->services[i]);
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

/* Replies with one licence. */
static void
lic_reply_one(struct http_req *req, const struct store_licence *l,
    enum lic_view view, bool status, bool services)
{
	struct buf	b;
	struct jsonw	w;

	buf_init(&b, LICENCES_REPLY_MAX);
	jsonw_init(&w, &b);
	lic_write(&w, l, view, status, services, NULL);
	http_reply_jsonw(req, 200, &w, &b);
}

/* Replies {items, next_after} of a page, and manage_licences when
 * manage is 0 or 1 (-1: not said). */
static void
lic_reply_page(struct http_req *req, const struct store_licence *items,
    size_t n, bool more, enum lic_view view, bool status, int manage)
{
	struct lic_page	pg;
	struct buf	b;
	struct jsonw	w;
	size_t		i;

	memset(&pg, 0, sizeof(pg));
	buf_init(&pg.owner.text, LICENCE_COMPANY_SIZE * 8);
	buf_init(&pg.holder.text, LICENCE_COMPANY_SIZE * 8);
	buf_init(&b, LICENCES_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	for (i = 0; i < n; i++)
		lic_write(&w, &items[i], view, status, view == VIEW_HOLDER,
		    &pg);
	jsonw_array_end(&w);
	buf_release(&pg.owner.text);
	buf_release(&pg.holder.text);
	jsonw_key(&w, "next_after");
	if (more && n > 0)
		jsonw_string(&w, items[n - 1].number);
	else
		jsonw_null(&w);
	if (manage >= 0)
		jsonw_kbool(&w, "manage_licences", manage == 1);
	jsonw_object_end(&w);
	http_reply_jsonw(req, 200, &w, &b);
}

/* A group of the table, for the holder (supplier) or a supplier
 * (distributor). */
static json_t *
lic_group_json(const struct licence_group *g, const char *key)
{
	return json_pack("{s:o, s:o, s:b, s:b, s:I, s:I}",
	    key, lic_company(g->company_id, g->name),
	    "code", lic_id(g->code), "self", g->self,
	    "manage_licences", g->manage, "total", (json_int_t)g->total,
	    "in_service", (json_int_t)g->in_service);
}

/* Reads ?q=, ?status=, ?after=, ?limit= into f. */
static int
lic_filter_args(struct http_req *req, struct licence_filter *f,
    struct err *e)
{
	const char	*st = http_req_query(req, "status");
	const char	*l = http_req_query(req, "limit");
	int64_t		 n;

	memset(f, 0, sizeof(*f));
	f->search = http_req_query(req, "q");
	f->after = http_req_query(req, "after");
	f->limit = LICENCES_LIMIT_DEFAULT;
	if (st == NULL || st[0] == '\0' || strcmp(st, "all") == 0)
		f->state = LICENCE_STATE_ALL;
	else if (strcmp(st, "on") == 0)
		f->state = LICENCE_STATE_ON;
	else if (strcmp(st, "off") == 0)
		f->state = LICENCE_STATE_OFF;
	else {
		err_set(e, ERR_INVALID, "status_invalid", "status",
		    "status is on, off or all.");
		return -1;
	}
	if (l != NULL && l[0] != '\0') {
		n = auth_id(l);
		if (n < 1 || n > LICENCE_PAGE_MAX) {
			err_set(e, ERR_INVALID, "limit_invalid", "limit",
			    "The limit must be between 1 and %d.",
			    LICENCE_PAGE_MAX);
			return -1;
		}
		f->limit = (int)n;
	}
	return 0;
}

/* Reads the optional company id of query parameter name into *id (0 when
 * absent); errname names the error of a malformed one. */
static int
lic_query_id(struct http_req *req, const char *name, const char *errname,
    int64_t *id, struct err *e)
{
	const char	*s = http_req_query(req, name);

	*id = 0;
	if (s == NULL || s[0] == '\0')
		return 0;
	if ((*id = auth_id(s)) > 0)
		return 0;
	err_set(e, ERR_NOTFOUND, errname, name, "There is no such %s here.",
	    name);
	return -1;
}

/* Logs event about n licences of a batch. */
static void
lic_log(struct http_req *req, const char *event, size_t changed,
    size_t unchanged)
{
	struct arena	*a = http_req_arena(req);

	log_event(LOG_INFO, event, "changed", arena_printf(a, "%zu", changed),
	    "unchanged", arena_printf(a, "%zu", unchanged), NULL);
}

/* GET /licences/groups and /network/licences/groups: the partner's
 * (suppliers for the holder, distributors for a supplier). */
static void
lic_groups_reply(struct http_req *req, bool partner)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct licence_group		*items = NULL;
	struct err			 e;
	json_t				*arr;
	size_t				 n = 0, i;
	int				 rc;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (partner)
		rc = licence_partner_groups(app, &who->actor, &items, &n, &e);
	else
		rc = licence_groups(app, &who->actor, &items, &n, &e);
	if (rc != 0) {
		http_reply_error(req, &e);
	} else {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, lic_group_json(&items[i],
			    partner ? "distributor" : "supplier"));
		http_reply_json(req, 200, json_pack("{s:o}", "items", arr));
	}
	free(items);
}

static void
lic_groups_handler(struct http_req *req)
{
	lic_groups_reply(req, false);
}

/* GET /licences?supplier=&q=&status=&after=&limit= */
static void
lic_list_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_licence		*items = NULL;
	struct licence_filter		 f;
	struct err			 e;
	int64_t				 supplier;
	size_t				 n = 0;
	bool				 more = false;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (lic_filter_args(req, &f, &e) != 0 || lic_query_id(req, "supplier",
	    "supplier_not_found", &supplier, &e) != 0 ||
	    licence_list(app, &who->actor, supplier, &f, &items, &n, &more,
	    &e) != 0)
		http_reply_error(req, &e);
	else
		lic_reply_page(req, items, n, more, VIEW_HOLDER, supplier != 0,
		    -1);
	free(items);
}

/* GET /licences/{number} */
static void
lic_show_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_licence		*l;
	struct err			 e;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	l = arena_alloc(http_req_arena(req), sizeof(*l));
	err_clear(&e);
	if (licence_get(app, &who->actor, http_req_param(req, "number"), l,
	    &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	/* A single read does not gather the services; say nothing rather
	 * than an empty list. */
	lic_reply_one(req, l, VIEW_HOLDER, false, false);
}

/* Reads "licences": an array of strings, borrowed from o into an arena
 * array.  400 licences_invalid otherwise. */
static int
lic_numbers_arg(struct http_req *req, json_t *o, const char ***out,
    size_t *n, struct err *e)
{
	json_t	*arr = json_object_get(o, "licences"), *v;
	size_t	 i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(arr))
		goto bad;
	*n = json_array_size(arr);
	*out = arena_alloc(http_req_arena(req), (*n + 1) * sizeof(**out));
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			goto bad;
		(*out)[i] = json_string_value(v);
	}
	return 0;

bad:
	err_set(e, ERR_INVALID, "licences_invalid", "licences",
	    "licences must be a list of licence numbers.");
	return -1;
}

/* Reads the company id member key (a decimal string or number). */
static int
lic_body_id(json_t *o, const char *key, const char *errname, int64_t *id,
    struct err *e)
{
	json_t	*v = json_object_get(o, key);

	*id = -1;
	if (json_is_string(v))
		*id = auth_id(json_string_value(v));
	else if (json_is_integer(v) && json_integer_value(v) > 0)
		*id = json_integer_value(v);
	if (*id > 0)
		return 0;
	if (v == NULL || json_is_null(v))
		err_set(e, ERR_INVALID, "field_required", key,
		    "%s is required.", key);
	else
		err_set(e, ERR_NOTFOUND, errname, key,
		    "There is no such %s here.", key);
	return -1;
}

/* The answer to a batch. */
static json_t *
lic_batch_json(const struct licence_batch *b, bool on)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; i < b->nunchanged; i++)
		json_array_append_new(arr, json_string(b->unchanged[i]));
	return json_pack("{s:s, s:o, s:o, s:I, s:I, s:o}",
	    "action", on ? "connect" : "disconnect",
	    "supplier", lic_company(b->supplier_id, b->supplier_name),
	    "holder", lic_company(b->holder_id, b->holder_name),
	    "requested", (json_int_t)b->requested,
	    "changed", (json_int_t)b->changed, "unchanged", arr);
}

/* POST /licences/{connect,disconnect} {supplier, licences} and
 * POST /network/licences/{connect,disconnect} {distributor, licences} */
static void
lic_batch_handler(struct http_req *req, bool partner, bool on)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct licence_batch		 b;
	struct err			 e;
	const char			**nums;
	json_t				*o;
	int64_t				 id;
	size_t				 n;
	int				 rc;

	memset(&b, 0, sizeof(b));
	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (lic_body_id(o, partner ? "distributor" : "supplier",
	    partner ? "distributor_not_found" : "supplier_not_found", &id,
	    &e) != 0 || lic_numbers_arg(req, o, &nums, &n, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (partner)
		rc = licence_partner_connect(app, &who->actor, id, nums, n, on,
		    &b, &e);
	else
		rc = licence_connect(app, &who->actor, id, nums, n, on, &b,
		    &e);
	if (rc != 0) {
		http_reply_error(req, &e);
	} else {
		lic_log(req, on ? "licence.connected" : "licence.disconnected",
		    b.changed, b.nunchanged);
		http_reply_json(req, 200, lic_batch_json(&b, on));
	}
	licence_batch_release(&b);
}

static void
lic_connect_handler(struct http_req *req)
{
	lic_batch_handler(req, false, true);
}

static void
lic_disconnect_handler(struct http_req *req)
{
	lic_batch_handler(req, false, false);
}

static void
lic_partner_connect_handler(struct http_req *req)
{
	lic_batch_handler(req, true, true);
}

static void
lic_partner_disconnect_handler(struct http_req *req)
{
	lic_batch_handler(req, true, false);
}

/* POST /licences/{number}/move and /network/licences/{number}/move
 * {user} */
static void
lic_move_handler(struct http_req *req, bool partner)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*number = http_req_param(req, "number");
	const char			*user = NULL;
	struct store_licence		*l;
	struct err			 e;
	json_t				*o;
	int				 rc;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	l = arena_alloc(http_req_arena(req), sizeof(*l));
	err_clear(&e);
	if (auth_str(o, "user", true, &user, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (partner)
		rc = licence_partner_move(app, &who->actor, number, user, l,
		    &e);
	else
		rc = licence_move(app, &who->actor, number, user, l, &e);
	if (rc != 0) {
		http_reply_error(req, &e);
		return;
	}
	log_event(LOG_INFO, "licence.moved", "licence", l->number, NULL);
	lic_reply_one(req, l, partner ? VIEW_PARTNER : VIEW_HOLDER, partner,
	    !partner);
}

static void
lic_holder_move_handler(struct http_req *req)
{
	lic_move_handler(req, false);
}

static void
lic_partner_move_handler(struct http_req *req)
{
	lic_move_handler(req, true);
}

static void
lic_partner_groups_handler(struct http_req *req)
{
	lic_groups_reply(req, true);
}

/* GET /network/licences?distributor=&q=&status=&after=&limit= */
static void
lic_partner_list_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_licence		*items = NULL;
	struct licence_filter		 f;
	struct err			 e;
	int64_t				 dist;
	size_t				 n = 0;
	bool				 more = false, manage = false;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (lic_filter_args(req, &f, &e) != 0 || lic_query_id(req,
	    "distributor", "distributor_not_found", &dist, &e) != 0)
		goto fail;
	if (dist == 0) {
		err_set(&e, ERR_INVALID, "field_required", "distributor",
		    "distributor is required.");
		goto fail;
	}
	if (licence_partner_list(app, &who->actor, dist, &f, &items, &n,
	    &more, &manage, &e) != 0)
		goto fail;
	lic_reply_page(req, items, n, more, manage ? VIEW_PARTNER :
	    VIEW_PARTNER_LOOK, true, manage ? 1 : 0);
	free(items);
	return;

fail:
	free(items);
	http_reply_error(req, &e);
}

void
api_licences_routes(struct http_router *r)
{
	const unsigned	post = HTTP_JSON_BODY | HTTP_NO_STORE;

	licence_network_register();
	http_route(r, "GET", "/api/v1/licences", lic_list_handler,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/licences/groups", lic_groups_handler,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/licences/{number}", lic_show_handler,
	    HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/licences/connect",
	    lic_connect_handler, post);
	http_route(r, "POST", "/api/v1/licences/disconnect",
	    lic_disconnect_handler, post);
	http_route(r, "POST", "/api/v1/licences/{number}/move",
	    lic_holder_move_handler, post);

	http_route(r, "GET", "/api/v1/network/licences",
	    lic_partner_list_handler, HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/network/licences/groups",
	    lic_partner_groups_handler, HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/network/licences/connect",
	    lic_partner_connect_handler, post);
	http_route(r, "POST", "/api/v1/network/licences/disconnect",
	    lic_partner_disconnect_handler, post);
	http_route(r, "POST", "/api/v1/network/licences/{number}/move",
	    lic_partner_move_handler, post);
}
