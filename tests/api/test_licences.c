/*
 * test_licences.c - licences of the mobile trade app (issue 5): the
 * operator's command line, device activation and tokens, the holder's
 * Т-Обмен table (groups, connect, disconnect, counts, search and paging
 * over 10,000 licences), the supplier's view and what it may do with and
 * without the distributor's permission (also when it is taken back or
 * the link ends mid-way), tenancy, and the audit log of all three sides.
 *
 * Suppliers and licences exist only through the operator's command
 * line, so these tests run `tobmen admin` against the server's store
 * (TOBMEN_TEST_BIN, TOBMEN_TEST_DB from run.sh) and read set-password
 * and invitation tokens from its mail folder (TOBMEN_TEST_MAIL_DIR).
 * Every test makes its own companies; the throttle test runs with the
 * server's clock far ahead and puts it back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"

#define MDM_A		"64b7f786-4e43-42d2-925b-a3855ec16ff5"
#define MDM_B		"0f6c2a1e-93d4-4b1a-8c3e-5d2f7a9b1c40"
#define BULK		10000
#define YEAR_MS		(366LL * 24 * 3600 * 1000)

/* A licence as the command line issued it. */
struct lic {
	char	number[24];
	char	code[24];	/* "5280-4543-2633-4521" */
};

/* --- fixtures of this file ------------------------------------------ */

/* The items array of a page. */
static json_t *
items(const struct api_resp *r)
{
	return json_object_get(r->json, "items");
}

/* A distributor made through the operator's command line: registration
 * would do, but its per-address limit is shared with every other test of
 * the run. */
static bool
distributor_new(const char *tag, struct fx_sess *s)
{
	return fx_company_new(tag, "--distributor", s);
}

/* Issues n licences to company (owned by owner, or by it when NULL)
 * into out[0..n). */
static bool
issue(const char *company, const char *owner, int n, struct lic *out)
{
	const char	*txt;
	json_t		*arr, *it;
	size_t		 i;
	int		 rc;

	txt = fx_cli(api_strdup_printf(
	    "licence issue --company %s --count %d%s%s", company, n,
	    owner ? " --owner " : "", owner ? owner : ""), true, &rc);
	if (txt == NULL || rc != 0 ||
	    (arr = json_loads(txt, 0, NULL)) == NULL)
		return false;
	json_array_foreach(arr, i, it) {
		if (out != NULL && i < (size_t)n) {
			snprintf(out[i].number, sizeof(out[i].number), "%s",
			    fx_sget(it, "number"));
			snprintf(out[i].code, sizeof(out[i].code), "%s",
			    fx_sget(it, "activation_code"));
		}
	}
	rc = (int)json_array_size(arr);
	json_decref(arr);
	return rc == n;
}

/* Links distributor d into supplier s's network; *card gets the path of
 * d's supplier card, *row (may be NULL) the path of its row in s's list. */
static bool
link_new(const struct fx_sess *s, const struct fx_sess *d, const char **card,
    const char **row)
{
	struct api_resp	*invited, *accepted;

	if (!fx_link_new(s, d, NULL, &invited, &accepted))
		return false;
	if (row != NULL)
		*row = api_strdup_printf("/api/v1/network/distributors/%s",
		    fx_jstr(invited, "id"));
	*card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    fx_jstr(accepted, "id"));
	return true;
}

/* POST /device/activate. */
static struct api_resp *
activate(const struct lic *l, const char *code, const char *mdm,
    const char *user)
{
	return api_send_json("POST", "/api/v1/device/activate",
	    api_strdup_printf("{\"licence\":\"%s\",\"activation_code\":\"%s\","
	    "\"mdm_id\":\"%s\",\"app_version\":\"1.0.24.0.800\"%s%s%s}",
	    l->number, code ? code : l->code, mdm, user ? ",\"user\":\"" : "",
	    user ? user : "", user ? "\"" : ""));
}

/* GET /device/me with a device token. */
static struct api_resp *
device_me(const char *token)
{
	const char	*h[2] = {
		api_strdup_printf("Authorization: Bearer %s", token), NULL,
	};

	return api_request("GET", "/api/v1/device/me", h, NULL, 0);
}

/* The body of a batch for who ("supplier" or "distributor") id. */
static const char *
batch(const char *who, const char *id, const struct lic *a,
    const struct lic *b)
{
	return api_strdup_printf("{\"%s\":\"%s\",\"licences\":[\"%s\"%s%s%s]}",
	    who, id, a->number, b ? ",\"" : "", b ? b->number : "",
	    b ? "\"" : "");
}

