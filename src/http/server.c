/*
 * server.c - the libmicrohttpd daemon and the life of each request on it.
 *
 * Owns the daemon (epoll, internal thread pool, connection limits), the
 * per-request state from the first header callback to the completion
 * notice, the body cap, routing and the static fallback, the access log
 * line and the metrics.  Handlers never see libmicrohttpd.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "core/log.h"
#include "core/metrics.h"
#include "core/xmalloc.h"
#include "http/assets.h"
#include "http/internal.h"
#include "http/server.h"

/*
 * A body without Content-Length (chunked) that passes body_max cannot be
 * answered at once: libmicrohttpd 0.9.75 takes a response only before the
 * body or after all of it.  So the rest is read and thrown away, up to
 * this many bytes, and then answered 413; a longer one is cut off by
 * closing the connection, so nobody can make us read without end.
 * XXX: that client sees a reset, not a 413 (docs/KNOWN_ISSUES.md).
 */
#define SERVER_DISCARD_MAX	((size_t)16 * 1024 * 1024)

struct http_server {
	struct MHD_Daemon	*daemon;
	const struct config	*cfg;
	const struct http_router *router;
	void			*app;
	int			 listen_fd;
	bool			 quiesced;	/* we own listen_fd again */
	atomic_int		 inflight;
	atomic_int		 parked;	/* suspended, not resumed */
	atomic_bool		 stopping;
};

static int64_t
server_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* True if s is 1 to 64 characters of [A-Za-z0-9_-]. */
static bool
server_id_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_");
	return n > 0 && n <= 64 && s[n] == '\0';
}

/*
 * The next request id of this thread: a splitmix64 sequence from a seed
 * the kernel gives each thread once.  Ids only tell requests apart in
 * logs and answers; they guard nothing, so they need no fresh kernel
 * randomness per request (one getrandom(2) per request was a tenth of
 * the system calls of a small GET).
 */
static uint64_t
server_next_id(void)
{
	static _Thread_local uint64_t	state;
	static _Thread_local bool	seeded;
	uint64_t			z;

	if (!seeded) {
		if (getrandom(&state, sizeof(state), 0) !=
		    (ssize_t)sizeof(state))
			abort();	/* the kernel's generator cannot fail */
		seeded = true;
	}

	z = (state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Takes a sane X-Request-Id from the client, or makes 16 hex digits. */
static void
server_request_id(struct http_req *req)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*in;
	uint64_t		 v;
	int			 i;

	in = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	    "X-Request-Id");
	if (server_id_ok(in)) {
		snprintf(req->id, sizeof(req->id), "%s", in);
		return;
	}
	v = server_next_id();
	for (i = 15; i >= 0; i--, v >>= 4)
		req->id[i] = hex[v & 0xf];
	req->id[16] = '\0';
}

static void
server_client_ip(struct http_req *req)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(req->ip, sizeof(req->ip), "?");
	ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    req->ip, sizeof(req->ip));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, req->ip,
		    sizeof(req->ip));
}

static struct http_req *
server_req_new(struct http_server *s, struct MHD_Connection *conn,
    const char *url, const char *method)
{
	struct arena *a = arena_new();
	struct http_req *req;

	req = arena_alloc(a, sizeof(*req));
	req->arena = a;
	req->server = s;
	req->conn = conn;
	req->cfg = s->cfg;
	req->app = s->app;
	req->method = arena_strdup(a, method);
	req->path = arena_strdup(a, url);
	req->route = "unmatched";
	req->start_ns = server_now_ns();
	buf_init(&req->body, s->cfg->body_max);
	server_request_id(req);
	server_client_ip(req);
	atomic_fetch_add(&s->inflight, 1);
	return req;
}

static void
server_req_free(struct http_req *req)
{
	if (req->resp != NULL)
		MHD_destroy_response(req->resp);
	json_decref(req->json);
	buf_release(&req->body);
	arena_free(req->arena);
}

/* The declared body length; 0 when absent or unreadable. */
static uint64_t
server_content_length(const struct http_req *req)
{
	const char *v;
	char *end;
	unsigned long long n;

	v = http_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (v == NULL)
		return 0;
	n = strtoull(v, &end, 10);
	return end != v ? (uint64_t)n : 0;
}

