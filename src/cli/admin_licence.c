/*
 * admin_licence.c - "tobmen admin licence": the operator issues, lists,
 * blocks and unblocks licences of the mobile trade app.
 *
 *	tobmen admin licence issue --company ID --count N [--owner ID]
 *	tobmen admin licence list --company ID
 *	tobmen admin licence block|unblock NUMBER
 *
 * Tables for people, --json for scripts.  Acts as the operator; every
 * rule is checked in domain/licence*.c and every change audited there.
 */
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
#include "core/xmalloc.h"
#include "domain/licence.h"
#include "store/store.h"

/* The parsed arguments after "licence". */
struct lic_args {
	const char	*verb;
	const char	*number;
	const char	*company, *owner, *count;
	bool		 json, help;
};

/* One verb: what it needs and its help. */
struct lic_cmd {
	const char	*verb;
	bool		 positional;	/* takes NUMBER */
	int		(*run)(const struct app *app,
			    const struct lic_args *a);
	const char	*usage;
};

/* Prints err e as the command's failure. */
static int
lic_fail(const char *what, const struct err *e)
{
	if (e->field[0] != '\0')
		cli_error("licence %s: %s (%s)", what, e->msg, e->field);
	else
		cli_error("licence %s: %s", what, e->msg);
	return CLI_FAIL;
}

/* Parses a positive id argument; -1 after an error message. */
static int64_t
lic_id(const char *what, const char *flag, const char *s)
{
	int64_t	id = auth_id(s);

	if (id < 0)
		cli_error("licence %s: %s \"%s\" is not an id", what, flag,
		    s != NULL ? s : "");
	return id;
}

/* A licence as JSON, as the operator sees it. */
static json_t *
lic_json(const struct store_licence *l)
{
	char	code[20], c[32], a[32], t[32];

	licence_code_format(l->code, code);
	clock_format_rfc3339(l->created_at, c);
	clock_format_rfc3339(l->activated_at, a);
	clock_format_rfc3339(l->last_contact_at, t);
	return json_pack("{s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, "
	    "s:s, s:b, s:s, s:o, s:o}", "number", l->number,
	    "activation_code", code,
	    "owner", "id", (json_int_t)l->owner_id, "name", l->owner_name,
	    "holder", "id", (json_int_t)l->holder_id, "name", l->holder_name,
	    "user", l->user_name, "config_version", l->config_version,
	    "mdm_id", l->mdm_id, "blocked", l->blocked, "created_at", c,
	    "activated_at", l->activated_at ? json_string(a) : json_null(),
	    "last_contact_at", l->last_contact_at ? json_string(t) :
	    json_null());
}

/* Prints licences as a table. */
static void
lic_print_table(const struct store_licence *items, size_t n)
{
	static const char *const head[] = {
		"NUMBER", "ACTIVATION CODE", "HOLDER", "OWNER", "USER",
		"VERSION", "MDM ID", "STATUS", "LAST CONTACT",
	};
	char	**cells = xcalloc(n * 9 + 1, sizeof(*cells));
	char	  code[20], date[32];
	size_t	  i, k;

	for (i = 0; i < n; i++) {
		const struct store_licence *l = &items[i];

		licence_code_format(l->code, code);
		admin_date(l->last_contact_at, date);
		k = i * 9;
		cells[k] = xstrdup(l->number);
		cells[k + 1] = xstrdup(code);
		cells[k + 2] = xasprintf("%lld", (long long)l->holder_id);
		cells[k + 3] = xasprintf("%lld", (long long)l->owner_id);
		cells[k + 4] = xstrdup(l->user_name[0] ? l->user_name : "-");
		cells[k + 5] = xstrdup(l->config_version[0] ?
		    l->config_version : "-");
		cells[k + 6] = xstrdup(l->mdm_id[0] ? l->mdm_id : "-");
		cells[k + 7] = xstrdup(l->blocked ? "blocked" : "active");
		cells[k + 8] = xstrdup(date);
	}
	admin_table(head, 9, cells, n);
	admin_cells_free(cells, n * 9);
}

/* The operator, acting on no company of its own. */
static struct actor
lic_actor(void)
{
	struct actor	who;

	memset(&who, 0, sizeof(who));
	who.role = ROLE_OPERATOR;
	return who;
}

