/*
 * serve.c - "tobmen serve": runs the HTTP service until SIGTERM or SIGINT.
 *
 * Start-up order: settings, logging, store (schema checked or migrated),
 * routes, mail worker, upload writer, server; stopping goes in reverse.
 * The termination signals are blocked before any thread exists and taken
 * with sigwait in the main thread, so no handler runs inside a worker.
 * Once logging is set up, failures are reported as one log line each.
 */
#include <assert.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "domain/exchange.h"
#include "http/router.h"
#include "http/server.h"
#include "mail/mail.h"
#include "store/store.h"

struct serve_opts {
	bool	check_config;	/* validate and exit */
	bool	migrate;	/* apply pending migrations first */
};

/* Prints the help of this subcommand. */
static void
serve_usage(void)
{
	printf("usage: tobmen serve [--check-config] [--migrate]"
	    " [settings]\n\n"
	    "Runs the HTTP service (API, cabinet, /healthz, /readyz,"
	    " /metrics)\nuntil SIGTERM or SIGINT, then lets requests in"
	    " flight finish.\n\n"
	    "  --check-config  check the settings and exit: 0 if they are"
	    " valid,\n                  1 with the reason otherwise\n"
	    "  --migrate       apply pending store migrations before"
	    " starting\n");
	cli_settings_usage();
}

/* Reads the arguments that are not settings.  Returns an exit status. */
static int
serve_parse(int argc, char **argv, const int *rest, int nrest,
    struct serve_opts *o)
{
	const char	*arg;
	int		 i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < nrest; i++) {
		assert(rest[i] < argc);
		arg = argv[rest[i]];
		if (strcmp(arg, "--check-config") == 0)
			o->check_config = true;
		else if (strcmp(arg, "--migrate") == 0)
			o->migrate = true;
		else
			return cli_unknown_arg("serve", arg);
	}
	return CLI_OK;
}

/* --check-config: validates without opening anything.  The store URL is
 * checked for its form only; reaching it is left to the real start. */
static int
serve_check_config(const struct config *cfg)
{
	struct err	e;

	err_clear(&e);
	if (config_check(cfg, &e) == -1) {
		cli_error("%s", e.msg);
		return CLI_FAIL;
	}
	printf("configuration is valid\n");
	return CLI_OK;
}

/* Logs a failure of the start-up step named by event.  Without a field,
 * the NULL key ends the pairs early. */
static void
serve_log_error(const char *event, const struct err *e)
{
	log_event(LOG_ERROR, event, "msg", e->msg,
	    e->field[0] != '\0' ? "field" : NULL, e->field, NULL);
}

/* Opens the store, migrating it first if asked, and checks that its
 * schema is the one this binary knows.  Returns NULL after logging. */
