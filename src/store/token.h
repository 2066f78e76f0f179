/*
 * token.h - SQL for user_tokens: single-use links that set a password.
 *
 * Two purposes share the table: "reset" (forgotten password, 1 hour) and
 * "welcome" (first password of a user added by an admin, 7 days).  Only
 * the hash of a token is stored.  Consuming is one UPDATE guarded by
 * "unused and unexpired", so two requests racing with one token cannot
 * both win.  Functions run on the caller's connection; none logs.
 */
#ifndef TOBMEN_STORE_TOKEN_H
#define TOBMEN_STORE_TOKEN_H

#include <stdint.h>

#include "store/store.h"

/* Inserts a token for user_id valid from now until expires_at. */
enum store_rc	store_token_insert(struct store_conn *c,
		    const char *token_hash, int64_t user_id,
		    const char *purpose, int64_t now, int64_t expires_at,
		    struct err *e);

/* Marks the token used at now if it is unused and unexpired, and stores
 * its user in *user_id.  STORE_NOTFOUND if it is unknown, used or
 * expired (the three are not told apart). */
enum store_rc	store_token_consume(struct store_conn *c,
		    const char *token_hash, int64_t now, int64_t *user_id,
		    struct err *e);

/* Marks every unused token of user_id used at now. */
enum store_rc	store_token_revoke_user(struct store_conn *c,
		    int64_t user_id, int64_t now, struct err *e);

#endif