/* The licence number of page r's item i, or "". */
static const char *
num_at(const struct api_resp *r, size_t i)
{
	return fx_sget(json_array_get(items(r), i), "number");
}

/* The item of page r with this number, or NULL. */
static json_t *
find(const struct api_resp *r, const char *number)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(items(r), i, it)
		if (strcmp(fx_sget(it, "number"), number) == 0)
			return it;
	return NULL;
}

/* The group of /licences/groups (or /network/licences/groups) whose
 * company under key has this id, or NULL. */
static json_t *
group_of(const struct api_resp *r, const char *key, const char *id)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(items(r), i, it)
		if (strcmp(fx_sget(json_object_get(it, key), "id"), id) == 0)
			return it;
	return NULL;
}

/* --- the command line ------------------------------------------------ */

/* How many licences `licence list --company id --json` prints; -1 if it
 * failed. */
static long
listed(const char *id)
{
	const char	*out;
	json_t		*arr;
	long		 n;
	int		 rc;

	out = fx_cli(api_strdup_printf("licence list --company %s", id), true,
	    &rc);
	if (out == NULL || rc != 0 || (arr = json_loads(out, 0, NULL)) == NULL)
		return -1;
	n = (long)json_array_size(arr);
	json_decref(arr);
	return n;
}

TEST(licences_cli_issues_lists_blocks_and_explains_itself)
{
	struct lic	 l[3];
	struct fx_sess	 d;
	const char	*out;
	int		 rc;

	NEED_ENV();
	EXPECT(distributor_new("cli", &d));
	EXPECT(issue(d.company_id, NULL, 3, l));
	EXPECT_INT(strlen(l[0].number), ==, 20);
	EXPECT_INT(strspn(l[0].number, "0123456789"), ==, 20);
	EXPECT_INT(strlen(l[0].code), ==, 19);
	EXPECT(l[0].code[4] == '-' && l[0].code[9] == '-' &&
	    l[0].code[14] == '-');
	EXPECT(strcmp(l[0].number, l[1].number) != 0);

	EXPECT_INT(listed(d.company_id), ==, 3);
	out = fx_cli(api_strdup_printf("licence list --company %s",
	    d.company_id), false, &rc);
	EXPECT_HAS(out, l[2].number);
	EXPECT_HAS(out, l[2].code);

	out = fx_cli(api_strdup_printf("licence block %s", l[0].number), false,
	    &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_HAS(out, "blocked");
	out = fx_cli(api_strdup_printf("licence block %s", l[0].number), false,
	    &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_HAS(out, "already");
	EXPECT_HAS(fx_cli(api_strdup_printf("licence unblock %s", l[0].number),
	    false, &rc), "unblocked");

	/* Bad input changes nothing and says why. */
	fx_cli(api_strdup_printf("licence issue --company %s --count 0",
	    d.company_id), false, &rc);
	EXPECT(rc != 0);
	fx_cli(api_strdup_printf("licence issue --company %s --count 1 "
	    "--owner %s", d.company_id, d.company_id), false, &rc);
	EXPECT_INT(rc, ==, 0);
	out = fx_cli("licence issue --company 999999999 --count 1", false, &rc);
	EXPECT(rc != 0);
	EXPECT_HAS(out, "no company");
	out = fx_cli("licence block 123", false, &rc);
	EXPECT(rc != 0);
	EXPECT_HAS(out, "20 digits");
	EXPECT_INT(listed(d.company_id), ==, 4);

	/* Each verb explains itself. */
	EXPECT_HAS(fx_cli("licence --help", false, &rc), "licence issue");
	EXPECT_HAS(fx_cli("licence issue --help", false, &rc), "--count N");
	EXPECT_HAS(fx_cli("licence list --help", false, &rc), "--company ID");
	EXPECT_HAS(fx_cli("licence block --help", false, &rc), "NUMBER");
	EXPECT_HAS(fx_cli("licence unblock --help", false, &rc), "NUMBER");
	EXPECT_INT(rc, ==, 0);
}

/* --- activation ------------------------------------------------------ */

TEST(licences_activation_binds_one_device_and_tokens_die_with_it)
{
	struct api_resp	*r;
	struct lic	 l[2];
	struct fx_sess	 d;
	const char	*tok1, *tok2;
	int		 rc;

	NEED_ENV();
	EXPECT(distributor_new("act", &d));
	EXPECT(issue(d.company_id, NULL, 2, l));

	r = activate(&l[0], NULL, "64B7F786-4E43-42D2-925B-A3855EC16FF5",
	    "Меркулова Анастасия");
	EXPECT_STATUS(r, 200);
	tok1 = api_strdup_printf("%s", fx_jstr(r, "device_token"));
	EXPECT_INT(strlen(tok1), ==, 43);
	EXPECT_STR(fx_sget(json_object_get(r->json, "licence"), "mdm_id"),
	    MDM_A);
	EXPECT_STR(fx_sget(json_object_get(r->json, "licence"), "user"),
	    "Меркулова Анастасия");
	EXPECT_STR(fx_sget(json_object_get(r->json, "company"), "id"),
	    d.company_id);
	EXPECT_INT(json_array_size(json_object_get(r->json, "suppliers")), ==,
	    0);
	EXPECT_STATUS(device_me(tok1), 200);

	/* The same device again: a new token, the old one dies. */
	r = activate(&l[0], NULL, MDM_A, NULL);
	EXPECT_STATUS(r, 200);
	tok2 = api_strdup_printf("%s", fx_jstr(r, "device_token"));
	EXPECT_ERR(device_me(tok1), 401, "device_unauthorized");
	EXPECT_STATUS(device_me(tok2), 200);

	/* Another device while bound, a wrong code, an unknown number. */
	EXPECT_ERR(activate(&l[0], NULL, MDM_B, NULL), 409, "licence_bound");
	EXPECT_ERR(activate(&l[0], "1111-2222-3333-4444", MDM_B, NULL), 401,
	    "activation_failed");
	EXPECT_ERR(activate(&(struct lic){ "10000000000000000001",
	    "1111-2222-3333-4444" }, NULL, MDM_B, NULL), 401,
	    "activation_failed");
	EXPECT_ERR(activate(&l[1], NULL, "not-a-guid", NULL), 400,
	    "mdm_id_invalid");
	EXPECT_ERR(activate(&(struct lic){ "123", "1" }, NULL, MDM_B, NULL),
	    400, "licence_invalid");
	EXPECT_ERR(device_me("garbage"), 401, "device_unauthorized");

	/* A blocked licence neither activates nor works. */
	fx_cli(api_strdup_printf("licence block %s", l[0].number), false, &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_ERR(activate(&l[0], NULL, MDM_A, NULL), 403, "licence_blocked");
	EXPECT_ERR(device_me(tok2), 403, "licence_blocked");
	fx_cli(api_strdup_printf("licence unblock %s", l[0].number), false,
	    &rc);
	EXPECT_STATUS(device_me(tok2), 200);

	/* «Устройства» lists the device with its licence and user. */
	r = fx_get_as(&d, "/api/v1/devices");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(fx_sget(json_array_get(items(r), 0), "mdm_id"), MDM_A);
	EXPECT_STR(fx_sget(json_array_get(items(r), 0), "licence"),
	    l[0].number);
	EXPECT_STR(fx_sget(json_array_get(items(r), 0), "config_version"),
	    "1.0.24.0.800");
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "bound")));
}

