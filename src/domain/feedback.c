/*
 * feedback.c - checking a feedback message and queuing it to the
 * operator in one transaction with its throttle mark.
 *
 * No SQL or HTTP here.
 */
#include <string.h>

#include "core/clock.h"
#include "domain/feedback.h"
#include "domain/password.h"
#include "domain/throttle.h"
#include "mail/mail.h"
#include "store/company.h"
#include "store/user.h"

/* Checks one text field: 1..max characters, not only blanks. */
static int
feedback_text(const char *s, size_t max, const char *field, struct err *e)
{
	size_t	n = s != NULL ? password_chars(s) : 0;

	if (n == 0 || strspn(s, " \t\r\n") == strlen(s) || n > max) {
		err_set(e, ERR_INVALID, "field_invalid", field,
		    "The %s must have 1 to %zu characters.", field, max);
		return -1;
	}
	return 0;
}

/* The transaction: throttle, read who writes, queue the mail. */
static int
feedback_tx(const struct app *app, struct store_conn *c,
    const struct actor *who, const char *subject, const char *message,
    int *retry_s, struct err *e)
{
	struct store_user	 u;
	struct company		 co;
	int			 rc = -1;
	int64_t			 now = clock_now_ms();
	const char		*vars[11];

	company_init(&co);
	if (store_user_get(c, who->company_id, who->user_id, &u, e) !=
	    STORE_OK || store_company_get(c, who->company_id, &co, e) !=
	    STORE_OK ||
	    throttle_check(c, THROTTLE_FEEDBACK_USER, u.email, now, retry_s,
	    e) != 0 ||
	    throttle_note(c, THROTTLE_FEEDBACK_USER, u.email, now, e) != 0)
		goto out;
	vars[0] = "company", vars[1] = co.name;
	vars[2] = "user", vars[3] = u.name;
	vars[4] = "email", vars[5] = u.email;
	vars[6] = "subject", vars[7] = subject;
	vars[8] = "message", vars[9] = message;
	vars[10] = NULL;
	rc = mail_queue(c, app->cfg->operator_email, "feedback", "ru", vars,
	    e);

out:
	company_release(&co);
	return rc;
}

int
feedback_send(const struct app *app, const struct actor *who,
    const char *subject, const char *message, int *retry_s, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if (feedback_text(subject, FEEDBACK_SUBJECT_MAX, "subject", e) != 0 ||
	    feedback_text(message, FEEDBACK_MESSAGE_MAX, "message", e) != 0)
		return -1;
	if (app->cfg->operator_email == NULL ||
	    app->cfg->operator_email[0] == '\0') {
		err_set(e, ERR_UNAVAILABLE, "feedback_unavailable", NULL,
		    "Feedback is not set up on this server.");
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) == STORE_OK &&
	    feedback_tx(app, c, who, subject, message, retry_s, e) == 0 &&
	    store_commit(c, e) == STORE_OK)
		rc = 0;
	store_release(c);
	if (rc == 0 && app->mail != NULL)
		mail_worker_kick(app->mail);
	return rc;
}
