/*
 * admin.c - "tobmen admin": the operator's companies and users.
 *
 *	tobmen admin company add|list|show
 *	tobmen admin user add|list|disable
 *	tobmen admin licence ...	(admin_licence.c)
 *
 * Tables for people, --json for scripts.  Acts as the operator (the audit
 * log names no user); every rule is still checked by domain/.  A new user
 * gets a set-password mail through the outbox, sent by the running
 * server's mail worker.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/auth.h"
#include "app.h"
#include "cli/admin.h"
#include "cli/admin_licence.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/xmalloc.h"
#include "domain/account.h"
#include "domain/company.h"
#include "domain/password.h"
#include "mail/mail.h"
#include "store/store.h"

enum admin_opt {
	OPT_NAME = 1 << 0, OPT_INN = 1 << 1, OPT_KPP = 1 << 2,
	OPT_ADDRESS = 1 << 3, OPT_PHONE = 1 << 4, OPT_SUPPLIER = 1 << 5,
	OPT_DISTRIBUTOR = 1 << 6, OPT_OPERATOR = 1 << 7, OPT_JSON = 1 << 8,
	OPT_COMPANY = 1 << 9, OPT_EMAIL = 1 << 10, OPT_ROLE = 1 << 11,
	OPT_LANG = 1 << 12,
};

/* The parsed arguments after "admin". */
struct admin_args {
	const char	*pos[4];	/* positional words */
	int		 npos;
	unsigned	 given;		/* enum admin_opt bits */
	const char	*name, *inn, *kpp, *address, *phone;
	const char	*company, *email, *role, *lang;
	bool		 help;
};

struct admin_optdef {
	const char	*flag;
	enum admin_opt	 bit;
	size_t		 off;		/* of the value in struct admin_args */
	bool		 value;
};

#define AO(f, b, m) { f, b, offsetof(struct admin_args, m), true }
#define AF(f, b) { f, b, 0, false }

static const struct admin_optdef admin_opts[] = {
	AO("--name", OPT_NAME, name), AO("--inn", OPT_INN, inn),
	AO("--kpp", OPT_KPP, kpp), AO("--address", OPT_ADDRESS, address),
	AO("--phone", OPT_PHONE, phone),
	AO("--company", OPT_COMPANY, company),
	AO("--email", OPT_EMAIL, email), AO("--role", OPT_ROLE, role),
	AO("--lang", OPT_LANG, lang),
	AF("--supplier", OPT_SUPPLIER), AF("--distributor", OPT_DISTRIBUTOR),
	AF("--operator", OPT_OPERATOR), AF("--json", OPT_JSON),
};

/* One subcommand: the words that name it, what it accepts, its help. */
struct admin_cmd {
	const char	*what;		/* "company" or "user" */
	const char	*verb;
	unsigned	 allowed;
	int		 npos;		/* positional arguments after verb */
	int		(*run)(const struct app *app,
			    const struct admin_args *a);
	const char	*usage;
};

/* Finds flag (without any "=value") among the options. */
static const struct admin_optdef *
admin_optdef(const char *arg, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(admin_opts) / sizeof(admin_opts[0]); i++)
		if (strlen(admin_opts[i].flag) == len &&
		    strncmp(admin_opts[i].flag, arg, len) == 0)
			return &admin_opts[i];
	return NULL;
}

/* Reads one option at args[*i], taking its value from "=..." or the next
 * argument.  Returns CLI_OK or CLI_USAGE after saying why. */
