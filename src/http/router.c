/*
 * router.c - the table of routes and the matching of a request against it.
 *
 * Routes are lists built at start-up and read-only afterwards, one for
 * each number of segments, as a path can only match routes with as many.
 * Matching is segment by segment on the percent-decoded path; it never
 * touches libmicrohttpd and never allocates outside the request's arena.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xmalloc.h"
#include "http/internal.h"
#include "http/router.h"

/* More segments than any route has: such a path cannot match. */
#define ROUTER_MAX_SEGS 32

struct route {
	char		*method;
	const char	*pattern;	/* the caller's, kept forever */
	int		 nsegs;
	char		*segs[ROUTER_MAX_SEGS]; /* NULL: a parameter */
	char		*names[ROUTER_MAX_SEGS]; /* parameter names */
	http_handler_fn	 fn;
	unsigned	 flags;
	struct route	*next;		/* of as many segments */
};

struct http_router {
	/* by number of segments */
	struct route	*head[ROUTER_MAX_SEGS + 1];
	struct route	**tail[ROUTER_MAX_SEGS + 1];
};

struct http_router *
http_router_new(void)
{
	struct http_router *r;

	r = xcalloc(1, sizeof(*r));
	for (int i = 0; i <= ROUTER_MAX_SEGS; i++)
		r->tail[i] = &r->head[i];
	return r;
}

void
http_router_free(struct http_router *r)
{
	struct route *rt, *next;

	if (r == NULL)
		return;
	for (int n = 0; n <= ROUTER_MAX_SEGS; n++) {
		for (rt = r->head[n]; rt != NULL; rt = next) {
			next = rt->next;
			for (int i = 0; i < rt->nsegs; i++) {
				free(rt->segs[i]);
				free(rt->names[i]);
			}
			free(rt->method);
			free(rt);
		}
	}
	free(r);
}

/* A route registration that cannot work is a bug in the caller: stop. */
static void
router_die(const char *method, const char *pattern, const char *why)
{
	fprintf(stderr, "tobmen: route %s %s: %s\n", method, pattern, why);
	abort();
}

/* Splits pattern into rt's literal segments and parameter names. */
static void
router_parse(struct route *rt, const char *method, const char *pattern)
{
	const char *p, *end;
	size_t n;
	int nparams = 0;

	if (pattern[0] != '/')
		router_die(method, pattern, "must start with /");
	for (p = pattern + 1; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0 || rt->nsegs == ROUTER_MAX_SEGS)
			router_die(method, pattern, "empty or many segments");
		if (p[0] == '{' && p[n - 1] == '}') {
			if (n < 3 || ++nparams > HTTP_MAX_PARAMS)
				router_die(method, pattern, "bad parameter");
			rt->names[rt->nsegs++] = xstrndup(p + 1, n - 2);
		} else
			rt->segs[rt->nsegs++] = xstrndup(p, n);
		if (*end == '/' && end[1] == '\0')
			router_die(method, pattern, "trailing slash");
	}
}

/* True if a and b have the same literals and parameters in one order. */
static bool
router_same_shape(const struct route *a, const struct route *b)
{
	if (a->nsegs != b->nsegs)
		return false;
	for (int i = 0; i < a->nsegs; i++) {
		if ((a->segs[i] == NULL) != (b->segs[i] == NULL))
			return false;
		if (a->segs[i] != NULL && strcmp(a->segs[i], b->segs[i]) != 0)
			return false;
	}
	return true;
}

void
http_route(struct http_router *r, const char *method, const char *pattern,
    http_handler_fn fn, unsigned flags)
{
	struct route *rt, *o;

	assert(fn != NULL);
	rt = xcalloc(1, sizeof(*rt));
	rt->method = xstrdup(method);
	rt->pattern = pattern;
	rt->fn = fn;
	rt->flags = flags;
	router_parse(rt, method, pattern);

	for (o = r->head[rt->nsegs]; o != NULL; o = o->next) {
		if (strcmp(o->method, method) == 0 && router_same_shape(o, rt))
			router_die(method, pattern, "registered twice");
	}
	*r->tail[rt->nsegs] = rt;
	r->tail[rt->nsegs] = &rt->next;
}

