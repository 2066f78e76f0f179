/*
 * session.c - login, session lookup with idle and absolute expiry, logout.
 *
 * The slow part of a login (argon2id) runs outside any transaction, so
 * logins never hold the store's write lock while hashing.  No SQL and no
 * HTTP here: the store calls are in store/session.c and store/user.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domain/password.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "store/session.h"
#include "store/user.h"

/* What the read phase of a login learns. */
struct login_probe {
	char			email[USER_EMAIL_SIZE];
	bool			found;
	struct store_user	user;
};

/* Sets the one answer for every kind of failed login. */
static void
session_bad_login(struct err *e)
{
	err_set(e, ERR_UNAUTHORIZED, "invalid_credentials", NULL,
	    "The e-mail or the password is wrong.");
}

/* Refuses if the account or the address is over its limit; reads the
 * user.  Returns 0, 1 when throttled, -1 on a store error. */
static int
session_probe(struct store_conn *c, const char *ip, int64_t now,
    struct login_probe *p, int *retry_s, struct err *e)
{
	enum store_rc	rc;
	int		t;

	t = throttle_check(c, THROTTLE_LOGIN_ACCOUNT, p->email, now,
	    retry_s, e);
	if (t == 0)
		t = throttle_check(c, THROTTLE_LOGIN_IP, ip, now, retry_s, e);
	if (t != 0)
		return t;

	rc = store_user_find_email(c, p->email, &p->user, e);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return -1;
	p->found = rc == STORE_OK;
	return 0;
}

/* Records a failed login against the account and the address. */
static int
session_note_failure(struct store_conn *c, const char *email,
    const char *ip, int64_t now, struct err *e)
{
	if (store_begin(c, true, e) != STORE_OK)
		return -1;
	if (throttle_note(c, THROTTLE_LOGIN_ACCOUNT, email, now, e) != 0 ||
	    throttle_note(c, THROTTLE_LOGIN_IP, ip, now, e) != 0)
		return -1;
	return store_commit(c, e) == STORE_OK ? 0 : -1;
}

int
session_open(const struct app *app, struct store_conn *c, int64_t user_id,
    int64_t company_id, bool remember, struct session_new *out,
    struct err *e)
{
	struct store_session	s;
	int64_t			life_s, id;

	life_s = remember ? app->cfg->session_remember_s :
	    app->cfg->session_max_s;
	memset(&s, 0, sizeof(s));
	token_new(out->token);
	token_new(out->csrf_token);
	token_hash(out->token, s.token_hash);
	snprintf(s.csrf_token, sizeof(s.csrf_token), "%s", out->csrf_token);
	s.user_id = user_id;
	s.company_id = company_id;
	s.remember = remember;
	s.created_at = clock_now_ms();
	s.expires_at = s.created_at + life_s * 1000;
	out->max_age_s = remember ? life_s : -1;
	out->user_id = user_id;
	out->company_id = company_id;

	if (store_session_prune_user(c, user_id, s.created_at, e) != STORE_OK)
		return -1;
	return store_session_insert(c, &s, &id, e) == STORE_OK ? 0 : -1;
}

/* Ends the session of the cookie the browser still holds, if any. */
static int
session_drop_old(struct store_conn *c, const char *old_token,
    struct err *e)
{
	struct store_session	s;
	char			h[TOKEN_HASH_LEN + 1];
	enum store_rc		rc;

	if (!token_well_formed(old_token))
		return 0;
	token_hash(old_token, h);
	rc = store_session_find(c, h, &s, e);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return -1;
	return store_session_delete(c, s.id, e) == STORE_OK ? 0 : -1;
}

/* The write phase of a good login: rotate, open, record, maybe rehash. */
static int
session_grant(const struct app *app, struct store_conn *c,
    const struct login_probe *p, bool remember, const char *old_token,
    const char *rehash, struct session_new *out, struct err *e)
{
	const struct store_user	*u = &p->user;
	int64_t			 now = clock_now_ms();

	if (store_begin(c, true, e) != STORE_OK)
		return -1;
	if (session_drop_old(c, old_token, e) != 0 ||
	    session_open(app, c, u->id, u->company_id, remember, out, e) != 0)
		return -1;
	if (store_user_touch_login(c, u->id, now, e) != STORE_OK ||
	    throttle_clear(c, THROTTLE_LOGIN_ACCOUNT, p->email, e) != 0)
		return -1;
	if (rehash != NULL &&
	    store_user_set_password(c, u->id, rehash, now, e) != STORE_OK)
		return -1;
	return store_commit(c, e) == STORE_OK ? 0 : -1;
}

/* Checks the password (always spending one hash) and prepares a new hash
 * when the stored one uses old parameters.  Returns true if it is right. */
