/*
 * audit.c - SQL for the audit log.
 *
 * Appends entries and pages through those that name a company on either
 * side.  Absent ids are stored as NULL, absent texts as "".  Never updates
 * or deletes a row.
 */
#include <stdint.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "store/audit.h"
#include "store/store.h"

/*
 * Each side's newest entries are taken from its own index, at most a page
 * from each, so a page costs the same however long the log grows (a plain
 * OR would gather every entry of the company and sort them).
 */
static const char audit_list_sql[] =
    "SELECT id, at, actor_user_id, actor_company_id, ip, action,"
    " object_type, object_id, company_id, other_company_id, before, after"
    " FROM audit_log WHERE id IN ("
    "  SELECT id FROM (SELECT id FROM audit_log"
    "   WHERE company_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3) mine"
    "  UNION ALL"
    "  SELECT id FROM (SELECT id FROM audit_log"
    "   WHERE other_company_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3)"
    "   theirs)"
    " ORDER BY id DESC LIMIT $3";

/* An id parameter: 0 (none) becomes NULL. */
static struct store_param
audit_id(int64_t id)
{
	return id > 0 ? SP_I(id) : SP_N;
}

/* A text parameter: NULL becomes "". */
static struct store_param
audit_text(const char *s)
{
	return SP_T(s != NULL ? s : "");
}

enum store_rc
store_audit_add(struct store_conn *c, const struct audit_entry *a,
    struct err *e)
{
	struct store_param	p[] = {
		SP_I(a->at != 0 ? a->at : clock_now_ms()),
		audit_id(a->actor_user_id), audit_id(a->actor_company_id),
		audit_text(a->ip), audit_text(a->action),
		audit_text(a->object_type), audit_text(a->object_id),
		SP_I(a->company_id), audit_id(a->other_company_id),
		SP_T(a->before), SP_T(a->after),
	};

	if (a->action == NULL || a->action[0] == '\0' || a->company_id <= 0) {
		err_set(e, ERR_INTERNAL, "bad_audit_entry", NULL, "an audit "
		    "entry needs an action and the company it concerns");
		return STORE_ERR;
	}

	return store_exec(c, "INSERT INTO audit_log (at, actor_user_id,"
	    " actor_company_id, ip, action, object_type, object_id,"
	    " company_id, other_company_id, before, after) VALUES ($1, $2,"
	    " $3, $4, $5, $6, $7, $8, $9, $10, $11)", p, 11, NULL, e);
}

/* Reads the current row (columns as in store_audit_list's query). */
static void
audit_read(struct store_rows *r, struct audit_entry *a)
{
	a->id = store_rows_int(r, 0);
	a->at = store_rows_int(r, 1);
	a->actor_user_id = store_rows_int(r, 2);
	a->actor_company_id = store_rows_int(r, 3);
	a->ip = store_rows_text(r, 4);
	a->action = store_rows_text(r, 5);
	a->object_type = store_rows_text(r, 6);
	a->object_id = store_rows_text(r, 7);
	a->company_id = store_rows_int(r, 8);
	a->other_company_id = store_rows_int(r, 9);
	a->before = store_rows_null(r, 10) ? NULL : store_rows_text(r, 10);
	a->after = store_rows_null(r, 11) ? NULL : store_rows_text(r, 11);
}

enum store_rc
store_audit_list(struct store_conn *c, int64_t company_id, int64_t after,
    int limit, int (*fn)(const struct audit_entry *a, void *arg),
    void *arg, int64_t *next_after, struct err *e)
{
	struct store_param	 p[3];
	struct store_rows	*r;
	struct audit_entry	 a;
	enum store_rc		 rc;
	int64_t			 last = 0, next = 0;
	int			 n = 0;

	if (limit < 1)
		limit = 1;
	if (limit > AUDIT_LIST_MAX)
		limit = AUDIT_LIST_MAX;

	/* One row past the page tells whether another page follows. */
	p[0] = SP_I(company_id);
	p[1] = SP_I(after > 0 ? after : INT64_MAX);
	p[2] = SP_I(limit + 1);
	rc = store_query(c, audit_list_sql, p, 3, &r, e);
	if (rc != STORE_OK)
		goto out;

	while (store_rows_next(r)) {
		if (n == limit) {
			next = last;
			break;
		}
		memset(&a, 0, sizeof(a));
		audit_read(r, &a);
		if (fn(&a, arg) != 0)
			break;
		last = a.id;
		n++;
	}

	rc = store_rows_rc(r, e);
	store_rows_free(r);

out:
	if (next_after != NULL)
		*next_after = rc == STORE_OK ? next : 0;
	return rc;
}
