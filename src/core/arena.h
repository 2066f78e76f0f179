/*
 * arena.h - a region allocator for one request or one job.
 *
 * Everything allocated from an arena is freed at once by arena_free.
 * Allocation aborts on out-of-memory like xmalloc.  Not thread safe: an
 * arena belongs to one request at a time.
 */
#ifndef TOBMEN_CORE_ARENA_H
#define TOBMEN_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *a);
/* Returns n bytes aligned for any type, zeroed. */
void		*arena_alloc(struct arena *a, size_t n);
char		*arena_strdup(struct arena *a, const char *s);
char		*arena_strndup(struct arena *a, const char *s, size_t n);
char		*arena_printf(struct arena *a, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
char		*arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
