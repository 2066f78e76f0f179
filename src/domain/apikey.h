/*
 * apikey.h - API keys for a company's own systems
 * (Администрирование → API-ключи) and finding the key behind a request.
 *
 * The rules: a key is "tbk_" followed by a 43-character random token;
 * it is shown once, when made, and only its hash is kept.  It carries
 * scopes: read (the feed, the distributors, the packages) and publish
 * (packages), which only a supplier company may grant, and send
 * (documents from a distributor's own system), which only a distributor
 * company may grant.  Owners and admins make and revoke keys; every user
 * of the company sees the list with each key's last use.  A revoked key
 * stops at once.  Making and revoking are audited.
 *
 * Tenancy: the company comes from the actor or from the key, never from
 * the request; another company's key is "not found".  Functions borrow a
 * store connection, fill e on failure and never log.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_APIKEY_H
#define TOBMEN_DOMAIN_APIKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"
#include "domain/token.h"
#include "store/apikey.h"

#define APIKEY_PREFIX		"tbk_"
#define APIKEY_SECRET_LEN	(4 + TOKEN_LEN)	/* "tbk_" + token */
#define APIKEY_NAME_MAX		100		/* characters */
/* Uses closer together than this are not written to the store. */
#define APIKEY_TOUCH_MS		(60 * 1000)

enum apikey_scope {
	APIKEY_READ	= 1 << 0,
	APIKEY_PUBLISH	= 1 << 1,
	APIKEY_SEND	= 1 << 2,
};

/* The system behind a request. */
struct apikey_caller {
	int64_t		 key_id;
	int64_t		 company_id;
	unsigned	 scopes;	/* enum apikey_scope bits */
	char		 name[APIKEY_NAME_SIZE];
};

/* A key just made: the secret (shown once) and its row. */
struct apikey_new {
	char			secret[APIKEY_SECRET_LEN + 1];
	struct store_apikey	row;
};

/* Parses "read,publish" (or a JSON-free list of names) into bits.
 * Returns 0, or -1 with e ERR_INVALID "scopes_invalid" (field "scopes")
 * for an unknown or empty list. */
int	apikey_scopes_parse(const char *list, unsigned *out, struct err *e);
/* Writes the canonical comma list of bits into out (APIKEY_SCOPES_SIZE). */
void	apikey_scopes_format(unsigned scopes, char *out);

/*
 * Makes a key named name with scopes for the actor's company (owner or
 * admin).  ERR_INVALID "name_invalid" / "scopes_invalid"; ERR_FORBIDDEN
 * "scope_not_allowed" when the company's kind cannot grant a scope.
 */
int	apikey_create(const struct app *app, const struct actor *who,
	    const char *name, unsigned scopes, struct apikey_new *out,
	    struct err *e);

/* Lists the company's keys with id > after (1 to APIKEY_LIST_MAX);
 * *items is malloc'd (free it), *more says whether a page follows. */
int	apikey_list(const struct app *app, const struct actor *who,
	    int64_t after, int limit, struct store_apikey **items, size_t *n,
	    bool *more, struct err *e);

/* Revokes key id (owner or admin).  ERR_NOTFOUND "apikey_not_found" if
 * the company has no such live key.  out gets the revoked row. */
int	apikey_revoke(const struct app *app, const struct actor *who,
	    int64_t id, struct store_apikey *out, struct err *e);

/*
 * Finds the live key for secret (the bearer token) and checks that it has
 * every scope in need.  Records the use (at most once a minute) from ip.
 * ERR_UNAUTHORIZED "unauthenticated" for a missing, malformed, unknown or
 * revoked key (one answer for all); ERR_FORBIDDEN "scope_missing" when it
 * lacks a scope.
 */
int	apikey_auth(const struct app *app, const char *secret,
	    const char *ip, unsigned need, struct apikey_caller *out,
	    struct err *e);

#endif
