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

void
clock_format_rfc3339(int64_t ms, char out[32])
{
	struct tm	tm;
	time_t		secs;
	int64_t		rem;
	size_t		n;

	/* Floor division, so times before 1970 keep a positive fraction. */
	rem = ms % 1000;
	if (rem < 0)
		rem += 1000;
	secs = (time_t)((ms - rem) / 1000);

	/* Years past 9999 do not fit RFC 3339; no real time gets there. */
	if (gmtime_r(&secs, &tm) == NULL || tm.tm_year > 9999 - 1900 ||
	    tm.tm_year < -1900) {
		strcpy(out, "0000-00-00T00:00:00.000Z");
		return;
	}
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)rem);
}