static int
admin_parse_opt(int n, char **args, int *i, struct admin_args *a)
{
	const struct admin_optdef	*d;
	const char			*arg = args[*i], *eq = strchr(arg, '=');
	const char			*v;

	d = admin_optdef(arg, eq ? (size_t)(eq - arg) : strlen(arg));
	if (d == NULL)
		return cli_unknown_arg("admin", arg);
	if (!d->value && eq != NULL) {
		cli_error("admin: %s takes no value", d->flag);
		return CLI_USAGE;
	}
	a->given |= d->bit;
	if (!d->value)
		return CLI_OK;
	if (eq != NULL)
		v = eq + 1;
	else if (*i + 1 < n)
		v = args[++*i];
	else {
		cli_error("admin: %s needs a value", d->flag);
		return CLI_USAGE;
	}
	*(const char **)((char *)a + d->off) = v;
	return CLI_OK;
}

/* Splits args into positional words and options. */
static int
admin_parse(int n, char **args, struct admin_args *a)
{
	int	i, rc;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		if (strcmp(args[i], "--help") == 0 ||
		    strcmp(args[i], "-h") == 0)
			a->help = true;
		else if (strncmp(args[i], "--", 2) == 0) {
			if ((rc = admin_parse_opt(n, args, &i, a)) != CLI_OK)
				return rc;
		} else if (a->npos < 4)
			a->pos[a->npos++] = args[i];
		else
			return cli_unknown_arg("admin", args[i]);
	}
	return CLI_OK;
}

/* Prints err e as the command's failure. */
static int
admin_fail(const char *what, const struct err *e)
{
	if (e->field[0] != '\0')
		cli_error("%s: %s (%s)", what, e->msg, e->field);
	else
		cli_error("%s: %s", what, e->msg);
	return CLI_FAIL;
}

/* Parses a positive id argument; -1 after an error message. */
static int64_t
admin_id(const char *what, const char *s)
{
	int64_t	id = auth_id(s);

	if (id < 0)
		cli_error("%s: \"%s\" is not an id", what, s ? s : "");
	return id;
}

void
admin_json_print(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', stdout);
	json_decref(v);
}

void
admin_date(int64_t ms, char out[32])
{
	if (ms == 0) {
		snprintf(out, 32, "-");
		return;
	}
	clock_format_rfc3339(ms, out);
	out[10] = ' ';
	out[16] = '\0';
}

void
admin_table(const char *const *head, int ncols, char *const *cells,
    size_t nrows)
{
	size_t	w[ADMIN_COLS_MAX] = { 0 }, r, len;
	int	c;

	assert(ncols > 0 && ncols <= ADMIN_COLS_MAX);
	for (c = 0; c < ncols; c++)
		w[c] = password_chars(head[c]);
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++)
			if ((len = password_chars(cells[r * ncols + c])) > w[c])
				w[c] = len;
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s = r == 0 ? head[c] :
			    cells[(r - 1) * ncols + c];

			printf("%s%*s", s, c + 1 < ncols ?
			    (int)(w[c] - password_chars(s) + 2) : 0, "");
		}
		fputc('\n', stdout);
	}
}

