/*
 * jsonw.c - the streaming JSON writer: separators, escaping, numbers.
 *
 * Keeps only a small stack of "object or array, first member or not";
 * the text itself goes straight into the caller's buffer.  Never
 * allocates beyond what the buffer does.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/jsonw.h"

/* Keys up to this long are written with a single append. */
#define JSONW_KEY_FAST	60

void
jsonw_init(struct jsonw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->first[0] = true;
}

bool
jsonw_failed(const struct jsonw *w)
{
	return w->failed;
}

bool
jsonw_done(const struct jsonw *w)
{
	return w->depth == 0 && !w->first[0];
}

/* Appends n bytes, or marks the writer failed.  When the storage has
 * room already the bytes are copied here, keeping buf's invariants (len
 * within max, a NUL past len): a list answer makes thousands of tiny
 * appends, and the call into buf_append cost more than the copying. */
static void
jsonw_put(struct jsonw *w, const char *s, size_t n)
{
	struct buf	*b = w->b;

	if (w->failed)
		return;
	if (b->data != NULL && n < b->cap - b->len &&
	    n <= b->max - b->len) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else if (buf_append(b, s, n) != 0)
		w->failed = true;
}

static void
jsonw_puts(struct jsonw *w, const char *s)
{
	jsonw_put(w, s, strlen(s));
}

/* Writes what must come before a value: a comma between array members,
 * nothing after a key.  Asserts that a value is allowed here. */