TEST(licences_wrong_codes_are_throttled_per_address)
{
	struct api_resp	*r = NULL;
	struct lic	 l;
	struct fx_sess	 d;
	int		 i;

	NEED_ENV();
	EXPECT(distributor_new("thr", &d));
	EXPECT(issue(d.company_id, NULL, 1, &l));
	/* A window of its own, far from the other tests' attempts; the
	 * clock is put back before anything is judged. */
	EXPECT(fx_clock_set(3 * YEAR_MS));
	for (i = 0; i < 20; i++) {
		r = activate(&l, "0000-0000-0000-0000", MDM_A, NULL);
		if (r->status != 401)
			break;
	}
	if (i == 20)
		r = activate(&l, NULL, MDM_A, NULL);
	EXPECT(fx_clock_set(0));
	EXPECT_INT(i, ==, 20);
	EXPECT_ERROR(r, 429, "throttled");
	EXPECT(api_header(r, "Retry-After") != NULL);
	/* Back in the present, the right code works. */
	EXPECT_STATUS(activate(&l, NULL, MDM_A, NULL), 200);
}

/* --- the holder's table ---------------------------------------------- */

TEST(licences_holder_connects_and_disconnects_in_one_batch)
{
	struct api_resp	*r;
	struct lic	 l[3], other;
	struct fx_sess	 s, s2, d, x;
	const char	*card, *row;
	json_t		*g;
	int		 rc;

	NEED_ENV();
	EXPECT(fx_supplier_new("hsup", false, &s));
	EXPECT(fx_supplier_new("hsup2", false, &s2));
	EXPECT(distributor_new("hdist", &d));
	EXPECT(distributor_new("hx", &x));
	EXPECT(link_new(&s, &d, &card, &row));
	EXPECT(issue(d.company_id, NULL, 3, l));
	EXPECT(issue(x.company_id, NULL, 1, &other));

	r = fx_get_as(&d, "/api/v1/licences/groups");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	g = group_of(r, "supplier", s.company_id);
	EXPECT(g != NULL);
	EXPECT_INT(fx_jint(g, "total"), ==, 3);
	EXPECT_INT(fx_jint(g, "in_service"), ==, 0);

	/* One transaction: a foreign or a blocked licence refuses it all. */
	EXPECT_ERR(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &other)), 404,
	    "licence_not_found");
	fx_cli(api_strdup_printf("licence block %s", l[2].number), false, &rc);
	EXPECT_ERR(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &l[2])), 403, "licence_blocked");
	r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s"
	    "&status=on", s.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 0);
	EXPECT_ERR(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s2.company_id, &l[0], NULL)), 404,
	    "supplier_not_found");

	r = fx_call(&d, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l[0], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "changed"), ==, 2);
	EXPECT_INT(json_array_size(json_object_get(r->json, "unchanged")), ==,
	    0);

	/* Already in the wanted state: reported, not failed. */
	r = fx_call(&d, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l[1], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "requested"), ==, 1);
	EXPECT_INT(fx_jint(r->json, "changed"), ==, 0);
	EXPECT_STR(json_string_value(json_array_get(json_object_get(r->json,
	    "unchanged"), 0)), l[1].number);

	/* Statuses, filters and counts on both sides. */
	r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s",
	    s.company_id));
	EXPECT_STR(fx_sget(find(r, l[0].number), "status"), "on");
	EXPECT_STR(fx_sget(find(r, l[2].number), "status"), "off");
	EXPECT_STR(json_string_value(json_array_get(json_object_get(
	    find(r, l[0].number), "services"), 0)), s.company_id);
	r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s"
	    "&status=off", s.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), l[2].number);
	g = group_of(fx_get_as(&d, "/api/v1/licences/groups"), "supplier",
	    s.company_id);
	EXPECT_INT(fx_jint(g, "in_service"), ==, 2);
	EXPECT_INT(fx_jint(fx_get_as(&d, card)->json, "licences_in_service"),
	    ==, 2);
	EXPECT_INT(fx_jint(fx_get_as(&s, row)->json, "licences_in_service"),
	    ==, 2);

	/* The blocked licence may still be disconnected. */
	r = fx_call(&d, "POST", "/api/v1/licences/disconnect", batch("supplier",
	    s.company_id, &l[0], &l[2]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "changed"), ==, 1);
	EXPECT_INT(fx_jint(fx_get_as(&d, card)->json, "licences_in_service"),
	    ==, 1);

	/* Another company's licence is "not found" everywhere. */
	EXPECT_ERR(fx_get_as(&d, api_strdup_printf("/api/v1/licences/%s",
	    other.number)), 404, "licence_not_found");
	EXPECT_ERR(fx_call(&d, "POST", api_strdup_printf("/api/v1/licences/%s/"
	    "move", other.number), "{\"user\":\"Кто-то\"}"), 404,
	    "licence_not_found");
	EXPECT_STATUS(fx_get_as(&x, api_strdup_printf("/api/v1/licences/%s",
	    other.number)), 200);
	EXPECT_ERR(fx_get_as(&x, api_strdup_printf(
	    "/api/v1/licences?supplier=%s", s.company_id)), 404,
	    "supplier_not_found");
	EXPECT_ERR(fx_get_as(&d, "/api/v1/licences?status=on"), 400,
	    "supplier_required");
	EXPECT_ERR(fx_call(&d, "POST", "/api/v1/licences/connect",
	    "{\"supplier\":\"1\",\"licences\":[]}"), 400, "licences_invalid");
}

