/*
 * test_router.c - route matching: literals, parameters, 404 against 405,
 * HEAD answered by GET, decoding of parameters, and paths that try to
 * climb out of their segment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/router.h"

/* Handlers told apart by address; the bodies differ so that no
 * optimisation can fold them into one. */
static int last_handler;

static void
h_list(struct http_req *req)
{
	(void)req;
	last_handler = 1;
}

static void
h_get(struct http_req *req)
{
	(void)req;
	last_handler = 2;
}

static void
h_me(struct http_req *req)
{
	(void)req;
	last_handler = 3;
}

static void
h_put(struct http_req *req)
{
	(void)req;
	last_handler = 4;
}

static void
h_create(struct http_req *req)
{
	(void)req;
	last_handler = 5;
}

static void
h_root(struct http_req *req)
{
	(void)req;
	last_handler = 6;
}

static void
h_lic(struct http_req *req)
{
	(void)req;
	last_handler = 7;
}

struct fixture {
	struct http_router	*r;
	struct arena		*a;
};

static int
setup(void **state)
{
	static struct fixture f;

	f.r = http_router_new();
	f.a = arena_new();
	http_route(f.r, "GET", "/api/v1/users", h_list, 0);
	http_route(f.r, "POST", "/api/v1/users", h_create, HTTP_JSON_BODY);
	http_route(f.r, "GET", "/api/v1/users/{id}", h_get, 0);
	http_route(f.r, "PUT", "/api/v1/users/{id}", h_put, HTTP_JSON_BODY);
	http_route(f.r, "GET", "/api/v1/users/me", h_me, 0);
	http_route(f.r, "GET", "/", h_root, 0);
	http_route(f.r, "DELETE",
	    "/api/v1/suppliers/{sid}/licenses/{lic}", h_lic, 0);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	http_router_free(f->r);
	arena_free(f->a);
	return 0;
}

static enum err_code
match(void **state, const char *method, const char *path,
    struct http_match *m)
{
	struct fixture *f = *state;

	return http_router_match(f->r, method, path, f->a, m);
}

static void
test_literal_route_matches(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/users", &m), ERR_NONE);
	assert_ptr_equal(m.fn, h_list);
	assert_string_equal(m.pattern, "/api/v1/users");
	assert_int_equal(m.nparams, 0);

	assert_int_equal(match(state, "POST", "/api/v1/users", &m), ERR_NONE);
	assert_ptr_equal(m.fn, h_create);
	assert_int_equal(m.flags, HTTP_JSON_BODY);
}

static void
test_param_route_captures_value(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/users/42", &m),
	    ERR_NONE);
	assert_ptr_equal(m.fn, h_get);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.names[0], "id");
	assert_string_equal(m.values[0], "42");
}

static void
test_literal_beats_param(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/users/me", &m),
	    ERR_NONE);
	assert_ptr_equal(m.fn, h_me);
	assert_int_equal(m.nparams, 0);

	/* Only GET has the literal; PUT falls back to the parameter. */
	assert_int_equal(match(state, "PUT", "/api/v1/users/me", &m),
	    ERR_NONE);
	assert_ptr_equal(m.fn, h_put);
	assert_string_equal(m.values[0], "me");
}

static void
test_two_params(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "DELETE",
	    "/api/v1/suppliers/7/licenses/L-100", &m), ERR_NONE);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(m.names[0], "sid");
	assert_string_equal(m.values[0], "7");
	assert_string_equal(m.names[1], "lic");
	assert_string_equal(m.values[1], "L-100");
}

static void
test_unknown_path_is_404(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/nothing", &m),
	    ERR_NOTFOUND);
	assert_int_equal(match(state, "GET", "/api/v1/users/1/x", &m),
	    ERR_NOTFOUND);
	assert_int_equal(match(state, "GET", "/api/v1", &m), ERR_NOTFOUND);
	assert_string_equal(m.allow, "");
}

static void
test_wrong_method_is_405_with_allow(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "DELETE", "/api/v1/users", &m),
	    ERR_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST");

	assert_int_equal(match(state, "POST", "/api/v1/users/5", &m),
	    ERR_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, PUT");
}

static void
test_head_answered_by_get(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "HEAD", "/api/v1/users/9", &m),
	    ERR_NONE);
	assert_ptr_equal(m.fn, h_get);
	assert_int_equal(match(state, "HEAD", "/", &m), ERR_NONE);
	assert_ptr_equal(m.fn, h_root);
}

static void
test_params_are_url_decoded(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/api/v1/users/a%20b%C3%A9",
	    &m), ERR_NONE);
	assert_string_equal(m.values[0], "a b\xc3\xa9");
	/* '+' is a plain character in a path. */
	assert_int_equal(match(state, "GET", "/api/v1/users/a+b", &m),
	    ERR_NONE);
	assert_string_equal(m.values[0], "a+b");
	/* Literal segments are compared after decoding too. */
	assert_int_equal(match(state, "GET", "/api/v1/%75sers", &m),
	    ERR_NONE);
	assert_ptr_equal(m.fn, h_list);
}

static void
test_bad_segments_never_match(void **state)
{
	static const char *const bad[] = {
		"/api/v1/users/..", "/api/v1/users/.", "/api/v1/users/%2e%2E",
		"/api/v1/users/%2E", "/api/v1//users", "/api/v1/users/",
		"/api/v1/users/a%2Fb", "/api/v1/users/%00", "/api/v1/users/%",
		"/api/v1/users/%4", "/api/v1/users/%zz", "api/v1/users",
		"", "//", "/api/v1/../v1/users",
	};
	struct http_match m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(match(state, "GET", bad[i], &m),
		    ERR_NOTFOUND);
	}
}

static void
test_root_route(void **state)
{
	struct http_match m;

	assert_int_equal(match(state, "GET", "/", &m), ERR_NONE);
	assert_ptr_equal(m.fn, h_root);
	assert_int_equal(match(state, "POST", "/", &m), ERR_METHOD);
	assert_string_equal(m.allow, "GET, HEAD");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_route_matches),
		cmocka_unit_test(test_param_route_captures_value),
		cmocka_unit_test(test_literal_beats_param),
		cmocka_unit_test(test_two_params),
		cmocka_unit_test(test_unknown_path_is_404),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_head_answered_by_get),
		cmocka_unit_test(test_params_are_url_decoded),
		cmocka_unit_test(test_bad_segments_never_match),
		cmocka_unit_test(test_root_route),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
