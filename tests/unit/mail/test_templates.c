/*
 * test_templates.c - rendering the service's mails: every template in both
 * languages, the variant chosen by a value, HTML escaping, subjects kept
 * on one line, and the refusals (unknown template, missing value, bad
 * link, bad UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "mail/mail_int.h"

#define LINK	"https://tobmen.example/suppliers/join?invite=abc&x=1"

/* Every variable any template uses, with plain values. */
static const char *const all_vars[] = {
	"company", "ООО Ромашка", "name", "Анна", "link", LINK,
	"user", "Анна Петрова", "email", "anna@example.test",
	"subject", "Вопрос", "message", "Текст", "supplier", "ООО Поставщик",
	"code", "18902", "distributor", "ИП Иванов", "state", "on", NULL
};

static void
test_every_template_renders_in_both_languages(void **state)
{
	static const char *const names[] = { "user_welcome",
	    "password_reset", "feedback", "invite", "permission" };
	struct mail_rendered	 r;
	struct err		 e;
	size_t			 i;
	int			 en;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (en = 0; en < 2; en++) {
			assert_int_equal(mail_render(names[i], en ? "en" :
			    "ru", all_vars, &r, &e), 0);
			assert_true(r.subject[0] != '\0');
			assert_null(strstr(r.subject, "{{"));
			assert_null(strstr(r.text, "{{"));
			assert_null(strstr(r.html, "{{"));
			assert_non_null(strstr(r.text, en ? "tobmen service" :
			    "Сервис tobmen"));
			assert_non_null(strstr(r.html, en ? "tobmen service" :
			    "Сервис tobmen"));
			assert_non_null(strstr(r.html, "<!DOCTYPE html>"));
			assert_non_null(strstr(r.html, en ? "lang=\"en\"" :
			    "lang=\"ru\""));
			mail_rendered_release(&r);
		}
	}
}

static void
test_invite_carries_supplier_code_and_link(void **state)
{
	const char *const	 vars[] = { "supplier", "ООО \"Поставщик\"",
	    "code", "18902", "link", LINK, NULL };
	struct mail_rendered	 r;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("invite", "ru", vars, &r, &e), 0);
	assert_string_equal(r.subject,
	    "ООО \"Поставщик\" приглашает вас в дистрибьюторскую сеть");
	assert_non_null(strstr(r.text, "ООО \"Поставщик\""));
	assert_non_null(strstr(r.text, "18902"));
	assert_non_null(strstr(r.text, "\n" LINK "\n"));
	assert_non_null(strstr(r.text, "«Регистрация»"));
	assert_non_null(strstr(r.html, "href=\"https://tobmen.example/"
	    "suppliers/join?invite=abc&amp;x=1\""));
	assert_non_null(strstr(r.html, "ООО &quot;Поставщик&quot;"));
	mail_rendered_release(&r);
}

static void
test_html_escapes_every_value(void **state)
{
	const char *const	 vars[] = { "company", "<script>alert('x')"
	    "</script> & Co", "user", "Анна", "email", "a@b.test",
	    "subject", "<b>", "message", "строка 1\nстрока 2 <i>", NULL };
	struct mail_rendered	 r;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("feedback", "ru", vars, &r, &e), 0);
	assert_null(strstr(r.html, "<script>"));
	assert_null(strstr(r.html, "<i>"));
	assert_non_null(strstr(r.html, "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt; &amp; Co"));
	assert_non_null(strstr(r.html, "строка 1<br>\nстрока 2 &lt;i&gt;"));
	assert_non_null(strstr(r.html, "<title>Обратная связь: &lt;b&gt;"));
	/* The text part is not HTML: values go in as written. */
	assert_non_null(strstr(r.text, "<script>alert('x')</script> & Co"));
	assert_non_null(strstr(r.text, "строка 1\nстрока 2 <i>"));
	mail_rendered_release(&r);
}

