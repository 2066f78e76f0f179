/*
 * mail_int.h - what the files of src/mail share with each other and with
 * their unit tests; nothing outside src/mail and tests/ includes it.
 *
 * Rendering (templates.c), addresses and the RFC 5322 message (message.c),
 * and the two transports (smtp.c, eml.c) behind one ops struct.
 */
#ifndef TOBMEN_MAIL_MAIL_INT_H
#define TOBMEN_MAIL_MAIL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"

/* Longest address we accept (RFC 5321 path limit less the brackets). */
#define MAIL_ADDR_MAX		254
/* Caps on what a template may produce, per part. */
#define MAIL_SUBJECT_MAX	1024
#define MAIL_BODY_MAX		(256 * 1024)
/* Cap on one template variable's value. */
#define MAIL_VAR_MAX		(16 * 1024)
/* Cap on a whole built message (both parts, base64, headers). */
#define MAIL_MESSAGE_MAX	(1024 * 1024)

/* A rendered mail; each string is owned and freed by
 * mail_rendered_release. */
struct mail_rendered {
	char	*subject;	/* one line, UTF-8 */
	char	*text;		/* plain text, LF line ends */
	char	*html;		/* a whole HTML document */
};

/*
 * Renders template tmpl in lang ("en", or Russian for anything else) with
 * vars (name, value pairs ending with NULL).  Returns 0 and fills out, or
 * -1 with e filled: unknown template (ERR_INTERNAL), a variable the
 * template needs but vars lacks (ERR_INTERNAL), a value that is not UTF-8
 * or too long (ERR_INVALID), a "link" that is not http(s) (ERR_INTERNAL).
 * "{{name}}" is replaced as given in the text part, HTML-escaped in the
 * HTML part, and with line breaks turned into spaces in the subject.
 */
int	mail_render(const char *tmpl, const char *lang,
	    const char *const *vars, struct mail_rendered *out,
	    struct err *e);
void	mail_rendered_release(struct mail_rendered *r);

/* Appends s to b with & < > " ' escaped and line breaks as <br>.
 * Returns 0 or -1 if b's cap is reached. */
int	mail_html_escape(struct buf *b, const char *s);

/*
 * Checks a recipient or sender address: one '@', a local part of 1..64
 * printable ASCII characters without spaces or the specials <>()[],;:\",
 * a domain of letters, digits, '-' and '.' without empty labels, at most
 * MAIL_ADDR_MAX in all.  Returns 0 or -1 with e filled (ERR_INVALID,
 * "invalid_email", field "email").
 */
int	mail_addr_check(const char *addr, struct err *e);

/*
 * Splits a sender setting, "Name <addr>" or a bare "addr", into an owned
 * display name (NULL when there is none; quotes removed) and address,
 * which must pass mail_addr_check.  Returns 0 or -1 with e filled.
 */
int	mail_from_parse(const char *from, char **name, char **addr,
	    struct err *e);

/*
 * Appends s as a header value: as is when it is short printable ASCII,
 * otherwise as RFC 2047 "=?UTF-8?B?...?=" words, each under 76 columns,
 * never splitting a UTF-8 character, folded with CRLF SP.  used is the
 * length of the header line so far ("Subject: " is 9).  Returns 0 or -1 if
 * b's cap is reached.
 */
int	mail_header_encode(struct buf *b, const char *s, size_t used);

/* One outbox row in hand; strings owned, freed by mail_msg_release. */
struct mail_msg {
	int64_t	 id;
	int64_t	 created_at;	/* Unix ms; also the Date header */
	int64_t	 attempts;	/* failed attempts before this one */
	char	*to;
	char	*subject;
	char	*text;
	char	*html;
	char	*message_id;	/* "<outbox-ID.RANDOM@host>" */
};

void	mail_msg_release(struct mail_msg *m);

/*
 * Builds the RFC 5322 message for m, sent by from (the mail_from setting):
 * Date, From, To, Subject, Message-ID, MIME-Version, and a
 * multipart/alternative body with text/plain and text/html parts in UTF-8,
 * base64, CRLF line ends.  out must be empty and capped; returns 0 or -1
 * with e filled.
 */
int	mail_message_build(const struct mail_msg *m, const char *from,
	    struct buf *out, struct err *e);

/* Writes "Wed, 03 Dec 2025 17:22:24 +0000" for ms into out (40 bytes). */
void	mail_date_format(int64_t ms, char out[40]);

/* The host for Message-IDs: the domain of the mail_from set by mail_init,
 * or "localhost".  Copies it into out (256 bytes). */
void	mail_msgid_host(char out[256]);

/*
 * A way of delivering a built message.  send returns 0, or -1 with e
 * filled with a message fit for the outbox's last_error (no secrets).  On
 * success where (wsz bytes) gets a path for the log, or "".
 */
struct mail_transport {
	const char	*name;
	int		(*send)(const struct config *cfg,
			    const struct mail_msg *m, const char *raw,
			    size_t len, char *where, size_t wsz,
			    struct err *e);
};

extern const struct mail_transport mail_transport_smtp;	/* smtp.c */
extern const struct mail_transport mail_transport_eml;	/* eml.c */

/* The SMTP URL with "?starttls=required" cut off, and whether it was
 * there; owned by the caller.  NULL if the URL has any other query.
 * (smtp.c, exposed for tests.) */
char	*mail_smtp_url(const char *url, int *require_tls);

#endif
