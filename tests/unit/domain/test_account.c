/*
 * test_account.c - e-mail normalisation, display names and role names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/account.h"

static void
test_email(void **state)
{
	char		out[USER_EMAIL_SIZE];
	struct err	e;

	(void)state;
	assert_int_equal(account_email_normalize("  Anna.K@Example.COM ",
	    out, &e), 0);
	assert_string_equal(out, "anna.k@example.com");
	assert_int_equal(account_email_normalize("a+b@mail.example.ru", out,
	    &e), 0);
	assert_int_equal(account_email_normalize("no-at-sign", out, &e), -1);
	assert_string_equal(e.id, "email_invalid");
	assert_string_equal(e.field, "email");
	assert_int_equal(account_email_normalize("a@b@c.d", out, &e), -1);
	assert_int_equal(account_email_normalize("@example.com", out, &e),
	    -1);
	assert_int_equal(account_email_normalize("a@localhost", out, &e), -1);
	assert_int_equal(account_email_normalize("a b@example.com", out, &e),
	    -1);
	assert_int_equal(account_email_normalize("a@example.com.", out, &e),
	    -1);
	assert_int_equal(account_email_normalize("<a@example.com>", out, &e),
	    -1);
	assert_int_equal(account_email_normalize(NULL, out, &e), -1);
}

static void
test_name(void **state)
{
	char		out[USER_NAME_SIZE], in[1000];
	struct err	e;

	(void)state;
	assert_int_equal(account_name_check("  Анна Петрова ", out, &e), 0);
	assert_string_equal(out, "Анна Петрова");
	assert_int_equal(account_name_check("   ", out, &e), -1);
	assert_string_equal(e.id, "name_invalid");
	assert_int_equal(account_name_check("tab\tinside", out, &e), -1);
	memset(in, 'x', 201);
	in[201] = '\0';
	assert_int_equal(account_name_check(in, out, &e), -1);
	in[200] = '\0';
	assert_int_equal(account_name_check(in, out, &e), 0);
}

static void
test_roles(void **state)
{
	enum account_role	r;

	(void)state;
	assert_int_equal(account_role_parse("owner", &r), 0);
	assert_int_equal(r, ROLE_OWNER);
	assert_int_equal(account_role_parse("operator", &r), 0);
	assert_string_equal(account_role_name(r), "operator");
	assert_int_equal(account_role_parse("Owner", &r), -1);
	assert_int_equal(account_role_parse(NULL, &r), -1);
	assert_true(account_role_manages(ROLE_ADMIN));
	assert_true(account_role_manages(ROLE_OPERATOR));
	assert_false(account_role_manages(ROLE_MEMBER));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
