/*
 * feedback.h - «Обратная связь»: a message from a user to the operator.
 *
 * The message is mailed to cfg->operator_email through the outbox with
 * the "feedback" template, naming the company and the user so the
 * operator can answer.  At most 10 messages per user in 15 minutes.
 */
#ifndef TOBMEN_DOMAIN_FEEDBACK_H
#define TOBMEN_DOMAIN_FEEDBACK_H

#include "app.h"
#include "core/err.h"
#include "domain/account.h"

#define FEEDBACK_SUBJECT_MAX	200	/* characters */
#define FEEDBACK_MESSAGE_MAX	5000	/* characters */

/*
 * Queues the message.  Returns 0, or -1 with e: ERR_INVALID for an empty
 * or overlong subject or message, ERR_UNAVAILABLE if no operator address
 * is configured, ERR_THROTTLED (*retry_s set), or a store error.
 */
int	feedback_send(const struct app *app, const struct actor *who,
	    const char *subject, const char *message, int *retry_s,
	    struct err *e);

#endif
