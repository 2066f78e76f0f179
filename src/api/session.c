/*
 * session.c - POST /auth/login, POST /auth/logout, GET /auth/me, and the
 * movable clock for tests (POST/GET /test/clock, only with --test-clock).
 *
 * Parsing, cookies and answers; the rules are in domain/session.c.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/company.h"
#include "domain/session.h"

/* The offset last set through /test/clock, to report it back. */
static _Atomic int64_t session_clock_offset;

/* Names the company on the request's lines and logs a login. */
static void
session_log(struct http_req *req, const struct session_new *s,
    bool remember)
{
	char	user[24], company[24];

	snprintf(user, sizeof(user), "%lld", (long long)s->user_id);
	snprintf(company, sizeof(company), "%lld", (long long)s->company_id);
	http_req_set_company(req, company);
	log_event(LOG_INFO, "auth.login", "user", user, "remember",
	    remember ? "true" : "false", NULL);
}

/* Answers a failed login, logging what happened. */
static void
session_login_failed(struct http_req *req, const struct err *e, int retry_s)
{
	if (e->code == ERR_THROTTLED)
		log_event(LOG_WARN, "auth.throttled", "what", "login", "ip",
		    http_req_ip(req), NULL);
	else if (e->code == ERR_UNAUTHORIZED)
		log_event(LOG_INFO, "auth.login_failed", "ip",
		    http_req_ip(req), NULL);
	auth_reply_error(req, e, retry_s);
}

/* Answers {user, company, csrf_token} for a session just opened. */
static void
session_reply_me(struct http_req *req, int64_t user_id, int64_t company_id,
    const char *csrf_token)
{
	const struct app	*app = http_req_app(req);
	struct actor		 who = { .company_id = company_id };
	struct store_user	 u;
	struct company		 co;
	struct err		 e;

	err_clear(&e);
	company_init(&co);
	if (account_get(app, &who, user_id, &u, &e) != 0 ||
	    company_get(app, &who, &co, &e) != 0)
		http_reply_error(req, &e);
	else
		auth_reply_whoami(req, 200, &u, &co, csrf_token);
	company_release(&co);
}

/* POST /auth/login {email, password, remember} */
static void
session_login_handler(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	const char		*email, *password;
	struct session_new	 s;
	struct err		 e;
	json_t			*o;
	int			 remember;

	err_clear(&e);
	if (!auth_same_origin(req) || (o = auth_body(req)) == NULL)
		return;
	if (auth_str(o, "email", true, &email, &e) != 0 ||
	    auth_str(o, "password", true, &password, &e) != 0 ||
	    auth_bool(o, "remember", &remember, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (session_login(app, email, password, remember == 1,
	    http_req_ip(req), http_req_cookie(req, AUTH_COOKIE), &s,
	    &e) != 0) {
		session_login_failed(req, &e, s.retry_s);
		return;
	}
	session_log(req, &s, remember == 1);
	auth_set_cookie(req, &s);
	session_reply_me(req, s.user_id, s.company_id, s.csrf_token);
}

/* POST /auth/logout: ends the session on the server, clears the cookie. */
static void
session_logout_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct err			 e;
	char				 user[24];

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (session_logout(app, http_req_cookie(req, AUTH_COOKIE), &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	snprintf(user, sizeof(user), "%lld", (long long)who->actor.user_id);
	log_event(LOG_INFO, "auth.logout", "user", user, NULL);
	auth_clear_cookie(req);
	http_reply_empty(req, 204);
}

/* GET /auth/me: the caller, their company and the CSRF token, all read
 * with the session by one query. */
static void
session_me_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct company			 co;
	struct err			 e;

	err_clear(&e);
	company_init(&co);
	if ((who = auth_require_company(req, AUTH_USER, &co)) == NULL)
		goto out;
	/* A company gone under a live session: the store's own answer. */
	if (co.id == 0 && company_get(app, &who->actor, &co, &e) != 0)
		http_reply_error(req, &e);
	else
		auth_reply_whoami(req, 200, &who->user, &co, who->csrf_token);

out:
	company_release(&co);
}

/* Answers the clock's state. */
static void
session_clock_reply(struct http_req *req)
{
	char	now[32];

	clock_format_rfc3339(clock_now_ms(), now);
	http_reply_json(req, 200, json_pack("{s:I, s:s}", "offset_ms",
	    (json_int_t)atomic_load(&session_clock_offset), "now", now));
}

/* True if the server runs with --test-clock; otherwise answers 404 as
 * for any unknown address. */
static bool
session_clock_enabled(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	struct err		 e;

	if (app->cfg->test_clock)
		return true;
	err_set(&e, ERR_NOTFOUND, "not_found", NULL,
	    "There is no page or endpoint at this address.");
	http_reply_error(req, &e);
	return false;
}

/* POST /test/clock {"offset_ms": N}: sets the offset of clock_now_ms(). */
static void
session_clock_set(struct http_req *req)
{
	struct err	 e;
	json_t		*o, *v;
	char		 off[24];

	if (!session_clock_enabled(req) || (o = auth_body(req)) == NULL)
		return;
	v = json_object_get(o, "offset_ms");
	if (!json_is_integer(v)) {
		err_set(&e, ERR_INVALID, "field_invalid", "offset_ms",
		    "offset_ms must be an integer (milliseconds).");
		http_reply_error(req, &e);
		return;
	}
	atomic_store(&session_clock_offset, json_integer_value(v));
	clock_set_offset_ms(json_integer_value(v));
	snprintf(off, sizeof(off), "%lld", (long long)json_integer_value(v));
	log_event(LOG_WARN, "test.clock", "offset_ms", off, NULL);
	session_clock_reply(req);
}

/* GET /test/clock */
static void
session_clock_get(struct http_req *req)
{
	if (session_clock_enabled(req))
		session_clock_reply(req);
}

void
api_session_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/auth/login", session_login_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/auth/logout", session_logout_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/auth/me", session_me_handler,
	    HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/test/clock", session_clock_set,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/test/clock", session_clock_get,
	    HTTP_NO_STORE);
}
