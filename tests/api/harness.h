/*
 * harness.h - the API test harness: HTTP against a running tobmen server.
 *
 * The harness starts nothing: tests/api/run.sh starts the server (with
 * --test-clock, on a free port) and hands its base URL in TOBMEN_TEST_URL.
 * A test is a function registered with TEST(name); it makes requests with
 * api_request() and checks them with the EXPECT macros.  A failed EXPECT
 * records file, line and what differed, and ends that test; the run goes
 * on with the next one.  Responses belong to the harness and are freed
 * when the test ends, so a test that stops early leaks nothing.
 *
 * Output: "ok N - name", "FAIL N - name" plus the reasons, "skip N - name"
 * and finally "N passed, N failed" (", N skipped" when some were skipped).
 * With TOBMEN_TEST_RECORD=FILE every answer of api_request() is also
 * appended to FILE, one JSON line each (tests/openapi checks them).
 * Not thread safe: tests run one after another.
 */
#ifndef TOBMEN_TESTS_API_HARNESS_H
#define TOBMEN_TESTS_API_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

struct api_resp {
	long		 status;	/* 0 when the request failed */
	char		*headers;	/* final header block, raw */
	char		*body;		/* NUL-terminated */
	size_t		 len;
	json_t		*json;		/* body parsed, or NULL */
	double		 seconds;	/* time taken */
	char		 error[256];	/* transport error, or "" */
};

/* A raw exchange over one TCP connection (api_raw). */
struct api_raw_resp {
	long		 status;	/* from the status line, 0 if none */
	char		*text;		/* everything received */
	size_t		 len;
	json_t		*json;		/* the body parsed, or NULL */
	double		 seconds;	/* from connect to close or timeout */
	bool		 timed_out;
};

typedef void (*api_test_fn)(void);

/* Adds a test; used by TEST(), which runs it before main. */
void	api_register(const char *name, api_test_fn fn, const char *file);

#define TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void			\
	register_##name(void)						\
	{								\
		api_register(#name, test_##name, __FILE__);		\
	}								\
	static void							\
	test_##name(void)

/* The server's base URL ("http://127.0.0.1:PORT") and store name
 * ("sqlite" or "postgres", from TOBMEN_TEST_STORE). */
const char	*api_base_url(void);
const char	*api_store(void);

/*
 * Sends method path (relative to the base URL) with the extra headers
 * (a NULL-terminated list of "Name: value", may be NULL) and body (len
 * bytes, may be NULL).  Never returns NULL: a transport failure gives
 * status 0 and the reason in error.  The response is freed when the test
 * ends.
 */
struct api_resp	*api_request(const char *method, const char *path,
		    const char *const *headers, const char *body, size_t len);
/* GET path. */
struct api_resp	*api_get(const char *path);
/* method path with a JSON body ("Content-Type: application/json"). */
struct api_resp	*api_send_json(const char *method, const char *path,
		    const char *json);

/* The value of the first header called name (any case) in r, or NULL. */
const char	*api_header(const struct api_resp *r, const char *name);
/* error.code of a JSON error body, or NULL. */
const char	*api_error_code(const struct api_resp *r);

/*
 * Connects to the server, sends head (all of it), then up to body_len
 * bytes of body_byte as far as the server takes them, then reads until
 * the server closes or timeout_ms passes.  For requests curl would not
 * send: a huge Content-Length with a short body.  Freed when the test
 * ends.
 */
struct api_raw_resp *api_raw(const char *head, size_t body_len,
		    char body_byte, int timeout_ms);

/* A NUL-terminated heap string the harness frees when the test ends. */
char	*api_strdup_printf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* Hands p (from malloc) to the harness to free when the test ends. */
void	*api_keep(void *p);

/* Records a failure of the running test; for the macros below. */
void	api_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Marks the running test skipped with a reason; for SKIP(). */
void	api_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Short printable excerpt of a response body, for failure messages. */
const char	*api_excerpt(const char *s);

/* Ends the test as failed unless cond holds. */
#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			api_fail(__FILE__, __LINE__, "%s", #cond);	\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed unless the integers compare as op says. */
#define EXPECT_INT(a, op, b)						\
	do {								\
		long long a_ = (long long)(a);				\
		long long b_ = (long long)(b);				\
		if (!(a_ op b_)) {					\
			api_fail(__FILE__, __LINE__,			\
			    "%s %s %s: %lld vs %lld", #a, #op, #b,	\
			    a_, b_);					\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed unless r has the status; shows the body. */
#define EXPECT_STATUS(r, code)						\
	do {								\
		const struct api_resp *r_ = (r);			\
		if (r_->status != (code)) {				\
			api_fail(__FILE__, __LINE__,			\
			    "status %ld, want %d%s%s; body: %s",	\
			    r_->status, (code),				\
			    r_->error[0] ? "; " : "", r_->error,	\
			    api_excerpt(r_->body));			\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed unless the strings are equal (NULL-safe). */
#define EXPECT_STR(a, b)						\
	do {								\
		const char *a_ = (a), *b_ = (b);			\
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {	\
			api_fail(__FILE__, __LINE__,			\
			    "%s == %s: \"%s\" vs \"%s\"", #a, #b,	\
			    a_ ? a_ : "(null)", b_ ? b_ : "(null)");	\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed unless hay contains needle (NULL-safe). */
#define EXPECT_HAS(hay, needle)						\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (h_ == NULL || strstr(h_, n_) == NULL) {		\
			api_fail(__FILE__, __LINE__,			\
			    "%s contains \"%s\": got \"%s\"", #hay, n_,	\
			    api_excerpt(h_));				\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed if hay contains needle. */
#define EXPECT_LACKS(hay, needle)					\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (h_ != NULL && strstr(h_, n_) != NULL) {		\
			api_fail(__FILE__, __LINE__,			\
			    "%s must not contain \"%s\": got \"%s\"",	\
			    #hay, n_, api_excerpt(h_));			\
			return;						\
		}							\
	} while (0)

/* Ends the test as failed unless r is the error shape of DESIGN.md with
 * this status and error.code. */
#define EXPECT_ERROR(r, code, errcode)					\
	do {								\
		EXPECT_STATUS((r), (code));				\
		EXPECT_STR(api_error_code(r), (errcode));		\
		EXPECT(json_is_string(json_object_get(			\
		    json_object_get((r)->json, "error"), "message")));	\
	} while (0)

/* Ends the test as skipped, with a reason. */
#define SKIP(...)							\
	do {								\
		api_skip(__VA_ARGS__);					\
		return;							\
	} while (0)

/* Runs the registered tests whose name contains filter (all if NULL);
 * prints the results; returns the number that failed. */
int	api_run(const char *filter);

#endif
