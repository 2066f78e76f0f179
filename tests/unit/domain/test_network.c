/*
 * test_network.c - the network's rules that need no server: distributor
 * codes, shown statuses, the CSV reader, and, on a real SQLite store,
 * what the licence hook changes (the count on a card, the confirmation
 * needed to take the permission away, licences dropped at disconnection).
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/xmalloc.h"
#include "domain/network.h"
#include "domain/token.h"
#include "store/company.h"
#include "store/link.h"

/* --- codes and statuses ---------------------------------------------- */

static void
test_code_parse(void **state)
{
	struct err	e;
	int64_t		code = 0;

	(void)state;
	assert_int_equal(network_code_parse("18902", &code, &e), 0);
	assert_int_equal(code, 18902);
	assert_int_equal(network_code_parse("10000", &code, &e), 0);
	assert_int_equal(network_code_parse("99999", &code, &e), 0);
	assert_int_equal(network_code_parse("09999", &code, &e), -1);
	assert_string_equal(e.id, "code_invalid");
	assert_string_equal(e.field, "code");
	assert_int_equal(network_code_parse("1890", &code, &e), -1);
	assert_int_equal(network_code_parse("189020", &code, &e), -1);
	assert_int_equal(network_code_parse("1890a", &code, &e), -1);
	assert_int_equal(network_code_parse("+1890", &code, &e), -1);
	assert_int_equal(network_code_parse(" 1890", &code, &e), -1);
	assert_int_equal(network_code_parse("", &code, &e), -1);
	assert_int_equal(network_code_parse(NULL, &code, &e), -1);
}

static void
test_status(void **state)
{
	struct store_link	l;

	(void)state;
	memset(&l, 0, sizeof(l));
	snprintf(l.status, sizeof(l.status), "invited");
	l.expires_at = 1000;
	assert_string_equal(network_status(&l, 999), "invited");
	assert_string_equal(network_status(&l, 1000), "expired");
	snprintf(l.status, sizeof(l.status), "accepted");
	assert_string_equal(network_status(&l, 5000), "accepted");
	snprintf(l.status, sizeof(l.status), "disconnected");
	assert_string_equal(network_status(&l, 5000), "disconnected");
	snprintf(l.status, sizeof(l.status), "bogus");
	assert_string_equal(network_status(&l, 5000), "unknown");
}

/* --- the CSV reader -------------------------------------------------- */

/* Parses csv, failing the test if that fails. */
static struct network_import_row *
parse_ok(const char *csv, size_t *n)
{
	struct network_import_row	*rows = NULL;
	struct err			 e;

	if (network_import_parse(csv, strlen(csv), &rows, n, &e) != 0)
		fail_msg("parse failed: %s", e.msg);
	return rows;
}

static void
test_csv_semicolons_bom_titles_quotes(void **state)
{
	struct network_import_row	*r;
	size_t				 n;

	(void)state;
	r = parse_ok("\xEF\xBB\xBF" "Название;Электронная почта;Код\r\n"
	    "ООО Альфа; alfa@example.com ;18902\r\n"
	    "\r\n"
	    "\"ООО \"\"Бета\"\"; филиал\";beta@example.com;\r\n"
	    "\"Две\nстроки\";two@example.com\r\n"
	    "Гамма;g@example.com;12345;;\r\n", &n);
	assert_int_equal(n, 4);
	assert_int_equal(r[0].line, 2);
	assert_string_equal(r[0].name, "ООО Альфа");
	assert_string_equal(r[0].email, "alfa@example.com");
	assert_string_equal(r[0].code, "18902");
	assert_int_equal(r[0].err.code, ERR_NONE);
	assert_int_equal(r[1].line, 4);
	assert_string_equal(r[1].name, "ООО \"Бета\"; филиал");
	assert_string_equal(r[1].code, "");
	assert_int_equal(r[2].line, 5);
	assert_string_equal(r[2].name, "Две\nстроки");
	assert_int_equal(r[3].line, 7);
	assert_int_equal(r[3].err.code, ERR_NONE);
	free(r);
}

static void
test_csv_commas_without_titles(void **state)
{
	struct network_import_row	*r;
	size_t				 n;

	(void)state;
	/* The first line is data (it has an address), CR line ends. */
	r = parse_ok("Альфа,a@example.com,\rБета,b@example.com,23456", &n);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].line, 1);
	assert_string_equal(r[0].email, "a@example.com");
	assert_int_equal(r[1].line, 2);
	assert_string_equal(r[1].code, "23456");
	free(r);

	/* A first line without '@' whose second column is not an address
	 * title is kept, so its error is reported, not hidden. */
	r = parse_ok("Альфа;пусто\nБета;b@example.com\n", &n);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].email, "пусто");
	free(r);
}

