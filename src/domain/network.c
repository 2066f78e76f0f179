/*
 * network.c - the supplier's side of the network, and what both sides
 * share: codes, statuses, audit entries, the licence hook.
 *
 * No SQL or HTTP here: rows go through store/link.h, companies through
 * store/company.h, the audit log through store/audit.h and mail through
 * mail/mail.h, all on one connection and transaction per change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/network.h"
#include "domain/network_int.h"
#include "domain/password.h"
#include "domain/token.h"
#include "mail/mail.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/user.h"

/* Random draws before asking the store for the lowest free code. */
#define NETWORK_CODE_TRIES	16
/* Inserts tried when another writer takes the chosen code first. */
#define NETWORK_INSERT_TRIES	4

static const struct network_licences *network_lic;

void
network_licences_set(const struct network_licences *ops)
{
	network_lic = ops;
}

const char *
network_status(const struct store_link *l, int64_t now)
{
	static const char *const known[] = {
		"invited", "accepted", "declined", "revoked", "disconnected",
	};
	size_t	i;

	if (strcmp(l->status, "invited") == 0 && l->expires_at <= now)
		return "expired";
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(l->status, known[i]) == 0)
			return known[i];
	return "unknown";
}

int
network_code_parse(const char *s, int64_t *code, struct err *e)
{
	size_t	i;

	if (s == NULL || strlen(s) != 5)
		goto bad;
	for (i = 0; i < 5; i++)
		if (s[i] < '0' || s[i] > '9')
			goto bad;
	*code = strtoll(s, NULL, 10);
	if (*code < LINK_CODE_MIN || *code > LINK_CODE_MAX)
		goto bad;
	return 0;

bad:
	err_set(e, ERR_INVALID, "code_invalid", "code",
	    "The distributor code must be five digits from %d to %d.",
	    LINK_CODE_MIN, LINK_CODE_MAX);
	return -1;
}

int
network_need_manager(const struct actor *who, struct err *e)
{
	if (account_role_manages(who->role))
		return 0;
	err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
	    "Only an owner or an administrator of the company may do this.");
	return -1;
}

int
network_need_supplier(struct store_conn *c, const struct actor *who,
    bool change, struct company *co, struct err *e)
{
	if (store_company_get(c, who->company_id, co, e) != STORE_OK)
		return -1;
	if (!co->is_supplier) {
		err_set(e, ERR_FORBIDDEN, "not_supplier", NULL,
		    "Only a supplier company has a distributor network.");
		return -1;
	}
	return change ? network_need_manager(who, e) : 0;
}

int
network_fill(struct store_conn *c, int64_t now, struct network_link *out,
    struct err *e)
{
	const struct store_link	*l = &out->row;

	out->status = network_status(l, now);
	out->licences = 0;
	if (strcmp(l->status, "accepted") != 0 || network_lic == NULL ||
	    network_lic->in_service == NULL)
		return 0;
	return network_lic->in_service(c, l->supplier_id, l->distributor_id,
	    &out->licences, e);
}

int
network_owned(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t *n, struct err *e)
{
	*n = 0;
	if (network_lic == NULL || network_lic->owned_by_supplier == NULL)
		return 0;
	return network_lic->owned_by_supplier(c, supplier_id, distributor_id,
	    n, e);
}

int
network_drop(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, int64_t now, struct err *e)
{
	if (network_lic == NULL || network_lic->drop == NULL)
		return 0;
	return network_lic->drop(c, supplier_id, distributor_id, now, e);
}

int
network_load(struct store_conn *c, enum link_side side, int64_t company_id,
    int64_t id, int64_t now, struct network_link *out, struct err *e)
{
	if (store_link_get(c, side, company_id, id, &out->row, e) !=
	    STORE_OK)
		return -1;
	return network_fill(c, now, out, e);
}

/* Renders what the audit log keeps of row l (malloc'd JSON). */
static char *
network_json(const struct store_link *l, int64_t now)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:I, s:s, s:s, s:s, s:b}", "code",
	    (json_int_t)l->code, "name", l->name, "email", l->email,
	    "status", network_status(l, now), "manage_licences",
	    l->manage_licences);
	if (o != NULL && l->reason[0] != '\0')
		json_object_set_new(o, "reason", json_string(l->reason));
	if (o != NULL && l->distributor_id > 0)
		json_object_set_new(o, "distributor_id",
		    json_integer(l->distributor_id));
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
}

