/*
 * hold.c - opens many keep-alive connections and keeps them open.
 *
 *	bench-hold PORT PATH N SECONDS
 *
 * Opens N connections to 127.0.0.1:PORT, sends GET PATH on each and
 * reads the answer, so each is a live keep-alive connection the server
 * has served, then prints "open=N" and holds them for SECONDS (or until
 * SIGTERM).  Before closing it asks again on each and prints
 * "alive=N": the connections the server kept all along.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "benchlib.h"

#define HOLD_MAX	20000

static volatile sig_atomic_t	hold_stop;

static void
hold_signal(int sig)
{
	(void)sig;
	hold_stop = 1;
}

/* Reads one answer on fd; 0 if it came whole and keeps the connection
 * open, -1 otherwise. */
static int
hold_read(int fd)
{
	char	 buf[8192], *end, *cl;
	size_t	 have = 0, want;
	ssize_t	 n;

	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (have == sizeof(buf) - 1)
			return -1;
	}
	if (strncmp(buf, "HTTP/1.1 2", 10) != 0 ||
	    strcasestr(buf, "\r\nConnection: close") != NULL ||
	    (cl = strcasestr(buf, "\r\nContent-Length:")) == NULL)
		return -1;
	want = (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10);
	while (have < want) {
		n = read(fd, buf, sizeof(buf) < want - have ?
		    sizeof(buf) : want - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
	}
	return 0;
}

/* Sends the request on fd and reads its answer. */
static int
hold_ask(int fd, const char *req)
{
	size_t	len = strlen(req);

	if (write(fd, req, len) != (ssize_t)len)
		return -1;
	return hold_read(fd);
}

/* Opens one connection and asks once; the socket, or -1. */
static int
hold_open(const struct sockaddr_in *sa, const char *req)
{
	int	fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == -1 ||
	    hold_ask(fd, req) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static int		fds[HOLD_MAX];
	struct sockaddr_in	sa;
	struct rlimit		rl;
	char			req[1024];
	long			n, i, open_n = 0, alive = 0;
	double			t0, limit;

	if (argc != 5)
		bench_die("usage: bench-hold PORT PATH N SECONDS");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)bench_arg_long(argv[1], "PORT"));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = bench_arg_long(argv[3], "N");
	limit = bench_arg_double(argv[4], "SECONDS");
	if (n > HOLD_MAX)
		bench_die("at most %d connections", HOLD_MAX);
	rl.rlim_cur = rl.rlim_max = (rlim_t)n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno != EPERM)
		bench_die("cannot raise the open file limit");
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: keep-alive\r\n\r\n", argv[2]);
	signal(SIGTERM, hold_signal);
	signal(SIGINT, hold_signal);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < n; i++)
		if ((fds[i] = hold_open(&sa, req)) != -1)
			open_n++;
	printf("open=%ld\n", open_n);
	fflush(stdout);

	t0 = bench_now();
	while (!hold_stop && bench_now() - t0 < limit)
		usleep(50000);
	for (i = 0; i < n; i++) {
		if (fds[i] == -1)
			continue;
		if (hold_ask(fds[i], req) == 0)
			alive++;
		close(fds[i]);
	}
	printf("alive=%ld\n", alive);
	return 0;
}
