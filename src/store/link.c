/*
 * link.c - links rows in and out, portable SQL for both backends.
 *
 * Knows the columns and the guards that keep state changes atomic; who
 * may ask for which change is decided in domain/network.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/link.h"

/* The states in which a row holds its code (see 004_network.sql). */
#define LINK_LIVE "('invited', 'accepted', 'disconnected')"

#define LINK_SELECT "SELECT l.id, l.supplier_id, " \
	"COALESCE(l.distributor_id, 0), l.code, l.name, l.email, l.lang, " \
	"l.status, l.reason, l.manage_licences, COALESCE(l.invited_by, 0), " \
	"l.created_at, l.invited_at, l.expires_at, " \
	"COALESCE(l.accepted_at, 0), COALESCE(l.ended_at, 0), " \
	"l.updated_at, COALESCE(s.name, ''), COALESCE(d.name, '') " \
	"FROM links l LEFT JOIN companies s ON s.id = l.supplier_id " \
	"LEFT JOIN companies d ON d.id = l.distributor_id "

/* Fills l from the current row of r (columns as in LINK_SELECT). */
static void
link_read(const struct store_rows *r, struct store_link *l)
{
	memset(l, 0, sizeof(*l));
	l->id = store_rows_int(r, 0);
	l->supplier_id = store_rows_int(r, 1);
	l->distributor_id = store_rows_int(r, 2);
	l->code = store_rows_int(r, 3);
	store_rows_copy(r, 4, l->name, sizeof(l->name));
	store_rows_copy(r, 5, l->email, sizeof(l->email));
	store_rows_copy(r, 6, l->lang, sizeof(l->lang));
	store_rows_copy(r, 7, l->status, sizeof(l->status));
	store_rows_copy(r, 8, l->reason, sizeof(l->reason));
	l->manage_licences = store_rows_int(r, 9) != 0;
	l->invited_by = store_rows_int(r, 10);
	l->created_at = store_rows_int(r, 11);
	l->invited_at = store_rows_int(r, 12);
	l->expires_at = store_rows_int(r, 13);
	l->accepted_at = store_rows_int(r, 14);
	l->ended_at = store_rows_int(r, 15);
	l->updated_at = store_rows_int(r, 16);
	store_rows_copy(r, 17, l->supplier_name, sizeof(l->supplier_name));
	store_rows_copy(r, 18, l->distributor_name,
	    sizeof(l->distributor_name));
}

/* link_read for store_query_one. */
static void
link_read_any(const struct store_rows *r, void *out)
{
	link_read(r, out);
}

/* Runs a query expected to give at most one row. */
static enum store_rc
link_query_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct store_link *out,
    struct err *e)
{
	return store_query_one(c, sql, p, np, link_read_any, out,
	    "link_not_found",
	    "There is no such distributor or supplier here.", e);
}

/* Runs an UPDATE that must change exactly one row; STORE_NOTFOUND (e
 * filled with id and msg) when its guard matched nothing. */
static enum store_rc
link_update_one(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, const char *id, const char *msg,
    struct err *e)
{
	enum store_rc	rc;
	int64_t		changes = 0;

	rc = store_exec(c, sql, p, np, &changes, e);
	if (rc == STORE_OK && changes == 0) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_CONFLICT, id, NULL, "%s", msg);
	}
	return rc;
}

enum store_rc
store_link_insert(struct store_conn *c, const struct store_link *l,
    const char *token_hash, int64_t now, int64_t *id, struct err *e)
{
	struct store_param	p[] = {
		SP_I(l->supplier_id), SP_I(l->code), SP_T(l->name),
		SP_T(l->email), SP_T(l->lang), SP_T(token_hash),
		SP_I(l->expires_at), l->invited_by > 0 ? SP_I(l->invited_by) :
		SP_N, SP_I(now),
	};
	enum store_rc		rc;

	/* DO NOTHING keeps a PostgreSQL transaction usable after a clash,
	 * so the caller may pick another code and try again. */
	rc = store_query_int(c, "INSERT INTO links (supplier_id, code, name, "
	    "email, lang, status, token_hash, expires_at, invited_by, "
	    "created_at, invited_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
	    "'invited', $6, $7, $8, $9, $9, $9) ON CONFLICT DO NOTHING "
	    "RETURNING id", p, 9, id, e);
	if (rc == STORE_NOTFOUND) {
		rc = STORE_CONFLICT;
		err_set(e, ERR_CONFLICT, "code_taken", "code",
		    "Code %lld is already used by another distributor.",
		    (long long)l->code);
	}
	return rc;
}

