/*
 * company.c - GET and PATCH /company: the caller's company card.
 *
 * The company is the session's; the request never names it.  The rules
 * are in domain/company.c.
 */
#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/company.h"

/* GET /company */
static void
company_show(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct company			 co;
	struct err			 e;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	company_init(&co);
	if (company_get(app, &who->actor, &co, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, auth_company_json(&co));
	company_release(&co);
}

/* Reads the card fields present in o. */
static int
company_parse(json_t *o, struct company_card *card, struct err *e)
{
	if (auth_str(o, "name", false, &card->name, e) != 0 ||
	    auth_str(o, "inn", false, &card->inn, e) != 0 ||
	    auth_str(o, "kpp", false, &card->kpp, e) != 0 ||
	    auth_str(o, "address", false, &card->address, e) != 0 ||
	    auth_str(o, "phone", false, &card->phone, e) != 0)
		return -1;
	return 0;
}

/* PATCH /company {name?, inn?, kpp?, address?, phone?} */
static void
company_edit(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct company_card		 card = { .name = NULL };
	struct company			 co;
	struct err			 e;
	json_t				*o;

	if ((who = auth_require(req, AUTH_MANAGER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	company_init(&co);
	if (company_parse(o, &card, &e) != 0 ||
	    company_update(app, &who->actor, &card, &co, &e) != 0) {
		http_reply_error(req, &e);
		goto out;
	}
	log_event(LOG_INFO, "company.updated", NULL);
	http_reply_json(req, 200, auth_company_json(&co));

out:
	company_release(&co);
}

void
api_company_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/company", company_show, HTTP_NO_STORE);
	http_route(r, "PATCH", "/api/v1/company", company_edit,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
