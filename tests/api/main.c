/*
 * main.c - the api_tests program: runs every registered API test against
 * the server at TOBMEN_TEST_URL (started by tests/api/run.sh).
 *
 * Usage: api_tests [FILTER]  runs the tests whose name contains FILTER.
 * Exits 0 when nothing failed, 1 when something did, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "harness.h"

int
main(int argc, char **argv)
{
	int failed;

	if (argc > 2 || getenv("TOBMEN_TEST_URL") == NULL) {
		fprintf(stderr, "usage: TOBMEN_TEST_URL=http://127.0.0.1:PORT "
		    "api_tests [FILTER]\n");
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "api_tests: curl_global_init failed\n");
		return 2;
	}

	failed = api_run(argc == 2 ? argv[1] : NULL);

	curl_global_cleanup();
	return failed > 0 ? 1 : 0;
}
