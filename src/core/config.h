/*
 * config.h - the service's settings and where they come from.
 *
 * Precedence, lowest first: built-in defaults, the INI file (--config PATH
 * or TOBMEN_CONFIG), TOBMEN_* environment variables, command-line flags.
 * Every setting has one name used in all four places: "listen" is the flag
 * --listen, the variable TOBMEN_LISTEN and the INI key "listen" in any
 * section ([server] listen = ...).  A secret may instead be read from a file
 * named by the same setting with "_file" appended (--smtp-password-file,
 * TOBMEN_SMTP_PASSWORD_FILE); the file's trailing newline is dropped.
 * Strings are owned by the struct and freed by config_release.
 */
#ifndef TOBMEN_CORE_CONFIG_H
#define TOBMEN_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct config {
	/* server */
	char	*listen;		/* "127.0.0.1:8080" */
	char	*public_url;		/* "http://127.0.0.1:8080", no slash */
	int	 threads;		/* MHD thread pool size, 0 = cores */
	int	 max_connections;	/* 1024 */
	int	 per_ip_connections;	/* 256, 0 = no limit */
	int	 timeout_s;		/* idle connection timeout, 30 */
	size_t	 memory_limit;		/* per connection MHD pool, 16 KiB */
	size_t	 body_max;		/* request body, 1 MiB */
	int	 json_depth_max;	/* 32 */
	size_t	 json_array_max;	/* 10000 */
	int	 shutdown_grace_s;	/* wait for requests in flight, 10 */
	bool	 test_clock;		/* expose the movable clock (tests) */

	/* store */
	char	*db;			/* "sqlite:data/tobmen.db", postgres: */
	int	 db_pool;		/* connections, 8 */
	int	 db_busy_timeout_ms;	/* SQLite busy timeout, 5000 */
	char	*data_dir;		/* "data" */

	/* mail */
	char	*smtp_url;		/* "" = write .eml files to mail_dir */
	char	*smtp_user;
	char	*smtp_password;		/* secret: also smtp_password_file */
	char	*mail_from;		/* "tobmen <noreply@localhost>" */
	char	*mail_dir;		/* "data/mail" */
	char	*operator_email;	/* where «Обратная связь» goes */

	/* logging */
	char	*log_format;		/* "logfmt" | "json" */
	char	*log_level;		/* "info" */

	/* accounts */
	int	 session_idle_s;	/* 2 h */
	int	 session_max_s;		/* 12 h */
	int	 session_remember_s;	/* 30 days with «Запомнить меня» */
	int	 hash_parallel;		/* argon2id hashes at once, 2 */
	int	 invite_ttl_s;		/* 7 days */
};

/* Fills cfg with the built-in defaults; release with config_release. */
void	config_init(struct config *cfg);
void	config_release(struct config *cfg);

/* Sets one setting by name ("listen", "db", "smtp_password_file", ...;
 * dashes and underscores are equal).  Returns 0, or -1 with e filled for an
 * unknown name or a bad value. */
int	config_set(struct config *cfg, const char *name, const char *value,
	    struct err *e);

/* Applies an INI file; -1 with e naming the file and line on error (then
 * cfg may hold the settings of the lines before it).  Lines longer than
 * 199 characters are refused. */
int	config_load_ini(struct config *cfg, const char *path, struct err *e);
/* Applies every TOBMEN_<NAME> variable of envp that names a setting. */
int	config_load_env(struct config *cfg, char **envp, struct err *e);

/*
 * Does the whole precedence for a subcommand: defaults, INI (--config or
 * TOBMEN_CONFIG), environment, then the flags of argv that name settings
 * (--name VALUE or --name=VALUE; a true/false setting alone means true).
 * argv[0] is the subcommand's name and is skipped.  Arguments it does not
 * know are left for the caller: their indexes are stored in rest[] (at most
 * argc), their count in *nrest; "--" and everything after it always go
 * there.  When no source names public_url it follows listen.  cfg is
 * initialised here (do not call config_init first) and must be released
 * with config_release, also after a failure.  Returns 0 or -1 with e filled
 * (e->field names the setting).
 */
int	config_load(struct config *cfg, int argc, char **argv, char **envp,
	    int *rest, int *nrest, struct err *e);

/* Checks values that only make sense together (ports, URLs, paths).
 * Returns 0 or -1 with e filled. */
int	config_check(const struct config *cfg, struct err *e);

/* Writes "name: description (default)" for each setting, for --help. */
void	config_usage(FILE *out);

/* Splits listen ("127.0.0.1:8080", "[::1]:8080") into an IP address
 * literal without brackets and a port.  Returns 0 or -1 with e filled. */
int	config_listen_split(const char *listen, char host[64], int *port,
	    struct err *e);
/* Returns "http://HOST:PORT" for reaching listen from this machine (a
 * wildcard address becomes loopback), or NULL if listen is not valid.
 * The caller frees the string. */
char	*config_listen_url(const char *listen);

#endif
