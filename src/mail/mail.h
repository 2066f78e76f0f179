/*
 * mail.h - e-mail through an outbox: queued with the change, sent after.
 *
 * mail_queue renders a template and inserts the message into the outbox
 * table on the caller's connection, inside the caller's transaction, so a
 * rolled-back change sends nothing and a committed one is never lost.  The
 * worker (mail_worker_*) claims due rows, sends them over SMTP (libcurl) or,
 * with no SMTP configured, writes .eml files under cfg->mail_dir and logs
 * the links, and retries failures with backoff.
 */
#ifndef TOBMEN_MAIL_MAIL_H
#define TOBMEN_MAIL_MAIL_H

#include "core/config.h"
#include "core/err.h"
#include "store/store.h"

/*
 * Templates (mail/templates.c), each in Russian and English:
 *   "user_welcome"   vars: company, name, link     (set your password)
 *   "password_reset" vars: link
 *   "feedback"       vars: company, user, email, subject, message
 *   "invite"         vars: supplier, code, link   (issue 4)
 *   "permission"     vars: distributor, code, state (issue 4); state is
 *                    "on" or "off" (the licence-management check box)
 * vars is a NULL-terminated list of name, value pairs; a {{name}} in the
 * template is replaced (HTML-escaped in the HTML part).  Values must be
 * UTF-8 of at most 16 KiB; "link" must be an http(s) URL.
 */

/* Takes the sender from cfg->mail_from: its domain names the Message-IDs
 * that mail_queue makes ("<outbox-ID.RANDOM@domain>").  Call once at
 * start-up, before mail is queued (serve and every CLI command that queues
 * mail); mail_worker_start calls it too.  Until then the domain is
 * "localhost".  Returns 0, or -1 with e filled if mail_from is not
 * "Name <addr>" or an address.  Thread safe. */
int	mail_init(const struct config *cfg, struct err *e);

/* Renders tmpl in lang ("ru" or "en"; anything else is "ru") and queues it
 * to `to` on c.  Returns 0 or -1 with e filled (unknown template, bad
 * address: ERR_INVALID "invalid_email" field "email"; store error).  Must
 * be called inside the caller's write transaction; kick the worker after
 * the commit.  Thread safe (c belongs to the calling thread). */
int	mail_queue(struct store_conn *c, const char *to, const char *tmpl,
	    const char *lang, const char *const *vars, struct err *e);

struct mail_worker;

/* Starts the background sender thread, which delivers over cfg->smtp_url
 * or, when that is empty, writes .eml files to cfg->mail_dir.  cfg and st
 * must outlive the worker.  Several workers (one per app node) may drain
 * one store: a row is claimed before it is sent, so none goes twice.
 * Returns NULL with e filled. */
struct mail_worker	*mail_worker_start(const struct config *cfg,
			    struct store *st, struct err *e);
/* Wakes the worker so a just-committed mail goes out at once.  w may be
 * NULL (a CLI command with no worker): then nothing happens. */
void			 mail_worker_kick(struct mail_worker *w);
/* Stops the thread (finishing the message in hand) and frees w; NULL is
 * allowed.  Claimed rows not yet sent are handed back at once. */
void			 mail_worker_stop(struct mail_worker *w);

#endif
