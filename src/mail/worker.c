/*
 * worker.c - the thread that drains the outbox.
 *
 * It claims due rows by writing a lease into claimed_until (PostgreSQL
 * skips rows another node has locked; SQLite takes the write lock), sends
 * each, then marks it sent or schedules a retry with backoff.  A crash
 * between claim and mark only delays a mail until the lease runs out.  The
 * worker is its own edge: it logs what happens and returns nothing.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xmalloc.h"
#include "mail/mail.h"
#include "mail/mail_int.h"

#define WORKER_BATCH		8
#define WORKER_IDLE_MS		5000
#define WORKER_MIN_WAIT_MS	200
/* Long enough for a whole batch to time out on SMTP one by one. */
#define WORKER_LEASE_MS		((int64_t)WORKER_BATCH * 75 * 1000)
#define RETRY_BASE_MS		5000
#define RETRY_MAX_MS		(3600 * 1000)
/* From this many failures on, each failure is an error for the operator;
 * the row stays and is still retried hourly. */
#define FAIL_ATTEMPTS		20
#define MARK_TRIES		3

struct mail_worker {
	const struct config		*cfg;
	struct store			*st;
	const struct mail_transport	*tr;
	pthread_t			 thread;
	pthread_mutex_t			 lock;
	pthread_cond_t			 cond;
	bool				 kicked;
	bool				 stopping;
};

/*
 * The due rows are picked in a materialized CTE, run exactly once: as a
 * plain "id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)" PostgreSQL may
 * re-run the subquery and claim more than n rows.  The outer condition is
 * re-checked on the row version the UPDATE locks.  %s is the PostgreSQL
 * locking clause, empty for SQLite (whose write lock is taken by BEGIN
 * IMMEDIATE).
 */
static const char claim_sql[] =
    "WITH due AS MATERIALIZED (SELECT id FROM outbox"
    "  WHERE sent_at IS NULL AND next_attempt_at <= $2"
    "  AND (claimed_until IS NULL OR claimed_until <= $2)"
    "  ORDER BY next_attempt_at, id LIMIT $3%s)"
    " UPDATE outbox SET claimed_until = $1"
    " WHERE id IN (SELECT id FROM due)"
    " AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2)"
    " RETURNING id, created_at, attempts, to_addr, subject, body_text,"
    " body_html, message_id";

