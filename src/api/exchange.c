/*
 * exchange.c - the bearer guards, cursor arguments and compressed JSON
 * replies that the exchange's handlers share.
 *
 * Compression is zlib's gzip format, done here because only the
 * exchange's large answers (the feed, package downloads) are worth it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "api/auth.h"
#include "api/exchange.h"
#include "core/arena.h"
#include "core/log.h"

/* Bodies shorter than this go out as they are. */
#define EXCHANGE_GZIP_MIN	1024

const char *
exchange_bearer(struct http_req *req)
{
	const char	*h = http_req_header(req, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h != '\0' ? h : NULL;
}

void
exchange_reply_error(struct http_req *req, const struct err *e)
{
	if (e->code == ERR_UNAUTHORIZED)
		http_resp_header(req, "WWW-Authenticate", "Bearer");
	http_reply_error(req, e);
}

/* Names the company on the request's log lines. */
static void
exchange_set_company(struct http_req *req, int64_t id)
{
	char	s[24];

	snprintf(s, sizeof(s), "%lld", (long long)id);
	http_req_set_company(req, s);
}

const struct device_caller *
exchange_device(struct http_req *req)
{
	const struct app	*app = http_req_app(req);
	struct device_caller	*d;
	struct err		 e;

	d = arena_alloc(http_req_arena(req), sizeof(*d));
	err_clear(&e);
	if (device_auth(app, exchange_bearer(req), d, &e) != 0) {
		exchange_reply_error(req, &e);
		return NULL;
	}
	exchange_set_company(req, d->company_id);
	return d;
}

const struct apikey_caller *
exchange_apikey(struct http_req *req, unsigned need)
{
	const struct app	*app = http_req_app(req);
	struct apikey_caller	*k;
	struct err		 e;

	k = arena_alloc(http_req_arena(req), sizeof(*k));
	err_clear(&e);
	if (apikey_auth(app, exchange_bearer(req), http_req_ip(req), need, k,
	    &e) != 0) {
		if (k->company_id > 0)
			exchange_set_company(req, k->company_id);
		exchange_reply_error(req, &e);
		return NULL;
	}
	exchange_set_company(req, k->company_id);
	return k;
}

int
exchange_page(struct http_req *req, int def, int max, int64_t *after,
    int *limit)
{
	const char	*a = http_req_query(req, "after");
	const char	*l = http_req_query(req, "limit");
	struct err	 e;
	int64_t		 n;

	*after = 0;
	*limit = def;
	err_clear(&e);
	if (a != NULL && a[0] != '\0' && strcmp(a, "0") != 0 &&
	    (*after = auth_id(a)) < 0) {
		err_set(&e, ERR_INVALID, "after_invalid", "after",
		    "after must be a position or id from a previous page.");
		goto fail;
	}
	if (l != NULL && l[0] != '\0') {
		n = auth_id(l);
		if (n < 1 || n > max) {
			err_set(&e, ERR_INVALID, "limit_invalid", "limit",
			    "The limit must be between 1 and %d.", max);
			goto fail;
		}
		*limit = (int)n;
	}
	return 0;

fail:
	http_reply_error(req, &e);
	return -1;
}

json_t *
exchange_page_json(json_t *items, bool more, int64_t last)
{
	char	next[24];

	snprintf(next, sizeof(next), "%lld", (long long)last);
	return json_pack("{s:o, s:o}", "items", items, "next_after",
	    more ? json_string(next) : json_null());
}

int64_t
exchange_path_id(struct http_req *req, const char *name, const char *code,
    const char *message)
{
	int64_t		id = auth_id(http_req_param(req, name));
	struct err	e;

	if (id > 0)
		return id;
	err_set(&e, ERR_NOTFOUND, code, NULL, "%s", message);
	http_reply_error(req, &e);
	return -1;
}

int64_t
exchange_json_id(json_t *o, const char *key, struct err *e)
{
	json_t	*v = json_object_get(o, key);
	int64_t	 id = -1;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) > 0)
		id = json_integer_value(v);
	else if (json_is_string(v))
		id = auth_id(json_string_value(v));
	if (id > 0)
		return id;
	err_set(e, ERR_INVALID, "field_invalid", key,
	    "The field \"%s\" must be an id.", key);
	return -1;
}

bool
exchange_wants_gzip(struct http_req *req)
{
	const char	*h = http_req_header(req, "Accept-Encoding");
	const char	*p, *q;
	size_t		 n;

	/* Looks for a "gzip" coding that is not refused with q=0. */
	for (p = h; p != NULL && *p != '\0'; p += n + (p[n] == ',')) {
		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		if (n < 4 || strncasecmp(p, "gzip", 4) != 0 ||
		    (p[4] != ';' && p[4] != ',' && p[4] != ' ' &&
		    p[4] != '\0'))
			continue;
		q = strstr(p, "q=");
		if (q != NULL && q < p + n && strtod(q + 2, NULL) <= 0)
			return false;
		return true;
	}
	return false;
}

/* Compresses in[0, n) as gzip into a malloc'd buffer; NULL on failure. */
static char *
exchange_gzip(const char *in, size_t n, size_t *outlen)
{
	z_stream	 z;
	uLong		 cap;
	char		*out;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)n) + 32;
	out = malloc(cap);
	if (out == NULL) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

void
exchange_reply(struct http_req *req, int status, struct jsonw *w,
    struct buf *b)
{
	struct err	 e;
	size_t		 len, zlen;
	char		*text, *z;

	if (jsonw_failed(w) || !jsonw_done(w)) {
		buf_release(b);
		log_event(LOG_ERROR, "exchange.reply_too_large", "route",
		    http_req_route(req), NULL);
		err_set(&e, ERR_INTERNAL, "internal", NULL,
		    "The answer grew past its limit.");
		http_reply_error(req, &e);
		return;
	}
	text = buf_detach(b, &len);
	buf_release(b);
	http_resp_header(req, "Vary", "Accept-Encoding");
	if (len >= EXCHANGE_GZIP_MIN && exchange_wants_gzip(req) &&
	    (z = exchange_gzip(text, len, &zlen)) != NULL) {
		free(text);
		http_resp_header(req, "Content-Encoding", "gzip");
		http_reply_take(req, status, "application/json", z, zlen);
		return;
	}
	http_reply_take(req, status, "application/json", text, len);
}
