/*
 * config.c - settings from defaults, an INI file, the environment and flags.
 *
 * One table describes every setting: its name, type, limits, default and
 * help.  Every source goes through config_set, so a value is checked the
 * same way wherever it comes from.  Secrets may come from a file named by
 * the setting's "_file" variant; their old values are wiped when replaced.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/xmalloc.h"

#define CONFIG_NAME_MAX		64
#define CONFIG_SECRET_MAX	4096	/* bytes read from a secret file */
#define CONFIG_ENV_PREFIX	"TOBMEN_"

enum config_type {
	CT_STR,		/* char *, owned */
	CT_INT,		/* int within [min, max] */
	CT_SIZE,	/* size_t byte count, K/M/G suffixes */
	CT_COUNT,	/* size_t plain count */
	CT_BOOL,	/* bool */
};

enum config_flag {
	CF_SECRET	= 1 << 0,	/* may be read from NAME_file */
	CF_NOSLASH	= 1 << 1,	/* trailing slashes are dropped */
};

struct config_setting {
	const char		*name;
	enum config_type	 type;
	size_t			 off;
	int64_t			 min, max;
	unsigned		 flags;
	const char		*choices;	/* "a|b|c" or NULL */
	const char		*def;
	const char		*help;
};

#define KiB	1024LL
#define MiB	(1024LL * KiB)
#define GiB	(1024LL * MiB)
#define DAY	86400LL

