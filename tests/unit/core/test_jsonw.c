/*
 * test_jsonw.c - the streaming JSON writer: separators in objects and
 * arrays, string escaping and invalid UTF-8, framed literal keys,
 * integers, exact decimals, ids and times, raw values, and the sticky
 * failure at the buffer's cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/jsonw.h"

/* Writes with fn into a fresh buffer of cap bytes; returns the text. */
static char *
render(void (*fn)(struct jsonw *), size_t cap, bool *failed)
{
	static char	out[4096];
	struct buf	b;
	struct jsonw	w;

	buf_init(&b, cap);
	jsonw_init(&w, &b);
	fn(&w);
	*failed = jsonw_failed(&w);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_release(&b);
	return out;
}

static void
nested(struct jsonw *w)
{
	jsonw_object_begin(w);
	jsonw_kint(w, "a", -5);
	jsonw_key(w, "list");
	jsonw_array_begin(w);
	jsonw_int(w, 1);
	jsonw_string(w, "two");
	jsonw_null(w);
	jsonw_bool(w, true);
	jsonw_object_begin(w);
	jsonw_object_end(w);
	jsonw_array_begin(w);
	jsonw_array_end(w);
	jsonw_array_end(w);
	jsonw_kid(w, "id", 42);
	jsonw_ktime(w, "never", 0);
	jsonw_ktime(w, "at", 1700000000123LL);
	jsonw_key(w, "raw");
	jsonw_raw(w, "{\"x\":[1]}", 9);
	jsonw_object_end(w);
}

static void
test_structure(void **state)
{
	bool		 failed;
	const char	*s = render(nested, 1024, &failed);
	json_t		*j;

	(void)state;
	assert_false(failed);
	assert_string_equal(s, "{\"a\":-5,\"list\":[1,\"two\",null,true,{},"
	    "[]],\"id\":\"42\",\"never\":null,"
	    "\"at\":\"2023-11-14T22:13:20.123Z\",\"raw\":{\"x\":[1]}}");
	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	json_decref(j);
}

static void
strings(struct jsonw *w)
{
	jsonw_array_begin(w);
	jsonw_string(w, "q\"b\\n\nt\tc\x01z");
	jsonw_string(w, "Привет «ёлка»");
	jsonw_string(w, "bad\xff\xc3(");
	jsonw_stringn(w, "a\0b", 3);
	jsonw_string(w, "\xed\xa0\x80");	/* a surrogate */
	jsonw_object_begin(w);
	jsonw_kint(w, "k\"ey", 1);
	jsonw_kint(w, "ключ", 2);
	jsonw_kint(w, "a_key_longer_than_the_short_path_takes_at_once_"
	    "0123456789abcdef", 3);
	jsonw_object_end(w);
	jsonw_array_end(w);
}

static void
test_escaping(void **state)
{
	bool		 failed;
	const char	*s = render(strings, 1024, &failed);
	json_t		*j;

	(void)state;
	assert_false(failed);
	assert_string_equal(s, "[\"q\\\"b\\\\n\\nt\\tc\\u0001z\","
	    "\"Привет «ёлка»\",\"bad\\ufffd\\ufffd(\",\"a\\u0000b\","
	    "\"\\ufffd\\ufffd\\ufffd\",{\"k\\\"ey\":1,\"ключ\":2,"
	    "\"a_key_longer_than_the_short_path_takes_at_once_"
	    "0123456789abcdef\":3}]");
	j = json_loads(s, JSON_ALLOW_NUL, NULL);
	assert_non_null(j);
	json_decref(j);
}

static void
keys_numbers(struct jsonw *w)
{
	jsonw_object_begin(w);
	jsonw_kint(w, "plain", 0);
	jsonw_kint(w, "q\"k", -1);
	jsonw_kint(w, "имя", INT64_MIN);
	jsonw_kid(w, "a-key-longer-than-the-writer-puts-in-one-piece-which-is-"
	    "sixty", INT64_MAX);
	jsonw_key(w, "utf8");
	jsonw_array_begin(w);
	jsonw_string(w, "\xd0");		/* cut short at the end */
	jsonw_string(w, "\xc0\x80\xc1\xbf");	/* overlong */
	jsonw_string(w, "\xd0\xd0\xb0");	/* a lead, then a whole а */
	jsonw_string(w, "€𝄞");
	jsonw_array_end(w);
	jsonw_object_end(w);
}

static void
test_keys_numbers(void **state)
{
	bool	failed;

	(void)state;
	assert_string_equal(render(keys_numbers, 1024, &failed),
	    "{\"plain\":0,\"q\\\"k\":-1,"
	    "\"имя\":-9223372036854775808,"
	    "\"a-key-longer-than-the-writer-puts-in-one-piece-which-is-sixty\":"
	    "\"9223372036854775807\",\"utf8\":[\"\\ufffd\","
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\",\"\\ufffdа\",\"€𝄞\"]}");
	assert_false(failed);
}

