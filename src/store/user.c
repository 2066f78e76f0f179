/*
 * user.c - users rows in and out, portable SQL for both backends.
 *
 * Knows the columns and nothing of the rules: who may change what is
 * decided in domain/account.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/user.h"

#define USER_COLS STORE_USER_COLS("")

void
store_user_read(const struct store_rows *r, int col, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	if (store_rows_null(r, col))
		return;
	u->id = store_rows_int(r, col);
	u->company_id = store_rows_int(r, col + 1);
	store_rows_copy(r, col + 2, u->email, sizeof(u->email));
	store_rows_copy(r, col + 3, u->name, sizeof(u->name));
	store_rows_copy(r, col + 4, u->role, sizeof(u->role));
	store_rows_copy(r, col + 5, u->lang, sizeof(u->lang));
	store_rows_copy(r, col + 6, u->password_hash,
	    sizeof(u->password_hash));
	u->disabled = store_rows_int(r, col + 7) != 0;
	u->created_at = store_rows_int(r, col + 8);
	u->last_login_at = store_rows_null(r, col + 9) ? 0 :
	    store_rows_int(r, col + 9);
}

/* Reads a user from the row of a query of USER_COLS. */
static void
user_read_any(const struct store_rows *r, void *out)
{
	store_user_read(r, 0, out);
}

/* Runs a query expected to give at most one user. */
static enum store_rc
user_query_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct store_user *out,
    struct err *e)
{
	return store_query_one(c, sql, p, np, user_read_any, out,
	    "user_not_found", "No such user.", e);
}

enum store_rc
store_user_insert(struct store_conn *c, const struct store_user *u,
    int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_I(u->company_id), SP_T(u->email), SP_T(u->name),
		SP_T(u->role), SP_T(u->lang), SP_T(u->password_hash),
		SP_I(u->disabled), SP_I(u->created_at),
	};

	return store_query_int(c,
	    "INSERT INTO users (company_id, email, name, role, lang, "
	    "password_hash, disabled, created_at, updated_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
	    p, 8, id, e);
}

enum store_rc
store_user_get(struct store_conn *c, int64_t company_id, int64_t id,
    struct store_user *out, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id), SP_I(id) };

	return user_query_one(c, "SELECT " USER_COLS " FROM users "
	    "WHERE company_id = $1 AND id = $2", p, 2, out, e);
}

enum store_rc
store_user_get_any(struct store_conn *c, int64_t id,
    struct store_user *out, struct err *e)
{
	struct store_param	p[] = { SP_I(id) };

	return user_query_one(c, "SELECT " USER_COLS " FROM users "
	    "WHERE id = $1", p, 1, out, e);
}

enum store_rc
store_user_find_email(struct store_conn *c, const char *email,
    struct store_user *out, struct err *e)
{
	struct store_param	p[] = { SP_T(email) };

	return user_query_one(c, "SELECT " USER_COLS " FROM users "
	    "WHERE email = $1", p, 1, out, e);
}

enum store_rc
store_user_list(struct store_conn *c, int64_t company_id, int64_t after,
    int limit, struct store_user **items, size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(company_id), SP_I(after), SP_I(limit),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*n = 0;
	*items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(**items));
	rc = store_query(c, "SELECT " USER_COLS " FROM users "
	    "WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3",
	    p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < (size_t)limit && store_rows_next(r))
		store_user_read(r, 0, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_user_update(struct store_conn *c, const struct store_user *u,
    int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(u->company_id), SP_I(u->id), SP_T(u->name),
		SP_T(u->role), SP_T(u->lang), SP_I(u->disabled), SP_I(now),
	};
	int64_t			changes = 0;
	enum store_rc		rc;

	rc = store_exec(c, "UPDATE users SET name = $3, role = $4, "
	    "lang = $5, disabled = $6, updated_at = $7 "
	    "WHERE company_id = $1 AND id = $2", p, 7, &changes, e);
	if (rc == STORE_OK && changes == 0) {
		err_set(e, ERR_NOTFOUND, "user_not_found", NULL,
		    "No such user.");
		rc = STORE_NOTFOUND;
	}
	return rc;
}

enum store_rc
store_user_set_password(struct store_conn *c, int64_t id, const char *hash,
    int64_t now, struct err *e)
{
	struct store_param	p[] = { SP_I(id), SP_T(hash), SP_I(now) };

	return store_exec(c, "UPDATE users SET password_hash = $2, "
	    "updated_at = $3 WHERE id = $1", p, 3, NULL, e);
}

enum store_rc
store_user_touch_login(struct store_conn *c, int64_t id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = { SP_I(id), SP_I(now) };

	return store_exec(c, "UPDATE users SET last_login_at = $2 "
	    "WHERE id = $1", p, 2, NULL, e);
}

enum store_rc
store_user_count_owners(struct store_conn *c, int64_t company_id,
    int64_t *n, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id) };

	return store_query_int(c, "SELECT count(*) FROM users "
	    "WHERE company_id = $1 AND role = 'owner' AND disabled = 0",
	    p, 1, n, e);
}

enum store_rc
store_user_lock_owners(struct store_conn *c, int64_t company_id,
    struct err *e)
{
	struct store_param	p[] = { SP_I(company_id) };

	/* A no-op write: it takes the row locks PostgreSQL needs, and under
	 * SQLite the write transaction already excludes other writers. */
	return store_exec(c, "UPDATE users SET updated_at = updated_at "
	    "WHERE company_id = $1 AND role = 'owner'", p, 1, NULL, e);
}
