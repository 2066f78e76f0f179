/*
 * document.h - SQL for exchanged documents: storing them idempotently,
 * the links and licence states an upload is checked against, refused
 * documents, and the per-day counts «Контроль» reads (migration 006).
 *
 * Storing runs inside the caller's write transaction after it locked the
 * supplier's feed counter (store/feed.h), so positions are handed out in
 * commit order.  A uuid is unique within its distributor: inserting one
 * that exists changes nothing and reports it, and the caller compares
 * hashes.  Functions run on the caller's connection and transaction;
 * none logs.
 */
#ifndef TOBMEN_STORE_DOCUMENT_H
#define TOBMEN_STORE_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define DOCUMENT_COMPANY_SIZE	1204	/* 300 characters of up to 4 bytes */

/* A document as stored; strings are borrowed from the caller. */
struct store_document {
	int64_t		 supplier_id;
	int64_t		 distributor_id;
	const char	*uuid;
	const char	*content_hash;
	const char	*kind;
	const char	*number;
	int64_t		 doc_at;
	int64_t		 received_at;
	int64_t		 distributor_code;
	const char	*distributor_name;
	int64_t		 licence_id;		/* 0: from a system */
	const char	*licence_number;
	int64_t		 device_id;		/* 0: from a system */
	const char	*device_mdm_id;
	int64_t		 api_key_id;		/* 0: from a phone */
	const char	*agent;
	const char	*outlet_code;
	int64_t		 total;
	const char	*body;			/* canonical JSON */
	size_t		 body_len;		/* its strlen */
};

/* What is known of a stored document when its uuid comes again. */
struct store_document_ref {
	int64_t	id;
	int64_t	supplier_id;
	int64_t	position;
	int64_t	received_at;
	char	content_hash[72];
};

/*
 * Inserts d at position unless its distributor already has its uuid.
 * *inserted says which; when true *id is the new row.  Never
 * STORE_CONFLICT for a known uuid, so the transaction stays usable.
 */
enum store_rc	store_document_insert(struct store_conn *c,
		    const struct store_document *d, int64_t position,
		    bool *inserted, int64_t *id, struct err *e);

/*
 * The same for d[0, STORE_DOCUMENT_BATCH) at positions first, first + 1,
 * ... in one statement (one round trip).  *inserted counts the new rows
 * and ids[i] is d[i]'s new row, or 0 when its uuid was there already (or
 * came twice in d).  When *inserted is short of the batch the positions
 * have a gap: the caller must undo the statement (a savepoint) and store
 * the documents one by one.
 */
#define STORE_DOCUMENT_BATCH	25
enum store_rc	store_document_insert_batch(struct store_conn *c,
		    const struct store_document *d, int64_t first,
		    size_t *inserted, int64_t *ids, struct err *e);

/* Reads the distributor's document with uuid.  STORE_NOTFOUND if none. */
enum store_rc	store_document_find(struct store_conn *c,
		    int64_t distributor_id, const char *uuid,
		    struct store_document_ref *out, struct err *e);

/* The link between a supplier and a distributor as an upload needs it. */
struct store_exchange_link {
	int64_t	link_id;
	int64_t	supplier_id;
	int64_t	code;
	char	status[16];		/* accepted, disconnected, ... */
	char	supplier_name[DOCUMENT_COMPANY_SIZE];
	char	distributor_name[DOCUMENT_COMPANY_SIZE];
};

/*
 * Finds the distributor's link with a supplier: by supplier_id when it is
 * positive, else by the distributor's code at the supplier.  An accepted
 * link wins over an ended one; *count gets how many suppliers match (more
 * than one only for a code shared by several suppliers' links).  A
 * supplier naming itself (its own sales network) gets an accepted link
 * with code 0.  STORE_NOTFOUND if the distributor never was linked that
 * way.
 */
enum store_rc	store_document_link(struct store_conn *c,
		    int64_t distributor_id, int64_t supplier_id, int64_t code,
		    struct store_exchange_link *out, int *count,
		    struct err *e);

/* The licence's state for a supplier: whether it is «ВКЛ» for it and
 * whether the licence is blocked. */
enum store_rc	store_document_licence_state(struct store_conn *c,
		    int64_t licence_id, int64_t supplier_id, bool *in_service,
		    bool *blocked, struct err *e);

