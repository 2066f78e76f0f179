/*
 * auth.h - what account handlers share: the session guard, CSRF and
 * origin checks, the session cookie, reading JSON fields, and the JSON
 * shapes of a user and a company (docs/API-ACCOUNTS.md).
 *
 * Every handler that needs a logged-in caller starts with auth_require.
 * For a state-changing method (anything but GET and HEAD) it also refuses
 * a cross-site request (Origin other than PUBLIC_URL's, or Sec-Fetch-Site:
 * cross-site), a body that is not JSON, and a missing or wrong
 * X-CSRF-Token.  The company of the request always comes from the
 * session, never from the request.
 */
#ifndef TOBMEN_API_AUTH_H
#define TOBMEN_API_AUTH_H

#include <stdbool.h>

#include <jansson.h>

#include "app.h"
#include "domain/session.h"
#include "http/http.h"
#include "store/company.h"
#include "store/user.h"

#define AUTH_COOKIE	"tobmen_session"

enum auth_need {
	AUTH_USER,		/* any logged-in user */
	AUTH_MANAGER,		/* owner, admin or operator */
};

/*
 * Returns the caller (owned by the request), or NULL after replying:
 * 401 unauthenticated, 403 csrf_failed / forbidden, 415 for a non-JSON
 * state-changing request.  Also names the company on the request's log
 * lines and stores the caller with http_req_set_auth.
 */
const struct session_caller *auth_require(struct http_req *req,
		    enum auth_need need);
/* auth_require that also reads the caller's company into co (initialised
 * by the caller, who releases it in any case; id 0 if it is gone) with
 * the same query as the session. */
const struct session_caller *auth_require_company(struct http_req *req,
		    enum auth_need need, struct company *co);

/* For endpoints used before a session exists (login, register, password
 * forgot and reset): refuses cross-site requests.  Returns true if the
 * request may go on, false after replying 403 csrf_failed. */
bool		auth_same_origin(struct http_req *req);

/* Sets the session cookie for s (HttpOnly, SameSite=Lax, Secure when
 * PUBLIC_URL is https; Max-Age only with "remember me"). */
void		auth_set_cookie(struct http_req *req,
		    const struct session_new *s);
/* Deletes the session cookie in the browser. */
void		auth_clear_cookie(struct http_req *req);

/* Replies with e; for ERR_THROTTLED adds Retry-After: retry_s. */
void		auth_reply_error(struct http_req *req, const struct err *e,
		    int retry_s);

/* The JSON object of the request body, or NULL after replying 400. */
json_t		*auth_body(struct http_req *req);

/*
 * Reads string member key of o into *out (borrowed from o).  Absent or
 * null leaves *out NULL, unless required (then 400 "field_required").
 * Another type, or a string holding NUL, is 400 "field_invalid".
 * Returns 0 or -1 with e filled.
 */
int		auth_str(json_t *o, const char *key, bool required,
		    const char **out, struct err *e);
/* Reads boolean member key into *out (-1 if absent, else 0 or 1). */
int		auth_bool(json_t *o, const char *key, int *out,
		    struct err *e);

/* Parses a decimal id (1 .. 2^63-1); -1 if s is not one. */
int64_t		auth_id(const char *s);

/* A time as RFC 3339 text, or JSON null for 0 (never); a new
 * reference. */
json_t		*auth_time_json(int64_t ms);
/* The API's shapes of a user and a company, written into w. */
void		auth_user_write(struct jsonw *w, const struct store_user *u);
void		auth_company_write(struct jsonw *w, const struct company *co);
/* The same shapes as new references (NULL only when out of memory). */
json_t		*auth_user_json(const struct store_user *u);
json_t		*auth_company_json(const struct company *co);
/* Replies {user, company, csrf_token}, the answer of login, register and
 * /auth/me. */
void		auth_reply_whoami(struct http_req *req, int status,
		    const struct store_user *u, const struct company *co,
		    const char *csrf_token);

#endif
