/*
 * apikey.c - api_keys rows in and out, portable SQL for both backends.
 *
 * Who may create, see or revoke a key is decided in domain/apikey.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/apikey.h"

#define APIKEY_SELECT "SELECT k.id, k.company_id, k.name, k.prefix, " \
	"k.scopes, COALESCE(k.created_by, 0), k.created_at, " \
	"COALESCE(k.last_used_at, 0), k.last_used_ip, " \
	"COALESCE(k.revoked_at, 0), COALESCE(u.name, u.email, '') " \
	"FROM api_keys k LEFT JOIN users u ON u.id = k.created_by "

/* Fills k from the current row of r (columns as in APIKEY_SELECT). */
static void
apikey_read(const struct store_rows *r, struct store_apikey *k)
{
	memset(k, 0, sizeof(*k));
	k->id = store_rows_int(r, 0);
	k->company_id = store_rows_int(r, 1);
	snprintf(k->name, sizeof(k->name), "%s", store_rows_text(r, 2));
	snprintf(k->prefix, sizeof(k->prefix), "%s", store_rows_text(r, 3));
	snprintf(k->scopes, sizeof(k->scopes), "%s", store_rows_text(r, 4));
	k->created_by = store_rows_int(r, 5);
	k->created_at = store_rows_int(r, 6);
	k->last_used_at = store_rows_int(r, 7);
	snprintf(k->last_used_ip, sizeof(k->last_used_ip), "%s",
	    store_rows_text(r, 8));
	k->revoked_at = store_rows_int(r, 9);
	snprintf(k->created_by_name, sizeof(k->created_by_name), "%s",
	    store_rows_text(r, 10));
}

/* apikey_read for store_query_one. */
static void
apikey_read_any(const struct store_rows *r, void *out)
{
	apikey_read(r, out);
}

/* Runs a query expected to give at most one key. */
static enum store_rc
apikey_query_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct store_apikey *out,
    struct err *e)
{
	return store_query_one(c, sql, p, np, apikey_read_any, out,
	    "apikey_not_found", "There is no such API key here.", e);
}

enum store_rc
store_apikey_insert(struct store_conn *c, const struct store_apikey *k,
    const char *key_hash, int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_I(k->company_id), SP_T(k->name), SP_T(k->prefix),
		SP_T(key_hash), SP_T(k->scopes),
		k->created_by > 0 ? SP_I(k->created_by) : SP_N,
		SP_I(k->created_at),
	};

	return store_query_int(c, "INSERT INTO api_keys (company_id, name, "
	    "prefix, key_hash, scopes, created_by, created_at) VALUES ($1, "
	    "$2, $3, $4, $5, $6, $7) RETURNING id", p, 7, id, e);
}

enum store_rc
store_apikey_find(struct store_conn *c, const char *key_hash,
    struct store_apikey *out, struct err *e)
{
	struct store_param	p[] = { SP_T(key_hash) };

	return apikey_query_one(c, APIKEY_SELECT "WHERE k.key_hash = $1 AND "
	    "k.revoked_at IS NULL", p, 1, out, e);
}

enum store_rc
store_apikey_get(struct store_conn *c, int64_t company_id, int64_t id,
    struct store_apikey *out, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id), SP_I(id) };

	return apikey_query_one(c, APIKEY_SELECT "WHERE k.company_id = $1 "
	    "AND k.id = $2", p, 2, out, e);
}

enum store_rc
store_apikey_list(struct store_conn *c, int64_t company_id, int64_t after,
    int limit, struct store_apikey **items, size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(company_id), SP_I(after), SP_I(limit),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*items = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(**items));
	*n = 0;
	rc = store_query(c, APIKEY_SELECT "WHERE k.company_id = $1 AND "
	    "k.id > $2 ORDER BY k.id LIMIT $3", p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;

	while (*n < (size_t)limit && store_rows_next(r))
		apikey_read(r, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_apikey_touch(struct store_conn *c, int64_t id, int64_t now,
    const char *ip, int64_t min_gap_ms, struct err *e)
{
	struct store_param	p[] = {
		SP_I(id), SP_I(now), SP_T(ip != NULL ? ip : ""),
		SP_I(now - min_gap_ms),
	};

	return store_exec(c, "UPDATE api_keys SET last_used_at = $2, "
	    "last_used_ip = $3 WHERE id = $1 AND (last_used_at IS NULL OR "
	    "last_used_at < $4)", p, 4, NULL, e);
}

enum store_rc
store_apikey_revoke(struct store_conn *c, int64_t company_id, int64_t id,
    int64_t now, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id), SP_I(id), SP_I(now) };
	enum store_rc		rc;
	int64_t			changes = 0;

	rc = store_exec(c, "UPDATE api_keys SET revoked_at = $3 WHERE "
	    "company_id = $1 AND id = $2 AND revoked_at IS NULL", p, 3,
	    &changes, e);
	if (rc == STORE_OK && changes == 0) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "apikey_not_found", NULL,
		    "There is no such live API key here.");
	}
	return rc;
}
