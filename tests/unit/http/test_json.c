/*
 * test_json.c - the cheap pre-scan that refuses deep JSON before jansson
 * runs, and the search for lists over the length limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/internal.h"

static int
depth(const char *s, int limit)
{
	return http_json_depth(s, strlen(s), limit);
}

static void
test_depth_of_flat_and_nested_values(void **state)
{
	(void)state;
	assert_int_equal(depth("", 32), 0);
	assert_int_equal(depth("\"text\"", 32), 0);
	assert_int_equal(depth("{}", 32), 1);
	assert_int_equal(depth("[1, 2, 3]", 32), 1);
	assert_int_equal(depth("{\"a\": [1, {\"b\": []}]}", 32), 4);
	/* Siblings do not add up: depth is the deepest path. */
	assert_int_equal(depth("[[1], [2], [[3]]]", 32), 3);
}

static void
test_brackets_inside_strings_do_not_count(void **state)
{
	(void)state;
	assert_int_equal(depth("{\"a\": \"[[[[{{{{\"}", 2), 1);
	assert_int_equal(depth("[\"]]]]\", [\"}}\"]]", 32), 2);
}

static void
test_escaped_quotes_keep_the_string_open(void **state)
{
	(void)state;
	/* The \" does not end the string, so the brackets after it are
	 * text and the depth stays 1. */
	assert_int_equal(depth("[\"a\\\"[[[[\"]", 2), 1);
	/* An escaped backslash before the quote does end the string. */
	assert_int_equal(depth("[\"a\\\\\", [[1]]]", 32), 3);
	assert_int_equal(depth("[\"\\\\\\\"[\"]", 32), 1);
}

static void
test_scan_stops_past_the_limit(void **state)
{
	size_t n = 10000;
	char *deep = malloc(2 * n + 1);

	(void)state;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	assert_int_equal(http_json_depth(deep, 2 * n, 32), 33);
	assert_int_equal(http_json_depth(deep, 32, 32), 32);
	assert_int_equal(http_json_depth(deep, 33, 32), 33);
	/* Unbalanced closers never drive the depth below zero. */
	assert_int_equal(depth("]]]]{[", 32), 2);
	free(deep);
}

static void
test_long_list_is_found_with_its_key(void **state)
{
	json_t *v = json_pack("{s:i, s:{s:[iiii]}}", "a", 1, "outer",
	    "items", 1, 2, 3, 4);
	const char *key = "";

	(void)state;
	assert_non_null(v);
	assert_null(http_json_long_list(v, 4, &key));
	assert_ptr_equal(http_json_long_list(v, 3, &key),
	    json_object_get(json_object_get(v, "outer"), "items"));
	assert_string_equal(key, "items");
	json_decref(v);

	v = json_pack("[[i,i,i], [i]]", 1, 2, 3, 4);
	key = "";
	assert_ptr_equal(http_json_long_list(v, 2, &key),
	    json_array_get(v, 0));
	assert_string_equal(key, "");
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth_of_flat_and_nested_values),
		cmocka_unit_test(test_brackets_inside_strings_do_not_count),
		cmocka_unit_test(test_escaped_quotes_keep_the_string_open),
		cmocka_unit_test(test_scan_stops_past_the_limit),
		cmocka_unit_test(test_long_list_is_found_with_its_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