static struct store *
serve_store_open(const struct config *cfg, const struct serve_opts *o)
{
	struct store	*st = NULL;
	struct err	 e;
	char		 napplied[16], nversion[16];
	int		 applied = 0;

	err_clear(&e);
	if (store_open(cfg->db, cfg->db_pool, cfg->db_busy_timeout_ms, &st,
	    &e) != STORE_OK) {
		serve_log_error("store.error", &e);
		return NULL;
	}

	if (o->migrate) {
		if (store_migrate(st, &applied, &e) != STORE_OK) {
			serve_log_error("store.error", &e);
			goto fail;
		}
		snprintf(napplied, sizeof(napplied), "%d", applied);
		snprintf(nversion, sizeof(nversion), "%d",
		    store_schema_latest());
		log_event(LOG_INFO, "store.migrate", "applied", napplied,
		    "version", nversion, NULL);
	}

	if (store_schema_check(st, &e) != STORE_OK) {
		serve_log_error("store.schema", &e);
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

/* Waits for SIGTERM or SIGINT (blocked in sigs) and logs which came. */
static void
serve_wait(const sigset_t *sigs)
{
	int	sig = 0;

	while (sigwait(sigs, &sig) != 0)
		continue;
	log_event(LOG_INFO, "server.stopping", "signal",
	    sig == SIGTERM ? "TERM" : "INT", NULL);
}

/* Announces the running server in the log and on stdout. */
static void
serve_announce(const struct config *cfg)
{
	char	*url;

	url = config_listen_url(cfg->listen);
	log_event(LOG_INFO, "server.start", "listen", cfg->listen, "url",
	    url, "public_url", cfg->public_url, "version", TOBMEN_VERSION,
	    NULL);
	printf("tobmen is listening on %s/\n", url != NULL ? url :
	    cfg->listen);
	fflush(stdout);
	free(url);
}

/* Stops what serve_start started, in reverse order: the server first (no
 * request can queue mail or uploads after it; it waits for parked
 * uploads), then the upload writer, the mail worker, the store. */
static void
serve_stop(struct app *app, struct http_router *router)
{
	if (app->server != NULL) {
		http_server_begin_stop(app->server);
		http_server_stop(app->server, app->cfg->shutdown_grace_s);
		app->server = NULL;
	}
	exchange_writer_stop(app->exchange);
	app->exchange = NULL;
	mail_worker_stop(app->mail);
	app->mail = NULL;
	http_router_free(router);
	store_close(app->store);
	app->store = NULL;
}

/* Runs the server from a checked configuration until a signal stops
 * it.  Returns an exit status. */
static int
serve_run(const struct config *cfg, const struct serve_opts *o,
    const sigset_t *sigs)
{
	struct app		 app = { .cfg = cfg };
	struct http_router	*router;
	struct err		 e;

	err_clear(&e);
	app.store = serve_store_open(cfg, o);
	if (app.store == NULL)
		return CLI_FAIL;
	/* From here info lines may wait a moment, to go out many at once. */
	if (log_buffer_start() != 0)
		log_event(LOG_WARN, "log.unbuffered", "msg", strerror(errno),
		    NULL);
	router = http_router_new();
	api_routes(router);

	app.mail = mail_worker_start(cfg, app.store, &e);
	if (app.mail == NULL) {
		serve_log_error("mail.error", &e);
		serve_stop(&app, router);
		log_buffer_stop();
		return CLI_FAIL;
	}
	app.exchange = exchange_writer_start(app.store, &e);
	if (app.exchange == NULL) {
		serve_log_error("server.error", &e);
		serve_stop(&app, router);
		log_buffer_stop();
		return CLI_FAIL;
	}
	app.server = http_server_start(cfg, router, &app, &e);
	if (app.server == NULL) {
		serve_log_error("server.error", &e);
		serve_stop(&app, router);
		log_buffer_stop();
		return CLI_FAIL;
	}
	serve_announce(cfg);

	serve_wait(sigs);
	serve_stop(&app, router);
	log_event(LOG_INFO, "server.stop", NULL);
	log_buffer_stop();
	return CLI_OK;
}

/* Blocks the termination signals in this thread, and so in every thread
 * started from now on; a broken client pipe must not kill the process. */
static void
serve_block_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
cli_serve(int argc, char **argv, char **envp)
{
	struct config		  cfg;
	struct serve_opts	  o;
	struct err		  e;
	sigset_t		  sigs;
	int			 *rest, nrest, rc;

	if (cli_wants_help(argc, argv)) {
		serve_usage();
		return CLI_OK;
	}

	rest = xcalloc((size_t)argc, sizeof(*rest));
	rc = cli_config(&cfg, argc, argv, envp, rest, &nrest);
	if (rc == CLI_OK)
		rc = serve_parse(argc, argv, rest, nrest, &o);
	if (rc != CLI_OK)
		goto release;
	if (o.check_config) {
		rc = serve_check_config(&cfg);
		goto release;
	}

	err_clear(&e);
	if (config_check(&cfg, &e) == -1) {
		serve_log_error("config.error", &e);
		rc = CLI_FAIL;
		goto release;
	}
	serve_block_signals(&sigs);
	/*
	 * Without glibc's fast bins: each request frees many small blocks,
	 * and the next block of a kilobyte or more then paid to merge them
	 * all (malloc_consolidate, 3% of an upload's time).  The per-thread
	 * cache still serves the small ones.
	 */
	mallopt(M_MXFAST, 0);
	rc = serve_run(&cfg, &o, &sigs);
release:
	config_release(&cfg);
	free(rest);
	return rc;
}
