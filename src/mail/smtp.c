/*
 * smtp.c - delivers a built message over SMTP with libcurl.
 *
 * smtp:// uses STARTTLS when the server offers it (always, with
 * "?starttls=required"); smtps:// is TLS from the first byte.  One
 * connection per message, bounded by timeouts; errors come back as text
 * for the outbox's last_error and never carry the password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/xmalloc.h"
#include "mail/mail_int.h"

#define SMTP_CONNECT_TIMEOUT_S	10L
#define SMTP_TIMEOUT_S		60L

struct smtp_reader {
	const char	*p;
	size_t		 left;
};

/* Feeds libcurl the message in pieces. */
static size_t
smtp_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct smtp_reader	*r = arg;
	size_t			 n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

char *
mail_smtp_url(const char *url, int *require_tls)
{
	const char	*q = strchr(url, '?');

	*require_tls = 0;
	if (q == NULL)
		return xstrdup(url);
	if (strcmp(q + 1, "starttls=required") != 0)
		return NULL;
	*require_tls = 1;
	return xstrndup(url, (size_t)(q - url));
}

/* libcurl greets with the URL's path; with none it would say "localhost",
 * which some servers refuse, so the sender's domain stands in. */
static void
smtp_ehlo_name(char **url, const char *domain)
{
	const char	*host = strstr(*url, "://");
	char		*with;

	if (host == NULL || strchr(host + 3, '/') != NULL)
		return;
	with = xasprintf("%s/%s", *url, domain);
	free(*url);
	*url = with;
}

/* Sets the options that do not depend on the result; returns the first
 * failure, which only a libcurl built without SMTP gives. */
static CURLcode
smtp_setup(CURL *curl, const struct config *cfg, const char *url,
    int require_tls, const char *from, struct curl_slist *rcpt)
{
	CURLcode	rc;

	if ((rc = curl_easy_setopt(curl, CURLOPT_URL, url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
	    "smtp,smtps")) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_USE_SSL, require_tls ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    SMTP_CONNECT_TIMEOUT_S)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_TIMEOUT,
	    SMTP_TIMEOUT_S)) != CURLE_OK ||
	    (rc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK)
		return rc;

	if (cfg->smtp_user != NULL && cfg->smtp_user[0] != '\0') {
		if ((rc = curl_easy_setopt(curl, CURLOPT_USERNAME,
		    cfg->smtp_user)) != CURLE_OK ||
		    (rc = curl_easy_setopt(curl, CURLOPT_PASSWORD,
		    cfg->smtp_password != NULL ? cfg->smtp_password : ""))
		    != CURLE_OK)
			return rc;
	}
	return CURLE_OK;
}

/* Runs the SMTP dialogue for raw; fills e on failure. */
static int
smtp_perform(CURL *curl, const struct mail_msg *m, const char *raw,
    size_t len, struct err *e)
{
	struct smtp_reader	 r = { raw, len };
	char			 ebuf[CURL_ERROR_SIZE] = "";
	long			 code = 0;
	CURLcode		 rc;

	curl_easy_setopt(curl, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &r);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, ebuf);

	rc = curl_easy_perform(curl);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
	if (rc == CURLE_OK)
		return 0;

	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	err_set(e, ERR_UNAVAILABLE, "smtp_failed", NULL,
	    "SMTP delivery of outbox row %lld failed: %s%s%s (reply %ld)",
	    (long long)m->id, curl_easy_strerror(rc), ebuf[0] ? ": " : "",
	    ebuf, code);
	return -1;
}

static int
smtp_send(const struct config *cfg, const struct mail_msg *m,
    const char *raw, size_t len, char *where, size_t wsz, struct err *e)
{
	CURL			*curl = NULL;
	struct curl_slist	*rcpt = NULL;
	char			*url, *name = NULL, *addr = NULL, *from = NULL;
	char			*to;
	int			 require_tls, rc = -1;

	if (wsz > 0)
		where[0] = '\0';
	if ((url = mail_smtp_url(cfg->smtp_url, &require_tls)) == NULL) {
		err_set(e, ERR_INVALID, "invalid_smtp_url", "smtp_url",
		    "smtp_url takes no option but ?starttls=required.");
		return -1;
	}
	if (mail_from_parse(cfg->mail_from, &name, &addr, e) == -1)
		goto out;
	smtp_ehlo_name(&url, strchr(addr, '@') + 1);
	from = xasprintf("<%s>", addr);
	to = xasprintf("<%s>", m->to);
	rcpt = curl_slist_append(NULL, to);
	free(to);
	if (rcpt == NULL || (curl = curl_easy_init()) == NULL) {
		err_set(e, ERR_INTERNAL, "smtp_failed", NULL,
		    "libcurl could not start an SMTP session.");
		goto out;
	}

	if (smtp_setup(curl, cfg, url, require_tls, from, rcpt) !=
	    CURLE_OK) {
		err_set(e, ERR_INTERNAL, "smtp_failed", NULL,
		    "libcurl refused the SMTP settings (is SMTP built in?).");
		goto out;
	}
	rc = smtp_perform(curl, m, raw, len, e);

out:
	if (curl != NULL)
		curl_easy_cleanup(curl);
	curl_slist_free_all(rcpt);
	free(from);
	free(name);
	free(addr);
	free(url);
	return rc;
}

const struct mail_transport mail_transport_smtp = {
	.name = "smtp",
	.send = smtp_send,
};
