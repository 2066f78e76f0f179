/*
 * cookie.c - reading the Cookie header and writing Set-Cookie values.
 *
 * Parsing is lenient about spacing and strict about nothing else: a
 * malformed pair is skipped, never an error.  Writing refuses bytes that
 * would let a value end the attribute list early.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/internal.h"

static bool
cookie_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Returns one pair's value if its name is name, or NULL. */
static char *
cookie_pair(struct arena *a, const char *p, size_t n, const char *name)
{
	const char *eq, *v, *end = p + n;
	size_t nlen = strlen(name);

	eq = memchr(p, '=', n);
	if (eq == NULL)
		return NULL;
	while (eq > p && cookie_is_space(eq[-1]))
		eq--;
	if ((size_t)(eq - p) != nlen || memcmp(p, name, nlen) != 0)
		return NULL;

	v = (const char *)memchr(p, '=', n) + 1;
	while (v < end && cookie_is_space(*v))
		v++;
	while (end > v && cookie_is_space(end[-1]))
		end--;
	if (end - v >= 2 && v[0] == '"' && end[-1] == '"') {
		v++;
		end--;
	}
	return arena_strndup(a, v, (size_t)(end - v));
}

char *
http_cookie_find(struct arena *a, const char *header, const char *name)
{
	const char *p, *semi;
	char *value;
	size_t n;

	if (header == NULL || name == NULL || name[0] == '\0')
		return NULL;
	for (p = header; *p != '\0'; p = *semi ? semi + 1 : semi) {
		while (cookie_is_space(*p))
			p++;
		semi = strchr(p, ';');
		if (semi == NULL)
			semi = p + strlen(p);
		n = (size_t)(semi - p);
		value = cookie_pair(a, p, n, name);
		if (value != NULL)
			return value;
	}
	return NULL;
}

/* RFC 6265 cookie-name: an RFC 7230 token. */
static bool
cookie_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return false;
	}
	return true;
}

/* RFC 6265 cookie-octet: no controls, space, quote, comma, ';', '\'. */
static bool
cookie_value_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == ';' || c == '\\')
			return false;
	}
	return true;
}

char *
http_cookie_format(struct arena *a, const char *name, const char *value,
    int64_t max_age, unsigned flags)
{
	char age[40] = "";

	if (!cookie_name_ok(name) || !cookie_value_ok(value))
		return NULL;
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%" PRId64, max_age);
	return arena_printf(a, "%s=%s; Path=/%s; SameSite=Lax%s%s", name, value,
	    age, (flags & HTTP_COOKIE_HTTPONLY) ? "; HttpOnly" : "",
	    (flags & HTTP_COOKIE_SECURE) ? "; Secure" : "");
}
