/*
 * reply.c - building responses and the headers every response carries.
 *
 * Handlers build exactly one response through http_reply_*; server.c queues
 * it with http_reply_queue, which is where the security headers, the
 * request id and the caching policy are added, so no path can skip them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "http/internal.h"

/* No inline script or style anywhere in the cabinet, so none is allowed. */
#define REPLY_CSP "default-src 'self'; script-src 'self'; " \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

#define REPLY_ENCODE_FAILED "{\"error\":{\"code\":\"internal\"," \
	"\"message\":\"The reply could not be encoded.\"}}"

/* Takes resp as req's one response; a second reply is a handler bug. */
static void
reply_set(struct http_req *req, int status, struct MHD_Response *resp,
    size_t len, const char *ctype)
{
	if (resp == NULL) {
		log_event(LOG_ERROR, "http.reply_failed", "route", req->route,
		    NULL);
		return;
	}
	if (req->resp != NULL || req->queued) {
		log_event(LOG_ERROR, "http.reply_twice", "route", req->route,
		    NULL);
		MHD_destroy_response(resp);
		return;
	}
	if (ctype != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    ctype);
	req->resp = resp;
	req->status = status;
	req->bytes = len;
}

void
http_reply_data(struct http_req *req, int status, const char *ctype,
    const void *data, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, (void *)data,
	    MHD_RESPMEM_MUST_COPY);
	reply_set(req, status, resp, len, ctype);
}

void
http_reply_take(struct http_req *req, int status, const char *ctype,
    char *data, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		free(data);
	reply_set(req, status, resp, len, ctype);
}

void
http_reply_static(struct http_req *req, int status, const char *ctype,
    const void *data, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, (void *)data,
	    MHD_RESPMEM_PERSISTENT);
	reply_set(req, status, resp, len, ctype);
}

void
http_reply_empty(struct http_req *req, int status)
{
	http_reply_static(req, status, NULL, "", 0);
}

void
http_reply_json(struct http_req *req, int status, json_t *body)
{
	char *text;

	text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL) {
		/* Only out of memory gets here: answer without allocating. */
		log_event(LOG_ERROR, "http.encode_failed", NULL);
		http_reply_static(req, 500, "application/json",
		    REPLY_ENCODE_FAILED, strlen(REPLY_ENCODE_FAILED));
		return;
	}
	http_reply_take(req, status, "application/json", text, strlen(text));
}

void
http_reply_jsonw(struct http_req *req, int status, struct jsonw *w,
    struct buf *b)
{
	char	*text;
	size_t	 len;

	if (jsonw_failed(w) || !jsonw_done(w)) {
		buf_release(b);
		log_event(LOG_ERROR, "http.encode_failed", NULL);
		http_reply_static(req, 500, "application/json",
		    REPLY_ENCODE_FAILED, strlen(REPLY_ENCODE_FAILED));
		return;
	}
	text = buf_detach(b, &len);
	buf_release(b);
	http_reply_take(req, status, "application/json", text, len);
}

void
http_reply_error(struct http_req *req, const struct err *e)
{
	json_t *inner;
	int status = err_http_status(e->code);

	/* Our own failures are logged here, at the edge, and only here. */
	if (e->code == ERR_INTERNAL)
		log_event(LOG_ERROR, "http.internal_error", "code", e->id,
		    "msg", e->msg, NULL);
	else if (e->code == ERR_UNAVAILABLE)
		log_event(LOG_WARN, "http.unavailable", "code", e->id,
		    "msg", e->msg, NULL);

	inner = json_pack("{s:s, s:s}", "code",
	    e->id[0] ? e->id : "internal", "message", e->msg);
	if (inner != NULL && e->field[0] != '\0')
		json_object_set_new(inner, "field", json_string(e->field));
	http_reply_json(req, status, json_pack("{s:o*}", "error", inner));
}

void
http_reply_fail(struct http_req *req, enum err_code code, const char *id,
    const char *fmt, ...)
{
	struct err e;
	va_list ap;

	err_set(&e, code, id, NULL, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	http_reply_error(req, &e);
}

void
http_resp_header(struct http_req *req, const char *name, const char *value)
{
	struct http_hdr *h, **tail;

	h = arena_alloc(req->arena, sizeof(*h));
	h->name = arena_strdup(req->arena, name);
	h->value = arena_strdup(req->arena, value);
	for (tail = &req->hdrs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = h;
	if (strcasecmp(name, MHD_HTTP_HEADER_CACHE_CONTROL) == 0)
		req->has_cache_control = true;
}

void
http_resp_cookie(struct http_req *req, const char *name, const char *value,
    int64_t max_age, unsigned flags)
{
	char *v;

	v = http_cookie_format(req->arena, name, value, max_age, flags);
	if (v == NULL) {
		log_event(LOG_ERROR, "http.bad_cookie", "name", name, NULL);
		return;
	}
	http_resp_header(req, MHD_HTTP_HEADER_SET_COOKIE, v);
}

/* The caching rule: handlers may choose; API and errors are never kept. */
static const char *
reply_cache_control(const struct http_req *req)
{
	if (req->has_cache_control)
		return NULL;
	if (req->status >= 400 || strncmp(req->path, "/api/", 5) == 0)
		return "no-store";
	if (req->matched && (req->match.flags & HTTP_NO_STORE))
		return "no-store";
	return NULL;
}

static void
reply_security_headers(struct http_req *req, struct MHD_Response *resp)
{
	bool no_ref = req->matched && (req->match.flags & HTTP_NO_REFERRER);
	const char *cache = reply_cache_control(req);

	MHD_add_response_header(resp, "Content-Security-Policy", REPLY_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy",
	    no_ref ? "no-referrer" : "same-origin");
	MHD_add_response_header(resp, "X-Request-Id", req->id);
	if (cache != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    cache);
	if (req->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    req->allow);
	if (req->stopping)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
}

int
http_reply_queue(struct http_req *req)
{
	struct MHD_Response *resp = req->resp;
	struct http_hdr *h;

	if (resp == NULL || req->queued)
		return -1;
	if (!req->decorated) {
		for (h = req->hdrs; h != NULL; h = h->next)
			MHD_add_response_header(resp, h->name, h->value);
		reply_security_headers(req, resp);
		req->decorated = true;
	}

	if (MHD_queue_response(req->conn, (unsigned)req->status, resp) !=
	    MHD_YES)
		return -1;
	MHD_destroy_response(resp);
	req->resp = NULL;
	req->queued = true;
	return 0;
}
