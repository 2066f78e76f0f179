/*
 * exchange.h - receiving documents from agents' phones and from
 * distributors' own systems, for one supplier per upload.
 *
 * The rules:
 * - The supplier is named by its id or by the distributor's 5-digit code
 *   in its network.  A supplier the distributor was never linked with is
 *   ERR_NOTFOUND "supplier_not_found" for the whole upload, so nothing is
 *   learnt about other companies; a code that names several suppliers is
 *   ERR_CONFLICT "supplier_ambiguous".
 * - Each document gets its own answer.  stored: checked and durable once
 *   the call returns 0.  duplicate: its uuid is already stored with the
 *   same content and supplier; nothing changes and the first answer (id,
 *   position, time) is given again.  conflict: its uuid is stored with
 *   other content or for another supplier; the first stays, this one is
 *   refused.  rejected: it fails a check of domain/document.h, or the
 *   link was ended ("link_revoked"), or the phone's licence is not «ВКЛ»
 *   for the supplier ("licence_out_of_service").  The sender keeps what
 *   was not stored and may send it again.
 * - Refused documents (conflicts included) are recorded for «Контроль»,
 *   and every upload adds to the per-day counts, in the same transaction
 *   as the documents.
 * - Stored documents take the next positions of the supplier's feed in
 *   commit order (store/feed.h), so the feed never skips one.
 * - A supplier with licences of its own (its own sales network) sends to
 *   itself: no link is needed, and its code is 0 (null in answers).
 *
 * - Uploads submitted to the writer together share one transaction and
 *   one commit; each runs under its own savepoint, so one that fails is
 *   undone alone and the others are stored.
 *
 * Tenancy: the distributor is the phone's licence holder or the key's
 * company, never a member of the request.  Functions borrow a store
 * connection, fill e on failure and never log.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_EXCHANGE_H
#define TOBMEN_DOMAIN_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app.h"
#include "core/err.h"
#include "domain/device.h"
#include "domain/document.h"
#include "store/document.h"

/* The most documents in one upload. */
#define EXCHANGE_BATCH_MAX	500
/* Times a whole upload is tried again when the store says "busy". */
#define EXCHANGE_TRIES		4

/* Who sends. */
struct exchange_sender {
	enum document_source		 source;
	int64_t				 distributor_id;
	const struct device_caller	*device;	/* a phone's */
	int64_t				 api_key_id;	/* a system's */
};

enum exchange_status {
	EXCHANGE_STORED,
	EXCHANGE_DUPLICATE,
	EXCHANGE_CONFLICT,
	EXCHANGE_REJECTED,
};

/* The answer for one document of an upload. */
struct exchange_result {
	size_t			 index;		/* in the request */
	char			 uuid[DOCUMENT_UUID_LEN + 1]; /* "" if bad */
	enum exchange_status	 status;
	int64_t			 id;		/* stored and duplicate */
	int64_t			 position;
	int64_t			 received_at;
	struct err		 err;		/* conflict and rejected */
};

/* What an upload did. */
struct exchange_upload {
	struct store_exchange_link	 link;	/* the supplier, the code */
	struct exchange_result		*results;	/* malloc'd, n */
	size_t				 n;
	size_t				 count[4];	/* by status */
};

/*
 * Checks and stores documents (a JSON array of 1 to EXCHANGE_BATCH_MAX
 * objects) from s for the supplier named by supplier_id (> 0) or, when it
 * is 0, by code.  Returns 0 with out filled (every document answered),
 * or -1 with e for the whole upload: ERR_INVALID "documents_invalid",
 * ERR_TOOLARGE "too_many_documents", ERR_NOTFOUND "supplier_not_found",
 * ERR_CONFLICT "supplier_ambiguous", or a store error (nothing stored).
 * out must be released with exchange_upload_release either way.
 */
int	exchange_upload(const struct app *app, const struct exchange_sender *s,
	    int64_t supplier_id, int64_t code, json_t *documents,
	    struct exchange_upload *out, struct err *e);

void	exchange_upload_release(struct exchange_upload *u);

/*
 * The same upload in two steps, for the server, with the documents read
 * into an arena tree (http_req_tree): exchange_job_read checks the array
 * and every document on the calling thread and returns the job, or NULL
 * with e filled (ERR_INVALID "documents_invalid", ERR_TOOLARGE
 * "too_many_documents"; out is then empty).  The job keeps s, documents,
 * out and e, which must outlive it, and answers into out and e when run
 * (exchange_writer_submit).  out must be released with
 * exchange_upload_release either way.
 */
struct exchange_job;
struct exchange_job *exchange_job_read(const struct exchange_sender *s,
	    int64_t supplier_id, int64_t code, const struct jval *documents,
	    struct exchange_upload *out, struct err *e);
void	exchange_job_free(struct exchange_job *j);

/*
 * The writer: one thread that stores the uploads submitted to it, as
 * many as are waiting in one transaction (see exchange.c), and then calls
 * each one's done(arg, rc) on its own thread, rc being what
 * exchange_upload would have returned.  done may free the job.
 * exchange_writer_stop stores what is still queued, then ends the thread.
 */
struct exchange_writer;
typedef void	(*exchange_done_fn)(void *arg, int rc);

struct exchange_writer *exchange_writer_start(struct store *st,
	    struct err *e);
void	exchange_writer_submit(struct exchange_writer *w,
	    struct exchange_job *j, exchange_done_fn done, void *arg);
void	exchange_writer_stop(struct exchange_writer *w);

/* "stored", "duplicate", "conflict", "rejected". */
const char	*exchange_status_name(enum exchange_status st);

#endif
