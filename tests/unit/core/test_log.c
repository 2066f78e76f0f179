/*
 * test_log.c - log lines: key order, levels, and escaping that keeps any
 * value on one line in both formats.  stderr is captured through a pipe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/log.h"

struct capture {
	int	pipe[2];
	int	saved;
};

/* Points stderr at a fresh pipe. */
static void
capture_start(struct capture *c)
{
	assert_int_equal(pipe(c->pipe), 0);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(c->pipe[1], STDERR_FILENO) >= 0);
	close(c->pipe[1]);
}

/* Restores stderr and returns what was written (caller frees). */
static char *
capture_end(struct capture *c)
{
	char	*out;
	size_t	 len = 0;
	ssize_t	 n;

	assert_true(dup2(c->saved, STDERR_FILENO) >= 0);
	close(c->saved);
	out = malloc(256 * 1024);
	assert_non_null(out);
	while ((n = read(c->pipe[0], out + len, 256 * 1024 - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(c->pipe[0]);
	return out;
}

/* Counts newlines in s. */
static int
count_lines(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_logfmt_escaping(void **state)
{
	struct capture	 c;
	char		*out;

	(void)state;
	log_setup(LOG_LOGFMT, LOG_INFO);
	log_context("req-1", "42");
	capture_start(&c);
	log_event(LOG_WARN, "test.event", "plain", "abc", "evil",
	    "x\" level=error event=forged\nts=0 \\ end", "empty", "",
	    "null", NULL, "ctl", "a\x01" "b\tc\r", NULL);
	out = capture_end(&c);
	log_context(NULL, NULL);

	assert_int_equal(count_lines(out), 1);
	assert_int_equal(strncmp(out, "ts=", 3), 0);
	assert_non_null(strstr(out, "Z level=warn event=test.event req=req-1"
	    " company=42 plain=abc evil=\"x\\\" level=error event=forged\\nts=0"
	    " \\\\ end\" empty=\"\" null=\"\" ctl=\"a\\u0001b\\tc\\r\"\n"));
	free(out);
}

static void
test_json_roundtrip(void **state)
{
	struct capture	 c;
	const char	*key;
	json_t		*obj, *v;
	json_error_t	 jerr;
	char		*out;
	const char	*evil = "line1\nline2 \"quoted\" \\ \x7f \xd0\xaf";
	const char	*order[] = { "ts", "level", "event", "req", "k", NULL };
	void		*iter;
	int		 i;

	(void)state;
	log_setup(LOG_JSON, LOG_DEBUG);
	log_context("r2", NULL);
	capture_start(&c);
	log_event(LOG_DEBUG, "test.json", "k", evil, NULL);
	out = capture_end(&c);
	log_context(NULL, NULL);
	log_setup(LOG_LOGFMT, LOG_INFO);

	assert_int_equal(count_lines(out), 1);
	obj = json_loads(out, 0, &jerr);
	if (obj == NULL)
		fail_msg("not JSON: %s: %s", jerr.text, out);
	assert_string_equal(json_string_value(json_object_get(obj, "k")),
	    evil);
	assert_string_equal(json_string_value(json_object_get(obj, "level")),
	    "debug");
	assert_null(json_object_get(obj, "company"));

	iter = json_object_iter(obj);
	for (i = 0; order[i] != NULL; i++) {
		assert_non_null(iter);
		key = json_object_iter_key(iter);
		assert_string_equal(key, order[i]);
		v = json_object_iter_value(iter);
		assert_true(json_is_string(v));
		iter = json_object_iter_next(obj, iter);
	}
	json_decref(obj);
	free(out);
}

static void
test_levels(void **state)
{
	struct capture	 c;
	char		*out;

	(void)state;
	log_setup(LOG_LOGFMT, LOG_WARN);
	assert_false(log_enabled(LOG_INFO));
	assert_true(log_enabled(LOG_ERROR));
	capture_start(&c);
	log_event(LOG_INFO, "test.hidden", NULL);
	log_event(LOG_ERROR, "test.shown", NULL);
	out = capture_end(&c);
	log_setup(LOG_LOGFMT, LOG_INFO);

	assert_null(strstr(out, "test.hidden"));
	assert_non_null(strstr(out, "level=error event=test.shown\n"));
	assert_int_equal(count_lines(out), 1);
	free(out);
}

static void
test_bad_utf8_and_keys(void **state)
{
	struct capture	 c;
	char		*out;

	(void)state;
	log_setup(LOG_LOGFMT, LOG_INFO);
	capture_start(&c);
	log_event(LOG_INFO, "test.utf8", "bad", "a\xff\xc0\xafz", "ru",
	    "\xd0\x9f\xd1\x80\xd0\xb8", "k=ey x", "v", NULL);
	out = capture_end(&c);

	assert_non_null(strstr(out, " bad=a\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbdz "));
	assert_non_null(strstr(out, " ru=\xd0\x9f\xd1\x80\xd0\xb8"));
	assert_non_null(strstr(out, " k_ey_x=v\n"));
	free(out);
}

static void
test_long_value(void **state)
{
	struct capture	 c;
	char		*out, *big;

	(void)state;
	big = malloc(10000);
	assert_non_null(big);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	log_setup(LOG_LOGFMT, LOG_INFO);
	capture_start(&c);
	log_event(LOG_INFO, "test.long", "big", big, "after", "1", NULL);
	out = capture_end(&c);

	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "a...\" after=1\n"));
	assert_true(strlen(out) < 4200);
	free(out);
	free(big);
}

/* Reads what the pipe holds within ms milliseconds into out (appending). */
static void
capture_poll(struct capture *c, char *out, size_t cap, int ms)
{
	struct pollfd	p = { .fd = c->pipe[0], .events = POLLIN };
	size_t		len = strlen(out);
	ssize_t		n;

	if (poll(&p, 1, ms) <= 0)
		return;
	n = read(c->pipe[0], out + len, cap - 1 - len);
	if (n > 0)
		out[len + (size_t)n] = '\0';
}

static void
test_buffered(void **state)
{
	struct capture	 c;
	char		*out, got[4096] = "";
	char		 big[3000];
	int		 i;

	(void)state;
	log_setup(LOG_LOGFMT, LOG_INFO);
	capture_start(&c);
	assert_int_equal(log_buffer_start(), 0);

	/* A warning writes out what is held first: order is kept. */
	log_event(LOG_INFO, "test.one", NULL);
	log_event(LOG_INFO, "test.two", NULL);
	log_event(LOG_WARN, "test.three", NULL);
	while (strstr(got, "test.three") == NULL &&
	    strlen(got) < sizeof(got) - 256)
		capture_poll(&c, got, sizeof(got), 5000);
	assert_non_null(strstr(got, "event=test.one\n"));
	assert_true(strstr(got, "test.one") < strstr(got, "test.two"));
	assert_true(strstr(got, "test.two") < strstr(got, "test.three"));

	/* Held lines go out by themselves, without a stop. */
	log_event(LOG_INFO, "test.four", NULL);
	for (i = 0; i < 50 && strstr(got, "test.four") == NULL; i++)
		capture_poll(&c, got, sizeof(got), 100);
	assert_non_null(strstr(got, "event=test.four\n"));

	/* More than the buffer holds (but less than a pipe), and the rest
	 * at the stop. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 14; i++)
		log_event(LOG_INFO, "test.big", "v", big, NULL);
	log_event(LOG_INFO, "test.last", NULL);
	log_buffer_stop();
	log_event(LOG_INFO, "test.after", NULL);
	out = capture_end(&c);

	assert_int_equal(count_lines(out), 16);
	assert_non_null(strstr(out, "event=test.last\nts="));
	assert_non_null(strstr(out, "event=test.after\n"));
	assert_null(strstr(out, "test.four"));
	free(out);
}

static void
test_parse(void **state)
{
	enum log_level	l;
	enum log_format	f;

	(void)state;
	assert_int_equal(log_level_parse("warn", &l), 0);
	assert_int_equal(l, LOG_WARN);
	assert_int_equal(log_level_parse("verbose", &l), -1);
	assert_int_equal(log_format_parse("json", &f), 0);
	assert_int_equal(f, LOG_JSON);
	assert_int_equal(log_format_parse("xml", &f), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logfmt_escaping),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_bad_utf8_and_keys),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_buffered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