#define S_STR(n, fl, ch, d, h) \
	{ #n, CT_STR, offsetof(struct config, n), 0, 0, fl, ch, d, h }
#define S_NUM(t, n, lo, hi, d, h) \
	{ #n, t, offsetof(struct config, n), lo, hi, 0, NULL, d, h }
#define S_BOOL(n, d, h) \
	{ #n, CT_BOOL, offsetof(struct config, n), 0, 1, 0, NULL, d, h }

static const struct config_setting config_table[] = {
	S_STR(listen, 0, NULL, "127.0.0.1:8080",
	    "address and port to listen on, ADDR:PORT"),
	S_STR(public_url, CF_NOSLASH, NULL, "http://127.0.0.1:8080",
	    "URL users reach the service at, used in links sent by e-mail;"
	    " follows listen unless set"),
	S_NUM(CT_INT, threads, 0, 1024, "0",
	    "HTTP worker threads, 0 for one per CPU core"),
	S_NUM(CT_INT, max_connections, 1, 1000000, "1024",
	    "open connections at most"),
	S_NUM(CT_INT, per_ip_connections, 0, 1000000, "256",
	    "open connections from one address at most, 0 for no limit"),
	S_NUM(CT_INT, timeout_s, 1, 3600, "30",
	    "seconds before an idle connection is closed"),
	S_NUM(CT_SIZE, memory_limit, 4 * KiB, 1 * GiB, "16K",
	    "memory for each connection's headers and buffers"),
	S_NUM(CT_SIZE, body_max, 1 * KiB, 1 * GiB, "1M",
	    "largest request body accepted"),
	S_NUM(CT_INT, json_depth_max, 2, 1000, "32",
	    "deepest nesting of JSON accepted"),
	S_NUM(CT_COUNT, json_array_max, 1, 100000000, "10000",
	    "longest JSON array accepted"),
	S_NUM(CT_INT, shutdown_grace_s, 0, 3600, "10",
	    "seconds to let requests in flight finish when stopping"),
	S_BOOL(test_clock, "false",
	    "let tests move the service's clock forward (never in production)"),

	S_STR(db, 0, NULL, "sqlite:data/tobmen.db",
	    "where data is kept: sqlite:PATH or"
	    " postgres://USER:PASS@HOST/NAME"),
	S_NUM(CT_INT, db_pool, 1, 1024, "8",
	    "store connections to keep"),
	S_NUM(CT_INT, db_busy_timeout_ms, 0, 600000, "5000",
	    "milliseconds SQLite waits for a lock"),
	S_STR(data_dir, 0, NULL, "data",
	    "folder for local data"),

	S_STR(smtp_url, 0, NULL, "",
	    "SMTP server, smtp://HOST:PORT or smtps://...;"
	    " empty writes mail to mail_dir"),
	S_STR(smtp_user, 0, NULL, "",
	    "SMTP user name"),
	S_STR(smtp_password, CF_SECRET, NULL, "",
	    "SMTP password"),
	S_STR(mail_from, 0, NULL, "tobmen <noreply@localhost>",
	    "sender of the service's e-mail"),
	S_STR(mail_dir, 0, NULL, "data/mail",
	    "folder for .eml files when no SMTP server is set"),
	S_STR(operator_email, 0, NULL, "",
	    "where users' feedback is sent"),

	S_STR(log_format, 0, "logfmt|json", "logfmt",
	    "log line format: logfmt or json"),
	S_STR(log_level, 0, "debug|info|warn|error", "info",
	    "lowest level logged: debug, info, warn or error"),

	S_NUM(CT_INT, session_idle_s, 60, 365 * DAY, "7200",
	    "seconds of inactivity that end a session"),
	S_NUM(CT_INT, session_max_s, 60, 365 * DAY, "43200",
	    "seconds a session lasts at most"),
	S_NUM(CT_INT, session_remember_s, 60, 365 * DAY, "2592000",
	    "seconds a remembered session lasts"),
	S_NUM(CT_INT, hash_parallel, 1, 256, "2",
	    "password hashes computed at once"),
	S_NUM(CT_INT, invite_ttl_s, 60, 365 * DAY, "604800",
	    "seconds an invitation link stays valid"),
};

#define CONFIG_NSETTINGS (sizeof(config_table) / sizeof(*config_table))

/* Writes name in canonical form (lower case, underscores) into out of
 * CONFIG_NAME_MAX bytes; returns -1 if it does not fit. */
static int
config_name_norm(const char *name, char *out)
{
	size_t	i;

	for (i = 0; name[i] != '\0'; i++) {
		if (i + 1 >= CONFIG_NAME_MAX)
			return -1;
		out[i] = name[i] == '-' ? '_' :
		    (char)tolower((unsigned char)name[i]);
	}
	out[i] = '\0';
	return 0;
}

/* Finds a setting by canonical name; *is_file is set when the name is
 * the "_file" variant of a secret. */
static const struct config_setting *
config_lookup(const char *norm, bool *is_file)
{
	size_t	i, n;

	*is_file = false;
	for (i = 0; i < CONFIG_NSETTINGS; i++) {
		if (strcmp(config_table[i].name, norm) == 0)
			return &config_table[i];
	}

	n = strlen(norm);
	if (n <= 5 || strcmp(norm + n - 5, "_file") != 0)
		return NULL;
	for (i = 0; i < CONFIG_NSETTINGS; i++) {
		if ((config_table[i].flags & CF_SECRET) &&
		    strlen(config_table[i].name) == n - 5 &&
		    strncmp(config_table[i].name, norm, n - 5) == 0) {
			*is_file = true;
			return &config_table[i];
		}
	}
	return NULL;
}

/* Parses a whole decimal integer; -1 on anything else or overflow. */
static int
config_parse_ll(const char *s, long long *out, char **end)
{
	if (!isdigit((unsigned char)*s) && *s != '-' && *s != '+')
		return -1;
	errno = 0;
	*out = strtoll(s, end, 10);
	if (errno != 0 || *end == s)
		return -1;
	return 0;
}

/* Parses a byte count with an optional K, M or G suffix (powers of 1024,
 * optionally followed by "B" or "iB"). */
static int
config_parse_size(const char *s, long long *out)
{
	long long	 v, mult = 1;
	char		*end;

	if (config_parse_ll(s, &v, &end) == -1 || v < 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		return (*out = v, 0);
	case 'K':
		mult = KiB;
		break;
	case 'M':
		mult = MiB;
		break;
	case 'G':
		mult = GiB;
		break;
	default:
		return -1;
	}
	end++;
	if (strcasecmp(end, "") != 0 && strcasecmp(end, "B") != 0 &&
	    strcasecmp(end, "iB") != 0)
		return -1;
	if (v > LLONG_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* Parses true/false in the usual spellings. */
static int
config_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return (*out = true, 0);
		if (strcasecmp(s, no[i]) == 0)
			return (*out = false, 0);
	}
	return -1;
}

/* True if value is one of the '|'-separated choices. */
static bool
config_choice_ok(const char *choices, const char *value)
{
	const char	*p = choices, *bar;
	size_t		 n;

	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (strlen(value) == n && strncmp(p, value, n) == 0)
			return true;
		if (bar == NULL)
			return false;
		p = bar + 1;
	}
}

/* Replaces a string setting, wiping the old value of a secret. */
static void
config_store_str(const struct config_setting *s, struct config *cfg,
    const char *value)
{
	char	**slot = (char **)((char *)cfg + s->off);
	char	 *v;
	size_t	  n;

	v = xstrdup(value);
	if (s->flags & CF_NOSLASH) {
		n = strlen(v);
		while (n > 0 && v[n - 1] == '/')
			v[--n] = '\0';
	}
	if (*slot != NULL && (s->flags & CF_SECRET))
		explicit_bzero(*slot, strlen(*slot));
	free(*slot);
	*slot = v;
}

/* Checks and stores a number-like value. */
static int
config_store_num(const struct config_setting *s, struct config *cfg,
    const char *value, struct err *e)
{
	char		*slot = (char *)cfg + s->off, *end;
	long long	 v;
	int		 rc;

	if (s->type == CT_SIZE)
		rc = config_parse_size(value, &v);
	else {
		rc = config_parse_ll(value, &v, &end);
		if (rc == 0 && *end != '\0')
			rc = -1;
	}
	if (rc == -1 || v < s->min || v > s->max) {
		err_set(e, ERR_INVALID, "bad_setting", s->name,
		    "%s must be %s from %lld to %lld, not \"%.40s\"", s->name,
		    s->type == CT_SIZE ? "a size (K, M, G suffixes allowed)" :
		    "a whole number", (long long)s->min, (long long)s->max,
		    value);
		return -1;
	}

	if (s->type == CT_INT)
		*(int *)(void *)slot = (int)v;
	else
		*(size_t *)(void *)slot = (size_t)v;
	return 0;
}

/* Checks value against s and stores it into cfg. */
static int
config_store(const struct config_setting *s, struct config *cfg,
    const char *value, struct err *e)
{
	bool	b;

	switch (s->type) {
	case CT_STR:
		if (s->choices != NULL && !config_choice_ok(s->choices,
		    value)) {
			err_set(e, ERR_INVALID, "bad_setting", s->name,
			    "%s must be one of %s, not \"%.40s\"", s->name,
			    s->choices, value);
			return -1;
		}
		config_store_str(s, cfg, value);
		return 0;
	case CT_BOOL:
		if (config_parse_bool(value, &b) == -1) {
			err_set(e, ERR_INVALID, "bad_setting", s->name,
			    "%s must be true or false, not \"%.40s\"",
			    s->name, value);
			return -1;
		}
		*(bool *)(void *)((char *)cfg + s->off) = b;
		return 0;
	default:
		return config_store_num(s, cfg, value, e);
	}
}

/* Reads a secret from path into out (CONFIG_SECRET_MAX + 1 bytes),
 * dropping trailing line ends.  Returns 0 or -1 with e filled. */
static int
config_read_secret(const struct config_setting *s, const char *path,
    char *out, struct err *e)
{
	ssize_t	n;
	size_t	len = 0;
	int	fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		err_set(e, ERR_INVALID, "bad_setting", s->name,
		    "%s_file: cannot open \"%s\": %s", s->name, path,
		    strerror(errno));
		return -1;
	}

	for (;;) {
		n = read(fd, out + len, CONFIG_SECRET_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, ERR_INVALID, "bad_setting", s->name,
			    "%s_file: cannot read \"%s\": %s", s->name, path,
			    strerror(errno));
			goto close;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONFIG_SECRET_MAX) {
			err_set(e, ERR_INVALID, "bad_setting", s->name,
			    "%s_file: \"%s\" is longer than %d bytes",
			    s->name, path, CONFIG_SECRET_MAX);
			goto close;
		}
	}

	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		len--;
	out[len] = '\0';
	if (strlen(out) != len) {
		err_set(e, ERR_INVALID, "bad_setting", s->name,
		    "%s_file: \"%s\" contains a NUL byte", s->name, path);
		goto close;
	}
	rc = 0;
close:
	close(fd);
	return rc;
}

