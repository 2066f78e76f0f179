/*
 * cli.c - what every subcommand shares: error output, help detection and
 * loading the configuration.
 *
 * Errors reach the user here, once, as "tobmen: <message>"; nothing below
 * cli/ prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"

void
cli_error(const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fputs("tobmen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
cli_wants_help(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

int
cli_unknown_arg(const char *cmd, const char *arg)
{
	cli_error("%s: unknown argument \"%s\" (see tobmen %s --help)", cmd,
	    arg, cmd);
	return CLI_USAGE;
}

int
cli_config(struct config *cfg, int argc, char **argv, char **envp,
    int *rest, int *nrest)
{
	enum log_format	fmt;
	enum log_level	lvl;
	struct err	e;

	err_clear(&e);
	if (config_load(cfg, argc, argv, envp, rest, nrest, &e) == -1) {
		cli_error("%s", e.msg);
		return strcmp(e.id, "missing_value") == 0 ? CLI_USAGE :
		    CLI_FAIL;
	}

	/* Both were checked against their choices when set. */
	if (log_format_parse(cfg->log_format, &fmt) == -1)
		fmt = LOG_LOGFMT;
	if (log_level_parse(cfg->log_level, &lvl) == -1)
		lvl = LOG_INFO;
	log_setup(fmt, lvl);
	return CLI_OK;
}

void
cli_settings_usage(void)
{
	printf("\nSettings, lowest precedence first: built-in defaults, an INI"
	    " file\n(--config PATH or TOBMEN_CONFIG; any section), TOBMEN_NAME"
	    " environment\nvariables, then flags --name VALUE or"
	    " --name=VALUE (dashes or underscores).\n\n");
	config_usage(stdout);
}
