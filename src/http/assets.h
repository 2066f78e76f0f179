/*
 * assets.h - the cabinet's static files, embedded in the binary at build.
 *
 * tools/embed.py writes the table from web/ into the build directory
 * (assets_data.c), sorted by path; assets.c serves it.  The table and
 * every string in it live as long as the process.
 */
#ifndef TOBMEN_HTTP_ASSETS_H
#define TOBMEN_HTTP_ASSETS_H

#include <stddef.h>

struct http_req;

struct asset {
	const char		*path;	/* "/app.js" */
	const char		*ctype;	/* "text/javascript; charset=utf-8" */
	const char		*etag;	/* strong, quoted: "\"3f1a...\"" */
	const unsigned char	*data;
	size_t			 len;
};

/* Sorted by path (strcmp order); assets_count entries. */
extern const struct asset	assets[];
extern const size_t		assets_count;

/* Returns the asset stored at exactly path, or NULL. */
const struct asset	*assets_find(const char *path);

/*
 * Returns what a GET of path (outside /api/) shows: the asset itself, or
 * the single-page cabinet (/index.html) for a path whose last segment has
 * no extension, or NULL (404).
 */
const struct asset	*assets_resolve(const char *path);

/* Replies with a: 200, or 304 when If-None-Match names its ETag. */
void			 assets_reply(struct http_req *req,
			    const struct asset *a);

#endif