void
admin_cells_free(char **cells, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* The kind of a company in words. */
static const char *
admin_kind(const struct company *co)
{
	if (co->is_supplier && co->is_distributor)
		return "supplier+distributor";
	if (co->is_supplier)
		return "supplier";
	if (co->is_distributor)
		return "distributor";
	return "operator";
}

/* Prints companies as a table. */
static void
admin_company_table(const struct company *items, size_t n)
{
	static const char *const head[] = {
		"ID", "NAME", "INN", "KPP", "KIND", "CREATED",
	};
	char	**cells = xcalloc(n * 6 + 1, sizeof(*cells));
	char	  date[32];
	size_t	  i;

	for (i = 0; i < n; i++) {
		const struct company	*co = &items[i];

		admin_date(co->created_at, date);
		cells[i * 6] = xasprintf("%lld", (long long)co->id);
		cells[i * 6 + 1] = xstrdup(co->name);
		cells[i * 6 + 2] = xstrdup(co->inn[0] ? co->inn : "-");
		cells[i * 6 + 3] = xstrdup(co->kpp[0] ? co->kpp : "-");
		cells[i * 6 + 4] = xstrdup(admin_kind(co));
		cells[i * 6 + 5] = xstrdup(date);
	}
	admin_table(head, 6, cells, n);
	admin_cells_free(cells, n * 6);
}

/* Prints users as a table. */
static void
admin_user_table(const struct store_user *items, size_t n)
{
	static const char *const head[] = {
		"ID", "EMAIL", "NAME", "ROLE", "STATUS", "LAST LOGIN",
	};
	char	**cells = xcalloc(n * 6 + 1, sizeof(*cells));
	char	  date[32];
	size_t	  i;

	for (i = 0; i < n; i++) {
		admin_date(items[i].last_login_at, date);
		cells[i * 6] = xasprintf("%lld", (long long)items[i].id);
		cells[i * 6 + 1] = xstrdup(items[i].email);
		cells[i * 6 + 2] = xstrdup(items[i].name[0] ?
		    items[i].name : "-");
		cells[i * 6 + 3] = xstrdup(items[i].role);
		cells[i * 6 + 4] = xstrdup(items[i].disabled ? "disabled" :
		    items[i].password_hash[0] ? "active" : "invited");
		cells[i * 6 + 5] = xstrdup(date);
	}
	admin_table(head, 6, cells, n);
	admin_cells_free(cells, n * 6);
}

/* The operator acting on company_id. */
static struct actor
admin_actor(int64_t company_id)
{
	struct actor	who;

	memset(&who, 0, sizeof(who));
	who.company_id = company_id;
	who.role = ROLE_OPERATOR;
	return who;
}

/* admin company add */
static int
admin_company_add(const struct app *app, const struct admin_args *a)
{
	struct company_card	card = {
		.name = a->name, .inn = a->inn, .kpp = a->kpp,
		.address = a->address, .phone = a->phone,
	};
	struct actor		who = admin_actor(0);
	bool			sup = a->given & OPT_SUPPLIER;
	bool			dis = a->given & OPT_DISTRIBUTOR;
	bool			op = a->given & OPT_OPERATOR;
	struct company		co;
	struct err		e;
	int			rc = CLI_OK;

	if (a->name == NULL || (op && (sup || dis)) || !(op || sup || dis)) {
		cli_error("company add: needs --name and --supplier and/or "
		    "--distributor, or --operator alone");
		return CLI_USAGE;
	}
	err_clear(&e);
	company_init(&co);
	if (company_add(app, &who, &card, sup, dis, &co, &e) != 0)
		rc = admin_fail("company add", &e);
	else if (a->given & OPT_JSON)
		admin_json_print(auth_company_json(&co));
	else
		printf("company %lld added: %s (%s)\n", (long long)co.id,
		    co.name, admin_kind(&co));
	company_release(&co);
	return rc;
}

/* admin company list */
static int
admin_company_list(const struct app *app, const struct admin_args *a)
{
	struct company_page	pg;
	struct err		e;
	json_t			*arr = json_array();
	int64_t			after = 0;
	int			i, rc = CLI_OK;

	err_clear(&e);
	do {
		if (company_list(app, after, COMPANY_LIST_MAX, &pg, &e) != 0) {
			rc = admin_fail("company list", &e);
			company_page_release(&pg);
			break;
		}
		for (i = 0; i < pg.n; i++)
			json_array_append_new(arr,
			    auth_company_json(&pg.items[i]));
		if (!(a->given & OPT_JSON))
			admin_company_table(pg.items, (size_t)pg.n);
		after = pg.next_after;
		company_page_release(&pg);
	} while (after != 0);
	if (rc == CLI_OK && (a->given & OPT_JSON))
		admin_json_print(json_incref(arr));
	json_decref(arr);
	return rc;
}

/* Reads every user of company_id into *items (malloc'd). */
static int
admin_users_all(const struct app *app, int64_t company_id,
    struct store_user **items, size_t *n, struct err *e)
{
	struct actor		 who = admin_actor(company_id);
	struct store_user	*page;
	size_t			 got;
	int64_t			 after = 0;
	bool			 more = true;

	*items = NULL;
	*n = 0;
	while (more) {
		if (account_list(app, &who, after, 200, &page, &got, &more,
		    e) != 0) {
			free(page);
			return -1;
		}
		*items = xrealloc(*items, (*n + got + 1) * sizeof(**items));
		memcpy(*items + *n, page, got * sizeof(*page));
		*n += got;
		after = got > 0 ? page[got - 1].id : after;
		free(page);
	}
	return 0;
}

/* Prints a company card and its users, as text or JSON. */
static void
admin_company_print(const struct company *co, const struct store_user *u,
    size_t n, bool json)
{
	json_t	*arr;
	size_t	 i;
	char	 date[32];

	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, auth_user_json(&u[i]));
		admin_json_print(json_pack("{s:o, s:o}", "company",
		    auth_company_json(co), "users", arr));
		return;
	}
	admin_date(co->created_at, date);
	printf("id:       %lld\nname:     %s\nkind:     %s\nINN:      %s\n"
	    "KPP:      %s\naddress:  %s\nphone:    %s\ncreated:  %s\n\n",
	    (long long)co->id, co->name, admin_kind(co), co->inn, co->kpp,
	    co->address, co->phone, date);
	admin_user_table(u, n);
}

