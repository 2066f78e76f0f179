/*
 * json.c - turning a request body into a JSON tree under the limits.
 *
 * The order matters: the body is already capped at body_max; a linear scan
 * refuses deep nesting before the tree is built; only then is the tree
 * built, and its lists are measured.  Nothing here replies.
 *
 * The tree is jansson's, as the handlers expect, but the text is read by
 * yajl's lexer, which is several times faster than jansson's own on the
 * large bodies uploads send.  What jansson would refuse is refused here
 * too: a top level that is not an object or array, a key twice in one
 * object, "\u0000" in a string or key, an integer beyond 64 bits, a real
 * beyond a double, invalid UTF-8, anything after the value.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "core/xmalloc.h"
#include "http/internal.h"

/* The longest number taken (jansson has no limit; a body this silly is
 * refused). */
#define JSON_NUMBER_MAX	128

/* Why a callback stopped the parse. */
enum json_stop {
	JSON_STOP_SYNTAX,	/* yajl's own */
	JSON_STOP_DUPLICATE,
	JSON_STOP_VALUE,	/* NUL, a number out of range, a bare scalar */
};

/* The tree being built: open containers, innermost last. */
struct json_build {
	json_t		**open;
	size_t		  depth;
	size_t		  cap;
	json_t		 *root;
	char		 *key;		/* of the next member, malloc'd */
	size_t		  keylen;
	enum json_stop	  stop;
};

/* Adds v (owned) where the parse is: as the root, an array's next item
 * or the pending key's member.  Returns 1, or 0 to stop the parse. */
