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

/* Keys up to this long are written in one append. */
#define JSONW_KEY_SHORT	60
/* 0x01 in every byte of a word, for testing eight bytes at once. */
#define JSONW_ONES	UINT64_C(0x0101010101010101)

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

/* Appends n bytes, or marks the writer failed. */
static void
jsonw_put(struct jsonw *w, const char *s, size_t n)
{
	if (!w->failed && buf_append(w->b, s, n) != 0)
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

/* True for an ASCII byte that JSON takes bare inside a string. */
static inline bool
jsonw_ascii_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Bytes of v that are zero get their high bit set; the others do not,
 * unless a lower byte was zero (so the test "any" is exact). */
static inline uint64_t
jsonw_zero_bytes(uint64_t v)
{
	return (v - JSONW_ONES) & ~v & (JSONW_ONES << 7);
}

/* True if all eight bytes of x are jsonw_ascii_plain: none with the
 * high bit, none below 0x20, none 0x7f, '"' or '\\'. */
static inline bool
jsonw_word_plain(uint64_t x)
{
	uint64_t	bad;

	bad = x & (JSONW_ONES << 7);
	bad |= (x - JSONW_ONES * 0x20) & ~x & (JSONW_ONES << 7);
	bad |= jsonw_zero_bytes(x ^ (JSONW_ONES * 0x7f));
	bad |= jsonw_zero_bytes(x ^ (JSONW_ONES * '"'));
	bad |= jsonw_zero_bytes(x ^ (JSONW_ONES * '\\'));
	return bad == 0;
}

/* Length of the run at s[0, n) that goes out unchanged: printable ASCII
 * other than '"' and '\\', and whole valid UTF-8 sequences.  Taking
 * multibyte text into the run keeps text in Cyrillic to one append. */
static size_t
jsonw_plain_len(const unsigned char *s, size_t n)
{
	uint64_t	word;
	size_t		i = 0, len;

	for (;;) {
		/* Eight bytes at a time while they are plain ASCII. */
		while (n - i >= 8) {
			memcpy(&word, s + i, 8);
			if (!jsonw_word_plain(word))
				break;
			i += 8;
		}
		while (i < n && jsonw_ascii_plain(s[i]))
			i++;
		if (i >= n || s[i] < 0x80)
			break;
		/* Two-byte sequences (Cyrillic) checked here, the rest by
		 * jsonw_utf8_len. */
		if (s[i] >= 0xc2 && s[i] < 0xe0 && i + 1 < n &&
		    (s[i + 1] & 0xc0) == 0x80)
			len = 2;
		else if ((len = jsonw_utf8_len(s + i, n - i)) == 0)
			break;
		i += len;
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
		if ((run = jsonw_plain_len(p + i, n - i)) > 0)
			jsonw_put(w, s + i, run);
		if ((i += run) >= n)
			break;
		/* The byte that stopped the run is ASCII to escape or a
		 * byte that starts no valid UTF-8 sequence. */
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
	char	t[JSONW_KEY_SHORT + 4], *p = t;
	size_t	n = strlen(key);

	assert(w->depth > 0 && w->object[w->depth] && !w->value_due);
	/* Keys are nearly always short names needing no escapes: those
	 * go out, comma and colon included, in one append. */
	if (n <= JSONW_KEY_SHORT &&
	    jsonw_plain_len((const unsigned char *)key, n) == n) {
		if (!w->first[w->depth])
			*p++ = ',';
		*p++ = '"';
		memcpy(p, key, n);
		p += n;
		*p++ = '"';
		*p++ = ':';
		jsonw_put(w, t, (size_t)(p - t));
	} else {
		if (!w->first[w->depth])
			jsonw_put(w, ",", 1);
		jsonw_quote(w, key, n);
		jsonw_put(w, ":", 1);
	}
	w->first[w->depth] = false;
	w->value_due = true;
}

void
jsonw_key_framed(struct jsonw *w, const char *framed, size_t n)
{
	bool	first = w->first[w->depth];

	assert(w->depth > 0 && w->object[w->depth] && !w->value_due);
	assert(n >= 4 && framed[0] == ',' && framed[1] == '"' &&
	    framed[n - 2] == '"' && framed[n - 1] == ':');
	assert(jsonw_plain_len((const unsigned char *)framed + 2, n - 4) ==
	    n - 4);
	/* The first member goes out without the comma. */
	jsonw_put(w, framed + first, n - first);
	w->first[w->depth] = false;
	w->value_due = true;
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

/* Writes v in decimal so that it ends just before end; returns where it
 * starts.  The feed writes several numbers a document, and snprintf's
 * format parsing cost more than the digits. */
static char *
jsonw_digits(char *end, int64_t v)
{
	uint64_t	mag;

	/* The magnitude as unsigned, so INT64_MIN does not overflow. */
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--end = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag > 0);
	if (v < 0)
		*--end = '-';
	return end;
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	char	s[24], *p;

	jsonw_before_value(w);
	p = jsonw_digits(s + sizeof(s), v);
	jsonw_put(w, p, (size_t)(s + sizeof(s) - p));
}

void
jsonw_id(struct jsonw *w, int64_t v)
{
	char	s[24], *p;

	jsonw_before_value(w);
	s[sizeof(s) - 1] = '"';
	p = jsonw_digits(s + sizeof(s) - 1, v);
	*--p = '"';
	jsonw_put(w, p, (size_t)(s + sizeof(s) - p));
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
