/*
 * clock.h - the service's notion of "now".
 *
 * All expiry decisions read clock_now_ms().  Tests may shift it forward with
 * clock_set_offset_ms() (exposed only when the server runs with
 * --test-clock), so expiry can be tested without waiting.
 */
#ifndef TOBMEN_CORE_CLOCK_H
#define TOBMEN_CORE_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC, plus the test offset. */
int64_t	clock_now_ms(void);
/* Monotonic milliseconds for measuring durations (no offset). */
int64_t	clock_mono_ms(void);
/* Sets or reads the test offset added to clock_now_ms (thread safe). */
void	clock_set_offset_ms(int64_t off);
int64_t	clock_offset_ms_get(void);
/* Writes RFC 3339 UTC with milliseconds ("2026-12-03T17:22:24.123Z") into
 * out, which must hold 32 bytes. */
void	clock_format_rfc3339(int64_t ms, char out[32]);

#endif
