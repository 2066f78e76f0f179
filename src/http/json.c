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
 *
 * The upload routes take the same text into an arena tree of their own
 * (http_req_tree, at the end), which costs no malloc per value; both
 * readers refuse the same bodies with the same answers.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "core/jval.h"
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
	JSON_STOP_DEEP,		/* nested past the limit (trees only) */
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

/* Reads the number token s[0, n) as jansson would: an integer (*real
 * false, *i) unless it has a fraction or an exponent (*real true, *d).
 * Out of range is -1, not a rounding. */
static int
json_number(const char *s, size_t n, bool *real, long long *i, double *d)
{
	char	text[JSON_NUMBER_MAX + 1], *end;
	size_t	k = s[0] == '-';

	/* Most are short integers: 18 digits cannot overflow. */
	if (n - k <= 18) {
		for (*i = 0; k < n && s[k] >= '0' && s[k] <= '9'; k++)
			*i = *i * 10 + (s[k] - '0');
		if (k == n) {
			*real = false;
			*i = s[0] == '-' ? -*i : *i;
			return 0;
		}
	}
	if (n > JSON_NUMBER_MAX)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	errno = 0;
	*real = strpbrk(text, ".eE") != NULL;
	if (!*real) {
		*i = strtoll(text, &end, 10);
		return errno == ERANGE || *end != '\0' ? -1 : 0;
	}
	*d = strtod(text, &end);
	return (errno == ERANGE && isinf(*d)) || *end != '\0' ? -1 : 0;
}

