/*
 * clock.c - wall time with a test offset, monotonic time, RFC 3339.
 *
 * The offset is one atomic integer so any thread may read "now" without a
 * lock while a test endpoint moves it.
 */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

static _Atomic int64_t clock_offset_ms;

/* Reads clock id as milliseconds. */
static int64_t
clock_read_ms(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
	return clock_read_ms(CLOCK_REALTIME) +
	    atomic_load_explicit(&clock_offset_ms, memory_order_relaxed);
}

int64_t
clock_mono_ms(void)
{
	return clock_read_ms(CLOCK_MONOTONIC);
}

void
clock_set_offset_ms(int64_t off)
{
	atomic_store_explicit(&clock_offset_ms, off, memory_order_relaxed);
}

int64_t
clock_offset_ms_get(void)
{
	return atomic_load_explicit(&clock_offset_ms, memory_order_relaxed);
}

/* Writes v as n decimal digits, zero-padded, at p. */
static void
clock_digits(char *p, int64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Splits days since 1970-01-01 into a proleptic Gregorian date.  Counts
 * from 0000-03-01 in 400-year eras, so the leap day ends each year. */
static void
clock_civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t	z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;				/* 0 .. 146096 */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* from March 1 */
	mp = (5 * doy + 2) / 153;			/* March is 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: RFC 3339 has
 * four-digit years; no real time gets outside. */
#define CLOCK_MS_FIRST	(-62167219200000LL)
#define CLOCK_MS_LAST	253402300799999LL

void
clock_format_rfc3339(int64_t ms, char out[32])
{
	int64_t	rem, secs, days, sod, y;
	int	m, d;

	memcpy(out, "0000-00-00T00:00:00.000Z", 25);
	if (ms < CLOCK_MS_FIRST || ms > CLOCK_MS_LAST)
		return;

	/* Floor division, so times before 1970 keep a positive fraction.
	 * Done by hand rather than with gmtime_r and strftime: list answers
	 * format several times per row. */
	rem = ms % 1000;
	if (rem < 0)
		rem += 1000;
	secs = (ms - rem) / 1000;
	sod = secs % 86400;
	if (sod < 0)
		sod += 86400;
	days = (secs - sod) / 86400;
	clock_civil(days, &y, &m, &d);
	clock_digits(out, y, 4);
	clock_digits(out + 5, m, 2);
	clock_digits(out + 8, d, 2);
	clock_digits(out + 11, sod / 3600, 2);
	clock_digits(out + 14, sod / 60 % 60, 2);
	clock_digits(out + 17, sod % 60, 2);
	clock_digits(out + 20, rem, 3);
}