int
config_set(struct config *cfg, const char *name, const char *value,
    struct err *e)
{
	const struct config_setting	*s;
	char				 norm[CONFIG_NAME_MAX];
	char				 secret[CONFIG_SECRET_MAX + 1];
	bool				 is_file;
	int				 rc;

	s = NULL;
	if (config_name_norm(name, norm) == 0)
		s = config_lookup(norm, &is_file);
	if (s == NULL) {
		err_set(e, ERR_INVALID, "unknown_setting", NULL,
		    "unknown setting \"%.64s\"", name);
		return -1;
	}
	if (value == NULL)
		value = "";
	if (!is_file)
		return config_store(s, cfg, value, e);

	rc = config_read_secret(s, value, secret, e);
	if (rc == 0)
		rc = config_store(s, cfg, secret, e);
	explicit_bzero(secret, sizeof(secret));
	return rc;
}

void
config_init(struct config *cfg)
{
	size_t	i;
	int	rc;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CONFIG_NSETTINGS; i++) {
		rc = config_store(&config_table[i], cfg, config_table[i].def,
		    NULL);
		(void)rc;
		assert(rc == 0);
	}
}

void
config_release(struct config *cfg)
{
	const struct config_setting	*s;
	char				**slot;
	size_t				  i;

	for (i = 0; i < CONFIG_NSETTINGS; i++) {
		s = &config_table[i];
		if (s->type != CT_STR)
			continue;
		slot = (char **)(void *)((char *)cfg + s->off);
		if (*slot != NULL && (s->flags & CF_SECRET))
			explicit_bzero(*slot, strlen(*slot));
		free(*slot);
		*slot = NULL;
	}
}

