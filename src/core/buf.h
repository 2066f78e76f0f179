/*
 * buf.h - a growable byte buffer with a size cap fixed at creation.
 *
 * Invariants: data is always NUL-terminated past len (so buf_cstr is free),
 * len <= max.  An append that would pass max fails and leaves the buffer as
 * it was, so input can never grow a buffer without bound.
 */
#ifndef TOBMEN_CORE_BUF_H
#define TOBMEN_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

/* Prepares an empty buffer that may hold at most max bytes. */
void	 buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer may be initialised again. */
void	 buf_release(struct buf *b);
/* Empties the buffer, keeping its storage. */
void	 buf_reset(struct buf *b);
/* Appends n bytes. Returns 0, or -1 if max would be passed (b unchanged). */
static inline int buf_append(struct buf *b, const void *p, size_t n);
/* buf_append when the storage must grow first; call buf_append instead. */
int	 buf_append_grow(struct buf *b, const void *p, size_t n);
int	 buf_puts(struct buf *b, const char *s);
int	 buf_putc(struct buf *b, char c);
int	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns the contents as a C string (never NULL). */
const char *buf_cstr(struct buf *b);
/* Hands the storage to the caller (free() it) and empties the buffer. */
char	*buf_detach(struct buf *b, size_t *len);

/*
 * Inline because the streaming JSON writer appends a few bytes at a time,
 * many thousand times a feed page, and a call for each cost more than the
 * copy.  n < cap - len implies len + n <= max, since cap <= max + 1; with
 * no storage yet cap and len are 0 and the growing path runs.
 */
static inline int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len)
		return buf_append_grow(b, p, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

#endif
