/*
 * outbox.c - putting a rendered mail into the outbox table.
 *
 * Runs on the caller's connection inside the caller's transaction, so the
 * mail commits or rolls back with the change that caused it.  Portable SQL
 * only; sending is the worker's business.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "mail/mail.h"
#include "mail/mail_int.h"

static pthread_mutex_t	outbox_lock = PTHREAD_MUTEX_INITIALIZER;
static char		outbox_host[256] = "localhost";

int
mail_init(const struct config *cfg, struct err *e)
{
	char	*name, *addr;

	if (mail_from_parse(cfg->mail_from, &name, &addr, e) == -1)
		return -1;
	pthread_mutex_lock(&outbox_lock);
	snprintf(outbox_host, sizeof(outbox_host), "%s",
	    strchr(addr, '@') + 1);
	pthread_mutex_unlock(&outbox_lock);
	free(name);
	free(addr);
	return 0;
}

void
mail_msgid_host(char out[256])
{
	pthread_mutex_lock(&outbox_lock);
	memcpy(out, outbox_host, 256);
	pthread_mutex_unlock(&outbox_lock);
}

/* Writes 16 random hex digits into out (17 bytes). */
static void
random_hex(char out[17])
{
	unsigned char	bytes[8];

	randombytes_buf(bytes, sizeof(bytes));
	sodium_bin2hex(out, 17, bytes, sizeof(bytes));
}

/* Inserts r with a provisional unique Message-ID; *id gets the row id. */
static int
outbox_insert(struct store_conn *c, const char *to,
    const struct mail_rendered *r, int64_t *id, struct err *e)
{
	static const char sql[] =
	    "INSERT INTO outbox (created_at, to_addr, subject, body_text,"
	    " body_html, message_id, attempts, next_attempt_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, 0, $1) RETURNING id";
	struct store_param	p[6];
	char			rnd[17], host[256], *mid;
	enum store_rc		rc;

	random_hex(rnd);
	mail_msgid_host(host);
	mid = xasprintf("<outbox-new.%s@%s>", rnd, host);
	p[0] = SP_I(clock_now_ms());
	p[1] = SP_T(to);
	p[2] = SP_T(r->subject);
	p[3] = SP_T(r->text);
	p[4] = SP_T(r->html);
	p[5] = SP_T(mid);
	rc = store_query_int(c, sql, p, 6, id, e);
	free(mid);
	return rc == STORE_OK ? 0 : -1;
}

/* Gives row id its final Message-ID, which names the row. */
static int
outbox_name(struct store_conn *c, int64_t id, struct err *e)
{
	static const char sql[] =
	    "UPDATE outbox SET message_id = $1 WHERE id = $2";
	struct store_param	p[2];
	char			rnd[17], host[256], *mid;
	int64_t			changed = 0;
	enum store_rc		rc;

	random_hex(rnd);
	mail_msgid_host(host);
	mid = xasprintf("<outbox-%lld.%s@%s>", (long long)id, rnd, host);
	p[0] = SP_T(mid);
	p[1] = SP_I(id);
	rc = store_exec(c, sql, p, 2, &changed, e);
	free(mid);
	if (rc == STORE_OK && changed != 1) {
		err_set(e, ERR_INTERNAL, "outbox_lost_row", NULL,
		    "The outbox row just inserted is missing.");
		return -1;
	}
	return rc == STORE_OK ? 0 : -1;
}

int
mail_queue(struct store_conn *c, const char *to, const char *tmpl,
    const char *lang, const char *const *vars, struct err *e)
{
	struct mail_rendered	r;
	int64_t			id;
	int			rc = -1;

	if (mail_addr_check(to, e) == -1)
		return -1;
	if (mail_render(tmpl, lang, vars, &r, e) == -1)
		return -1;

	if (outbox_insert(c, to, &r, &id, e) == -1 ||
	    outbox_name(c, id, e) == -1)
		goto out;
	rc = 0;

out:
	mail_rendered_release(&r);
	return rc;
}
