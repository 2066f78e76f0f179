/*
 * message.c - addresses and the RFC 5322 / MIME form of a mail.
 *
 * Builds exactly the bytes both transports deliver, so an .eml file and an
 * SMTP delivery of the same outbox row are identical.  No I/O here.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/xmalloc.h"
#include "mail/mail_int.h"

/* Characters RFC 5322 gives meaning to, refused in a local part so an
 * address needs no quoting anywhere we write it. */
#define ADDR_SPECIALS	"<>()[],;:\\\""

/* Encoded words go on lines of at most 76 columns (RFC 2047); a word is
 * "=?UTF-8?B?" + base64 + "?=", 12 columns of frame. */
#define WORD_LINE	76
#define WORD_FRAME	12
#define WORD_BYTES_MAX	45
#define BODY_COLS	76

static bool
addr_local_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f || strchr(ADDR_SPECIALS, ch))
			return false;
		if (ch == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

static bool
addr_domain_ok(const char *s, size_t n)
{
	size_t	i, label = 0;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    !(ch >= '0' && ch <= '9') && ch != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && s[0] != '-' && s[n - 1] != '-';
}

int
mail_addr_check(const char *addr, struct err *e)
{
	const char	*at;
	size_t		 n;

	if (addr == NULL || (n = strlen(addr)) == 0) {
		err_set(e, ERR_INVALID, "invalid_email", "email",
		    "An e-mail address is required.");
		return -1;
	}
	at = strchr(addr, '@');
	if (n > MAIL_ADDR_MAX || at == NULL || strchr(at + 1, '@') != NULL ||
	    !addr_local_ok(addr, (size_t)(at - addr)) ||
	    !addr_domain_ok(at + 1, strlen(at + 1))) {
		err_set(e, ERR_INVALID, "invalid_email", "email",
		    "This is not a valid e-mail address.");
		return -1;
	}
	return 0;
}

/* Trims spaces and tabs at both ends of s[0..n) into a new string. */
static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

int
mail_from_parse(const char *from, char **name, char **addr, struct err *e)
{
	const char	*lt, *gt;
	char		*nm = NULL, *ad;
	size_t		 n;

	*name = NULL;
	*addr = NULL;
	lt = from != NULL ? strchr(from, '<') : NULL;
	if (lt == NULL) {
		ad = trim_dup(from != NULL ? from : "",
		    from != NULL ? strlen(from) : 0);
	} else {
		gt = strchr(lt, '>');
		if (gt == NULL || gt[1 + strspn(gt + 1, " \t")] != '\0') {
			err_set(e, ERR_INVALID, "invalid_mail_from",
			    "mail_from", "mail_from must be \"Name <addr>\" "
			    "or an address.");
			return -1;
		}
		ad = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		nm = trim_dup(from, (size_t)(lt - from));
		n = strlen(nm);
		if (n >= 2 && nm[0] == '"' && nm[n - 1] == '"') {
			memmove(nm, nm + 1, n - 2);
			nm[n - 2] = '\0';
		}
		if (nm[0] == '\0' || strpbrk(nm, "\r\n\"") != NULL) {
			free(nm);
			nm = NULL;
		}
	}

	if (mail_addr_check(ad, e) == -1) {
		err_set(e, ERR_INVALID, "invalid_mail_from", "mail_from",
		    "mail_from does not hold a valid sender address.");
		free(nm);
		free(ad);
		return -1;
	}
	*name = nm;
	*addr = ad;
	return 0;
}

/* Length of the UTF-8 sequence that starts with byte c (1 for a stray
 * continuation byte, so the encoder always moves on). */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

static bool
header_plain_ok(const char *s, size_t used)
{
	const char	*p;

	if (strlen(s) + used > 78 || strstr(s, "=?") != NULL)
		return false;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p >= 0x7f)
			return false;
	return true;
}

/* How many bytes an encoded word may carry when the line already holds
 * used columns: whole base64 quanta of 3 bytes, at least one. */
static size_t
word_budget(size_t used)
{
	size_t	cols;

	cols = used + WORD_FRAME + 4 < WORD_LINE ?
	    WORD_LINE - used - WORD_FRAME : 4;
	return cols / 4 * 3 < WORD_BYTES_MAX ? cols / 4 * 3 : WORD_BYTES_MAX;
}

