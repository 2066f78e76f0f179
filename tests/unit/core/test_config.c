/*
 * test_config.c - settings: defaults, precedence of INI < environment <
 * flags, secrets from files, refused values and the combined checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

#define ARGC(a)	((int)(sizeof(a) / sizeof(*(a))) - 1)

/* Writes text to a new temporary file and returns its malloc'd path. */
static char *
write_temp(const char *text)
{
	char	*path;
	FILE	*f;
	int	 fd;

	path = strdup("/tmp/tobmen-test-config-XXXXXX");
	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Returns a new string formatted like printf (test helper). */
static char *
fmt(const char *f, const char *arg)
{
	char	*s = NULL;

	assert_true(asprintf(&s, f, arg) >= 0);
	return s;
}

/* Loads argv/envp into cfg, expecting success; returns rest count. */
static int
load_ok(struct config *cfg, int argc, char **argv, char **envp, int *rest)
{
	struct err	e;
	int		nrest = -1;

	err_clear(&e);
	if (config_load(cfg, argc, argv, envp, rest, &nrest, &e) != 0)
		fail_msg("config_load failed: %s", e.msg);
	return nrest;
}

/* Loads argv/envp into cfg, expecting failure; fills e. */
static void
load_bad(int argc, char **argv, char **envp, struct err *e)
{
	struct config	cfg;
	int		rest[16], nrest;

	err_clear(e);
	assert_int_equal(config_load(&cfg, argc, argv, envp, rest, &nrest,
	    e), -1);
	assert_int_equal(e->code, ERR_INVALID);
	assert_true(e->msg[0] != '\0');
	config_release(&cfg);
}

static void
test_defaults(void **state)
{
	struct config	cfg;
	struct err	e;

	(void)state;
	config_init(&cfg);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_string_equal(cfg.public_url, "http://127.0.0.1:8080");
	assert_string_equal(cfg.db, "sqlite:data/tobmen.db");
	assert_int_equal(cfg.max_connections, 1024);
	assert_int_equal(cfg.memory_limit, 16 * 1024);
	assert_int_equal(cfg.body_max, 1024 * 1024);
	assert_int_equal(cfg.json_array_max, 10000);
	assert_int_equal(cfg.invite_ttl_s, 7 * 86400);
	assert_false(cfg.test_clock);
	assert_string_equal(cfg.smtp_password, "");
	assert_string_equal(cfg.log_format, "logfmt");

	err_clear(&e);
	assert_int_equal(config_check(&cfg, &e), 0);
	config_release(&cfg);
}

static void
test_precedence(void **state)
{
	struct config	 cfg;
	char		*ini, *cfgflag;
	int		 rest[16];

	(void)state;
	ini = write_temp("; comment\n[server]\nlisten = 127.0.0.1:1001\n"
	    "threads = 3\n[store]\ndb_pool = 4\n[mail]\n"
	    "mail_dir = /tmp/ini-mail\n");
	cfgflag = fmt("--config=%s", ini);

	/* The INI file alone, named by TOBMEN_CONFIG. */
	{
		char	*argv[] = { "serve", NULL };
		char	*envp[] = { "TOBMEN_CONFIG=", NULL };

		envp[0] = fmt("TOBMEN_CONFIG=%s", ini);
		load_ok(&cfg, ARGC(argv), argv, envp, rest);
		assert_string_equal(cfg.listen, "127.0.0.1:1001");
		assert_int_equal(cfg.threads, 3);
		assert_int_equal(cfg.db_pool, 4);
		assert_string_equal(cfg.mail_dir, "/tmp/ini-mail");
		config_release(&cfg);
		free(envp[0]);
	}

	/* The environment beats the INI file. */
	{
		char	*argv[] = { "serve", cfgflag, NULL };
		char	*envp[] = { "TOBMEN_LISTEN=127.0.0.1:1002",
		    "TOBMEN_DB_POOL=5", "HOME=/root", NULL };

		load_ok(&cfg, ARGC(argv), argv, envp, rest);
		assert_string_equal(cfg.listen, "127.0.0.1:1002");
		assert_int_equal(cfg.db_pool, 5);
		assert_int_equal(cfg.threads, 3);
		config_release(&cfg);
	}

	/* Flags beat both, in both spellings and with either separator. */
	{
		char	*argv[] = { "serve", "--listen", "127.0.0.1:1003",
		    cfgflag, "--db_pool=6", "--THREADS", "7", NULL };
		char	*envp[] = { "TOBMEN_LISTEN=127.0.0.1:1002",
		    "TOBMEN_DB_POOL=5", NULL };

		load_ok(&cfg, ARGC(argv), argv, envp, rest);
		assert_string_equal(cfg.listen, "127.0.0.1:1003");
		assert_int_equal(cfg.db_pool, 6);
		assert_int_equal(cfg.threads, 7);
		assert_string_equal(cfg.mail_dir, "/tmp/ini-mail");
		config_release(&cfg);
	}

	unlink(ini);
	free(ini);
	free(cfgflag);
}

static void
test_rest_and_bools(void **state)
{
	struct config	 cfg;
	char		*argv[] = { "serve", "--check-config", "--test-clock",
	    "positional", "--db-busy-timeout-ms=10", "--", "--listen", NULL };
	char		*envp[] = { "TOBMEN_NOT_A_SETTING=x", NULL };
	int		 rest[16], n;

	(void)state;
	n = load_ok(&cfg, ARGC(argv), argv, envp, rest);
	assert_int_equal(n, 4);
	assert_int_equal(rest[0], 1);
	assert_int_equal(rest[1], 3);
	assert_int_equal(rest[2], 5);
	assert_int_equal(rest[3], 6);
	assert_true(cfg.test_clock);
	assert_int_equal(cfg.db_busy_timeout_ms, 10);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	config_release(&cfg);
}

static void
test_sizes(void **state)
{
	struct config	cfg;
	struct err	e;

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_set(&cfg, "body-max", "2M", &e), 0);
	assert_int_equal(cfg.body_max, 2 * 1024 * 1024);
	assert_int_equal(config_set(&cfg, "memory_limit", "128KiB", &e), 0);
	assert_int_equal(cfg.memory_limit, 128 * 1024);
	assert_int_equal(config_set(&cfg, "body_max", "1g", &e), 0);
	assert_int_equal(cfg.body_max, 1024 * 1024 * 1024);
	assert_int_equal(config_set(&cfg, "body_max", "4096", &e), 0);
	assert_int_equal(cfg.body_max, 4096);

	/* Refused values leave the setting as it was. */
	assert_int_equal(config_set(&cfg, "body_max", "2X", &e), -1);
	assert_string_equal(e.field, "body_max");
	assert_non_null(strstr(e.msg, "body_max"));
	assert_int_equal(config_set(&cfg, "body_max", "2G", &e), -1);
	assert_int_equal(config_set(&cfg, "body_max", "-1", &e), -1);
	assert_int_equal(config_set(&cfg, "body_max", "", &e), -1);
	assert_int_equal(cfg.body_max, 4096);
	config_release(&cfg);
}

