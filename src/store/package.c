/*
 * package.c - packages, targets and acknowledgements; portable SQL.
 *
 * Who may publish and what a target may name is decided in
 * domain/package.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/package.h"

#define PACKAGE_SELECT "SELECT id, supplier_id, position, kind, target, " \
	"name, size, COALESCE(api_key_id, 0), created_at FROM packages "

/*
 * The packages a device may see: $1 its licence, $2 its company.  The
 * licence must be «ВКЛ» for the package's supplier, the company linked
 * with it (or be the supplier itself, for its own sales network), and
 * the package meant for all or for the company or licence.
 */
#define PACKAGE_VISIBLE \
	"JOIN licence_services ls ON ls.supplier_id = p.supplier_id " \
	"AND ls.licence_id = $1 " \
	"WHERE (p.supplier_id = $2 OR EXISTS (SELECT 1 FROM links k WHERE " \
	"k.supplier_id = p.supplier_id AND k.distributor_id = $2 AND " \
	"k.status = 'accepted')) AND (p.target = 'all' OR EXISTS (SELECT 1 " \
	"FROM package_targets t WHERE t.package_id = p.id AND " \
	"(t.distributor_id = $2 OR t.licence_id = $1))) "

/* Fills p from the current row (columns as in PACKAGE_SELECT). */
static void
package_read(const struct store_rows *r, struct store_package *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_rows_int(r, 0);
	p->supplier_id = store_rows_int(r, 1);
	p->position = store_rows_int(r, 2);
	snprintf(p->kind, sizeof(p->kind), "%s", store_rows_text(r, 3));
	snprintf(p->target, sizeof(p->target), "%s", store_rows_text(r, 4));
	snprintf(p->name, sizeof(p->name), "%s", store_rows_text(r, 5));
	p->size = store_rows_int(r, 6);
	p->api_key_id = store_rows_int(r, 7);
	p->created_at = store_rows_int(r, 8);
}

enum store_rc
store_package_insert(struct store_conn *c, const struct store_package *p,
    const char *payload, int64_t position, int64_t *id, struct err *e)
{
	struct store_param	pr[] = {
		SP_I(p->supplier_id), SP_I(position), SP_T(p->kind),
		SP_T(p->target), SP_T(p->name), SP_T(payload),
		SP_I((int64_t)strlen(payload)),
		p->api_key_id > 0 ? SP_I(p->api_key_id) : SP_N,
		SP_I(p->created_at),
	};

	return store_query_int(c, "INSERT INTO packages (supplier_id, "
	    "position, kind, target, name, payload, size, api_key_id, "
	    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	    "RETURNING id", pr, 9, id, e);
}

enum store_rc
store_package_target(struct store_conn *c, int64_t id,
    int64_t distributor_id, int64_t licence_id, struct err *e)
{
	struct store_param	p[] = {
		SP_I(id), distributor_id > 0 ? SP_I(distributor_id) : SP_N,
		licence_id > 0 ? SP_I(licence_id) : SP_N,
	};

	return store_exec(c, "INSERT INTO package_targets (package_id, "
	    "distributor_id, licence_id) VALUES ($1, $2, $3)", p, 3, NULL, e);
}

enum store_rc
store_package_get(struct store_conn *c, int64_t supplier_id, int64_t id,
    struct store_package *out, struct err *e)
{
	struct store_param	 p[] = { SP_I(supplier_id), SP_I(id) };
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, PACKAGE_SELECT "WHERE supplier_id = $1 AND "
	    "id = $2", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r))
		package_read(r, out);
	else if ((rc = store_rows_rc(r, e)) == STORE_OK) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "package_not_found", NULL,
		    "There is no such package here.");
	}
	store_rows_free(r);
	return rc;
}

