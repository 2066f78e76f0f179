/*
 * metrics.h - process-wide counters rendered in Prometheus text format.
 *
 * Request counts and latency histograms per route and status, store errors,
 * and gauges other modules set (outbox backlog).  Thread safe.
 */
#ifndef TOBMEN_CORE_METRICS_H
#define TOBMEN_CORE_METRICS_H

#include <stdint.h>

#include "core/buf.h"

/* Records one finished request. route is the matched pattern ("static" or
 * "unmatched" otherwise); it must be a string that lives forever. */
/* Methods other than the common ones are counted as "OTHER", and statuses
 * outside 100-599 as 0, so clients cannot create series at will. */
void	metrics_http_observe(const char *route, const char *method,
	    int status, double seconds);
void	metrics_store_error(void);
/* Counts one argon2id check, for a real account or the stand-in hash an
 * unknown e-mail gets (so logins cost the same either way). */
void	metrics_password_check(void);
/* Sets a named gauge ("tobmen_outbox_backlog"); name must live forever. */
void	metrics_gauge_set(const char *name, const char *help, int64_t value);
/* Appends the whole exposition to b; -1 if b's cap is reached (then b is
 * left as it was). */
int	metrics_render(struct buf *b);
/* Forgets every series, gauge and counter (for tests). */
void	metrics_reset(void);

#endif
