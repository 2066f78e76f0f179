/*
 * main.c - the tobmen binary: picks a subcommand and runs it.
 *
 * Each subcommand is one row of the table below and one file in src/cli;
 * adding one is a row here and a declaration in cli/cli.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef TOBMEN_VERSION
#error "TOBMEN_VERSION must be defined by the build (meson.build)"
#endif

struct main_command {
	const char	*name;
	int		(*run)(int argc, char **argv, char **envp);
	const char	*summary;
};

static const struct main_command main_commands[] = {
	{ "serve", cli_serve, "run the HTTP service" },
	{ "migrate", cli_migrate, "bring the store's schema up to date" },
	{ "admin", cli_admin, "manage companies and users (operator)" },
	{ "device", cli_device, "act as a mobile trade app (demos, tests)" },
	{ "demo", cli_demo, "fill a store with a living demo network" },
};

/* Prints the list of subcommands to out. */
static void
main_usage(FILE *out)
{
	size_t	i;

	fprintf(out, "usage: tobmen COMMAND [options]\n"
	    "       tobmen --help | --version\n\ncommands:\n");
	for (i = 0; i < sizeof(main_commands) / sizeof(*main_commands); i++)
		fprintf(out, "  %-10s %s\n", main_commands[i].name,
		    main_commands[i].summary);
	fprintf(out, "\nRun \"tobmen COMMAND --help\" for a command's options"
	    " and settings.\n");
}

int
main(int argc, char **argv, char **envp)
{
	const char	*cmd;
	size_t		 i;

	if (argc < 2) {
		main_usage(stderr);
		return CLI_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		main_usage(stdout);
		return CLI_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("tobmen %s\n", TOBMEN_VERSION);
		return CLI_OK;
	}

	for (i = 0; i < sizeof(main_commands) / sizeof(*main_commands); i++) {
		if (strcmp(cmd, main_commands[i].name) == 0)
			return main_commands[i].run(argc - 1, argv + 1, envp);
	}
	cli_error("unknown %s \"%s\" (see tobmen --help)",
	    cmd[0] == '-' ? "option" : "command", cmd);
	return CLI_USAGE;
}
