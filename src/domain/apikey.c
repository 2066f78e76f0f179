/*
 * apikey.c - making, listing, revoking and checking API keys.
 *
 * No SQL or HTTP here: rows go through store/apikey.h, the audit log
 * through store/audit.h, companies through store/company.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/apikey.h"
#include "domain/password.h"
#include "store/audit.h"
#include "store/company.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} apikey_scope_names[] = {
	{ "read", APIKEY_READ },
	{ "publish", APIKEY_PUBLISH },
	{ "send", APIKEY_SEND },
};

#define APIKEY_NSCOPES \
	(sizeof(apikey_scope_names) / sizeof(apikey_scope_names[0]))

int
apikey_scopes_parse(const char *list, unsigned *out, struct err *e)
{
	const char	*p = list;
	size_t		 n, i;
	unsigned	 bits = 0;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, ",");
		for (i = 0; i < APIKEY_NSCOPES; i++)
			if (strlen(apikey_scope_names[i].name) == n &&
			    strncmp(p, apikey_scope_names[i].name, n) == 0)
				break;
		if (i == APIKEY_NSCOPES)
			goto bad;
		bits |= apikey_scope_names[i].bit;
		p += n;
		if (*p == ',')
			p++;
	}
	if (bits == 0)
		goto bad;
	*out = bits;
	return 0;

bad:
	err_set(e, ERR_INVALID, "scopes_invalid", "scopes",
	    "Scopes are a non-empty list of read, publish and send.");
	return -1;
}

void
apikey_scopes_format(unsigned scopes, char *out)
{
	size_t	i, len = 0;

	out[0] = '\0';
	for (i = 0; i < APIKEY_NSCOPES; i++) {
		if ((scopes & apikey_scope_names[i].bit) == 0)
			continue;
		len += (size_t)snprintf(out + len, APIKEY_SCOPES_SIZE - len,
		    "%s%s", len > 0 ? "," : "", apikey_scope_names[i].name);
	}
}

/* Checks a key's name (1 to APIKEY_NAME_MAX characters, no control
 * characters) and writes it trimmed into out. */
static int
apikey_name_check(const char *in, char *out, struct err *e)
{
	size_t	len, i, chars;

	if (in == NULL)
		goto bad;
	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= APIKEY_NAME_SIZE)
		goto bad;
	memcpy(out, in, len);
	out[len] = '\0';
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			goto bad;
	chars = password_chars(out);
	if (chars < 1 || chars > APIKEY_NAME_MAX)
		goto bad;
	return 0;

bad:
	err_set(e, ERR_INVALID, "name_invalid", "name",
	    "Name the key with 1 to %d printable characters.",
	    APIKEY_NAME_MAX);
	return -1;
}

/* Checks that the actor may grant scopes: read and publish belong to a
 * supplier, send to a distributor. */
static int
apikey_may_grant(struct store_conn *c, const struct actor *who,
    unsigned scopes, struct err *e)
{
	struct company	co;
	int		rc = -1;

	company_init(&co);
	if (store_company_get(c, who->company_id, &co, e) != STORE_OK)
		goto out;
	if ((scopes & (APIKEY_READ | APIKEY_PUBLISH)) != 0 &&
	    !co.is_supplier) {
		err_set(e, ERR_FORBIDDEN, "scope_not_allowed", "scopes",
		    "Only a supplier company may have keys that read the "
		    "feed or publish packages.");
		goto out;
	}
	if ((scopes & APIKEY_SEND) != 0 && !co.is_distributor) {
		err_set(e, ERR_FORBIDDEN, "scope_not_allowed", "scopes",
		    "Only a distributor company may have keys that send "
		    "documents.");
		goto out;
	}
	rc = 0;

out:
	company_release(&co);
	return rc;
}

/* The audit entry of a key's creation or revocation. */
static int
apikey_audit(struct store_conn *c, const struct actor *who,
    const char *action, const struct store_apikey *k, int64_t now,
    struct err *e)
{
	struct audit_entry	 a;
	char			 id[24];
	char			*state;
	json_t			*o;
	enum store_rc		 rc;

	o = json_pack("{s:s, s:s, s:s, s:b}", "name", k->name, "prefix",
	    k->prefix, "scopes", k->scopes, "revoked", k->revoked_at != 0);
	state = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) :
	    NULL;
	json_decref(o);

	memset(&a, 0, sizeof(a));
	snprintf(id, sizeof(id), "%lld", (long long)k->id);
	a.at = now;
	a.actor_user_id = who->user_id;
	a.actor_company_id = who->company_id;
	a.ip = who->ip[0] != '\0' ? who->ip : NULL;
	a.action = action;
	a.object_type = "api_key";
	a.object_id = id;
	a.company_id = k->company_id;
	a.after = state;
	rc = store_audit_add(c, &a, e);
	free(state);
	return rc == STORE_OK ? 0 : -1;
}

