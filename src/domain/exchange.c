/*
 * exchange.c - uploads of documents: check them all, then store the good
 * ones in a transaction that also records refusals and counts.
 *
 * Documents are checked before any transaction starts, so the supplier's
 * feed counter is held only for the inserts and the commit.  They are
 * inserted in uuid order, so two uploads that share uuids (a resend racing
 * its original) lock them in the same order and cannot deadlock.
 *
 * The server hands uploads to one writer thread (exchange_writer_*), which
 * takes every upload queued while it was busy and runs them in one
 * transaction, each under its own savepoint so that a failing upload is
 * undone alone: one commit (one fsync) for many uploads.  A "busy" store
 * tries the whole group again.  The checkpoint a commit may owe (SQLite)
 * runs after the group's uploads are answered, not before.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/exchange.h"
#include "store/feed.h"

/* One document of the upload while it is handled. */
struct exchange_item {
	struct document		 doc;
	const struct jval	*raw;	/* as sent, borrowed */
	bool			 ok;	/* passed the checks */
	struct exchange_result	*res;
};

/* An upload in progress. */
struct exchange_job {
	const struct exchange_sender	*s;
	int64_t				 supplier_id;	/* or 0 and code */
	int64_t				 code;
	struct exchange_upload		*out;		/* the caller's */
	struct err			*e;		/* the caller's */
	int				 rc;		/* 0 or -1 with *e */

	struct arena			*arena;		/* items, order, all */
	struct exchange_item		**order;	/* ok items by uuid */
	struct exchange_item		**all;		/* all, by uuid */
	size_t				 n;
	size_t				 nok;
	int64_t				 now;

	exchange_done_fn		 done;		/* writer's jobs */
	void				*arg;
	struct exchange_job		*next;		/* writer's queue */
};

/* The writer thread and its queue. */
struct exchange_writer {
	struct store		*st;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct exchange_job	*head, *tail;	/* queued, oldest first */
	bool			 stopping;
};

/* The most documents one group transaction takes: enough to share a
 * commit among many uploads, few enough to keep each one's wait short. */
#define EXCHANGE_GROUP_DOCS	2000

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
exchange_uuid_of(const struct jval *o, char out[DOCUMENT_UUID_LEN + 1])
{
	if (document_uuid_parse(jval_string(jval_get(o, "uuid")), out) != 0)
		out[0] = '\0';
}