static int
json_on_number(void *ctx, const char *s, size_t n)
{
	struct json_build	*b = ctx;
	bool			 real;
	long long		 i;
	double			 d;

	if (json_number(s, n, &real, &i, &d) != 0) {
		b->stop = JSON_STOP_VALUE;
		return 0;
	}
	return json_build_add(b, real ? json_real(d) : json_integer(i),
	    false);
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

/*
 * The arena tree (core/jval.h) for the upload routes: the same reader,
 * the same refusals, in the same order, as http_req_json; only the tree
 * differs.  The depth is counted while parsing rather than scanned first;
 * when the parse fails the scan decides, so a body both too deep and
 * invalid is still "json_too_deep".
 */

/* Objects up to this many members are searched for a repeated key; past
 * it their keys go into a hash set, so a body cannot make it quadratic. */
#define JSON_KEYS_LINEAR	16

/* A member in the hash set of the keys of large objects. */
struct json_key_slot {
	const struct jval	*parent;
	const struct jval	*member;	/* NULL: free */
};

/* The tree being built. */
struct json_tree {
	struct arena		 *a;
	struct jval		**open;		/* malloc'd */
	size_t			  depth;
	size_t			  cap;
	int			  depth_max;
	size_t			  array_max;
	bool			  long_list;	/* some array passed it */
	struct jval		 *root;
	const char		 *text;		/* what is parsed, n bytes */
	size_t			  n;
	const char		 *key;		/* of the next member */
	size_t			  keylen;
	struct json_key_slot	 *keys;		/* malloc'd, nkeys_cap */
	size_t			  nkeys;
	size_t			  nkeys_cap;
	enum json_stop		  stop;
};

/* FNV-1a of a member's key, mixed with its object's address. */
static size_t
json_key_hash(const struct jval *parent, const char *k, size_t n)
{
	uint64_t	h = 14695981039346656037ULL ^ (uintptr_t)parent;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

/* Puts member m of parent in the set, or returns false when its key is
 * there already. */
static bool
json_keys_add(struct json_tree *t, const struct jval *parent,
    const struct jval *m)
{
	struct json_key_slot	*sl;
	size_t			 i;

	i = json_key_hash(parent, m->key, m->keylen) & (t->nkeys_cap - 1);
	for (;; i = (i + 1) & (t->nkeys_cap - 1)) {
		sl = &t->keys[i];
		if (sl->member == NULL)
			break;
		if (sl->parent == parent && sl->member->keylen == m->keylen &&
		    memcmp(sl->member->key, m->key, m->keylen) == 0)
			return false;
	}
	sl->parent = parent;
	sl->member = m;
	t->nkeys++;
	return true;
}

/* Doubles the set (or makes it) and puts back what it held. */
static void
json_keys_grow(struct json_tree *t)
{
	struct json_key_slot	*old = t->keys;
	size_t			 n = t->nkeys_cap, i;

	t->nkeys_cap = n == 0 ? 256 : n * 2;
	t->keys = xcalloc(t->nkeys_cap, sizeof(*t->keys));
	t->nkeys = 0;
	for (i = 0; i < n; i++)
		if (old[i].member != NULL)
			json_keys_add(t, old[i].parent, old[i].member);
	free(old);
}

/* Whether member m may join object o: false when o has its key. */
static bool
json_tree_key_new(struct json_tree *t, const struct jval *o,
    const struct jval *m)
{
	const struct jval	*x;

	if (o->list.n < JSON_KEYS_LINEAR) {
		for (x = o->list.first; x != NULL; x = x->next)
			if (x->keylen == m->keylen &&
			    memcmp(x->key, m->key, m->keylen) == 0)
				return false;
		return true;
	}
	while ((t->nkeys + (o->list.n == JSON_KEYS_LINEAR ?
	    JSON_KEYS_LINEAR + 1 : 1)) * 2 > t->nkeys_cap)
		json_keys_grow(t);
	if (o->list.n == JSON_KEYS_LINEAR)
		for (x = o->list.first; x != NULL; x = x->next)
			json_keys_add(t, o, x);
	return json_keys_add(t, o, m);
}

/* A new node of type ty where the parse is.  NULL stops the parse. */
static struct jval *
json_tree_add(struct json_tree *t, enum jval_type ty)
{
	struct jval	*v, *parent;
	bool		 container = ty == JVAL_OBJECT || ty == JVAL_ARRAY;

	if (container && t->depth >= (size_t)t->depth_max) {
		t->stop = JSON_STOP_DEEP;
		return NULL;
	}
	v = arena_alloc(t->a, sizeof(*v));
	v->type = ty;
	if (t->depth == 0) {
		if (!container || t->root != NULL) {
			t->stop = JSON_STOP_VALUE;
			return NULL;
		}
		t->root = v;
	} else {
		parent = t->open[t->depth - 1];
		if (parent->type == JVAL_OBJECT) {
			v->key = t->key;
			v->keylen = t->keylen;
			if (!json_tree_key_new(t, parent, v)) {
				t->stop = JSON_STOP_DUPLICATE;
				return NULL;
			}
		}
		jval_add(parent, v, t->key, t->keylen);
		if (parent->type == JVAL_ARRAY &&
		    parent->list.n > t->array_max)
			t->long_list = true;
	}
	if (container) {
		if (t->depth == t->cap) {
			t->cap = t->cap * 2 + 8;
			t->open = xrealloc(t->open, t->cap * sizeof(*t->open));
		}
		t->open[t->depth++] = v;
	}
	return v;
}

/* Whether p[0, n) lies in the text being parsed. */
static bool
json_tree_in_text(const struct json_tree *t, const char *p, size_t n)
{
	uintptr_t	at = (uintptr_t)p, start = (uintptr_t)t->text;

	return at >= start && at - start <= t->n && n <= t->n - (at - start);
}

static int
json_tree_null(void *ctx)
{
	return json_tree_add(ctx, JVAL_NULL) != NULL;
}

static int
json_tree_boolean(void *ctx, int b)
{
	return json_tree_add(ctx, b ? JVAL_TRUE : JVAL_FALSE) != NULL;
}

static int
json_tree_number(void *ctx, const char *s, size_t n)
{
	struct json_tree	*t = ctx;
	struct jval		*v;
	bool			 real;
	long long		 i;
	double			 d;

	if (json_number(s, n, &real, &i, &d) != 0) {
		t->stop = JSON_STOP_VALUE;
		return 0;
	}
	if ((v = json_tree_add(t, real ? JVAL_REAL : JVAL_INT)) == NULL)
		return 0;
	if (real)
		v->d = d;
	else
		v->i = i;
	return 1;
}

static int
json_tree_string(void *ctx, const unsigned char *s, size_t n)
{
	struct json_tree	*t = ctx;
	struct jval		*v;
	char			*str;

	if (memchr(s, '\0', n) != NULL) {
		t->stop = JSON_STOP_VALUE;
		return 0;
	}
	if ((v = json_tree_add(t, JVAL_STRING)) == NULL)
		return 0;
	str = arena_alloc(t->a, n + 1);
	memcpy(str, s, n);
	v->str.s = str;
	v->str.len = n;
	/* yajl hands a string without escapes straight from the text. */
	if (json_tree_in_text(t, (const char *)s - 1, n + 2) &&
	    s[-1] == '"' && s[n] == '"')
		v->str.sent = (const char *)s - 1;
	return 1;
}

static int
json_tree_key(void *ctx, const unsigned char *s, size_t n)
{
	struct json_tree	*t = ctx;

	if (memchr(s, '\0', n) != NULL) {
		t->stop = JSON_STOP_VALUE;
		return 0;
	}
	/* yajl hands a key without escapes straight from the text, which
	 * outlives the tree: no copy then. */
	if (json_tree_in_text(t, (const char *)s, n))
		t->key = (const char *)s;
	else
		t->key = arena_strndup(t->a, (const char *)s, n);
	t->keylen = n;
	return 1;
}

static int
json_tree_start_map(void *ctx)
{
	return json_tree_add(ctx, JVAL_OBJECT) != NULL;
}

static int
json_tree_start_array(void *ctx)
{
	return json_tree_add(ctx, JVAL_ARRAY) != NULL;
}

static int
json_tree_end(void *ctx)
{
	struct json_tree	*t = ctx;

	t->depth--;
	return 1;
}

static const yajl_callbacks json_tree_callbacks = {
	.yajl_null = json_tree_null,
	.yajl_boolean = json_tree_boolean,
	.yajl_number = json_tree_number,
	.yajl_string = json_tree_string,
	.yajl_start_map = json_tree_start_map,
	.yajl_map_key = json_tree_key,
	.yajl_end_map = json_tree_end,
	.yajl_start_array = json_tree_start_array,
	.yajl_end_array = json_tree_end,
};

/* The first list past max in v, as http_json_long_list finds it; *key
 * gets its member's key when it is one. */
static const struct jval *
json_tree_long_list(const struct jval *v, size_t max,
    const struct jval **key)
{
	const struct jval	*x, *found;

	if (v->type != JVAL_ARRAY && v->type != JVAL_OBJECT)
		return NULL;
	if (v->type == JVAL_ARRAY && v->list.n > max)
		return v;
	for (x = v->list.first; x != NULL; x = x->next) {
		found = json_tree_long_list(x, max, key);
		if (found == x && v->type == JVAL_OBJECT)
			*key = x;
		if (found != NULL)
			return found;
	}
	return NULL;
}

/* Fills e for a body that failed to parse as t left it. */
static void
json_tree_error(const char *p, size_t n, const struct json_tree *t,
    size_t at, struct err *e)
{
	if (t->stop == JSON_STOP_DEEP ||
	    http_json_depth(p, n, t->depth_max) > t->depth_max)
		err_set(e, ERR_INVALID, "json_too_deep", NULL,
		    "The body nests arrays and objects deeper than %d levels.",
		    t->depth_max);
	else
		json_parse_error(p, at, t->stop, e);
}

struct jval *
http_json_tree(const char *p, size_t n, int depth_max, size_t array_max,
    struct arena *a, struct err *e)
{
	struct json_tree	 t = {
		.a = a, .depth_max = depth_max, .array_max = array_max,
		.text = p, .n = n, .stop = JSON_STOP_SYNTAX,
	};
	const struct jval	*key = NULL;
	yajl_handle		 h;
	yajl_status		 st;

	h = yajl_alloc(&json_tree_callbacks, NULL, &t);
	if (h == NULL)
		xmalloc_fail(sizeof(t));
	st = yajl_parse(h, (const unsigned char *)p, n);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st == yajl_status_ok && t.root == NULL)
		st = yajl_status_error;	/* only white space */
	if (st != yajl_status_ok) {
		json_tree_error(p, n, &t, yajl_get_bytes_consumed(h), e);
		t.root = NULL;
	} else if (t.long_list &&
	    json_tree_long_list(t.root, array_max, &key) != NULL) {
		err_set(e, ERR_TOOLARGE, "list_too_long", key != NULL ?
		    arena_strndup(a, key->key, key->keylen) : "",
		    "A list in the body holds more than %zu items.",
		    array_max);
		t.root = NULL;
	}
	yajl_free(h);
	free(t.open);
	free(t.keys);
	return t.root;
}

const struct jval *
http_req_tree(struct http_req *req, struct err *e)
{
	const struct config *cfg = req->cfg;

	if (req->body.len == 0) {
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The request needs a JSON body.");
		return NULL;
	}
	return http_json_tree(req->body.data, req->body.len,
	    cfg->json_depth_max, cfg->json_array_max, req->arena, e);
}
