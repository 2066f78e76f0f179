/*
 * document.c - documents, refusals and per-day counts; portable SQL.
 *
 * Which documents are accepted, and who reads what, is decided in
 * domain/exchange.c and domain/exchange_control.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/document.h"

/* The columns of a document row, in the order of document_params. */
#define DOCUMENT_COLUMNS "INSERT INTO documents (supplier_id, " \
	"distributor_id, position, uuid, content_hash, kind, number, " \
	"doc_at, received_at, distributor_code, distributor_name, " \
	"licence_id, licence_number, device_id, device_mdm_id, api_key_id, " \
	"agent, outlet_code, total, body) VALUES "
#define DOCUMENT_NPARAMS	20

/* The conflict target names the uuid only: a clash of positions would be
 * a bug in the counter and must fail loudly. */
#define DOCUMENT_ON_CONFLICT " ON CONFLICT (distributor_id, uuid) " \
	"DO NOTHING RETURNING id, uuid"

/* The statement for STORE_DOCUMENT_BATCH rows, made once: its text never
 * changes, so each connection prepares it once. */
static char		document_batch_sql[STORE_DOCUMENT_BATCH * 160 + 512];
static pthread_once_t	document_batch_once = PTHREAD_ONCE_INIT;

static void
document_batch_build(void)
{
	size_t	n, row, k;

	n = (size_t)snprintf(document_batch_sql, sizeof(document_batch_sql),
	    "%s", DOCUMENT_COLUMNS);
	for (row = 0; row < STORE_DOCUMENT_BATCH; row++) {
		n += (size_t)snprintf(document_batch_sql + n,
		    sizeof(document_batch_sql) - n, "%s(", row > 0 ? ", " : "");
		for (k = 1; k <= DOCUMENT_NPARAMS; k++)
			n += (size_t)snprintf(document_batch_sql + n,
			    sizeof(document_batch_sql) - n, "$%zu%s",
			    row * DOCUMENT_NPARAMS + k,
			    k < DOCUMENT_NPARAMS ? ", " : ")");
	}
	snprintf(document_batch_sql + n, sizeof(document_batch_sql) - n,
	    "%s", DOCUMENT_ON_CONFLICT);
}

/* Fills p[0, DOCUMENT_NPARAMS) with d's row at position. */
static void
document_params(const struct store_document *d, int64_t position,
    struct store_param *p)
{
	struct store_param	row[DOCUMENT_NPARAMS] = {
		SP_I(d->supplier_id), SP_I(d->distributor_id), SP_I(position),
		SP_T(d->uuid), SP_T(d->content_hash), SP_T(d->kind),
		SP_T(d->number), SP_I(d->doc_at), SP_I(d->received_at),
		SP_I(d->distributor_code), SP_T(d->distributor_name),
		d->licence_id > 0 ? SP_I(d->licence_id) : SP_N,
		SP_T(d->licence_number != NULL ? d->licence_number : ""),
		d->device_id > 0 ? SP_I(d->device_id) : SP_N,
		SP_T(d->device_mdm_id != NULL ? d->device_mdm_id : ""),
		d->api_key_id > 0 ? SP_I(d->api_key_id) : SP_N,
		SP_T(d->agent), SP_T(d->outlet_code), SP_I(d->total),
		SP_TN(d->body, d->body_len),
	};

	memcpy(p, row, sizeof(row));
}

enum store_rc
store_document_insert(struct store_conn *c, const struct store_document *d,
    int64_t position, bool *inserted, int64_t *id, struct err *e)
{
	struct store_param	p[DOCUMENT_NPARAMS];
	enum store_rc		rc;

	document_params(d, position, p);
	rc = store_query_int(c, DOCUMENT_COLUMNS "($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
	    "$20)" DOCUMENT_ON_CONFLICT, p, DOCUMENT_NPARAMS, id, e);
	*inserted = rc == STORE_OK;
	if (rc == STORE_NOTFOUND) {
		err_clear(e);
		rc = STORE_OK;
	}
	return rc;
}

