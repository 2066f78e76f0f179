/*
 * mail_test.c - the outbox and its worker against a real SMTP server.
 *
 * Usage: mail_test --db URL --python PY --smtpd tests/mail/smtpd.py
 *                  --dir SCRATCH
 * Migrates the store, runs mail workers in this process and reads what
 * tests/mail/smtpd.py (started and stopped from here) received, as decoded
 * by Python's email package.  Proves: a commit delivers, a rollback never
 * does, an SMTP outage delays without loss and delivers once when SMTP is
 * back, a lease hides a row from other workers, two workers never send a
 * row twice, and without SMTP the mail becomes an .eml file.  Prints "ok -"
 * or "FAIL -" per check and ends with "N passed, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "core/metrics.h"
#include "core/xmalloc.h"
#include "mail/mail.h"
#include "store/store.h"

#define WAIT_MS		30000
#define MANY		60
#define SUPPLIER	"ООО \"Поставщик\" <b>"
#define INVITE_SUBJECT	SUPPLIER " приглашает вас в дистрибьюторскую сеть"
#define LINK		"http://127.0.0.1:8080/suppliers/join" \
			"?invite=Tok_en-1&x=2"

struct suite {
	const char	*db;
	const char	*python;
	const char	*smtpd;
	const char	*dir;
	char		*received;	/* DIR/received: what smtpd stored */
	char		*ready;		/* DIR/smtpd.ready */
	int		 port;
	pid_t		 smtpd_pid;
	struct config	 cfg;
	struct store	*st;
	int		 passed;
	int		 failed;
};

static struct suite	S;

static void check(bool ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records one check. */
static void
check(bool ok, const char *fmt, ...)
{
	va_list	ap;

	printf(ok ? "ok - " : "FAIL - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		S.passed++;
	else
		S.failed++;
}

static void
sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* --- the SMTP server. */

/* A loopback port nothing listens on now; reused for every restart. */
static int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	int			fd, port = -1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd != -1 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd != -1)
		close(fd);
	return port;
}

