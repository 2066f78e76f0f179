/*
 * account.c - the rules for users: roles, adding, changing, passwords.
 *
 * Tenancy: every lookup is by (actor's company, id).  No SQL or HTTP
 * here; rows go through store/user.h, store/session.h, store/token.h and
 * the audit log through store/audit.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/account.h"
#include "domain/password.h"
#include "domain/throttle.h"
#include "domain/token.h"
#include "mail/mail.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/session.h"
#include "store/token.h"

#define NAME_MAX_CHARS	200
#define EMAIL_MAX	254

static const char *const account_roles[] = {
	[ROLE_MEMBER] = "member",
	[ROLE_ADMIN] = "admin",
	[ROLE_OWNER] = "owner",
	[ROLE_OPERATOR] = "operator",
};

const char *
account_role_name(enum account_role r)
{
	return account_roles[r];
}

int
account_role_parse(const char *s, enum account_role *out)
{
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(account_roles) /
	    sizeof(account_roles[0]); i++) {
		if (strcmp(s, account_roles[i]) == 0) {
			*out = (enum account_role)i;
			return 0;
		}
	}
	return -1;
}

bool
account_role_manages(enum account_role r)
{
	return r == ROLE_OWNER || r == ROLE_ADMIN || r == ROLE_OPERATOR;
}

/* Copies s without leading and trailing ASCII white space into out of
 * size n; returns false if it does not fit. */
static bool
account_trim(const char *s, char *out, size_t n)
{
	size_t	len;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	if (len >= n)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

/* True if c may appear in an address we accept. */
static bool
account_email_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && strchr("<>()[]\\,;:\"", c) == NULL;
}

/* Checks the shape of a lowercased address: one '@', both sides present,
 * a dot in the domain, no spaces or specials. */
static bool
account_email_shape(const char *s)
{
	const char	*at = strchr(s, '@');
	size_t		 i;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    at - s > 64 || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!account_email_char((unsigned char)s[i]))
			return false;
	return true;
}

int
account_email_normalize(const char *in, char *out, struct err *e)
{
	size_t	i;

	if (in == NULL || !account_trim(in, out, EMAIL_MAX + 1) ||
	    !account_email_shape(out)) {
		err_set(e, ERR_INVALID, "email_invalid", "email",
		    "This is not a valid e-mail address.");
		return -1;
	}
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return 0;
}

int
account_name_check(const char *in, char *out, struct err *e)
{
	size_t	i, chars;

	if (in == NULL || !account_trim(in, out, USER_NAME_SIZE))
		goto bad;
	chars = password_chars(out);
	if (chars < 1 || chars > NAME_MAX_CHARS)
		goto bad;
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			goto bad;
	return 0;

bad:
	err_set(e, ERR_INVALID, "name_invalid", "name",
	    "The name must have 1 to %d characters.", NAME_MAX_CHARS);
	return -1;
}

/* Checks a language code; "ru" or "en". */
static int
account_lang_check(const char *lang, struct err *e)
{
	if (strcmp(lang, "ru") == 0 || strcmp(lang, "en") == 0)
		return 0;
	err_set(e, ERR_INVALID, "lang_invalid", "lang",
	    "The language must be \"ru\" or \"en\".");
	return -1;
}

/* Refuses actors that may not manage users. */
static int
account_need_manager(const struct actor *who, struct err *e)
{
	if (account_role_manages(who->role))
		return 0;
	err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
	    "Only an owner or an administrator may do this.");
	return -1;
}


/* Renders the audited fields of u as a JSON object (malloc'd). */
static char *
account_json(const struct store_user *u)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "email", u->email,
	    "name", u->name, "role", u->role, "lang", u->lang, "disabled",
	    u->disabled);
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
}

/* Appends an audit entry about user object (before/after may be NULL). */
static int
account_audit(struct store_conn *c, const struct actor *who,
    const char *action, int64_t company_id, int64_t user_id,
    const struct store_user *before, const struct store_user *after,
    struct err *e)
{
	struct audit_entry	a;
	char			id[24];
	char			*b = NULL, *n = NULL;
	enum store_rc		rc;