static void
test_csv_bad_rows_are_marked(void **state)
{
	struct network_import_row	*r;
	char				*big;
	size_t				 n;

	(void)state;
	big = xmalloc(2 * LINK_NAME_SIZE + 64);
	memset(big, 'x', 2 * LINK_NAME_SIZE);
	snprintf(big + 2 * LINK_NAME_SIZE, 64, ";l@example.com\n");
	r = parse_ok("Только имя\nИмя;a@example.com;12345;лишнее\n", &n);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].err.id, "fields_missing");
	assert_string_equal(r[1].err.id, "too_many_fields");
	free(r);

	r = parse_ok(big, &n);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].err.id, "field_too_long");
	free(r);
	free(big);
}

static void
test_csv_whole_file_refusals(void **state)
{
	struct network_import_row	*r = NULL;
	struct err			 e;
	char				*many;
	size_t				 n, i, len = 0;

	(void)state;
	assert_int_equal(network_import_parse("", 0, &r, &n, &e), -1);
	assert_string_equal(e.id, "csv_empty");
	free(r);
	assert_int_equal(network_import_parse("Название;E-mail\r\n\r\n",
	    strlen("Название;E-mail\r\n\r\n"), &r, &n, &e), -1);
	assert_string_equal(e.id, "csv_empty");
	free(r);

	many = xmalloc((NETWORK_IMPORT_MAX + 1) * 32);
	for (i = 0; i <= NETWORK_IMPORT_MAX; i++)
		len += (size_t)sprintf(many + len, "n;d%zu@example.com\n", i);
	assert_int_equal(network_import_parse(many, len, &r, &n, &e), -1);
	assert_string_equal(e.id, "too_many_rows");
	assert_int_equal(e.code, ERR_TOOLARGE);
	free(r);
	/* Exactly the limit is fine. */
	len -= strlen(strrchr(many, 'n'));
	assert_int_equal(network_import_parse(many, len, &r, &n, &e), 0);
	assert_int_equal(n, NETWORK_IMPORT_MAX);
	free(r);
	free(many);
}

/* --- the licence hook on a real store -------------------------------- */

struct fx {
	char		 dir[64];
	struct config	 cfg;
	struct store	*st;
	struct app	 app;
	int64_t		 supplier;
	int64_t		 distributor;
};

/* What the fake licence module was asked and answers. */
static int64_t	lic_owned, lic_in_service;
static int64_t	lic_dropped_supplier, lic_dropped_distributor;

static int
lic_count_in_service(struct store_conn *c, int64_t s, int64_t d,
    int64_t *n, struct err *e)
{
	(void)c;
	(void)s;
	(void)d;
	(void)e;
	*n = lic_in_service;
	return 0;
}

static int
lic_count_owned(struct store_conn *c, int64_t s, int64_t d, int64_t *n,
    struct err *e)
{
	(void)c;
	(void)s;
	(void)d;
	(void)e;
	*n = lic_owned;
	return 0;
}

static int
lic_drop(struct store_conn *c, int64_t s, int64_t d, int64_t now,
    struct err *e)
{
	(void)c;
	(void)now;
	(void)e;
	lic_dropped_supplier = s;
	lic_dropped_distributor = d;
	return 0;
}

static const struct network_licences fake_licences = {
	.in_service = lic_count_in_service,
	.owned_by_supplier = lic_count_owned,
	.drop = lic_drop,
};

/* Adds a company with the given kinds; returns its id. */
static int64_t
company_new(struct store *st, const char *name, bool sup, bool dis)
{
	struct store_conn	*c;
	struct company		 co;
	struct err		 e;
	int64_t			 id;

	company_init(&co);
	co.name = xstrdup(name);
	co.is_supplier = sup;
	co.is_distributor = dis;
	c = store_acquire(st, &e);
	assert_non_null(c);
	assert_int_equal(store_company_insert(c, &co, &e), STORE_OK);
	id = co.id;
	store_release(c);
	company_release(&co);
	return id;
}