TEST(licences_a_supplier_holds_its_own_licences_in_its_own_group)
{
	struct api_resp	*r;
	struct lic	 l;
	struct fx_sess	 s;

	NEED_ENV();
	EXPECT(fx_supplier_new("self", false, &s));
	EXPECT(issue(s.company_id, NULL, 1, &l));
	r = fx_get_as(&s, "/api/v1/licences/groups");
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "self")));
	r = fx_call(&s, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l, NULL));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "changed"), ==, 1);
	r = activate(&l, NULL, MDM_B, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(json_array_get(json_object_get(r->json, "suppliers"),
	    0), "id"), s.company_id);
}

/* --- the supplier's side --------------------------------------------- */

TEST(licences_supplier_manages_only_while_the_distributor_allows)
{
	struct api_resp	*r;
	struct lic	 l[3];
	struct fx_sess	 s, d, s2;
	const char	*card, *list, *tok;

	NEED_ENV();
	EXPECT(fx_supplier_new("psup", false, &s));
	EXPECT(fx_supplier_new("pother", false, &s2));
	EXPECT(distributor_new("pdist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, NULL, 3, l));
	r = activate(&l[0], NULL, MDM_A, "Меркулова Анастасия");
	EXPECT_STATUS(r, 200);
	tok = api_strdup_printf("%s", fx_jstr(r, "device_token"));
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], NULL)), 200);
	list = api_strdup_printf("/api/v1/network/licences?distributor=%s",
	    d.company_id);

	/* Off: it sees what is connected to it, without codes, and may
	 * change nothing. */
	r = fx_get_as(&s, list);
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(r->json, "manage_licences")));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), l[0].number);
	EXPECT(json_is_null(json_object_get(json_array_get(items(r), 0),
	    "activation_code")));
	EXPECT_STR(fx_sget(json_array_get(items(r), 0), "status"), "on");
	EXPECT_INT(fx_jint(group_of(fx_get_as(&s,
	    "/api/v1/network/licences/groups"), "distributor",
	    d.company_id), "total"), ==, 1);
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l[1], NULL)), 403,
	    "licence_management_not_allowed");
	EXPECT_ERR(fx_call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"Иванов Пётр\"}"), 403,
	    "licence_management_not_allowed");

	/* On: everything, and connect, disconnect and move. */
	EXPECT_STATUS(fx_call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	r = fx_get_as(&s, list);
	EXPECT_INT(json_array_size(items(r)), ==, 3);
	EXPECT_INT(strlen(fx_sget(json_array_get(items(r), 0),
	    "activation_code")), ==, 19);
	r = fx_call(&s, "POST", "/api/v1/network/licences/connect", batch(
	    "distributor", d.company_id, &l[0], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "changed"), ==, 1);
	EXPECT_INT(json_array_size(json_object_get(r->json, "unchanged")), ==,
	    1);
	EXPECT_STATUS(fx_call(&s, "POST", "/api/v1/network/licences/disconnect",
	    batch("distributor", d.company_id, &l[1], NULL)), 200);

	/* Moving a bound licence releases the device. */
	r = fx_call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"Иванов Пётр\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "user"), "Иванов Пётр");
	EXPECT(json_is_null(json_object_get(r->json, "mdm_id")));
	EXPECT_ERR(device_me(tok), 401, "device_unauthorized");
	r = activate(&l[0], NULL, MDM_B, "Другое имя");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(json_object_get(r->json, "licence"), "user"),
	    "Иванов Пётр");
	EXPECT_STR(fx_sget(json_array_get(json_object_get(r->json, "suppliers"),
	    0), "id"), s.company_id);
	r = fx_get_as(&d, "/api/v1/devices");
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "bound")));
	EXPECT(json_is_false(json_object_get(json_array_get(items(r), 1),
	    "bound")));

	/* Taken back mid-way: the next change is refused. */
	EXPECT_STATUS(fx_call(&d, "PATCH", card, "{\"manage_licences\":false}"),
	    200);
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/licences/disconnect",
	    batch("distributor", d.company_id, &l[0], NULL)), 403,
	    "licence_management_not_allowed");

	/* A supplier outside the network sees and touches nothing. */
	EXPECT_ERR(fx_get_as(&s2, list), 404, "distributor_not_found");
	EXPECT_ERR(fx_call(&s2, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"X\"}"), 404, "licence_not_found");
	EXPECT_ERR(fx_call(&s2, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l[0], NULL)), 404,
	    "distributor_not_found");
	EXPECT_ERR(fx_get_as(&d, "/api/v1/network/licences/groups"), 403,
	    "not_supplier");
}

