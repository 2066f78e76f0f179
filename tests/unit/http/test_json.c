/*
 * test_json.c - the cheap pre-scan that refuses deep JSON before the tree
 * is built, the body reader (which must agree with jansson's own parser
 * on what it takes and what it refuses), and the search for lists over
 * the length limit.
 */
#include <setjmp.h>
#include <stdbool.h>
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

/* Reads s with http_json_read and with jansson; both must refuse it, or
 * both take it and build equal trees. */
static void
read_agrees(const char *s, size_t n, bool ok)
{
	struct err	 e;
	json_error_t	 je;
	json_t		*ours, *theirs;

	err_clear(&e);
	ours = http_json_read(s, n, &e);
	theirs = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	if (!ok) {
		if (ours != NULL || theirs != NULL)
			fail_msg("taken, should be refused: %.*s", (int)n, s);
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.id, "invalid_json");
		return;
	}
	if (ours == NULL || theirs == NULL)
		fail_msg("refused (%s), should be taken: %.*s", e.msg, (int)n,
		    s);
	assert_true(json_equal(ours, theirs));
	json_decref(ours);
	json_decref(theirs);
}

#define TAKEN(s)	read_agrees((s), sizeof(s) - 1, true)
#define REFUSED(s)	read_agrees((s), sizeof(s) - 1, false)

static void
test_reader_takes_what_jansson_takes(void **state)
{
	(void)state;
	TAKEN("{}");
	TAKEN("[]");
	TAKEN(" \n\t[1, -2, 3.5, -0.25e3, 1E2, true, false, null] \n");
	TAKEN("{\"a\": {\"b\": [\"\u00e9\u043f\\u0434\", \"\\\"\\n\"]}}");
	TAKEN("[9223372036854775807, -9223372036854775808, 0]");
	TAKEN("[1e308, 1e-400, 123456789012345678901234567890.5]");
	TAKEN("{\"\": 1, \"документ\": [\"\\ud83d\\ude00\"]}");
	TAKEN("{\"a\": 1, \"b\": {\"a\": 2}}");
}

static void
test_reader_refuses_what_jansson_refuses(void **state)
{
	(void)state;
	REFUSED("\"text\"");
	REFUSED("12");
	REFUSED("null");
	REFUSED("   ");
	REFUSED("{");
	REFUSED("[1, 2");
	REFUSED("[1,]");
	REFUSED("{\"a\" 1}");
	REFUSED("{\"a\": 1, \"a\": 2}");
	REFUSED("[{\"k\": 1, \"k\": 1}]");
	REFUSED("[\"a\\u0000b\"]");
	REFUSED("{\"a\\u0000\": 1}");
	REFUSED("[9223372036854775808]");
	REFUSED("[-9223372036854775809]");
	REFUSED("[1e999]");
	REFUSED("[01]");
	REFUSED("[1.]");
	REFUSED("[.5]");
	REFUSED("[\"\xff\"]");
	REFUSED("[\"\xc3\"]");
	REFUSED("[] []");
	REFUSED("[] x");
	REFUSED("[/* no */ 1]");
	REFUSED("[NaN]");
	REFUSED("['a']");
	REFUSED("[\"tab\there\"]");
	REFUSED("[\"\\x41\"]");
}

static void
test_reader_names_line_and_column(void **state)
{
	struct err	 e;
	const char	*s = "{\n  \"a\": 1,\n  \"a\": 2\n}";

	(void)state;
	err_clear(&e);
	assert_null(http_json_read(s, strlen(s), &e));
	assert_non_null(strstr(e.msg, "repeats a key"));
	assert_non_null(strstr(e.msg, "line 3"));
	err_clear(&e);
	assert_null(http_json_read("[1,\n 2,\n x]", 12, &e));
	assert_non_null(strstr(e.msg, "line 3"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth_of_flat_and_nested_values),
		cmocka_unit_test(test_reader_takes_what_jansson_takes),
		cmocka_unit_test(test_reader_refuses_what_jansson_refuses),
		cmocka_unit_test(test_reader_names_line_and_column),
		cmocka_unit_test(test_brackets_inside_strings_do_not_count),
		cmocka_unit_test(test_escaped_quotes_keep_the_string_open),
		cmocka_unit_test(test_scan_stops_past_the_limit),
		cmocka_unit_test(test_long_list_is_found_with_its_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
