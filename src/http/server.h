/*
 * server.h - the HTTP server: libmicrohttpd with epoll and a thread pool.
 *
 * Owns listening, connection limits, body caps, security headers, request
 * ids, access logging and metrics.  Requests under /api/ and the operations
 * endpoints go to the router; any other GET is served from the embedded
 * web assets (assets.h).
 */
#ifndef TOBMEN_HTTP_SERVER_H
#define TOBMEN_HTTP_SERVER_H

#include <stdbool.h>

#include "core/config.h"
#include "core/err.h"
#include "http/router.h"

struct http_server;

/* Starts listening on cfg->listen with r's routes; app is handed to every
 * handler through http_req_app.  The router must outlive the server.
 * Returns NULL with e filled (address in use, bad address, ...). */
struct http_server	*http_server_start(const struct config *cfg,
			    const struct http_router *r, void *app,
			    struct err *e);

/* Stops accepting, lets requests in flight finish for up to grace_s
 * seconds, then closes everything and frees s. */
void			 http_server_stop(struct http_server *s, int grace_s);

/* True once http_server_begin_stop was called (for /readyz). */
bool			 http_server_stopping(const struct http_server *s);
void			 http_server_begin_stop(struct http_server *s);

#endif