TEST(licences_a_supplier_owned_licence_follows_the_same_rule)
{
	struct api_resp	*r;
	struct lic	 l;
	struct fx_sess	 s, d;
	const char	*card;

	NEED_ENV();
	EXPECT(fx_supplier_new("osup", false, &s));
	EXPECT(distributor_new("odist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, s.company_id, 1, &l));
	EXPECT_STR(fx_sget(json_object_get(fx_get_as(&d, api_strdup_printf(
	    "/api/v1/licences/%s", l.number))->json, "owner"), "id"),
	    s.company_id);
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l, NULL)), 403,
	    "licence_management_not_allowed");
	EXPECT_STATUS(fx_call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	EXPECT_STATUS(fx_call(&s, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l, NULL)), 200);

	/* Clearing the box asks first, counting the supplier's licences. */
	r = fx_call(&d, "PATCH", card, "{\"manage_licences\":false}");
	EXPECT_ERROR(r, 409, "confirm_required");
	EXPECT_INT(fx_jint(json_object_get(r->json, "error"), "licences"),
	    ==, 1);
	EXPECT_STATUS(fx_call(&d, "PATCH", card,
	    "{\"manage_licences\":false,\"confirm\":true}"), 200);
	EXPECT_ERR(fx_call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l.number),
	    "{\"user\":\"Новый агент\"}"), 403,
	    "licence_management_not_allowed");
}

