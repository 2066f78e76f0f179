/*
 * url.c - percent-decoding of path segments and query values.
 *
 * libmicrohttpd is told not to decode anything (server.c), so that a
 * "%2F" can never turn into a path separator before routing; this file is
 * the one place where decoding happens.
 */
#include "core/arena.h"
#include "http/internal.h"

static int
url_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
http_url_decode(struct arena *a, const char *s, size_t n, bool plus)
{
	char *out, *o;
	int hi, lo;

	out = o = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+' && plus) {
			*o++ = ' ';
			continue;
		}
		if (s[i] != '%') {
			if (s[i] == '\0')
				return NULL;
			*o++ = s[i];
			continue;
		}
		if (n - i < 3)
			return NULL;
		hi = url_hex(s[i + 1]);
		lo = url_hex(s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return NULL;
		*o++ = (char)(hi << 4 | lo);
		i += 2;
	}
	*o = '\0';
	return out;
}
