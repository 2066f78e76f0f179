/*
 * session.c - sessions rows in and out, portable SQL for both backends.
 *
 * Knows the columns only; idle and absolute expiry are domain rules.
 */
#include <stdio.h>
#include <string.h>

#include "store/session.h"

#define SESSION_COLS "id, user_id, company_id, token_hash, csrf_token, " \
	"remember, created_at, last_seen_at, expires_at"
#define SESSION_S_COLS "s.id, s.user_id, s.company_id, s.token_hash, " \
	"s.csrf_token, s.remember, s.created_at, s.last_seen_at, s.expires_at"
#define SESSION_NCOLS	9

/* Fills s from the current row of r (columns as in SESSION_COLS). */
static void
session_read(const struct store_rows *r, struct store_session *s)
{
	memset(s, 0, sizeof(*s));
	s->id = store_rows_int(r, 0);
	s->user_id = store_rows_int(r, 1);
	s->company_id = store_rows_int(r, 2);
	snprintf(s->token_hash, sizeof(s->token_hash), "%s",
	    store_rows_text(r, 3));
	snprintf(s->csrf_token, sizeof(s->csrf_token), "%s",
	    store_rows_text(r, 4));
	s->remember = store_rows_int(r, 5) != 0;
	s->created_at = store_rows_int(r, 6);
	s->last_seen_at = store_rows_int(r, 7);
	s->expires_at = store_rows_int(r, 8);
}

enum store_rc
store_session_insert(struct store_conn *c, const struct store_session *s,
    int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_T(s->token_hash), SP_I(s->user_id), SP_I(s->company_id),
		SP_T(s->csrf_token), SP_I(s->remember), SP_I(s->created_at),
		SP_I(s->expires_at),
	};

	return store_query_int(c,
	    "INSERT INTO sessions (token_hash, user_id, company_id, "
	    "csrf_token, remember, created_at, last_seen_at, expires_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
	    p, 7, id, e);
}

/* The joined lookup: the session, its user, and with company, its
 * company.  One statement instead of two or three: every request with a
 * cookie runs it, and each statement costs a read transaction. */
#define SESSION_FIND_USER(company) "SELECT " SESSION_S_COLS ", " \
	STORE_USER_COLS("u.") company " FROM sessions s " \
	"LEFT JOIN users u ON u.id = s.user_id "
#define SESSION_FIND_COMPANY SESSION_FIND_USER(", " \
	STORE_COMPANY_COLS("c.")) \
	"LEFT JOIN companies c ON c.id = s.company_id "

/* Runs sql, a query of SESSION_COLS (then, with user, the user's
 * STORE_USER_COLS and, with co, the company's STORE_COMPANY_COLS) by
 * token hash, and reads its row. */
static enum store_rc
session_find(struct store_conn *c, const char *sql, const char *token_hash,
    struct store_session *out, struct store_user *user, struct company *co,
    struct err *e)
{
	struct store_param	 p[] = { SP_T(token_hash) };
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, sql, p, 1, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r)) {
		session_read(r, out);
		if (user != NULL)
			store_user_read(r, SESSION_NCOLS, user);
		if (co != NULL)
			store_company_read(r, SESSION_NCOLS + STORE_USER_NCOLS,
			    co);
	} else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_UNAUTHORIZED, "unauthenticated", NULL,
		    "Please log in.");
	}
	store_rows_free(r);
	return rc;
}

enum store_rc
store_session_find(struct store_conn *c, const char *token_hash,
    struct store_session *out, struct err *e)
{
	return session_find(c, "SELECT " SESSION_COLS " FROM sessions "
	    "WHERE token_hash = $1", token_hash, out, NULL, NULL, e);
}

enum store_rc
store_session_find_user(struct store_conn *c, const char *token_hash,
    struct store_session *out, struct store_user *user, struct company *co,
    struct err *e)
{
	if (co != NULL)
		return session_find(c, SESSION_FIND_COMPANY
		    "WHERE s.token_hash = $1", token_hash, out, user, co, e);
	return session_find(c, SESSION_FIND_USER("")
	    "WHERE s.token_hash = $1", token_hash, out, user, NULL, e);
}

enum store_rc
store_session_touch(struct store_conn *c, int64_t id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = { SP_I(id), SP_I(now) };

	return store_exec(c, "UPDATE sessions SET last_seen_at = $2 "
	    "WHERE id = $1", p, 2, NULL, e);
}

enum store_rc
store_session_delete(struct store_conn *c, int64_t id, struct err *e)
{
	struct store_param	p[] = { SP_I(id) };

	return store_exec(c, "DELETE FROM sessions WHERE id = $1", p, 1,
	    NULL, e);
}

enum store_rc
store_session_delete_user(struct store_conn *c, int64_t user_id,
    int64_t keep_id, struct err *e)
{
	struct store_param	p[] = { SP_I(user_id), SP_I(keep_id) };

	return store_exec(c, "DELETE FROM sessions "
	    "WHERE user_id = $1 AND id <> $2", p, 2, NULL, e);
}

enum store_rc
store_session_prune_user(struct store_conn *c, int64_t user_id,
    int64_t now, struct err *e)
{
	struct store_param	p[] = { SP_I(user_id), SP_I(now) };

	return store_exec(c, "DELETE FROM sessions "
	    "WHERE user_id = $1 AND expires_at <= $2", p, 2, NULL, e);
}