enum store_rc
store_document_insert_batch(struct store_conn *c,
    const struct store_document *d, int64_t first, size_t *inserted,
    int64_t *ids, struct err *e)
{
	struct store_param	 p[STORE_DOCUMENT_BATCH * DOCUMENT_NPARAMS];
	struct store_rows	*r;
	const char		*uuid;
	enum store_rc		 rc;
	size_t			 i;

	pthread_once(&document_batch_once, document_batch_build);
	*inserted = 0;
	for (i = 0; i < STORE_DOCUMENT_BATCH; i++) {
		ids[i] = 0;
		document_params(&d[i], first + (int64_t)i,
		    &p[i * DOCUMENT_NPARAMS]);
	}

	rc = store_query(c, document_batch_sql, p,
	    STORE_DOCUMENT_BATCH * DOCUMENT_NPARAMS, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		uuid = store_rows_text(r, 1);
		for (i = 0; i < STORE_DOCUMENT_BATCH; i++)
			if (ids[i] == 0 && strcmp(d[i].uuid, uuid) == 0)
				break;
		if (i < STORE_DOCUMENT_BATCH) {
			ids[i] = store_rows_int(r, 0);
			(*inserted)++;
		}
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

/* Fills the struct store_document_ref ref from the current row. */
static void
document_ref_read(const struct store_rows *r, void *ref)
{
	struct store_document_ref	*out = ref;

	out->id = store_rows_int(r, 0);
	out->supplier_id = store_rows_int(r, 1);
	out->position = store_rows_int(r, 2);
	out->received_at = store_rows_int(r, 3);
	store_rows_copy(r, 4, out->content_hash, sizeof(out->content_hash));
}

enum store_rc
store_document_find(struct store_conn *c, int64_t distributor_id,
    const char *uuid, struct store_document_ref *out, struct err *e)
{
	struct store_param	p[] = { SP_I(distributor_id), SP_T(uuid) };

	return store_query_one(c, "SELECT id, supplier_id, position, "
	    "received_at, content_hash FROM documents WHERE distributor_id "
	    "= $1 AND uuid = $2", p, 2, document_ref_read, out,
	    "document_not_found", "There is no such document.", e);
}

#define LINK_PICK "SELECT l.id, l.supplier_id, l.code, l.status, " \
	"COALESCE(s.name, ''), COALESCE(d.name, '') FROM links l " \
	"LEFT JOIN companies s ON s.id = l.supplier_id " \
	"LEFT JOIN companies d ON d.id = l.distributor_id " \
	"WHERE l.distributor_id = $1 AND l.status IN ('accepted', " \
	"'disconnected') AND "
#define LINK_ORDER " ORDER BY CASE WHEN l.status = 'accepted' THEN 0 " \
	"ELSE 1 END, l.id DESC LIMIT 16"

/* Fills the struct store_exchange_link link of a supplier sending to
 * itself from the current row (its name); the caller sets its id. */
static void
document_self_read(const struct store_rows *r, void *link)
{
	struct store_exchange_link	*out = link;

	memset(out, 0, sizeof(*out));
	snprintf(out->status, sizeof(out->status), "accepted");
	store_rows_copy(r, 0, out->supplier_name, sizeof(out->supplier_name));
	store_rows_copy(r, 0, out->distributor_name,
	    sizeof(out->distributor_name));
}

/*
 * A supplier that holds licences itself (its own sales network) sends to
 * itself without a link: a code of 0, always "accepted".  STORE_NOTFOUND
 * if company_id is not a supplier.
 */
static enum store_rc
store_document_self(struct store_conn *c, int64_t company_id,
    struct store_exchange_link *out, struct err *e)
{
	struct store_param	p[] = { SP_I(company_id) };
	enum store_rc		rc;

	rc = store_query_one(c, "SELECT name FROM companies WHERE id = $1 "
	    "AND is_supplier = 1", p, 1, document_self_read, out,
	    "supplier_not_found", "This distributor has no such supplier.",
	    e);
	if (rc == STORE_OK)
		out->supplier_id = company_id;
	return rc;
}

enum store_rc
store_document_link(struct store_conn *c, int64_t distributor_id,
    int64_t supplier_id, int64_t code, struct store_exchange_link *out,
    int *count, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(distributor_id), SP_I(supplier_id > 0 ? supplier_id :
		    code),
	};
	struct store_rows	*r;
	enum store_rc		 rc;

	*count = 0;
	if (supplier_id == distributor_id) {
		rc = store_document_self(c, distributor_id, out, e);
		*count = rc == STORE_OK;
		return rc;
	}
	rc = store_query(c, supplier_id > 0 ?
	    LINK_PICK "l.supplier_id = $2" LINK_ORDER :
	    LINK_PICK "l.code = $2" LINK_ORDER, p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;

	while (store_rows_next(r)) {
		if (*count == 0) {
			out->link_id = store_rows_int(r, 0);
			out->supplier_id = store_rows_int(r, 1);
			out->code = store_rows_int(r, 2);
			snprintf(out->status, sizeof(out->status), "%s",
			    store_rows_text(r, 3));
			snprintf(out->supplier_name,
			    sizeof(out->supplier_name), "%s",
			    store_rows_text(r, 4));
			snprintf(out->distributor_name,
			    sizeof(out->distributor_name), "%s",
			    store_rows_text(r, 5));
		}
		/* Only other live links make a code ambiguous. */
		if (*count == 0 || (strcmp(store_rows_text(r, 3),
		    "accepted") == 0 && store_rows_int(r, 1) !=
		    out->supplier_id))
			(*count)++;
	}
	if ((rc = store_rows_rc(r, e)) == STORE_OK && *count == 0) {
		rc = STORE_NOTFOUND;
		err_set(e, ERR_NOTFOUND, "supplier_not_found", NULL,
		    "This distributor has no such supplier.");
	}
	store_rows_free(r);
	return rc;
}

enum store_rc
store_document_licence_state(struct store_conn *c, int64_t licence_id,
    int64_t supplier_id, bool *in_service, bool *blocked, struct err *e)
{
	struct store_param	 p[] = { SP_I(licence_id), SP_I(supplier_id) };
	struct store_rows	*r;
	enum store_rc		 rc;

	*in_service = false;
	*blocked = false;
	rc = store_query(c, "SELECT l.blocked, CASE WHEN EXISTS (SELECT 1 "
	    "FROM licence_services s WHERE s.licence_id = l.id AND "
	    "s.supplier_id = $2) THEN 1 ELSE 0 END FROM licences l WHERE "
	    "l.id = $1", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r)) {
		*blocked = store_rows_int(r, 0) != 0;
		*in_service = store_rows_int(r, 1) != 0;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_document_reject(struct store_conn *c,
    const struct store_document_reject *x, struct err *e)
{
	struct store_param	p[] = {
		SP_I(x->distributor_id), SP_I(x->supplier_id), SP_T(x->uuid),
		SP_T(x->kind != NULL ? x->kind : ""),
		SP_T(x->number != NULL ? x->number : ""),
		x->licence_id > 0 ? SP_I(x->licence_id) : SP_N,
		x->api_key_id > 0 ? SP_I(x->api_key_id) : SP_N,
		SP_T(x->code), SP_T(x->message), SP_I(x->at),
	};

	return store_exec(c, "INSERT INTO document_rejects (distributor_id, "
	    "supplier_id, uuid, kind, number, licence_id, api_key_id, code, "
	    "message, first_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $10) ON CONFLICT (distributor_id, supplier_id, "
	    "uuid) DO UPDATE SET kind = excluded.kind, number = "
	    "excluded.number, licence_id = excluded.licence_id, api_key_id "
	    "= excluded.api_key_id, code = excluded.code, message = "
	    "excluded.message, attempts = document_rejects.attempts + 1, "
	    "last_at = excluded.last_at", p, 10, NULL, e);
}

enum store_rc
store_document_count(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t licence_id, int64_t documents,
    int64_t rejected, int64_t now, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(distributor_id), SP_I(licence_id),
		SP_I(now / (24LL * 3600 * 1000)), SP_I(documents),
		SP_I(rejected), SP_I(now),
	};

	return store_exec(c, "INSERT INTO exchange_days (supplier_id, "
	    "distributor_id, licence_id, day, documents, rejected, last_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (supplier_id, "
	    "distributor_id, licence_id, day) DO UPDATE SET documents = "
	    "exchange_days.documents + excluded.documents, rejected = "
	    "exchange_days.rejected + excluded.rejected, last_at = CASE WHEN "
	    "excluded.last_at > exchange_days.last_at THEN excluded.last_at "
	    "ELSE exchange_days.last_at END", p, 7, NULL, e);
}

#define DAYS_SELECT "SELECT x.supplier_id, COALESCE(s.name, ''), " \
	"x.distributor_id, COALESCE(d.name, ''), COALESCE((SELECT l.code " \
	"FROM links l WHERE l.supplier_id = x.supplier_id AND " \
	"l.distributor_id = x.distributor_id AND l.status IN ('accepted', " \
	"'disconnected') ORDER BY l.id DESC LIMIT 1), 0), x.licence_id, " \
	"COALESCE(li.number, ''), COALESCE(li.user_name, ''), x.day, " \
	"x.documents, x.rejected, x.last_at FROM exchange_days x " \
	"LEFT JOIN companies s ON s.id = x.supplier_id " \
	"LEFT JOIN companies d ON d.id = x.distributor_id " \
	"LEFT JOIN licences li ON li.id = x.licence_id "
#define DAYS_ORDER " AND x.day >= $2 ORDER BY x.supplier_id, " \
	"x.distributor_id, x.licence_id, x.day"

/* Fills d from the current row (columns as in DAYS_SELECT). */
static void
days_read(const struct store_rows *r, struct store_exchange_day *d)
{
	d->supplier_id = store_rows_int(r, 0);
	d->supplier_name = store_rows_text(r, 1);
	d->distributor_id = store_rows_int(r, 2);
	d->distributor_name = store_rows_text(r, 3);
	d->code = store_rows_int(r, 4);
	d->licence_id = store_rows_int(r, 5);
	d->licence_number = store_rows_text(r, 6);
	d->user_name = store_rows_text(r, 7);
	d->day = store_rows_int(r, 8);
	d->documents = store_rows_int(r, 9);
	d->rejected = store_rows_int(r, 10);
	d->last_at = store_rows_int(r, 11);
}

enum store_rc
store_document_days(struct store_conn *c, enum document_side side,
    int64_t company_id, int64_t since,
    int (*fn)(const struct store_exchange_day *, void *), void *arg,
    struct err *e)
{
	struct store_param		 p[] = {
		SP_I(company_id), SP_I(since),
	};
	struct store_exchange_day	 d;
	struct store_rows		*r;
	enum store_rc			 rc;

	rc = store_query(c, side == DOCUMENT_AS_SUPPLIER ?
	    DAYS_SELECT "WHERE x.supplier_id = $1" DAYS_ORDER :
	    DAYS_SELECT "WHERE x.distributor_id = $1" DAYS_ORDER, p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		days_read(r, &d);
		if (fn(&d, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

/* Fills x from the current row of the rejects query. */
static void
rejects_read(const struct store_rows *r, struct store_reject_row *x)
{
	x->id = store_rows_int(r, 0);
	x->supplier_id = store_rows_int(r, 1);
	x->supplier_name = store_rows_text(r, 2);
	x->uuid = store_rows_text(r, 3);
	x->kind = store_rows_text(r, 4);
	x->number = store_rows_text(r, 5);
	x->licence_number = store_rows_text(r, 6);
	x->code = store_rows_text(r, 7);
	x->message = store_rows_text(r, 8);
	x->attempts = store_rows_int(r, 9);
	x->first_at = store_rows_int(r, 10);
	x->last_at = store_rows_int(r, 11);
	x->accepted_later = store_rows_int(r, 12) != 0;
}

enum store_rc
store_document_rejects(struct store_conn *c, int64_t distributor_id,
    int64_t before, int limit,
    int (*fn)(const struct store_reject_row *, void *), void *arg,
    struct err *e)
{
	struct store_param	 p[] = {
		SP_I(distributor_id), SP_I(before > 0 ? before : INT64_MAX),
		SP_I(limit),
	};
	struct store_reject_row	 x;
	struct store_rows	*r;
	enum store_rc		 rc;

	/* A conflict's uuid is stored by definition, with other content:
	 * it never counts as accepted later. */
	rc = store_query(c, "SELECT r.id, r.supplier_id, COALESCE(s.name, "
	    "''), r.uuid, r.kind, r.number, COALESCE(li.number, ''), r.code, "
	    "r.message, r.attempts, r.first_at, r.last_at, CASE WHEN "
	    "r.code <> 'conflict' AND EXISTS (SELECT 1 FROM documents d "
	    "WHERE d.distributor_id = r.distributor_id AND d.uuid = r.uuid "
	    "AND d.supplier_id = r.supplier_id) THEN 1 ELSE 0 END "
	    "FROM document_rejects r LEFT JOIN companies s ON s.id = "
	    "r.supplier_id LEFT JOIN licences li ON li.id = r.licence_id "
	    "WHERE r.distributor_id = $1 AND r.id < $2 ORDER BY r.id DESC "
	    "LIMIT $3", p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		rejects_read(r, &x);
		if (fn(&x, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_document_licences(struct store_conn *c, int64_t holder_id,
    int (*fn)(const struct store_control_licence *, void *), void *arg,
    struct err *e)
{
	struct store_param		 p[] = { SP_I(holder_id) };
	struct store_control_licence	 x;
	struct store_rows		*r;
	enum store_rc			 rc;

	rc = store_query(c, "SELECT l.id, l.number, l.user_name, "
	    "COALESCE(l.last_contact_at, 0), s.supplier_id, "
	    "COALESCE(co.name, ''), COALESCE(k.code, 0) FROM licences l "
	    "JOIN licence_services s ON s.licence_id = l.id "
	    "LEFT JOIN companies co ON co.id = s.supplier_id "
	    "LEFT JOIN links k ON k.supplier_id = s.supplier_id AND "
	    "k.distributor_id = l.holder_id AND k.status = 'accepted' "
	    "WHERE l.holder_id = $1 ORDER BY s.supplier_id, l.number",
	    p, 1, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		x.licence_id = store_rows_int(r, 0);
		x.number = store_rows_text(r, 1);
		x.user_name = store_rows_text(r, 2);
		x.last_contact_at = store_rows_int(r, 3);
		x.supplier_id = store_rows_int(r, 4);
		x.supplier_name = store_rows_text(r, 5);
		x.code = store_rows_int(r, 6);
		if (fn(&x, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_document_partners(struct store_conn *c, int64_t supplier_id,
    int (*fn)(const struct store_control_partner *, void *), void *arg,
    struct err *e)
{
	struct store_param		 p[] = { SP_I(supplier_id) };
	struct store_control_partner	 x;
	struct store_rows		*r;
	enum store_rc			 rc;

	/* A distributor disconnected and linked again has two rows; the
	 * accepted one is listed, else the newest. */
	rc = store_query(c, "SELECT l.distributor_id, COALESCE(d.name, ''), "
	    "l.code, l.status, COALESCE((SELECT MAX(x.last_at) FROM "
	    "exchange_days x WHERE x.supplier_id = l.supplier_id AND "
	    "x.distributor_id = l.distributor_id), 0) FROM links l "
	    "LEFT JOIN companies d ON d.id = l.distributor_id "
	    "WHERE l.supplier_id = $1 AND l.status IN ('accepted', "
	    "'disconnected') AND NOT EXISTS (SELECT 1 FROM links n WHERE "
	    "n.supplier_id = l.supplier_id AND n.distributor_id = "
	    "l.distributor_id AND n.status IN ('accepted', 'disconnected') "
	    "AND (CASE WHEN n.status = 'accepted' THEN 1 ELSE 0 END > "
	    "CASE WHEN l.status = 'accepted' THEN 1 ELSE 0 END OR "
	    "(n.status = l.status AND n.id > l.id))) ORDER BY l.code",
	    p, 1, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		x.distributor_id = store_rows_int(r, 0);
		x.name = store_rows_text(r, 1);
		x.code = store_rows_int(r, 2);
		x.status = store_rows_text(r, 3);
		x.last_at = store_rows_int(r, 4);
		if (fn(&x, arg) != 0)
			break;
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}
