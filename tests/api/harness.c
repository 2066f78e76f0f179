/*
 * harness.c - runs registered API tests against the server named by
 * TOBMEN_TEST_URL and counts the results.
 *
 * Owns the test registry, the per-test list of things to free, the libcurl
 * requests and the raw-socket exchange.  Starts no server and reads no
 * configuration besides TOBMEN_TEST_URL and TOBMEN_TEST_STORE, and
 * TOBMEN_TEST_RECORD (a file to append every answer to, for
 * tests/openapi to check against docs/openapi.yaml).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"

#define BODY_CAP	(64u << 20)	/* a response larger is a bug */
#define RAW_CAP		(1u << 20)
#define REQUEST_TIMEOUT_MS 60000L

struct test {
	const char	*name;
	const char	*file;
	api_test_fn	 fn;
};

struct kept {
	void	*p;
	void	(*release)(void *);
};

enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP };

static struct test	*tests;
static size_t		 ntests, tests_cap;

static struct kept	*kept;
static size_t		 nkept, kept_cap;

static enum outcome	 current;
static char		 reason[2048];

/* Dies with a message; for out of memory in the harness itself. */
static void
harness_die(const char *what)
{
	fprintf(stderr, "api harness: %s\n", what);
	exit(2);
}

static void *
harness_alloc(size_t n)
{
	void *p;

	p = calloc(1, n);
	if (p == NULL)
		harness_die("out of memory");
	return p;
}

void
api_register(const char *name, api_test_fn fn, const char *file)
{
	if (ntests == tests_cap) {
		tests_cap = tests_cap ? tests_cap * 2 : 64;
		tests = realloc(tests, tests_cap * sizeof(*tests));
		if (tests == NULL)
			harness_die("out of memory");
	}
	tests[ntests++] = (struct test){ name, file, fn };
}

/* Remembers p to be released with fn when the running test ends. */
static void
harness_keep(void *p, void (*fn)(void *))
{
	if (nkept == kept_cap) {
		kept_cap = kept_cap ? kept_cap * 2 : 32;
		kept = realloc(kept, kept_cap * sizeof(*kept));
		if (kept == NULL)
			harness_die("out of memory");
	}
	kept[nkept++] = (struct kept){ p, fn };
}

/* Frees everything the finished test left with the harness. */
static void
harness_release_all(void)
{
	while (nkept > 0) {
		nkept--;
		kept[nkept].release(kept[nkept].p);
	}
}

void *
api_keep(void *p)
{
	harness_keep(p, free);
	return p;
}

char *
api_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		harness_die("out of memory");
	return api_keep(s);
}

const char *
api_base_url(void)
{
	const char *u;

	u = getenv("TOBMEN_TEST_URL");
	return u != NULL ? u : "";
}

const char *
api_store(void)
{
	const char *s;

	s = getenv("TOBMEN_TEST_STORE");
	return s != NULL ? s : "sqlite";
}

void
api_fail(const char *file, int line, const char *fmt, ...)
{
	size_t used;
	va_list ap;
	int n;

	if (current == OUT_FAIL)
		return;
	current = OUT_FAIL;
	/* __FILE__ is relative to the build folder: show it from tests/. */
	if (strstr(file, "tests/") != NULL)
		file = strstr(file, "tests/");
	n = snprintf(reason, sizeof(reason), "%s:%d: ", file, line);
	used = n > 0 && (size_t)n < sizeof(reason) ? (size_t)n : 0;
	va_start(ap, fmt);
	vsnprintf(reason + used, sizeof(reason) - used, fmt, ap);
	va_end(ap);
}

void
api_skip(const char *fmt, ...)
{
	va_list ap;

	current = OUT_SKIP;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
}

