/*
 * test_metrics.c - the Prometheus exposition: families with HELP and TYPE,
 * per (route, method, status) counters, cumulative histogram buckets,
 * gauges, and a render that fails whole when the buffer cap is reached.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/metrics.h"

/* Renders everything into a malloc'd string. */
static char *
render(void)
{
	struct buf	b;

	buf_init(&b, 1 << 20);
	assert_int_equal(metrics_render(&b), 0);
	return buf_detach(&b, NULL);
}

/* True if every sample line belongs to a family declared by a # TYPE
 * line before it, every family has # HELP, and each line is well formed:
 * name, optional {labels}, one space, a number. */
static bool
exposition_valid(const char *text)
{
	char	 families[64][96], name[96];
	char	*copy, *line, *save, *p;
	int	 nfam = 0, i;
	bool	 ok = true, known;

	copy = strdup(text);
	for (line = strtok_r(copy, "\n", &save); line != NULL && ok;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0)
			continue;
		if (sscanf(line, "# TYPE %95s", name) == 1) {
			if (nfam < 64)
				strcpy(families[nfam++], name);
			continue;
		}
		for (p = line; isalnum((unsigned char)*p) || *p == '_' ||
		    *p == ':'; p++)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(p - line), line);
		known = false;
		for (i = 0; i < nfam; i++) {
			size_t	n = strlen(families[i]);

			if (strncmp(name, families[i], n) == 0 &&
			    (name[n] == '\0' || strcmp(name + n, "_bucket") ==
			    0 || strcmp(name + n, "_sum") == 0 ||
			    strcmp(name + n, "_count") == 0))
				known = true;
		}
		/* Label values may hold braces ("{id}"): the last one
		 * closes the set. */
		if (*p == '{' && strrchr(p, '}') != NULL)
			p = strrchr(p, '}') + 1;
		ok = known && *p == ' ' && (isdigit((unsigned char)p[1]) ||
		    p[1] == '-');
		strtod(p + 1, &p);
		ok = ok && *p == '\0';
	}
	free(copy);
	return ok;
}

static void
test_requests(void **state)
{
	char	*text;

	(void)state;
	metrics_reset();
	metrics_http_observe("/api/v1/companies/{id}", "GET", 200, 0.003);
	metrics_http_observe("/api/v1/companies/{id}", "GET", 200, 0.2);
	metrics_http_observe("/api/v1/companies/{id}", "GET", 404, 0.01);
	metrics_http_observe("unmatched", "BREW", 405, 20);
	text = render();

	assert_non_null(strstr(text,
	    "# TYPE tobmen_http_requests_total counter\n"));
	assert_non_null(strstr(text, "# HELP tobmen_http_requests_total "));
	assert_non_null(strstr(text, "tobmen_http_requests_total{route=\""
	    "/api/v1/companies/{id}\",method=\"GET\",status=\"200\"} 2\n"));
	assert_non_null(strstr(text, "tobmen_http_requests_total{route=\""
	    "unmatched\",method=\"OTHER\",status=\"405\"} 1\n"));

	assert_non_null(strstr(text, "# TYPE "
	    "tobmen_http_request_duration_seconds histogram\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "bucket{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\",le=\"0.005\"} 1\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "bucket{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\",le=\"0.1\"} 1\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "bucket{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\",le=\"0.25\"} 2\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "bucket{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\",le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "bucket{route=\"unmatched\",method=\"OTHER\",status=\"405\","
	    "le=\"10\"} 0\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "sum{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\"} 0.203\n"));
	assert_non_null(strstr(text, "tobmen_http_request_duration_seconds_"
	    "count{route=\"/api/v1/companies/{id}\",method=\"GET\","
	    "status=\"200\"} 2\n"));
	assert_true(exposition_valid(text));
	free(text);
}

static void
test_store_errors_and_gauges(void **state)
{
	char	*text;

	(void)state;
	metrics_reset();
	metrics_store_error();
	metrics_store_error();
	metrics_gauge_set("tobmen_outbox_backlog", "Mail waiting to be sent.",
	    5);
	metrics_gauge_set("tobmen_outbox_backlog", "Mail waiting to be sent.",
	    3);
	text = render();

	assert_non_null(strstr(text,
	    "# TYPE tobmen_store_errors_total counter\n"
	    "tobmen_store_errors_total 2\n"));
	assert_non_null(strstr(text,
	    "# HELP tobmen_outbox_backlog Mail waiting to be sent.\n"
	    "# TYPE tobmen_outbox_backlog gauge\n"
	    "tobmen_outbox_backlog 3\n"));
	assert_true(exposition_valid(text));
	free(text);
}

static void
test_label_escaping(void **state)
{
	char	*text;

	(void)state;
	metrics_reset();
	metrics_http_observe("/a\"b\\c", "get", 999, -1);
	text = render();
	assert_non_null(strstr(text, "tobmen_http_requests_total{route=\""
	    "/a\\\"b\\\\c\",method=\"OTHER\",status=\"0\"} 1\n"));
	assert_non_null(strstr(text, "le=\"0.005\"} 1\n"));
	free(text);
}

static void
test_cap(void **state)
{
	struct buf	b;

	(void)state;
	metrics_reset();
	metrics_http_observe("/x", "GET", 200, 0.1);
	buf_init(&b, 300);
	assert_int_equal(buf_puts(&b, "keep"), 0);
	assert_int_equal(metrics_render(&b), -1);
	assert_string_equal(buf_cstr(&b), "keep");
	buf_release(&b);
	metrics_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_store_errors_and_gauges),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