static bool
smtpd_start(void)
{
	char	port[16];
	int	i;

	unlink(S.ready);
	snprintf(port, sizeof(port), "%d", S.port);
	S.smtpd_pid = fork();
	if (S.smtpd_pid == 0) {
		execl(S.python, S.python, S.smtpd, port, S.received, S.ready,
		    (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && S.smtpd_pid > 0; i++) {
		if (access(S.ready, F_OK) == 0)
			return true;
		if (waitpid(S.smtpd_pid, NULL, WNOHANG) == S.smtpd_pid) {
			S.smtpd_pid = 0;
			return false;
		}
		sleep_ms(100);
	}
	return false;
}

static void
smtpd_stop(void)
{
	if (S.smtpd_pid <= 0)
		return;
	kill(S.smtpd_pid, SIGTERM);
	waitpid(S.smtpd_pid, NULL, 0);
	S.smtpd_pid = 0;
}

/* --- what the server received. */

/* Loads every NAME.json in DIR/received into an array (caller decrefs). */
static json_t *
received_load(void)
{
	json_t		*all = json_array(), *one;
	DIR		*d;
	struct dirent	*de;
	char		*path;
	size_t		 n;

	if ((d = opendir(S.received)) == NULL)
		return all;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		path = xasprintf("%s/%s", S.received, de->d_name);
		one = json_load_file(path, 0, NULL);
		free(path);
		if (one != NULL)
			json_array_append_new(all, one);
	}
	closedir(d);
	return all;
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* How many deliveries carry msgid; *first (may be NULL) gets a new
 * reference to the first. */
static int
received_count(const char *msgid, json_t **first)
{
	json_t	*all = received_load(), *one;
	size_t	 i;
	int	 n = 0;

	if (first != NULL)
		*first = NULL;
	json_array_foreach(all, i, one) {
		if (strcmp(jstr(one, "message_id"), msgid) != 0)
			continue;
		if (n++ == 0 && first != NULL)
			*first = json_incref(one);
	}
	json_decref(all);
	return n;
}

/* How many deliveries went to envelope recipient rcpt. */
static int
received_to(const char *rcpt)
{
	json_t	*all = received_load(), *one, *to, *r;
	size_t	 i, j;
	int	 n = 0;

	json_array_foreach(all, i, one) {
		to = json_object_get(one, "envelope_to");
		json_array_foreach(to, j, r)
			if (strcmp(json_string_value(r), rcpt) == 0)
				n++;
	}
	json_decref(all);
	return n;
}

/* Polls until msgid has arrived at least once, or WAIT_MS pass. */
static bool
wait_received(const char *msgid)
{
	int	i;

	for (i = 0; i < WAIT_MS / 100; i++) {
		if (received_count(msgid, NULL) > 0)
			return true;
		sleep_ms(100);
	}
	return false;
}

/* --- the store. */

/* Runs sql with one text parameter and returns the first column of the
 * first row as a new string ("" for NULL), or NULL if there is no row. */
static char *
db_text(const char *sql, const char *arg)
{
	struct store_conn	*c;
	struct store_rows	*r;
	struct store_param	 p[1] = { SP_T(arg) };
	struct err		 e;
	char			*out = NULL;

	if ((c = store_acquire(S.st, &e)) == NULL)
		return NULL;
	if (store_query(c, sql, p, arg != NULL ? 1 : 0, &r, &e) == STORE_OK) {
		if (store_rows_next(r))
			out = xstrdup(store_rows_text(r, 0));
		store_rows_free(r);
	}
	store_release(c);
	return out;
}

static int64_t
db_int(const char *sql, const char *arg)
{
	char	*s = db_text(sql, arg);
	int64_t	 n = s != NULL ? strtoll(s, NULL, 10) : -1;

	free(s);
	return n;
}

static bool
db_exec(const char *sql)
{
	struct store_conn	*c;
	struct err		 e;
	bool			 ok;

	if ((c = store_acquire(S.st, &e)) == NULL)
		return false;
	ok = store_begin(c, true, &e) == STORE_OK &&
	    store_exec(c, sql, NULL, 0, NULL, &e) == STORE_OK &&
	    store_commit(c, &e) == STORE_OK;
	if (!ok)
		fprintf(stderr, "mail_test: %s: %s\n", sql, e.msg);
	store_release(c);
	return ok;
}

/* Queues one mail in its own transaction, then commits or rolls back.
 * extra_sql (may be NULL) runs in the same transaction.  The new row's
 * Message-ID goes to msgid (128 bytes).  Returns mail_queue's result. */
static int
queue_one(const char *to, const char *tmpl, const char *lang,
    const char *const *vars, const char *extra_sql, bool commit,
    char *msgid)
{
	struct store_conn	*c;
	struct store_rows	*r;
	struct store_param	 p[1] = { SP_T(to) };
	struct err		 e;
	int			 rc = -1;

	msgid[0] = '\0';
	if ((c = store_acquire(S.st, &e)) == NULL ||
	    store_begin(c, true, &e) != STORE_OK)
		goto out;
	if ((rc = mail_queue(c, to, tmpl, lang, vars, &e)) == -1) {
		fprintf(stderr, "mail_test: mail_queue: %s\n", e.msg);
		goto out;
	}
	if (store_query(c, "SELECT message_id FROM outbox WHERE to_addr = $1"
	    " ORDER BY id DESC", p, 1, &r, &e) == STORE_OK) {
		if (store_rows_next(r))
			snprintf(msgid, 128, "%s", store_rows_text(r, 0));
		store_rows_free(r);
	}
	if (extra_sql != NULL &&
	    store_exec(c, extra_sql, p, 1, NULL, &e) != STORE_OK)
		rc = -1;
	if (commit && rc == 0 && store_commit(c, &e) != STORE_OK)
		rc = -1;

out:
	if (c != NULL)
		store_release(c);	/* rolls back what was not committed */
	return rc;
}

/* The value of the backlog gauge, or -1 if it is not published. */
static int64_t
backlog_gauge(void)
{
	struct buf	 b;
	const char	*p;
	int64_t		 v = -1;

	buf_init(&b, 1 << 20);
	if (metrics_render(&b) == 0 &&
	    (p = strstr(buf_cstr(&b), "\ntobmen_outbox_backlog ")) != NULL)
		v = strtoll(p + 23, NULL, 10);
	buf_release(&b);
	return v;
}

/* --- the cases. */

static void
test_commit_delivers(struct mail_worker *w)
{
	const char *const	 inv[] = { "supplier", SUPPLIER, "code",
	    "18902", "link", LINK, NULL };
	const char *const	 rst[] = { "link", LINK, NULL };
	char			 id1[128], id2[128];
	json_t			*m = NULL, *parts;

	check(queue_one("dist1@example.test", "invite", "ru", inv, NULL,
	    true, id1) == 0 && queue_one("user2@example.test",
	    "password_reset", "en", rst, NULL, true, id2) == 0,
	    "commit: two mails queued and committed");
	check(strncmp(id1, "<outbox-", 8) == 0 &&
	    strstr(id1, "@example.org>") != NULL,
	    "commit: Message-ID names the row and the sender's domain (%s)",
	    id1);
	mail_worker_kick(w);

	check(wait_received(id1) && wait_received(id2),
	    "commit: both mails reach the SMTP server");
	check(received_count(id1, &m) == 1, "commit: invite arrives once");
	if (m == NULL)
		return;
	check(strcmp(jstr(m, "subject"), INVITE_SUBJECT) == 0,
	    "commit: Subject decodes to the Russian subject (got \"%s\")",
	    jstr(m, "subject"));
	check(strcmp(jstr(m, "to"), "dist1@example.test") == 0 &&
	    json_array_size(json_object_get(m, "envelope_to")) == 1 &&
	    strcmp(json_string_value(json_array_get(json_object_get(m,
	    "envelope_to"), 0)), "dist1@example.test") == 0,
	    "commit: To header and RCPT TO are the recipient");
	check(strcmp(jstr(m, "from_name"), "Сервис tobmen") == 0 &&
	    strcmp(jstr(m, "from_addr"), "noreply@example.org") == 0 &&
	    strcmp(jstr(m, "envelope_from"), "noreply@example.org") == 0,
	    "commit: From and MAIL FROM come from mail_from");
	parts = json_object_get(m, "parts");
	check(strcmp(jstr(m, "content_type"), "multipart/alternative") == 0 &&
	    json_array_size(parts) == 2 &&
	    strcmp(json_string_value(json_array_get(parts, 0)),
	    "text/plain") == 0 &&
	    strcmp(json_string_value(json_array_get(parts, 1)),
	    "text/html") == 0 && strcmp(jstr(m, "mime_version"), "1.0") == 0,
	    "commit: multipart/alternative with text/plain then text/html");
	check(strstr(jstr(m, "text"), "18902") != NULL &&
	    strstr(jstr(m, "text"), LINK) != NULL &&
	    strstr(jstr(m, "text"), SUPPLIER) != NULL,
	    "commit: text part carries supplier, code and link");
	check(strstr(jstr(m, "html"), "ООО &quot;Поставщик&quot; &lt;b&gt;")
	    != NULL && strstr(jstr(m, "html"), SUPPLIER) == NULL &&
	    strstr(jstr(m, "html"), "href=\"http://127.0.0.1:8080/suppliers/"
	    "join?invite=Tok_en-1&amp;x=2\"") != NULL,
	    "commit: HTML part escapes values and links the invitation");
	check(json_array_size(json_object_get(m, "defects")) == 0,
	    "commit: the MIME reader finds no defects");
	check(db_int("SELECT count(*) FROM outbox WHERE message_id = $1"
	    " AND sent_at IS NOT NULL AND claimed_until IS NULL", id1) == 1,
	    "commit: the row is marked sent");
	json_decref(m);
}

static void
test_rollback_queued(void)
{
	const char *const	vars[] = { "link", LINK, NULL };
	char			id[128];

	check(queue_one("rollback@example.test", "password_reset", "ru",
	    vars, NULL, false, id) == 0 && id[0] != '\0',
	    "rollback: mail queued inside the transaction");
	check(db_int("SELECT count(*) FROM outbox WHERE to_addr = $1",
	    "rollback@example.test") == 0,
	    "rollback: no outbox row survives the rollback");
}

static void
test_bad_input(void)
{
	const char *const	vars[] = { "link", LINK, NULL };
	char			id[128];

	check(queue_one("bad\r\nRCPT TO:<x@y.z>", "password_reset", "ru",
	    vars, NULL, true, id) == -1 &&
	    queue_one("no-at-sign", "password_reset", "ru", vars, NULL,
	    true, id) == -1 &&
	    queue_one("x@example.test", "no_such_template", "ru", vars, NULL,
	    true, id) == -1,
	    "bad input: bad address or template is refused");
	check(db_int("SELECT count(*) FROM outbox WHERE to_addr = $1"
	    " OR to_addr NOT LIKE '%@example.test'", "x@example.test") == 0,
	    "bad input: nothing was stored");
}

/* Waits until the row of msgid has failed at least once. */
static bool
wait_retry(const char *msgid)
{
	int	i;

	for (i = 0; i < WAIT_MS / 100; i++) {
		if (db_int("SELECT attempts FROM outbox WHERE message_id = $1",
		    msgid) >= 1)
			return true;
		sleep_ms(100);
	}
	return false;
}

static void
test_smtp_down(struct mail_worker *w)
{
	const char *const	 vars[] = { "company", "ООО «Ромашка»",
	    "name", "Анна", "link", LINK, NULL };
	char			 id[128], *err;

	smtpd_stop();
	check(queue_one("down@example.test", "user_welcome", "ru", vars,
	    NULL, true, id) == 0, "smtp down: mail queued");
	mail_worker_kick(w);
	check(wait_retry(id), "smtp down: the worker tried and failed");
	sleep_ms(500);	/* the gauge is set just after the row */
	err = db_text("SELECT last_error FROM outbox WHERE message_id = $1",
	    id);
	check(err != NULL && strstr(err, "SMTP") != NULL,
	    "smtp down: last_error says why (%s)", err != NULL ? err : "");
	free(err);
	check(db_int("SELECT count(*) FROM outbox WHERE message_id = $1"
	    " AND sent_at IS NULL AND next_attempt_at > created_at", id) == 1,
	    "smtp down: the row is kept, unsent, with a later retry time");
	check(backlog_gauge() >= 1, "smtp down: backlog gauge counts it");
	check(received_count(id, NULL) == 0, "smtp down: nothing arrived");

	check(smtpd_start(), "smtp down: SMTP server back up");
	/* Skip the backoff instead of waiting it out. */
	clock_set_offset_ms(10 * 60 * 1000);
	mail_worker_kick(w);
	check(wait_received(id), "smtp down: delivered once SMTP is back");
	sleep_ms(1500);
	check(received_count(id, NULL) == 1, "smtp down: delivered once");
	check(db_int("SELECT count(*) FROM outbox WHERE message_id = $1"
	    " AND sent_at IS NOT NULL AND attempts >= 1"
	    " AND last_error IS NULL", id) == 1,
	    "smtp down: row marked sent, attempts kept");
}

static void
test_lease(struct mail_worker *w)
{
	const char *const	vars[] = { "distributor", "ИП Иванов",
	    "code", "54321", "state", "off", NULL };
	char			id[128];

	/* Looks like a node that claimed the row for an hour and died. */
	check(queue_one("lease@example.test", "permission", "ru", vars,
	    "UPDATE outbox SET claimed_until = next_attempt_at + 3600000"
	    " WHERE to_addr = $1", true, id) == 0,
	    "lease: mail queued with another node's lease");
	mail_worker_kick(w);
	sleep_ms(3000);
	check(received_count(id, NULL) == 0,
	    "lease: a claimed row is left alone while the lease runs");
	clock_set_offset_ms((10 + 120) * 60 * 1000);
	mail_worker_kick(w);
	check(wait_received(id), "lease: sent once the lease ran out");
}

/* Counts, over the MANY recipients, those that got exactly one mail,
 * more than one, and none. */
static void
many_counts(int *once, int *dup, int *missing)
{
	char	to[64];
	int	i, n;

	*once = *dup = *missing = 0;
	for (i = 0; i < MANY; i++) {
		snprintf(to, sizeof(to), "many-%02d@example.test", i);
		n = received_to(to);
		*once += n == 1;
		*dup += n > 1;
		*missing += n == 0;
	}
}

/* Queues MANY mails in one transaction; true if all committed. */
static bool
queue_many(void)
{
	const char *const	 vars[] = { "link", LINK, NULL };
	struct store_conn	*c;
	struct err		 e;
	char			 to[64];
	int			 i;
	bool			 ok;

	if ((c = store_acquire(S.st, &e)) == NULL)
		return false;
	ok = store_begin(c, true, &e) == STORE_OK;
	for (i = 0; ok && i < MANY; i++) {
		snprintf(to, sizeof(to), "many-%02d@example.test", i);
		ok = mail_queue(c, to, "password_reset", "ru", vars, &e) == 0;
	}
	ok = ok && store_commit(c, &e) == STORE_OK;
	store_release(c);
	return ok;
}

static void
test_two_workers(struct mail_worker *w1)
{
	struct mail_worker	*w2;
	struct err		 e;
	int			 i, once, dup, missing;

	if ((w2 = mail_worker_start(&S.cfg, S.st, &e)) == NULL) {
		check(false, "two workers: second worker starts: %s", e.msg);
		return;
	}
	check(queue_many(), "two workers: %d mails queued in one transaction",
	    MANY);
	mail_worker_kick(w1);
	mail_worker_kick(w2);

	for (i = 0; i < WAIT_MS / 200; i++) {
		many_counts(&once, &dup, &missing);
		if (missing == 0)
			break;
		sleep_ms(200);
	}
	sleep_ms(1500);
	many_counts(&once, &dup, &missing);
	check(once == MANY, "two workers: each of %d mails delivered exactly "
	    "once (%d twice or more, %d missing)", MANY, dup, missing);
	check(db_int("SELECT count(*) FROM outbox WHERE to_addr LIKE $1"
	    " AND sent_at IS NOT NULL", "many-%") == MANY,
	    "two workers: every row marked sent");
	mail_worker_stop(w2);
}

/* Runs smtpd.py --parse on path; returns its JSON or NULL. */
static json_t *
eml_parse(const char *path)
{
	json_t	*j;
	char	*cmd;
	FILE	*f;

	cmd = xasprintf("'%s' '%s' --parse '%s'", S.python, S.smtpd, path);
	f = popen(cmd, "r");
	free(cmd);
	if (f == NULL)
		return NULL;
	j = json_loadf(f, 0, NULL);
	pclose(f);
	return j;
}

/* Finds the single .eml file in dir; returns its path or NULL.  *tmps
 * gets the number of leftover temporary files. */
static char *
eml_find(const char *dir, int *tmps)
{
	DIR		*d;
	struct dirent	*de;
	char		*found = NULL;
	size_t		 n;

	*tmps = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (strstr(de->d_name, ".tmp") != NULL)
			(*tmps)++;
		else if (n > 4 && strcmp(de->d_name + n - 4, ".eml") == 0 &&
		    found == NULL)
			found = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	return found;
}

static void
test_eml(void)
{
	const char *const	 vars[] = { "company", "ООО «Ромашка»",
	    "name", "Анна", "link", LINK, NULL };
	struct mail_worker	*w;
	struct err		 e;
	char			 id[128], *dir, *path = NULL;
	json_t			*m = NULL;
	int			 i, tmps = 0;

	dir = xasprintf("%s/eml/mail", S.dir);
	config_set(&S.cfg, "smtp_url", "", &e);
	config_set(&S.cfg, "mail_dir", dir, &e);
	if ((w = mail_worker_start(&S.cfg, S.st, &e)) == NULL) {
		check(false, "eml: worker starts without SMTP: %s", e.msg);
		goto out;
	}
	check(queue_one("eml@example.test", "user_welcome", "en", vars, NULL,
	    true, id) == 0, "eml: mail queued");
	mail_worker_kick(w);
	for (i = 0; i < WAIT_MS / 100 && path == NULL; i++) {
		sleep_ms(100);
		path = eml_find(dir, &tmps);
	}
	check(path != NULL && tmps == 0,
	    "eml: the folder is created and one .eml file written whole");
	if (path != NULL)
		m = eml_parse(path);
	check(m != NULL && strcmp(jstr(m, "message_id"), id) == 0 &&
	    strcmp(jstr(m, "subject"), "Your account in the tobmen cabinet")
	    == 0 && strcmp(jstr(m, "to"), "eml@example.test") == 0 &&
	    strstr(jstr(m, "text"), LINK) != NULL &&
	    json_array_size(json_object_get(m, "parts")) == 2,
	    "eml: the file is the same RFC 5322 message SMTP would carry");
	check(db_int("SELECT count(*) FROM outbox WHERE message_id = $1"
	    " AND sent_at IS NOT NULL", id) == 1, "eml: row marked sent");
	mail_worker_stop(w);

out:
	json_decref(m);
	free(path);
	free(dir);
}

/* Reads the options; returns false on a usage error. */
static bool
parse_args(int argc, char **argv)
{
	int	i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			S.db = argv[i + 1];
		else if (strcmp(argv[i], "--python") == 0)
			S.python = argv[i + 1];
		else if (strcmp(argv[i], "--smtpd") == 0)
			S.smtpd = argv[i + 1];
		else if (strcmp(argv[i], "--dir") == 0)
			S.dir = argv[i + 1];
		else
			return false;
	}
	return i == argc && S.db != NULL && S.python != NULL &&
	    S.smtpd != NULL && S.dir != NULL;
}

/* Opens and migrates the store, empties the outbox, starts SMTP. */
static bool
setup(void)
{
	struct err	e;
	char		url[64];

	config_init(&S.cfg);
	S.received = xasprintf("%s/received", S.dir);
	S.ready = xasprintf("%s/smtpd.ready", S.dir);
	S.port = free_port();
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", S.port);
	if (config_set(&S.cfg, "smtp_url", url, &e) == -1 ||
	    config_set(&S.cfg, "mail_from", "Сервис tobmen "
	    "<noreply@example.org>", &e) == -1) {
		check(false, "setup: config: %s", e.msg);
		return false;
	}
	if (store_open(S.db, 4, 5000, &S.st, &e) != STORE_OK ||
	    store_migrate(S.st, NULL, &e) != STORE_OK) {
		check(false, "setup: store opens and migrates: %s", e.msg);
		return false;
	}
	check(db_exec("DELETE FROM outbox"), "setup: outbox table exists");
	check(smtpd_start(), "setup: SMTP server (aiosmtpd) started");
	return S.smtpd_pid > 0;
}

int
main(int argc, char **argv)
{
	struct mail_worker	*w = NULL;
	struct err		 e;

	if (!parse_args(argc, argv)) {
		fprintf(stderr, "usage: mail_test --db URL --python PY "
		    "--smtpd SMTPD.PY --dir DIR\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!setup())
		goto out;
	if ((w = mail_worker_start(&S.cfg, S.st, &e)) == NULL) {
		check(false, "setup: worker starts: %s", e.msg);
		goto out;
	}

	test_commit_delivers(w);
	test_rollback_queued();
	test_bad_input();
	test_smtp_down(w);
	test_lease(w);
	test_two_workers(w);
	mail_worker_stop(w);
	check(received_to("rollback@example.test") == 0,
	    "rollback: the rolled-back mail was never delivered");
	smtpd_stop();
	test_eml();
	check(backlog_gauge() == 0, "backlog gauge is 0 once all is sent");

out:
	smtpd_stop();
	if (S.st != NULL)
		store_close(S.st);
	config_release(&S.cfg);
	free(S.received);
	free(S.ready);
	printf("%d passed, %d failed\n", S.passed, S.failed);
	return S.failed == 0 ? 0 : 1;
}