TEST(licences_drop_out_of_service_when_the_link_ends)
{
	struct api_resp	*r;
	struct lic	 l[2];
	struct fx_sess	 s, d;
	const char	*card, *row, *tok;

	NEED_ENV();
	EXPECT(fx_supplier_new("esup", false, &s));
	EXPECT(distributor_new("edist", &d));
	EXPECT(link_new(&s, &d, &card, &row));
	EXPECT(issue(d.company_id, NULL, 2, l));
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &l[1])), 200);
	r = activate(&l[0], NULL, MDM_A, NULL);
	tok = api_strdup_printf("%s", fx_jstr(r, "device_token"));
	EXPECT_INT(json_array_size(json_object_get(device_me(tok)->json,
	    "suppliers")), ==, 1);

	EXPECT_STATUS(fx_call(&s, "POST", api_strdup_printf("%s/disconnect",
	    row), "{\"reason\":\"договор расторгнут\"}"), 200);
	EXPECT_INT(json_array_size(json_object_get(device_me(tok)->json,
	    "suppliers")), ==, 0);
	EXPECT_ERR(fx_get_as(&s, api_strdup_printf(
	    "/api/v1/network/licences?distributor=%s", d.company_id)), 404,
	    "distributor_not_found");
	EXPECT_INT(json_array_size(items(fx_get_as(&d,
	    "/api/v1/licences/groups"))), ==, 0);
	EXPECT_ERR(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], NULL)), 404,
	    "supplier_not_found");
	/* Without a supplier the table still lists the licences. */
	r = fx_get_as(&d, "/api/v1/licences");
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT_INT(json_array_size(json_object_get(find(r, l[0].number),
	    "services")), ==, 0);
}

/* The services of the licence number in r's page, as "id,id,...". */
static const char *
services_of(const struct api_resp *r, const char *number)
{
	json_t	*arr = json_object_get(find(r, number), "services");
	char	*out = api_strdup_printf("%s", "");
	size_t	 i;

	for (i = 0; i < json_array_size(arr); i++)
		out = api_strdup_printf("%s%s%s", out, i > 0 ? "," : "",
		    json_string_value(json_array_get(arr, i)));
	return out;
}

/* A page ends after its last licence, yet lists every supplier of each
 * of its licences, whichever way the store gathers them: three licences,
 * two of them «ВКЛ» for two suppliers, paged one and two at a time. */