struct config_ini {
	struct config	*cfg;
	FILE		*f;
	int		 line;		/* lines handed to inih so far */
	int		 bad_line;	/* first line a setting failed on */
	bool		 too_long;
	struct err	 err;
};

/* Line reader for inih that counts lines and refuses overlong ones
 * instead of letting inih split them. */
static char *
config_ini_reader(char *str, int num, void *arg)
{
	struct config_ini	*ctx = arg;
	size_t			 n;
	int			 c;

	if (fgets(str, num, ctx->f) == NULL)
		return NULL;
	ctx->line++;

	n = strlen(str);
	if (n > 0 && str[n - 1] == '\n')
		return str;
	c = fgetc(ctx->f);
	if (c == EOF || c == '\n')
		return str;
	ctx->too_long = true;
	return NULL;
}

/* Applies one name = value line; the section is only for people. */
static int
config_ini_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct config_ini	*ctx = arg;

	(void)section;
	if (ctx->bad_line != 0)
		return 1;
	if (config_set(ctx->cfg, name, value, &ctx->err) == -1) {
		ctx->bad_line = ctx->line;
		return 0;
	}
	return 1;
}

int
config_load_ini(struct config *cfg, const char *path, struct err *e)
{
	struct config_ini	ctx = { .cfg = cfg };
	int			rc;

	err_clear(&ctx.err);
	ctx.f = fopen(path, "re");
	if (ctx.f == NULL) {
		err_set(e, ERR_INVALID, "bad_config_file", "config",
		    "cannot open config file \"%s\": %s", path,
		    strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(config_ini_reader, &ctx, config_ini_handler,
	    &ctx);
	fclose(ctx.f);

	if (rc > 0 && rc == ctx.bad_line) {
		if (e != NULL)
			*e = ctx.err;
		err_prefix(e, "%s:%d: ", path, rc);
	} else if (rc > 0)
		err_set(e, ERR_INVALID, "bad_config_file", "config",
		    "%s:%d: not a section or a name = value line", path, rc);
	else if (ctx.too_long)
		err_set(e, ERR_INVALID, "bad_config_file", "config",
		    "%s:%d: line longer than %d characters", path, ctx.line,
		    INI_MAX_LINE - 1);
	else if (rc < 0)
		err_set(e, ERR_INVALID, "bad_config_file", "config",
		    "cannot read config file \"%s\"", path);
	else
		return 0;
	return -1;
}

int
config_load_env(struct config *cfg, char **envp, struct err *e)
{
	const size_t	  plen = strlen(CONFIG_ENV_PREFIX);
	char		  name[CONFIG_NAME_MAX], norm[CONFIG_NAME_MAX];
	char		**p;
	const char	 *eq;
	size_t		  n;
	bool		  is_file;

	for (p = envp; p != NULL && *p != NULL; p++) {
		if (strncmp(*p, CONFIG_ENV_PREFIX, plen) != 0)
			continue;
		eq = strchr(*p, '=');
		if (eq == NULL)
			continue;
		n = (size_t)(eq - *p) - plen;
		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, *p + plen, n);
		name[n] = '\0';

		/* Only variables that name a setting are ours; others
		 * (TOBMEN_CONFIG, test helpers) are left alone. */
		if (config_name_norm(name, norm) == -1 ||
		    config_lookup(norm, &is_file) == NULL)
			continue;
		if (config_set(cfg, norm, eq + 1, e) == -1) {
			err_prefix(e, "%.*s: ", (int)(eq - *p), *p);
			return -1;
		}
	}
	return 0;
}

/* Finds the INI path: --config on the command line wins over
 * TOBMEN_CONFIG.  *path is NULL when there is none. */
static int
config_find_file(int argc, char **argv, char **envp, const char **path,
    struct err *e)
{
	char	**p;
	int	  i;

	*path = NULL;
	for (p = envp; p != NULL && *p != NULL; p++) {
		if (strncmp(*p, "TOBMEN_CONFIG=", 14) == 0)
			*path = *p + 14;
	}
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--config=", 9) == 0)
			*path = argv[i] + 9;
		else if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc) {
				err_set(e, ERR_INVALID, "missing_value",
				    "config", "--config needs a file name");
				return -1;
			}
			*path = argv[++i];
		}
	}
	if (*path != NULL && **path == '\0')
		*path = NULL;
	return 0;
}

