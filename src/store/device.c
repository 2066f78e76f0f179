/*
 * device.c - devices in and out, portable SQL for both backends.
 *
 * The partial unique index devices_bound (005_licences.sql) is what makes
 * "one bound device per licence" hold under any race; the activation
 * rules live in domain/device.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/device.h"

#define DEV_SELECT "SELECT d.id, d.licence_id, d.company_id, d.mdm_id, " \
	"d.app_version, d.user_name, d.first_contact_at, " \
	"d.last_contact_at, COALESCE(d.released_at, 0), l.number, " \
	"l.owner_id, l.blocked FROM devices d " \
	"JOIN licences l ON l.id = d.licence_id "

/* Fills d from the current row of r (columns as in DEV_SELECT). */
static void
dev_read(const struct store_rows *r, struct store_device *d)
{
	memset(d, 0, sizeof(*d));
	d->id = store_rows_int(r, 0);
	d->licence_id = store_rows_int(r, 1);
	d->company_id = store_rows_int(r, 2);
	store_rows_copy(r, 3, d->mdm_id, sizeof(d->mdm_id));
	store_rows_copy(r, 4, d->app_version, sizeof(d->app_version));
	store_rows_copy(r, 5, d->user_name, sizeof(d->user_name));
	d->first_contact_at = store_rows_int(r, 6);
	d->last_contact_at = store_rows_int(r, 7);
	d->released_at = store_rows_int(r, 8);
	store_rows_copy(r, 9, d->number, sizeof(d->number));
	d->owner_id = store_rows_int(r, 10);
	d->blocked = store_rows_int(r, 11) != 0;
}

/* dev_read for store_query_one. */
static void
dev_read_any(const struct store_rows *r, void *out)
{
	dev_read(r, out);
}

/* Runs a query expected to give at most one device. */
static enum store_rc
dev_query_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct store_device *out,
    struct err *e)
{
	return store_query_one(c, sql, p, np, dev_read_any, out,
	    "device_not_found", "There is no such device.", e);
}

enum store_rc
store_device_insert(struct store_conn *c, const struct store_device *d,
    const char *token_hash, int64_t now, int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_I(d->licence_id), SP_I(d->company_id), SP_T(d->mdm_id),
		SP_T(token_hash), SP_T(d->app_version), SP_T(d->user_name),
		SP_I(now),
	};
	enum store_rc		rc;

	rc = store_query_int(c, "INSERT INTO devices (licence_id, "
	    "company_id, mdm_id, token_hash, app_version, user_name, "
	    "first_contact_at, last_contact_at) VALUES ($1, $2, $3, $4, $5, "
	    "$6, $7, $7) ON CONFLICT DO NOTHING RETURNING id", p, 7, id, e);
	if (rc == STORE_NOTFOUND) {
		rc = STORE_CONFLICT;
		err_set(e, ERR_CONFLICT, "licence_bound", "licence",
		    "This licence is bound to another device.");
	}
	return rc;
}

enum store_rc
store_device_bound(struct store_conn *c, int64_t licence_id,
    struct store_device *out, struct err *e)
{
	struct store_param	p[] = { SP_I(licence_id) };

	return dev_query_one(c, DEV_SELECT "WHERE d.licence_id = $1 "
	    "AND d.released_at IS NULL", p, 1, out, e);
}

enum store_rc
store_device_reissue(struct store_conn *c, int64_t id,
    const char *token_hash, const char *app_version, const char *user_name,
    int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(id), SP_T(token_hash), SP_T(app_version),
		SP_T(user_name), SP_I(now),
	};
	int64_t			changes = 0;
	enum store_rc		rc;

	rc = store_exec(c, "UPDATE devices SET token_hash = $2, "
	    "app_version = $3, user_name = $4, last_contact_at = $5 "
	    "WHERE id = $1 AND released_at IS NULL", p, 5, &changes, e);
	if (rc == STORE_OK && changes == 0) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "device_not_found", NULL,
		    "There is no such device.");
	}
	return rc;
}

enum store_rc
store_device_release(struct store_conn *c, int64_t licence_id, int64_t now,
    bool *released, struct err *e)
{
	struct store_param	p[] = { SP_I(licence_id), SP_I(now) };
	int64_t			changes = 0;
	enum store_rc		rc;

	rc = store_exec(c, "UPDATE devices SET token_hash = NULL, "
	    "released_at = $2 WHERE licence_id = $1 AND released_at IS NULL",
	    p, 2, &changes, e);
	if (released != NULL)
		*released = changes > 0;
	return rc;
}

enum store_rc
store_device_by_token(struct store_conn *c, const char *token_hash,
    struct store_device *out, struct err *e)
{
	struct store_param	p[] = { SP_T(token_hash) };

	return dev_query_one(c, DEV_SELECT "WHERE d.token_hash = $1 "
	    "AND d.released_at IS NULL", p, 1, out, e);
}

enum store_rc
store_device_touch(struct store_conn *c, int64_t id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = { SP_I(id), SP_I(now) };

	return store_exec(c, "UPDATE devices SET last_contact_at = $2 "
	    "WHERE id = $1", p, 2, NULL, e);
}

enum store_rc
store_device_list(struct store_conn *c, int64_t company_id, int64_t before,
    int limit, struct store_device **items, size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(company_id), SP_I(before > 0 ? before : INT64_MAX),
		SP_I(limit),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*n = 0;
	*items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(**items));
	rc = store_query(c, DEV_SELECT "WHERE d.company_id = $1 AND d.id < $2 "
	    "ORDER BY d.id DESC LIMIT $3", p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < (size_t)limit && store_rows_next(r))
		dev_read(r, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}
