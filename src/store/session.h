/*
 * session.h - SQL for the sessions table.
 *
 * A session is found by the hash of its cookie token; the token itself is
 * never stored.  Expiry is decided by the caller (domain/session.c) from
 * the times kept here.  Functions run on the caller's connection; none
 * logs.
 */
#ifndef TOBMEN_STORE_SESSION_H
#define TOBMEN_STORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/company.h"
#include "store/store.h"
#include "store/user.h"

struct store_session {
	int64_t	 id;
	int64_t	 user_id;
	int64_t	 company_id;
	char	 token_hash[72];
	char	 csrf_token[48];
	bool	 remember;
	int64_t	 created_at;
	int64_t	 last_seen_at;
	int64_t	 expires_at;		/* absolute end, Unix ms */
};

/* Inserts s (its id is ignored) and stores the new id in *id. */
enum store_rc	store_session_insert(struct store_conn *c,
		    const struct store_session *s, int64_t *id,
		    struct err *e);

/* Reads the session whose token hashes to token_hash. */
enum store_rc	store_session_find(struct store_conn *c,
		    const char *token_hash, struct store_session *out,
		    struct err *e);

/* Reads the session whose token hashes to token_hash and, in the same
 * query, its user into *user (zeroed, id 0, if the user row is gone)
 * and, unless co is NULL, its company into *co (initialised by the
 * caller, who releases it; empty, id 0, if the company row is gone). */
enum store_rc	store_session_find_user(struct store_conn *c,
		    const char *token_hash, struct store_session *out,
		    struct store_user *user, struct company *co,
		    struct err *e);

/* Moves last_seen_at of session id to now. */
enum store_rc	store_session_touch(struct store_conn *c, int64_t id,
		    int64_t now, struct err *e);

/* Deletes session id (no error if it is already gone). */
enum store_rc	store_session_delete(struct store_conn *c, int64_t id,
		    struct err *e);

/* Deletes every session of user_id except keep_id (0 keeps none). */
enum store_rc	store_session_delete_user(struct store_conn *c,
		    int64_t user_id, int64_t keep_id, struct err *e);

/* Deletes the sessions of user_id that ended before now, so rows of
 * abandoned browsers do not pile up. */
enum store_rc	store_session_prune_user(struct store_conn *c,
		    int64_t user_id, int64_t now, struct err *e);

#endif