static bool
session_password_ok(const struct login_probe *p, const char *password,
    char rehash[PASSWORD_HASH_SIZE], bool *need_rehash)
{
	enum password_verdict	v;

	*need_rehash = false;
	v = password_verify(p->found ? p->user.password_hash : "", password);
	if (v == PASSWORD_WRONG || !p->found || p->user.disabled)
		return false;
	if (v == PASSWORD_OK_REHASH)
		*need_rehash = password_hash(password, rehash, NULL) == 0;
	return true;
}

int
session_login(const struct app *app, const char *email,
    const char *password, bool remember, const char *ip,
    const char *old_token, struct session_new *out, struct err *e)
{
	struct login_probe	 p;
	struct store_conn	*c;
	char			 rehash[PASSWORD_HASH_SIZE];
	bool			 need_rehash;
	int			 rc = -1, t;

	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	password_set_parallel(app->cfg->hash_parallel);
	if (account_email_normalize(email, p.email, NULL) != 0)
		snprintf(p.email, sizeof(p.email), "%.200s", email);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;

	t = session_probe(c, ip, clock_now_ms(), &p, &out->retry_s, e);
	if (t != 0)
		goto release;
	if (!session_password_ok(&p, password, rehash, &need_rehash)) {
		if (session_note_failure(c, p.email, ip, clock_now_ms(),
		    e) == 0)
			session_bad_login(e);
		goto release;
	}
	rc = session_grant(app, c, &p, remember, old_token,
	    need_rehash ? rehash : NULL, out, e);

release:
	store_release(c);
	return rc;
}

/* Sets the answer for a request without a live session. */
static void
session_unauthenticated(struct err *e)
{
	err_set(e, ERR_UNAUTHORIZED, "unauthenticated", NULL,
	    "Please log in.");
}

/* True if session s is still alive at now under the configured limits. */
static bool
session_alive(const struct app *app, const struct store_session *s,
    int64_t now)
{
	int64_t	idle_ms = (int64_t)app->cfg->session_idle_s * 1000;

	if (now >= s->expires_at)
		return false;
	return s->remember || now - s->last_seen_at < idle_ms;
}

/* Fills the caller from the session and its user; false if the user may
 * no longer use it.  The password hash is not kept. */
static bool
session_fill(const struct store_session *s, const struct store_user *u,
    const char *ip, struct session_caller *out)
{
	memset(out, 0, sizeof(*out));
	if (u->id == 0 || u->disabled || u->company_id != s->company_id ||
	    account_role_parse(u->role, &out->actor.role) != 0)
		return false;
	out->actor.user_id = u->id;
	out->actor.company_id = s->company_id;
	out->actor.session_id = s->id;
	snprintf(out->actor.ip, sizeof(out->actor.ip), "%s", ip ? ip : "");
	snprintf(out->csrf_token, sizeof(out->csrf_token), "%s",
	    s->csrf_token);
	out->user = *u;
	memset(out->user.password_hash, 0, sizeof(out->user.password_hash));
	return true;
}

/* Looks the session up on c; 1 if it is dead (then deleted), 0 if alive
 * (out filled), -1 on a store error. */
static int
session_check(const struct app *app, struct store_conn *c,
    const char *hash, const char *ip, struct session_caller *out,
    struct company *co, struct err *e)
{
	struct store_session	s;
	struct store_user	u;
	enum store_rc		rc;
	int64_t			now = clock_now_ms();

	rc = store_session_find_user(c, hash, &s, &u, co, e);
	if (rc == STORE_NOTFOUND)
		return 1;
	if (rc != STORE_OK)
		return -1;
	if (!session_alive(app, &s, now) || !session_fill(&s, &u, ip, out))
		return store_session_delete(c, s.id, e) == STORE_OK ? 1 : -1;
	if (now - s.last_seen_at >= SESSION_TOUCH_MS &&
	    store_session_touch(c, s.id, now, e) != STORE_OK)
		return -1;
	return 0;
}

int
session_lookup(const struct app *app, const char *token, const char *ip,
    struct session_caller *out, struct company *co, struct err *e)
{
	struct store_conn	*c;
	char			 hash[TOKEN_HASH_LEN + 1];
	int			 rc;

	if (!token_well_formed(token)) {
		session_unauthenticated(e);
		return -1;
	}
	token_hash(token, hash);
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = session_check(app, c, hash, ip, out, co, e);
	store_release(c);
	if (rc == 1)
		session_unauthenticated(e);
	return rc == 0 ? 0 : -1;
}

int
session_logout(const struct app *app, const char *token, struct err *e)
{
	struct store_conn	*c;
	int			 rc;

	if (!token_well_formed(token))
		return 0;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = session_drop_old(c, token, e);
	store_release(c);
	return rc;
}