/*
 * Splits path into decoded segments.  Returns their count, or -1 if the
 * path cannot name a route: no leading slash, an empty, "." or ".."
 * segment, a bad escape, or a decoded '/' or NUL inside a segment.
 */
static int
router_split(const char *path, struct arena *a, char **segs)
{
	const char *p, *end;
	int n = 0;

	if (path[0] != '/')
		return -1;
	for (p = path + 1; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p || n == ROUTER_MAX_SEGS)
			return -1;
		segs[n] = http_url_decode(a, p, (size_t)(end - p), false);
		if (segs[n] == NULL || strchr(segs[n], '/') != NULL)
			return -1;
		if (strcmp(segs[n], ".") == 0 || strcmp(segs[n], "..") == 0)
			return -1;
		n++;
		if (*end == '/' && end[1] == '\0')
			return -1;
	}
	return n;
}

/* Compares from the last segment: routes share their first ones
 * ("api", "v1"), so a mismatch shows soonest at the end.  rt has n
 * segments. */
static bool
router_path_matches(const struct route *rt, char **segs, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (rt->segs[i] != NULL && strcmp(rt->segs[i], segs[i]) != 0)
			return false;
	}
	return true;
}

/* 2 for the method itself, 1 for GET answering HEAD, 0 for no. */
static int
router_method_fit(const struct route *rt, const char *method)
{
	if (strcmp(rt->method, method) == 0)
		return 2;
	if (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)
		return 1;
	return 0;
}

/*
 * True if a should win over b for the same path: the first segment where
 * one has a literal and the other a parameter decides; with equal shapes,
 * the route for the very method wins over GET standing in for HEAD.
 */
static bool
router_better(const struct route *a, const struct route *b,
    const char *method)
{
	for (int i = 0; i < a->nsegs; i++) {
		if ((a->segs[i] == NULL) != (b->segs[i] == NULL))
			return a->segs[i] != NULL;
	}
	return router_method_fit(a, method) > router_method_fit(b, method);
}

/* Appends method to the comma-separated list unless it is there. */
static void
router_allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(allow), mlen = strlen(method);
	const char *p;

	for (p = allow; (p = strstr(p, method)) != NULL; p += mlen) {
		if ((p == allow || p[-1] == ' ') &&
		    (p[mlen] == ',' || p[mlen] == '\0'))
			return;
	}
	if (len + mlen + 3 > size)
		return;
	snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
}

static void
router_fill(const struct route *rt, char **segs, struct http_match *m)
{
	m->fn = rt->fn;
	m->flags = rt->flags;
	m->pattern = rt->pattern;
	m->nparams = 0;
	for (int i = 0; i < rt->nsegs; i++) {
		if (rt->segs[i] != NULL)
			continue;
		m->names[m->nparams] = rt->names[i];
		m->values[m->nparams] = segs[i];
		m->nparams++;
	}
}

enum err_code
http_router_match(const struct http_router *r, const char *method,
    const char *path, struct arena *a, struct http_match *m)
{
	char *segs[ROUTER_MAX_SEGS];
	const struct route *rt, *best = NULL;
	int n;

	memset(m, 0, sizeof(*m));
	n = router_split(path, a, segs);
	if (n < 0)
		return ERR_NOTFOUND;

	for (rt = r->head[n]; rt != NULL; rt = rt->next) {
		if (!router_path_matches(rt, segs, n) ||
		    router_method_fit(rt, method) == 0)
			continue;
		if (best == NULL || router_better(rt, best, method))
			best = rt;
	}
	if (best != NULL) {
		router_fill(best, segs, m);
		return ERR_NONE;
	}

	/* No route for the method: list those the path has, for 405. */
	for (rt = r->head[n]; rt != NULL; rt = rt->next) {
		if (!router_path_matches(rt, segs, n))
			continue;
		router_allow_add(m->allow, sizeof(m->allow), rt->method);
		if (strcmp(rt->method, "GET") == 0)
			router_allow_add(m->allow, sizeof(m->allow), "HEAD");
	}
	return m->allow[0] != '\0' ? ERR_METHOD : ERR_NOTFOUND;
}
