/*
 * test_cookie.c - reading cookies from a Cookie header and formatting
 * Set-Cookie values with their fixed attributes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/internal.h"

static int
setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void
test_find_among_several(void **state)
{
	struct arena *a = *state;
	const char *h = "theme=dark; tobmen_session=abc123; lang=ru";

	assert_string_equal(http_cookie_find(a, h, "tobmen_session"),
	    "abc123");
	assert_string_equal(http_cookie_find(a, h, "theme"), "dark");
	assert_string_equal(http_cookie_find(a, h, "lang"), "ru");
	assert_null(http_cookie_find(a, h, "missing"));
}

static void
test_names_match_whole_and_exact(void **state)
{
	struct arena *a = *state;
	const char *h = "xtobmen_session=bad; tobmen_sessionx=bad2";

	assert_null(http_cookie_find(a, h, "tobmen_session"));
	assert_null(http_cookie_find(a, "Tobmen=1", "tobmen"));
	/* The name is not found inside another cookie's value. */
	assert_null(http_cookie_find(a, "a=b=c", "b"));
	assert_string_equal(http_cookie_find(a, "a=b=c", "a"), "b=c");
}

static void
test_spacing_quotes_and_empty_values(void **state)
{
	struct arena *a = *state;

	assert_string_equal(http_cookie_find(a, "  a = 1 ;b=2", "a"), "1");
	assert_string_equal(http_cookie_find(a, "a=1;\tb=\"two\"", "b"),
	    "two");
	assert_string_equal(http_cookie_find(a, "a=; b=2", "a"), "");
	assert_null(http_cookie_find(a, "novalue; b=2", "novalue"));
	assert_string_equal(http_cookie_find(a, "a=1; a=2", "a"), "1");
	assert_null(http_cookie_find(a, NULL, "a"));
	assert_null(http_cookie_find(a, "", "a"));
	assert_null(http_cookie_find(a, ";;;", "a"));
}

static void
test_format_attributes(void **state)
{
	struct arena *a = *state;

	assert_string_equal(http_cookie_format(a, "s", "v", 3600,
	    HTTP_COOKIE_HTTPONLY | HTTP_COOKIE_SECURE),
	    "s=v; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly; Secure");
	assert_string_equal(http_cookie_format(a, "s", "v", -1, 0),
	    "s=v; Path=/; SameSite=Lax");
	assert_string_equal(http_cookie_format(a, "s", "", 0,
	    HTTP_COOKIE_HTTPONLY), "s=; Path=/; Max-Age=0; SameSite=Lax; "
	    "HttpOnly");
}

static void
test_format_refuses_injection(void **state)
{
	struct arena *a = *state;

	assert_null(http_cookie_format(a, "s", "v; Domain=evil", 1, 0));
	assert_null(http_cookie_format(a, "s", "a,b", 1, 0));
	assert_null(http_cookie_format(a, "s", "a\r\nX: y", 1, 0));
	assert_null(http_cookie_format(a, "s=x", "v", 1, 0));
	assert_null(http_cookie_format(a, "", "v", 1, 0));
	assert_null(http_cookie_format(a, "s", "\"q\"", 1, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_among_several),
		cmocka_unit_test(test_names_match_whole_and_exact),
		cmocka_unit_test(test_spacing_quotes_and_empty_values),
		cmocka_unit_test(test_format_attributes),
		cmocka_unit_test(test_format_refuses_injection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
