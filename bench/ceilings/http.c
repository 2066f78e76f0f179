/*
 * http.c - the HTTP ceiling: the least a libmicrohttpd server can do.
 *
 *	ceil-http PORT FILE
 *
 * Listens on 127.0.0.1:PORT with the service's daemon settings (epoll,
 * an internal thread pool of one thread per core, 1024 connections).  A
 * GET answers the bytes of FILE (the 200-byte JSON nginx serves too); a
 * POST reads the body (up to 1 MiB), parses it with jansson and answers
 * {"ok":true,"lines":N}.  Runs until SIGTERM or SIGINT; logs nothing.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <jansson.h>
#include <microhttpd.h>

#include "benchlib.h"

#define CEIL_BODY_MAX	(1024 * 1024)

static struct bench_buf	ceil_small;	/* the GET answer */

/* Answers with a copy of text and the JSON content type. */
static enum MHD_Result
ceil_reply(struct MHD_Connection *conn, unsigned int status,
    const char *text, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)text, mode);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Parses the whole body and answers how many lines it held. */
static enum MHD_Result
ceil_post_done(struct MHD_Connection *conn, struct bench_buf *b)
{
	json_error_t	 je;
	json_t		*o;
	char		 out[64];
	int		 n;

	o = json_loadb(b->data, b->len, 0, &je);
	if (o == NULL)
		return ceil_reply(conn, 400, "{\"ok\":false}", 12,
		    MHD_RESPMEM_PERSISTENT);
	n = snprintf(out, sizeof(out), "{\"ok\":true,\"lines\":%zu}",
	    json_array_size(json_object_get(o, "lines")));
	json_decref(o);
	return ceil_reply(conn, 200, out, (size_t)n, MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result
ceil_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **ctx)
{
	struct bench_buf	*b = *ctx;

	(void)cls;
	(void)url;
	(void)version;
	/* The first call only starts the request: answering before its
	 * end makes libmicrohttpd close the connection. */
	if (b == NULL) {
		b = malloc(sizeof(*b));
		if (b == NULL)
			return MHD_NO;
		bench_buf_init(b, CEIL_BODY_MAX);
		*ctx = b;
		return MHD_YES;
	}
	if (strcmp(method, "POST") != 0)
		return ceil_reply(conn, 200, ceil_small.data, ceil_small.len,
		    MHD_RESPMEM_PERSISTENT);
	if (*size > 0) {
		if (b->len + *size > CEIL_BODY_MAX)
			return MHD_NO;
		bench_buf_add(b, data, *size);
		*size = 0;
		return MHD_YES;
	}
	return ceil_post_done(conn, b);
}

/* Frees the body buffer of a finished request. */
static void
ceil_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct bench_buf	*b = *ctx;

	(void)cls;
	(void)conn;
	(void)toe;
	if (b != NULL) {
		bench_buf_release(b);
		free(b);
		*ctx = NULL;
	}
}

/* Reads FILE into the GET answer. */
static void
ceil_load(const char *path)
{
	FILE	*f;
	char	 chunk[4096];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		bench_die("cannot open %s", path);
	bench_buf_init(&ceil_small, 65536);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		bench_buf_add(&ceil_small, chunk, n);
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sa;
	sigset_t		 sigs;
	long			 port, cores;
	int			 sig;

	if (argc != 3)
		bench_die("usage: ceil-http PORT FILE");
	port = bench_arg_long(argv[1], "PORT");
	ceil_load(argv[2]);
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC,
	    (uint16_t)port, NULL, NULL, ceil_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(cores > 1 ? cores : 0),
	    MHD_OPTION_CONNECTION_LIMIT, 1024u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_NOTIFY_COMPLETED, ceil_completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL)
		bench_die("cannot listen on port %ld", port);
	printf("listening on 127.0.0.1:%ld\n", port);
	fflush(stdout);

	while (sigwait(&sigs, &sig) != 0)
		continue;
	MHD_stop_daemon(d);
	bench_buf_release(&ceil_small);
	return 0;
}
