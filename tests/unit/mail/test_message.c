/*
 * test_message.c - the wire form of a mail: address checks, the sender
 * setting, RFC 2047 subjects (decoded back, never splitting a character),
 * the Date header, the SMTP URL option, and the whole RFC 5322 / MIME
 * message (headers, CRLF, line lengths, base64 bodies that decode back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/err.h"
#include "mail/mail_int.h"

static void
test_good_addresses_pass(void **state)
{
	static const char *const good[] = {
		"anna@example.test", "a.b-c+tag@sub.example.ru", "x@localhost",
		"o'brien@example.com", "1@2.3",
	};
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(mail_addr_check(good[i], &e), 0);
}

static void
test_bad_addresses_fail(void **state)
{
	static const char *const bad[] = {
		"", "plain", "two@@example.test", "a@b@c.test",
		"a\r\n@example.test", "a@example.test\r\nRCPT TO:<x@y.z>",
		"a b@example.test", "<a@example.test>", "a@exa mple.test",
		"a@", "@example.test", "a@.example.test", "a@example..test",
		"a@example.test.", ".a@example.test", "a..b@example.test",
		"a@-example.test", "a@пример.рф", "ан@example.test",
		"a,b@example.test", "a\"b@example.test", "a@exa_mple.test",
	};
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_equal(mail_addr_check(bad[i], &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.id, "invalid_email");
		assert_string_equal(e.field, "email");
	}
	assert_int_equal(mail_addr_check(NULL, &e), -1);
}

static void
test_address_lengths(void **state)
{
	char		addr[300];
	struct err	e;

	(void)state;
	/* 64 is the longest local part. */
	memset(addr, 'a', 64);
	strcpy(addr + 64, "@example.test");
	assert_int_equal(mail_addr_check(addr, &e), 0);
	memset(addr, 'a', 65);
	strcpy(addr + 65, "@example.test");
	assert_int_equal(mail_addr_check(addr, &e), -1);

	/* 254 in all is the longest address; labels stay under 64. */
	memset(addr, 'b', sizeof(addr));
	memcpy(addr, "a@", 2);
	for (int i = 2 + 60; i < 254; i += 61)
		addr[i] = '.';
	addr[254] = '\0';
	assert_int_equal(mail_addr_check(addr, &e), 0);
	addr[254] = 'b';
	addr[255] = '\0';
	assert_int_equal(mail_addr_check(addr, &e), -1);
}

static void
test_sender_setting_parses(void **state)
{
	char		*name, *addr;
	struct err	 e;

	(void)state;
	assert_int_equal(mail_from_parse("tobmen <noreply@localhost>",
	    &name, &addr, &e), 0);
	assert_string_equal(name, "tobmen");
	assert_string_equal(addr, "noreply@localhost");
	free(name);
	free(addr);

	assert_int_equal(mail_from_parse("\"Сервис tobmen\" <a@b.test> ",
	    &name, &addr, &e), 0);
	assert_string_equal(name, "Сервис tobmen");
	assert_string_equal(addr, "a@b.test");
	free(name);
	free(addr);

	assert_int_equal(mail_from_parse(" a@b.test ", &name, &addr, &e), 0);
	assert_null(name);
	assert_string_equal(addr, "a@b.test");
	free(addr);

	assert_int_equal(mail_from_parse("x <a@b.test", &name, &addr, &e),
	    -1);
	assert_int_equal(mail_from_parse("x <a@b.test> y", &name, &addr, &e),
	    -1);
	assert_int_equal(mail_from_parse("x <nope>", &name, &addr, &e), -1);
	assert_string_equal(e.field, "mail_from");
	assert_null(name);
	assert_null(addr);
}

/* True if s[0..n) is whole UTF-8 characters. */
static bool
whole_utf8(const unsigned char *s, size_t n)
{
	size_t	i = 0, len;

	while (i < n) {
		len = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 :
		    s[i] >= 0xc0 ? 2 : 0;
		if (len == 0 || i + len > n)
			return false;
		i += len;
	}
	return true;
}

/* Decodes a header value made of "=?UTF-8?B?...?=" words joined by CRLF
 * SP into out; checks each word's form and size on the way. */
