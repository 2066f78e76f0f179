/*
 * ops.c - the operations endpoints: liveness, readiness and metrics.
 *
 * These answer load balancers and Prometheus, not users: no session, no
 * tenant, nothing cached.  Readiness asks the store with a trivial query
 * and reports "stopping" as soon as a graceful stop has begun.
 */
#include <stdlib.h>

#include "api/api.h"
#include "app.h"
#include "core/buf.h"
#include "core/metrics.h"
#include "http/http.h"
#include "http/server.h"

/* Room for the whole exposition; far more than a few hundred series. */
#define OPS_METRICS_MAX	(8 * 1024 * 1024)

/* GET /healthz: the process is up and answering. */
static void
ops_healthz(struct http_req *req)
{
	http_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

/* GET /readyz: able to serve, that is not stopping and the store answers. */
static void
ops_readyz(struct http_req *req)
{
	struct app *app = http_req_app(req);
	struct err e;

	if (http_server_stopping(app->server)) {
		http_reply_json(req, 503, json_pack("{s:s}", "status",
		    "stopping"));
		return;
	}
	err_clear(&e);
	if (app->store == NULL || store_ping(app->store, &e) != STORE_OK) {
		http_reply_json(req, 503, json_pack("{s:s}", "status",
		    "store_unavailable"));
		return;
	}
	http_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

/* GET /metrics: the Prometheus text exposition. */
static void
ops_metrics(struct http_req *req)
{
	struct buf b;
	struct err e;
	char *text;
	size_t len;

	buf_init(&b, OPS_METRICS_MAX);
	if (metrics_render(&b) != 0) {
		buf_release(&b);
		err_set(&e, ERR_INTERNAL, "metrics_too_large", NULL,
		    "The metrics exposition outgrew its buffer.");
		http_reply_error(req, &e);
		return;
	}
	text = buf_detach(&b, &len);
	http_reply_take(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    text, len);
}

void
api_ops_routes(struct http_router *r)
{
	http_route(r, "GET", "/healthz", ops_healthz, HTTP_NO_STORE);
	http_route(r, "GET", "/readyz", ops_readyz, HTTP_NO_STORE);
	http_route(r, "GET", "/metrics", ops_metrics, HTTP_NO_STORE);
}
