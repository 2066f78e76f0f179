/*
 * err.h - an error handed up to the caller as a ready message.
 *
 * The function that finds a failure fills a struct err once; callers pass it
 * up untouched and the edge (http/ or cli/) decides whether to log or show
 * it.  The code maps to an HTTP status in exactly one place,
 * err_http_status.
 */
#ifndef TOBMEN_CORE_ERR_H
#define TOBMEN_CORE_ERR_H

enum err_code {
	ERR_NONE = 0,
	ERR_INVALID,		/* 400: malformed, or fails a rule */
	ERR_UNAUTHORIZED,	/* 401: no or bad credentials */
	ERR_FORBIDDEN,		/* 403: authenticated but not allowed */
	ERR_NOTFOUND,		/* 404: no such object for this tenant */
	ERR_METHOD,		/* 405: route exists, method does not */
	ERR_CONFLICT,		/* 409: clashes with the current state */
	ERR_GONE,		/* 410: existed once, no longer usable */
	ERR_TOOLARGE,		/* 413: body or list over its limit */
	ERR_UNSUPPORTED,	/* 415: wrong content type */
	ERR_THROTTLED,		/* 429: too many attempts */
	ERR_INTERNAL,		/* 500: our fault; details are logged */
	ERR_UNAVAILABLE,	/* 503: store down, stopping */
};

struct err {
	enum err_code	code;
	char		id[48];		/* snake_case, e.g. "body_too_large" */
	char		field[64];	/* offending field, or "" */
	char		msg[256];	/* human sentence, no secrets */
};

/* Sets all fields of e (e may be NULL: then nothing happens). field may be
 * NULL.  The message is formatted with printf rules and truncated to fit. */
void	err_set(struct err *e, enum err_code code, const char *id,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Puts formatted text in front of e's message (e.g. the file or variable
 * it concerns), keeping the other fields; the result is truncated to fit.
 * e may be NULL. */
void	err_prefix(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Resets e to ERR_NONE with empty strings. */
void	err_clear(struct err *e);

/* Returns the HTTP status for code (200 for ERR_NONE). */
int	err_http_status(enum err_code code);

#endif