/* A refused document (uuid "" when the sender's was unusable). */
struct store_document_reject {
	int64_t		 distributor_id;
	int64_t		 supplier_id;
	const char	*uuid;
	const char	*kind;
	const char	*number;
	int64_t		 licence_id;	/* 0: none */
	int64_t		 api_key_id;	/* 0: none */
	const char	*code;
	const char	*message;
	int64_t		 at;
};

/* Records r, or bumps the attempts of the same uuid's earlier refusal
 * and replaces its reason. */
enum store_rc	store_document_reject(struct store_conn *c,
		    const struct store_document_reject *r, struct err *e);

/* Adds documents and rejected to the day of now for the supplier,
 * distributor and licence (0 for a system), and sets its last upload. */
enum store_rc	store_document_count(struct store_conn *c,
		    int64_t supplier_id, int64_t distributor_id,
		    int64_t licence_id, int64_t documents, int64_t rejected,
		    int64_t now, struct err *e);

/* Which company a «Контроль» read is for. */
enum document_side {
	DOCUMENT_AS_DISTRIBUTOR,
	DOCUMENT_AS_SUPPLIER,
};

/* One row of per-day counts with the names a page shows. */
struct store_exchange_day {
	int64_t		 supplier_id;
	const char	*supplier_name;
	int64_t		 distributor_id;
	const char	*distributor_name;
	int64_t		 code;		/* the distributor's, 0 if unknown */
	int64_t		 licence_id;	/* 0: a system's uploads */
	const char	*licence_number;
	const char	*user_name;
	int64_t		 day;		/* days since 1970-01-01, UTC */
	int64_t		 documents;
	int64_t		 rejected;
	int64_t		 last_at;
};

/*
 * Calls fn for each per-day row of company on side with day >= since,
 * ordered by supplier, distributor, licence and day; strings are valid
 * until fn returns.  fn returns 0 to go on.
 */
enum store_rc	store_document_days(struct store_conn *c,
		    enum document_side side, int64_t company_id,
		    int64_t since, int (*fn)(const struct store_exchange_day *,
		    void *), void *arg, struct err *e);

/* One refused document as the distributor sees it. */
struct store_reject_row {
	int64_t		 id;
	int64_t		 supplier_id;
	const char	*supplier_name;
	const char	*uuid;
	const char	*kind;
	const char	*number;
	const char	*licence_number;	/* "" for a system */
	const char	*code;
	const char	*message;
	int64_t		 attempts;
	int64_t		 first_at;
	int64_t		 last_at;
	bool		 accepted_later;	/* stored since */
};

/* Calls fn for the distributor's refused documents, newest first, with
 * id < before (0: from the newest), at most limit. */
enum store_rc	store_document_rejects(struct store_conn *c,
		    int64_t distributor_id, int64_t before, int limit,
		    int (*fn)(const struct store_reject_row *, void *),
		    void *arg, struct err *e);

/* A licence of a distributor and a supplier it is «ВКЛ» for. */
struct store_control_licence {
	int64_t		 licence_id;
	const char	*number;
	const char	*user_name;
	int64_t		 last_contact_at;	/* 0 = never */
	int64_t		 supplier_id;
	const char	*supplier_name;
	int64_t		 code;			/* 0 if not linked */
};

/* Calls fn for each licence of holder_id and each supplier it is «ВКЛ»
 * for, by supplier and number. */
enum store_rc	store_document_licences(struct store_conn *c,
		    int64_t holder_id,
		    int (*fn)(const struct store_control_licence *, void *),
		    void *arg, struct err *e);

/* A distributor of a supplier's network as «Контроль» lists it. */
struct store_control_partner {
	int64_t		 distributor_id;
	const char	*name;
	int64_t		 code;
	const char	*status;	/* accepted or disconnected */
	int64_t		 last_at;	/* last upload ever, 0 = never */
};

/* Calls fn for each distributor supplier_id is or was linked with, by
 * code. */
enum store_rc	store_document_partners(struct store_conn *c,
		    int64_t supplier_id,
		    int (*fn)(const struct store_control_partner *, void *),
		    void *arg, struct err *e);

#endif
