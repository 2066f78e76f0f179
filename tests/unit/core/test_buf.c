/*
 * test_buf.c - the capped buffer: appends within the cap, refusals past it
 * that leave the contents untouched, and handing the storage over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void
test_empty(void **state)
{
	struct buf	 b;
	char		*p;
	size_t		 len = 99;

	(void)state;
	buf_init(&b, 16);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	p = buf_detach(&b, &len);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	buf_release(&b);
}

static void
test_cap(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);

	/* One byte too many: refused, nothing written. */
	assert_int_equal(buf_puts(&b, "6789"), -1);
	assert_int_equal(b.len, 5);
	assert_string_equal(buf_cstr(&b), "12345");
	assert_int_equal(buf_printf(&b, "%d", 6789), -1);
	assert_string_equal(buf_cstr(&b), "12345");

	/* Exactly up to the cap is fine. */
	assert_int_equal(buf_printf(&b, "%s", "678"), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(buf_append(&b, "x", 1), -1);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_true(b.cap <= b.max + 1);

	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abcdefgh"), 0);
	buf_release(&b);
}

static void
test_huge_append(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "a"), 0);
	/* A length that would overflow len + n must not wrap around. */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(b.len, 1);
	buf_release(&b);
}

static void
test_growth(void **state)
{
	struct buf	 b;
	char		*p;
	size_t		 len, i;

	(void)state;
	buf_init(&b, 1 << 20);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_printf(&b, "%04zu,", i % 10000), 0);
	assert_int_equal(b.len, 50000);
	assert_memory_equal(b.data + 49995, "9999,", 5);
	assert_int_equal(b.data[b.len], '\0');

	p = buf_detach(&b, &len);
	assert_int_equal(len, 50000);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	free(p);
	buf_release(&b);
}

static void
test_binary(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_huge_append),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
