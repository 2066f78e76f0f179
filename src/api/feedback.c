/*
 * feedback.c - POST /feedback {subject, message}: «Обратная связь», mailed
 * to the operator.  The rules are in domain/feedback.c.
 */
#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/feedback.h"

/* POST /feedback */
static void
feedback_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	const char			*subject, *message;
	struct err			 e;
	json_t				*o;
	int				 retry_s = 0;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (auth_str(o, "subject", true, &subject, &e) != 0 ||
	    auth_str(o, "message", true, &message, &e) != 0 ||
	    feedback_send(app, &who->actor, subject, message, &retry_s,
	    &e) != 0) {
		auth_reply_error(req, &e, retry_s);
		return;
	}
	log_event(LOG_INFO, "feedback.sent", NULL);
	http_reply_json(req, 202, json_pack("{s:s}", "status", "accepted"));
}

void
api_feedback_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/feedback", feedback_handler,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