/* Makes the secret and its row fields; the hash goes into hash. */
static void
apikey_secret_new(struct apikey_new *out, char hash[TOKEN_HASH_LEN + 1])
{
	char	tok[TOKEN_LEN + 1];

	token_new(tok);
	snprintf(out->secret, sizeof(out->secret), "%s%s", APIKEY_PREFIX,
	    tok);
	sodium_memzero(tok, sizeof(tok));
	token_hash(out->secret, hash);
	snprintf(out->row.prefix, sizeof(out->row.prefix), "%.8s",
	    out->secret);
}

/* The creation, on c inside a write transaction. */
static int
apikey_create_tx(struct store_conn *c, const struct actor *who,
    unsigned scopes, struct apikey_new *out, struct err *e)
{
	char	hash[TOKEN_HASH_LEN + 1];
	int64_t	now = clock_now_ms(), id;

	if (apikey_may_grant(c, who, scopes, e) != 0)
		return -1;
	apikey_secret_new(out, hash);
	out->row.company_id = who->company_id;
	out->row.created_by = who->user_id;
	out->row.created_at = now;
	apikey_scopes_format(scopes, out->row.scopes);
	if (store_apikey_insert(c, &out->row, hash, &id, e) != STORE_OK ||
	    store_apikey_get(c, who->company_id, id, &out->row, e) !=
	    STORE_OK)
		return -1;
	return apikey_audit(c, who, "apikey.create", &out->row, now, e);
}

int
apikey_create(const struct app *app, const struct actor *who,
    const char *name, unsigned scopes, struct apikey_new *out,
    struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if (!account_role_manages(who->role)) {
		err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
		    "Only an owner or an administrator may manage API keys.");
		return -1;
	}
	if (apikey_name_check(name, out->row.name, e) != 0)
		return -1;
	if (scopes == 0 || (scopes & ~(unsigned)(APIKEY_READ |
	    APIKEY_PUBLISH | APIKEY_SEND)) != 0)
		return apikey_scopes_parse("", &scopes, e);

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    apikey_create_tx(c, who, scopes, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	if (rc != 0)
		sodium_memzero(out->secret, sizeof(out->secret));
	return rc;
}

int
apikey_list(const struct app *app, const struct actor *who, int64_t after,
    int limit, struct store_apikey **items, size_t *n, bool *more,
    struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > APIKEY_LIST_MAX)
		limit = APIKEY_LIST_MAX;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_apikey_list(c, who->company_id, after, limit + 1, items, n,
	    e);
	store_release(c);
	if (rc != STORE_OK)
		return -1;
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*more = true;
	}
	return 0;
}

/* The revocation, on c inside a write transaction. */
static int
apikey_revoke_tx(struct store_conn *c, const struct actor *who, int64_t id,
    struct store_apikey *out, struct err *e)
{
	int64_t	now = clock_now_ms();

	if (store_apikey_revoke(c, who->company_id, id, now, e) != STORE_OK ||
	    store_apikey_get(c, who->company_id, id, out, e) != STORE_OK)
		return -1;
	return apikey_audit(c, who, "apikey.revoke", out, now, e);
}

int
apikey_revoke(const struct app *app, const struct actor *who, int64_t id,
    struct store_apikey *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (!account_role_manages(who->role)) {
		err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
		    "Only an owner or an administrator may manage API keys.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    apikey_revoke_tx(c, who, id, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

/* True if secret has the shape of a key, so junk is refused unread. */
static bool
apikey_well_formed(const char *secret)
{
	return secret != NULL && strncmp(secret, APIKEY_PREFIX, 4) == 0 &&
	    token_well_formed(secret + 4);
}

int
apikey_auth(const struct app *app, const char *secret, const char *ip,
    unsigned need, struct apikey_caller *out, struct err *e)
{
	struct store_conn	*c;
	struct store_apikey	*k;
	char			 hash[TOKEN_HASH_LEN + 1];
	int64_t			 now;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if (!apikey_well_formed(secret)) {
		err_set(e, ERR_UNAUTHORIZED, "unauthenticated", NULL,
		    "A valid API key is required (Authorization: Bearer).");
		return -1;
	}
	token_hash(secret, hash);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;

	k = xmalloc(sizeof(*k));
	switch (store_apikey_find(c, hash, k, e)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		err_set(e, ERR_UNAUTHORIZED, "unauthenticated", NULL,
		    "A valid API key is required (Authorization: Bearer).");
		goto out;
	default:
		goto out;
	}
	if (apikey_scopes_parse(k->scopes, &out->scopes, e) != 0)
		goto out;
	out->key_id = k->id;
	out->company_id = k->company_id;
	snprintf(out->name, sizeof(out->name), "%s", k->name);
	if ((out->scopes & need) != need) {
		err_set(e, ERR_FORBIDDEN, "scope_missing", NULL,
		    "This API key may not do this; it needs another scope.");
		goto out;
	}
	/* Most uses fall within the gap and need no write at all. */
	now = clock_now_ms();
	if (k->last_used_at < now - APIKEY_TOUCH_MS &&
	    store_apikey_touch(c, k->id, now, ip, APIKEY_TOUCH_MS, e) !=
	    STORE_OK)
		goto out;
	rc = 0;

out:
	free(k);
	store_release(c);
	return rc;
}
