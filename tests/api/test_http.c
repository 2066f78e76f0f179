/*
 * test_http.c - what the HTTP layer promises on every route: the error
 * shape, 404 and 405, security headers, body and JSON limits, content
 * types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A route that takes a JSON body (HTTP_JSON_BODY), for the body rules. */
#define JSON_ROUTE	"/api/v1/auth/login"

/* True when s is a snake_case word: [a-z][a-z0-9_]*. */
static int
snake_case(const char *s)
{
	if (s == NULL || *s < 'a' || *s > 'z')
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	}
	return 1;
}

/* Checks the headers every response must carry; returns a complaint, or
 * NULL when all are there. */
static const char *
security_headers_missing(const struct api_resp *r)
{
	const char *csp = api_header(r, "Content-Security-Policy");
	const char *v;

	if (csp == NULL)
		return "no Content-Security-Policy";
	if (strstr(csp, "'unsafe-inline'") || strstr(csp, "'unsafe-eval'"))
		return "CSP allows inline or eval'd script";
	if (!strstr(csp, "frame-ancestors 'none'"))
		return "CSP lacks frame-ancestors 'none'";
	if (!strstr(csp, "script-src 'self'") &&
	    !strstr(csp, "default-src 'self'"))
		return "CSP does not limit scripts to 'self'";
	v = api_header(r, "X-Content-Type-Options");
	if (v == NULL || strcmp(v, "nosniff") != 0)
		return "X-Content-Type-Options is not nosniff";
	v = api_header(r, "X-Frame-Options");
	if (v == NULL || strcmp(v, "DENY") != 0)
		return "X-Frame-Options is not DENY";
	v = api_header(r, "Referrer-Policy");
	if (v == NULL || (strcmp(v, "no-referrer") != 0 &&
	    strcmp(v, "same-origin") != 0 &&
	    strcmp(v, "strict-origin-when-cross-origin") != 0))
		return "Referrer-Policy missing or leaky";
	return NULL;
}

#define EXPECT_SECURE(r)						\
	do {								\
		const char *why_ = security_headers_missing(r);		\
		if (why_ != NULL) {					\
			api_fail(__FILE__, __LINE__, "%s: %s", #r, why_); \
			return;						\
		}							\
	} while (0)

TEST(http_unknown_api_path_is_404_with_the_error_shape)
{
	struct api_resp *r = api_get("/api/v1/no/such/thing");
	json_t *err;

	EXPECT_STATUS(r, 404);
	EXPECT_HAS(api_header(r, "Content-Type"), "application/json");
	err = json_object_get(r->json, "error");
	EXPECT(json_is_object(err));
	EXPECT(snake_case(api_error_code(r)));
	EXPECT(json_string_length(json_object_get(err, "message")) > 0);
}

TEST(http_wrong_method_is_405_with_allow)
{
	struct api_resp *r = api_request("DELETE", "/healthz", NULL, NULL, 0);

	EXPECT_STATUS(r, 405);
	EXPECT_HAS(api_header(r, "Allow"), "GET");
	EXPECT(snake_case(api_error_code(r)));
}

TEST(http_dot_segments_never_match_a_route_or_reach_outside_web)
{
	struct api_resp *r;

	EXPECT_STATUS(api_get("/api/v1/../../healthz"), 404);
	r = api_get("/../meson.build");
	EXPECT_LACKS(r->body, "custom_target");
	r = api_get("/pages/../../src/main.c");
	EXPECT_LACKS(r->body, "#include");
}

TEST(http_security_headers_on_api_responses)
{
	struct api_resp *r = api_get("/healthz");

	EXPECT_STATUS(r, 200);
	EXPECT_SECURE(r);
}

TEST(http_security_headers_on_error_responses)
{
	struct api_resp *nf = api_get("/api/v1/no/such/thing");
	struct api_resp *na = api_request("PUT", "/healthz", NULL, "x", 1);

	EXPECT_STATUS(nf, 404);
	EXPECT_SECURE(nf);
	EXPECT_STR(api_header(nf, "Cache-Control"), "no-store");
	EXPECT_STATUS(na, 405);
	EXPECT_SECURE(na);
}

TEST(http_security_headers_on_static_files)
{
	struct api_resp *r = api_get("/");

	EXPECT_STATUS(r, 200);
	EXPECT_HAS(api_header(r, "Content-Type"), "text/html");
	EXPECT_SECURE(r);
}

TEST(http_api_json_is_never_cached)
{
	struct api_resp *r = api_get("/api/v1/no/such/thing");

	EXPECT_STR(api_header(r, "Cache-Control"), "no-store");
}

TEST(http_huge_content_length_gets_413_without_reading_it)
{
	struct api_raw_resp *r;
	char *head;

	head = api_strdup_printf("POST %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n\r\n", JSON_ROUTE, 100 * 1024 * 1024);
	r = api_raw(head, 16 * 1024, ' ', 10000);
	EXPECT(!r->timed_out);
	EXPECT_INT(r->status, ==, 413);
	EXPECT(r->seconds < 5.0);
	EXPECT_STR(json_string_value(json_object_get(json_object_get(
	    r->json, "error"), "code")), "body_too_large");
}

/* Skips the running test when the JSON route is not there yet. */
#define NEED_JSON_ROUTE()						\
	do {								\
		struct api_resp *p_ = api_send_json("POST", JSON_ROUTE,	\
		    "{}");						\
		if (p_->status == 404)					\
			SKIP("no %s route in this build", JSON_ROUTE);	\
	} while (0)

TEST(http_json_nested_10000_deep_is_400_json_too_deep)
{
	struct api_resp *r;
	char *body;

	NEED_JSON_ROUTE();
	body = api_keep(malloc(20001));
	EXPECT(body != NULL);
	memset(body, '[', 10000);
	memset(body + 10000, ']', 10000);
	body[20000] = '\0';
	r = api_send_json("POST", JSON_ROUTE, body);
	EXPECT_ERROR(r, 400, "json_too_deep");
	EXPECT(r->seconds < 5.0);
}

TEST(http_broken_json_is_400_invalid_json)
{
	struct api_resp *r;

	NEED_JSON_ROUTE();
	r = api_send_json("POST", JSON_ROUTE, "{\"email\": ");
	EXPECT_ERROR(r, 400, "invalid_json");
}

TEST(http_json_route_refuses_other_content_types_with_415)
{
	static const char *const form[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL
	};
	static const char *const none[] = { "Content-Type:", NULL };
	struct api_resp *r;

	NEED_JSON_ROUTE();
	r = api_request("POST", JSON_ROUTE, form, "email=a&password=b", 18);
	EXPECT_STATUS(r, 415);
	EXPECT(snake_case(api_error_code(r)));
	r = api_request("POST", JSON_ROUTE, none, "{}", 2);
	EXPECT_STATUS(r, 415);
}
