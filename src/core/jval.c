/*
 * jval.c - lookups in the arena JSON tree and its copy of a jansson
 * tree.  Building it from text is http/json.c's.
 */
#include <string.h>

#include "core/jval.h"

const struct jval *
jval_get(const struct jval *o, const char *key)
{
	const struct jval	*m;
	size_t			 n;

	if (!jval_is(o, JVAL_OBJECT))
		return NULL;
	n = strlen(key);
	for (m = o->list.first; m != NULL; m = m->next)
		if (m->keylen == n && memcmp(m->key, key, n) == 0)
			return m;
	return NULL;
}

const char *
jval_string(const struct jval *v)
{
	return jval_is(v, JVAL_STRING) ? v->str.s : NULL;
}

void
jval_add(struct jval *c, struct jval *v, const char *key, size_t keylen)
{
	if (c->type == JVAL_OBJECT) {
		v->key = key;
		v->keylen = keylen;
	}
	if (c->list.last != NULL)
		c->list.last->next = v;
	else
		c->list.first = v;
	c->list.last = v;
	c->list.n++;
}

/* The scalar v (not a container) as a node. */
static void
jval_scalar(json_t *v, struct jval *out, struct arena *a)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		out->type = JVAL_STRING;
		out->str.len = json_string_length(v);
		out->str.s = arena_alloc(a, out->str.len + 1);
		memcpy((char *)out->str.s, json_string_value(v),
		    out->str.len);
		break;
	case JSON_INTEGER:
		out->type = JVAL_INT;
		out->i = json_integer_value(v);
		break;
	case JSON_REAL:
		out->type = JVAL_REAL;
		out->d = json_real_value(v);
		break;
	case JSON_TRUE:
		out->type = JVAL_TRUE;
		break;
	case JSON_FALSE:
		out->type = JVAL_FALSE;
		break;
	default:
		out->type = JVAL_NULL;
		break;
	}
}

struct jval *
jval_from_json(json_t *v, struct arena *a)
{
	struct jval	*out;
	const char	*k;
	json_t		*item;
	size_t		 i;

	if (v == NULL)
		return NULL;
	out = arena_alloc(a, sizeof(*out));
	if (json_is_array(v)) {
		out->type = JVAL_ARRAY;
		json_array_foreach(v, i, item)
			jval_add(out, jval_from_json(item, a), NULL, 0);
	} else if (json_is_object(v)) {
		out->type = JVAL_OBJECT;
		json_object_foreach(v, k, item)
			jval_add(out, jval_from_json(item, a),
			    arena_strdup(a, k), strlen(k));
	} else {
		jval_scalar(v, out, a);
	}
	return out;
}
