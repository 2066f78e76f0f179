/*
 * assets.c - serving the embedded cabinet files.
 *
 * Lookup is a binary search of the generated table; nothing is read from
 * disk at run time.  HTML is revalidated on every load so a new build is
 * picked up at once; other files may be cached for an hour and are
 * revalidated by ETag after that.
 */
#include <stdlib.h>
#include <string.h>

#include "http/assets.h"
#include "http/http.h"

#define ASSETS_PATH_CHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"

static int
assets_cmp(const void *key, const void *elem)
{
	const struct asset *a = elem;

	return strcmp(key, a->path);
}

const struct asset *
assets_find(const char *path)
{
	if (assets_count == 0)
		return NULL;
	return bsearch(path, assets, assets_count, sizeof(assets[0]),
	    assets_cmp);
}

/* True if the last segment of path has a dot, as file names do. */
static bool
assets_has_extension(const char *path)
{
	const char *last = strrchr(path, '/');

	return strchr(last != NULL ? last : path, '.') != NULL;
}

/* True if every segment is non-empty, not "." or "..", and plain: the
 * cabinet's own addresses never need more, so nothing odd gets a page. */
static bool
assets_path_clean(const char *path)
{
	const char *p, *end;
	size_t n;

	if (path[0] != '/')
		return false;
	if (path[1] == '\0')
		return true;
	for (p = path + 1; ; p = end + 1) {
		end = p + strcspn(p, "/");
		n = (size_t)(end - p);
		if (n == 0 || strspn(p, ".") == n)
			return false;
		if (strspn(p, ASSETS_PATH_CHARS) < n)
			return false;
		if (*end == '\0')
			return true;
	}
}

const struct asset *
assets_resolve(const char *path)
{
	const struct asset *a;

	if (!assets_path_clean(path))
		return NULL;
	a = assets_find(path);
	if (a != NULL)
		return a;
	if (assets_has_extension(path))
		return NULL;
	return assets_find("/index.html");
}

/* True if the If-None-Match list names etag (weakly, as RFC 9110 says). */
static bool
assets_etag_matches(const char *header, const char *etag)
{
	size_t len = strlen(etag);
	const char *p = header;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, len) == 0 &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' ' ||
		    p[len] == '\t'))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

static bool
assets_is_html(const struct asset *a)
{
	size_t n = strlen(a->path);

	return n >= 5 && strcmp(a->path + n - 5, ".html") == 0;
}

void
assets_reply(struct http_req *req, const struct asset *a)
{
	const char *inm;

	http_resp_header(req, "ETag", a->etag);
	http_resp_header(req, "Cache-Control",
	    assets_is_html(a) ? "no-cache" : "public, max-age=3600");

	inm = http_req_header(req, "If-None-Match");
	if (inm != NULL && assets_etag_matches(inm, a->etag)) {
		http_reply_empty(req, 304);
		return;
	}
	http_reply_static(req, 200, a->ctype, a->data, a->len);
}
