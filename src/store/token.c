/*
 * token.c - user_tokens rows, portable SQL for both backends.
 *
 * Knows the columns only; lifetimes are chosen in domain/account.c.
 */
#include "store/token.h"

enum store_rc
store_token_insert(struct store_conn *c, const char *token_hash,
    int64_t user_id, const char *purpose, int64_t now, int64_t expires_at,
    struct err *e)
{
	struct store_param	p[] = {
		SP_T(token_hash), SP_I(user_id), SP_T(purpose), SP_I(now),
		SP_I(expires_at),
	};

	return store_exec(c, "INSERT INTO user_tokens (token_hash, user_id, "
	    "purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, e);
}

enum store_rc
store_token_consume(struct store_conn *c, const char *token_hash,
    int64_t now, int64_t *user_id, struct err *e)
{
	struct store_param	p[] = { SP_T(token_hash), SP_I(now) };
	enum store_rc		rc;

	rc = store_query_int(c, "UPDATE user_tokens SET used_at = $2 "
	    "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
	    "RETURNING user_id", p, 2, user_id, e);
	if (rc == STORE_NOTFOUND)
		err_set(e, ERR_INVALID, "token_invalid", "token",
		    "This link is unknown, already used or expired.");
	return rc;
}

enum store_rc
store_token_revoke_user(struct store_conn *c, int64_t user_id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = { SP_I(user_id), SP_I(now) };

	return store_exec(c, "UPDATE user_tokens SET used_at = $2 "
	    "WHERE user_id = $1 AND used_at IS NULL", p, 2, NULL, e);
}
