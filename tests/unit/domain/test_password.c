/*
 * test_password.c - password length rules counted in UTF-8 characters,
 * argon2id hashing and verification, and rehash detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/password.h"

/* Fills buf with n copies of the UTF-8 character ch. */
static char *
repeat(char *buf, const char *ch, size_t n)
{
	size_t	len = strlen(ch), i;

	for (i = 0; i < n; i++)
		memcpy(buf + i * len, ch, len);
	buf[n * len] = '\0';
	return buf;
}

static void
test_chars(void **state)
{
	(void)state;
	assert_int_equal(password_chars(""), 0);
	assert_int_equal(password_chars("abc"), 3);
	assert_int_equal(password_chars("пароль"), 6);
	assert_int_equal(password_chars("a€😀"), 3);
}

static void
test_length_rules(void **state)
{
	static char	buf[4 * 1100];
	struct err	e;

	(void)state;
	assert_int_equal(password_check(repeat(buf, "a", 11), "password",
	    &e), -1);
	assert_string_equal(e.id, "password_too_short");
	assert_string_equal(e.field, "password");
	assert_int_equal(password_check(repeat(buf, "a", 12), "password",
	    &e), 0);
	/* Eleven Cyrillic letters are 22 bytes, still eleven characters. */
	assert_int_equal(password_check(repeat(buf, "ж", 11), "password",
	    &e), -1);
	assert_int_equal(password_check(repeat(buf, "ж", 12), "password",
	    &e), 0);
	assert_int_equal(password_check(repeat(buf, "ж", 1024), "password",
	    &e), 0);
	assert_int_equal(password_check(repeat(buf, "a", 1025),
	    "new_password", &e), -1);
	assert_string_equal(e.id, "password_too_long");
	assert_string_equal(e.field, "new_password");
}

static void
test_hash_and_verify(void **state)
{
	char		h[PASSWORD_HASH_SIZE];
	struct err	e;

	(void)state;
	password_set_parallel(1);
	assert_int_equal(password_hash("correct horse battery", h, &e), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_int_equal(password_verify(h, "correct horse battery"),
	    PASSWORD_OK);
	assert_int_equal(password_verify(h, "correct horse batterY"),
	    PASSWORD_WRONG);
	/* No hash (unknown user, or no password set yet) never matches. */
	assert_int_equal(password_verify("", ""), PASSWORD_WRONG);
	assert_int_equal(password_verify("plain text", "plain text"),
	    PASSWORD_WRONG);
}

static void
test_old_parameters_ask_for_rehash(void **state)
{
	char	h[crypto_pwhash_STRBYTES];

	(void)state;
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(crypto_pwhash_str(h, "an older password", 17,
	    crypto_pwhash_OPSLIMIT_MIN + 1, 8 * 1024 * 1024), 0);
	assert_int_equal(password_verify(h, "an older password"),
	    PASSWORD_OK_REHASH);
	assert_int_equal(password_verify(h, "an older passworD"),
	    PASSWORD_WRONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_length_rules),
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_old_parameters_ask_for_rehash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
