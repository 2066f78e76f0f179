/*
 * err.c - filling a struct err and mapping its code to an HTTP status.
 *
 * This is the only place that knows which status each error code means;
 * http/ asks here instead of keeping its own table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Copies src into dst of size n, truncating, always NUL-terminated. */
static void
err_copy(char *dst, size_t n, const char *src)
{
	size_t	len;

	if (src == NULL)
		src = "";
	len = strnlen(src, n - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void
err_set(struct err *e, enum err_code code, const char *id,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return;

	e->code = code;
	err_copy(e->id, sizeof(e->id), id);
	err_copy(e->field, sizeof(e->field), field);

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char	head[sizeof(e->msg)];
	size_t	hlen, mlen;
	va_list	ap;

	if (e == NULL)
		return;

	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);

	hlen = strlen(head);
	mlen = strlen(e->msg);
	if (hlen + mlen >= sizeof(e->msg))
		mlen = sizeof(e->msg) - 1 - hlen;
	memmove(e->msg + hlen, e->msg, mlen);
	memcpy(e->msg, head, hlen);
	e->msg[hlen + mlen] = '\0';
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = ERR_NONE;
	e->id[0] = '\0';
	e->field[0] = '\0';
	e->msg[0] = '\0';
}

int
err_http_status(enum err_code code)
{
	switch (code) {
	case ERR_NONE:
		return 200;
	case ERR_INVALID:
		return 400;
	case ERR_UNAUTHORIZED:
		return 401;
	case ERR_FORBIDDEN:
		return 403;
	case ERR_NOTFOUND:
		return 404;
	case ERR_METHOD:
		return 405;
	case ERR_CONFLICT:
		return 409;
	case ERR_GONE:
		return 410;
	case ERR_TOOLARGE:
		return 413;
	case ERR_UNSUPPORTED:
		return 415;
	case ERR_THROTTLED:
		return 429;
	case ERR_INTERNAL:
		return 500;
	case ERR_UNAVAILABLE:
		return 503;
	}
	/* A value outside the enum is our bug; answer as our fault. */
	return 500;
}