/* Applies one command-line flag at argv[*i] if it names a setting,
 * advancing *i past its value.  Returns 1 if applied, 0 if the flag is
 * not a setting, -1 on error. */
static int
config_flag(struct config *cfg, int argc, char **argv, int *i,
    struct err *e)
{
	const struct config_setting	*s;
	const char			*arg = argv[*i], *eq, *value;
	char				 name[CONFIG_NAME_MAX];
	char				 norm[CONFIG_NAME_MAX];
	size_t				 n;
	bool				 is_file;

	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return 0;
	eq = strchr(arg + 2, '=');
	n = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	if (n >= sizeof(name))
		return 0;
	memcpy(name, arg + 2, n);
	name[n] = '\0';
	if (config_name_norm(name, norm) == -1)
		return 0;
	if (strcmp(norm, "config") == 0) {
		/* Already read by config_find_file. */
		*i += eq == NULL;
		return 1;
	}
	s = config_lookup(norm, &is_file);
	if (s == NULL)
		return 0;

	if (eq != NULL)
		value = eq + 1;
	else if (s->type == CT_BOOL && !is_file)
		value = "true";
	else if (*i + 1 < argc)
		value = argv[++*i];
	else {
		err_set(e, ERR_INVALID, "missing_value", s->name,
		    "--%s needs a value", name);
		return -1;
	}
	return config_set(cfg, norm, value, e) == 0 ? 1 : -1;
}

