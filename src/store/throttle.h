/*
 * throttle.h - SQL for login_attempts: dated marks per (kind, subject).
 *
 * The throttle keeps its state in the store, not in the process, so every
 * app node sees the same counts.  A kind names what is counted
 * ("login_account", "login_ip", ...); the subject is the e-mail or the
 * address.  Functions run on the caller's connection; none logs.
 */
#ifndef TOBMEN_STORE_THROTTLE_H
#define TOBMEN_STORE_THROTTLE_H

#include <stdint.h>

#include "store/store.h"

/* Counts the marks of (kind, subject) in (since, now] into *count and the
 * oldest of them into *oldest (0 if none).  Marks dated after now (left by
 * a test clock that moved back) are not counted. */
enum store_rc	store_throttle_count(struct store_conn *c, const char *kind,
		    const char *subject, int64_t since, int64_t now,
		    int64_t *count, int64_t *oldest, struct err *e);

/* Adds a mark for (kind, subject) at now. */
enum store_rc	store_throttle_add(struct store_conn *c, const char *kind,
		    const char *subject, int64_t now, struct err *e);

/* Removes every mark of (kind, subject). */
enum store_rc	store_throttle_clear(struct store_conn *c, const char *kind,
		    const char *subject, struct err *e);

/* Removes marks dated before `before`, of all kinds. */
enum store_rc	store_throttle_prune(struct store_conn *c, int64_t before,
		    struct err *e);

#endif
