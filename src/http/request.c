/*
 * request.c - the read side of a request as handlers see it.
 *
 * Every accessor returns memory owned by the request (libmicrohttpd's
 * connection pool or the request arena), valid until the handler returns.
 * Nothing here replies or logs, except that naming the company updates
 * this thread's log context.
 */
#include <string.h>

#include <microhttpd.h>

#include "core/log.h"
#include "http/internal.h"

const char *
http_req_method(const struct http_req *req)
{
	return req->method;
}

const char *
http_req_path(const struct http_req *req)
{
	return req->path;
}

const char *
http_req_route(const struct http_req *req)
{
	return req->route;
}

const char *
http_req_id(const struct http_req *req)
{
	return req->id;
}

const char *
http_req_ip(const struct http_req *req)
{
	return req->ip;
}

const char *
http_req_param(const struct http_req *req, const char *name)
{
	for (int i = 0; i < req->match.nparams; i++) {
		if (strcmp(req->match.names[i], name) == 0)
			return req->match.values[i];
	}
	return NULL;
}

/* libmicrohttpd leaves values encoded (server.c); decode on demand. */
const char *
http_req_query(const struct http_req *req, const char *name)
{
	const char *raw;

	raw = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
	if (raw == NULL)
		return NULL;
	return http_url_decode(req->arena, raw, strlen(raw), true);
}

const char *
http_req_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_req_cookie(const struct http_req *req, const char *name)
{
	const char *header;

	header = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_COOKIE);
	return http_cookie_find(req->arena, header, name);
}

const char *
http_req_body(const struct http_req *req, size_t *len)
{
	if (len != NULL)
		*len = req->body.len;
	return req->body.data != NULL ? req->body.data : "";
}

struct arena *
http_req_arena(struct http_req *req)
{
	return req->arena;
}

void *
http_req_app(const struct http_req *req)
{
	return req->app;
}

void
http_req_set_auth(struct http_req *req, void *auth)
{
	req->auth = auth;
}

void *
http_req_auth(const struct http_req *req)
{
	return req->auth;
}

void
http_req_set_company(struct http_req *req, const char *id)
{
	req->company = id != NULL ? arena_strdup(req->arena, id) : NULL;
	log_context(req->id, req->company);
}