static bool
server_has_body(const struct http_req *req)
{
	return server_content_length(req) > 0 ||
	    http_req_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* True for "application/json", with or without parameters. */
static bool
server_is_json(const char *ctype)
{
	size_t n;

	if (ctype == NULL)
		return false;
	n = strcspn(ctype, ";");
	while (n > 0 && (ctype[n - 1] == ' ' || ctype[n - 1] == '\t'))
		n--;
	return n == 16 && strncasecmp(ctype, "application/json", 16) == 0;
}

static bool
server_is_api(const char *path)
{
	return strncmp(path, "/api", 4) == 0 &&
	    (path[4] == '/' || path[4] == '\0');
}

static void
server_too_large(struct http_req *req)
{
	http_reply_fail(req, ERR_TOOLARGE, "body_too_large",
	    "The request body is larger than %zu bytes.", req->cfg->body_max);
}

/* A path no route takes: the cabinet's files, or 404 / 405. */
static void
server_static(struct http_req *req)
{
	const struct asset *a = NULL;
	bool get = strcmp(req->method, "GET") == 0 ||
	    strcmp(req->method, "HEAD") == 0;

	if (!server_is_api(req->path))
		a = assets_resolve(req->path);
	if (a == NULL) {
		http_reply_fail(req, ERR_NOTFOUND, "not_found",
		    "There is no page or endpoint at this address.");
		return;
	}
	if (!get) {
		req->allow = "GET, HEAD";
		http_reply_fail(req, ERR_METHOD, "method_not_allowed",
		    "This address only answers GET and HEAD.");
		return;
	}
	req->route = "static";
	assets_reply(req, a);
}

/*
 * Everything that can be decided from the headers alone, decided before
 * any of the body is read: the route, 404 and 405, the body cap and the
 * content type.  Replies at once when the request cannot succeed.
 */
static void
server_headers(struct http_server *s, struct http_req *req)
{
	enum err_code rc;

	rc = http_router_match(s->router, req->method, req->path,
	    req->arena, &req->match);
	if (rc == ERR_NONE) {
		req->matched = true;
		req->route = req->match.pattern;
	}

	if (server_content_length(req) > s->cfg->body_max) {
		req->body_over = true;
		server_too_large(req);
	} else if (rc == ERR_METHOD) {
		req->allow = arena_strdup(req->arena, req->match.allow);
		http_reply_fail(req, ERR_METHOD, "method_not_allowed",
		    "This endpoint does not answer %s.", req->method);
	} else if (rc != ERR_NONE)
		server_static(req);
	else if ((req->match.flags & HTTP_JSON_BODY) && server_has_body(req) &&
	    !server_is_json(http_req_header(req,
	    MHD_HTTP_HEADER_CONTENT_TYPE)))
		http_reply_fail(req, ERR_UNSUPPORTED, "unsupported_media_type",
		    "The body must be JSON (Content-Type: application/json).");
}

/*
 * Hands a ready response to libmicrohttpd.  Before the whole request has
 * arrived libmicrohttpd may refuse it; then it is kept and queued at the
 * end (final), and only a refusal then closes the connection.
 */
static enum MHD_Result
server_flush(struct http_req *req, bool final)
{
	if (req->queued || (req->resp == NULL && !final))
		return MHD_YES;
	req->stopping = atomic_load(&req->server->stopping);
	if (http_reply_queue(req) == 0)
		return MHD_YES;
	return final ? MHD_NO : MHD_YES;
}

static enum MHD_Result
server_upload(struct http_req *req, const char *data, size_t *size)
{
	size_t n = *size;

	*size = 0;
	if (req->queued || req->body_over) {
		req->discarded += n;
		return req->discarded > SERVER_DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (buf_append(&req->body, data, n) == 0)
		return MHD_YES;
	req->body_over = true;
	server_too_large(req);
	return server_flush(req, false);
}

void
http_req_park(struct http_req *req, http_resume_fn fn, void *arg)
{
	assert(req->park_fn == NULL && req->resp == NULL);
	req->park_fn = fn;
	req->park_arg = arg;
	atomic_fetch_add(&req->server->parked, 1);
	MHD_suspend_connection(req->conn);
}

void
http_req_unpark(struct http_req *req)
{
	struct http_server	*s = req->server;

	/* The last touch of req on this thread: once resumed, a server
	 * thread owns it again. */
	MHD_resume_connection(req->conn);
	atomic_fetch_sub(&s->parked, 1);
}

/* Runs the handler, or the continuation of a parked request once it was
 * resumed.  Returns true when the request (now) waits parked. */
static bool
server_dispatch(struct http_req *req)
{
	http_resume_fn	fn = req->park_fn;

	if (fn != NULL) {
		req->park_fn = NULL;
		fn(req, req->park_arg);
	} else if (req->resp == NULL && req->matched) {
		req->match.fn(req);
	}
	return req->park_fn != NULL;
}

/* The whole request is in: run the handler and answer, unless it parked
 * (then libmicrohttpd calls again after http_req_unpark). */
static enum MHD_Result
server_complete(struct http_req *req)
{
	if (req->queued)
		return MHD_YES;
	if (server_dispatch(req))
		return MHD_YES;
	if (req->resp == NULL) {
		log_event(LOG_ERROR, "http.no_reply", "route", req->route,
		    NULL);
		http_reply_fail(req, ERR_INTERNAL, "internal",
		    "The server did not produce an answer.");
	}
	return server_flush(req, true);
}

static enum MHD_Result
server_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct http_server *s = cls;
	struct http_req *req = *ctx;
	enum MHD_Result rc;

	(void)version;
	if (req == NULL) {
		req = server_req_new(s, conn, url, method);
		*ctx = req;
		log_context(req->id, NULL);
		server_headers(s, req);
		/* Answering before the body is read makes libmicrohttpd
		 * close the connection; worth it only to refuse a body. */
		rc = MHD_YES;
		if (server_has_body(req))
			rc = server_flush(req, false);
	} else {
		log_context(req->id, req->company);
		if (*upload_size > 0)
			rc = server_upload(req, upload, upload_size);
		else
			rc = server_complete(req);
	}
	log_context(NULL, NULL);
	return rc;
}

/* A fixed string per method, so metrics keep few, immortal labels. */
static const char *
server_method_label(const char *method)
{
	static const char *const known[] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(method, known[i]) == 0)
			return known[i];
	}
	return "OTHER";
}