int
network_audit(struct store_conn *c, const struct actor *who,
    const char *action, const struct store_link *before,
    const struct store_link *after, int64_t now, struct err *e)
{
	const struct store_link	*l = after != NULL ? after : before;
	struct audit_entry	 a;
	char			 id[24];
	char			*b = NULL, *n = NULL;
	enum store_rc		 rc;

	memset(&a, 0, sizeof(a));
	snprintf(id, sizeof(id), "%lld", (long long)l->id);
	if (before != NULL)
		b = network_json(before, now);
	if (after != NULL)
		n = network_json(after, now);
	a.at = now;
	a.actor_user_id = who->user_id;
	a.actor_company_id = who->company_id;
	a.ip = who->ip[0] != '\0' ? who->ip : NULL;
	a.action = action;
	a.object_type = "link";
	a.object_id = id;
	a.company_id = l->supplier_id;
	a.other_company_id = l->distributor_id;
	a.before = b;
	a.after = n;
	rc = store_audit_add(c, &a, e);
	free(b);
	free(n);
	return rc == STORE_OK ? 0 : -1;
}

int
network_mail_invite(const struct app *app, struct store_conn *c,
    const struct store_link *l, const char *token, struct err *e)
{
	char		 code[16];
	char		*link;
	int		 rc;
	const char	*vars[] = {
		"supplier", l->supplier_name, "code", code, "link", NULL,
		NULL,
	};

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	/* The host is the configured one, never the request's. */
	link = xasprintf("%s/suppliers/join?invite=%s", app->cfg->public_url,
	    token);
	vars[5] = link;
	rc = mail_queue(c, l->email, "invite", l->lang, vars, e);
	sodium_memzero(link, strlen(link));
	free(link);
	return rc;
}

void
network_kick(const struct app *app)
{
	if (app->mail != NULL)
		mail_worker_kick(app->mail);
}

/* Checks the fields of in and fills l's name, email, lang and, if given,
 * code (0 otherwise). */
static int
network_invite_check(const struct network_invite *in, struct store_link *l,
    struct err *e)
{
	const char	*lang = in->lang != NULL ? in->lang : "ru";

	memset(l, 0, sizeof(*l));
	if (account_name_check(in->name, l->name, e) != 0 ||
	    account_email_normalize(in->email, l->email, e) != 0)
		return -1;
	if (in->code != NULL && in->code[0] != '\0' &&
	    network_code_parse(in->code, &l->code, e) != 0)
		return -1;
	if (strcmp(lang, "ru") != 0 && strcmp(lang, "en") != 0) {
		err_set(e, ERR_INVALID, "lang_invalid", "lang",
		    "The language must be \"ru\" or \"en\".");
		return -1;
	}
	snprintf(l->lang, sizeof(l->lang), "%s", lang);
	return 0;
}

/* Refuses an address of the supplier's own users, or one that already
 * has an open invitation or a link with the supplier. */
static int
network_invite_address(struct store_conn *c, int64_t supplier_id,
    const char *email, struct err *e)
{
	struct store_user	u;
	struct err		found;
	enum store_rc		rc;
	bool			open;

	/* Its own error: "no such user" is the usual, good answer here. */
	rc = store_user_find_email(c, email, &u, &found);
	if (rc == STORE_OK && u.company_id == supplier_id) {
		err_set(e, ERR_CONFLICT, "self_invite", "email",
		    "This address belongs to your own company: a supplier "
		    "cannot invite itself.");
		return -1;
	}
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		if (e != NULL)
			*e = found;
		return -1;
	}

	if (store_link_email_open(c, supplier_id, email, &open, e) !=
	    STORE_OK)
		return -1;
	if (open) {
		err_set(e, ERR_CONFLICT, "already_invited", "email",
		    "This address already has an open invitation or a link "
		    "with your company; use «Отправить повторно» in the "
		    "list instead.");
		return -1;
	}
	return 0;
}

/* Picks a code the supplier does not hold into *code. */
static int
network_code_pick(struct store_conn *c, int64_t supplier_id,
    int64_t *code, struct err *e)
{
	bool	used;
	int	i;

	/* Random codes tell nothing about the size of the network. */
	for (i = 0; i < NETWORK_CODE_TRIES; i++) {
		*code = LINK_CODE_MIN + (int64_t)randombytes_uniform(
		    LINK_CODE_MAX - LINK_CODE_MIN + 1);
		if (store_link_code_used(c, supplier_id, *code, 0, &used, e) !=
		    STORE_OK)
			return -1;
		if (!used)
			return 0;
	}
	return store_link_code_lowest_free(c, supplier_id, code, e) ==
	    STORE_OK ? 0 : -1;
}

/* Inserts l with the hash of token, picking a code if l has none. */
static int
network_insert(struct store_conn *c, struct store_link *l,
    const char *token, int64_t now, struct err *e)
{
	char		hash[TOKEN_HASH_LEN + 1];
	bool		given = l->code != 0;
	enum store_rc	rc = STORE_CONFLICT;
	int		i;

	token_hash(token, hash);
	for (i = 0; i < NETWORK_INSERT_TRIES && rc == STORE_CONFLICT; i++) {
		if (!given && network_code_pick(c, l->supplier_id, &l->code,
		    e) != 0)
			return -1;
		rc = store_link_insert(c, l, hash, now, &l->id, e);
		if (given)
			break;
	}
	return rc == STORE_OK ? 0 : -1;
}

