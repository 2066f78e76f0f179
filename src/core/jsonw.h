/*
 * jsonw.h - a streaming JSON writer into a capped buffer, with no tree.
 *
 * For the feed and other large lists: values are appended to a struct buf
 * as they are produced, so memory follows the output and the buffer's cap
 * bounds it.  The writer places commas and colons itself; the caller only
 * opens, fills and closes.  Strings are escaped for JSON, and a byte that
 * is not part of valid UTF-8 is written as U+FFFD, so the output is always
 * valid JSON text.
 *
 * Errors are sticky: once an append passes the buffer's cap, every later
 * call does nothing and jsonw_failed() says so; check once at the end.
 * Misuse (a value where a key is due, closing what is not open, nesting
 * past JSONW_DEPTH_MAX) is a programming error and asserts.  A writer
 * belongs to one thread; it owns nothing and needs no release.
 */
#ifndef TOBMEN_CORE_JSONW_H
#define TOBMEN_CORE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define JSONW_DEPTH_MAX	32

struct jsonw {
	struct buf	*b;		/* borrowed; output is appended */
	int		 depth;
	bool		 failed;
	bool		 value_due;	/* a key was written, its value not */
	bool		 first[JSONW_DEPTH_MAX + 1]; /* no member yet */
	bool		 object[JSONW_DEPTH_MAX + 1];
};

/* Starts writing one JSON value at the end of b. */
void	jsonw_init(struct jsonw *w, struct buf *b);
/* True if an append passed the cap; the buffer then holds a cut text. */
bool	jsonw_failed(const struct jsonw *w);
/* True once the top-level value is complete. */
bool	jsonw_done(const struct jsonw *w);

void	jsonw_object_begin(struct jsonw *w);
void	jsonw_object_end(struct jsonw *w);
void	jsonw_array_begin(struct jsonw *w);
void	jsonw_array_end(struct jsonw *w);

/* The name of the next member; only inside an object. */
void	jsonw_key(struct jsonw *w, const char *key);
/* jsonw_key for a name that needs no escaping (printable ASCII other
 * than '"' and '\\', as every literal name of this service is), given
 * framed as it goes out after an earlier member: `,"name":`, n bytes.
 * It skips the measuring, the check and the framing, which a writer of
 * many rows pays for on every member; a debug build asserts the promise.
 * JSONW_KEY(w, "name") frames a literal name. */
void	jsonw_key_framed(struct jsonw *w, const char *framed, size_t n);
#define JSONW_KEY(w, lit) \
	jsonw_key_framed((w), ",\"" lit "\":", sizeof(lit) + 3)

void	jsonw_string(struct jsonw *w, const char *s);
/* n bytes of s, which may hold NUL bytes (written as \u0000). */
void	jsonw_stringn(struct jsonw *w, const char *s, size_t n);
void	jsonw_int(struct jsonw *w, int64_t v);
/* v as a decimal string ("123"), the API's form of ids. */
void	jsonw_id(struct jsonw *w, int64_t v);
void	jsonw_bool(struct jsonw *w, bool v);
void	jsonw_null(struct jsonw *w);
/* v / 10^scale written exactly as a JSON number (scale 0 to 18), for
 * values kept as scaled integers: 55755123 at scale 6 is 55.755123. */
void	jsonw_decimal(struct jsonw *w, int64_t v, int scale);
/* Unix ms as an RFC 3339 UTC string, or null for 0. */
void	jsonw_time(struct jsonw *w, int64_t ms);
/* A complete JSON value that the caller vouches for (text this service
 * produced earlier, such as a stored canonical document), copied as is. */
void	jsonw_raw(struct jsonw *w, const char *json, size_t n);

/* Shorthands for a key followed by its value. */
void	jsonw_kstring(struct jsonw *w, const char *key, const char *s);
void	jsonw_kint(struct jsonw *w, const char *key, int64_t v);
void	jsonw_kid(struct jsonw *w, const char *key, int64_t v);
void	jsonw_kbool(struct jsonw *w, const char *key, bool v);
void	jsonw_ktime(struct jsonw *w, const char *key, int64_t ms);

#endif