static void
framed_keys(struct jsonw *w)
{
	jsonw_object_begin(w);
	JSONW_KEY(w, "first");
	jsonw_int(w, 1);
	JSONW_KEY(w, "inner");
	jsonw_object_begin(w);
	JSONW_KEY(w, "a");
	jsonw_null(w);
	jsonw_object_end(w);
	jsonw_key(w, "mixed");
	jsonw_array_begin(w);
	jsonw_array_end(w);
	JSONW_KEY(w, "last");
	jsonw_bool(w, false);
	jsonw_object_end(w);
}

/* A framed literal key writes what jsonw_key writes, first member or
 * not, mixed with jsonw_key. */
static void
test_framed_keys(void **state)
{
	bool	failed;

	(void)state;
	assert_string_equal(render(framed_keys, 1024, &failed),
	    "{\"first\":1,\"inner\":{\"a\":null},\"mixed\":[],"
	    "\"last\":false}");
	assert_false(failed);
}

/* The escape the writer must give one byte c alone among plain ASCII. */
static void
byte_expected(unsigned char c, char *out, size_t n)
{
	if (c == '"' || c == '\\')
		snprintf(out, n, "\\%c", c);
	else if (c == '\n')
		snprintf(out, n, "\\n");
	else if (c == '\r')
		snprintf(out, n, "\\r");
	else if (c == '\t')
		snprintf(out, n, "\\t");
	else if (c < 0x20 || c == 0x7f)
		snprintf(out, n, "\\u%04x", c);
	else if (c >= 0x80)
		snprintf(out, n, "\\ufffd");
	else
		snprintf(out, n, "%c", c);
}

/* Every byte value at every place of the words the writer tests eight
 * bytes at a time. */
static void
test_every_byte(void **state)
{
	char		 in[24], want[64], esc[8];
	struct buf	 b;
	struct jsonw	 w;
	size_t		 at;
	int		 c;

	(void)state;
	for (at = 0; at < sizeof(in); at++) {
		for (c = 0; c < 256; c++) {
			memset(in, 'a', sizeof(in));
			in[at] = (char)c;
			byte_expected((unsigned char)c, esc, sizeof(esc));
			snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at,
			    in, esc, (int)(sizeof(in) - at - 1), in + at + 1);
			buf_init(&b, 1024);
			jsonw_init(&w, &b);
			jsonw_stringn(&w, in, sizeof(in));
			assert_string_equal(buf_cstr(&b), want);
			buf_release(&b);
		}
	}
}

static void
decimals(struct jsonw *w)
{
	jsonw_array_begin(w);
	jsonw_decimal(w, 55755826, 6);
	jsonw_decimal(w, -37617300, 6);
	jsonw_decimal(w, -5, 6);
	jsonw_decimal(w, 12345, 0);
	jsonw_decimal(w, INT64_MIN, 2);
	jsonw_array_end(w);
}

static void
test_decimals(void **state)
{
	bool	failed;

	(void)state;
	assert_string_equal(render(decimals, 1024, &failed),
	    "[55.755826,-37.617300,-0.000005,12345,"
	    "-92233720368547758.08]");
	assert_false(failed);
}

static void
integers(struct jsonw *w)
{
	jsonw_array_begin(w);
	jsonw_int(w, 0);
	jsonw_int(w, -1);
	jsonw_int(w, INT64_MAX);
	jsonw_int(w, INT64_MIN);
	jsonw_id(w, 7);
	jsonw_id(w, INT64_MAX);
	jsonw_array_end(w);
}

static void
test_integers(void **state)
{
	bool	failed;

	(void)state;
	assert_string_equal(render(integers, 1024, &failed),
	    "[0,-1,9223372036854775807,-9223372036854775808,\"7\","
	    "\"9223372036854775807\"]");
	assert_false(failed);
}

static void
many(struct jsonw *w)
{
	int	i;

	jsonw_array_begin(w);
	for (i = 0; i < 100; i++)
		jsonw_string(w, "0123456789");
	jsonw_array_end(w);
}

static void
test_cap_is_sticky(void **state)
{
	bool		 failed;
	const char	*s = render(many, 64, &failed);

	(void)state;
	assert_true(failed);
	assert_true(strlen(s) <= 64);
}

static void
test_done(void **state)
{
	struct buf	b;
	struct jsonw	w;

	(void)state;
	buf_init(&b, 64);
	jsonw_init(&w, &b);
	assert_false(jsonw_done(&w));
	jsonw_object_begin(&w);
	assert_false(jsonw_done(&w));
	jsonw_object_end(&w);
	assert_true(jsonw_done(&w));
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_keys_numbers),
		cmocka_unit_test(test_framed_keys),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_cap_is_sticky),
		cmocka_unit_test(test_done),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