/* The whole invitation, on c inside a write transaction. */
static int
network_invite_tx(const struct app *app, struct store_conn *c,
    const struct actor *who, struct store_link *l, struct network_link *out,
    struct err *e)
{
	struct company	co;
	char		token[TOKEN_LEN + 1];
	int64_t		now = clock_now_ms();
	int		rc = -1;

	company_init(&co);
	token_new(token);
	if (network_need_supplier(c, who, true, &co, e) != 0 ||
	    network_invite_address(c, co.id, l->email, e) != 0)
		goto out;

	l->supplier_id = co.id;
	l->invited_by = who->user_id;
	l->expires_at = now + (int64_t)app->cfg->invite_ttl_s * 1000;
	if (network_insert(c, l, token, now, e) != 0 ||
	    network_load(c, LINK_SUPPLIER, co.id, l->id, now, out, e) != 0 ||
	    network_audit(c, who, "link.invite", NULL, &out->row, now,
	    e) != 0)
		goto out;
	rc = network_mail_invite(app, c, &out->row, token, e);

out:
	sodium_memzero(token, sizeof(token));
	company_release(&co);
	return rc;
}

int
network_invite(const struct app *app, const struct actor *who,
    const struct network_invite *in, struct network_link *out,
    struct err *e)
{
	struct store_link	 l;
	struct store_conn	*c;
	int			 rc = -1;

	if (network_invite_check(in, &l, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    network_invite_tx(app, c, who, &l, out, e) != 0 ||
	    store_commit(c, e) != STORE_OK)
		goto release;
	network_kick(app);
	rc = 0;

release:
	store_release(c);
	return rc;
}

/* Checks a page size. */
static int
network_limit_check(int limit, struct err *e)
{
	if (limit >= 1 && limit <= NETWORK_LIST_MAX)
		return 0;
	err_set(e, ERR_INVALID, "limit_invalid", "limit",
	    "The limit must be between 1 and %d.", NETWORK_LIST_MAX);
	return -1;
}

/* Reads one page of rows on side into fresh network_links. */
static int
network_page(struct store_conn *c, enum link_side side, int64_t company_id,
    int64_t after, int limit, struct network_link **items, size_t *n,
    bool *more, struct err *e)
{
	struct store_link	*rows = NULL;
	int64_t			 now = clock_now_ms();
	size_t			 i;
	int			 rc = -1;

	if (store_link_list(c, side, company_id, after, limit + 1, &rows, n,
	    e) != STORE_OK)
		goto out;
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*more = true;
	}
	*items = xcalloc(*n > 0 ? *n : 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		(*items)[i].row = rows[i];
		if (network_fill(c, now, &(*items)[i], e) != 0)
			goto out;
	}
	rc = 0;

out:
	free(rows);
	return rc;
}

int
network_list(const struct app *app, const struct actor *who, int64_t after,
    int limit, struct network_link **items, size_t *n, bool *more,
    struct err *e)
{
	struct store_conn	*c;
	struct company		 co;
	int			 rc = -1;

