/*
 * session.h - logging in and out, and finding the caller of a request.
 *
 * A session is a random token in a cookie; the store keeps its hash, a
 * CSRF token, and three times: created, last seen, absolute end.  A
 * session ends when idle longer than cfg->session_idle_s (sessions made
 * with "remember me" are kept for their whole life instead), when its
 * absolute end passes (cfg->session_max_s, or session_remember_s with
 * "remember me"), at logout, when the password changes, or when the user
 * is disabled.  last_seen is written at most once a minute.  Every time is
 * clock_now_ms(), so tests can move it.
 *
 * Logging in is throttled per account and per address (domain/throttle.h)
 * and answers an unknown e-mail, a wrong password and a disabled user with
 * the same error after the same work (one argon2id check).  None of these
 * functions logs; they fill e.
 */
#ifndef TOBMEN_DOMAIN_SESSION_H
#define TOBMEN_DOMAIN_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "domain/token.h"
#include "store/company.h"

#define SESSION_TOUCH_MS	(60 * 1000)

/* A session just made: what the cookie and the answer need. */
struct session_new {
	char	 token[TOKEN_LEN + 1];
	char	 csrf_token[TOKEN_LEN + 1];
	int64_t	 max_age_s;	/* -1: cookie lives with the browser */
	int64_t	 user_id;
	int64_t	 company_id;
	int	 retry_s;	/* with ERR_THROTTLED: seconds to wait */
};

/* The caller behind a session cookie. */
struct session_caller {
	struct actor		 actor;
	char			 csrf_token[48]; /* TOKEN_LEN + 1 used */
	struct store_user	 user;	/* as read with the session; its
					 * password_hash is always "" */
};

/*
 * Checks email and password and opens a new session.  remember picks the
 * longer life and a persistent cookie.  old_token (may be NULL) is the
 * session cookie the browser still sent; that session is ended, so a
 * login always rotates the token.  Returns 0 with out filled, or -1 with
 * e: ERR_UNAUTHORIZED "invalid_credentials", ERR_THROTTLED "throttled"
 * (out->retry_s set), or a store error.
 */
int	session_login(const struct app *app, const char *email,
	    const char *password, bool remember, const char *ip,
	    const char *old_token, struct session_new *out, struct err *e);

/* Opens a session for user_id of company_id without a password check
 * (right after registration), on c inside the caller's transaction. */
int	session_open(const struct app *app, struct store_conn *c,
	    int64_t user_id, int64_t company_id, bool remember,
	    struct session_new *out, struct err *e);

/* Finds the live session for token.  Returns 0 with out filled, or -1
 * with e ERR_UNAUTHORIZED "unauthenticated" (absent, unknown, expired,
 * user disabled) or a store error.  Unless co is NULL (initialised by
 * the caller, who releases it in any case), the session's company is
 * read into it by the same query; id 0 if it is gone. */
int	session_lookup(const struct app *app, const char *token,
	    const char *ip, struct session_caller *out, struct company *co,
	    struct err *e);

/* Ends the session of token, if any.  Returns 0 or -1 on a store error. */
int	session_logout(const struct app *app, const char *token,
	    struct err *e);

#endif
