/*
 * internal.h - what the files of src/http share and nothing outside uses.
 *
 * Holds the request as the server sees it, and the small pure helpers
 * (URL decoding, cookies, the JSON depth scan) that unit tests reach
 * directly.  api/ and the rest of the service must include http.h instead.
 */
#ifndef TOBMEN_HTTP_INTERNAL_H
#define TOBMEN_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "http/http.h"
#include "http/router.h"

struct MHD_Connection;
struct MHD_Response;
struct http_server;

/* A response header added by a handler, kept until the reply is queued. */
struct http_hdr {
	const char	*name;
	const char	*value;
	struct http_hdr	*next;
};

/*
 * One request, allocated from its own arena by server.c when the headers
 * have arrived and freed with the arena when libmicrohttpd reports the
 * request complete.  Touched by one thread at a time.
 */
struct http_req {
	struct arena		*arena;
	struct http_server	*server;
	struct MHD_Connection	*conn;
	const struct config	*cfg;
	void			*app;

	const char		*method;
	const char		*path;		/* raw, still percent-encoded */
	const char		*route;		/* pattern or "static" */
	char			 id[65];
	char			 ip[64];
	char			*company;
	void			*auth;
	int64_t			 start_ns;

	struct http_match	 match;
	bool			 matched;

	struct buf		 body;
	bool			 body_over;	/* passed body_max */
	size_t			 discarded;	/* bytes dropped after that */
	json_t			*json;		/* parsed body, owned */

	struct http_hdr		*hdrs;
	const char		*allow;		/* Allow header for 405 */
	struct MHD_Response	*resp;		/* owned until queued */
	int			 status;
	size_t			 bytes;
	bool			 has_cache_control;
	bool			 decorated;	/* headers added to resp */
	bool			 queued;
	bool			 stopping;	/* add Connection: close */

	http_resume_fn		 park_fn;	/* set while parked */
	void			*park_arg;
};

/*
 * Percent-decodes n bytes of s into a NUL-terminated copy in a; plus turns
 * '+' into a space (query strings).  Returns NULL for a malformed escape or
 * an encoded NUL byte.
 */
char	*http_url_decode(struct arena *a, const char *s, size_t n, bool plus);

/*
 * Returns the deepest nesting of arrays and objects in the JSON text p[0,n),
 * counting only brackets outside strings, without parsing.  Stops as soon
 * as the depth passes limit and then returns limit + 1, so the cost of a
 * hostile body is one linear pass at most.
 */
int	http_json_depth(const char *p, size_t n, int limit);

/*
 * Builds the tree of the JSON text p[0, n) (an object or an array),
 * accepting and refusing what jansson's json_loadb with
 * JSON_REJECT_DUPLICATES does.  Returns the tree, or NULL with e filled:
 * ERR_INVALID "invalid_json", with the line and column.  The depth must
 * already be bounded (http_json_depth).
 */
json_t	*http_json_read(const char *p, size_t n, struct err *e);

/* Returns the first element of a JSON tree (depth-first) that is an array
 * longer than max, or NULL.  *key names the member holding it ("" if
 * none).  The tree's depth must already be bounded. */
json_t	*http_json_long_list(json_t *v, size_t max, const char **key);

/*
 * Reads p[0, n) into a tree of a (core/jval.h), refusing exactly what
 * http_json_depth, http_json_read and http_json_long_list refuse together
 * under depth_max and array_max, with the same errors.  Returns the root
 * (an object or an array) or NULL with e filled.
 */
struct jval	*http_json_tree(const char *p, size_t n, int depth_max,
		    size_t array_max, struct arena *a, struct err *e);

/*
 * Finds cookie name in a Cookie request header ("a=1; b=2").  Returns the
 * value (surrounding double quotes removed) copied into a, or NULL if the
 * header is NULL or has no such cookie.  The first occurrence wins.
 */
char	*http_cookie_find(struct arena *a, const char *header,
	    const char *name);

/*
 * Builds a Set-Cookie value in a: Path=/, SameSite=Lax, Max-Age unless
 * max_age < 0, HttpOnly and Secure by flags.  Returns NULL if name is not
 * an HTTP token or value holds a byte a cookie may not carry.
 */
char	*http_cookie_format(struct arena *a, const char *name,
	    const char *value, int64_t max_age, unsigned flags);

/* Adds the headers collected for req and the security headers to its
 * response, then hands it to libmicrohttpd.  Returns 0, or -1 if
 * libmicrohttpd refused it (the response stays owned by req). */
int	http_reply_queue(struct http_req *req);

/* Replies with an error built from code, id and a printf message. */
void	http_reply_fail(struct http_req *req, enum err_code code,
	    const char *id, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * Opens a listening TCP socket for "host:port" or "[v6]:port" (an empty
 * host or "*" means every address, port 0 a free one), non-blocking and
 * close-on-exec.  Returns the socket and writes the bound address as text
 * into addr, or -1 with e filled.  In listen.c.
 */
int	http_listen(const char *spec, char *addr, size_t addrlen,
	    struct err *e);

#endif
