/*
 * admin_licence.h - the "licence" branch of "tobmen admin" (operator's
 * licences of the mobile trade app), kept in its own file.
 */
#ifndef TOBMEN_CLI_ADMIN_LICENCE_H
#define TOBMEN_CLI_ADMIN_LICENCE_H

#include "core/config.h"

/*
 * Runs "tobmen admin licence ..." with args[0..n) the words after
 * "licence" (settings already taken out by cli_config).  Returns the
 * exit status (enum cli_exit); the reason of a failure is printed.
 */
int	admin_licence(const struct config *cfg, int n, char **args);

#endif