static void
jsonw_before_value(struct jsonw *w)
{
	if (w->depth > 0 && w->object[w->depth]) {
		assert(w->value_due);
		w->value_due = false;
		return;
	}
	assert(w->depth > 0 || w->first[0]);
	if (!w->first[w->depth])
		jsonw_put(w, ",", 1);
	w->first[w->depth] = false;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
jsonw_utf8_len(const unsigned char *s, size_t n)
{
	size_t		len, i;
	uint32_t	cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Writes the escape for one ASCII byte that JSON does not allow bare. */
static void
jsonw_escape(struct jsonw *w, unsigned char c)
{
	char	esc[8];

	switch (c) {
	case '"':	jsonw_put(w, "\\\"", 2); return;
	case '\\':	jsonw_put(w, "\\\\", 2); return;
	case '\n':	jsonw_put(w, "\\n", 2); return;
	case '\r':	jsonw_put(w, "\\r", 2); return;
	case '\t':	jsonw_put(w, "\\t", 2); return;
	default:
		break;
	}
	snprintf(esc, sizeof(esc), "\\u%04x", c);
	jsonw_put(w, esc, 6);
}

/* Length of the run at s (n bytes) that goes out as is: printable ASCII
 * other than the quote and the backslash, and valid UTF-8 sequences. */
static size_t
jsonw_plain_run(const unsigned char *s, size_t n)
{
	size_t	i = 0, len;

	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\')
			i++;
		else if (s[i] >= 0x80 &&
		    (len = jsonw_utf8_len(s + i, n - i)) > 0)
			i += len;
		else
			break;
	}
	return i;
}

/* Writes s[0, n) as a quoted JSON string. */
static void
jsonw_quote(struct jsonw *w, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run;

	jsonw_put(w, "\"", 1);
	while (i < n && !w->failed) {
		run = jsonw_plain_run(p + i, n - i);
		jsonw_put(w, s + i, run);
		if ((i += run) >= n)
			break;
		if (p[i] < 0x80)
			jsonw_escape(w, p[i]);
		else
			jsonw_put(w, "\\ufffd", 6);
		i++;
	}
	jsonw_put(w, "\"", 1);
}

/* Opens an object or an array. */
static void
jsonw_open(struct jsonw *w, bool object)
{
	jsonw_before_value(w);
	assert(w->depth < JSONW_DEPTH_MAX);
	w->depth++;
	w->first[w->depth] = true;
	w->object[w->depth] = object;
	w->value_due = false;
	jsonw_put(w, object ? "{" : "[", 1);
}

/* Closes the innermost object or array, which must be of this kind. */
static void
jsonw_close(struct jsonw *w, bool object)
{
	assert(w->depth > 0 && w->object[w->depth] == object);
	assert(!w->value_due);
	jsonw_put(w, object ? "}" : "]", 1);
	w->depth--;
}

void
jsonw_object_begin(struct jsonw *w)
{
	jsonw_open(w, true);
}

void
jsonw_object_end(struct jsonw *w)
{
	jsonw_close(w, true);
}

void
jsonw_array_begin(struct jsonw *w)
{
	jsonw_open(w, false);
}

void
jsonw_array_end(struct jsonw *w)
{
	jsonw_close(w, false);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	char	tmp[JSONW_KEY_FAST + 4];
	size_t	n = strlen(key), k = 0;

	assert(w->depth > 0 && w->object[w->depth] && !w->value_due);
	if (!w->first[w->depth])
		tmp[k++] = ',';
	w->first[w->depth] = false;
	w->value_due = true;

	/* Keys are nearly always short plain names: one append for the
	 * separator, the quoted key and the colon. */
	if (n <= JSONW_KEY_FAST &&
	    jsonw_plain_run((const unsigned char *)key, n) == n) {
		tmp[k++] = '"';
		memcpy(tmp + k, key, n);
		k += n;
		tmp[k++] = '"';
		tmp[k++] = ':';
		jsonw_put(w, tmp, k);
		return;
	}
	jsonw_put(w, tmp, k);
	jsonw_quote(w, key, n);
	jsonw_put(w, ":", 1);
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	jsonw_stringn(w, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

void
jsonw_stringn(struct jsonw *w, const char *s, size_t n)
{
	jsonw_before_value(w);
	jsonw_quote(w, s, n);
}

/* Writes v in decimal, between quote and quote when quote is not NUL. */
static void
jsonw_decimal_int(struct jsonw *w, int64_t v, char quote)
{
	char		s[24], *p = s + sizeof(s);
	uint64_t	mag;

	/* The magnitude as unsigned, so INT64_MIN does not overflow. */
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (quote != '\0')
		*--p = quote;
	do {
		*--p = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag > 0);
	if (v < 0)
		*--p = '-';
	if (quote != '\0')
		*--p = quote;
	jsonw_before_value(w);
	jsonw_put(w, p, (size_t)(s + sizeof(s) - p));
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	jsonw_decimal_int(w, v, '\0');
}

void
jsonw_id(struct jsonw *w, int64_t v)
{
	jsonw_decimal_int(w, v, '"');
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	jsonw_before_value(w);
	jsonw_puts(w, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_before_value(w);
	jsonw_put(w, "null", 4);
}

void
jsonw_decimal(struct jsonw *w, int64_t v, int scale)
{
	char		s[48];
	uint64_t	mag, unit = 1;
	int		i, n;

	assert(scale >= 0 && scale <= 18);
	for (i = 0; i < scale; i++)
		unit *= 10;
	/* The magnitude as unsigned, so INT64_MIN does not overflow. */
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	jsonw_before_value(w);
	if (scale == 0)
		n = snprintf(s, sizeof(s), "%s%" PRIu64, v < 0 ? "-" : "",
		    mag);
	else
		n = snprintf(s, sizeof(s), "%s%" PRIu64 ".%0*" PRIu64,
		    v < 0 ? "-" : "", mag / unit, scale, mag % unit);
	jsonw_put(w, s, (size_t)n);
}

void
jsonw_time(struct jsonw *w, int64_t ms)
{
	char	t[32];

	if (ms == 0) {
		jsonw_null(w);
		return;
	}
	clock_format_rfc3339(ms, t);
	jsonw_string(w, t);
}

void
jsonw_raw(struct jsonw *w, const char *json, size_t n)
{
	jsonw_before_value(w);
	jsonw_put(w, json, n);
}

void
jsonw_kstring(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void
jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
jsonw_kid(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_id(w, v);
}

void
jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void
jsonw_ktime(struct jsonw *w, const char *key, int64_t ms)
{
	jsonw_key(w, key);
	jsonw_time(w, ms);
}