const char *
api_excerpt(const char *s)
{
	static char out[301];
	size_t i;

	if (s == NULL)
		return "(null)";
	for (i = 0; i < sizeof(out) - 1 && s[i] != '\0'; i++)
		out[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	out[i] = '\0';
	return out;
}

/* A growable byte string with a cap. */
struct grow {
	char	*p;
	size_t	 len, cap, max;
	bool	 over;
};

/* Appends n bytes; past g->max it drops them and sets g->over. */
static void
grow_add(struct grow *g, const char *data, size_t n)
{
	size_t want;

	if (g->len + n > g->max) {
		g->over = true;
		return;
	}
	want = g->len + n + 1;
	if (want > g->cap) {
		g->cap = want > g->cap * 2 ? want : g->cap * 2;
		g->p = realloc(g->p, g->cap);
		if (g->p == NULL)
			harness_die("out of memory");
	}
	memcpy(g->p + g->len, data, n);
	g->len += n;
	g->p[g->len] = '\0';
}

/* Takes the string out of g, never NULL. */
static char *
grow_take(struct grow *g)
{
	char *p;

	if (g->p == NULL)
		return strdup("");
	p = g->p;
	g->p = NULL;
	return p;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	grow_add(arg, data, size * n);
	return size * n;
}

/* Keeps only the last header block: 1xx interim responses come first. */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct grow *g = arg;

	if (size * n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		g->len = 0;
	grow_add(g, data, size * n);
	return size * n;
}

static void
resp_free(void *p)
{
	struct api_resp *r = p;

	free(r->headers);
	free(r->body);
	json_decref(r->json);
	free(r);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Appends the answer r to (method, path) to the file named by
 * TOBMEN_TEST_RECORD, if set, as one JSON line {method, path, status,
 * headers, body}: headers is the raw block, body null when it is not
 * UTF-8 (a gzip answer).  A transport failure is not recorded.
 */
static void
record_answer(const char *method, const char *path, const struct api_resp *r)
{
	const char	*file = getenv("TOBMEN_TEST_RECORD");
	json_t		*o, *body;
	FILE		*f;

	if (file == NULL || file[0] == '\0' || r->status == 0)
		return;
	body = json_stringn(r->body, r->len);
	o = json_pack("{s:s, s:s, s:i, s:s, s:o}", "method", method,
	    "path", path, "status", (int)r->status, "headers", r->headers,
	    "body", body != NULL ? body : json_null());
	if (o == NULL)
		harness_die("cannot record an answer");
	if ((f = fopen(file, "a")) == NULL ||
	    json_dumpf(o, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF ||
	    fclose(f) != 0)
		harness_die("cannot write TOBMEN_TEST_RECORD");
	json_decref(o);
}

/* Sets the method and body on h; curl needs different options for each. */
static void
request_set_method(CURL *h, const char *method, const char *body, size_t len)
{
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
		return;
	}
	if (body != NULL || strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body ? len : 0));
	}
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
}

struct api_resp *
api_request(const char *method, const char *path,
    const char *const *headers, const char *body, size_t len)
{
	struct grow hb = { .max = 1u << 20 }, bb = { .max = BODY_CAP };
	struct curl_slist *hl = NULL;
	struct api_resp *r;
	char *url;
	double t0;
	CURL *h;
	CURLcode rc;

	r = harness_alloc(sizeof(*r));
	harness_keep(r, resp_free);
	url = api_strdup_printf("%s%s", api_base_url(), path);
	h = curl_easy_init();
	if (h == NULL)
		harness_die("curl_easy_init failed");

	/* No "Expect: 100-continue" wait unless a test asks for one. */
	hl = curl_slist_append(hl, "Expect:");
	for (; headers != NULL && *headers != NULL; headers++)
		hl = curl_slist_append(hl, *headers);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &bb);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hb);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* Send paths as written: tests try dot segments on purpose. */
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	request_set_method(h, method, body, len);

	t0 = now_seconds();
	rc = curl_easy_perform(h);
	r->seconds = now_seconds() - t0;
	if (rc != CURLE_OK)
		snprintf(r->error, sizeof(r->error), "%s %s: %s", method, path,
		    curl_easy_strerror(rc));
	else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (bb.over)
		snprintf(r->error, sizeof(r->error), "body over %u bytes",
		    BODY_CAP);

	r->len = bb.len;
	r->body = grow_take(&bb);
	r->headers = grow_take(&hb);
	r->json = json_loadb(r->body, r->len, JSON_DECODE_ANY, NULL);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	record_answer(method, path, r);
	return r;
}

struct api_resp *
api_get(const char *path)
{
	return api_request("GET", path, NULL, NULL, 0);
}

struct api_resp *
api_send_json(const char *method, const char *path, const char *json)
{
	static const char *const hdr[] = {
		"Content-Type: application/json", NULL
	};

	return api_request(method, path, hdr, json, strlen(json));
}

/* Finds header name in a raw header block; the value is copied into a
 * buffer the harness frees with the test. */
static const char *
header_find(const char *block, const char *name)
{
	size_t nlen = strlen(name);
	const char *line, *end, *v;

	for (line = block; line != NULL && *line != '\0'; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
			continue;
		v = line + nlen + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		return api_strdup_printf("%.*s", (int)strcspn(v, "\r\n"), v);
	}
	return NULL;
}