static const char *
server_end_name(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return "ok";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "shutdown";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		return "client_abort";
	default:
		return "error";
	}
}

/* One access line per request, whatever became of it. */
/* The path for the access line, unless the route marks it secret (an
 * invitation token in the path): then the pattern stands in for it. */
static const char *
server_log_path(const struct http_req *req)
{
	if (req->matched && (req->match.flags & HTTP_NO_LOG_PATH))
		return req->match.pattern;
	return req->path;
}

/* Writes v in decimal, at least min_digits of them, ending at end (which
 * the caller NUL-terminates); returns where the digits start.  The
 * access line is written for every request, and three snprintf calls
 * parsed their formats each time for three numbers. */
static char *
server_udec(char *end, uint64_t v, int min_digits)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
		min_digits--;
	} while (v > 0 || min_digits > 0);
	return end;
}

static void
server_log_access(const struct http_req *req, int64_t ns,
    enum MHD_RequestTerminationCode toe)
{
	char		 sbuf[24], dbuf[48], bbuf[24];
	char		*status, *dur, *bytes;
	uint64_t	 us = ns > 0 ? (uint64_t)ns / 1000 : 0;

	sbuf[23] = dbuf[47] = bbuf[23] = '\0';
	status = server_udec(sbuf + 23, req->queued && req->status > 0 ?
	    (uint64_t)req->status : 0, 1);
	dur = server_udec(dbuf + 47, us % 1000, 3);
	*--dur = '.';
	dur = server_udec(dur, us / 1000, 1);
	bytes = server_udec(bbuf + 23, req->queued ? req->bytes : 0, 1);
	log_event(LOG_INFO, "http.request", "method", req->method,
	    "route", req->route, "path", server_log_path(req), "status", status,
	    "dur_ms", dur, "bytes", bytes, "ip", req->ip,
	    "end", server_end_name(toe), NULL);
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *req = *ctx;
	int64_t ns;
	double seconds;

	(void)conn;
	if (req == NULL)
		return;
	*ctx = NULL;
	ns = server_now_ns() - req->start_ns;
	seconds = (double)ns / 1e9;

