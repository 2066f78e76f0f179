/*
 * xmalloc.h - allocation that never returns NULL.
 *
 * Out of memory is not a condition this service can recover from per
 * request, so every wrapper aborts with a message instead of returning NULL.
 */
#ifndef TOBMEN_CORE_XMALLOC_H
#define TOBMEN_CORE_XMALLOC_H

#include <stddef.h>

/* Reports that n bytes could not be allocated and aborts.  For other
 * allocators (arena) that must fail the same way. */
_Noreturn void	xmalloc_fail(size_t n);

void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; the caller frees it. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