/* licence issue --company ID --count N [--owner ID] */
static int
lic_issue(const struct app *app, const struct lic_args *a)
{
	struct store_licence	*items = NULL;
	struct actor		 who = lic_actor();
	struct err		 e;
	json_t			*arr;
	int64_t			 company, owner = 0, count;
	size_t			 n = 0, i;

	if (a->company == NULL || a->count == NULL) {
		cli_error("licence issue: needs --company ID and --count N");
		return CLI_USAGE;
	}
	if ((company = lic_id("issue", "--company", a->company)) < 0 ||
	    (a->owner != NULL &&
	    (owner = lic_id("issue", "--owner", a->owner)) < 0))
		return CLI_USAGE;
	if ((count = auth_id(a->count)) < 1 || count > LICENCE_ISSUE_MAX) {
		cli_error("licence issue: --count must be 1 to %d",
		    LICENCE_ISSUE_MAX);
		return CLI_USAGE;
	}
	err_clear(&e);
	if (licence_issue(app, &who, company, owner, (int)count, &items, &n,
	    &e) != 0) {
		free(items);
		return lic_fail("issue", &e);
	}
	if (a->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, lic_json(&items[i]));
		admin_json_print(arr);
	} else {
		printf("%zu licence%s issued to %s (owner: %s)\n\n", n,
		    n == 1 ? "" : "s", items[0].holder_name,
		    items[0].owner_name);
		lic_print_table(items, n);
	}
	free(items);
	return CLI_OK;
}

/* licence list --company ID */
static int
lic_list(const struct app *app, const struct lic_args *a)
{
	struct store_licence	*items = NULL, *all = NULL;
	struct err		 e;
	json_t			*arr;
	char			 after[LICENCE_NUMBER_LEN + 1] = "";
	int64_t			 company;
	size_t			 n = 0, total = 0, i;
	bool			 more = true;

	if (a->company == NULL) {
		cli_error("licence list: needs --company ID");
		return CLI_USAGE;
	}
	if ((company = lic_id("list", "--company", a->company)) < 0)
		return CLI_USAGE;
	err_clear(&e);
	while (more) {
		if (licence_company_list(app, company, after,
		    LICENCE_PAGE_MAX, &items, &n, &more, &e) != 0) {
			free(items);
			free(all);
			return lic_fail("list", &e);
		}
		all = xrealloc(all, (total + n + 1) * sizeof(*all));
		memcpy(all + total, items, n * sizeof(*items));
		total += n;
		if (n > 0)
			memcpy(after, items[n - 1].number, sizeof(after));
		free(items);
	}
	if (a->json) {
		arr = json_array();
		for (i = 0; i < total; i++)
			json_array_append_new(arr, lic_json(&all[i]));
		admin_json_print(arr);
	} else
		lic_print_table(all, total);
	free(all);
	return CLI_OK;
}

/* licence block|unblock NUMBER */
static int
lic_block(const struct app *app, const struct lic_args *a)
{
	struct store_licence	*l = xmalloc(sizeof(*l));
	struct actor		 who = lic_actor();
	struct err		 e;
	bool			 on = strcmp(a->verb, "block") == 0;
	bool			 changed = false;
	int			 rc = CLI_OK;

	err_clear(&e);
	if (licence_block(app, &who, a->number, on, l, &changed, &e) != 0)
		rc = lic_fail(a->verb, &e);
	else if (a->json)
		admin_json_print(lic_json(l));
	else if (changed)
		printf("licence %s %s\n", l->number,
		    on ? "blocked" : "unblocked");
	else
		printf("licence %s was %s already; nothing changed\n",
		    l->number, on ? "blocked" : "not blocked");
	free(l);
	return rc;
}

static const struct lic_cmd lic_cmds[] = {
	{ "issue", false, lic_issue,
	  "usage: tobmen admin licence issue --company ID --count N\n"
	  "           [--owner ID] [--json]\n\n"
	  "Issues N licences of the mobile trade app (1 to 10000) to company\n"
	  "ID, whose agents will use them.  --owner names the company that\n"
	  "pays for them, when it is not the same: it must be a supplier.\n"
	  "Each licence gets a random 20-digit number and a 16-digit\n"
	  "activation code, printed in groups of four.\n" },
	{ "list", false, lic_list,
	  "usage: tobmen admin licence list --company ID [--json]\n\n"
	  "Lists every licence the company holds or owns: number, activation\n"
	  "code, holder and owner ids, agent, configuration version, bound\n"
	  "device (MDM ID), blocked or active, and the last contact.\n" },
	{ "block", true, lic_block,
	  "usage: tobmen admin licence block NUMBER [--json]\n\n"
	  "Blocks a licence: its device can neither activate nor exchange\n"
	  "data, and it cannot be connected to a supplier.  The binding and\n"
	  "the service statuses are kept for when it is unblocked.\n" },
	{ "unblock", true, lic_block,
	  "usage: tobmen admin licence unblock NUMBER [--json]\n\n"
	  "Lifts the block of a licence.\n" },
};

