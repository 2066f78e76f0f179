/*
 * cli.h - the subcommands of the tobmen binary and what they share.
 *
 * Each subcommand lives in its own file as cli_<name>(argc, argv, envp),
 * where argv[0] is the subcommand's name, and returns the process exit
 * status: 0 done, 1 failed (the reason already shown once), 2 usage error.
 * Subcommands are registered in the table in src/main.c.
 */
#ifndef TOBMEN_CLI_CLI_H
#define TOBMEN_CLI_CLI_H

#include <stdbool.h>

#include "core/config.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
};

int	cli_serve(int argc, char **argv, char **envp);
int	cli_migrate(int argc, char **argv, char **envp);
int	cli_admin(int argc, char **argv, char **envp);
int	cli_device(int argc, char **argv, char **envp);
int	cli_demo(int argc, char **argv, char **envp);

/* Prints "tobmen: <message>" and a newline on stderr. */
void	cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True if argv asks for --help or -h before any "--". */
bool	cli_wants_help(int argc, char **argv);

/*
 * Loads the configuration for subcommand argv[0] (config_load) and sets
 * up logging from it.  Arguments that are not settings are left in
 * rest[0..*nrest) (rest must hold argc entries).  Returns CLI_OK, or
 * CLI_FAIL / CLI_USAGE after printing the reason.  cfg must be released
 * with config_release in every case.
 */
int	cli_config(struct config *cfg, int argc, char **argv, char **envp,
	    int *rest, int *nrest);

/* Prints that argument arg is not understood by subcommand cmd and
 * returns CLI_USAGE. */
int	cli_unknown_arg(const char *cmd, const char *arg);

/* Writes the part of --help shared by every subcommand that reads
 * settings: where they come from, then config_usage. */
void	cli_settings_usage(void);

#endif
