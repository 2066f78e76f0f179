/*
 * http.h - what api/ handlers see of a request and how they answer it.
 *
 * The server (server.c) owns the libmicrohttpd glue; handlers get a
 * struct http_req that wraps one request, read it through the accessors
 * below, and answer exactly once with an http_reply_* call.  A handler
 * that returns without replying gets a 500.  Everything a handler gets
 * from the accessors is owned by the request and valid until it returns.
 * Only http/ includes microhttpd.h.
 */
#ifndef TOBMEN_HTTP_HTTP_H
#define TOBMEN_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"

struct http_req;
struct http_router;
struct jval;

typedef void (*http_handler_fn)(struct http_req *req);

/* Route flags, checked by the server before the handler runs. */
enum http_route_flag {
	HTTP_JSON_BODY	= 1 << 0,	/* body must be application/json */
	HTTP_NO_STORE	= 1 << 1,	/* Cache-Control: no-store */
	HTTP_NO_REFERRER = 1 << 2,	/* Referrer-Policy: no-referrer */
	HTTP_NO_LOG_PATH = 1 << 3,	/* path holds a secret: log the route */
};

/*
 * Registers fn for method ("GET", "POST", ...) and pattern, where a
 * segment "{name}" matches any one non-empty segment and is read back with
 * http_req_param.  Patterns are matched exactly, segment by segment; a
 * literal segment wins over a parameter.  Aborts on a duplicate route
 * (a programming error).  pattern is kept by reference (it labels metrics
 * for the life of the process): pass a string literal.
 */
void	http_route(struct http_router *r, const char *method,
	    const char *pattern, http_handler_fn fn, unsigned flags);

/* Request line and identity. */
const char	*http_req_method(const struct http_req *req);
const char	*http_req_path(const struct http_req *req);
/* The pattern that matched ("/api/v1/companies/{id}"), for logs. */
const char	*http_req_route(const struct http_req *req);
/* The request id sent back in X-Request-Id and put on log lines. */
const char	*http_req_id(const struct http_req *req);
/* The client's address as text (IPv4 or IPv6). */
const char	*http_req_ip(const struct http_req *req);

/* Inputs; each returns NULL when absent.  Query values are URL-decoded. */
const char	*http_req_param(const struct http_req *req, const char *name);
const char	*http_req_query(const struct http_req *req, const char *name);
const char	*http_req_header(const struct http_req *req, const char *name);
const char	*http_req_cookie(const struct http_req *req, const char *name);
/* The raw body (already capped at body_max); *len may be NULL. */
const char	*http_req_body(const struct http_req *req, size_t *len);
/*
 * Parses the body as JSON under the configured limits (depth, array
 * length).  Returns a borrowed tree freed with the request, or NULL with
 * e filled (ERR_INVALID "invalid_json" / "json_too_deep", ERR_TOOLARGE
 * "list_too_long").
 */
json_t		*http_req_json(struct http_req *req, struct err *e);
/*
 * The same, as an arena tree (core/jval.h) living in the request's arena,
 * with the same limits and errors; for the upload routes, whose bodies
 * are large.  Does not set what http_req_json returns.
 */
const struct jval *http_req_tree(struct http_req *req, struct err *e);

/* Per-request memory, freed after the response is sent. */
struct arena	*http_req_arena(struct http_req *req);
/* The application context given to http_server_start. */
void		*http_req_app(const struct http_req *req);
/* A slot for the api layer's caller identity (owned by the arena). */
void		 http_req_set_auth(struct http_req *req, void *auth);
void		*http_req_auth(const struct http_req *req);
/* Names the company on this request's log lines from now on. */
void		 http_req_set_company(struct http_req *req, const char *id);

/*
 * Parking: a handler whose answer is made on another thread (uploads wait
 * for a group commit) parks its request instead of holding one of the
 * server's few threads.  The handler calls http_req_park before it hands
 * the work over, then returns without replying; the connection waits, and
 * the server's thread serves others.  Whoever finishes the work calls
 * http_req_unpark once, from any thread; the server then calls
 * fn(req, arg) on one of its own threads, and fn replies (or parks
 * again).  The request, its arena and its body stay valid while parked;
 * the server does not stop before every parked request was resumed.
 */
typedef void	(*http_resume_fn)(struct http_req *req, void *arg);
void	http_req_park(struct http_req *req, http_resume_fn fn, void *arg);
void	http_req_unpark(struct http_req *req);

/* Replies; call exactly one, once. */
/* Sends body as JSON and decrements its reference. */
void	http_reply_json(struct http_req *req, int status, json_t *body);
/* Sends the JSON text w wrote into b, taking b's storage (b is empty
 * afterwards); 500 if the writer failed or left the value unfinished. */
void	http_reply_jsonw(struct http_req *req, int status, struct jsonw *w,
	    struct buf *b);
/* Sends {"error":{"code","message","field"}} with err_http_status(). */
void	http_reply_error(struct http_req *req, const struct err *e);
/* Copies len bytes of data. */
void	http_reply_data(struct http_req *req, int status, const char *ctype,
	    const void *data, size_t len);
/* Takes ownership of data (malloc'd), freeing it after sending. */
void	http_reply_take(struct http_req *req, int status, const char *ctype,
	    char *data, size_t len);
/* Sends data that lives as long as the process (embedded assets). */
void	http_reply_static(struct http_req *req, int status, const char *ctype,
	    const void *data, size_t len);
/* 204 No Content. */
void	http_reply_empty(struct http_req *req, int status);

/* Adds a response header; call before the reply.  Copies both strings. */
void	http_resp_header(struct http_req *req, const char *name,
	    const char *value);

enum http_cookie_flag {
	HTTP_COOKIE_HTTPONLY	= 1 << 0,
	HTTP_COOKIE_SECURE	= 1 << 1,
};
/* Sets a cookie with Path=/ and SameSite=Lax.  max_age < 0 makes a session
 * cookie, 0 deletes it. */
void	http_resp_cookie(struct http_req *req, const char *name,
	    const char *value, int64_t max_age, unsigned flags);

#endif
