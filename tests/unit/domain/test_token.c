/*
 * test_token.c - random tokens, their stored hashes, the shape check and
 * the constant-time comparison.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/token.h"

static void
test_new_tokens(void **state)
{
	char	a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];

	(void)state;
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_true(token_well_formed(a));
	assert_true(token_well_formed(b));
	assert_string_not_equal(a, b);
}

static void
test_hash_is_blake2b_256_hex(void **state)
{
	char	h[TOKEN_HASH_LEN + 1], h2[TOKEN_HASH_LEN + 1];

	(void)state;
	token_hash("abc", h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	token_hash("", h);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1"
	    "d1e5df47778f7787faab45cdf12fe3a8");
	/* The hash never equals the token and differs per token. */
	token_hash("abd", h2);
	assert_string_not_equal(h, h2);
}

static void
test_well_formed(void **state)
{
	(void)state;
	assert_true(token_well_formed(
	    "Kqfa_mxz3nCp2LWBkqLDp-gcFOwW6ntoLgK_zsslBl8"));
	assert_false(token_well_formed(
	    "Kqfa_mxz3nCp2LWBkqLDp-gcFOwW6ntoLgK_zsslBl"));
	assert_false(token_well_formed(
	    "Kqfa_mxz3nCp2LWBkqLDp-gcFOwW6ntoLgK_zsslBl88"));
	assert_false(token_well_formed(
	    "Kqfa/mxz3nCp2LWBkqLDp+gcFOwW6ntoLgK_zsslBl8"));
	assert_false(token_well_formed(""));
	assert_false(token_well_formed(NULL));
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(token_equal("abc", "abc"));
	assert_false(token_equal("abc", "abd"));
	assert_false(token_equal("abc", "abcd"));
	assert_false(token_equal("", ""));
	assert_false(token_equal(NULL, "abc"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_tokens),
		cmocka_unit_test(test_hash_is_blake2b_256_hex),
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
