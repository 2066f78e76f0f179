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
	const struct app	*app = http_req_app(req);
	struct session_caller	*who;
	struct err		 e;
	char			 company[24];

	if (!auth_safe_method(http_req_method(req)) && !auth_same_origin(req))
		return NULL;
	who = arena_alloc(http_req_arena(req), sizeof(*who));
	err_clear(&e);
	if (session_lookup(app, http_req_cookie(req, AUTH_COOKIE),
	    http_req_ip(req), who, &e) != 0)
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

/* A JSON string for an id. */
static json_t *
auth_id_json(int64_t id)
{
	char	s[24];

	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_string(s);
}

json_t *
auth_user_json(const struct store_user *u)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:b, s:s, s:o, s:o}",
	    "id", auth_id_json(u->id), "email", u->email, "name", u->name,
	    "role", u->role, "disabled", u->disabled, "lang", u->lang,
	    "created_at", auth_time_json(u->created_at),
	    "last_login_at", auth_time_json(u->last_login_at));
}

json_t *
auth_company_json(const struct company *co)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o}",
	    "id", auth_id_json(co->id), "name", co->name ? co->name : "",
	    "inn", co->inn ? co->inn : "", "kpp", co->kpp ? co->kpp : "",
	    "address", co->address ? co->address : "",
	    "phone", co->phone ? co->phone : "",
	    "is_supplier", co->is_supplier,
	    "is_distributor", co->is_distributor,
	    "created_at", auth_time_json(co->created_at));
}

json_t *
auth_whoami_json(const struct app *app, int64_t user_id,
    int64_t company_id, const char *csrf_token, struct err *e)
{
	struct actor		 who = { .company_id = company_id };
	struct store_user	 u;
	struct company		 co;
	json_t			*o = NULL;

	company_init(&co);
	if (account_get(app, &who, user_id, &u, e) == 0 &&
	    company_get(app, &who, &co, e) == 0)
		o = json_pack("{s:o, s:o, s:s}", "user", auth_user_json(&u),
		    "company", auth_company_json(&co),
		    "csrf_token", csrf_token);
	company_release(&co);
	return o;
}