#define LIC_NCMDS (sizeof(lic_cmds) / sizeof(lic_cmds[0]))

/* Prints the overview of the licence commands. */
static void
lic_usage(void)
{
	printf("usage: tobmen admin licence issue --company ID --count N "
	    "[--owner ID]\n"
	    "       tobmen admin licence list --company ID\n"
	    "       tobmen admin licence block|unblock NUMBER\n\n"
	    "The operator's command line for licences of the mobile trade "
	    "app.\nEach takes --json for output to scripts; run \"tobmen "
	    "admin licence\nVERB --help\" for one command.\n");
	cli_settings_usage();
}

/* Takes the value of flag at args[*i] ("--flag V" or "--flag=V"). */
static int
lic_value(int n, char **args, int *i, size_t flen, const char **out)
{
	const char	*arg = args[*i];

	if (arg[flen] == '=') {
		*out = arg + flen + 1;
		return CLI_OK;
	}
	if (*i + 1 >= n) {
		cli_error("admin licence: %s needs a value", arg);
		return CLI_USAGE;
	}
	*out = args[++*i];
	return CLI_OK;
}

/* Reads one argument at args[*i] into a. */
static int
lic_parse_one(int n, char **args, int *i, struct lic_args *a)
{
	static const char *const flags[] = { "--company", "--owner",
	    "--count" };
	const char	**slots[] = { &a->company, &a->owner, &a->count };
	const char	*arg = args[*i];
	size_t		 k, len;

	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
		a->help = true;
	else if (strcmp(arg, "--json") == 0)
		a->json = true;
	else if (strncmp(arg, "--", 2) != 0) {
		if (a->verb == NULL)
			a->verb = arg;
		else if (a->number == NULL)
			a->number = arg;
		else
			return cli_unknown_arg("admin licence", arg);
	} else {
		for (k = 0; k < 3; k++) {
			len = strlen(flags[k]);
			if (strncmp(arg, flags[k], len) == 0 &&
			    (arg[len] == '\0' || arg[len] == '='))
				return lic_value(n, args, i, len, slots[k]);
		}
		return cli_unknown_arg("admin licence", arg);
	}
	return CLI_OK;
}

/* Checks the arguments fit cmd. */
static int
lic_check(const struct lic_cmd *cmd, const struct lic_args *a)
{
	bool	needs_company = strcmp(cmd->verb, "issue") == 0 ||
	    strcmp(cmd->verb, "list") == 0;

	if (cmd->positional != (a->number != NULL)) {
		cli_error("admin licence %s: wrong number of arguments (see "
		    "--help)", cmd->verb);
		return CLI_USAGE;
	}
	if ((!needs_company && (a->company || a->owner || a->count)) ||
	    (strcmp(cmd->verb, "list") == 0 && (a->owner || a->count))) {
		cli_error("admin licence %s: an option does not apply (see "
		    "--help)", cmd->verb);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* Opens the store, checks its schema and runs cmd. */
static int
lic_run(const struct config *cfg, const struct lic_cmd *cmd,
    const struct lic_args *a)
{
	struct app	app = { .cfg = cfg };
	int		rc;

	if (admin_store_open(&app) != CLI_OK)
		return CLI_FAIL;
	rc = cmd->run(&app, a);
	store_close(app.store);
	return rc;
}

int
admin_licence(const struct config *cfg, int n, char **args)
{
	struct lic_args	 a;
	size_t		 k;
	int		 i, rc;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < n; i++)
		if ((rc = lic_parse_one(n, args, &i, &a)) != CLI_OK)
			return rc;
	for (k = 0; a.verb != NULL && k < LIC_NCMDS; k++)
		if (strcmp(lic_cmds[k].verb, a.verb) == 0)
			break;
	if (a.verb == NULL || k == LIC_NCMDS) {
		if (a.help && a.verb == NULL) {
			lic_usage();
			return CLI_OK;
		}
		cli_error("admin licence: unknown command (see tobmen admin "
		    "licence --help)");
		return CLI_USAGE;
	}
	if (a.help) {
		fputs(lic_cmds[k].usage, stdout);
		return CLI_OK;
	}
	if ((rc = lic_check(&lic_cmds[k], &a)) != CLI_OK)
		return rc;
	return lic_run(cfg, &lic_cmds[k], &a);
}
