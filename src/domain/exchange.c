/*
 * exchange.c - one upload of documents: check them all, then store the
 * good ones in one transaction that also records refusals and counts.
 *
 * Documents are checked before the transaction starts, so the supplier's
 * feed counter is held only for the inserts and the commit.  They are
 * inserted in uuid order, so two uploads that share uuids (a resend racing
 * its original) lock them in the same order and cannot deadlock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/exchange.h"
#include "store/feed.h"

/* One document of the upload while it is handled. */
struct exchange_item {
	struct document		 doc;
	json_t			*raw;	/* as sent, borrowed */
	bool			 ok;	/* passed the checks */
	struct exchange_result	*res;
};

/* An upload in progress. */
struct exchange_job {
	const struct exchange_sender	*s;
	struct exchange_item		*items;
	struct exchange_item		**order;	/* ok items by uuid */
	struct exchange_item		**all;		/* all, by uuid */
	size_t				 n;
	size_t				 nok;
	int64_t				 now;
};

const char *
exchange_status_name(enum exchange_status st)
{
	static const char *const names[] = {
		[EXCHANGE_STORED] = "stored",
		[EXCHANGE_DUPLICATE] = "duplicate",
		[EXCHANGE_CONFLICT] = "conflict",
		[EXCHANGE_REJECTED] = "rejected",
	};

	return names[st];
}

void
exchange_upload_release(struct exchange_upload *u)
{
	free(u->results);
	u->results = NULL;
	u->n = 0;
}

/* Orders items by the uuid of their answer, then by index. */
static int
exchange_cmp(const void *a, const void *b)
{
	const struct exchange_item	*x = *(struct exchange_item *const *)a;
	const struct exchange_item	*y = *(struct exchange_item *const *)b;
	int				 d;

	if ((d = strcmp(x->res->uuid, y->res->uuid)) != 0)
		return d;
	return x->res->index < y->res->index ? -1 :
	    x->res->index > y->res->index;
}

/* Keeps the uuid a refused document was sent with, if it is one. */
static void
exchange_uuid_of(json_t *o, char out[DOCUMENT_UUID_LEN + 1])
{
	if (document_uuid_parse(json_string_value(json_object_get(o,
	    "uuid")), out) != 0)
		out[0] = '\0';
}

/* Checks every document; the good ones go to j->order by uuid. */
static void
exchange_check(struct exchange_job *j, json_t *docs,
    struct exchange_upload *out)
{
	const struct device_caller	*d = j->s->device;
	struct exchange_item		*it;
	size_t				 i;

	for (i = 0; i < j->n; i++) {
		it = &j->items[i];
		it->res = &out->results[i];
		it->res->index = i;
		it->raw = json_array_get(docs, i);
		it->ok = document_parse(json_array_get(docs, i), j->s->source,
		    d != NULL ? d->user_name : NULL, j->now, &it->doc,
		    &it->res->err) == 0;
		if (it->ok) {
			memcpy(it->res->uuid, it->doc.uuid,
			    sizeof(it->res->uuid));
			j->order[j->nok++] = it;
		} else {
			exchange_uuid_of(json_array_get(docs, i),
			    it->res->uuid);
			it->res->status = EXCHANGE_REJECTED;
		}
		j->all[i] = it;
	}
	qsort(j->order, j->nok, sizeof(*j->order), exchange_cmp);
	qsort(j->all, j->n, sizeof(*j->all), exchange_cmp);
}

/* Whether the link and, for a phone, the licence let documents in.
 * Returns 0 (with *refuse filled when they do not) or -1 on a store
 * error. */
static int
exchange_gate(struct store_conn *c, const struct exchange_job *j,
    const struct store_exchange_link *l, struct err *refuse, struct err *e)
{
	struct err	why;

	err_clear(refuse);
	if (strcmp(l->status, "accepted") != 0) {
		err_set(refuse, ERR_FORBIDDEN, "link_revoked", NULL,
		    "The supplier's link with this distributor has ended; "
		    "documents are not accepted for it.");
		return 0;
	}
	if (j->s->device == NULL)
		return 0;
	err_clear(&why);
	if (device_supplier_check(c, j->s->device, l->supplier_id, &why) ==
	    0)
		return 0;
	if (why.code != ERR_FORBIDDEN) {
		*e = why;
		return -1;
	}
	err_set(refuse, ERR_FORBIDDEN, "licence_out_of_service", NULL,
	    "This licence is «ВНЕ СЕРВИСА» for the supplier; connect it in "
	    "Т-Обмен first.");
	return 0;
}

