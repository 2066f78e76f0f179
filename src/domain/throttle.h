/*
 * throttle.h - limits on attempts per account and per address.
 *
 * Each kind has a limit and a window: more than `limit` marks within
 * `window` refuses further attempts until the oldest mark leaves the
 * window.  The marks live in the store (store/throttle.h), so several app
 * nodes share them.  Limits, fixed here and listed in docs:
 *
 *	login per account	10 failures in 15 min
 *	login per address	50 failures in 15 min
 *	register per address	30 attempts in 15 min
 *	forgot per address	20 requests in 15 min
 *	forgot per account	3 mails in 15 min (silently: answer stays 202)
 *	feedback per user	10 messages in 15 min
 *
 * Functions run on the caller's connection and transaction; none logs.
 */
#ifndef TOBMEN_DOMAIN_THROTTLE_H
#define TOBMEN_DOMAIN_THROTTLE_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

enum throttle_kind {
	THROTTLE_LOGIN_ACCOUNT,
	THROTTLE_LOGIN_IP,
	THROTTLE_REGISTER_IP,
	THROTTLE_FORGOT_IP,
	THROTTLE_FORGOT_ACCOUNT,
	THROTTLE_FEEDBACK_USER,
};

/*
 * Returns 0 if (kind, subject) may make one more attempt at now, 1 if it
 * is over its limit (then *retry_s, if not NULL, gets the seconds until it
 * may try again and e is ERR_THROTTLED "throttled"), or -1 with e filled
 * on a store error.
 */
int	throttle_check(struct store_conn *c, enum throttle_kind kind,
	    const char *subject, int64_t now, int *retry_s, struct err *e);

/* Records one attempt (or failure) of (kind, subject) at now, and drops
 * marks too old to matter.  Returns 0 or -1 with e filled. */
int	throttle_note(struct store_conn *c, enum throttle_kind kind,
	    const char *subject, int64_t now, struct err *e);

/* Forgets the marks of (kind, subject), e.g. after a good login. */
int	throttle_clear(struct store_conn *c, enum throttle_kind kind,
	    const char *subject, struct err *e);

#endif
