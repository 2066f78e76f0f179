/*
 * test_licence.c - the licence module's rules that need no server:
 * numbers, activation codes, MDM IDs, names, case folding for search,
 * batches of numbers; and, on a real SQLite store, the whole life of a
 * licence: issued, connected, activated, authenticated by its device
 * token, moved, dropped out of service when its link ends, and paged.
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
#include "domain/device.h"
#include "domain/licence.h"
#include "domain/licence_int.h"
#include "domain/network.h"
#include "domain/token.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/link.h"

#define MDM	"64b7f786-4e43-42d2-925b-a3855ec16ff5"

/* --- pure helpers ---------------------------------------------------- */

static void
test_numbers_and_codes(void **state)
{
	char	number[LICENCE_NUMBER_LEN + 1], code[LICENCE_CODE_LEN + 1];
	char	shown[20];
	int	i;

	(void)state;
	assert_true(licence_number_valid("28318880842714221959"));
	assert_false(licence_number_valid("2831888084271422195"));
	assert_false(licence_number_valid("283188808427142219590"));
	assert_false(licence_number_valid("2831888084271422195a"));
	assert_false(licence_number_valid(NULL));

	assert_int_equal(licence_code_parse("5280-4543-2633-4521", code), 0);
	assert_string_equal(code, "5280454326334521");
	assert_int_equal(licence_code_parse("5280 4543 2633 4521", code), 0);
	assert_int_equal(licence_code_parse("5280454326334521", code), 0);
	assert_int_equal(licence_code_parse("5280-4543-2633-452", code), -1);
	assert_int_equal(licence_code_parse("52804543263345211", code), -1);
	assert_int_equal(licence_code_parse("5280-4543-2633-452x", code), -1);
	assert_int_equal(licence_code_parse(NULL, code), -1);
	licence_code_format("5280454326334521", shown);
	assert_string_equal(shown, "5280-4543-2633-4521");

	for (i = 0; i < 1000; i++) {
		licence_generate(number, code);
		assert_true(licence_number_valid(number));
		assert_true(number[0] != '0');
		assert_int_equal(strlen(code), LICENCE_CODE_LEN);
		assert_int_equal(strspn(code, "0123456789"), LICENCE_CODE_LEN);
	}
}

static void
test_mdm_ids(void **state)
{
	char	out[LICENCE_MDM_SIZE];

	(void)state;
	assert_true(device_mdm_parse("64B7F786-4E43-42D2-925B-A3855EC16FF5",
	    out));
	assert_string_equal(out, MDM);
	assert_false(device_mdm_parse("64b7f786-4e43-42d2-925b-a3855ec16ff",
	    out));
	assert_false(device_mdm_parse("64b7f786x4e43-42d2-925b-a3855ec16ff5",
	    out));
	assert_false(device_mdm_parse("g4b7f786-4e43-42d2-925b-a3855ec16ff5",
	    out));
	assert_false(device_mdm_parse(NULL, out));
}

static void
test_fold_search_and_names(void **state)
{
	char		out[LICENCE_SEARCH_SIZE], user[LICENCE_USER_SIZE];
	char		tiny[8];
	char		*lng;
	struct err	e;

	(void)state;
	store_licence_fold("ЁЛКИНА Мария ёж ABC-1.0", out, sizeof(out));
	assert_string_equal(out, "елкина мария еж abc-1.0");
	store_licence_fold("ЯЯЯЯЯ", tiny, sizeof(tiny));
	assert_string_equal(tiny, "яяя");

	assert_int_equal(licence_search_prepare("  Меркулова  ", out, &e), 0);
	assert_string_equal(out, "меркулова");
	assert_int_equal(licence_search_prepare(NULL, out, &e), 0);
	assert_string_equal(out, "");
	assert_int_equal(licence_search_prepare("a\tb", out, &e), -1);
	assert_string_equal(e.id, "search_invalid");
	lng = xcalloc(1, 202);
	memset(lng, 'x', 101);
	assert_int_equal(licence_search_prepare(lng, out, &e), -1);
	free(lng);

	assert_int_equal(licence_user_check(" Иванов Пётр ", user, &e), 0);
	assert_string_equal(user, "Иванов Пётр");
	assert_int_equal(licence_user_check("   ", user, &e), -1);
	assert_string_equal(e.id, "user_invalid");
	assert_string_equal(e.field, "user");
	assert_int_equal(licence_user_check("a\nb", user, &e), -1);
	assert_int_equal(licence_user_check(NULL, user, &e), -1);
}