	log_context(req->id, req->company);
	server_log_access(req, ns, toe);
	log_context(NULL, NULL);
	metrics_http_observe(req->route, server_method_label(req->method),
	    req->queued ? req->status : 0, seconds);

	server_req_free(req);
	atomic_fetch_sub(&s->inflight, 1);
}

/* libmicrohttpd's own complaints (bad requests, socket errors). */
static void
server_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	log_event(LOG_WARN, "http.mhd", "msg", msg, NULL);
}

/* Leaves escapes alone: url.c decodes after routing has split the path. */
static size_t
server_unescape_none(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

static unsigned int
server_threads(const struct config *cfg)
{
	long n = cfg->threads;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

static struct MHD_Daemon *
server_daemon(struct http_server *s, unsigned int threads)
{
	const struct config *cfg = s->cfg;
	unsigned int flags = MHD_USE_ITC | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;

	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
	else
		flags |= MHD_USE_AUTO_INTERNAL_THREAD;

	return MHD_start_daemon(flags, 0, NULL, NULL, server_access, s,
	    MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)cfg->per_ip_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->memory_limit,
	    MHD_OPTION_NOTIFY_COMPLETED, server_completed, s,
	    MHD_OPTION_UNESCAPE_CALLBACK, server_unescape_none, NULL,
	    MHD_OPTION_END);
}

struct http_server *
http_server_start(const struct config *cfg, const struct http_router *r,
    void *app, struct err *e)
{
	struct http_server *s;
	unsigned int threads = server_threads(cfg);
	char addr[128], nthreads[16];

	s = xcalloc(1, sizeof(*s));
	s->cfg = cfg;
	s->router = r;
	s->app = app;
	s->listen_fd = http_listen(cfg->listen, addr, sizeof(addr), e);
	if (s->listen_fd < 0)
		goto fail;

	s->daemon = server_daemon(s, threads);
	if (s->daemon == NULL) {
		err_set(e, ERR_INTERNAL, "http_start_failed", "listen",
		    "The HTTP server could not start on %s.", addr);
		close(s->listen_fd);
		goto fail;
	}

	snprintf(nthreads, sizeof(nthreads), "%u", threads);
	log_event(LOG_INFO, "http.listen", "addr", addr, "threads", nthreads,
	    NULL);
	return s;

fail:
	free(s);
	return NULL;
}

bool
http_server_stopping(const struct http_server *s)
{
	return s != NULL && atomic_load(&s->stopping);
}

void
http_server_begin_stop(struct http_server *s)
{
	if (s == NULL || atomic_exchange(&s->stopping, true))
		return;
	/*
	 * Quiescing hands the listening socket back to us.  It may only be
	 * closed after MHD_stop_daemon, but shutting it down now makes new
	 * clients get a refusal at once instead of waiting in the backlog.
	 */
	if (MHD_quiesce_daemon(s->daemon) != MHD_INVALID_SOCKET) {
		s->quiesced = true;
		shutdown(s->listen_fd, SHUT_RDWR);
	}
	log_event(LOG_INFO, "http.stopping", NULL);
}

void
http_server_stop(struct http_server *s, int grace_s)
{
	int64_t deadline;
	char left[16];
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	if (s == NULL)
		return;
	http_server_begin_stop(s);

	/*
	 * A parked request is resumed by work that always ends (a store wait
	 * is bounded by its busy timeout), and stopping the daemon before
	 * would free a connection that work is about to resume: while one
	 * is parked the grace is extended, by a second after the last.
	 */
	deadline = server_now_ns() + (int64_t)grace_s * 1000000000;
	while (atomic_load(&s->inflight) > 0) {
		if (atomic_load(&s->parked) > 0 && server_now_ns() >= deadline)
			deadline = server_now_ns() + 1000000000;
		if (server_now_ns() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	if (atomic_load(&s->inflight) > 0) {
		snprintf(left, sizeof(left), "%d", atomic_load(&s->inflight));
		log_event(LOG_WARN, "http.stop_timeout", "inflight", left,
		    NULL);
	}

	MHD_stop_daemon(s->daemon);
	if (s->quiesced)
		close(s->listen_fd);
	log_event(LOG_INFO, "http.stopped", NULL);
	free(s);
}