/* Fills the row of item it as the store wants it. */
static void
exchange_row(const struct exchange_job *j, const struct exchange_item *it,
    const struct store_exchange_link *l, struct store_document *d)
{
	const struct device_caller	*dev = j->s->device;

	memset(d, 0, sizeof(*d));
	d->supplier_id = l->supplier_id;
	d->distributor_id = j->s->distributor_id;
	d->uuid = it->doc.uuid;
	d->content_hash = it->doc.hash;
	d->kind = it->doc.kind;
	d->number = it->doc.number;
	d->doc_at = it->doc.date;
	d->received_at = j->now;
	d->distributor_code = l->code;
	d->distributor_name = l->distributor_name;
	d->licence_id = dev != NULL ? dev->licence_id : 0;
	d->licence_number = dev != NULL ? dev->number : "";
	d->device_id = dev != NULL ? dev->device_id : 0;
	d->device_mdm_id = dev != NULL ? dev->mdm_id : "";
	d->api_key_id = j->s->api_key_id;
	d->agent = it->doc.agent;
	d->outlet_code = it->doc.outlet_code;
	d->total = it->doc.total;
	d->body = it->doc.canon;
}

/* Stores one item at *last + 1 or finds its earlier copy. */
static int
exchange_store_one(struct store_conn *c, const struct exchange_job *j,
    struct exchange_item *it, const struct store_exchange_link *l,
    int64_t *last, struct err *e)
{
	struct store_document		 d;
	struct store_document_ref	 ref;
	struct exchange_result		*r = it->res;
	bool				 inserted;

	exchange_row(j, it, l, &d);
	if (store_document_insert(c, &d, *last + 1, &inserted, &r->id, e) !=
	    STORE_OK)
		return -1;
	if (inserted) {
		r->status = EXCHANGE_STORED;
		r->position = ++*last;
		r->received_at = j->now;
		return 0;
	}

	if (store_document_find(c, j->s->distributor_id, it->doc.uuid, &ref,
	    e) != STORE_OK)
		return -1;
	if (ref.supplier_id == l->supplier_id &&
	    strcmp(ref.content_hash, it->doc.hash) == 0) {
		r->status = EXCHANGE_DUPLICATE;
		r->id = ref.id;
		r->position = ref.position;
		r->received_at = ref.received_at;
		return 0;
	}
	r->status = EXCHANGE_CONFLICT;
	r->id = 0;
	err_set(&r->err, ERR_CONFLICT, "conflict", "uuid", "A document with "
	    "this uuid was received before with other content; the first "
	    "one is kept.");
	return 0;
}

/* Stores the good items under the supplier's feed counter. */
static int
exchange_store(struct store_conn *c, const struct exchange_job *j,
    const struct store_exchange_link *l, struct err *e)
{
	char	counter[32];
	int64_t	first, last;
	size_t	i;

	store_feed_counter_name(l->supplier_id, counter);
	if (store_counter_lock(c, counter, &first, e) != STORE_OK)
		return -1;
	last = first;
	for (i = 0; i < j->nok; i++)
		if (exchange_store_one(c, j, j->order[i], l, &last, e) != 0)
			return -1;
	if (last == first)
		return 0;
	return store_counter_set(c, counter, last, e) == STORE_OK ? 0 : -1;
}

/* A short string member of a document that failed its checks, to name
 * it in «Контроль»; "" when absent, not a string, or too long. */
static const char *
exchange_raw_text(json_t *raw, const char *key, size_t max)
{
	const char	*s = json_string_value(json_object_get(raw, key));
	size_t		 i;

	if (s == NULL || strlen(s) > max)
		return "";
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20)
			return "";
	return s;
}

/* Records the refusal of item it (any item not stored). */
static int
exchange_note_refusal(struct store_conn *c, const struct exchange_job *j,
    const struct exchange_item *it, const struct store_exchange_link *l,
    struct err *e)
{
	struct store_document_reject	x;

	memset(&x, 0, sizeof(x));
	x.distributor_id = j->s->distributor_id;
	x.supplier_id = l->supplier_id;
	x.uuid = it->res->uuid;
	x.kind = it->ok ? it->doc.kind : exchange_raw_text(it->raw, "kind",
	    16);
	x.number = it->ok ? it->doc.number : exchange_raw_text(it->raw,
	    "number", 64);
	x.licence_id = j->s->device != NULL ? j->s->device->licence_id : 0;
	x.api_key_id = j->s->api_key_id;
	x.code = it->res->err.id;
	x.message = it->res->err.msg;
	x.at = j->now;
	return store_document_reject(c, &x, e) == STORE_OK ? 0 : -1;
}

/* Records refusals and the day's counts, in uuid order like the
 * inserts. */