static void
test_subject_stays_on_one_line(void **state)
{
	const char *const	 vars[] = { "company", "C", "user", "U",
	    "email", "a@b.test", "subject", "line\r\nBcc: x@evil.test\tend",
	    "message", "m", NULL };
	struct mail_rendered	 r;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("feedback", "en", vars, &r, &e), 0);
	assert_null(strpbrk(r.subject, "\r\n\t"));
	assert_string_equal(r.subject, "Feedback: line Bcc: x@evil.test end");
	assert_null(strchr(r.text, '\r'));
	mail_rendered_release(&r);
}

static void
test_unknown_language_is_russian(void **state)
{
	const char *const	 vars[] = { "link", LINK, NULL };
	struct mail_rendered	 r;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("password_reset", "de", vars, &r, &e),
	    0);
	assert_string_equal(r.subject,
	    "Новый пароль для личного кабинета tobmen");
	mail_rendered_release(&r);
	assert_int_equal(mail_render("password_reset", NULL, vars, &r, &e),
	    0);
	assert_non_null(strstr(r.text, "Сервис tobmen"));
	mail_rendered_release(&r);
	assert_int_equal(mail_render("password_reset", "en", vars, &r, &e),
	    0);
	assert_string_equal(r.subject, "A new password for the tobmen cabinet");
	mail_rendered_release(&r);
}

static void
test_permission_variant_follows_state(void **state)
{
	const char *vars[] = { "distributor", "ИП Иванов", "code", "54321",
	    "state", "on", NULL };
	struct mail_rendered	 on, off;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("permission", "ru", vars, &on, &e), 0);
	vars[5] = "off";
	assert_int_equal(mail_render("permission", "ru", vars, &off, &e), 0);
	assert_string_not_equal(on.subject, off.subject);
	assert_non_null(strstr(on.text, "включил"));
	assert_non_null(strstr(off.text, "снял"));
	assert_non_null(strstr(on.text, "54321"));
	mail_rendered_release(&on);
	mail_rendered_release(&off);

	vars[5] = "maybe";
	assert_int_equal(mail_render("permission", "ru", vars, &on, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
}

static void
test_refusals(void **state)
{
	const char *const	 nolink[] = { "supplier", "S", "code", "1",
	    NULL };
	const char *const	 jslink[] = { "link", "javascript:alert(1)",
	    NULL };
	const char *const	 badutf[] = { "link", LINK, "x", "\xd0", NULL };
	struct mail_rendered	 r;
	struct err		 e;

	(void)state;
	assert_int_equal(mail_render("nope", "ru", all_vars, &r, &e), -1);
	assert_string_equal(e.id, "mail_unknown_template");
	assert_int_equal(mail_render("invite", "ru", nolink, &r, &e), -1);
	assert_string_equal(e.id, "mail_var_missing");
	assert_non_null(strstr(e.msg, "link"));
	assert_int_equal(mail_render("password_reset", "ru", jslink, &r,
	    &e), -1);
	assert_string_equal(e.id, "mail_bad_link");
	assert_int_equal(mail_render("password_reset", "ru", badutf, &r,
	    &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_null(r.subject);
}

static void
test_oversized_value_is_refused(void **state)
{
	const char	*vars[] = { "link", LINK, "message", NULL, NULL };
	char		*big;
	struct mail_rendered r;
	struct err	 e;

	(void)state;
	big = malloc(MAIL_VAR_MAX + 2);
	memset(big, 'a', MAIL_VAR_MAX + 1);
	big[MAIL_VAR_MAX + 1] = '\0';
	vars[3] = big;
	assert_int_equal(mail_render("password_reset", "ru", vars, &r, &e),
	    -1);
	assert_int_equal(e.code, ERR_INVALID);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_template_renders_in_both_languages),
		cmocka_unit_test(test_invite_carries_supplier_code_and_link),
		cmocka_unit_test(test_html_escapes_every_value),
		cmocka_unit_test(test_subject_stays_on_one_line),
		cmocka_unit_test(test_unknown_language_is_russian),
		cmocka_unit_test(test_permission_variant_follows_state),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_oversized_value_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