static int
setup_store(void **state)
{
	struct fx	*f = xcalloc(1, sizeof(*f));
	struct err	 e;
	char		*url;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tobmen-network-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	url = xasprintf("sqlite:%s/t.db", f->dir);
	config_init(&f->cfg);
	if (store_open(url, 2, 5000, &f->st, &e) != STORE_OK ||
	    store_migrate(f->st, NULL, &e) != STORE_OK) {
		fprintf(stderr, "store: %s\n", e.msg);
		free(url);
		return -1;
	}
	free(url);
	f->app.cfg = &f->cfg;
	f->app.store = f->st;
	f->supplier = company_new(f->st, "ООО Поставщик", true, false);
	f->distributor = company_new(f->st, "ООО Дистрибьютор", false, true);
	*state = f;
	return 0;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown_store(void **state)
{
	struct fx	*f = *state;

	network_licences_set(NULL);
	store_close(f->st);
	config_release(&f->cfg);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct actor
actor_of(int64_t company)
{
	struct actor	a;

	memset(&a, 0, sizeof(a));
	a.company_id = company;
	a.role = ROLE_OWNER;
	snprintf(a.ip, sizeof(a.ip), "127.0.0.1");
	return a;
}

/* Stores an invitation of f's supplier with a known token. */
static void
invitation_new(struct fx *f, const char *token)
{
	struct store_conn	*c;
	struct store_link	 l;
	struct err		 e;
	char			 hash[TOKEN_HASH_LEN + 1];
	int64_t			 id;

	memset(&l, 0, sizeof(l));
	l.supplier_id = f->supplier;
	l.code = 18902;
	snprintf(l.name, sizeof(l.name), "Дистрибьютор");
	snprintf(l.email, sizeof(l.email), "d@example.com");
	snprintf(l.lang, sizeof(l.lang), "ru");
	l.expires_at = clock_now_ms() + 60 * 1000;
	token_hash(token, hash);
	c = store_acquire(f->st, &e);
	assert_non_null(c);
	assert_int_equal(store_link_insert(c, &l, hash, clock_now_ms(), &id,
	    &e), STORE_OK);
	store_release(c);
}

static void
test_permission_confirm_and_drop(void **state)
{
	struct fx		*f = *state;
	struct actor		 d = actor_of(f->distributor);
	struct actor		 s = actor_of(f->supplier);
	struct network_link	*out = xcalloc(1, sizeof(*out));
	struct err		 e;
	char			 token[TOKEN_LEN + 1];
	int64_t			 owned = -1, id;

	token_new(token);
	invitation_new(f, token);
	network_licences_set(&fake_licences);
	lic_in_service = 2;
	lic_owned = 3;

	assert_int_equal(network_answer(&f->app, &d, token, true, out, &e),
	    0);
	id = out->row.id;
	assert_int_equal(out->licences, 2);
	assert_string_equal(out->status, "accepted");
	assert_false(out->row.manage_licences);

	assert_int_equal(network_permission(&f->app, &d, id, true, false,
	    out, &owned, &e), 0);
	assert_true(out->row.manage_licences);

	/* Clearing it while the supplier owns licences needs a yes. */
	assert_int_equal(network_permission(&f->app, &d, id, false, false,
	    out, &owned, &e), -1);
	assert_string_equal(e.id, "confirm_required");
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(owned, 3);
	assert_int_equal(network_supplier(&f->app, &d, id, out, &e), 0);
	assert_true(out->row.manage_licences);
	assert_int_equal(network_permission(&f->app, &d, id, false, true,
	    out, &owned, &e), 0);
	assert_false(out->row.manage_licences);

	/* With nothing owned, no question is asked. */
	lic_owned = 0;
	assert_int_equal(network_permission(&f->app, &d, id, true, false,
	    out, &owned, &e), 0);
	assert_int_equal(network_permission(&f->app, &d, id, false, false,
	    out, &owned, &e), 0);

	/* Disconnecting takes the licences out of service. */
	assert_int_equal(network_disconnect(&f->app, &s, id, "конец", out,
	    &e), 0);
	assert_string_equal(out->status, "disconnected");
	assert_int_equal(out->licences, 0);
	assert_int_equal(lic_dropped_supplier, f->supplier);
	assert_int_equal(lic_dropped_distributor, f->distributor);
	free(out);
}

static void
test_without_licence_module_counts_are_zero(void **state)
{
	struct fx		*f = *state;
	struct actor		 d = actor_of(f->distributor);
	struct network_link	*out = xcalloc(1, sizeof(*out));
	struct err		 e;
	char			 token[TOKEN_LEN + 1];
	int64_t			 owned = -1;

	token_new(token);
	invitation_new(f, token);
	assert_int_equal(network_answer(&f->app, &d, token, true, out, &e),
	    0);
	assert_int_equal(out->licences, 0);
	assert_int_equal(network_permission(&f->app, &d, out->row.id, true,
	    false, out, &owned, &e), 0);
	assert_int_equal(network_permission(&f->app, &d, out->row.id, false,
	    false, out, &owned, &e), 0);
	assert_int_equal(owned, 0);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_parse),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_csv_semicolons_bom_titles_quotes),
		cmocka_unit_test(test_csv_commas_without_titles),
		cmocka_unit_test(test_csv_bad_rows_are_marked),
		cmocka_unit_test(test_csv_whole_file_refusals),
		cmocka_unit_test_setup_teardown(
		    test_permission_confirm_and_drop, setup_store,
		    teardown_store),
		cmocka_unit_test_setup_teardown(
		    test_without_licence_module_counts_are_zero, setup_store,
		    teardown_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
