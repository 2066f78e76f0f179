/*
 * arena.c - the region allocator behind per-request memory.
 *
 * An arena is a list of blocks.  Small allocations are carved from the
 * newest block; one larger than a quarter of the block size gets a block
 * of its own, so a big allocation never wastes the rest of a shared one.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xmalloc.h"

#define ARENA_BLOCK	8192
#define ARENA_ALIGN	alignof(max_align_t)

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes in data */
	size_t			 used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_block	*head;	/* newest block first */
};

/* Rounds n up to the alignment every allocation gets. */
static size_t
arena_round(size_t n)
{
	if (n > SIZE_MAX - ARENA_ALIGN)
		return 0;
	return (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

/* Adds a block with room for size bytes, behind the head when it is a
 * dedicated block so the head keeps serving small allocations. */
static struct arena_block *
arena_block_add(struct arena *a, size_t size, int dedicated)
{
	struct arena_block	*blk;

	if (size > SIZE_MAX - sizeof(*blk))
		xmalloc_fail(size);
	blk = xmalloc(sizeof(*blk) + size);
	blk->size = size;
	blk->used = 0;

	if (dedicated && a->head != NULL) {
		blk->next = a->head->next;
		a->head->next = blk;
	} else {
		blk->next = a->head;
		a->head = blk;
	}
	return blk;
}

struct arena *
arena_new(void)
{
	struct arena	*a;

	a = xmalloc(sizeof(*a));
	a->head = NULL;
	return a;
}

void
arena_free(struct arena *a)
{
	struct arena_block	*blk, *next;

	if (a == NULL)
		return;
	for (blk = a->head; blk != NULL; blk = next) {
		next = blk->next;
		free(blk);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*blk;
	size_t			 sz;
	void			*p;

	sz = arena_round(n == 0 ? 1 : n);
	if (sz == 0)
		xmalloc_fail(n);

	if (sz > ARENA_BLOCK / 4)
		blk = arena_block_add(a, sz, 1);
	else {
		blk = a->head;
		if (blk == NULL || blk->size - blk->used < sz)
			blk = arena_block_add(a, ARENA_BLOCK, 0);
	}

	p = blk->data + blk->used;
	blk->used += sz;
	memset(p, 0, sz);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	n = strnlen(s, n);
	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*p;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);

	/* A format error leaves an empty string. */
	p = arena_alloc(a, n < 0 ? 1 : (size_t)n + 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}