static bool
worker_stopping(struct mail_worker *w)
{
	bool	stop;

	pthread_mutex_lock(&w->lock);
	stop = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

/* Logs a store failure; the worker tries again on its next round. */
static void
worker_store_error(const char *what, const struct err *e)
{
	metrics_store_error();
	log_event(LOG_WARN, "mail.store_error", "step", what,
	    "error", e->msg, NULL);
}

/* Runs one statement in its own write transaction. */
static enum store_rc
worker_exec(struct store_conn *c, const char *sql,
    const struct store_param *p, int np, struct err *e)
{
	enum store_rc	rc;

	if ((rc = store_begin(c, true, e)) != STORE_OK)
		return rc;
	if ((rc = store_exec(c, sql, p, np, NULL, e)) != STORE_OK) {
		store_rollback(c);
		return rc;
	}
	return store_commit(c, e);
}

/* Copies the current claimed row into m. */
static void
worker_row(struct store_rows *r, struct mail_msg *m)
{
	m->id = store_rows_int(r, 0);
	m->created_at = store_rows_int(r, 1);
	m->attempts = store_rows_int(r, 2);
	m->to = xstrdup(store_rows_text(r, 3));
	m->subject = xstrdup(store_rows_text(r, 4));
	m->text = xstrdup(store_rows_text(r, 5));
	m->html = xstrdup(store_rows_text(r, 6));
	m->message_id = xstrdup(store_rows_text(r, 7));
}

/* Frees the n messages of msgs and the array. */
static void
worker_msgs_free(struct mail_msg *msgs, int n)
{
	while (n > 0)
		mail_msg_release(&msgs[--n]);
	free(msgs);
}

/* Runs the claim query and copies every row it returns (a claimed row
 * left behind would wait out its lease) into *out.  Returns how many, or
 * -1 with e filled and nothing kept. */
static int
worker_claim_rows(struct store_conn *c, const char *sql,
    const struct store_param *p, struct mail_msg **out, struct err *e)
{
	struct store_rows	*r;
	struct mail_msg		*msgs = NULL;
	int			 n = 0, cap = 0;

	*out = NULL;
	if (store_query(c, sql, p, 3, &r, e) != STORE_OK)
		return -1;
	while (store_rows_next(r)) {
		if (n == cap) {
			cap = cap == 0 ? WORKER_BATCH : cap * 2;
			msgs = xrealloc(msgs, (size_t)cap * sizeof(*msgs));
		}
		memset(&msgs[n], 0, sizeof(*msgs));
		worker_row(r, &msgs[n++]);
	}
	if (store_rows_rc(r, e) != STORE_OK) {
		worker_msgs_free(msgs, n);
		msgs = NULL;
		n = -1;
	}
	store_rows_free(r);
	*out = msgs;
	return n;
}

/*
 * Claims up to WORKER_BATCH due rows into *msgs (free with
 * worker_msgs_free) by giving them a lease.  Returns how many, or -1 with
 * e filled (nothing claimed then).
 */
static int
worker_claim(struct mail_worker *w, struct store_conn *c,
    struct mail_msg **msgs, struct err *e)
{
	struct store_param	 p[3];
	char			*sql;
	int64_t			 now = clock_now_ms();
	int			 n = -1;

	*msgs = NULL;
	sql = xasprintf(claim_sql, store_kind(w->st) == STORE_POSTGRES ?
	    " FOR UPDATE SKIP LOCKED" : "");
	p[0] = SP_I(now + WORKER_LEASE_MS);
	p[1] = SP_I(now);
	p[2] = SP_I(WORKER_BATCH);
	if (store_begin(c, true, e) != STORE_OK)
		goto out;

	n = worker_claim_rows(c, sql, p, msgs, e);
	if (n != -1 && store_commit(c, e) != STORE_OK) {
		worker_msgs_free(*msgs, n);
		*msgs = NULL;
		n = -1;
	}
	if (n == -1)
		store_rollback(c);

out:
	free(sql);
	return n;
}

/* Retries a mark a few times: losing it would send the mail twice. */
static void
worker_mark(struct store_conn *c, const char *what, const char *sql,
    const struct store_param *p, int np)
{
	struct err		e;
	struct timespec		pause = { 0, 300 * 1000 * 1000 };
	int			i;

	for (i = 0; i < MARK_TRIES; i++) {
		err_clear(&e);
		if (worker_exec(c, sql, p, np, &e) == STORE_OK)
			return;
		nanosleep(&pause, NULL);
	}
	metrics_store_error();
	log_event(LOG_ERROR, "mail.store_error", "step", what,
	    "error", e.msg, NULL);
}

/* The recipient's domain: all a log line may say about who got mail. */
static const char *
worker_domain(const char *to)
{
	const char	*at = strchr(to, '@');

	return at != NULL ? at + 1 : "";
}

static int64_t
worker_backoff_ms(int64_t attempts)
{
	int64_t	delay = RETRY_BASE_MS;

	while (attempts-- > 0 && delay < RETRY_MAX_MS)
		delay *= 2;
	return delay < RETRY_MAX_MS ? delay : RETRY_MAX_MS;
}

/* Copies the first http(s) link of text into out, or "". */
static void
worker_first_link(const char *text, char *out, size_t outsz)
{
	const char	*a = strstr(text, "http://"), *b;
	size_t		 n;

	b = strstr(text, "https://");
	if (a == NULL || (b != NULL && b < a))
		a = b;
	out[0] = '\0';
	if (a == NULL)
		return;
	n = strcspn(a, " \t\r\n<>\"");
	snprintf(out, outsz, "%.*s", (int)n, a);
}

static void
worker_sent(struct mail_worker *w, struct store_conn *c,
    const struct mail_msg *m, const char *where)
{
	static const char sql[] =
	    "UPDATE outbox SET sent_at = $1, claimed_until = NULL,"
	    " last_error = NULL WHERE id = $2";
	struct store_param	 p[2] = { SP_I(clock_now_ms()), SP_I(m->id) };
	char			 id[24], link[2048];

	worker_mark(c, "mark_sent", sql, p, 2);
	snprintf(id, sizeof(id), "%lld", (long long)m->id);
	if (w->tr == &mail_transport_eml) {
		/* Offline mode: the link is logged on purpose, so a local
		 * run can follow it without a mail server. */
		worker_first_link(m->text, link, sizeof(link));
		log_event(LOG_INFO, "mail.written", "outbox_id", id,
		    "message_id", m->message_id, "path", where,
		    "link", link, NULL);
		return;
	}
	log_event(LOG_INFO, "mail.sent", "outbox_id", id, "message_id",
	    m->message_id, "domain", worker_domain(m->to), NULL);
}

static void
worker_failed(struct store_conn *c, const struct mail_msg *m,
    const struct err *why)
{
	static const char sql[] =
	    "UPDATE outbox SET attempts = $1, next_attempt_at = $2,"
	    " last_error = $3, claimed_until = NULL WHERE id = $4";
	struct store_param	 p[4];
	int64_t			 delay = worker_backoff_ms(m->attempts);
	char			 id[24], n[24], in[24];

	p[0] = SP_I(m->attempts + 1);
	p[1] = SP_I(clock_now_ms() + delay);
	p[2] = SP_T(why->msg);
	p[3] = SP_I(m->id);
	worker_mark(c, "mark_retry", sql, p, 4);

	snprintf(id, sizeof(id), "%lld", (long long)m->id);
	snprintf(n, sizeof(n), "%lld", (long long)(m->attempts + 1));
	snprintf(in, sizeof(in), "%lld", (long long)(delay / 1000));
	log_event(m->attempts + 1 >= FAIL_ATTEMPTS ? LOG_ERROR : LOG_WARN,
	    m->attempts + 1 >= FAIL_ATTEMPTS ? "mail.failed" : "mail.retry",
	    "outbox_id", id, "message_id", m->message_id, "domain",
	    worker_domain(m->to), "attempts", n, "retry_in_s", in,
	    "error", why->msg, NULL);
}

/* Builds and sends one claimed row, then records the outcome. */
static void
worker_deliver(struct mail_worker *w, struct store_conn *c,
    const struct mail_msg *m)
{
	struct buf	raw;
	struct err	e;
	char		where[1024] = "";

	err_clear(&e);
	buf_init(&raw, MAIL_MESSAGE_MAX);
	if (mail_message_build(m, w->cfg->mail_from, &raw, &e) == 0 &&
	    w->tr->send(w->cfg, m, buf_cstr(&raw), raw.len, where,
	    sizeof(where), &e) == 0)
		worker_sent(w, c, m, where);
	else
		worker_failed(c, m, &e);
	buf_release(&raw);
}

/* Hands a claimed row back unsent, for a worker that is stopping. */
static void
worker_unclaim(struct store_conn *c, const struct mail_msg *m)
{
	static const char sql[] =
	    "UPDATE outbox SET claimed_until = NULL"
	    " WHERE id = $1 AND sent_at IS NULL";
	struct store_param	p[1] = { SP_I(m->id) };

	worker_mark(c, "unclaim", sql, p, 1);
}

/*
 * Publishes the backlog gauge and returns how long to sleep: until the
 * next row falls due or a lease runs out, within WORKER_MIN_WAIT_MS and
 * WORKER_IDLE_MS.
 */
static int64_t
worker_backlog(struct store_conn *c)
{
	static const char sql[] =
	    "SELECT count(*), min(CASE WHEN claimed_until > $1"
	    " THEN claimed_until ELSE next_attempt_at END)"
	    " FROM outbox WHERE sent_at IS NULL";
	struct store_param	 p[1];
	struct store_rows	*r;
	struct err		 e;
	int64_t			 now = clock_now_ms(), wait = WORKER_IDLE_MS;

	p[0] = SP_I(now);
	if (store_query(c, sql, p, 1, &r, &e) != STORE_OK) {
		worker_store_error("backlog", &e);
		return wait;
	}
	if (store_rows_next(r)) {
		metrics_gauge_set("tobmen_outbox_backlog",
		    "Mails in the outbox not yet sent.", store_rows_int(r, 0));
		if (!store_rows_null(r, 1) && store_rows_int(r, 1) - now < wait)
			wait = store_rows_int(r, 1) - now;
	}
	store_rows_free(r);
	return wait < WORKER_MIN_WAIT_MS ? WORKER_MIN_WAIT_MS : wait;
}

/* Sends everything due; returns how long to sleep before looking again. */
static int64_t
worker_drain(struct mail_worker *w)
{
	struct mail_msg		*msgs;
	struct store_conn	*c;
	struct err		 e;
	int64_t			 wait;
	int			 n, i;

	err_clear(&e);
	if ((c = store_acquire(w->st, &e)) == NULL) {
		worker_store_error("acquire", &e);
		return WORKER_IDLE_MS;
	}
	do {
		if ((n = worker_claim(w, c, &msgs, &e)) == -1) {
			worker_store_error("claim", &e);
			break;
		}
		for (i = 0; i < n; i++) {
			if (worker_stopping(w))
				worker_unclaim(c, &msgs[i]);
			else
				worker_deliver(w, c, &msgs[i]);
		}
		worker_msgs_free(msgs, n);
	} while (n >= WORKER_BATCH && !worker_stopping(w));
	wait = n == -1 ? WORKER_IDLE_MS : worker_backlog(c);
	store_release(c);
	return wait;
}

static void *
worker_main(void *arg)
{
	struct mail_worker	*w = arg;
	struct timespec		 until;
	int64_t			 wait;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		w->kicked = false;
		if (w->stopping) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);

		wait = worker_drain(w);

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait / 1000;
		until.tv_nsec += (long)(wait % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->lock);
		while (!w->kicked && !w->stopping &&
		    pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
			;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

/* Checks the settings the worker will need, before any thread starts. */
static int
worker_check(const struct config *cfg, struct err *e)
{
	char	*url;
	int	 require_tls;

	if (mail_init(cfg, e) == -1)
		return -1;
	if (cfg->smtp_url != NULL && cfg->smtp_url[0] != '\0') {
		url = mail_smtp_url(cfg->smtp_url, &require_tls);
		if (url == NULL || (strncmp(url, "smtp://", 7) != 0 &&
		    strncmp(url, "smtps://", 8) != 0)) {
			free(url);
			err_set(e, ERR_INVALID, "invalid_smtp_url", "smtp_url",
			    "smtp_url must be smtp://host:port (optionally "
			    "with ?starttls=required) or smtps://host:port.");
			return -1;
		}
		free(url);
	} else if (cfg->mail_dir == NULL || cfg->mail_dir[0] == '\0') {
		err_set(e, ERR_INVALID, "invalid_mail_dir", "mail_dir",
		    "With no smtp_url, mail_dir must name a folder.");
		return -1;
	}
	return 0;
}

static void
worker_free(struct mail_worker *w)
{
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
	curl_global_cleanup();
}

struct mail_worker *
mail_worker_start(const struct config *cfg, struct store *st,
    struct err *e)
{
	struct mail_worker	*w;
	pthread_condattr_t	 ca;
	bool			 smtp;

	if (worker_check(cfg, e) == -1)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(e, ERR_INTERNAL, "curl_init_failed", NULL,
		    "libcurl could not be initialised.");
		return NULL;
	}

	w = xcalloc(1, sizeof(*w));
	w->cfg = cfg;
	w->st = st;
	smtp = cfg->smtp_url != NULL && cfg->smtp_url[0] != '\0';
	w->tr = smtp ? &mail_transport_smtp : &mail_transport_eml;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		worker_free(w);
		err_set(e, ERR_INTERNAL, "thread_failed", NULL,
		    "The mail worker thread could not be started.");
		return NULL;
	}
	if (smtp)
		log_event(LOG_INFO, "mail.worker_start", "transport", "smtp",
		    NULL);
	else
		log_event(LOG_INFO, "mail.worker_start", "transport", "eml",
		    "mail_dir", cfg->mail_dir, NULL);
	return w;
}

void
mail_worker_kick(struct mail_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->kicked = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
mail_worker_stop(struct mail_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	log_event(LOG_INFO, "mail.worker_stop", "transport", w->tr->name,
	    NULL);
	worker_free(w);
}
