/*
 * password.c - POST /auth/password/forgot, /auth/password/reset and
 * /auth/password/change.
 *
 * Forgot always answers 202, whether the address is known or not; only
 * an address over its request limit gets 429.  The rules are in
 * domain/account.c.
 */
#include <stdio.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/account.h"

/* POST /auth/password/forgot {email} */
static void
password_forgot(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	const char		*email;
	struct err		 e;
	json_t			*o;
	int			 retry_s = 0;

	err_clear(&e);
	if (!auth_same_origin(req) || (o = auth_body(req)) == NULL)
		return;
	if (auth_str(o, "email", true, &email, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	if (account_password_forgot(app, email, http_req_ip(req), &retry_s,
	    &e) != 0) {
		if (e.code == ERR_THROTTLED)
			log_event(LOG_WARN, "auth.throttled", "what",
			    "password_forgot", "ip", http_req_ip(req), NULL);
		auth_reply_error(req, &e, retry_s);
		return;
	}
	log_event(LOG_INFO, "auth.password_forgot", NULL);
	http_reply_json(req, 202, json_pack("{s:s}", "status", "accepted"));
}

/* POST /auth/password/reset {token, password} */
static void
password_reset(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	const char		*token, *password;
	struct err		 e;
	json_t			*o;
	int64_t			 user_id = 0;
	char			 user[24];

	err_clear(&e);
	if (!auth_same_origin(req) || (o = auth_body(req)) == NULL)
		return;
	if (auth_str(o, "token", true, &token, &e) != 0 ||
	    auth_str(o, "password", true, &password, &e) != 0 ||
	    account_password_reset(app, token, password, http_req_ip(req),
	    &user_id, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	snprintf(user, sizeof(user), "%lld", (long long)user_id);
	log_event(LOG_INFO, "auth.password_reset", "user", user, NULL);
	http_reply_empty(req, 204);
}

/* POST /auth/password/change {current_password, new_password} */
static void
password_change(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*cur, *next;
	struct err			 e;
	json_t				*o;
	char				 user[24];

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (auth_str(o, "current_password", true, &cur, &e) != 0 ||
	    auth_str(o, "new_password", true, &next, &e) != 0 ||
	    account_password_change(app, &who->actor, cur, next, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	snprintf(user, sizeof(user), "%lld", (long long)who->actor.user_id);
	log_event(LOG_INFO, "auth.password_change", "user", user, NULL);
	http_reply_empty(req, 204);
}

void
api_password_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/auth/password/forgot", password_forgot,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/auth/password/reset", password_reset,
	    HTTP_JSON_BODY | HTTP_NO_STORE | HTTP_NO_REFERRER);
	http_route(r, "POST", "/api/v1/auth/password/change", password_change,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
