/*
 * signup.c - registering a distributor company with its first owner.
 *
 * The password is hashed before the transaction starts, so the store's
 * write lock is never held during argon2id.  No SQL or HTTP here.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "domain/company.h"
#include "domain/password.h"
#include "domain/signup.h"
#include "domain/throttle.h"
#include "store/audit.h"

/* Checks every field of in and fills u (without company and hash). */
static int
signup_check(const struct signup *in, struct store_user *u, struct err *e)
{
	memset(u, 0, sizeof(*u));
	if (account_email_normalize(in->email, u->email, e) != 0 ||
	    account_name_check(in->name, u->name, e) != 0 ||
	    password_check(in->password ? in->password : "", "password",
	    e) != 0)
		return -1;
	snprintf(u->lang, sizeof(u->lang), "%s", in->lang ? in->lang : "ru");
	if (strcmp(u->lang, "ru") != 0 && strcmp(u->lang, "en") != 0) {
		err_set(e, ERR_INVALID, "lang_invalid", "lang",
		    "The language must be \"ru\" or \"en\".");
		return -1;
	}
	snprintf(u->role, sizeof(u->role), "owner");
	return 0;
}

/* Checks the company's fields by applying them to co (which the
 * transaction later stores); errors name "company_name" and "inn". */
static int
signup_company_check(const struct signup *in, struct company *co,
    struct err *e)
{
	struct company_card	card = {
		.name = in->company_name ? in->company_name : "",
		.inn = in->inn ? in->inn : "",
	};

	if (company_card_apply(co, &card, e) == 0)
		return 0;
	if (e != NULL && strcmp(e->field, "name") == 0)
		snprintf(e->field, sizeof(e->field), "company_name");
	return -1;
}

/* Counts the attempt against the address; 0 if it may go on. */
static int
signup_throttle(const struct app *app, const char *ip, int *retry_s,
    struct err *e)
{
	struct store_conn	*c;
	int64_t			 now = clock_now_ms();
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    throttle_check(c, THROTTLE_REGISTER_IP, ip, now, retry_s, e) == 0 &&
	    throttle_note(c, THROTTLE_REGISTER_IP, ip, now, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}

/* Audits the new owner. */
static int
signup_audit_user(struct store_conn *c, const struct actor *who,
    const struct store_user *u, struct err *e)
{
	struct audit_entry	a;
	char			id[24];

	memset(&a, 0, sizeof(a));
	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	a.actor_user_id = u->id;
	a.actor_company_id = u->company_id;
	a.ip = who->ip[0] != '\0' ? who->ip : NULL;
	a.action = "user.register";
	a.object_type = "user";
	a.object_id = id;
	a.company_id = u->company_id;
	return store_audit_add(c, &a, e) == STORE_OK ? 0 : -1;
}

/* The transaction: company, owner, audit, session. */
static int
signup_tx(const struct app *app, struct store_conn *c,
    const struct signup *in, struct company *co, struct store_user *u,
    struct session_new *s, struct err *e)
{
	struct company_card	card = {
		.name = in->company_name,
		.inn = in->inn ? in->inn : "",
	};
	struct actor		who;
	enum store_rc		rc;

	memset(&who, 0, sizeof(who));
	snprintf(who.ip, sizeof(who.ip), "%s", in->ip ? in->ip : "");
	if (company_create(c, &who, &card, false, true, co, e) != 0)
		return -1;
	u->company_id = co->id;
	u->created_at = clock_now_ms();
	rc = store_user_insert(c, u, &u->id, e);
	if (rc == STORE_CONFLICT)
		err_set(e, ERR_CONFLICT, "email_taken", "email",
		    "A user with this e-mail already exists.");
	if (rc != STORE_OK || signup_audit_user(c, &who, u, e) != 0)
		return -1;
	return session_open(app, c, u->id, co->id, false, s, e);
}

int
signup_register(const struct app *app, const struct signup *in,
    struct company *co, struct store_user *u, struct session_new *s,
    struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	memset(s, 0, sizeof(*s));
	password_set_parallel(app->cfg->hash_parallel);
	if (signup_throttle(app, in->ip ? in->ip : "", &s->retry_s, e) != 0)
		return -1;
	if (signup_company_check(in, co, e) != 0 ||
	    signup_check(in, u, e) != 0 ||
	    password_hash(in->password, u->password_hash, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    signup_tx(app, c, in, co, u, s, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	return rc;
}
