/*
 * clock.c - wall time with a test offset, monotonic time, RFC 3339.
 *
 * The offset is one atomic integer so any thread may read "now" without a
 * lock while a test endpoint moves it.
 */
#include <stdatomic.h>
#include <stdio.h>
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

/* The civil date (proleptic Gregorian) of day days since 1970-01-01,
 * counted in 400-year eras of 146097 days that start on a 1 March. */
static void
clock_civil(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t	z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

/* Writes v as width digits, zero-padded, at p; returns the end. */
static char *
clock_digits(char *p, int64_t v, int width)
{
	int	i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* By hand rather than gmtime_r and strftime: the feed formats a time per
 * document, and the libc pair took more than the rest of the row. */
void
clock_format_rfc3339(int64_t ms, char out[32])
{
	int64_t	days, secs, year;
	int	month, day;
	char	*p = out;

	/* Floor divisions, so times before 1970 keep a positive fraction. */
	days = ms / 86400000 - (ms % 86400000 < 0);
	ms -= days * 86400000;
	secs = ms / 1000;
	clock_civil(days, &year, &month, &day);

	/* Years past 9999 do not fit RFC 3339; no real time gets there. */
	if (year < 0 || year > 9999) {
		strcpy(out, "0000-00-00T00:00:00.000Z");
		return;
	}
	p = clock_digits(p, year, 4);
	*p++ = '-';
	p = clock_digits(p, month, 2);
	*p++ = '-';
	p = clock_digits(p, day, 2);
	*p++ = 'T';
	p = clock_digits(p, secs / 3600, 2);
	*p++ = ':';
	p = clock_digits(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = clock_digits(p, secs % 60, 2);
	*p++ = '.';
	p = clock_digits(p, ms % 1000, 3);
	*p++ = 'Z';
	*p = '\0';
}
