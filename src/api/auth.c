/*
 * auth.c - the guard in front of account handlers, and their shared
 * pieces: cookie, origin and CSRF checks, JSON fields, user and company
 * objects.
 *
 * Only checks and shapes here; every rule about users lives in domain/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/auth.h"
#include "core/arena.h"
#include "core/clock.h"
#include "domain/account.h"
#include "domain/company.h"

/* True for methods that change nothing. */
static bool
auth_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* Length of the origin part of url ("scheme://host[:port]"). */
static size_t
auth_origin_len(const char *url)
{
	const char	*p = strstr(url, "://");

	if (p == NULL)
		return strlen(url);
	p += 3;
	return (size_t)(p - url) + strcspn(p, "/?#");
}

/* True if the Origin header names PUBLIC_URL's origin. */
static bool
auth_origin_matches(const char *origin, const char *public_url)
{
	size_t	n = auth_origin_len(public_url);

	return strlen(origin) == n && strncasecmp(origin, public_url, n) == 0;
}

bool
auth_same_origin(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	const char		*origin = http_req_header(req, "Origin");
	const char		*site = http_req_header(req, "Sec-Fetch-Site");
	struct err		 e;

	if ((origin == NULL ||
	    auth_origin_matches(origin, app->cfg->public_url)) &&
	    (site == NULL || strcasecmp(site, "cross-site") != 0))
		return true;
	err_set(&e, ERR_FORBIDDEN, "csrf_failed", NULL,
	    "Requests from other sites are refused.");
	http_reply_error(req, &e);
	return false;
}

/* True if the request says its body is JSON. */
static bool
auth_json_type(struct http_req *req)
{
	const char	*t = http_req_header(req, "Content-Type");
	size_t		 n = strlen("application/json");

	return t != NULL && strncasecmp(t, "application/json", n) == 0 &&
	    (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

/* The checks of a state-changing request made with a session.  Returns
 * 0, or -1 with e filled. */
static int
auth_csrf(struct http_req *req, const struct session_caller *who,
    struct err *e)
{
	const char	*tok = http_req_header(req, "X-CSRF-Token");

	if (!auth_json_type(req)) {
		err_set(e, ERR_UNSUPPORTED, "unsupported_media_type", NULL,
		    "The body must be JSON (Content-Type: application/json).");
		return -1;
	}
	if (!token_equal(tok, who->csrf_token)) {
		err_set(e, ERR_FORBIDDEN, "csrf_failed", NULL,
		    "The request lacks a valid X-CSRF-Token header.");
		return -1;
	}
	return 0;
}

const struct session_caller *
auth_require(struct http_req *req, enum auth_need need)
{
	return auth_require_company(req, need, NULL);
}

const struct session_caller *
auth_require_company(struct http_req *req, enum auth_need need,
    struct company *co)
{
	const struct app	*app = http_req_app(req);
	struct session_caller	*who;
	struct err		 e;
	char			 company[24];

	if (!auth_safe_method(http_req_method(req)) && !auth_same_origin(req))
		return NULL;
	who = arena_alloc(http_req_arena(req), sizeof(*who));
	err_clear(&e);
	if (session_lookup(app, http_req_cookie(req, AUTH_COOKIE),
	    http_req_ip(req), who, co, &e) != 0)
		goto fail;
	snprintf(company, sizeof(company), "%lld",
	    (long long)who->actor.company_id);
	http_req_set_company(req, company);
	http_req_set_auth(req, who);
	if (!auth_safe_method(http_req_method(req)) &&
	    auth_csrf(req, who, &e) != 0)
		goto fail;
	if (need == AUTH_MANAGER && !account_role_manages(who->actor.role)) {
		err_set(&e, ERR_FORBIDDEN, "forbidden", NULL,
		    "Only an owner or an administrator may do this.");
		goto fail;
	}
	return who;

fail:
	http_reply_error(req, &e);
	return NULL;
}

/* True if PUBLIC_URL is https, so cookies must be Secure. */
static bool
auth_secure(const struct app *app)
{
	return strncasecmp(app->cfg->public_url, "https:", 6) == 0;
}

void
auth_set_cookie(struct http_req *req, const struct session_new *s)
{
	const struct app	*app = http_req_app(req);
	unsigned		 flags = HTTP_COOKIE_HTTPONLY;

	if (auth_secure(app))
		flags |= HTTP_COOKIE_SECURE;
	http_resp_cookie(req, AUTH_COOKIE, s->token, s->max_age_s, flags);
}

void
auth_clear_cookie(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	unsigned		 flags = HTTP_COOKIE_HTTPONLY;

	if (auth_secure(app))
		flags |= HTTP_COOKIE_SECURE;
	http_resp_cookie(req, AUTH_COOKIE, "", 0, flags);
}

void
auth_reply_error(struct http_req *req, const struct err *e, int retry_s)
{
	char	v[16];

	if (e->code == ERR_THROTTLED) {
		snprintf(v, sizeof(v), "%d", retry_s > 0 ? retry_s : 1);
		http_resp_header(req, "Retry-After", v);
	}
	http_reply_error(req, e);
}

json_t *
auth_body(struct http_req *req)
{
	struct err	 e;
	json_t		*o;

	err_clear(&e);
	o = http_req_json(req, &e);
	if (o != NULL && !json_is_object(o)) {
		err_set(&e, ERR_INVALID, "invalid_json", NULL,
		    "The body must be a JSON object.");
		o = NULL;
	}
	if (o == NULL)
		http_reply_error(req, &e);
	return o;
}

int
auth_str(json_t *o, const char *key, bool required, const char **out,
    struct err *e)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		err_set(e, ERR_INVALID, "field_required", key,
		    "The field \"%s\" is required.", key);
		return -1;
	}
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		err_set(e, ERR_INVALID, "field_invalid", key,
		    "The field \"%s\" must be a string.", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int
auth_bool(json_t *o, const char *key, int *out, struct err *e)
{
	json_t	*v = json_object_get(o, key);

	*out = -1;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		err_set(e, ERR_INVALID, "field_invalid", key,
		    "The field \"%s\" must be true or false.", key);
		return -1;
	}
	*out = json_is_true(v) ? 1 : 0;
	return 0;
}

int64_t
auth_id(const char *s)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1)
		return -1;
	return v;
}