/* Sets public_url from listen when no source gave one. */
static void
config_derive_public_url(struct config *cfg)
{
	char	*url;

	url = config_listen_url(cfg->listen);
	if (url == NULL)
		return;
	free(cfg->public_url);
	cfg->public_url = url;
}

int
config_load(struct config *cfg, int argc, char **argv, char **envp,
    int *rest, int *nrest, struct err *e)
{
	const char	*path, *default_url;
	int		 i, rc;

	config_init(cfg);
	*nrest = 0;
	default_url = cfg->public_url;

	if (config_find_file(argc, argv, envp, &path, e) == -1)
		return -1;
	if (path != NULL && config_load_ini(cfg, path, e) == -1)
		return -1;
	if (config_load_env(cfg, envp, e) == -1)
		return -1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				rest[(*nrest)++] = i++;
			break;
		}
		rc = config_flag(cfg, argc, argv, &i, e);
		if (rc == -1)
			return -1;
		if (rc == 0)
			rest[(*nrest)++] = i;
	}

	/* Every set replaces the string, so an unchanged pointer means no
	 * source named public_url. */
	if (cfg->public_url == default_url)
		config_derive_public_url(cfg);
	return 0;
}

int
config_listen_split(const char *listen, char host[64], int *port,
    struct err *e)
{
	const char	*colon, *h, *p;
	unsigned char	 addr[16];
	size_t		 hlen;
	long		 v;
	char		*end;
	int		 af;

	colon = strrchr(listen, ':');
	if (listen[0] == '[') {
		h = listen + 1;
		p = strchr(listen, ']');
		if (p == NULL || p[1] != ':')
			goto bad;
		hlen = (size_t)(p - h);
		af = AF_INET6;
	} else {
		h = listen;
		if (colon == NULL)
			goto bad;
		hlen = (size_t)(colon - h);
		af = AF_INET;
	}
	if (hlen == 0 || hlen >= 64)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (inet_pton(af, host, addr) != 1)
		goto bad;

	if (!isdigit((unsigned char)colon[1]))
		goto bad;
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
		goto bad;
	*port = (int)v;
	return 0;
bad:
	err_set(e, ERR_INVALID, "bad_setting", "listen",
	    "listen must be ADDR:PORT with an IP address and a port from 1"
	    " to 65535 (127.0.0.1:8080, [::1]:8080), not \"%.40s\"", listen);
	return -1;
}

char *
config_listen_url(const char *listen)
{
	char	host[64];
	int	port;

	if (config_listen_split(listen, host, &port, NULL) == -1)
		return NULL;
	if (strcmp(host, "0.0.0.0") == 0)
		return xasprintf("http://127.0.0.1:%d", port);
	if (strchr(host, ':') == NULL)
		return xasprintf("http://%s:%d", host, port);
	if (strcmp(host, "::") == 0)
		return xasprintf("http://[::1]:%d", port);
	return xasprintf("http://[%s]:%d", host, port);
}

/* True if s starts with prefix and has more after it. */
static bool
config_has_prefix(const char *s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return strncasecmp(s, prefix, n) == 0 && s[n] != '\0';
}

/* True if s has no spaces or control characters. */
static bool
config_is_token(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	}
	return true;
}

