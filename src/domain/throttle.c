/*
 * throttle.c - the limits table and the arithmetic of windows.
 *
 * No SQL here: counting and marking go through store/throttle.h.
 */
#include "domain/throttle.h"
#include "store/throttle.h"

#define MINUTE_MS	(60 * 1000)

struct throttle_rule {
	const char	*name;		/* the kind as stored */
	int64_t		 limit;
	int64_t		 window_ms;
};

static const struct throttle_rule throttle_rules[] = {
	[THROTTLE_LOGIN_ACCOUNT]  = { "login_account", 10, 15 * MINUTE_MS },
	[THROTTLE_LOGIN_IP]       = { "login_ip", 50, 15 * MINUTE_MS },
	[THROTTLE_REGISTER_IP]    = { "register_ip", 30, 15 * MINUTE_MS },
	[THROTTLE_FORGOT_IP]      = { "forgot_ip", 20, 15 * MINUTE_MS },
	[THROTTLE_FORGOT_ACCOUNT] = { "forgot_account", 3, 15 * MINUTE_MS },
	[THROTTLE_FEEDBACK_USER]  = { "feedback_user", 10, 15 * MINUTE_MS },
};

/* The longest window of all kinds: older marks can be dropped. */
#define THROTTLE_KEEP_MS	(15 * MINUTE_MS)

int
throttle_check(struct store_conn *c, enum throttle_kind kind,
    const char *subject, int64_t now, int *retry_s, struct err *e)
{
	const struct throttle_rule	*rule = &throttle_rules[kind];
	int64_t				 count, oldest, wait_ms;

	if (store_throttle_count(c, rule->name, subject,
	    now - rule->window_ms, now, &count, &oldest, e) != STORE_OK)
		return -1;
	if (count < rule->limit)
		return 0;

	wait_ms = oldest + rule->window_ms - now;
	if (retry_s != NULL)
		*retry_s = (int)((wait_ms + 999) / 1000);
	err_set(e, ERR_THROTTLED, "throttled", NULL,
	    "Too many attempts; please try again later.");
	return 1;
}

int
throttle_note(struct store_conn *c, enum throttle_kind kind,
    const char *subject, int64_t now, struct err *e)
{
	if (store_throttle_add(c, throttle_rules[kind].name, subject, now,
	    e) != STORE_OK)
		return -1;
	if (store_throttle_prune(c, now - THROTTLE_KEEP_MS, e) != STORE_OK)
		return -1;
	return 0;
}

int
throttle_clear(struct store_conn *c, enum throttle_kind kind,
    const char *subject, struct err *e)
{
	if (store_throttle_clear(c, throttle_rules[kind].name, subject,
	    e) != STORE_OK)
		return -1;
	return 0;
}