static int
json_build_add(struct json_build *b, json_t *v, bool container)
{
	json_t	*parent;
	int	 rc;

	if (v == NULL) {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	if (b->depth == 0) {
		if (!container || b->root != NULL) {
			json_decref(v);
			b->stop = JSON_STOP_VALUE;
			return 0;
		}
		b->root = v;
	} else {
		parent = b->open[b->depth - 1];
		if (json_is_array(parent)) {
			rc = json_array_append_new(parent, v);
		} else if (json_object_getn(parent, b->key, b->keylen) !=
		    NULL) {
			json_decref(v);
			b->stop = JSON_STOP_DUPLICATE;
			return 0;
		} else {
			rc = json_object_setn_new_nocheck(parent, b->key,
			    b->keylen, v);
		}
		if (rc != 0) {
			b->stop = JSON_STOP_VALUE;
			return 0;
		}
	}
	if (container) {
		if (b->depth == b->cap) {
			b->cap = b->cap * 2 + 8;
			b->open = xrealloc(b->open, b->cap * sizeof(*b->open));
		}
		b->open[b->depth++] = v;
	}
	return 1;
}

static int
json_on_null(void *ctx)
{
	return json_build_add(ctx, json_null(), false);
}

static int
json_on_boolean(void *ctx, int v)
{
	return json_build_add(ctx, json_boolean(v), false);
}

/* A number as jansson reads it: an integer unless it has a fraction or an
 * exponent; out of range is an error, not a rounding. */
static int
json_on_number(void *ctx, const char *s, size_t n)
{
	struct json_build	*b = ctx;
	char			 text[JSON_NUMBER_MAX + 1], *end;
	long long		 i;
	double			 d;

	if (n > JSON_NUMBER_MAX) {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	memcpy(text, s, n);
	text[n] = '\0';
	errno = 0;
	if (strpbrk(text, ".eE") == NULL) {
		i = strtoll(text, &end, 10);
		if (errno == ERANGE || *end != '\0') {
			b->stop = JSON_STOP_VALUE;
			return 0;
		}
		return json_build_add(b, json_integer(i), false);
	}
	d = strtod(text, &end);
	if ((errno == ERANGE && isinf(d)) || *end != '\0') {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	return json_build_add(b, json_real(d), false);
}

static int
json_on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct json_build	*b = ctx;

	/* yajl has checked the UTF-8; jansson refuses NUL without a flag. */
	if (memchr(s, '\0', n) != NULL) {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	return json_build_add(b, json_stringn_nocheck((const char *)s, n),
	    false);
}

static int
json_on_key(void *ctx, const unsigned char *s, size_t n)
{
	struct json_build	*b = ctx;

	if (memchr(s, '\0', n) != NULL) {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	free(b->key);
	b->key = xmalloc(n + 1);
	memcpy(b->key, s, n);
	b->key[n] = '\0';
	b->keylen = n;
	return 1;
}

static int
json_on_start_map(void *ctx)
{
	return json_build_add(ctx, json_object(), true);
}

static int
json_on_start_array(void *ctx)
{
	return json_build_add(ctx, json_array(), true);
}

static int
json_on_end(void *ctx)
{
	struct json_build	*b = ctx;

	b->depth--;
	return 1;
}

static const yajl_callbacks json_callbacks = {
	.yajl_null = json_on_null,
	.yajl_boolean = json_on_boolean,
	.yajl_number = json_on_number,
	.yajl_string = json_on_string,
	.yajl_start_map = json_on_start_map,
	.yajl_map_key = json_on_key,
	.yajl_end_map = json_on_end,
	.yajl_start_array = json_on_start_array,
	.yajl_end_array = json_on_end,
};

/* Fills e for a body that is not acceptable JSON, naming where (line and
 * column of byte at) without echoing the body back. */
static void
json_parse_error(const char *p, size_t at, enum json_stop why,
    struct err *e)
{
	int	line = 1, column = 1;
	size_t	i;

	for (i = 0; i < at; i++) {
		if (p[i] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	if (why == JSON_STOP_DUPLICATE)
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The body repeats a key in one object (line %d, "
		    "column %d).", line, column);
	else
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The body is not valid JSON (line %d, column %d).",
		    line, column);
}

json_t *
http_json_read(const char *p, size_t n, struct err *e)
{
	struct json_build	b = { .stop = JSON_STOP_SYNTAX };
	yajl_handle		h;
	yajl_status		st;

	h = yajl_alloc(&json_callbacks, NULL, &b);
	if (h == NULL)
		xmalloc_fail(sizeof(b));
	st = yajl_parse(h, (const unsigned char *)p, n);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st == yajl_status_ok && b.root == NULL)
		st = yajl_status_error;	/* only white space */
	if (st != yajl_status_ok) {
		json_parse_error(p, yajl_get_bytes_consumed(h), b.stop, e);
		json_decref(b.root);
		b.root = NULL;
	}
	yajl_free(h);
	free(b.open);
	free(b.key);
	return b.root;
}

int
http_json_depth(const char *p, size_t n, int limit)
{
	int depth = 0, deepest = 0;
	bool in_string = false, escaped = false;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
			if (deepest > limit)
				return limit + 1;
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return deepest;
}

json_t *
http_json_long_list(json_t *v, size_t max, const char **key)
{
	const char *k;
	json_t *item, *found;
	size_t i;

	if (json_is_array(v)) {
		if (json_array_size(v) > max)
			return v;
		json_array_foreach(v, i, item) {
			found = http_json_long_list(item, max, key);
			if (found != NULL)
				return found;
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, item) {
			found = http_json_long_list(item, max, key);
			if (found == item)
				*key = k;
			if (found != NULL)
				return found;
		}
	}
	return NULL;
}

json_t *
http_req_json(struct http_req *req, struct err *e)
{
	const struct config *cfg = req->cfg;
	const char *key = "";

	if (req->json != NULL)
		return req->json;
	if (req->body.len == 0) {
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The request needs a JSON body.");
		return NULL;
	}
	if (http_json_depth(req->body.data, req->body.len,
	    cfg->json_depth_max) > cfg->json_depth_max) {
		err_set(e, ERR_INVALID, "json_too_deep", NULL,
		    "The body nests arrays and objects deeper than %d levels.",
		    cfg->json_depth_max);
		return NULL;
	}

	req->json = http_json_read(req->body.data, req->body.len, e);
	if (req->json == NULL)
		return NULL;

	if (http_json_long_list(req->json, cfg->json_array_max, &key)) {
		err_set(e, ERR_TOOLARGE, "list_too_long", key,
		    "A list in the body holds more than %zu items.",
		    cfg->json_array_max);
		json_decref(req->json);
		req->json = NULL;
		return NULL;
	}
	return req->json;
}