/* Checks the URL-like settings. */
static int
config_check_urls(const struct config *cfg, struct err *e)
{
	if (!config_has_prefix(cfg->db, "sqlite:") &&
	    !config_has_prefix(cfg->db, "postgres://") &&
	    !config_has_prefix(cfg->db, "postgresql://")) {
		err_set(e, ERR_INVALID, "bad_setting", "db",
		    "db must be sqlite:PATH, postgres://... or"
		    " postgresql://...");
		return -1;
	}
	if ((!config_has_prefix(cfg->public_url, "http://") &&
	    !config_has_prefix(cfg->public_url, "https://")) ||
	    !config_is_token(cfg->public_url) ||
	    strpbrk(cfg->public_url, "?#") != NULL) {
		err_set(e, ERR_INVALID, "bad_setting", "public_url",
		    "public_url must be an http:// or https:// URL without"
		    " spaces, query or fragment, not \"%.60s\"",
		    cfg->public_url);
		return -1;
	}
	if (cfg->smtp_url[0] != '\0' &&
	    ((!config_has_prefix(cfg->smtp_url, "smtp://") &&
	    !config_has_prefix(cfg->smtp_url, "smtps://")) ||
	    !config_is_token(cfg->smtp_url))) {
		err_set(e, ERR_INVALID, "bad_setting", "smtp_url",
		    "smtp_url must be empty, smtp://HOST:PORT or"
		    " smtps://HOST:PORT");
		return -1;
	}
	return 0;
}

int
config_check(const struct config *cfg, struct err *e)
{
	char		 host[64];
	const char	*empty = NULL;
	int		 port;

	if (config_listen_split(cfg->listen, host, &port, e) == -1)
		return -1;
	if (config_check_urls(cfg, e) == -1)
		return -1;

	if (cfg->data_dir[0] == '\0')
		empty = "data_dir";
	else if (cfg->mail_dir[0] == '\0')
		empty = "mail_dir";
	else if (cfg->mail_from[0] == '\0')
		empty = "mail_from";
	if (empty != NULL) {
		err_set(e, ERR_INVALID, "bad_setting", empty,
		    "%s must not be empty", empty);
		return -1;
	}

	if (cfg->session_idle_s > cfg->session_max_s) {
		err_set(e, ERR_INVALID, "bad_setting", "session_idle_s",
		    "session_idle_s (%d) must not exceed session_max_s (%d)",
		    cfg->session_idle_s, cfg->session_max_s);
		return -1;
	}
	return 0;
}

/* Writes the n bytes at word after a space, or on a new line indented by
 * six spaces if they would pass column 79.  Returns the new column. */
static int
config_usage_word(FILE *out, int col, const char *word, int n)
{
	if (col > 6 && col + 1 + n > 79) {
		fputs("\n     ", out);
		col = 5;
	}
	fprintf(out, " %.*s", n, word);
	return col + 1 + n;
}

/* Writes help word by word, then "(default: ...)" kept whole. */
static void
config_usage_wrap(FILE *out, int col, const char *help, const char *def)
{
	const char	*p = help;
	char		*tail;
	int		 n;

	while (*p != '\0') {
		n = (int)strcspn(p, " ");
		col = config_usage_word(out, col, p, n);
		p += n;
		p += strspn(p, " ");
	}
	tail = xasprintf("(default: %s)", def);
	config_usage_word(out, col, tail, (int)strlen(tail));
	free(tail);
	fputc('\n', out);
}

void
config_usage(FILE *out)
{
	const struct config_setting	*s;
	const char			*def;
	size_t				 i;
	int				 col;

	for (i = 0; i < CONFIG_NSETTINGS; i++) {
		s = &config_table[i];
		def = s->def[0] != '\0' ? s->def : "empty";
		if (strcmp(s->name, "public_url") == 0)
			def = "http://LISTEN";

		col = fprintf(out, "  %s:", s->name);
		config_usage_wrap(out, col, s->help, def);
		if (s->flags & CF_SECRET)
			fprintf(out, "  %s_file: a file holding %s\n",
			    s->name, s->name);
	}
}
