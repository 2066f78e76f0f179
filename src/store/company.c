/*
 * company.c - SQL for the companies table.
 *
 * The statements are written once for both backends ($N parameters,
 * RETURNING).  Only storage here: checking names, numbers and rights
 * belongs to domain/.
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/xmalloc.h"
#include "store/company.h"
#include "store/store.h"

#define COMPANY_COLUMNS STORE_COMPANY_COLS("")

void
company_init(struct company *co)
{
	memset(co, 0, sizeof(*co));
}

void
company_release(struct company *co)
{
	free(co->name);
	free(co->inn);
	free(co->kpp);
	free(co->address);
	free(co->phone);
	company_init(co);
}

void
company_page_release(struct company_page *pg)
{
	int	i;

	for (i = 0; i < pg->n; i++)
		company_release(&pg->items[i]);
	free(pg->items);
	memset(pg, 0, sizeof(*pg));
}

/* Returns s, or "" for NULL, so optional fields are never SQL NULL. */
static const char *
company_text(const char *s)
{
	return s != NULL ? s : "";
}

void
store_company_read(const struct store_rows *r, int col, struct company *co)
{
	company_release(co);
	if (store_rows_null(r, col))
		return;
	co->id = store_rows_int(r, col);
	co->name = xstrdup(store_rows_text(r, col + 1));
	co->inn = xstrdup(store_rows_text(r, col + 2));
	co->kpp = xstrdup(store_rows_text(r, col + 3));
	co->address = xstrdup(store_rows_text(r, col + 4));
	co->phone = xstrdup(store_rows_text(r, col + 5));
	co->is_supplier = store_rows_int(r, col + 6) != 0;
	co->is_distributor = store_rows_int(r, col + 7) != 0;
	co->created_at = store_rows_int(r, col + 8);
	co->updated_at = store_rows_int(r, col + 9);
}

/* Inserts co as it is and sets *id. */
static enum store_rc
company_insert_row(struct store_conn *c, const struct company *co,
    int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_T(co->name), SP_T(company_text(co->inn)),
		SP_T(company_text(co->kpp)), SP_T(company_text(co->address)),
		SP_T(company_text(co->phone)), SP_I(co->is_supplier),
		SP_I(co->is_distributor), SP_I(co->created_at),
		SP_I(co->updated_at),
	};

	return store_query_int(c, "INSERT INTO companies (name, inn, kpp,"
	    " address, phone, is_supplier, is_distributor, created_at,"
	    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " RETURNING id", p, 9, id, e);
}

enum store_rc
store_company_insert(struct store_conn *c, struct company *co,
    struct err *e)
{
	int64_t		now = clock_now_ms(), id;
	enum store_rc	rc;

	if (co->created_at == 0)
		co->created_at = now;
	if (co->updated_at == 0)
		co->updated_at = now;

	if ((rc = company_insert_row(c, co, &id, e)) == STORE_OK)
		co->id = id;
	return rc;
}

enum store_rc
store_company_get(struct store_conn *c, int64_t id, struct company *out,
    struct err *e)
{
	struct store_param	 p[] = { SP_I(id) };
	struct store_rows	*r;
	enum store_rc		 rc;

	company_release(out);
	rc = store_query(c, "SELECT " COMPANY_COLUMNS " FROM companies"
	    " WHERE id = $1", p, 1, &r, e);
	if (rc != STORE_OK)
		return rc;

	if (store_rows_next(r))
		store_company_read(r, 0, out);
	else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		err_set(e, ERR_NOTFOUND, "not_found", NULL,
		    "no company %lld", (long long)id);
		rc = STORE_NOTFOUND;
	}

	store_rows_free(r);
	return rc;
}

enum store_rc
store_company_update(struct store_conn *c, struct company *co,
    struct err *e)
{
	int64_t			now = clock_now_ms(), changes;
	struct store_param	p[] = {
		SP_I(co->id), SP_T(co->name), SP_T(company_text(co->inn)),
		SP_T(company_text(co->kpp)), SP_T(company_text(co->address)),
		SP_T(company_text(co->phone)), SP_I(co->is_supplier),
		SP_I(co->is_distributor), SP_I(now),
	};
	enum store_rc		rc;

	rc = store_exec(c, "UPDATE companies SET name = $2, inn = $3,"
	    " kpp = $4, address = $5, phone = $6, is_supplier = $7,"
	    " is_distributor = $8, updated_at = $9 WHERE id = $1", p, 9,
	    &changes, e);
	if (rc != STORE_OK)
		return rc;
	if (changes == 0) {
		err_set(e, ERR_NOTFOUND, "not_found", NULL,
		    "no company %lld", (long long)co->id);
		return STORE_NOTFOUND;
	}
	co->updated_at = now;
	return STORE_OK;
}

enum store_rc
store_company_list(struct store_conn *c, int64_t after, int limit,
    struct company_page *out, struct err *e)
{
	struct store_param	 p[2];
	struct store_rows	*r;
	enum store_rc		 rc;

	memset(out, 0, sizeof(*out));
	if (limit < 1)
		limit = 1;
	if (limit > COMPANY_LIST_MAX)
		limit = COMPANY_LIST_MAX;

	/* One row past the page tells whether another page follows. */
	p[0] = SP_I(after);
	p[1] = SP_I(limit + 1);
	rc = store_query(c, "SELECT " COMPANY_COLUMNS " FROM companies"
	    " WHERE id > $1 ORDER BY id LIMIT $2", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;

	out->items = xcalloc((size_t)limit, sizeof(*out->items));
	while (store_rows_next(r)) {
		if (out->n == limit) {
			out->next_after = out->items[limit - 1].id;
			break;
		}
		store_company_read(r, 0, &out->items[out->n++]);
	}

	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}
