/*
 * signup.h - registration: a new distributor company and its owner.
 *
 * Anyone may register (the invitation flow sends distributors here), so
 * attempts are throttled per address (domain/throttle.h).  The company,
 * its owner and the first session are made in one transaction, and the
 * company and the user are audited.  None of these functions logs.
 */
#ifndef TOBMEN_DOMAIN_SIGNUP_H
#define TOBMEN_DOMAIN_SIGNUP_H

#include "app.h"
#include "core/err.h"
#include "domain/session.h"
#include "store/company.h"
#include "store/user.h"

struct signup {
	const char	*company_name;
	const char	*inn;		/* may be NULL or "" */
	const char	*name;
	const char	*email;
	const char	*password;
	const char	*lang;		/* "ru" if NULL */
	const char	*ip;
};

/*
 * Registers in and logs the new owner in (a browser-session cookie).
 * Returns 0 with co (initialised by the caller), u and s filled, or -1
 * with e: ERR_THROTTLED (s->retry_s set), ERR_INVALID naming the field,
 * ERR_CONFLICT "email_taken", or a store error.
 */
int	signup_register(const struct app *app, const struct signup *in,
	    struct company *co, struct store_user *u, struct session_new *s,
	    struct err *e);

#endif