static void
test_batches_of_numbers(void **state)
{
	const char	*in[] = {
		"30000000000000000003", "10000000000000000001",
		"30000000000000000003", "20000000000000000002",
	};
	const char	*bad[] = { "10000000000000000001", "12" };
	licence_number_t	*out = NULL;
	struct err	 e;
	size_t		 n = 0;

	(void)state;
	assert_int_equal(licence_numbers_prepare(in, 4, &out, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "10000000000000000001");
	assert_string_equal(out[2], "30000000000000000003");
	free(out);
	assert_int_equal(licence_numbers_prepare(bad, 2, &out, &n, &e), -1);
	assert_string_equal(e.id, "licences_invalid");
	free(out);
	assert_int_equal(licence_numbers_prepare(in, 0, &out, &n, &e), -1);
	free(out);
}

/* --- on a real store ------------------------------------------------- */

struct fx {
	char		 dir[64];
	struct config	 cfg;
	struct store	*st;
	struct app	 app;
	int64_t		 supplier;
	int64_t		 distributor;
};

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

	snprintf(f->dir, sizeof(f->dir), "/tmp/tobmen-licence-XXXXXX");
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
	f->distributor = company_new(f->st, "ИП Меркулова", false, true);
	licence_network_register();
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
actor_of(int64_t company, enum account_role role)
{
	struct actor	a;

	memset(&a, 0, sizeof(a));
	a.company_id = company;
	a.role = role;
	snprintf(a.ip, sizeof(a.ip), "127.0.0.1");
	return a;
}

/* Links f's distributor into f's supplier's network; returns the id. */
static int64_t
link_new(struct fx *f)
{
	struct actor		 d = actor_of(f->distributor, ROLE_OWNER);
	struct network_link	*out = xcalloc(1, sizeof(*out));
	struct store_conn	*c;
	struct store_link	 l;
	struct err		 e;
	char			 token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	int64_t			 id;

	memset(&l, 0, sizeof(l));
	l.supplier_id = f->supplier;
	l.code = 18902;
	snprintf(l.name, sizeof(l.name), "Дистрибьютор");
	snprintf(l.email, sizeof(l.email), "d@example.com");
	snprintf(l.lang, sizeof(l.lang), "ru");
	l.expires_at = clock_now_ms() + 60 * 1000;
	token_new(token);
	token_hash(token, hash);
	c = store_acquire(f->st, &e);
	assert_non_null(c);
	assert_int_equal(store_link_insert(c, &l, hash, clock_now_ms(), &id,
	    &e), STORE_OK);
	store_release(c);
	assert_int_equal(network_answer(&f->app, &d, token, true, out, &e),
	    0);
	id = out->row.id;
	free(out);
	return id;
}

/* Counts the audit entries of company with action. */
static int	audit_hits;
static const char *audit_want;

static int
audit_count(const struct audit_entry *a, void *arg)
{
	(void)arg;
	audit_hits += strcmp(a->action, audit_want) == 0;
	return 0;
}

static int
audit_of(struct fx *f, int64_t company, const char *action)
{
	struct store_conn	*c;
	struct err		 e;

	audit_hits = 0;
	audit_want = action;
	c = store_acquire(f->st, &e);
	assert_non_null(c);
	assert_int_equal(store_audit_list(c, company, 0, AUDIT_LIST_MAX,
	    audit_count, NULL, NULL, &e), STORE_OK);
	store_release(c);
	return audit_hits;
}

static void
test_life_of_a_licence(void **state)
{
	struct fx		*f = *state;
	struct actor		 op = actor_of(0, ROLE_OPERATOR);
	struct actor		 d = actor_of(f->distributor, ROLE_OWNER);
	struct actor		 m = actor_of(f->distributor, ROLE_MEMBER);
	struct actor		 s = actor_of(f->supplier, ROLE_OWNER);
	struct store_licence	*items = NULL, *one = xcalloc(1, sizeof(*one));
	struct network_link	*card = xcalloc(1, sizeof(*card));
	struct device_session	*ds = xcalloc(1, sizeof(*ds));
	struct device_caller	 dc;
	struct licence_batch	 b;
	struct store_conn	*c;
	struct err		 e;
	const char		*nums[2];
	char			 code[20], token[TOKEN_LEN + 1];
	int64_t			 link;
	size_t			 n = 0;

	assert_int_equal(licence_issue(&f->app, &op, f->distributor, 0, 3,
	    &items, &n, &e), 0);
	assert_int_equal(n, 3);
	link = link_new(f);
	nums[0] = items[0].number;
	nums[1] = items[1].number;

	/* Members look; owners connect; the permission guards the
	 * supplier. */
	assert_int_equal(licence_connect(&f->app, &m, f->supplier, nums, 2,
	    true, &b, &e), -1);
	assert_string_equal(e.id, "forbidden");
	licence_batch_release(&b);
	assert_int_equal(licence_connect(&f->app, &d, f->supplier, nums, 2,
	    true, &b, &e), 0);
	assert_int_equal(b.changed, 2);
	licence_batch_release(&b);
	assert_int_equal(network_supplier(&f->app, &d, link, card, &e), 0);
	assert_int_equal(card->licences, 2);
	assert_int_equal(licence_partner_move(&f->app, &s, nums[0], "Иванов",
	    one, &e), -1);
	assert_string_equal(e.id, "licence_management_not_allowed");

	/* The device activates, and its token stands for the licence. */
	licence_code_format(items[0].code, code);
	assert_int_equal(device_activate(&f->app, &(struct device_activation){
	    .licence = nums[0], .activation_code = code, .mdm_id = MDM,
	    .app_version = "1.0.24.0.800", .user = "Меркулова Анастасия",
	    .ip = "127.0.0.1" }, ds, &e), 0);
	snprintf(token, sizeof(token), "%s", ds->token);
	assert_int_equal(ds->nsuppliers, 1);
	assert_int_equal(ds->suppliers[0].id, f->supplier);
	assert_int_equal(ds->suppliers[0].code, 18902);
	device_session_release(ds);
	assert_int_equal(device_auth(&f->app, token, &dc, &e), 0);
	assert_string_equal(dc.number, nums[0]);
	assert_string_equal(dc.mdm_id, MDM);
	assert_int_equal(dc.company_id, f->distributor);
	c = store_acquire(f->st, &e);
	assert_int_equal(device_supplier_check(c, &dc, f->supplier, &e), 0);
	assert_int_equal(device_supplier_check(c, &dc, f->distributor, &e),
	    -1);
	assert_string_equal(e.id, "licence_out_of_service");
	store_release(c);

	/* With the permission the supplier moves it: the token dies. */
	assert_int_equal(network_permission(&f->app, &d, link, true, false,
	    card, NULL, &e), 0);
	assert_int_equal(licence_partner_move(&f->app, &s, nums[0],
	    "Иванов Пётр", one, &e), 0);
	assert_string_equal(one->user_name, "Иванов Пётр");
	assert_string_equal(one->mdm_id, "");
	assert_int_equal(device_auth(&f->app, token, &dc, &e), -1);
	assert_string_equal(e.id, "device_unauthorized");
	assert_int_equal(audit_of(f, f->supplier, "licence.move"), 1);
	assert_int_equal(audit_of(f, f->distributor, "licence.activate"), 1);

	/* The link ends: out of service, audited for both sides. */
	assert_int_equal(network_disconnect(&f->app, &s, link, "конец", card,
	    &e), 0);
	assert_int_equal(licence_get(&f->app, &d, nums[1], one, &e), 0);
	c = store_acquire(f->st, &e);
	assert_int_equal(licence_in_service_count(c, f->supplier,
	    f->distributor, &link, &e), 0);
	store_release(c);
	assert_int_equal(link, 0);
	assert_int_equal(audit_of(f, f->distributor, "licence.disconnect"), 1);
	assert_int_equal(audit_of(f, f->supplier, "licence.disconnect"), 1);
	free(items);
	free(one);
	free(card);
	free(ds);
}

static void
test_pages_and_search(void **state)
{
	struct fx		*f = *state;
	struct actor		 op = actor_of(0, ROLE_OPERATOR);
	struct actor		 d = actor_of(f->distributor, ROLE_OWNER);
	struct licence_filter	 flt = { .limit = 200 };
	struct store_licence	*items = NULL, *page = NULL;
	struct err		 e;
	char			 after[LICENCE_NUMBER_LEN + 1] = "";
	char			 prev[LICENCE_NUMBER_LEN + 1] = "";
	size_t			 n = 0, got, total = 0, i;
	bool			 more = true;
	int			 pages = 0;

	assert_int_equal(licence_issue(&f->app, &op, f->distributor, 0, 450,
	    &items, &n, &e), 0);
	while (more) {
		flt.after = after;
		assert_int_equal(licence_list(&f->app, &d, 0, &flt, &page,
		    &got, &more, &e), 0);
		for (i = 0; i < got; i++) {
			assert_true(strcmp(prev, page[i].number) < 0);
			snprintf(prev, sizeof(prev), "%s", page[i].number);
		}
		total += got;
		pages++;
		snprintf(after, sizeof(after), "%s", prev);
		free(page);
	}
	assert_int_equal(total, 450);
	assert_int_equal(pages, 3);

	flt.after = NULL;
	flt.search = items[7].number;
	assert_int_equal(licence_list(&f->app, &d, 0, &flt, &page, &got,
	    &more, &e), 0);
	assert_int_equal(got, 1);
	assert_string_equal(page[0].number, items[7].number);
	free(page);

	flt.search = NULL;
	flt.limit = 0;
	assert_int_equal(licence_list(&f->app, &d, 0, &flt, &page, &got,
	    &more, &e), -1);
	assert_string_equal(e.id, "limit_invalid");
	free(page);
	flt.limit = 10;
	flt.state = LICENCE_STATE_ON;
	assert_int_equal(licence_list(&f->app, &d, 0, &flt, &page, &got,
	    &more, &e), -1);
	assert_string_equal(e.id, "supplier_required");
	free(page);
	assert_int_equal(licence_list(&f->app, &d, f->supplier, &flt, &page,
	    &got, &more, &e), -1);
	assert_string_equal(e.id, "supplier_not_found");
	free(page);
	free(items);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_codes),
		cmocka_unit_test(test_mdm_ids),
		cmocka_unit_test(test_fold_search_and_names),
		cmocka_unit_test(test_batches_of_numbers),
		cmocka_unit_test_setup_teardown(test_life_of_a_licence,
		    setup_store, teardown_store),
		cmocka_unit_test_setup_teardown(test_pages_and_search,
		    setup_store, teardown_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