	*items = NULL;
	*n = 0;
	*more = false;
	if (network_limit_check(limit, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	company_init(&co);
	if (network_need_supplier(c, who, false, &co, e) == 0)
		rc = network_page(c, LINK_SUPPLIER, co.id, after, limit, items,
		    n, more, e);
	company_release(&co);
	store_release(c);
	return rc;
}

int
network_get(const struct app *app, const struct actor *who, int64_t id,
    struct network_link *out, struct err *e)
{
	struct store_conn	*c;
	struct company		 co;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	company_init(&co);
	if (network_need_supplier(c, who, false, &co, e) == 0)
		rc = network_load(c, LINK_SUPPLIER, co.id, id, clock_now_ms(),
		    out, e);
	company_release(&co);
	store_release(c);
	return rc;
}

/* A change the supplier makes to one of its rows. */
enum network_change { NETWORK_RESEND, NETWORK_REVOKE, NETWORK_DISCONNECT };

/* Gives row `before` a new token and mails it; the old token dies. */
static int
network_resend_row(const struct app *app, struct store_conn *c,
    const struct store_link *before, int64_t now, struct err *e)
{
	char	token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	bool	used = false;
	int	rc = -1;

	if (strcmp(before->status, "accepted") == 0) {
		err_set(e, ERR_CONFLICT, "invalid_state", NULL,
		    "This distributor has already accepted the invitation.");
		return -1;
	}
	/* A declined or revoked row gave its code back; it may be gone. */
	if (store_link_code_used(c, before->supplier_id, before->code,
	    before->id, &used, e) != STORE_OK)
		return -1;
	if (used) {
		err_set(e, ERR_CONFLICT, "code_taken", "code",
		    "Code %lld is now used by another distributor.",
		    (long long)before->code);
		return -1;
	}

	token_new(token);
	token_hash(token, hash);
	if (store_link_reissue(c, before->supplier_id, before->id, hash,
	    now + (int64_t)app->cfg->invite_ttl_s * 1000, now, e) ==
	    STORE_OK)
		rc = network_mail_invite(app, c, before, token, e);
	sodium_memzero(token, sizeof(token));
	return rc;
}

/* Applies change to row `before` of its supplier, on c inside a write
 * transaction. */
static int
network_change_row(const struct app *app, struct store_conn *c,
    enum network_change change, const struct store_link *before,
    const char *reason, int64_t now, struct err *e)
{
	int64_t	s = before->supplier_id;

	switch (change) {
	case NETWORK_RESEND:
		return network_resend_row(app, c, before, now, e);
	case NETWORK_REVOKE:
		return store_link_revoke(c, s, before->id, now, e) ==
		    STORE_OK ? 0 : -1;
	case NETWORK_DISCONNECT:
		if (store_link_disconnect(c, s, before->id, reason, now, e) !=
		    STORE_OK)
			return -1;
		return network_drop(c, s, before->distributor_id, now, e);
	}
	return -1;
}

/* One change by the supplier, audited, on c inside a write transaction. */
static int
network_change_tx(const struct app *app, struct store_conn *c,
    const struct actor *who, enum network_change change, int64_t id,
    const char *reason, struct network_link *out, struct err *e)
{
	static const char *const actions[] = {
		[NETWORK_RESEND] = "link.resend",
		[NETWORK_REVOKE] = "link.revoke",
		[NETWORK_DISCONNECT] = "link.disconnect",
	};
	struct store_link	*before;
	struct company		 co;
	int64_t			 now = clock_now_ms();
	int			 rc = -1;

	before = xmalloc(sizeof(*before));
	company_init(&co);
	if (network_need_supplier(c, who, true, &co, e) != 0 ||
	    store_link_get(c, LINK_SUPPLIER, co.id, id, before, e) !=
	    STORE_OK ||
	    network_change_row(app, c, change, before, reason, now, e) != 0 ||
	    network_load(c, LINK_SUPPLIER, co.id, id, now, out, e) != 0)
		goto out;
	rc = network_audit(c, who, actions[change], before, &out->row, now,
	    e);

out:
	company_release(&co);
	free(before);
	return rc;
}

/* Runs one change in its own transaction. */
static int
network_change(const struct app *app, const struct actor *who,
    enum network_change change, int64_t id, const char *reason,
    struct network_link *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    network_change_tx(app, c, who, change, id, reason, out, e) != 0 ||
	    store_commit(c, e) != STORE_OK)
		goto release;
	if (change == NETWORK_RESEND)
		network_kick(app);
	rc = 0;

release:
	store_release(c);
	return rc;
}

int
network_resend(const struct app *app, const struct actor *who, int64_t id,
    struct network_link *out, struct err *e)
{
	return network_change(app, who, NETWORK_RESEND, id, NULL, out, e);
}

int
network_revoke(const struct app *app, const struct actor *who, int64_t id,
    struct network_link *out, struct err *e)
{
	return network_change(app, who, NETWORK_REVOKE, id, NULL, out, e);
}

/* Checks a disconnection reason and writes it trimmed into out. */
static int
network_reason_check(const char *in, char *out, struct err *e)
{
	size_t	chars, i;

	if (in == NULL)
		goto bad;
	while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
		in++;
	if (strlen(in) >= LINK_REASON_SIZE)
		goto bad;
	snprintf(out, LINK_REASON_SIZE, "%s", in);
	for (i = strlen(out); i > 0 && strchr(" \t\r\n", out[i - 1]); i--)
		out[i - 1] = '\0';
	chars = password_chars(out);
	if (chars < 1 || chars > NETWORK_REASON_MAX)
		goto bad;
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 && out[i] != '\n' &&
		    out[i] != '\r' && out[i] != '\t')
			goto bad;
	return 0;

bad:
	err_set(e, ERR_INVALID, "reason_invalid", "reason",
	    "Give a reason of 1 to %d characters.", NETWORK_REASON_MAX);
	return -1;
}

int
network_disconnect(const struct app *app, const struct actor *who,
    int64_t id, const char *reason, struct network_link *out,
    struct err *e)
{
	char	clean[LINK_REASON_SIZE];

	if (network_reason_check(reason, clean, e) != 0)
		return -1;
	return network_change(app, who, NETWORK_DISCONNECT, id, clean, out,
	    e);
}