static void
test_bad_values(void **state)
{
	struct err	e;

	(void)state;
	{
		char	*argv[] = { "serve", "--db-pool", "abc", NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_string_equal(e.field, "db_pool");
		assert_non_null(strstr(e.msg, "db_pool"));
	}
	{
		char	*argv[] = { "serve", "--threads=5000", NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_non_null(strstr(e.msg, "threads"));
	}
	{
		char	*argv[] = { "serve", NULL };
		char	*envp[] = { "TOBMEN_LOG_FORMAT=xml", NULL };

		load_bad(ARGC(argv), argv, envp, &e);
		assert_non_null(strstr(e.msg, "TOBMEN_LOG_FORMAT"));
		assert_non_null(strstr(e.msg, "log_format"));
	}
	{
		char	*argv[] = { "serve", "--timeout-s", "12x", NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_non_null(strstr(e.msg, "timeout_s"));
	}
	{
		char	*argv[] = { "serve", "--test-clock=maybe", NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_non_null(strstr(e.msg, "test_clock"));
	}
	{
		char	*argv[] = { "serve", "--listen", NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_string_equal(e.id, "missing_value");
		assert_non_null(strstr(e.msg, "--listen"));
	}
	{
		char	*argv[] = { "serve", "--config", "/nonexistent/x.ini",
		    NULL };

		load_bad(ARGC(argv), argv, NULL, &e);
		assert_non_null(strstr(e.msg, "/nonexistent/x.ini"));
	}
}

static void
test_ini_errors(void **state)
{
	struct config	 cfg;
	struct err	 e;
	char		*path, want[128];

	(void)state;
	config_init(&cfg);

	path = write_temp("listen = 127.0.0.1:1\n\n[x]\nnot_a_setting = 1\n");
	assert_int_equal(config_load_ini(&cfg, path, &e), -1);
	snprintf(want, sizeof(want), "%s:4: unknown setting", path);
	assert_non_null(strstr(e.msg, want));
	unlink(path);
	free(path);

	path = write_temp("db_pool = 2\nthis line has no equals sign\n");
	assert_int_equal(config_load_ini(&cfg, path, &e), -1);
	snprintf(want, sizeof(want), "%s:2:", path);
	assert_non_null(strstr(e.msg, want));
	unlink(path);
	free(path);

	path = write_temp("[a]\ndb_pool = 0\n");
	assert_int_equal(config_load_ini(&cfg, path, &e), -1);
	snprintf(want, sizeof(want), "%s:2: db_pool", path);
	assert_non_null(strstr(e.msg, want));
	assert_string_equal(e.field, "db_pool");
	unlink(path);
	free(path);

	config_release(&cfg);
}

static void
test_secret_file(void **state)
{
	struct config	 cfg;
	struct err	 e;
	char		*path, *flag;
	int		 rest[8];

	(void)state;
	path = write_temp("s3cret pass\r\n\n");
	flag = fmt("--smtp-password-file=%s", path);

	{
		char	*argv[] = { "serve", flag, NULL };

		load_ok(&cfg, ARGC(argv), argv, NULL, rest);
		assert_string_equal(cfg.smtp_password, "s3cret pass");
		config_release(&cfg);
	}
	{
		char	*argv[] = { "serve", NULL };
		char	*envp[] = { NULL, NULL };

		envp[0] = fmt("TOBMEN_SMTP_PASSWORD_FILE=%s", path);
		load_ok(&cfg, ARGC(argv), argv, envp, rest);
		assert_string_equal(cfg.smtp_password, "s3cret pass");
		config_release(&cfg);
		free(envp[0]);
	}

	/* A missing file is an error naming the setting; only secrets have
	 * a _file variant. */
	config_init(&cfg);
	assert_int_equal(config_set(&cfg, "smtp_password_file",
	    "/nonexistent/secret", &e), -1);
	assert_non_null(strstr(e.msg, "smtp_password_file"));
	assert_int_equal(config_set(&cfg, "listen_file", path, &e), -1);
	assert_string_equal(e.id, "unknown_setting");
	config_release(&cfg);

	unlink(path);
	free(path);
	free(flag);
}

static void
test_public_url(void **state)
{
	struct config	cfg;
	int		rest[8];

	(void)state;
	{
		char	*argv[] = { "serve", "--listen", "0.0.0.0:9090", NULL };

		load_ok(&cfg, ARGC(argv), argv, NULL, rest);
		assert_string_equal(cfg.public_url, "http://127.0.0.1:9090");
		config_release(&cfg);
	}
	{
		char	*argv[] = { "serve", "--listen", "[::1]:9091", NULL };

		load_ok(&cfg, ARGC(argv), argv, NULL, rest);
		assert_string_equal(cfg.public_url, "http://[::1]:9091");
		config_release(&cfg);
	}
	{
		char	*argv[] = { "serve", "--listen", "0.0.0.0:9090",
		    "--public-url", "https://tobmen.example/", NULL };

		load_ok(&cfg, ARGC(argv), argv, NULL, rest);
		assert_string_equal(cfg.public_url, "https://tobmen.example");
		config_release(&cfg);
	}
}

/* Sets one setting on a default config and runs config_check. */
static int
check_with(const char *name, const char *value, struct err *e)
{
	struct config	cfg;
	int		rc;

	config_init(&cfg);
	assert_int_equal(config_set(&cfg, name, value, e), 0);
	err_clear(e);
	rc = config_check(&cfg, e);
	config_release(&cfg);
	return rc;
}

static void
test_check(void **state)
{
	struct err	e;

	(void)state;
	assert_int_equal(check_with("listen", "[::]:80", &e), 0);
	assert_int_equal(check_with("listen", "127.0.0.1", &e), -1);
	assert_string_equal(e.field, "listen");
	assert_int_equal(check_with("listen", "127.0.0.1:0", &e), -1);
	assert_int_equal(check_with("listen", "127.0.0.1:70000", &e), -1);
	assert_int_equal(check_with("listen", "localhost:80", &e), -1);
	assert_int_equal(check_with("listen", "::1:80", &e), -1);

	assert_int_equal(check_with("db", "postgres://u@127.0.0.1/t", &e), 0);
	assert_int_equal(check_with("db", "postgresql://127.0.0.1/t", &e), 0);
	assert_int_equal(check_with("db", "sqlite:/tmp/x.db", &e), 0);
	assert_int_equal(check_with("db", "mysql://x", &e), -1);
	assert_string_equal(e.field, "db");
	assert_int_equal(check_with("db", "sqlite:", &e), -1);

	assert_int_equal(check_with("public_url", "https://a.example", &e), 0);
	assert_int_equal(check_with("public_url", "ftp://a.example", &e), -1);
	assert_string_equal(e.field, "public_url");
	assert_int_equal(check_with("public_url", "http://a b", &e), -1);

	assert_int_equal(check_with("smtp_url", "smtp://127.0.0.1:25", &e), 0);
	assert_int_equal(check_with("smtp_url", "http://x", &e), -1);
	assert_int_equal(check_with("session_idle_s", "50000", &e), -1);
	assert_string_equal(e.field, "session_idle_s");
}

static void
test_usage(void **state)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	config_usage(f);
	fclose(f);
	assert_non_null(strstr(text, "  listen: "));
	assert_non_null(strstr(text, "(default: 127.0.0.1:8080)"));
	assert_non_null(strstr(text, "smtp_password_file"));
	assert_non_null(strstr(text, "body_max"));
	assert_non_null(strstr(text, "invite_ttl_s"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_rest_and_bools),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_ini_errors),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_public_url),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
