/*
 * test_arena.c - the region allocator: zeroed, aligned memory, strings,
 * large blocks, and everything released by one arena_free (ASan checks).
 */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

static void
test_alloc(void **state)
{
	struct arena	*a;
	unsigned char	*p;
	size_t		 i, n;

	(void)state;
	a = arena_new();
	for (n = 1; n < 5000; n += 37) {
		p = arena_alloc(a, n);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, n);
	}
	p = arena_alloc(a, 0);
	assert_non_null(p);
	arena_free(a);
}

static void
test_large(void **state)
{
	struct arena	*a;
	char		*small, *big;

	(void)state;
	a = arena_new();
	small = arena_strdup(a, "before");
	big = arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	/* A big block does not disturb what came before or after it. */
	assert_string_equal(small, "before");
	assert_string_equal(arena_strdup(a, "after"), "after");
	arena_free(a);
	arena_free(NULL);
}

static void
test_strings(void **state)
{
	struct arena	*a;
	char		 big[3000];

	(void)state;
	a = arena_new();
	assert_string_equal(arena_strdup(a, "hello"), "hello");
	assert_string_equal(arena_strndup(a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(a, "hi", 10), "hi");
	assert_string_equal(arena_printf(a, "%s-%d", "id", 42), "id-42");

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(arena_printf(a, "%s", big), big);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