static void
decode_words(const char *v, char *out, size_t outsz)
{
	const char	*p = v, *end;
	size_t		 used = 0, n;
	char		 b64[128];

	for (;;) {
		assert_memory_equal(p, "=?UTF-8?B?", 10);
		end = strstr(p + 10, "?=");
		assert_non_null(end);
		assert_true(end + 2 - p <= 75);
		memcpy(b64, p + 10, (size_t)(end - p - 10));
		b64[end - p - 10] = '\0';
		assert_int_equal(sodium_base642bin((unsigned char *)out + used,
		    outsz - used - 1, b64, strlen(b64), NULL, &n, NULL,
		    sodium_base64_VARIANT_ORIGINAL), 0);
		assert_true(whole_utf8((unsigned char *)out + used, n));
		used += n;
		p = end + 2;
		if (*p == '\0')
			break;
		assert_memory_equal(p, "\r\n ", 3);
		p += 3;
	}
	out[used] = '\0';
}

static void
test_ascii_subject_is_left_alone(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(mail_header_encode(&b, "Your account", 9), 0);
	assert_string_equal(buf_cstr(&b), "Your account");
	buf_reset(&b);
	/* Something that looks like an encoded word must be encoded. */
	assert_int_equal(mail_header_encode(&b, "a =?x?= b", 9), 0);
	assert_memory_equal(buf_cstr(&b), "=?UTF-8?B?", 10);
	buf_release(&b);
}

static void
test_russian_subject_round_trips(void **state)
{
	const char	*subj = "ООО \"Поставщик\" приглашает вас в "
	    "дистрибьюторскую сеть — ёжик 🦔 и ещё немного текста для "
	    "переноса строки";
	const char	*p, *eol;
	char		 back[1024];
	struct buf	 b;
	size_t		 used;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(mail_header_encode(&b, subj, 9), 0);
	assert_non_null(strstr(buf_cstr(&b), "\r\n "));
	/* "Subject: " and each folded line stay within 76 columns. */
	for (p = buf_cstr(&b), used = 9; p != NULL; used = 0) {
		eol = strstr(p, "\r\n");
		assert_true(used + (eol != NULL ? (size_t)(eol - p) :
		    strlen(p)) <= 76);
		p = eol != NULL ? eol + 2 : NULL;
	}
	assert_null(strstr(buf_cstr(&b), "Постав"));
	decode_words(buf_cstr(&b), back, sizeof(back));
	assert_string_equal(back, subj);
	buf_release(&b);
}

static void
test_date_header(void **state)
{
	char	d[40];

	(void)state;
	mail_date_format(0, d);
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_date_format(1764782544123LL, d);
	assert_string_equal(d, "Wed, 03 Dec 2025 17:22:24 +0000");
}

static void
test_smtp_url_option(void **state)
{
	char	*u;
	int	 req;

	(void)state;
	u = mail_smtp_url("smtp://mail.example:587?starttls=required", &req);
	assert_string_equal(u, "smtp://mail.example:587");
	assert_int_equal(req, 1);
	free(u);
	u = mail_smtp_url("smtps://mail.example:465", &req);
	assert_string_equal(u, "smtps://mail.example:465");
	assert_int_equal(req, 0);
	free(u);
	assert_null(mail_smtp_url("smtp://h:25?starttls=no", &req));
}

/* Returns the base64 body that follows the part header naming type. */
static char *
part_body(const char *msg, const char *type)
{
	const char	*p, *end;

	p = strstr(msg, type);
	assert_non_null(p);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	p += 4;
	end = strstr(p, "\r\n--=_tobmen_");
	assert_non_null(end);
	return strndup(p, (size_t)(end - p));
}