/* Appends one encoded-word carrying s[0..n). */
static int
header_word(struct buf *b, const char *s, size_t n)
{
	char	b64[sodium_base64_ENCODED_LEN(WORD_BYTES_MAX,
	    sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s, n,
	    sodium_base64_VARIANT_ORIGINAL);
	return buf_printf(b, "=?UTF-8?B?%s?=", b64);
}

/* Like mail_header_encode; force encodes even plain ASCII (a display name
 * holding specials would otherwise need quoting). */
static int
header_encode(struct buf *b, const char *s, size_t used, bool force)
{
	size_t	len, start, end, step, budget;
	bool	first = true;

	if (!force && header_plain_ok(s, used))
		return buf_puts(b, s);

	len = strlen(s);
	start = 0;
	while (start < len || first) {
		/* A folded line starts with one space. */
		budget = word_budget(first ? used : 1);
		end = start;
		while (end < len) {
			step = utf8_len((unsigned char)s[end]);
			if (end + step > len)
				step = len - end;
			if (end + step - start > budget && end > start)
				break;
			end += step;
		}
		if (!first && buf_puts(b, "\r\n ") == -1)
			return -1;
		if (header_word(b, s + start, end - start) == -1)
			return -1;
		first = false;
		start = end;
	}
	return 0;
}

int
mail_header_encode(struct buf *b, const char *s, size_t used)
{
	return header_encode(b, s, used, false);
}

int
mail_html_escape(struct buf *b, const char *s)
{
	const char	*p, *rep;
	int		 rc = 0;

	for (p = s; *p != '\0' && rc == 0; p++) {
		switch (*p) {
		case '&':	rep = "&amp;"; break;
		case '<':	rep = "&lt;"; break;
		case '>':	rep = "&gt;"; break;
		case '"':	rep = "&quot;"; break;
		case '\'':	rep = "&#39;"; break;
		case '\n':	rep = "<br>\n"; break;
		default:	rep = NULL; break;
		}
		rc = rep != NULL ? buf_puts(b, rep) : buf_putc(b, *p);
	}
	return rc;
}

void
mail_date_format(int64_t ms, char out[40])
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Appends s as base64 of its CRLF form, in lines of BODY_COLS. */
static int
body_base64(struct buf *b, const char *s)
{
	struct buf	 crlf;
	char		*b64;
	size_t		 n, i, len;
	int		 rc = -1;

	buf_init(&crlf, MAIL_BODY_MAX * 2);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r') &&
		    buf_putc(&crlf, '\r') == -1)
			goto out_crlf;
		if (buf_putc(&crlf, s[i]) == -1)
			goto out_crlf;
	}

	n = sodium_base64_ENCODED_LEN(crlf.len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(n);
	sodium_bin2base64(b64, n, (const unsigned char *)buf_cstr(&crlf),
	    crlf.len, sodium_base64_VARIANT_ORIGINAL);
	len = strlen(b64);
	for (i = 0; i < len; i += BODY_COLS) {
		if (buf_append(b, b64 + i,
		    len - i < BODY_COLS ? len - i : BODY_COLS) == -1 ||
		    buf_puts(b, "\r\n") == -1)
			goto out_b64;
	}
	rc = 0;

out_b64:
	free(b64);
out_crlf:
	buf_release(&crlf);
	return rc;
}

/* Columns used on the last line of b. */
static size_t
line_used(struct buf *b)
{
	const char	*s = buf_cstr(b), *nl;

	nl = memrchr(s, '\n', b->len);
	return nl == NULL ? b->len : b->len - (size_t)(nl + 1 - s);
}

static int
message_headers(const struct mail_msg *m, const char *name,
    const char *addr, struct buf *out)
{
	char	date[40];

	mail_date_format(m->created_at, date);
	if (buf_printf(out, "Date: %s\r\nFrom: ", date) == -1)
		return -1;
	if (name != NULL && (header_encode(out, name, 6,
	    strpbrk(name, ADDR_SPECIALS "@.") != NULL) == -1 ||
	    buf_puts(out, line_used(out) + strlen(addr) + 3 > 78 ?
	    "\r\n " : " ") == -1))
		return -1;
	if (buf_printf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", addr,
	    m->to) == -1 || mail_header_encode(out, m->subject, 9) == -1)
		return -1;
	return buf_printf(out, "\r\nMessage-ID: %s\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"=_tobmen_%lld\"\r\n"
	    "\r\n"
	    "This is a MIME message with text and HTML parts.\r\n",
	    m->message_id, (long long)m->id);
}

static int
message_part(const struct mail_msg *m, const char *type, const char *body,
    struct buf *out)
{
	if (buf_printf(out, "\r\n--=_tobmen_%lld\r\n"
	    "Content-Type: text/%s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n",
	    (long long)m->id, type) == -1)
		return -1;
	return body_base64(out, body);
}

int
mail_message_build(const struct mail_msg *m, const char *from,
    struct buf *out, struct err *e)
{
	char	*name, *addr;
	int	 rc = -1;

	if (mail_from_parse(from, &name, &addr, e) == -1)
		return -1;
	if (mail_addr_check(m->to, e) == -1 ||
	    strpbrk(m->message_id, "\r\n") != NULL) {
		err_set(e, ERR_INVALID, "invalid_message", NULL,
		    "Outbox row %lld has a bad recipient or Message-ID.",
		    (long long)m->id);
		goto out;
	}

	if (message_headers(m, name, addr, out) == -1 ||
	    message_part(m, "plain", m->text, out) == -1 ||
	    message_part(m, "html", m->html, out) == -1 ||
	    buf_printf(out, "\r\n--=_tobmen_%lld--\r\n",
	    (long long)m->id) == -1) {
		err_set(e, ERR_TOOLARGE, "message_too_large", NULL,
		    "Outbox row %lld is too large to send.",
		    (long long)m->id);
		goto out;
	}
	rc = 0;

out:
	free(name);
	free(addr);
	return rc;
}

void
mail_msg_release(struct mail_msg *m)
{
	free(m->to);
	free(m->subject);
	free(m->text);
	free(m->html);
	free(m->message_id);
	memset(m, 0, sizeof(*m));
}
