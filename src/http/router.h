/*
 * router.h - matching a method and path to a registered handler.
 *
 * The router is built once at start-up (http_route in http.h) and only read
 * afterwards, so matching needs no lock.  Paths are split on "/"; empty
 * segments and "." or ".." never match.
 */
#ifndef TOBMEN_HTTP_ROUTER_H
#define TOBMEN_HTTP_ROUTER_H

#include "http/http.h"

#define HTTP_MAX_PARAMS 8

struct http_match {
	http_handler_fn	 fn;
	unsigned	 flags;
	const char	*pattern;		/* borrowed from the router */
	int		 nparams;
	const char	*names[HTTP_MAX_PARAMS];	/* borrowed */
	char		*values[HTTP_MAX_PARAMS];	/* arena copies */
	char		 allow[64];		/* for 405: "GET, POST" */
};

struct http_router	*http_router_new(void);
void			 http_router_free(struct http_router *r);

/*
 * Finds the route for method and path.  Returns ERR_NONE with m filled,
 * ERR_NOTFOUND if no pattern matches the path, or ERR_METHOD if patterns
 * match but none for this method (m->allow lists those that do; HEAD is
 * answered by GET).  Parameter values are URL-decoded into arena a.
 */
enum err_code		 http_router_match(const struct http_router *r,
			    const char *method, const char *path,
			    struct arena *a, struct http_match *m);

#endif
