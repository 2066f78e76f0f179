/*
 * fixtures.h - what the API tests build before they test: fresh names,
 * logged-in cabinet sessions, companies and users made through the
 * operator's command line, tokens read from the server's mail folder,
 * and a supplier and distributor linked into one network.
 *
 * Everything returned as a pointer belongs to the harness and is freed
 * when the test ends, except where a function says otherwise.  The
 * builders return false at the first step that fails and never EXPECT:
 * the test decides what a failure means.  Not thread safe.
 */
#ifndef TOBMEN_TESTS_API_FIXTURES_H
#define TOBMEN_TESTS_API_FIXTURES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "harness.h"

/* The password of every user the fixtures make. */
#define FX_PASSWORD	"correct horse battery staple"
/* An INN that passes the checksum. */
#define FX_VALID_INN	"7707083893"

/* Sends expr once, then checks its status and error code (EXPECT_ERROR
 * reads its response argument more than once). */
#define EXPECT_ERR(expr, code, errcode)					\
	do {								\
		struct api_resp *resp_ = (expr);			\
		EXPECT_ERROR(resp_, (code), (errcode));			\
	} while (0)

/* Skips the test unless run.sh handed over the binary, store and mail
 * folder that the command-line fixtures need. */
#define NEED_ENV()							\
	do {								\
		if (!fx_have_env())					\
			SKIP("needs TOBMEN_TEST_BIN, TOBMEN_TEST_DB and " \
			    "TOBMEN_TEST_MAIL_DIR from tests/api/run.sh"); \
	} while (0)

/* A logged-in cabinet user: cookie, CSRF token and who they are. */
struct fx_sess {
	char	cookie[128];
	char	csrf[64];
	char	user_id[24];
	char	company_id[24];
	char	email[160];
};

/* The environment variable name, or NULL when unset or empty. */
const char	*fx_env(const char *name);
/* True when TOBMEN_TEST_BIN, TOBMEN_TEST_DB and TOBMEN_TEST_MAIL_DIR
 * are all set. */
bool	 fx_have_env(void);

/* "tag-PID-N-T": a name no other test, nor an earlier run, used. */
const char	*fx_uniq(const char *tag);
/* fx_uniq(tag) at example.com. */
const char	*fx_uniq_email(const char *tag);

/* The string member key of o, or "" (never NULL). */
const char	*fx_sget(json_t *o, const char *key);
/* fx_sget of the response's JSON. */
const char	*fx_jstr(const struct api_resp *r, const char *key);
/* The integer member key of o, or 0. */
long long	 fx_jint(json_t *o, const char *key);

/* Copies the tobmen_session value of r's Set-Cookie into out; false if
 * there is none. */
bool	 fx_cookie_of(const struct api_resp *r, char *out, size_t n);
/* Fills s from a login or register answer; false without a cookie or a
 * CSRF token. */
bool	 fx_sess_from(const struct api_resp *r, struct fx_sess *s);

/* A request as the cabinet makes it: cookie, CSRF token, JSON body
 * (json may be NULL); extra is one more header line or NULL. */
struct api_resp	*fx_call_x(const struct fx_sess *s, const char *method,
		    const char *path, const char *json, const char *extra);
/* fx_call_x with no extra header. */
struct api_resp	*fx_call(const struct fx_sess *s, const char *method,
		    const char *path, const char *json);
/* GET path with only the session cookie. */
struct api_resp	*fx_get_as(const struct fx_sess *s, const char *path);

/* Sets the server's test clock offset; false if it refused. */
bool	 fx_clock_set(long long offset_ms);
/* The test clock's offset (0 if unreadable). */
long long	 fx_clock_get(void);

/*
 * POST /auth/register: a distributor company called company with its
 * owner email, password FX_PASSWORD.  On 201 fills s (may be NULL); if s
 * cannot be filled the status is changed to 599.
 */
struct api_resp	*fx_register(const char *company, const char *email,
		    struct fx_sess *s);
/* POST /auth/login; on 200 fills s (may be NULL), or sets status 599
 * when it cannot.  remember asks for the long session. */
struct api_resp	*fx_login(const char *email, const char *password,
		    bool remember, struct fx_sess *s);
/* Logs email in with FX_PASSWORD as s; true on success. */
bool	 fx_sign_in(const char *email, bool remember, struct fx_sess *s);

/* The server's mail folder (TOBMEN_TEST_MAIL_DIR), or NULL. */
const char	*fx_mail_dir(void);
/* How many mails to `to` are in the mail folder; *newest (may be NULL)
 * gets the text of the last one queued, or "" when there is none. */
int	 fx_mail_scan(const char *to, const char **newest);
/*
 * Waits up to 20 s until there are more than `had` mails to `to` and the
 * newest holds key; copies the token after key into out and the text to
 * *text (may be NULL).  False if none came.
 */
bool	 fx_mail_wait(const char *to, int had, const char *key, char *out,
	    size_t n, const char **text);
/* Waits up to 30 s for any mail to `to` that holds key; copies the token
 * after key into out.  False if none came. */
bool	 fx_mail_token(const char *to, const char *key, char *out,
	    size_t n);

/* Runs `tobmen admin ARGS --db DB [--json]` with stderr merged; returns
 * what it printed (NULL if it could not start), exit status in *rc. */
const char	*fx_cli(const char *args, bool json, int *rc);
/* Runs `tobmen admin ARGS --json`; its output parsed (the caller drops
 * it with json_decref), or NULL if it failed. */
json_t	*fx_admin(const char *args);
/* The "id" of the object `tobmen admin ARGS --json` prints, or NULL. */
const char	*fx_admin_id(const char *args);

/* Sets FX_PASSWORD for a just-added user from the token of their
 * welcome mail and logs them in as s. */
bool	 fx_activate(const char *email, struct fx_sess *s);
/* Adds user email (a fresh one if NULL) with role to company id through
 * the command line, sets the password from the welcome mail and logs
 * them in as s. */
bool	 fx_user_new(const char *company_id, const char *email,
	    const char *role, struct fx_sess *s);
/* Makes company "ООО tag…" with the command line's flags (such as
 * "--supplier") and its owner, logged in as s. */
bool	 fx_company_new(const char *tag, const char *flags,
	    struct fx_sess *s);
/* A supplier company (a distributor too if both) and its owner. */
bool	 fx_supplier_new(const char *tag, bool both, struct fx_sess *s);
/* Registers a distributor company with its owner, logged in as s. */
bool	 fx_distributor_new(const char *tag, struct fx_sess *s);

/*
 * Supplier s invites a distributor at email (a fresh address if NULL)
 * and d accepts the invitation from the mail.  *invited and *accepted
 * (either may be NULL) get the two answers.  True when both succeeded.
 */
bool	 fx_link_new(const struct fx_sess *s, const struct fx_sess *d,
	    const char *email, struct api_resp **invited,
	    struct api_resp **accepted);

/*
 * One POST of a race, filled in by the test (zero it first) and run on
 * its own thread by fx_racer_run: the thread waits at go with the other
 * racers, then sends body to url with headers (a NULL-terminated list;
 * "Content-Type: application/json" is added).  It records the status (0
 * if the request failed) and the start of the answer.
 */
struct fx_racer {
	const char		*url;		/* absolute */
	const char		*headers[4];
	const char		*body;
	pthread_barrier_t	*go;
	long			 status;
	char			 out[4096];	/* NUL-terminated, cut */
	size_t			 len;
};

/* The thread function of a racer: arg is its struct fx_racer. */
void	*fx_racer_run(void *arg);

#endif
