/*
 * app.h - the process-wide context handed to every request handler.
 *
 * Built by cli/serve.c at start-up and never changed while serving, so
 * handlers read it without locks.
 */
#ifndef TOBMEN_APP_H
#define TOBMEN_APP_H

#include "core/config.h"
#include "store/store.h"

struct exchange_writer;
struct http_server;
struct mail_worker;

struct app {
	const struct config	*cfg;
	struct store		*store;
	struct http_server	*server;	/* for /readyz: stopping? */
	struct mail_worker	*mail;		/* kicked after queuing mail */
	struct exchange_writer	*exchange;	/* uploads' group commits */
};

#endif
