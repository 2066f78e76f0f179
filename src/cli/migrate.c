/*
 * migrate.c - "tobmen migrate": brings the store's schema up to date.
 *
 * Opens the store named by the db setting, applies every pending
 * migration (each in its own transaction) and says how many it applied.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "store/store.h"

/* Prints the help of this subcommand. */
static void
migrate_usage(void)
{
	printf("usage: tobmen migrate [--db URL] [settings]\n\n"
	    "Applies the schema migrations the store lacks, each in its own\n"
	    "transaction, and prints how many were applied.  Running it on an\n"
	    "up-to-date store changes nothing.  A store whose schema is newer\n"
	    "than this binary is refused.\n");
	cli_settings_usage();
}

/* Opens the store, migrates it and reports.  Returns an exit status. */
static int
migrate_run(const struct config *cfg)
{
	struct store	*st = NULL;
	struct err	 e;
	char		 napplied[16], nversion[16];
	int		 applied = 0, version = 0, rc = CLI_FAIL;

	err_clear(&e);
	if (store_open(cfg->db, cfg->db_pool, cfg->db_busy_timeout_ms, &st,
	    &e) != STORE_OK) {
		cli_error("cannot open the store: %s", e.msg);
		return CLI_FAIL;
	}
	if (store_migrate(st, &applied, &e) != STORE_OK) {
		cli_error("migration failed: %s", e.msg);
		goto close;
	}
	if (store_schema_version(st, &version, &e) != STORE_OK) {
		cli_error("cannot read the schema version: %s", e.msg);
		goto close;
	}

	snprintf(napplied, sizeof(napplied), "%d", applied);
	snprintf(nversion, sizeof(nversion), "%d", version);
	log_event(LOG_INFO, "store.migrate", "applied", napplied, "version",
	    nversion, NULL);
	printf("applied %d migration%s; schema version %d\n", applied,
	    applied == 1 ? "" : "s", version);
	rc = CLI_OK;
close:
	store_close(st);
	return rc;
}

int
cli_migrate(int argc, char **argv, char **envp)
{
	struct config	  cfg;
	int		 *rest, nrest, rc;

	if (cli_wants_help(argc, argv)) {
		migrate_usage();
		return CLI_OK;
	}

	rest = xcalloc((size_t)argc, sizeof(*rest));
	rc = cli_config(&cfg, argc, argv, envp, rest, &nrest);
	if (rc != CLI_OK)
		goto release;
	if (nrest > 0) {
		rc = cli_unknown_arg("migrate", argv[rest[0]]);
		goto release;
	}

	rc = migrate_run(&cfg);
release:
	config_release(&cfg);
	free(rest);
	return rc;
}