static int
exchange_account(struct store_conn *c, const struct exchange_job *j,
    const struct store_exchange_link *l, struct err *e)
{
	int64_t	stored = 0, refused = 0;
	size_t	i;

	for (i = 0; i < j->n; i++) {
		switch (j->all[i]->res->status) {
		case EXCHANGE_STORED:
			stored++;
			break;
		case EXCHANGE_DUPLICATE:
			break;
		case EXCHANGE_CONFLICT:
		case EXCHANGE_REJECTED:
			refused++;
			if (exchange_note_refusal(c, j, j->all[i], l, e) != 0)
				return -1;
			break;
		}
	}
	return store_document_count(c, l->supplier_id, j->s->distributor_id,
	    j->s->device != NULL ? j->s->device->licence_id : 0, stored,
	    refused, j->now, e) == STORE_OK ? 0 : -1;
}

/* Puts the outcome of the gate on every good item. */
static void
exchange_refuse_all(struct exchange_job *j, const struct err *why)
{
	size_t	i;

	for (i = 0; i < j->nok; i++) {
		j->order[i]->res->status = EXCHANGE_REJECTED;
		j->order[i]->res->err = *why;
	}
}

/* One attempt of the whole upload in one write transaction. */
static enum store_rc
exchange_attempt(const struct app *app, struct exchange_job *j,
    int64_t supplier_id, int64_t code, struct exchange_upload *out,
    struct err *e)
{
	struct store_conn	*c;
	struct err		 refuse;
	enum store_rc		 rc = STORE_ERR;
	int			 count;

	if ((c = store_acquire(app->store, e)) == NULL)
		return STORE_ERR;
	if ((rc = store_begin(c, true, e)) != STORE_OK)
		goto out;
	rc = store_document_link(c, j->s->distributor_id, supplier_id, code,
	    &out->link, &count, e);
	if (rc != STORE_OK)
		goto out;
	if (count > 1) {
		err_set(e, ERR_CONFLICT, "supplier_ambiguous", "supplier_code",
		    "Several suppliers know this distributor by that code; "
		    "name the supplier by supplier_id.");
		rc = STORE_ERR;
		goto out;
	}

	rc = STORE_ERR;
	if (exchange_gate(c, j, &out->link, &refuse, e) != 0)
		goto out;
	if (refuse.code != ERR_NONE)
		exchange_refuse_all(j, &refuse);
	else if (exchange_store(c, j, &out->link, e) != 0)
		goto out;
	if (exchange_account(c, j, &out->link, e) != 0)
		goto out;
	rc = store_commit(c, e);

out:
	/* A failed statement would leave PostgreSQL's transaction
	 * unusable; releasing rolls back whatever is open. */
	if (rc == STORE_ERR && e->code == ERR_UNAVAILABLE)
		rc = STORE_BUSY;
	store_release(c);
	return rc;
}

/* Checks the shape of the documents array. */
static int
exchange_batch_check(json_t *docs, struct err *e)
{
	if (!json_is_array(docs) || json_array_size(docs) == 0) {
		err_set(e, ERR_INVALID, "documents_invalid", "documents",
		    "documents must be a non-empty array.");
		return -1;
	}
	if (json_array_size(docs) > EXCHANGE_BATCH_MAX) {
		err_set(e, ERR_TOOLARGE, "too_many_documents", "documents",
		    "Send at most %d documents at once.", EXCHANGE_BATCH_MAX);
		return -1;
	}
	return 0;
}

/* Counts the answers by status. */
static void
exchange_tally(struct exchange_upload *out)
{
	size_t	i;

	memset(out->count, 0, sizeof(out->count));
	for (i = 0; i < out->n; i++)
		out->count[out->results[i].status]++;
}

int
exchange_upload(const struct app *app, const struct exchange_sender *s,
    int64_t supplier_id, int64_t code, json_t *documents,
    struct exchange_upload *out, struct err *e)
{
	struct exchange_job	j = { .s = s };
	enum store_rc		rc = STORE_ERR;
	size_t			i;
	int			try;

	memset(out, 0, sizeof(*out));
	if (exchange_batch_check(documents, e) != 0)
		return -1;
	j.n = json_array_size(documents);
	j.items = xcalloc(j.n, sizeof(*j.items));
	j.order = xcalloc(j.n, sizeof(*j.order));
	j.all = xcalloc(j.n, sizeof(*j.all));
	out->results = xcalloc(j.n, sizeof(*out->results));
	out->n = j.n;
	j.now = clock_now_ms();
	exchange_check(&j, documents, out);

	for (try = 0; try < EXCHANGE_TRIES; try++) {
		rc = exchange_attempt(app, &j, supplier_id, code, out, e);
		if (rc != STORE_BUSY)
			break;
	}
	if (rc == STORE_OK)
		exchange_tally(out);

	for (i = 0; i < j.n; i++)
		document_release(&j.items[i].doc);
	free(j.all);
	free(j.order);
	free(j.items);
	return rc == STORE_OK ? 0 : -1;
}