	memset(&a, 0, sizeof(a));
	snprintf(id, sizeof(id), "%lld", (long long)user_id);
	if (before != NULL)
		b = account_json(before);
	if (after != NULL)
		n = account_json(after);
	a.actor_user_id = who->user_id;
	a.actor_company_id = who->user_id != 0 ? who->company_id : 0;
	a.ip = who->ip[0] != '\0' ? who->ip : NULL;
	a.action = action;
	a.object_type = "user";
	a.object_id = id;
	a.company_id = company_id;
	a.before = b;
	a.after = n;
	rc = store_audit_add(c, &a, e);
	free(b);
	free(n);
	return rc == STORE_OK ? 0 : -1;
}

int
account_get(const struct app *app, const struct actor *who, int64_t id,
    struct store_user *out, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_user_get(c, who->company_id, id, out, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

int
account_find(const struct app *app, int64_t id, struct store_user *out,
    struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_user_get_any(c, id, out, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

int
account_list(const struct app *app, const struct actor *who, int64_t after,
    int limit, struct store_user **items, size_t *n, bool *more,
    struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > 200) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and 200.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_user_list(c, who->company_id, after, limit + 1, items, n,
	    e);
	store_release(c);
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*more = true;
	}
	return rc == STORE_OK ? 0 : -1;
}

int
account_mail_link(const struct app *app, struct store_conn *c,
    const struct store_user *u, const char *company, const char *tmpl,
    struct err *e)
{
	char		 token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	char		*link;
	bool		 welcome = strcmp(tmpl, "user_welcome") == 0;
	int64_t		 now = clock_now_ms();
	int		 rc = -1;
	const char	*vars[] = {
		"link", NULL, "company", company, "name", u->name, NULL,
	};

	token_new(token);
	token_hash(token, hash);
	link = xasprintf("%s/password/reset?token=%s", app->cfg->public_url,
	    token);
	vars[1] = link;
	if (store_token_insert(c, hash, u->id, welcome ? "welcome" : "reset",
	    now, now + (welcome ? WELCOME_TTL_MS : RESET_TTL_MS), e) !=
	    STORE_OK)
		goto out;
	rc = mail_queue(c, u->email, tmpl, u->lang, vars, e);

out:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(link, strlen(link));
	free(link);
	return rc;
}

/* Wakes the mail worker after a commit that queued mail. */
static void
account_kick(const struct app *app)
{
	if (app->mail != NULL)
		mail_worker_kick(app->mail);
}

/* Checks what a new user is given and fills u (not yet stored). */
static int
account_new_check(const struct actor *who, const struct account_new *in,
    struct store_user *u, struct err *e)
{
	enum account_role	r = ROLE_MEMBER;

	memset(u, 0, sizeof(*u));
	if (account_email_normalize(in->email, u->email, e) != 0)
		return -1;
	if (in->name != NULL && in->name[0] != '\0' &&
	    account_name_check(in->name, u->name, e) != 0)
		return -1;
	if (in->role != NULL && account_role_parse(in->role, &r) != 0) {
		err_set(e, ERR_INVALID, "role_invalid", "role",
		    "The role must be owner, admin or member.");
		return -1;
	}
	if ((r == ROLE_OWNER && who->role == ROLE_ADMIN) ||
	    (r == ROLE_OPERATOR && who->role != ROLE_OPERATOR)) {
		err_set(e, ERR_FORBIDDEN, "role_forbidden", "role",
		    "You may not give this role.");
		return -1;
	}
	snprintf(u->lang, sizeof(u->lang), "%s", in->lang ? in->lang : "ru");
	if (account_lang_check(u->lang, e) != 0)
		return -1;
	snprintf(u->role, sizeof(u->role), "%s", account_role_name(r));
	u->company_id = who->company_id;
	u->created_at = clock_now_ms();
	return 0;
}

/* Inserts u, audits it and queues its welcome mail, on c in a
 * transaction.  */
static int
account_insert(const struct app *app, struct store_conn *c,
    const struct actor *who, struct store_user *u, struct err *e)
{
	struct company	co;
	enum store_rc	rc;
	int		ret = -1;

	company_init(&co);
	if (store_company_get(c, u->company_id, &co, e) != STORE_OK)
		goto out;
	if (strcmp(u->role, "operator") == 0 &&
	    (co.is_supplier || co.is_distributor)) {
		err_set(e, ERR_INVALID, "role_invalid", "role",
		    "Operators belong to the operator's own company (one that "
		    "is neither supplier nor distributor).");
		goto out;
	}
	rc = store_user_insert(c, u, &u->id, e);
	if (rc == STORE_CONFLICT)
		err_set(e, ERR_CONFLICT, "email_taken", "email",
		    "A user with this e-mail already exists.");
	if (rc != STORE_OK)
		goto out;
	if (account_audit(c, who, "user.create", u->company_id, u->id, NULL,
	    u, e) != 0)
		goto out;
	ret = account_mail_link(app, c, u, co.name, "user_welcome", e);

out:
	company_release(&co);
	return ret;
}

int
account_add(const struct app *app, const struct actor *who,
    const struct account_new *in, struct store_user *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (account_need_manager(who, e) != 0 ||
	    account_new_check(who, in, out, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    account_insert(app, c, who, out, e) != 0 ||
	    store_commit(c, e) != STORE_OK)
		goto release;
	account_kick(app);
	rc = 0;

release:
	store_release(c);
	return rc;
}

/* Applies the fields of p to u; checks each. */
static int
account_patch_apply(const struct account_patch *p, struct store_user *u,
    struct err *e)
{
	enum account_role	r;

	if (p->name != NULL && account_name_check(p->name, u->name, e) != 0)
		return -1;
	if (p->lang != NULL) {
		if (account_lang_check(p->lang, e) != 0)
			return -1;
		snprintf(u->lang, sizeof(u->lang), "%s", p->lang);
	}
	if (p->role != NULL) {
		if (account_role_parse(p->role, &r) != 0) {
			err_set(e, ERR_INVALID, "role_invalid", "role",
			    "The role must be owner, admin or member.");
			return -1;
		}
		snprintf(u->role, sizeof(u->role), "%s", p->role);
	}
	if (p->disabled >= 0)
		u->disabled = p->disabled != 0;
	return 0;
}

/* Checks that who may turn user `before` into `after`. */
static int
account_may_change(const struct actor *who, const struct store_user *before,
    const struct store_user *after, struct err *e)
{
	bool	owner = strcmp(before->role, "owner") == 0 ||
	    strcmp(after->role, "owner") == 0;
	bool	operator = strcmp(before->role, "operator") == 0 ||
	    strcmp(after->role, "operator") == 0;

	if (owner && who->role == ROLE_ADMIN) {
		err_set(e, ERR_FORBIDDEN, "owner_protected", NULL,
		    "Only an owner may change an owner's account or make "
		    "someone an owner.");
		return -1;
	}
	if (operator && who->role != ROLE_OPERATOR) {
		err_set(e, ERR_FORBIDDEN, "role_forbidden", "role",
		    "Only the service's operators manage operator accounts.");
		return -1;
	}
	if (before->id == who->user_id && after->disabled) {
		err_set(e, ERR_CONFLICT, "cannot_disable_self", "disabled",
		    "You cannot disable your own account.");
		return -1;
	}
	return 0;
}

/* Refuses a change that would leave the company with no active owner.
 * The owners' rows are locked first, so two concurrent demotions cannot
 * both see a second owner. */
static int
account_keep_owner(struct store_conn *c, const struct store_user *before,
    const struct store_user *after, struct err *e)
{
	int64_t	n;

	if (strcmp(before->role, "owner") != 0 || before->disabled ||
	    (strcmp(after->role, "owner") == 0 && !after->disabled))
		return 0;
	if (store_user_lock_owners(c, before->company_id, e) != STORE_OK ||
	    store_user_count_owners(c, before->company_id, &n, e) !=
	    STORE_OK)
		return -1;
	if (n > 1)
		return 0;
	err_set(e, ERR_CONFLICT, "last_owner", NULL,
	    "The company's last owner cannot be demoted or disabled.");
	return -1;
}

/* The transaction of account_update, on c. */
static int
account_update_tx(struct store_conn *c, const struct actor *who,
    int64_t id, const struct account_patch *p, struct store_user *out,
    struct err *e)
{
	struct store_user	before;
	int64_t			now = clock_now_ms();

	if (store_user_get(c, who->company_id, id, &before, e) != STORE_OK)
		return -1;
	*out = before;
	if (account_patch_apply(p, out, e) != 0 ||
	    account_may_change(who, &before, out, e) != 0 ||
	    account_keep_owner(c, &before, out, e) != 0)
		return -1;
	if (store_user_update(c, out, now, e) != STORE_OK)
		return -1;
	if (out->disabled && !before.disabled &&
	    (store_session_delete_user(c, id, 0, e) != STORE_OK ||
	    store_token_revoke_user(c, id, now, e) != STORE_OK))
		return -1;
	return account_audit(c, who, "user.update", who->company_id, id,
	    &before, out, e);
}

int
account_update(const struct app *app, const struct actor *who, int64_t id,
    const struct account_patch *p, struct store_user *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (account_need_manager(who, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    account_update_tx(c, who, id, p, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

int
account_update_self(const struct app *app, const struct actor *who,
    const struct account_patch *p, struct store_user *out, struct err *e)
{
	struct store_conn	*c;
	struct store_user	 before;
	int			 rc = -1;

	if (p->role != NULL || p->disabled >= 0) {
		err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
		    "You cannot change your own role or status here.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    store_user_get(c, who->company_id, who->user_id, &before, e) !=
	    STORE_OK)
		goto release;
	*out = before;
	if (account_patch_apply(p, out, e) == 0 &&
	    store_user_update(c, out, clock_now_ms(), e) == STORE_OK &&
	    account_audit(c, who, "user.update", who->company_id,
	    who->user_id, &before, out, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;

release:
	store_release(c);
	return rc;
}

/* Reads the actor's user and checks its password, counting a wrong one
 * against the account's login limit.  Returns 0 if right. */
static int
account_check_current(struct store_conn *c, const struct actor *who,
    const char *current, struct store_user *u, struct err *e)
{
	int64_t	now = clock_now_ms();
	int	t;

	if (store_user_get(c, who->company_id, who->user_id, u, e) !=
	    STORE_OK)
		return -1;
	t = throttle_check(c, THROTTLE_LOGIN_ACCOUNT, u->email, now, NULL, e);
	if (t != 0)
		return -1;
	if (password_verify(u->password_hash, current) != PASSWORD_WRONG)
		return 0;
	if (throttle_note(c, THROTTLE_LOGIN_ACCOUNT, u->email, now, e) == 0)
		err_set(e, ERR_INVALID, "wrong_password", "current_password",
		    "The current password is wrong.");
	return -1;
}

/* Stores hash as user u's password, ends the sessions other than
 * keep_session (0: all) and the unused links, and audits action. */
static int
account_password_store(struct store_conn *c, const struct actor *who,
    const struct store_user *u, const char *hash, int64_t keep_session,
    const char *action, struct err *e)
{
	int64_t	now = clock_now_ms();

	if (store_user_set_password(c, u->id, hash, now, e) != STORE_OK ||
	    store_session_delete_user(c, u->id, keep_session, e) !=
	    STORE_OK ||
	    store_token_revoke_user(c, u->id, now, e) != STORE_OK)
		return -1;
	return account_audit(c, who, action, u->company_id, u->id, NULL,
	    NULL, e);
}

int
account_password_change(const struct app *app, const struct actor *who,
    const char *current, const char *next, struct err *e)
{
	struct store_conn	*c;
	struct store_user	 u;
	char			 hash[PASSWORD_HASH_SIZE];
	int			 rc = -1;

	if (password_check(next, "new_password", e) != 0)
		return -1;
	password_set_parallel(app->cfg->hash_parallel);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (account_check_current(c, who, current, &u, e) != 0 ||
	    password_hash(next, hash, e) != 0)
		goto release;
	if (store_begin(c, true, e) == STORE_OK &&
	    account_password_store(c, who, &u, hash, who->session_id,
	    "user.password_change", e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;

release:
	store_release(c);
	return rc;
}

/* The transaction of account_password_forgot once the address passed its
 * limit: a reset mail for an active user under the per-account limit. */
static int
account_forgot_tx(const struct app *app, struct store_conn *c,
    const char *email, const char *ip, bool *mailed, struct err *e)
{
	struct store_user	u;
	enum store_rc		rc;
	int64_t			now = clock_now_ms();

	if (throttle_note(c, THROTTLE_FORGOT_IP, ip, now, e) != 0)
		return -1;
	if (email[0] == '\0')
		return 0;
	rc = store_user_find_email(c, email, &u, e);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && u.disabled))
		return 0;
	if (rc != STORE_OK)
		return -1;
	rc = throttle_check(c, THROTTLE_FORGOT_ACCOUNT, email, now, NULL, e);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	if (throttle_note(c, THROTTLE_FORGOT_ACCOUNT, email, now, e) != 0 ||
	    account_mail_link(app, c, &u, "", "password_reset", e) != 0)
		return -1;
	*mailed = true;
	return 0;
}

int
account_password_forgot(const struct app *app, const char *email,
    const char *ip, int *retry_s, struct err *e)
{
	struct store_conn	*c;
	char			 addr[USER_EMAIL_SIZE];
	bool			 mailed = false;
	int			 rc = -1;

	if (account_email_normalize(email, addr, NULL) != 0)
		addr[0] = '\0';
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    throttle_check(c, THROTTLE_FORGOT_IP, ip, clock_now_ms(),
	    retry_s, e) != 0)
		goto release;
	if (account_forgot_tx(app, c, addr, ip, &mailed, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;

release:
	store_release(c);
	if (rc == 0 && mailed)
		account_kick(app);
	return rc;
}

/* The transaction of account_password_reset: spend the token, store the
 * password, end every session. */
static int
account_reset_tx(struct store_conn *c, const char *token,
    const char *hash, const char *ip, int64_t *user_id, struct err *e)
{
	char			th[TOKEN_HASH_LEN + 1];
	struct store_user	u;
	struct actor		who;
	int64_t			id;

	token_hash(token, th);
	if (store_token_consume(c, th, clock_now_ms(), &id, e) != STORE_OK ||
	    store_user_get_any(c, id, &u, e) != STORE_OK)
		return -1;
	if (u.disabled) {
		err_set(e, ERR_INVALID, "token_invalid", "token",
		    "This link is unknown, already used or expired.");
		return -1;
	}
	memset(&who, 0, sizeof(who));
	who.user_id = u.id;
	who.company_id = u.company_id;
	snprintf(who.ip, sizeof(who.ip), "%s", ip ? ip : "");
	if (user_id != NULL)
		*user_id = u.id;
	return account_password_store(c, &who, &u, hash, 0,
	    "user.password_reset", e);
}

int
account_password_reset(const struct app *app, const char *token,
    const char *password, const char *ip, int64_t *user_id, struct err *e)
{
	struct store_conn	*c;
	char			 hash[PASSWORD_HASH_SIZE];
	int			 rc = -1;

	if (!token_well_formed(token)) {
		err_set(e, ERR_INVALID, "token_invalid", "token",
		    "This link is unknown, already used or expired.");
		return -1;
	}
	password_set_parallel(app->cfg->hash_parallel);
	if (password_check(password, "password", e) != 0 ||
	    password_hash(password, hash, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    account_reset_tx(c, token, hash, ip, user_id, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}