static void
check_body(const char *msg, const char *type, const char *want)
{
	char		*b64 = part_body(msg, type);
	unsigned char	 bin[4096];
	size_t		 n;

	assert_int_equal(sodium_base642bin(bin, sizeof(bin), b64,
	    strlen(b64), "\r\n", &n, NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(bin, want, n);
	free(b64);
}

static void
test_message_is_well_formed(void **state)
{
	struct mail_msg	 m = {
		.id = 42, .created_at = 1764782544123LL, .attempts = 0,
		.to = "dist@example.test", .subject = "Приглашение",
		.text = "Строка 1\nСтрока 2\n", .html = "<p>Привет</p>\n",
		.message_id = "<outbox-42.abcd@example.org>",
	};
	struct buf	 b;
	struct err	 e;
	const char	*s, *line, *eol;

	(void)state;
	buf_init(&b, MAIL_MESSAGE_MAX);
	assert_int_equal(mail_message_build(&m, "Сервис tobmen "
	    "<noreply@example.org>", &b, &e), 0);
	s = buf_cstr(&b);

	assert_memory_equal(s, "Date: Wed, 03 Dec 2025 17:22:24 +0000\r\n",
	    39);
	assert_non_null(strstr(s, "\r\nFrom: =?UTF-8?B?"));
	assert_non_null(strstr(s, "?= <noreply@example.org>\r\n"));
	assert_non_null(strstr(s, "\r\nTo: <dist@example.test>\r\n"));
	assert_non_null(strstr(s, "\r\nSubject: =?UTF-8?B?"));
	assert_non_null(strstr(s,
	    "\r\nMessage-ID: <outbox-42.abcd@example.org>\r\n"));
	assert_non_null(strstr(s, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(s, "multipart/alternative;\r\n"
	    " boundary=\"=_tobmen_42\"\r\n\r\n"));
	assert_non_null(strstr(s, "\r\n--=_tobmen_42\r\nContent-Type: "
	    "text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
	    "base64\r\n\r\n"));
	assert_non_null(strstr(s, "text/html; charset=UTF-8"));
	assert_true(strstr(s, "text/plain") < strstr(s, "text/html"));
	assert_non_null(strstr(s, "\r\n--=_tobmen_42--\r\n"));

	/* CRLF only, no line over 78 characters. */
	for (line = s; *line != '\0'; line = eol + 2) {
		eol = strstr(line, "\r\n");
		assert_non_null(eol);
		assert_true(eol - line <= 78);
		assert_null(memchr(line, '\n', (size_t)(eol - line)));
	}

	check_body(s, "text/plain", "Строка 1\r\nСтрока 2\r\n");
	check_body(s, "text/html", "<p>Привет</p>\r\n");
	buf_release(&b);
}

static void
test_message_refuses_bad_rows(void **state)
{
	struct mail_msg	 m = {
		.id = 7, .created_at = 0, .to = "x@example.test",
		.subject = "s", .text = "t", .html = "h",
		.message_id = "<id@x>\r\nBcc: y@example.test",
	};
	struct buf	 b;
	struct err	 e;

	(void)state;
	buf_init(&b, MAIL_MESSAGE_MAX);
	assert_int_equal(mail_message_build(&m, "a@b.test", &b, &e), -1);
	m.message_id = "<id@x>";
	m.to = "y@example.test\r\nRCPT TO:<z@example.test>";
	assert_int_equal(mail_message_build(&m, "a@b.test", &b, &e), -1);
	m.to = "x@example.test";
	assert_int_equal(mail_message_build(&m, "not a sender", &b, &e), -1);
	buf_release(&b);
}

static void
test_message_respects_its_cap(void **state)
{
	struct mail_msg	 m = {
		.id = 1, .created_at = 0, .to = "x@example.test",
		.subject = "s", .html = "h", .message_id = "<id@x>",
	};
	struct buf	 b;
	struct err	 e;
	char		*text;

	(void)state;
	text = malloc(4096);
	memset(text, 'x', 4095);
	text[4095] = '\0';
	m.text = text;
	buf_init(&b, 2048);
	assert_int_equal(mail_message_build(&m, "a@b.test", &b, &e), -1);
	assert_int_equal(e.code, ERR_TOOLARGE);
	buf_release(&b);
	free(text);
}

static void
test_html_escape(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(mail_html_escape(&b, "<a href=\"x\">'&'</a>\nы"), 0);
	assert_string_equal(buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;"
	    "&#39;&amp;&#39;&lt;/a&gt;<br>\nы");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_addresses_pass),
		cmocka_unit_test(test_bad_addresses_fail),
		cmocka_unit_test(test_address_lengths),
		cmocka_unit_test(test_sender_setting_parses),
		cmocka_unit_test(test_ascii_subject_is_left_alone),
		cmocka_unit_test(test_russian_subject_round_trips),
		cmocka_unit_test(test_date_header),
		cmocka_unit_test(test_smtp_url_option),
		cmocka_unit_test(test_message_is_well_formed),
		cmocka_unit_test(test_message_refuses_bad_rows),
		cmocka_unit_test(test_message_respects_its_cap),
		cmocka_unit_test(test_html_escape),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