/* admin company show ID */
static int
admin_company_show(const struct app *app, const struct admin_args *a)
{
	struct store_user	*users = NULL;
	struct company		 co;
	struct actor		 who;
	struct err		 e;
	size_t			 n = 0;
	int64_t			 id;
	int			 rc = CLI_OK;

	if ((id = admin_id("company show", a->pos[2])) < 0)
		return CLI_USAGE;
	who = admin_actor(id);
	err_clear(&e);
	company_init(&co);
	if (company_get(app, &who, &co, &e) != 0 ||
	    admin_users_all(app, id, &users, &n, &e) != 0)
		rc = admin_fail("company show", &e);
	else
		admin_company_print(&co, users, n, a->given & OPT_JSON);
	free(users);
	company_release(&co);
	return rc;
}

/* admin user add */
static int
admin_user_add(const struct app *app, const struct admin_args *a)
{
	struct account_new	in = {
		.email = a->email, .name = a->name, .role = a->role,
		.lang = a->lang,
	};
	struct store_user	u;
	struct actor		who;
	struct err		e;
	int64_t			company;

	if (a->email == NULL || a->company == NULL) {
		cli_error("user add: needs --company ID and --email ADDRESS");
		return CLI_USAGE;
	}
	if ((company = admin_id("user add", a->company)) < 0)
		return CLI_USAGE;
	who = admin_actor(company);
	err_clear(&e);
	if (account_add(app, &who, &in, &u, &e) != 0)
		return admin_fail("user add", &e);
	if (a->given & OPT_JSON)
		admin_json_print(auth_user_json(&u));
	else
		printf("user %lld added: %s (%s); a mail with a link to set "
		    "the password is queued\n", (long long)u.id, u.email,
		    u.role);
	return CLI_OK;
}

/* admin user list --company ID */
static int
admin_user_list(const struct app *app, const struct admin_args *a)
{
	struct store_user	*users = NULL;
	struct err		 e;
	json_t			*arr;
	size_t			 n = 0, i;
	int64_t			 company;

	if (a->company == NULL) {
		cli_error("user list: needs --company ID");
		return CLI_USAGE;
	}
	if ((company = admin_id("user list", a->company)) < 0)
		return CLI_USAGE;
	err_clear(&e);
	if (admin_users_all(app, company, &users, &n, &e) != 0) {
		free(users);
		return admin_fail("user list", &e);
	}
	if (a->given & OPT_JSON) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, auth_user_json(&users[i]));
		admin_json_print(arr);
	} else
		admin_user_table(users, n);
	free(users);
	return CLI_OK;
}