enum store_rc
store_package_list(struct store_conn *c, int64_t supplier_id, int64_t after,
    int limit, struct store_package **items, size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(supplier_id), SP_I(after), SP_I(limit),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*items = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(**items));
	*n = 0;
	rc = store_query(c, PACKAGE_SELECT "WHERE supplier_id = $1 AND "
	    "position > $2 ORDER BY position LIMIT $3", p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < (size_t)limit && store_rows_next(r))
		package_read(r, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_package_stats(struct store_conn *c, int64_t id, int64_t *acked,
    int64_t *devices, int64_t *targets, struct err *e)
{
	struct store_param	p[] = { SP_I(id) };
	enum store_rc		rc;

	rc = store_query_int(c, "SELECT COUNT(*) FROM package_acks WHERE "
	    "package_id = $1", p, 1, acked, e);
	if (rc == STORE_OK)
		rc = store_query_int(c, "SELECT COUNT(*) FROM package_targets "
		    "WHERE package_id = $1", p, 1, targets, e);
	if (rc != STORE_OK)
		return rc;
	return store_query_int(c, "SELECT COUNT(*) FROM packages p "
	    "JOIN licence_services ls ON ls.supplier_id = p.supplier_id "
	    "JOIN licences l ON l.id = ls.licence_id "
	    "JOIN devices d ON d.licence_id = l.id AND d.released_at IS NULL "
	    "WHERE p.id = $1 AND (l.holder_id = p.supplier_id OR EXISTS "
	    "(SELECT 1 FROM links k WHERE k.supplier_id = p.supplier_id AND "
	    "k.distributor_id = l.holder_id AND k.status = 'accepted')) "
	    "AND (p.target = 'all' OR EXISTS (SELECT 1 FROM "
	    "package_targets t WHERE t.package_id = p.id AND "
	    "(t.distributor_id = l.holder_id OR t.licence_id = l.id)))",
	    p, 1, devices, e);
}

enum store_rc
store_package_code(struct store_conn *c, int64_t supplier_id, int64_t code,
    int64_t *distributor_id, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id), SP_I(code) };

	return store_query_int(c, "SELECT distributor_id FROM links WHERE "
	    "supplier_id = $1 AND code = $2 AND status = 'accepted'", p, 2,
	    distributor_id, e);
}

enum store_rc
store_package_licence(struct store_conn *c, int64_t supplier_id,
    const char *number, int64_t *id, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id), SP_T(number) };

	return store_query_int(c, "SELECT l.id FROM licences l "
	    "JOIN licence_services s ON s.licence_id = l.id AND "
	    "s.supplier_id = $1 WHERE l.number = $2 AND (l.holder_id = $1 OR "
	    "EXISTS (SELECT 1 FROM links k WHERE k.supplier_id = $1 AND "
	    "k.distributor_id = l.holder_id AND k.status = 'accepted'))",
	    p, 2, id, e);
}

/* XXX: walks every package of the supplier past after and skips the
 * acknowledged ones; see docs/KNOWN_ISSUES.md. */
enum store_rc
store_package_offers(struct store_conn *c, int64_t licence_id,
    int64_t company_id, int64_t device_id, int64_t after, int limit,
    int (*fn)(const struct store_package_offer *, void *), void *arg,
    struct err *e)
{
	struct store_param		 p[] = {
		SP_I(licence_id), SP_I(company_id), SP_I(after),
		SP_I(device_id), SP_I(limit),
	};
	struct store_package_offer	 o;
	struct store_rows		*r;
	enum store_rc			 rc;

	rc = store_query(c, "SELECT p.id, p.position, p.supplier_id, "
	    "COALESCE(s.name, ''), p.kind, p.name, p.created_at, p.payload "
	    "FROM packages p LEFT JOIN companies s ON s.id = p.supplier_id "
	    PACKAGE_VISIBLE "AND p.position > $3 AND NOT EXISTS (SELECT 1 "
	    "FROM package_acks a WHERE a.package_id = p.id AND "
	    "a.device_id = $4) ORDER BY p.position LIMIT $5", p, 5, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		o.id = store_rows_int(r, 0);
		o.position = store_rows_int(r, 1);
		o.supplier_id = store_rows_int(r, 2);
		o.supplier_name = store_rows_text(r, 3);
		o.kind = store_rows_text(r, 4);
		o.name = store_rows_text(r, 5);
		o.created_at = store_rows_int(r, 6);
		o.payload = store_rows_text(r, 7);
		o.payload_len = strlen(o.payload);
		if (fn(&o, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_package_visible(struct store_conn *c, int64_t licence_id,
    int64_t company_id, int64_t id, bool *visible, struct err *e)
{
	struct store_param	p[] = {
		SP_I(licence_id), SP_I(company_id), SP_I(id),
	};
	enum store_rc		rc;
	int64_t			n = 0;

	rc = store_query_int(c, "SELECT COUNT(*) FROM packages p "
	    PACKAGE_VISIBLE "AND p.id = $3", p, 3, &n, e);
	*visible = rc == STORE_OK && n > 0;
	return rc;
}

enum store_rc
store_package_ack(struct store_conn *c, int64_t id, int64_t device_id,
    int64_t licence_id, int64_t now, int64_t *acked_at, bool *first,
    struct err *e)
{
	struct store_param	p[] = {
		SP_I(id), SP_I(device_id), SP_I(licence_id), SP_I(now),
	};
	enum store_rc		rc;
	int64_t			changes = 0;

	rc = store_exec(c, "INSERT INTO package_acks (package_id, device_id, "
	    "licence_id, acked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO "
	    "NOTHING", p, 4, &changes, e);
	if (rc != STORE_OK)
		return rc;
	*first = changes > 0;
	return store_query_int(c, "SELECT acked_at FROM package_acks WHERE "
	    "package_id = $1 AND device_id = $2", p, 2, acked_at, e);
}
