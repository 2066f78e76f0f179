/*
 * test_ops.c - the operations endpoints: /healthz, /readyz, /metrics, and
 * the request id every response carries.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* True when s looks like a request id: 8 to 64 printable, no spaces. */
static int
request_id_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (!isgraph((unsigned char)s[i]))
			return 0;
	}
	return i >= 8 && i <= 64;
}

TEST(ops_healthz_answers_200)
{
	struct api_resp *r = api_get("/healthz");

	EXPECT_STATUS(r, 200);
	EXPECT(r->len > 0);
}

TEST(ops_healthz_answers_head_without_body)
{
	struct api_resp *r = api_request("HEAD", "/healthz", NULL, NULL, 0);

	EXPECT_STATUS(r, 200);
	EXPECT_INT(r->len, ==, 0);
}

TEST(ops_readyz_is_200_while_the_store_is_reachable)
{
	struct api_resp *r = api_get("/readyz");

	EXPECT_STATUS(r, 200);
}

TEST(ops_metrics_is_prometheus_text)
{
	struct api_resp *r = api_get("/metrics");

	EXPECT_STATUS(r, 200);
	EXPECT_HAS(api_header(r, "Content-Type"), "text/plain");
	EXPECT_HAS(r->body, "# TYPE tobmen_http_requests_total counter");
	EXPECT_HAS(r->body,
	    "# TYPE tobmen_http_request_duration_seconds histogram");
	EXPECT_HAS(r->body, "tobmen_store_errors_total");
}

/* Reads the count of the series route/method/status from an exposition;
 * 0 when the series is absent. */
static long
metrics_count(const char *text, const char *route, const char *method,
    int status)
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key),
	    "tobmen_http_requests_total{route=\"%s\",method=\"%s\","
	    "status=\"%d\"} ", route, method, status);
	p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

TEST(ops_metrics_count_each_request_by_route_and_status)
{
	struct api_resp *before, *after;
	long n0, n1;

	before = api_get("/metrics");
	EXPECT_STATUS(before, 200);
	n0 = metrics_count(before->body, "/healthz", "GET", 200);
	EXPECT_STATUS(api_get("/healthz"), 200);
	EXPECT_STATUS(api_get("/healthz"), 200);

	after = api_get("/metrics");
	EXPECT_STATUS(after, 200);
	n1 = metrics_count(after->body, "/healthz", "GET", 200);
	EXPECT_INT(n1, ==, n0 + 2);
	EXPECT_HAS(after->body, "tobmen_http_request_duration_seconds_bucket"
	    "{route=\"/healthz\",method=\"GET\",status=\"200\",le=\"+Inf\"}");
}

TEST(ops_metrics_put_unknown_paths_in_one_series)
{
	struct api_resp *r;

	EXPECT_STATUS(api_get("/api/v1/no-such-thing-4711"), 404);
	r = api_get("/metrics");
	EXPECT_STATUS(r, 200);
	EXPECT_LACKS(r->body, "no-such-thing-4711");
}

TEST(ops_every_response_has_a_fresh_request_id)
{
	struct api_resp *a = api_get("/healthz");
	struct api_resp *b = api_get("/healthz");
	struct api_resp *c = api_get("/api/v1/no-such-thing");
	const char *ida, *idb, *idc;

	ida = api_header(a, "X-Request-Id");
	idb = api_header(b, "X-Request-Id");
	idc = api_header(c, "X-Request-Id");
	EXPECT(request_id_ok(ida));
	EXPECT(request_id_ok(idb));
	EXPECT(request_id_ok(idc));
	EXPECT(strcmp(ida, idb) != 0);
	EXPECT(strcmp(idb, idc) != 0);
}