json_t *
auth_time_json(int64_t ms)
{
	char	t[32];

	if (ms == 0)
		return json_null();
	clock_format_rfc3339(ms, t);
	return json_string(t);
}

/* The cap of a small answer written with jsonw: a user and a company
 * with every text at its longest fit many times over. */
#define AUTH_REPLY_MAX	(256 * 1024)

void
auth_user_write(struct jsonw *w, const struct store_user *u)
{
	jsonw_object_begin(w);
	jsonw_kid(w, "id", u->id);
	jsonw_kstring(w, "email", u->email);
	jsonw_kstring(w, "name", u->name);
	jsonw_kstring(w, "role", u->role);
	jsonw_kbool(w, "disabled", u->disabled);
	jsonw_kstring(w, "lang", u->lang);
	jsonw_ktime(w, "created_at", u->created_at);
	jsonw_ktime(w, "last_login_at", u->last_login_at);
	jsonw_object_end(w);
}

/* A company text column, "" when unset. */
static const char *
auth_text(const char *s)
{
	return s != NULL ? s : "";
}

void
auth_company_write(struct jsonw *w, const struct company *co)
{
	jsonw_object_begin(w);
	jsonw_kid(w, "id", co->id);
	jsonw_kstring(w, "name", auth_text(co->name));
	jsonw_kstring(w, "inn", auth_text(co->inn));
	jsonw_kstring(w, "kpp", auth_text(co->kpp));
	jsonw_kstring(w, "address", auth_text(co->address));
	jsonw_kstring(w, "phone", auth_text(co->phone));
	jsonw_kbool(w, "is_supplier", co->is_supplier);
	jsonw_kbool(w, "is_distributor", co->is_distributor);
	jsonw_ktime(w, "created_at", co->created_at);
	jsonw_object_end(w);
}

/* The jansson tree of what write writes for obj: one definition of each
 * shape serves the streaming answers and the tree-built ones. */
static json_t *
auth_tree(void (*write)(struct jsonw *, const void *), const void *obj)
{
	struct buf	 b;
	struct jsonw	 w;
	json_t		*o = NULL;

	buf_init(&b, AUTH_REPLY_MAX);
	jsonw_init(&w, &b);
	write(&w, obj);
	if (!jsonw_failed(&w))
		o = json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	return o;
}

static void
auth_user_write_any(struct jsonw *w, const void *u)
{
	auth_user_write(w, u);
}

static void
auth_company_write_any(struct jsonw *w, const void *co)
{
	auth_company_write(w, co);
}

json_t *
auth_user_json(const struct store_user *u)
{
	return auth_tree(auth_user_write_any, u);
}

json_t *
auth_company_json(const struct company *co)
{
	return auth_tree(auth_company_write_any, co);
}

void
auth_reply_whoami(struct http_req *req, int status,
    const struct store_user *u, const struct company *co,
    const char *csrf_token)
{
	struct buf	b;
	struct jsonw	w;

	buf_init(&b, AUTH_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "user");
	auth_user_write(&w, u);
	jsonw_key(&w, "company");
	auth_company_write(&w, co);
	jsonw_kstring(&w, "csrf_token", csrf_token);
	jsonw_object_end(&w);
	http_reply_jsonw(req, status, &w, &b);
}