/* admin user disable ID */
static int
admin_user_disable(const struct app *app, const struct admin_args *a)
{
	struct account_patch	p = { .disabled = 1 };
	struct store_user	u;
	struct actor		who;
	struct err		e;
	int64_t			id;

	if ((id = admin_id("user disable", a->pos[2])) < 0)
		return CLI_USAGE;
	err_clear(&e);
	if (account_find(app, id, &u, &e) != 0)
		return admin_fail("user disable", &e);
	who = admin_actor(u.company_id);
	if (account_update(app, &who, id, &p, &u, &e) != 0)
		return admin_fail("user disable", &e);
	if (a->given & OPT_JSON)
		admin_json_print(auth_user_json(&u));
	else
		printf("user %lld (%s) disabled; their sessions ended\n",
		    (long long)u.id, u.email);
	return CLI_OK;
}

static const struct admin_cmd admin_cmds[] = {
	{ "company", "add", OPT_NAME | OPT_INN | OPT_KPP | OPT_ADDRESS |
	    OPT_PHONE | OPT_SUPPLIER | OPT_DISTRIBUTOR | OPT_OPERATOR |
	    OPT_JSON, 0, admin_company_add,
	  "usage: tobmen admin company add --name NAME (--supplier |\n"
	  "           --distributor | --supplier --distributor | --operator)\n"
	  "           [--inn INN] [--kpp KPP] [--address TEXT] [--phone TEXT]"
	  " [--json]\n\n"
	  "Creates a company.  A supplier, a distributor or both; --operator\n"
	  "makes the service's own company, whose users may be operators.\n"
	  "The ИНН (10 or 12 digits) and КПП (9) are checked.\n" },
	{ "company", "list", OPT_JSON, 0, admin_company_list,
	  "usage: tobmen admin company list [--json]\n\n"
	  "Lists every company: id, name, ИНН, КПП, kind, creation date.\n" },
	{ "company", "show", OPT_JSON, 1, admin_company_show,
	  "usage: tobmen admin company show ID [--json]\n\n"
	  "Shows a company's card and its users.\n" },
	{ "user", "add", OPT_COMPANY | OPT_EMAIL | OPT_NAME | OPT_ROLE |
	    OPT_LANG | OPT_JSON, 0, admin_user_add,
	  "usage: tobmen admin user add --company ID --email ADDRESS\n"
	  "           [--name NAME] [--role owner|admin|member|operator]\n"
	  "           [--lang ru|en] [--json]\n\n"
	  "Adds a user (role member unless given) and queues a mail with a\n"
	  "link to set a password, valid 7 days.  The role operator is only\n"
	  "for the operator's own company.\n" },
	{ "user", "list", OPT_COMPANY | OPT_JSON, 0, admin_user_list,
	  "usage: tobmen admin user list --company ID [--json]\n\n"
	  "Lists a company's users: id, e-mail, name, role, status (active,\n"
	  "invited: no password yet, disabled) and last login.\n" },
	{ "user", "disable", OPT_JSON, 1, admin_user_disable,
	  "usage: tobmen admin user disable ID [--json]\n\n"
	  "Disables a user and ends their sessions.  The last active owner\n"
	  "of a company cannot be disabled.\n" },
};

#define ADMIN_NCMDS (sizeof(admin_cmds) / sizeof(admin_cmds[0]))

/* Prints the overview of every admin command. */
static void
admin_usage(void)
{
	size_t	i;

	printf("usage: tobmen admin company add|list|show ...\n"
	    "       tobmen admin user add|list|disable ...\n"
	    "       tobmen admin licence issue|list|block|unblock ...\n\n"
	    "The operator's command line for companies and users.  Run\n"
	    "\"tobmen admin WHAT VERB --help\" for each command:\n\n");
	for (i = 0; i < ADMIN_NCMDS; i++)
		printf("  %s %s\n", admin_cmds[i].what, admin_cmds[i].verb);
	cli_settings_usage();
}

