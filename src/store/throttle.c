/*
 * throttle.c - login_attempts rows, portable SQL for both backends.
 *
 * Knows the columns only; limits and windows live in domain/throttle.c.
 */
#include "store/throttle.h"

enum store_rc
store_throttle_count(struct store_conn *c, const char *kind,
    const char *subject, int64_t since, int64_t now, int64_t *count,
    int64_t *oldest, struct err *e)
{
	struct store_param	 p[] = {
		SP_T(kind), SP_T(subject), SP_I(since), SP_I(now),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*count = 0;
	*oldest = 0;
	rc = store_query(c, "SELECT count(*), min(noted_at) "
	    "FROM login_attempts WHERE kind = $1 AND subject = $2 "
	    "AND noted_at > $3 AND noted_at <= $4", p, 4, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r)) {
		*count = store_rows_int(r, 0);
		if (!store_rows_null(r, 1))
			*oldest = store_rows_int(r, 1);
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_throttle_add(struct store_conn *c, const char *kind,
    const char *subject, int64_t now, struct err *e)
{
	struct store_param	p[] = { SP_T(kind), SP_T(subject), SP_I(now) };

	return store_exec(c, "INSERT INTO login_attempts "
	    "(kind, subject, noted_at) VALUES ($1, $2, $3)", p, 3, NULL, e);
}

enum store_rc
store_throttle_clear(struct store_conn *c, const char *kind,
    const char *subject, struct err *e)
{
	struct store_param	p[] = { SP_T(kind), SP_T(subject) };

	return store_exec(c, "DELETE FROM login_attempts "
	    "WHERE kind = $1 AND subject = $2", p, 2, NULL, e);
}

enum store_rc
store_throttle_prune(struct store_conn *c, int64_t before, struct err *e)
{
	struct store_param	p[] = { SP_I(before) };

	return store_exec(c, "DELETE FROM login_attempts "
	    "WHERE noted_at < $1", p, 1, NULL, e);
}