const char *
api_header(const struct api_resp *r, const char *name)
{
	return header_find(r->headers, name);
}

const char *
api_error_code(const struct api_resp *r)
{
	json_t *code;

	code = json_object_get(json_object_get(r->json, "error"), "code");
	return json_string_value(code);
}

/* Opens a TCP connection to the host and port of the base URL. */
static int
raw_connect(void)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char host[256], port[16];
	const char *u = api_base_url();
	int fd = -1;

	if (strncmp(u, "http://", 7) == 0)
		u += 7;
	if (sscanf(u, "%255[^:/]:%15[0-9]", host, port) != 2)
		return -1;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* Sends as much of the body as the socket takes without waiting. */
static void
raw_send_body(int fd, size_t len, char byte)
{
	char chunk[4096];
	ssize_t n;

	memset(chunk, byte, sizeof(chunk));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (len > 0) {
		n = send(fd, chunk, len < sizeof(chunk) ? len : sizeof(chunk),
		    MSG_NOSIGNAL);
		if (n <= 0)
			break;
		len -= (size_t)n;
	}
}

/* Reads until the peer closes, an error, or the deadline. */
static void
raw_read(int fd, struct grow *g, double deadline, bool *timed_out)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[8192];
	ssize_t n;
	int left;

	for (;;) {
		left = (int)((deadline - now_seconds()) * 1000);
		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			*timed_out = true;
			return;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return;
		grow_add(g, buf, (size_t)n);
		if (g->over)
			return;
	}
}

static void
raw_free(void *p)
{
	struct api_raw_resp *r = p;

	free(r->text);
	json_decref(r->json);
	free(r);
}

struct api_raw_resp *
api_raw(const char *head, size_t body_len, char body_byte, int timeout_ms)
{
	struct grow g = { .max = RAW_CAP };
	struct api_raw_resp *r;
	const char *body;
	double t0;
	int fd;

	r = harness_alloc(sizeof(*r));
	harness_keep(r, raw_free);
	t0 = now_seconds();
	fd = raw_connect();
	if (fd < 0) {
		r->text = strdup("");
		return r;
	}

	if (send(fd, head, strlen(head), MSG_NOSIGNAL) == (ssize_t)strlen(head))
		raw_send_body(fd, body_len, body_byte);
	raw_read(fd, &g, t0 + timeout_ms / 1000.0, &r->timed_out);
	close(fd);
	r->seconds = now_seconds() - t0;

	r->len = g.len;
	r->text = grow_take(&g);
	if (sscanf(r->text, "HTTP/%*d.%*d %ld", &r->status) != 1)
		r->status = 0;
	body = strstr(r->text, "\r\n\r\n");
	if (body != NULL)
		r->json = json_loads(body + 4, JSON_DECODE_ANY, NULL);
	return r;
}

/* Runs one test and prints its line; returns its outcome. */
static enum outcome
harness_run_one(const struct test *t, size_t n)
{
	double t0;

	current = OUT_PASS;
	reason[0] = '\0';
	t0 = now_seconds();
	t->fn();
	harness_release_all();

	switch (current) {
	case OUT_PASS:
		printf("ok %zu - %s (%.2fs)\n", n, t->name, now_seconds() - t0);
		break;
	case OUT_SKIP:
		printf("skip %zu - %s: %s\n", n, t->name, reason);
		break;
	case OUT_FAIL:
		printf("FAIL %zu - %s\n  %s\n", n, t->name, reason);
		break;
	}
	fflush(stdout);
	return current;
}

int
api_run(const char *filter)
{
	size_t i, n = 0, passed = 0, failed = 0, skipped = 0;

	for (i = 0; i < ntests; i++) {
		if (filter != NULL && strstr(tests[i].name, filter) == NULL)
			continue;
		switch (harness_run_one(&tests[i], ++n)) {
		case OUT_PASS:
			passed++;
			break;
		case OUT_FAIL:
			failed++;
			break;
		case OUT_SKIP:
			skipped++;
			break;
		}
	}

	if (skipped > 0)
		printf("%zu passed, %zu failed, %zu skipped\n", passed, failed,
		    skipped);
	else
		printf("%zu passed, %zu failed\n", passed, failed);
	/* A sanitizer aborting at exit would drop a buffered summary. */
	fflush(stdout);
	free(tests);
	free(kept);
	tests = NULL;
	kept = NULL;
	ntests = tests_cap = nkept = kept_cap = 0;
	return (int)failed;
}
