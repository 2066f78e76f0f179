/*
 * account.h - users of a company: roles, adding, changing, passwords.
 *
 * The rules: a user belongs to one company with a role (owner, admin,
 * member; operator for the service's own staff).  Owners and admins manage
 * users; an admin cannot change or disable an owner, nor make anyone an
 * owner; the last active owner cannot be demoted or disabled.  The caller
 * (struct actor) always brings the company: a user id of another company
 * is "not found".  New users get a mail with a link to set a password;
 * a forgotten password is reset by a single-use link that ends every
 * session.  Each change goes to the audit log in the same transaction.
 *
 * Functions take the application context, borrow a store connection for
 * their own transaction, and fill e on failure; none logs.  After a mail
 * is committed they kick app->mail when it is not NULL.
 */
#ifndef TOBMEN_DOMAIN_ACCOUNT_H
#define TOBMEN_DOMAIN_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "store/user.h"

enum account_role {
	ROLE_MEMBER,
	ROLE_ADMIN,
	ROLE_OWNER,
	ROLE_OPERATOR,
};

/* Who acts: from the session, or the operator's command line. */
struct actor {
	int64_t			 user_id;	/* 0 for the command line */
	int64_t			 company_id;
	int64_t			 session_id;	/* 0 outside a session */
	enum account_role	 role;
	char			 ip[64];	/* "" when there is none */
};

#define WELCOME_TTL_MS	(7LL * 24 * 3600 * 1000)
#define RESET_TTL_MS	(3600LL * 1000)

/* "owner", "admin", ... and back; parse returns -1 for anything else. */
const char	*account_role_name(enum account_role r);
int		 account_role_parse(const char *s, enum account_role *out);

/* True if the role may manage users and the company card. */
bool		 account_role_manages(enum account_role r);

/* Trims and lowercases an e-mail address into out (USER_EMAIL_SIZE).
 * Returns 0, or -1 with e ERR_INVALID "email_invalid" (field "email"). */
int	account_email_normalize(const char *in, char *out, struct err *e);

/* Checks a display name (1..200 characters after trimming, no control
 * characters) and writes it trimmed into out (USER_NAME_SIZE). */
int	account_name_check(const char *in, char *out, struct err *e);

/* Reads user id of any company: for the operator's command line only,
 * which then acts in that user's company.  ERR_NOTFOUND if none. */
int	account_find(const struct app *app, int64_t id, struct store_user *out,
	    struct err *e);

/* Reads user id of the actor's company.  ERR_NOTFOUND otherwise. */
int	account_get(const struct app *app, const struct actor *who,
	    int64_t id, struct store_user *out, struct err *e);

/* Lists the actor's company's users after id `after`, at most limit
 * (1..200).  *items is malloc'd (free it); *more says whether another
 * page follows. */
int	account_list(const struct app *app, const struct actor *who,
	    int64_t after, int limit, struct store_user **items, size_t *n,
	    bool *more, struct err *e);

/* What a new user is given. */
struct account_new {
	const char	*email;
	const char	*name;
	const char	*role;		/* "member" if NULL */
	const char	*lang;		/* "ru" if NULL */
};

/*
 * Adds a user to the actor's company (owner or admin; the command line
 * may add to any company by setting who->company_id) and queues the
 * "user_welcome" mail with a set-password link valid 7 days.
 * ERR_CONFLICT "email_taken" if the address is in use.
 */
int	account_add(const struct app *app, const struct actor *who,
	    const struct account_new *in, struct store_user *out,
	    struct err *e);

/* A change to a user; NULL / negative members are left as they are. */
struct account_patch {
	const char	*name;
	const char	*role;
	const char	*lang;
	int		 disabled;	/* -1 unchanged, 0, 1 */
};

/* Applies p to user id of the actor's company under the role rules;
 * disabling a user also ends their sessions. */
int	account_update(const struct app *app, const struct actor *who,
	    int64_t id, const struct account_patch *p, struct store_user *out,
	    struct err *e);

/* Changes the actor's own name or language (role and disabled refused). */
int	account_update_self(const struct app *app, const struct actor *who,
	    const struct account_patch *p, struct store_user *out,
	    struct err *e);

/* Checks the current password, sets the new one, ends the actor's other
 * sessions.  ERR_INVALID "wrong_password" on a bad current password. */
int	account_password_change(const struct app *app,
	    const struct actor *who, const char *current, const char *next,
	    struct err *e);

/* Queues a reset mail if the e-mail names an active user; says nothing
 * either way.  -1 only for throttling (ERR_THROTTLED, *retry_s set) or a
 * store error. */
int	account_password_forgot(const struct app *app, const char *email,
	    const char *ip, int *retry_s, struct err *e);

/* Spends a reset or welcome token: sets the password, ends every session
 * of the user.  ERR_INVALID "token_invalid" if unknown, used or expired.
 * *user_id (may be NULL) gets the user. */
int	account_password_reset(const struct app *app, const char *token,
	    const char *password, const char *ip, int64_t *user_id,
	    struct err *e);

/* Makes a set-password token for user u and queues tmpl ("user_welcome"
 * or "password_reset") with its link, on c inside the caller's
 * transaction.  company names the company in the welcome mail. */
int	account_mail_link(const struct app *app, struct store_conn *c,
	    const struct store_user *u, const char *company, const char *tmpl,
	    struct err *e);

#endif
