/*
 * test_clock.c - RFC 3339 formatting and the movable test clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"

static void
test_format(void **state)
{
	char	out[32];

	(void)state;
	clock_format_rfc3339(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	clock_format_rfc3339(1700000000123LL, out);
	assert_string_equal(out, "2023-11-14T22:13:20.123Z");
	clock_format_rfc3339(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
	clock_format_rfc3339(951782400000LL, out);
	assert_string_equal(out, "2000-02-29T00:00:00.000Z");
	clock_format_rfc3339(253402300799999LL, out);
	assert_string_equal(out, "9999-12-31T23:59:59.999Z");
	/* Four digits of year always, as RFC 3339 wants. */
	clock_format_rfc3339(-62135596800000LL, out);
	assert_string_equal(out, "0001-01-01T00:00:00.000Z");
	clock_format_rfc3339(-59042995200001LL, out);
	assert_string_equal(out, "0098-12-31T23:59:59.999Z");
	/* Past the years RFC 3339 can write. */
	clock_format_rfc3339(253402300800000LL, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
	clock_format_rfc3339(-62167219200001LL, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
}

static void
test_offset(void **state)
{
	int64_t	before, after, mono1, mono2;

	(void)state;
	before = clock_now_ms();
	clock_set_offset_ms(7LL * 86400 * 1000);
	assert_int_equal(clock_offset_ms_get(), 7LL * 86400 * 1000);
	after = clock_now_ms();
	assert_true(after - before >= 7LL * 86400 * 1000);
	assert_true(after - before < 7LL * 86400 * 1000 + 5000);

	/* The monotonic clock ignores the offset. */
	mono1 = clock_mono_ms();
	clock_set_offset_ms(0);
	mono2 = clock_mono_ms();
	assert_true(mono2 >= mono1 && mono2 - mono1 < 5000);
	assert_true(clock_now_ms() - before < 5000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