/* Finds the command named by the first two words, or NULL. */
static const struct admin_cmd *
admin_find(const struct admin_args *a)
{
	size_t	i;

	if (a->npos < 2)
		return NULL;
	for (i = 0; i < ADMIN_NCMDS; i++)
		if (strcmp(admin_cmds[i].what, a->pos[0]) == 0 &&
		    strcmp(admin_cmds[i].verb, a->pos[1]) == 0)
			return &admin_cmds[i];
	return NULL;
}

/* Checks the arguments fit cmd.  Returns CLI_OK or CLI_USAGE. */
static int
admin_check(const struct admin_cmd *cmd, const struct admin_args *a)
{
	size_t	i;

	for (i = 0; i < sizeof(admin_opts) / sizeof(admin_opts[0]); i++)
		if ((a->given & admin_opts[i].bit) &&
		    !(cmd->allowed & admin_opts[i].bit)) {
			cli_error("admin %s %s: %s does not apply", cmd->what,
			    cmd->verb, admin_opts[i].flag);
			return CLI_USAGE;
		}
	if (a->npos != 2 + cmd->npos) {
		cli_error("admin %s %s: wrong number of arguments (see "
		    "--help)", cmd->what, cmd->verb);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int
admin_store_open(struct app *app)
{
	struct err	e;

	err_clear(&e);
	if (store_open(app->cfg->db, 1, app->cfg->db_busy_timeout_ms,
	    &app->store, &e) != STORE_OK) {
		cli_error("cannot open the store: %s", e.msg);
		return CLI_FAIL;
	}
	if (store_schema_check(app->store, &e) != STORE_OK) {
		cli_error("%s", e.msg);
		store_close(app->store);
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* Opens the store, checks its schema and runs cmd. */
static int
admin_run(const struct config *cfg, const struct admin_cmd *cmd,
    const struct admin_args *a)
{
	struct app	app = { .cfg = cfg };
	struct err	e;
	int		rc;

	err_clear(&e);
	if (mail_init(cfg, &e) == -1) {
		cli_error("%s", e.msg);
		return CLI_FAIL;
	}
	if (admin_store_open(&app) != CLI_OK)
		return CLI_FAIL;
	rc = cmd->run(&app, a);
	store_close(app.store);
	return rc;
}

/* Picks the command from the words and runs or explains it. */
static int
admin_dispatch(const struct config *cfg, const struct admin_args *a)
{
	const struct admin_cmd	*cmd = admin_find(a);
	int			 rc;

	if (cmd == NULL) {
		if (a->help) {
			admin_usage();
			return CLI_OK;
		}
		cli_error("admin: unknown command (see tobmen admin --help)");
		return CLI_USAGE;
	}
	if (a->help) {
		fputs(cmd->usage, stdout);
		return CLI_OK;
	}
	if ((rc = admin_check(cmd, a)) != CLI_OK)
		return rc;
	return admin_run(cfg, cmd, a);
}

int
cli_admin(int argc, char **argv, char **envp)
{
	struct config		  cfg;
	struct admin_args	  a;
	char			**args;
	int			 *rest, nrest, i, rc;

	rest = xcalloc((size_t)argc, sizeof(*rest));
	args = xcalloc((size_t)argc + 1, sizeof(*args));
	rc = cli_config(&cfg, argc, argv, envp, rest, &nrest);
	if (rc != CLI_OK)
		goto release;
	for (i = 0; i < nrest; i++)
		args[i] = argv[rest[i]];
	if (nrest > 0 && strcmp(args[0], "licence") == 0) {
		rc = admin_licence(&cfg, nrest - 1, args + 1);
		goto release;
	}
	rc = admin_parse(nrest, args, &a);
	if (rc == CLI_OK)
		rc = admin_dispatch(&cfg, &a);

release:
	config_release(&cfg);
	free(args);
	free(rest);
	return rc;
}
