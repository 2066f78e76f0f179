/*
 * listen.c - turning the "listen" setting into a listening socket.
 *
 * The socket is made here rather than by libmicrohttpd so that a failure
 * says exactly what went wrong (address in use, no such address) and so
 * that IPv4 and IPv6 take the same path.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/internal.h"

/* Splits spec into host and port; "[::1]:80" and "127.0.0.1:80". */
static int
listen_split(const char *spec, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	const char *colon, *h = spec;
	size_t n;

	colon = strrchr(spec, ':');
	if (colon == NULL || colon[1] == '\0')
		return -1;
	n = (size_t)(colon - spec);
	if (n >= 2 && spec[0] == '[' && spec[n - 1] == ']') {
		h = spec + 1;
		n -= 2;
	} else if (memchr(spec, ':', n) != NULL)
		return -1;	/* bare IPv6 needs brackets */
	if (n >= hostlen || strlen(colon + 1) >= portlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	snprintf(port, portlen, "%s", colon + 1);
	if (strcmp(host, "*") == 0)
		host[0] = '\0';
	return 0;
}

/* Writes the socket's bound address as "host:port" or "[host]:port". */
static void
listen_name(int fd, char *addr, size_t addrlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(addr, addrlen, "?");
		return;
	}
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(addr, addrlen, "[%s]:%d", host,
		    ntohs(s6->sin6_port));
		return;
	}
	inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
	snprintf(addr, addrlen, "%s:%d", host, ntohs(s4->sin_port));
}

/* Makes one socket for ai and listens on it; -1 leaves errno set. */
static int
listen_one(const struct addrinfo *ai)
{
	int fd, on = 1, saved;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
http_listen(const char *spec, char *addr, size_t addrlen, struct err *e)
{
	struct addrinfo hints, *res = NULL;
	char host[256], port[16];
	int fd = -1, rc;

	if (spec == NULL || listen_split(spec, host, sizeof(host), port,
	    sizeof(port)) != 0) {
		err_set(e, ERR_INVALID, "bad_listen", "listen",
		    "listen must be HOST:PORT or [IPV6]:PORT, not \"%s\".",
		    spec != NULL ? spec : "");
		return -1;
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc != 0) {
		err_set(e, ERR_INVALID, "bad_listen", "listen",
		    "Cannot resolve listen address %s: %s.", spec,
		    gai_strerror(rc));
		return -1;
	}

	fd = listen_one(res);
	if (fd < 0)
		err_set(e, ERR_UNAVAILABLE, "listen_failed", "listen",
		    "Cannot listen on %s: %s.", spec, strerror(errno));
	else
		listen_name(fd, addr, addrlen);
	freeaddrinfo(res);
	return fd;
}