enum store_rc
store_link_code_used(struct store_conn *c, int64_t supplier_id,
    int64_t code, int64_t except_id, bool *used, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(code), SP_I(except_id),
	};
	enum store_rc		rc;
	int64_t			n = 0;

	rc = store_query_int(c, "SELECT count(*) FROM links "
	    "WHERE supplier_id = $1 AND code = $2 AND id <> $3 "
	    "AND status IN " LINK_LIVE, p, 3, &n, e);
	*used = n > 0;
	return rc;
}

enum store_rc
store_link_email_open(struct store_conn *c, int64_t supplier_id,
    const char *email, bool *open, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id), SP_T(email) };
	enum store_rc		rc;
	int64_t			n = 0;

	rc = store_query_int(c, "SELECT count(*) FROM links "
	    "WHERE supplier_id = $1 AND email = $2 "
	    "AND status IN ('invited', 'accepted')", p, 2, &n, e);
	*open = n > 0;
	return rc;
}

enum store_rc
store_link_code_lowest_free(struct store_conn *c, int64_t supplier_id,
    int64_t *code, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id) };
	enum store_rc		rc;

	/* A free code is either the lowest one or just above a held one. */
	rc = store_query_int(c, "SELECT t.c FROM (SELECT 10000 AS c "
	    "UNION ALL SELECT code + 1 FROM links WHERE supplier_id = $1 "
	    "AND status IN " LINK_LIVE " AND code < 99999) t "
	    "WHERE NOT EXISTS (SELECT 1 FROM links m WHERE m.supplier_id = $1 "
	    "AND m.code = t.c AND m.status IN " LINK_LIVE ") "
	    "ORDER BY t.c LIMIT 1", p, 1, code, e);
	if (rc == STORE_NOTFOUND)
		err_set(e, ERR_CONFLICT, "codes_exhausted", "code",
		    "Every distributor code from %d to %d is in use.",
		    LINK_CODE_MIN, LINK_CODE_MAX);
	return rc;
}

enum store_rc
store_link_get(struct store_conn *c, enum link_side side,
    int64_t company_id, int64_t id, struct store_link *out, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id), SP_I(id) };

	if (side == LINK_SUPPLIER)
		return link_query_one(c, LINK_SELECT "WHERE l.supplier_id = $1 "
		    "AND l.id = $2", p, 2, out, e);
	return link_query_one(c, LINK_SELECT "WHERE l.distributor_id = $1 "
	    "AND l.id = $2 AND l.status = 'accepted'", p, 2, out, e);
}

enum store_rc
store_link_find_token(struct store_conn *c, const char *token_hash,
    struct store_link *out, struct err *e)
{
	struct store_param	p[] = { SP_T(token_hash) };

	return link_query_one(c, LINK_SELECT "WHERE l.token_hash = $1",
	    p, 1, out, e);
}

