/*
 * test_clock.c - RFC 3339 formatting and the movable test clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* The formatter does its own calendar arithmetic; gmtime_r is the
 * reference for every leap rule from year 0 to 9999 and both sides of
 * 1970, and for the edges where it gives up. */
static void
test_format_matches_gmtime(void **state)
{
	/* 0000-01-01 and 9999-12-31T23:59:59.999 */
	const int64_t	first = -62167219200000LL, last = 253402300799999LL;
	char		out[32], want[64];
	struct tm	tm;
	time_t		secs;
	int64_t		ms;

	(void)state;
	for (ms = first; ms <= last; ms += 7919LL * 3600 * 1000 + 12345) {
		secs = (time_t)((ms - (ms % 1000 + 1000) % 1000) / 1000);
		assert_non_null(gmtime_r(&secs, &tm));
		snprintf(want, sizeof(want),
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec, (int)((ms % 1000 + 1000) % 1000));
		clock_format_rfc3339(ms, out);
		assert_string_equal(out, want);
	}
	clock_format_rfc3339(first, out);
	assert_string_equal(out, "0000-01-01T00:00:00.000Z");
	clock_format_rfc3339(last, out);
	assert_string_equal(out, "9999-12-31T23:59:59.999Z");
	clock_format_rfc3339(first - 1, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
	clock_format_rfc3339(last + 1, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
	clock_format_rfc3339(INT64_MAX, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
	clock_format_rfc3339(INT64_MIN, out);
	assert_string_equal(out, "0000-00-00T00:00:00.000Z");
	clock_format_rfc3339(4107542400000LL, out);	/* 2100 is no leap */
	assert_string_equal(out, "2100-03-01T00:00:00.000Z");
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
		cmocka_unit_test(test_format_matches_gmtime),
		cmocka_unit_test(test_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
