/*
 * register.c - POST /auth/register: a new distributor company and its
 * owner, logged in at once.
 *
 * Parsing and the answer; the rules are in domain/signup.c.
 */
#include <stdio.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/signup.h"

/* Reads the fields of the body into in; -1 with e filled. */
static int
register_parse(json_t *o, struct signup *in, struct err *e)
{
	if (auth_str(o, "company_name", true, &in->company_name, e) != 0 ||
	    auth_str(o, "inn", false, &in->inn, e) != 0 ||
	    auth_str(o, "name", true, &in->name, e) != 0 ||
	    auth_str(o, "email", true, &in->email, e) != 0 ||
	    auth_str(o, "password", true, &in->password, e) != 0 ||
	    auth_str(o, "lang", false, &in->lang, e) != 0)
		return -1;
	return 0;
}

/* Logs the new company and its owner. */
static void
register_log(struct http_req *req, const struct session_new *s)
{
	char	user[24], company[24];

	snprintf(user, sizeof(user), "%lld", (long long)s->user_id);
	snprintf(company, sizeof(company), "%lld", (long long)s->company_id);
	http_req_set_company(req, company);
	log_event(LOG_INFO, "auth.register", "user", user, NULL);
}

/* POST /auth/register {company_name, inn, name, email, password, lang} */
static void
register_handler(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	struct signup		 in = { .ip = http_req_ip(req) };
	struct session_new	 s = { .retry_s = 0 };
	struct store_user	 u;
	struct company		 co;
	struct err		 e;
	json_t			*o;

	err_clear(&e);
	if (!auth_same_origin(req) || (o = auth_body(req)) == NULL)
		return;
	company_init(&co);
	if (register_parse(o, &in, &e) != 0 ||
	    signup_register(app, &in, &co, &u, &s, &e) != 0) {
		if (e.code == ERR_THROTTLED)
			log_event(LOG_WARN, "auth.throttled", "what",
			    "register", "ip", http_req_ip(req), NULL);
		auth_reply_error(req, &e, s.retry_s);
		goto out;
	}
	register_log(req, &s);
	auth_set_cookie(req, &s);
	auth_reply_whoami(req, 201, &u, &co, s.csrf_token);

out:
	company_release(&co);
}

void
api_register_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/auth/register", register_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