/* Checks every document; the good ones go to j->order by uuid. */
static void
exchange_check(struct exchange_job *j, const struct jval *docs)
{
	struct exchange_upload		*out = j->out;
	const struct device_caller	*d = j->s->device;
	const struct jval		*raw = docs->list.first;
	struct exchange_item		*it;
	size_t				 i;

	for (i = 0; i < j->n; i++, raw = raw->next) {
		/* One by one: n of them at once would be a large block. */
		it = arena_alloc(j->arena, sizeof(*it));
		it->res = &out->results[i];
		it->res->index = i;
		it->raw = raw;
		it->ok = document_check(raw, j->s->source,
		    d != NULL ? d->user_name : NULL, j->now, &it->doc,
		    &it->res->err) == 0;
		if (it->ok) {
			memcpy(it->res->uuid, it->doc.uuid,
			    sizeof(it->res->uuid));
			j->order[j->nok++] = it;
		} else {
			exchange_uuid_of(raw, it->res->uuid);
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
	d->body_len = it->doc.canon_len;
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

/*
 * Stores the STORE_DOCUMENT_BATCH good items from j->order + at in one
 * statement, under a savepoint of their own.  Returns 1 when all were
 * new and are stored, 0 when some uuid was known (nothing is then
 * stored: the caller takes them one by one), -1 on a store error.
 */
static int
exchange_store_batch(struct store_conn *c, const struct exchange_job *j,
    size_t at, const struct store_exchange_link *l, int64_t *last,
    struct err *e)
{
	struct store_document	 d[STORE_DOCUMENT_BATCH];
	int64_t			 ids[STORE_DOCUMENT_BATCH];
	struct exchange_result	*r;
	struct err		 undo;
	size_t			 n, i;

	err_clear(&undo);
	for (i = 0; i < STORE_DOCUMENT_BATCH; i++)
		exchange_row(j, j->order[at + i], l, &d[i]);
	if (store_savepoint(c, e) != STORE_OK)
		return -1;
	if (store_document_insert_batch(c, d, *last + 1, &n, ids, e) !=
	    STORE_OK) {
		store_savepoint_rollback(c, &undo);
		return -1;
	}
	if (n < STORE_DOCUMENT_BATCH)
		return store_savepoint_rollback(c, e) == STORE_OK ? 0 : -1;
	if (store_savepoint_release(c, e) != STORE_OK)
		return -1;

	for (i = 0; i < STORE_DOCUMENT_BATCH; i++) {
		r = j->order[at + i]->res;
		r->status = EXCHANGE_STORED;
		r->id = ids[i];
		r->position = ++*last;
		r->received_at = j->now;
	}
	return 1;
}

/* Stores the good items under the supplier's feed counter: by whole
 * batches while they are new, else one by one. */
static int
exchange_store(struct store_conn *c, const struct exchange_job *j,
    const struct store_exchange_link *l, struct err *e)
{
	char	counter[32];
	int64_t	first, last;
	size_t	i = 0, k;
	int	rc;

	store_feed_counter_name(l->supplier_id, counter);
	if (store_counter_lock(c, counter, &first, e) != STORE_OK)
		return -1;
	last = first;
	while (i < j->nok) {
		k = 1;
		if (j->nok - i >= STORE_DOCUMENT_BATCH) {
			if ((rc = exchange_store_batch(c, j, i, l, &last,
			    e)) < 0)
				return -1;
			if (rc == 1) {
				i += STORE_DOCUMENT_BATCH;
				continue;
			}
			k = STORE_DOCUMENT_BATCH;
		}
		for (; k > 0; k--, i++)
			if (exchange_store_one(c, j, j->order[i], l, &last,
			    e) != 0)
				return -1;
	}
	if (last == first)
		return 0;
	return store_counter_set(c, counter, last, e) == STORE_OK ? 0 : -1;
}

/* A short string member of a document that failed its checks, to name
 * it in «Контроль»; "" when absent, not a string, or too long. */
static const char *
exchange_raw_text(const struct jval *raw, const char *key, size_t max)
{
	const char	*s = jval_string(jval_get(raw, key));
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

/* Runs upload j on c, inside the caller's transaction.  Returns
 * STORE_OK, or an error with e filled (then the caller undoes what j
 * did). */
static enum store_rc
exchange_apply(struct store_conn *c, struct exchange_job *j, struct err *e)
{
	struct exchange_upload	*out = j->out;
	struct err		 refuse;
	enum store_rc		 rc;
	int			 count;

	rc = store_document_link(c, j->s->distributor_id, j->supplier_id,
	    j->code, &out->link, &count, e);
	if (rc != STORE_OK)
		return rc;
	if (count > 1) {
		err_set(e, ERR_CONFLICT, "supplier_ambiguous", "supplier_code",
		    "Several suppliers know this distributor by that code; "
		    "name the supplier by supplier_id.");
		return STORE_ERR;
	}

	if (exchange_gate(c, j, &out->link, &refuse, e) != 0)
		return STORE_ERR;
	if (refuse.code != ERR_NONE)
		exchange_refuse_all(j, &refuse);
	else if (exchange_store(c, j, &out->link, e) != 0)
		return STORE_ERR;
	if (exchange_account(c, j, &out->link, e) != 0)
		return STORE_ERR;
	return STORE_OK;
}

/* Whether a failure is the store's passing state (a lock, a lost
 * connection), worth trying the whole group again. */
static bool
exchange_transient(enum store_rc rc, const struct err *e)
{
	return rc == STORE_BUSY ||
	    (rc == STORE_ERR && e->code == ERR_UNAVAILABLE);
}

/* Runs jobs[0, n) in one write transaction, each under a savepoint.
 * Returns STORE_OK when the transaction committed (each job's rc says
 * how it went), or the error that undid all of them, with e filled.
 * With due non-NULL the commit leaves its checkpoint to the caller, and
 * *due says whether one is owed. */
static enum store_rc
exchange_group_once(struct store *st, struct exchange_job **jobs, size_t n,
    bool *due, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;
	size_t			 i;

	if ((c = store_acquire(st, e)) == NULL)
		return STORE_BUSY;
	if ((rc = store_begin(c, true, e)) != STORE_OK)
		goto out;

	for (i = 0; i < n; i++) {
		err_clear(jobs[i]->e);
		if ((rc = store_savepoint(c, e)) != STORE_OK)
			goto out;
		rc = exchange_apply(c, jobs[i], jobs[i]->e);
		if (rc == STORE_OK) {
			jobs[i]->rc = 0;
			rc = store_savepoint_release(c, e);
		} else if (exchange_transient(rc, jobs[i]->e)) {
			*e = *jobs[i]->e;
		} else {
			jobs[i]->rc = -1;
			rc = store_savepoint_rollback(c, e);
		}
		if (rc != STORE_OK)
			goto out;
	}
	rc = due != NULL ? store_commit_lazy(c, due, e) : store_commit(c, e);

out:
	/* Releasing rolls back whatever is still open. */
	store_release(c);
	return rc;
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

/* Runs a group, trying again while the store is busy; every job ends
 * with its rc set (and its answers counted when it is 0).  due as
 * exchange_group_once takes it. */
static void
exchange_group(struct store *st, struct exchange_job **jobs, size_t n,
    bool *due)
{
	struct err	e;
	enum store_rc	rc = STORE_ERR;
	size_t		i;
	int		try;

	for (try = 0; try < EXCHANGE_TRIES; try++) {
		err_clear(&e);
		rc = exchange_group_once(st, jobs, n, due, &e);
		if (!exchange_transient(rc, &e))
			break;
	}
	if (rc == STORE_ERR && e.code == ERR_UNAVAILABLE)
		rc = STORE_BUSY;
	for (i = 0; i < n; i++) {
		if (rc != STORE_OK) {
			jobs[i]->rc = -1;
			*jobs[i]->e = e;
		} else if (jobs[i]->rc == 0) {
			exchange_tally(jobs[i]->out);
		}
	}
}

/* Checks the shape of the documents array. */
static int
exchange_batch_check(const struct jval *docs, struct err *e)
{
	if (!jval_is(docs, JVAL_ARRAY) || docs->list.n == 0) {
		err_set(e, ERR_INVALID, "documents_invalid", "documents",
		    "documents must be a non-empty array.");
		return -1;
	}
	if (docs->list.n > EXCHANGE_BATCH_MAX) {
		err_set(e, ERR_TOOLARGE, "too_many_documents", "documents",
		    "Send at most %d documents at once.", EXCHANGE_BATCH_MAX);
		return -1;
	}
	return 0;
}

/* The job of exchange_upload and exchange_job_read; a (owned) holds
 * its items and may hold documents.  NULL after freeing a. */
static struct exchange_job *
exchange_job_make(const struct exchange_sender *s, int64_t supplier_id,
    int64_t code, const struct jval *documents, struct arena *a,
    struct exchange_upload *out, struct err *e)
{
	struct exchange_job	*j;

	memset(out, 0, sizeof(*out));
	if (exchange_batch_check(documents, e) != 0) {
		arena_free(a);
		return NULL;
	}

	j = arena_alloc(a, sizeof(*j));
	j->arena = a;
	j->s = s;
	j->supplier_id = supplier_id;
	j->code = code;
	j->out = out;
	j->e = e;
	j->rc = -1;
	j->n = documents->list.n;
	j->order = arena_alloc(a, j->n * sizeof(*j->order));
	j->all = arena_alloc(a, j->n * sizeof(*j->all));
	out->results = xcalloc(j->n, sizeof(*out->results));
	out->n = j->n;
	j->now = clock_now_ms();
	exchange_check(j, documents);
	return j;
}

struct exchange_job *
exchange_job_read(const struct exchange_sender *s, int64_t supplier_id,
    int64_t code, const struct jval *documents, struct exchange_upload *out,
    struct err *e)
{
	return exchange_job_make(s, supplier_id, code, documents, arena_new(),
	    out, e);
}

void
exchange_job_free(struct exchange_job *j)
{
	size_t	i;

	if (j == NULL)
		return;
	for (i = 0; i < j->n; i++)
		document_release(&j->all[i]->doc);
	arena_free(j->arena);
}

int
exchange_upload(const struct app *app, const struct exchange_sender *s,
    int64_t supplier_id, int64_t code, json_t *documents,
    struct exchange_upload *out, struct err *e)
{
	struct exchange_job	*j;
	struct arena		*a = arena_new();
	int			 rc;

	j = exchange_job_make(s, supplier_id, code,
	    jval_from_json(documents, a), a, out, e);
	if (j == NULL)
		return -1;
	exchange_group(app->store, &j, 1, NULL);
	rc = j->rc;
	exchange_job_free(j);
	return rc;
}

/* Takes the oldest queued jobs, up to EXCHANGE_GROUP_DOCS documents (at
 * least one job), into jobs; returns how many.  Called locked. */
static size_t
exchange_writer_take(struct exchange_writer *w, struct exchange_job ***jobs,
    size_t *cap)
{
	struct exchange_job	*j;
	size_t			 n = 0, docs = 0;

	while ((j = w->head) != NULL &&
	    (n == 0 || docs + j->n <= EXCHANGE_GROUP_DOCS)) {
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		j->next = NULL;
		if (n == *cap) {
			*cap = *cap * 2 + 16;
			*jobs = xrealloc(*jobs, *cap * sizeof(**jobs));
		}
		(*jobs)[n++] = j;
		docs += j->n;
	}
	return n;
}

/* The writer thread: groups what is queued until stopped and drained. */
static void *
exchange_writer_main(void *arg)
{
	struct exchange_writer	 *w = arg;
	struct exchange_job	**jobs = NULL;
	struct err		  e;
	size_t			  cap = 0, n, i;
	bool			  due;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->head == NULL)
			break;
		n = exchange_writer_take(w, &jobs, &cap);
		pthread_mutex_unlock(&w->mu);

		due = false;
		exchange_group(w->st, jobs, n, &due);
		/* A done callback may hand the job's memory back. */
		for (i = 0; i < n; i++)
			jobs[i]->done(jobs[i]->arg, jobs[i]->rc);
		/* The uploads are answered: copying the log home no longer
		 * delays them.  A checkpoint that cannot run now is owed
		 * again by the next commit. */
		if (due) {
			err_clear(&e);
			(void)store_checkpoint(w->st, &e);
		}

		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	free(jobs);
	return NULL;
}

struct exchange_writer *
exchange_writer_start(struct store *st, struct err *e)
{
	struct exchange_writer	*w;

	w = xcalloc(1, sizeof(*w));
	w->st = st;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, exchange_writer_main, w) != 0) {
		err_set(e, ERR_INTERNAL, "thread_failed", NULL,
		    "The upload writer thread could not start.");
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void
exchange_writer_submit(struct exchange_writer *w, struct exchange_job *j,
    exchange_done_fn done, void *arg)
{
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&w->mu);
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void
exchange_writer_stop(struct exchange_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