enum store_rc
store_link_list(struct store_conn *c, enum link_side side,
    int64_t company_id, int64_t after, int limit, struct store_link **items,
    size_t *n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(company_id), SP_I(after), SP_I(limit),
	};
	struct store_rows	*r;
	enum store_rc		 rc;
	const char		*sql;

	*n = 0;
	*items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(**items));
	if (side == LINK_SUPPLIER)
		sql = LINK_SELECT "WHERE l.supplier_id = $1 AND l.id > $2 "
		    "ORDER BY l.id LIMIT $3";
	else
		sql = LINK_SELECT "WHERE l.distributor_id = $1 AND l.id > $2 "
		    "AND l.status = 'accepted' ORDER BY l.id LIMIT $3";

	rc = store_query(c, sql, p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < (size_t)limit && store_rows_next(r))
		link_read(r, &(*items)[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_link_active(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, bool *linked, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(distributor_id),
	};
	enum store_rc		rc;
	int64_t			n = 0;

	rc = store_query_int(c, "SELECT count(*) FROM links "
	    "WHERE supplier_id = $1 AND distributor_id = $2 "
	    "AND status = 'accepted'", p, 2, &n, e);
	*linked = n > 0;
	return rc;
}

enum store_rc
store_link_spend(struct store_conn *c, const char *token_hash,
    int64_t company_id, bool accept, int64_t now, int64_t *id,
    struct err *e)
{
	struct store_param	 p[] = {
		SP_T(token_hash), SP_I(company_id), SP_I(now),
	};
	const char		*sql;
	enum store_rc		 rc;

	/* The guard is the whole rule: a second tab, an expired token or a
	 * revoked one all find no row, and the token dies with its use. */
	if (accept)
		sql = "UPDATE links SET status = 'accepted', "
		    "distributor_id = $2, token_hash = NULL, "
		    "accepted_at = $3, ended_at = NULL, updated_at = $3 "
		    "WHERE token_hash = $1 AND status = 'invited' "
		    "AND expires_at > $3 AND supplier_id <> $2 "
		    "AND (distributor_id IS NULL OR distributor_id = $2) "
		    "RETURNING id";
	else
		sql = "UPDATE links SET status = 'declined', "
		    "distributor_id = $2, token_hash = NULL, "
		    "ended_at = $3, updated_at = $3 "
		    "WHERE token_hash = $1 AND status = 'invited' "
		    "AND expires_at > $3 AND supplier_id <> $2 "
		    "AND (distributor_id IS NULL OR distributor_id = $2) "
		    "RETURNING id";

	rc = store_query_int(c, sql, p, 3, id, e);
	if (rc == STORE_NOTFOUND)
		err_set(e, ERR_NOTFOUND, "invitation_invalid", NULL,
		    "This invitation cannot be used.");
	else if (rc == STORE_CONFLICT)
		err_set(e, ERR_CONFLICT, "already_linked", NULL,
		    "Your company is already linked with this supplier.");
	return rc;
}

enum store_rc
store_link_reissue(struct store_conn *c, int64_t supplier_id, int64_t id,
    const char *token_hash, int64_t expires_at, int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(id), SP_T(token_hash),
		SP_I(expires_at), SP_I(now),
	};
	enum store_rc		rc;

	rc = link_update_one(c, "UPDATE links SET status = 'invited', "
	    "token_hash = $3, expires_at = $4, invited_at = $5, "
	    "ended_at = NULL, reason = '', updated_at = $5, "
	    "distributor_id = CASE WHEN status = 'disconnected' "
	    "THEN distributor_id ELSE NULL END "
	    "WHERE supplier_id = $1 AND id = $2 AND status IN ('invited', "
	    "'declined', 'revoked', 'disconnected')", p, 5,
	    "invalid_state", "This invitation cannot be sent again now.", e);
	if (rc == STORE_CONFLICT)
		err_set(e, ERR_CONFLICT, "code_taken", "code",
		    "The code of this invitation is now used by another "
		    "distributor.");
	return rc;
}

enum store_rc
store_link_revoke(struct store_conn *c, int64_t supplier_id, int64_t id,
    int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(id), SP_I(now),
	};

	return link_update_one(c, "UPDATE links SET status = 'revoked', "
	    "token_hash = NULL, ended_at = $3, updated_at = $3 "
	    "WHERE supplier_id = $1 AND id = $2 AND status = 'invited'",
	    p, 3, "invalid_state",
	    "Only an invitation that is still open can be revoked.", e);
}

enum store_rc
store_link_disconnect(struct store_conn *c, int64_t supplier_id,
    int64_t id, const char *reason, int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(id), SP_T(reason), SP_I(now),
	};

	return link_update_one(c, "UPDATE links SET status = "
	    "'disconnected', reason = $3, manage_licences = 0, "
	    "ended_at = $4, updated_at = $4 "
	    "WHERE supplier_id = $1 AND id = $2 AND status = 'accepted'",
	    p, 4, "invalid_state",
	    "Only a connected distributor can be disconnected.", e);
}

enum store_rc
store_link_set_manage(struct store_conn *c, int64_t distributor_id,
    int64_t id, bool on, int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(distributor_id), SP_I(id), SP_I(on ? 1 : 0), SP_I(now),
	};
	enum store_rc		rc;
	int64_t			changes = 0;

	rc = store_exec(c, "UPDATE links SET manage_licences = $3, "
	    "updated_at = $4 WHERE distributor_id = $1 AND id = $2 "
	    "AND status = 'accepted'", p, 4, &changes, e);
	if (rc == STORE_OK && changes == 0) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "link_not_found", NULL,
		    "There is no such supplier here.");
	}
	return rc;
}
