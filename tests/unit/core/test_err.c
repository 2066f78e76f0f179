/*
 * test_err.c - filling a struct err and the one mapping of error codes to
 * HTTP statuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"

static void
test_status_map(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(ERR_NONE), 200);
	assert_int_equal(err_http_status(ERR_INVALID), 400);
	assert_int_equal(err_http_status(ERR_UNAUTHORIZED), 401);
	assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
	assert_int_equal(err_http_status(ERR_NOTFOUND), 404);
	assert_int_equal(err_http_status(ERR_METHOD), 405);
	assert_int_equal(err_http_status(ERR_CONFLICT), 409);
	assert_int_equal(err_http_status(ERR_GONE), 410);
	assert_int_equal(err_http_status(ERR_TOOLARGE), 413);
	assert_int_equal(err_http_status(ERR_UNSUPPORTED), 415);
	assert_int_equal(err_http_status(ERR_THROTTLED), 429);
	assert_int_equal(err_http_status(ERR_INTERNAL), 500);
	assert_int_equal(err_http_status(ERR_UNAVAILABLE), 503);
	assert_int_equal(err_http_status((enum err_code)999), 500);
}

static void
test_set_and_clear(void **state)
{
	struct err	e;
	char		long_id[200];

	(void)state;
	err_set(&e, ERR_CONFLICT, "code_taken", "code",
	    "code %d is taken", 12345);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.id, "code_taken");
	assert_string_equal(e.field, "code");
	assert_string_equal(e.msg, "code 12345 is taken");

	err_set(&e, ERR_INVALID, "x", NULL, "no field");
	assert_string_equal(e.field, "");

	/* Over-long parts are cut, never overflow. */
	memset(long_id, 'i', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	err_set(&e, ERR_INVALID, long_id, long_id, "%s%s%s", long_id,
	    long_id, long_id);
	assert_int_equal(strlen(e.id), sizeof(e.id) - 1);
	assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);

	err_clear(&e);
	assert_int_equal(e.code, ERR_NONE);
	assert_string_equal(e.id, "");
	assert_string_equal(e.msg, "");

	/* A NULL err is allowed and ignored. */
	err_set(NULL, ERR_INTERNAL, "x", NULL, "ignored");
	err_clear(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_map),
		cmocka_unit_test(test_set_and_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
