/*
 * apikey.h - SQL for the API keys of suppliers' and distributors' own
 * systems (table api_keys, migration 006).
 *
 * Only the hash of a key is stored, with a short prefix that lets people
 * tell their keys apart.  A key is live until revoked; revoking is one
 * guarded UPDATE, so two revocations cannot both win.  Tenant lookups
 * take the company.  Rows are copied into fixed-size structs; lists are
 * malloc'd.  Functions run on the caller's connection and transaction;
 * none of them logs.
 */
#ifndef TOBMEN_STORE_APIKEY_H
#define TOBMEN_STORE_APIKEY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define APIKEY_NAME_SIZE	404	/* 100 characters of up to 4 bytes */
#define APIKEY_PREFIX_SIZE	16
#define APIKEY_SCOPES_SIZE	32
#define APIKEY_LIST_MAX		200

struct store_apikey {
	int64_t	 id;
	int64_t	 company_id;
	char	 name[APIKEY_NAME_SIZE];
	char	 prefix[APIKEY_PREFIX_SIZE];	/* "tbk_AbCd" */
	char	 scopes[APIKEY_SCOPES_SIZE];	/* "read,publish" */
	int64_t	 created_by;		/* user id, 0 if unknown */
	int64_t	 created_at;
	int64_t	 last_used_at;		/* 0 = never */
	char	 last_used_ip[64];
	int64_t	 revoked_at;		/* 0 = live */
	char	 created_by_name[808];	/* "" if unknown */
};

/* Inserts k (company_id, name, prefix, scopes, created_by, created_at)
 * with key_hash; *id gets the new row. */
enum store_rc	store_apikey_insert(struct store_conn *c,
		    const struct store_apikey *k, const char *key_hash,
		    int64_t *id, struct err *e);

/* Reads the live key whose hash is key_hash.  STORE_NOTFOUND if none
 * (unknown or revoked). */
enum store_rc	store_apikey_find(struct store_conn *c, const char *key_hash,
		    struct store_apikey *out, struct err *e);

/* Reads key id of company.  STORE_NOTFOUND (e "apikey_not_found"). */
enum store_rc	store_apikey_get(struct store_conn *c, int64_t company_id,
		    int64_t id, struct store_apikey *out, struct err *e);

/* Lists the company's keys with id > after, by id, at most limit.
 * *items is malloc'd (free() it, also when *n is 0). */
enum store_rc	store_apikey_list(struct store_conn *c, int64_t company_id,
		    int64_t after, int limit, struct store_apikey **items,
		    size_t *n, struct err *e);

/* Records a use at now from ip, at most once per min_gap_ms so a busy
 * key does not write on every request. */
enum store_rc	store_apikey_touch(struct store_conn *c, int64_t id,
		    int64_t now, const char *ip, int64_t min_gap_ms,
		    struct err *e);

/* Revokes live key id of company at now.  STORE_NOTFOUND if there is no
 * such live key. */
enum store_rc	store_apikey_revoke(struct store_conn *c, int64_t company_id,
		    int64_t id, int64_t now, struct err *e);

#endif
