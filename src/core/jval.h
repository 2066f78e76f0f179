/*
 * jval.h - a read-only JSON tree kept in an arena, for the upload path.
 *
 * jansson's tree costs a malloc per value and a hashtable per object;
 * uploads read each member of each document once, so a tree of plain
 * nodes carved from the request's arena, freed with it, serves them
 * better.  Objects keep their members in the order sent (no two share a
 * key: the reader refuses that) and lookups walk them.  Strings are
 * NUL-terminated copies that may still hold a NUL inside (len says).
 * The tree owns nothing outside its arena; it is not thread safe to
 * build, and safe to read from any thread once built.
 */
#ifndef TOBMEN_CORE_JVAL_H
#define TOBMEN_CORE_JVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"

enum jval_type {
	JVAL_NULL,
	JVAL_FALSE,
	JVAL_TRUE,
	JVAL_INT,	/* no fraction, no exponent */
	JVAL_REAL,
	JVAL_STRING,
	JVAL_OBJECT,
	JVAL_ARRAY,
};

struct jval {
	enum jval_type	 type;
	const char	*key;		/* as an object's member, else NULL; */
	size_t		 keylen;	/* keylen bytes, maybe no NUL after */
	struct jval	*next;		/* the next item or member */
	union {
		int64_t		 i;
		double		 d;
		struct {
			const char	*s;	/* NUL-terminated copy */
			size_t		 len;
			/* Or NULL: the text sent, quotes included
			 * (len + 2 bytes), when it had no escapes. */
			const char	*sent;
		} str;
		struct {
			struct jval	*first, *last;
			size_t		 n;
		} list;			/* items or members, in order */
	};
};

/* Member key of object o, or NULL when o is not an object or has none. */
const struct jval *jval_get(const struct jval *o, const char *key);

/* The string of v, or NULL when v is not a string. */
const char	*jval_string(const struct jval *v);

/* Appends v to container c; key (keylen bytes, in a or living as long)
 * names it when c is an object. */
void	jval_add(struct jval *c, struct jval *v, const char *key,
	    size_t keylen);

/* A copy of jansson's tree v in a (NULL for NULL), for callers that hold
 * one (the command line's uploads). */
struct jval	*jval_from_json(json_t *v, struct arena *a);

static inline bool
jval_is(const struct jval *v, enum jval_type t)
{
	return v != NULL && v->type == t;
}

#endif