TEST(licences_holder_pages_keep_every_service)
{
	struct api_resp	*r;
	struct lic	 l[3];
	struct fx_sess	 s, s2, d;
	const char	*card, *row, *n[3], *both, *one;
	size_t		 i;

	NEED_ENV();
	EXPECT(fx_supplier_new("psup", false, &s));
	EXPECT(fx_supplier_new("psup2", false, &s2));
	EXPECT(distributor_new("pdist", &d));
	EXPECT(link_new(&s, &d, &card, &row));
	EXPECT(link_new(&s2, &d, &card, &row));
	EXPECT(issue(d.company_id, NULL, 3, l));
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect",
	    batch("supplier", s.company_id, &l[0], &l[1])), 200);
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect",
	    batch("supplier", s.company_id, &l[2], NULL)), 200);
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect",
	    batch("supplier", s2.company_id, &l[0], &l[2])), 200);
	both = atoll(s.company_id) < atoll(s2.company_id) ?
	    api_strdup_printf("%s,%s", s.company_id, s2.company_id) :
	    api_strdup_printf("%s,%s", s2.company_id, s.company_id);
	one = s.company_id;

	r = fx_get_as(&d, "/api/v1/licences");
	EXPECT_INT(json_array_size(items(r)), ==, 3);
	for (i = 0; i < 3; i++)
		n[i] = num_at(r, i);
	EXPECT_STR(services_of(r, l[0].number), both);
	EXPECT_STR(services_of(r, l[1].number), one);
	EXPECT_STR(services_of(r, l[2].number), both);

	/* One at a time: each page has its licence's every supplier. */
	r = fx_get_as(&d, "/api/v1/licences?limit=1");
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), n[0]);
	EXPECT_STR(fx_sget(r->json, "next_after"), n[0]);
	EXPECT_STR(services_of(r, n[0]), strcmp(n[0], l[1].number) == 0 ?
	    one : both);
	for (i = 1; i < 3; i++) {
		r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?limit=1"
		    "&after=%s", n[i - 1]));
		EXPECT_INT(json_array_size(items(r)), ==, 1);
		EXPECT_STR(num_at(r, 0), n[i]);
		EXPECT_STR(services_of(r, n[i]), strcmp(n[i],
		    l[1].number) == 0 ? one : both);
	}
	EXPECT(json_is_null(json_object_get(r->json, "next_after")));

	/* Two at a time, and with a supplier named. */
	r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?limit=2"
	    "&supplier=%s", s2.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT_STR(fx_sget(r->json, "next_after"), n[1]);
	for (i = 0; i < 2; i++)
		EXPECT_STR(services_of(r, n[i]), strcmp(n[i],
		    l[1].number) == 0 ? one : both);
	r = fx_get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s"
	    "&status=on&limit=1", s2.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(services_of(r, num_at(r, 0)), both);
	EXPECT_STR(fx_sget(r->json, "next_after"), num_at(r, 0));
}

/* --- audit ----------------------------------------------------------- */

/* Whether the audit page of s holds an entry with action about
 * number (or any licence when number is NULL). */
static bool
audit_has(const struct fx_sess *s, const char *action, const char *number)
{
	struct api_resp	*r = fx_get_as(s, "/api/v1/audit?limit=100");
	json_t		*it, *after;
	const char	*text;
	size_t		 i;

	json_array_foreach(items(r), i, it) {
		if (strcmp(fx_sget(it, "action"), action) != 0)
			continue;
		after = json_object_get(it, "after");
		text = after != NULL ? api_keep(json_dumps(after,
		    JSON_COMPACT | JSON_ENCODE_ANY)) : NULL;
		if (number == NULL || (text != NULL &&
		    strstr(text, number) != NULL))
			return true;
	}
	return false;
}

TEST(licences_audit_is_read_by_holder_owner_and_supplier)
{
	struct lic	 l;
	struct fx_sess	 s, owner, d, x;
	const char	*card;

	NEED_ENV();
	EXPECT(fx_supplier_new("asup", false, &s));
	EXPECT(fx_supplier_new("aown", false, &owner));
	EXPECT(distributor_new("adist", &d));
	EXPECT(distributor_new("ax", &x));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, owner.company_id, 1, &l));
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l, NULL)), 200);
	EXPECT_STATUS(activate(&l, NULL, MDM_A, NULL), 200);
	EXPECT_STATUS(fx_call(&d, "POST", api_strdup_printf(
	    "/api/v1/licences/%s/move", l.number), "{\"user\":\"Петров\"}"),
	    200);

	EXPECT(audit_has(&d, "licence.connect", l.number));
	EXPECT(audit_has(&s, "licence.connect", l.number));
	EXPECT(audit_has(&owner, "licence.connect", l.number));
	EXPECT(audit_has(&d, "licence.activate", l.number));
	EXPECT(audit_has(&owner, "licence.activate", l.number));
	EXPECT(audit_has(&s, "licence.activate", l.number));
	EXPECT(audit_has(&d, "licence.move", l.number));
	EXPECT(audit_has(&s, "licence.move", l.number));
	EXPECT(audit_has(&owner, "licence.move", l.number));
	EXPECT(audit_has(&d, "licence.issue", NULL));
	EXPECT(!audit_has(&x, "licence.connect", NULL));
	EXPECT(!audit_has(&x, "licence.move", NULL));
}

/* --- 10,000 licences ------------------------------------------------- */

TEST(licences_search_and_paging_over_ten_thousand)
{
	struct api_resp	*r;
	struct lic	 probe[3];
	struct fx_sess	 s, d;
	const char	*card, *base, *after = "", *prev = "", *q;
	json_t		*it;
	size_t		 total = 0, pages = 0, i;

	NEED_ENV();
	EXPECT(fx_supplier_new("bsup", false, &s));
	EXPECT(distributor_new("bdist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, NULL, BULK - 3, NULL));
	EXPECT(issue(d.company_id, NULL, 3, probe));
	EXPECT_STATUS(activate(&probe[0], NULL, MDM_B, "Ёлкина Мария"), 200);
	EXPECT_STATUS(fx_call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &probe[0], &probe[1])), 200);
	base = api_strdup_printf("/api/v1/licences?supplier=%s",
	    s.company_id);

	/* Every licence once, in number order, 200 a page. */
	do {
		r = fx_get_as(&d, api_strdup_printf("%s&limit=200&after=%s",
		    base, after));
		EXPECT_STATUS(r, 200);
		json_array_foreach(items(r), i, it) {
			EXPECT(strcmp(prev, fx_sget(it, "number")) < 0);
			prev = api_strdup_printf("%s", fx_sget(it, "number"));
		}
		total += json_array_size(items(r));
		pages++;
		after = json_is_string(json_object_get(r->json, "next_after")) ?
		    api_strdup_printf("%s", fx_jstr(r, "next_after")) : NULL;
	} while (after != NULL && pages < 100);
	EXPECT_INT(total, ==, BULK);
	EXPECT_INT(pages, ==, BULK / 200);
	EXPECT_ERR(fx_get_as(&d, api_strdup_printf("%s&limit=201", base)), 400,
	    "limit_invalid");

	/* A whole number finds that licence. */
	r = fx_get_as(&d, api_strdup_printf("%s&q=%s", base, probe[2].number));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), probe[2].number);
	/* Part of a code, grouped as shown, finds it too. */
	q = api_strdup_printf("%.14s", probe[1].code);
	r = fx_get_as(&d, api_strdup_printf("%s&q=%s", base, q));
	EXPECT(find(r, probe[1].number) != NULL);
	json_array_foreach(items(r), i, it)
		EXPECT_HAS(fx_sget(it, "activation_code"), q);
	/* The user, in any case and with «ё» as «е». */
	r = fx_get_as(&d, api_strdup_printf("%s&q=%s", base,
	    "%D0%95%D0%9B%D0%9A%D0%98%D0%9D%D0%90"));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), probe[0].number);
	/* The MDM ID, and the status filter on top of a search. */
	r = fx_get_as(&d, api_strdup_printf("%s&q=0F6C2A1E&status=on", base));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	r = fx_get_as(&d, api_strdup_printf("%s&q=0f6c2a1e&status=off", base));
	EXPECT_INT(json_array_size(items(r)), ==, 0);
	/* LIKE's own characters mean themselves. */
	EXPECT_INT(json_array_size(items(fx_get_as(&d, api_strdup_printf(
	    "%s&q=%%25", base)))), ==, 0);
	EXPECT_INT(json_array_size(items(fx_get_as(&d, api_strdup_printf(
	    "%s&q=_", base)))), ==, 0);

	/* Counts and the status filter over the whole set. */
	it = group_of(fx_get_as(&d, "/api/v1/licences/groups"), "supplier",
	    s.company_id);
	EXPECT_INT(fx_jint(it, "total"), ==, BULK);
	EXPECT_INT(fx_jint(it, "in_service"), ==, 2);
	r = fx_get_as(&d, api_strdup_printf("%s&status=on&limit=200", base));
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT(json_is_null(json_object_get(r->json, "next_after")));

	/* A short common search pages like the full list. */
	r = fx_get_as(&d, api_strdup_printf("%s&q=7&limit=200", base));
	EXPECT_INT(json_array_size(items(r)), ==, 200);
	json_array_foreach(items(r), i, it)
		EXPECT(strchr(fx_sget(it, "number"), '7') != NULL ||
		    strchr(fx_sget(it, "activation_code"), '7') != NULL ||
		    strchr(fx_sget(it, "mdm_id"), '7') != NULL ||
		    strchr(fx_sget(it, "config_version"), '7') != NULL);
	EXPECT(json_is_string(json_object_get(r->json, "next_after")));
}
