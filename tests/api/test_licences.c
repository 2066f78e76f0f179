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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PASSWORD	"licence test passphrase 5"
#define MDM_A		"64b7f786-4e43-42d2-925b-a3855ec16ff5"
#define MDM_B		"0f6c2a1e-93d4-4b1a-8c3e-5d2f7a9b1c40"
#define BULK		10000
#define YEAR_MS		(366LL * 24 * 3600 * 1000)

#define EXPECT_ERR(expr, code, errcode)					\
	do {								\
		struct api_resp *resp_ = (expr);			\
		EXPECT_ERROR(resp_, (code), (errcode));			\
	} while (0)

#define NEED_ENV()							\
	do {								\
		if (!have_env())					\
			SKIP("needs TOBMEN_TEST_BIN, TOBMEN_TEST_DB and " \
			    "TOBMEN_TEST_MAIL_DIR from tests/api/run.sh"); \
	} while (0)

/* A logged-in user. */
struct sess {
	char	cookie[128];
	char	csrf[64];
	char	company_id[24];
};

/* A licence as the command line issued it. */
struct lic {
	char	number[24];
	char	code[24];	/* "5280-4543-2633-4521" */
};

/* --- plumbing -------------------------------------------------------- */

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static bool
have_env(void)
{
	return env("TOBMEN_TEST_BIN") && env("TOBMEN_TEST_DB") &&
	    env("TOBMEN_TEST_MAIL_DIR");
}

static const char *
uniq(const char *tag)
{
	static unsigned	n;

	return api_strdup_printf("%s-%ld-%u-%ld", tag, (long)getpid(), ++n,
	    (long)time(NULL) % 100000);
}

static const char *
sget(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

static const char *
jstr(const struct api_resp *r, const char *key)
{
	return sget(r->json, key);
}

static json_t *
items(const struct api_resp *r)
{
	return json_object_get(r->json, "items");
}

static bool
sess_from(const struct api_resp *r, struct sess *s)
{
	const char	*c = api_header(r, "Set-Cookie");
	json_t		*t = json_object_get(r->json, "csrf_token");

	if (c == NULL || strncmp(c, "tobmen_session=", 15) != 0 ||
	    !json_is_string(t))
		return false;
	snprintf(s->cookie, sizeof(s->cookie), "%.*s",
	    (int)strcspn(c + 15, ";"), c + 15);
	snprintf(s->csrf, sizeof(s->csrf), "%s", json_string_value(t));
	snprintf(s->company_id, sizeof(s->company_id), "%s",
	    sget(json_object_get(r->json, "company"), "id"));
	return true;
}

static struct api_resp *
call(const struct sess *s, const char *method, const char *path,
    const char *json)
{
	const char	*h[4];

	h[0] = api_strdup_printf("Cookie: tobmen_session=%s", s->cookie);
	h[1] = api_strdup_printf("X-CSRF-Token: %s", s->csrf);
	h[2] = "Content-Type: application/json";
	h[3] = NULL;
	return api_request(method, path, h, json, json ? strlen(json) : 0);
}

static struct api_resp *
get_as(const struct sess *s, const char *path)
{
	return call(s, "GET", path, NULL);
}

static bool
clock_set(long long off)
{
	return api_send_json("POST", "/api/v1/test/clock", api_strdup_printf(
	    "{\"offset_ms\":%lld}", off))->status == 200;
}

static bool
login(const char *email, struct sess *s)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/auth/login", api_strdup_printf(
	    "{\"email\":\"%s\",\"password\":\"%s\",\"remember\":false}",
	    email, PASSWORD));
	return r->status == 200 && sess_from(r, s);
}

/* --- mail ------------------------------------------------------------ */

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*s;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = api_keep(calloc(1, (size_t)n + 1));
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

/* Decodes the base64 of s (up to n bytes, line breaks skipped). */
static char *
unbase64(const char *s, size_t n)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out = api_keep(calloc(1, n + 1));
	const char		*p;
	unsigned		 acc = 0;
	int			 bits = 0;
	size_t			 o = 0, i;

	for (i = 0; i < n && s[i] != '\0' && s[i] != '='; i++) {
		if ((p = strchr(al, s[i])) == NULL)
			continue;
		acc = (acc << 6) | (unsigned)(p - al);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

/* The decoded plain text of an .eml, or "". */
static const char *
mail_text(const char *eml)
{
	const char	*p = strstr(eml, "Content-Type: text/plain");
	const char	*end;

	if (p == NULL || (p = strstr(p, "\r\n\r\n")) == NULL)
		return "";
	p += 4;
	end = strstr(p, "\r\n--");
	return unbase64(p, end != NULL ? (size_t)(end - p) : strlen(p));
}

/* Copies the value after key in the first mail to `to` that has it into
 * out, waiting up to 20 s. */
static bool
mail_token(const char *to, const char *key, char *out, size_t n)
{
	const char	*want = api_strdup_printf("\r\nTo: <%s>", to), *t, *p;
	struct dirent	*de;
	DIR		*d;
	char		*raw;
	int		 i;

	for (i = 0; i < 200; i++) {
		if ((d = opendir(env("TOBMEN_TEST_MAIL_DIR"))) == NULL)
			return false;
		while ((de = readdir(d)) != NULL) {
			if (strstr(de->d_name, ".eml") == NULL)
				continue;
			raw = slurp(api_strdup_printf("%s/%s",
			    env("TOBMEN_TEST_MAIL_DIR"), de->d_name));
			if (raw == NULL || strstr(raw, want) == NULL ||
			    (p = strstr(t = mail_text(raw), key)) == NULL)
				continue;
			p += strlen(key);
			snprintf(out, n, "%.*s", (int)strspn(p,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_"), p);
			closedir(d);
			return true;
		}
		closedir(d);
		usleep(100 * 1000);
	}
	return false;
}

/* --- the operator's command line ------------------------------------- */

/* Runs `tobmen admin ARGS --db DB [--json]`; returns what it printed
 * (NULL if it failed to start) and its exit status in *rc. */
static const char *
cli(const char *args, bool json, int *rc)
{
	char	*cmd, *out = NULL;
	size_t	 len = 0, cap = 0, got;
	FILE	*p;

	cmd = api_strdup_printf("'%s' admin %s --db '%s'%s 2>&1",
	    env("TOBMEN_TEST_BIN"), args, env("TOBMEN_TEST_DB"),
	    json ? " --json" : "");
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	do {
		if (len + 65536 + 1 > cap)
			out = realloc(out, cap = (cap + 65536) * 2);
		got = fread(out + len, 1, 65536, p);
		len += got;
	} while (got > 0);
	out[len] = '\0';
	*rc = pclose(p);
	return api_keep(out);
}

/* The "id" of the object `tobmen admin ARGS --json` prints, or NULL. */
static const char *
admin_id(const char *args)
{
	const char	*out, *id = NULL;
	json_t		*j;
	int		 rc;

	if ((out = cli(args, true, &rc)) == NULL || rc != 0)
		return NULL;
	if ((j = json_loads(out, 0, NULL)) != NULL)
		id = api_strdup_printf("%s", sget(j, "id"));
	json_decref(j);
	return id != NULL && id[0] != '\0' ? id : NULL;
}

/* Makes a company (a supplier, or a distributor) and its owner through
 * the operator's command line, logged in as s.  Registration would do
 * for a distributor, but its per-address limit is shared with every
 * other test of the run. */
static bool
company_new(const char *tag, bool supplier, struct sess *s)
{
	const char	*id, *email = api_strdup_printf("%s@example.com",
	    uniq(tag));
	char		 tok[64];

	id = admin_id(api_strdup_printf("company add --name 'ООО %s' %s",
	    uniq(tag), supplier ? "--supplier" : "--distributor"));
	if (id == NULL || admin_id(api_strdup_printf("user add --company %s "
	    "--email %s --name Ирина --role owner", id, email)) == NULL ||
	    !mail_token(email, "token=", tok, sizeof(tok)))
		return false;
	if (api_send_json("POST", "/api/v1/auth/password/reset",
	    api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}", tok,
	    PASSWORD))->status != 204)
		return false;
	return login(email, s);
}

static bool
supplier_new(const char *tag, struct sess *s)
{
	return company_new(tag, true, s);
}

static bool
distributor_new(const char *tag, struct sess *s)
{
	return company_new(tag, false, s);
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

	txt = cli(api_strdup_printf("licence issue --company %s --count %d%s%s",
	    company, n, owner ? " --owner " : "", owner ? owner : ""), true,
	    &rc);
	if (txt == NULL || rc != 0 ||
	    (arr = json_loads(txt, 0, NULL)) == NULL)
		return false;
	json_array_foreach(arr, i, it) {
		if (out != NULL && i < (size_t)n) {
			snprintf(out[i].number, sizeof(out[i].number), "%s",
			    sget(it, "number"));
			snprintf(out[i].code, sizeof(out[i].code), "%s",
			    sget(it, "activation_code"));
		}
	}
	rc = (int)json_array_size(arr);
	json_decref(arr);
	return rc == n;
}

/* Links distributor d into supplier s's network; *card gets the path of
 * d's supplier card. */
static bool
link_new(const struct sess *s, const struct sess *d, const char **card,
    const char **row)
{
	const char	*email = api_strdup_printf("%s@example.com",
	    uniq("inv"));
	struct api_resp	*r;
	char		 tok[64];

	r = call(s, "POST", "/api/v1/network/distributors", api_strdup_printf(
	    "{\"name\":\"Дистрибьютор\",\"email\":\"%s\"}", email));
	if (r->status != 201)
		return false;
	if (row != NULL)
		*row = api_strdup_printf("/api/v1/network/distributors/%s",
		    jstr(r, "id"));
	if (!mail_token(email, "invite=", tok, sizeof(tok)))
		return false;
	r = call(d, "POST", api_strdup_printf("/api/v1/invitations/%s/accept",
	    tok), "{}");
	if (r->status != 200)
		return false;
	*card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    jstr(r, "id"));
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
	return sget(json_array_get(items(r), i), "number");
}

/* The item of page r with this number, or NULL. */
static json_t *
find(const struct api_resp *r, const char *number)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(items(r), i, it)
		if (strcmp(sget(it, "number"), number) == 0)
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
		if (strcmp(sget(json_object_get(it, key), "id"), id) == 0)
			return it;
	return NULL;
}

static long long
jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
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

	out = cli(api_strdup_printf("licence list --company %s", id), true,
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
	struct sess	 d;
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
	out = cli(api_strdup_printf("licence list --company %s",
	    d.company_id), false, &rc);
	EXPECT_HAS(out, l[2].number);
	EXPECT_HAS(out, l[2].code);

	out = cli(api_strdup_printf("licence block %s", l[0].number), false,
	    &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_HAS(out, "blocked");
	out = cli(api_strdup_printf("licence block %s", l[0].number), false,
	    &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_HAS(out, "already");
	EXPECT_HAS(cli(api_strdup_printf("licence unblock %s", l[0].number),
	    false, &rc), "unblocked");

	/* Bad input changes nothing and says why. */
	cli(api_strdup_printf("licence issue --company %s --count 0",
	    d.company_id), false, &rc);
	EXPECT(rc != 0);
	cli(api_strdup_printf("licence issue --company %s --count 1 "
	    "--owner %s", d.company_id, d.company_id), false, &rc);
	EXPECT_INT(rc, ==, 0);
	out = cli("licence issue --company 999999999 --count 1", false, &rc);
	EXPECT(rc != 0);
	EXPECT_HAS(out, "no company");
	out = cli("licence block 123", false, &rc);
	EXPECT(rc != 0);
	EXPECT_HAS(out, "20 digits");
	EXPECT_INT(listed(d.company_id), ==, 4);

	/* Each verb explains itself. */
	EXPECT_HAS(cli("licence --help", false, &rc), "licence issue");
	EXPECT_HAS(cli("licence issue --help", false, &rc), "--count N");
	EXPECT_HAS(cli("licence list --help", false, &rc), "--company ID");
	EXPECT_HAS(cli("licence block --help", false, &rc), "NUMBER");
	EXPECT_HAS(cli("licence unblock --help", false, &rc), "NUMBER");
	EXPECT_INT(rc, ==, 0);
}

/* --- activation ------------------------------------------------------ */

TEST(licences_activation_binds_one_device_and_tokens_die_with_it)
{
	struct api_resp	*r;
	struct lic	 l[2];
	struct sess	 d;
	const char	*tok1, *tok2;
	int		 rc;

	NEED_ENV();
	EXPECT(distributor_new("act", &d));
	EXPECT(issue(d.company_id, NULL, 2, l));

	r = activate(&l[0], NULL, "64B7F786-4E43-42D2-925B-A3855EC16FF5",
	    "Меркулова Анастасия");
	EXPECT_STATUS(r, 200);
	tok1 = api_strdup_printf("%s", jstr(r, "device_token"));
	EXPECT_INT(strlen(tok1), ==, 43);
	EXPECT_STR(sget(json_object_get(r->json, "licence"), "mdm_id"),
	    MDM_A);
	EXPECT_STR(sget(json_object_get(r->json, "licence"), "user"),
	    "Меркулова Анастасия");
	EXPECT_STR(sget(json_object_get(r->json, "company"), "id"),
	    d.company_id);
	EXPECT_INT(json_array_size(json_object_get(r->json, "suppliers")), ==,
	    0);
	EXPECT_STATUS(device_me(tok1), 200);

	/* The same device again: a new token, the old one dies. */
	r = activate(&l[0], NULL, MDM_A, NULL);
	EXPECT_STATUS(r, 200);
	tok2 = api_strdup_printf("%s", jstr(r, "device_token"));
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
	cli(api_strdup_printf("licence block %s", l[0].number), false, &rc);
	EXPECT_INT(rc, ==, 0);
	EXPECT_ERR(activate(&l[0], NULL, MDM_A, NULL), 403, "licence_blocked");
	EXPECT_ERR(device_me(tok2), 403, "licence_blocked");
	cli(api_strdup_printf("licence unblock %s", l[0].number), false, &rc);
	EXPECT_STATUS(device_me(tok2), 200);

	/* «Устройства» lists the device with its licence and user. */
	r = get_as(&d, "/api/v1/devices");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(sget(json_array_get(items(r), 0), "mdm_id"), MDM_A);
	EXPECT_STR(sget(json_array_get(items(r), 0), "licence"), l[0].number);
	EXPECT_STR(sget(json_array_get(items(r), 0), "config_version"),
	    "1.0.24.0.800");
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "bound")));
}

TEST(licences_wrong_codes_are_throttled_per_address)
{
	struct api_resp	*r = NULL;
	struct lic	 l;
	struct sess	 d;
	int		 i;

	NEED_ENV();
	EXPECT(distributor_new("thr", &d));
	EXPECT(issue(d.company_id, NULL, 1, &l));
	/* A window of its own, far from the other tests' attempts; the
	 * clock is put back before anything is judged. */
	EXPECT(clock_set(3 * YEAR_MS));
	for (i = 0; i < 20; i++) {
		r = activate(&l, "0000-0000-0000-0000", MDM_A, NULL);
		if (r->status != 401)
			break;
	}
	if (i == 20)
		r = activate(&l, NULL, MDM_A, NULL);
	EXPECT(clock_set(0));
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
	struct sess	 s, s2, d, x;
	const char	*card, *row;
	json_t		*g;
	int		 rc;

	NEED_ENV();
	EXPECT(supplier_new("hsup", &s));
	EXPECT(supplier_new("hsup2", &s2));
	EXPECT(distributor_new("hdist", &d));
	EXPECT(distributor_new("hx", &x));
	EXPECT(link_new(&s, &d, &card, &row));
	EXPECT(issue(d.company_id, NULL, 3, l));
	EXPECT(issue(x.company_id, NULL, 1, &other));

	r = get_as(&d, "/api/v1/licences/groups");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	g = group_of(r, "supplier", s.company_id);
	EXPECT(g != NULL);
	EXPECT_INT(jint(g, "total"), ==, 3);
	EXPECT_INT(jint(g, "in_service"), ==, 0);

	/* One transaction: a foreign or a blocked licence refuses it all. */
	EXPECT_ERR(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &other)), 404,
	    "licence_not_found");
	cli(api_strdup_printf("licence block %s", l[2].number), false, &rc);
	EXPECT_ERR(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &l[2])), 403, "licence_blocked");
	r = get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s"
	    "&status=on", s.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 0);
	EXPECT_ERR(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s2.company_id, &l[0], NULL)), 404,
	    "supplier_not_found");

	r = call(&d, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l[0], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(jint(r->json, "changed"), ==, 2);
	EXPECT_INT(json_array_size(json_object_get(r->json, "unchanged")), ==,
	    0);

	/* Already in the wanted state: reported, not failed. */
	r = call(&d, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l[1], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(jint(r->json, "requested"), ==, 1);
	EXPECT_INT(jint(r->json, "changed"), ==, 0);
	EXPECT_STR(json_string_value(json_array_get(json_object_get(r->json,
	    "unchanged"), 0)), l[1].number);

	/* Statuses, filters and counts on both sides. */
	r = get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s",
	    s.company_id));
	EXPECT_STR(sget(find(r, l[0].number), "status"), "on");
	EXPECT_STR(sget(find(r, l[2].number), "status"), "off");
	EXPECT_STR(json_string_value(json_array_get(json_object_get(
	    find(r, l[0].number), "services"), 0)), s.company_id);
	r = get_as(&d, api_strdup_printf("/api/v1/licences?supplier=%s"
	    "&status=off", s.company_id));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), l[2].number);
	g = group_of(get_as(&d, "/api/v1/licences/groups"), "supplier",
	    s.company_id);
	EXPECT_INT(jint(g, "in_service"), ==, 2);
	EXPECT_INT(jint(get_as(&d, card)->json, "licences_in_service"), ==, 2);
	EXPECT_INT(jint(get_as(&s, row)->json, "licences_in_service"), ==, 2);

	/* The blocked licence may still be disconnected. */
	r = call(&d, "POST", "/api/v1/licences/disconnect", batch("supplier",
	    s.company_id, &l[0], &l[2]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(jint(r->json, "changed"), ==, 1);
	EXPECT_INT(jint(get_as(&d, card)->json, "licences_in_service"), ==, 1);

	/* Another company's licence is "not found" everywhere. */
	EXPECT_ERR(get_as(&d, api_strdup_printf("/api/v1/licences/%s",
	    other.number)), 404, "licence_not_found");
	EXPECT_ERR(call(&d, "POST", api_strdup_printf("/api/v1/licences/%s/"
	    "move", other.number), "{\"user\":\"Кто-то\"}"), 404,
	    "licence_not_found");
	EXPECT_STATUS(get_as(&x, api_strdup_printf("/api/v1/licences/%s",
	    other.number)), 200);
	EXPECT_ERR(get_as(&x, api_strdup_printf("/api/v1/licences?supplier=%s",
	    s.company_id)), 404, "supplier_not_found");
	EXPECT_ERR(get_as(&d, "/api/v1/licences?status=on"), 400,
	    "supplier_required");
	EXPECT_ERR(call(&d, "POST", "/api/v1/licences/connect",
	    "{\"supplier\":\"1\",\"licences\":[]}"), 400, "licences_invalid");
}

TEST(licences_a_supplier_holds_its_own_licences_in_its_own_group)
{
	struct api_resp	*r;
	struct lic	 l;
	struct sess	 s;

	NEED_ENV();
	EXPECT(supplier_new("self", &s));
	EXPECT(issue(s.company_id, NULL, 1, &l));
	r = get_as(&s, "/api/v1/licences/groups");
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "self")));
	r = call(&s, "POST", "/api/v1/licences/connect", batch("supplier",
	    s.company_id, &l, NULL));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(jint(r->json, "changed"), ==, 1);
	r = activate(&l, NULL, MDM_B, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(sget(json_array_get(json_object_get(r->json, "suppliers"),
	    0), "id"), s.company_id);
}

/* --- the supplier's side --------------------------------------------- */

TEST(licences_supplier_manages_only_while_the_distributor_allows)
{
	struct api_resp	*r;
	struct lic	 l[3];
	struct sess	 s, d, s2;
	const char	*card, *list, *tok;

	NEED_ENV();
	EXPECT(supplier_new("psup", &s));
	EXPECT(supplier_new("pother", &s2));
	EXPECT(distributor_new("pdist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, NULL, 3, l));
	r = activate(&l[0], NULL, MDM_A, "Меркулова Анастасия");
	EXPECT_STATUS(r, 200);
	tok = api_strdup_printf("%s", jstr(r, "device_token"));
	EXPECT_STATUS(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], NULL)), 200);
	list = api_strdup_printf("/api/v1/network/licences?distributor=%s",
	    d.company_id);

	/* Off: it sees what is connected to it, without codes, and may
	 * change nothing. */
	r = get_as(&s, list);
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(r->json, "manage_licences")));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), l[0].number);
	EXPECT(json_is_null(json_object_get(json_array_get(items(r), 0),
	    "activation_code")));
	EXPECT_STR(sget(json_array_get(items(r), 0), "status"), "on");
	EXPECT_INT(jint(group_of(get_as(&s, "/api/v1/network/licences/groups"),
	    "distributor", d.company_id), "total"), ==, 1);
	EXPECT_ERR(call(&s, "POST", "/api/v1/network/licences/connect", batch(
	    "distributor", d.company_id, &l[1], NULL)), 403,
	    "licence_management_not_allowed");
	EXPECT_ERR(call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"Иванов Пётр\"}"), 403,
	    "licence_management_not_allowed");

	/* On: everything, and connect, disconnect and move. */
	EXPECT_STATUS(call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	r = get_as(&s, list);
	EXPECT_INT(json_array_size(items(r)), ==, 3);
	EXPECT_INT(strlen(sget(json_array_get(items(r), 0),
	    "activation_code")), ==, 19);
	r = call(&s, "POST", "/api/v1/network/licences/connect", batch(
	    "distributor", d.company_id, &l[0], &l[1]));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(jint(r->json, "changed"), ==, 1);
	EXPECT_INT(json_array_size(json_object_get(r->json, "unchanged")), ==,
	    1);
	EXPECT_STATUS(call(&s, "POST", "/api/v1/network/licences/disconnect",
	    batch("distributor", d.company_id, &l[1], NULL)), 200);

	/* Moving a bound licence releases the device. */
	r = call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"Иванов Пётр\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(jstr(r, "user"), "Иванов Пётр");
	EXPECT(json_is_null(json_object_get(r->json, "mdm_id")));
	EXPECT_ERR(device_me(tok), 401, "device_unauthorized");
	r = activate(&l[0], NULL, MDM_B, "Другое имя");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(sget(json_object_get(r->json, "licence"), "user"),
	    "Иванов Пётр");
	EXPECT_STR(sget(json_array_get(json_object_get(r->json, "suppliers"),
	    0), "id"), s.company_id);
	r = get_as(&d, "/api/v1/devices");
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT(json_is_true(json_object_get(json_array_get(items(r), 0),
	    "bound")));
	EXPECT(json_is_false(json_object_get(json_array_get(items(r), 1),
	    "bound")));

	/* Taken back mid-way: the next change is refused. */
	EXPECT_STATUS(call(&d, "PATCH", card, "{\"manage_licences\":false}"),
	    200);
	EXPECT_ERR(call(&s, "POST", "/api/v1/network/licences/disconnect",
	    batch("distributor", d.company_id, &l[0], NULL)), 403,
	    "licence_management_not_allowed");

	/* A supplier outside the network sees and touches nothing. */
	EXPECT_ERR(get_as(&s2, list), 404, "distributor_not_found");
	EXPECT_ERR(call(&s2, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l[0].number),
	    "{\"user\":\"X\"}"), 404, "licence_not_found");
	EXPECT_ERR(call(&s2, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l[0], NULL)), 404,
	    "distributor_not_found");
	EXPECT_ERR(get_as(&d, "/api/v1/network/licences/groups"), 403,
	    "not_supplier");
}

TEST(licences_a_supplier_owned_licence_follows_the_same_rule)
{
	struct api_resp	*r;
	struct lic	 l;
	struct sess	 s, d;
	const char	*card;

	NEED_ENV();
	EXPECT(supplier_new("osup", &s));
	EXPECT(distributor_new("odist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, s.company_id, 1, &l));
	EXPECT_STR(sget(json_object_get(get_as(&d, api_strdup_printf(
	    "/api/v1/licences/%s", l.number))->json, "owner"), "id"),
	    s.company_id);
	EXPECT_ERR(call(&s, "POST", "/api/v1/network/licences/connect", batch(
	    "distributor", d.company_id, &l, NULL)), 403,
	    "licence_management_not_allowed");
	EXPECT_STATUS(call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	EXPECT_STATUS(call(&s, "POST", "/api/v1/network/licences/connect",
	    batch("distributor", d.company_id, &l, NULL)), 200);

	/* Clearing the box asks first, counting the supplier's licences. */
	r = call(&d, "PATCH", card, "{\"manage_licences\":false}");
	EXPECT_ERROR(r, 409, "confirm_required");
	EXPECT_INT(jint(json_object_get(r->json, "error"), "licences"), ==, 1);
	EXPECT_STATUS(call(&d, "PATCH", card,
	    "{\"manage_licences\":false,\"confirm\":true}"), 200);
	EXPECT_ERR(call(&s, "POST", api_strdup_printf(
	    "/api/v1/network/licences/%s/move", l.number),
	    "{\"user\":\"Новый агент\"}"), 403,
	    "licence_management_not_allowed");
}

TEST(licences_drop_out_of_service_when_the_link_ends)
{
	struct api_resp	*r;
	struct lic	 l[2];
	struct sess	 s, d;
	const char	*card, *row, *tok;

	NEED_ENV();
	EXPECT(supplier_new("esup", &s));
	EXPECT(distributor_new("edist", &d));
	EXPECT(link_new(&s, &d, &card, &row));
	EXPECT(issue(d.company_id, NULL, 2, l));
	EXPECT_STATUS(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], &l[1])), 200);
	r = activate(&l[0], NULL, MDM_A, NULL);
	tok = api_strdup_printf("%s", jstr(r, "device_token"));
	EXPECT_INT(json_array_size(json_object_get(device_me(tok)->json,
	    "suppliers")), ==, 1);

	EXPECT_STATUS(call(&s, "POST", api_strdup_printf("%s/disconnect",
	    row), "{\"reason\":\"договор расторгнут\"}"), 200);
	EXPECT_INT(json_array_size(json_object_get(device_me(tok)->json,
	    "suppliers")), ==, 0);
	EXPECT_ERR(get_as(&s, api_strdup_printf(
	    "/api/v1/network/licences?distributor=%s", d.company_id)), 404,
	    "distributor_not_found");
	EXPECT_INT(json_array_size(items(get_as(&d,
	    "/api/v1/licences/groups"))), ==, 0);
	EXPECT_ERR(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l[0], NULL)), 404,
	    "supplier_not_found");
	/* Without a supplier the table still lists the licences. */
	r = get_as(&d, "/api/v1/licences");
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT_INT(json_array_size(json_object_get(find(r, l[0].number),
	    "services")), ==, 0);
}

/* --- audit ----------------------------------------------------------- */

/* Whether the audit page of s holds an entry with action about
 * number (or any licence when number is NULL). */
static bool
audit_has(const struct sess *s, const char *action, const char *number)
{
	struct api_resp	*r = get_as(s, "/api/v1/audit?limit=100");
	json_t		*it, *after;
	const char	*text;
	size_t		 i;

	json_array_foreach(items(r), i, it) {
		if (strcmp(sget(it, "action"), action) != 0)
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
	struct sess	 s, owner, d, x;
	const char	*card;

	NEED_ENV();
	EXPECT(supplier_new("asup", &s));
	EXPECT(supplier_new("aown", &owner));
	EXPECT(distributor_new("adist", &d));
	EXPECT(distributor_new("ax", &x));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, owner.company_id, 1, &l));
	EXPECT_STATUS(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &l, NULL)), 200);
	EXPECT_STATUS(activate(&l, NULL, MDM_A, NULL), 200);
	EXPECT_STATUS(call(&d, "POST", api_strdup_printf(
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
	struct sess	 s, d;
	const char	*card, *base, *after = "", *prev = "", *q;
	json_t		*it;
	size_t		 total = 0, pages = 0, i;

	NEED_ENV();
	EXPECT(supplier_new("bsup", &s));
	EXPECT(distributor_new("bdist", &d));
	EXPECT(link_new(&s, &d, &card, NULL));
	EXPECT(issue(d.company_id, NULL, BULK - 3, NULL));
	EXPECT(issue(d.company_id, NULL, 3, probe));
	EXPECT_STATUS(activate(&probe[0], NULL, MDM_B, "Ёлкина Мария"), 200);
	EXPECT_STATUS(call(&d, "POST", "/api/v1/licences/connect", batch(
	    "supplier", s.company_id, &probe[0], &probe[1])), 200);
	base = api_strdup_printf("/api/v1/licences?supplier=%s",
	    s.company_id);

	/* Every licence once, in number order, 200 a page. */
	do {
		r = get_as(&d, api_strdup_printf("%s&limit=200&after=%s", base,
		    after));
		EXPECT_STATUS(r, 200);
		json_array_foreach(items(r), i, it) {
			EXPECT(strcmp(prev, sget(it, "number")) < 0);
			prev = api_strdup_printf("%s", sget(it, "number"));
		}
		total += json_array_size(items(r));
		pages++;
		after = json_is_string(json_object_get(r->json, "next_after")) ?
		    api_strdup_printf("%s", jstr(r, "next_after")) : NULL;
	} while (after != NULL && pages < 100);
	EXPECT_INT(total, ==, BULK);
	EXPECT_INT(pages, ==, BULK / 200);
	EXPECT_ERR(get_as(&d, api_strdup_printf("%s&limit=201", base)), 400,
	    "limit_invalid");

	/* A whole number finds that licence. */
	r = get_as(&d, api_strdup_printf("%s&q=%s", base, probe[2].number));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), probe[2].number);
	/* Part of a code, grouped as shown, finds it too. */
	q = api_strdup_printf("%.14s", probe[1].code);
	r = get_as(&d, api_strdup_printf("%s&q=%s", base, q));
	EXPECT(find(r, probe[1].number) != NULL);
	json_array_foreach(items(r), i, it)
		EXPECT_HAS(sget(it, "activation_code"), q);
	/* The user, in any case and with «ё» as «е». */
	r = get_as(&d, api_strdup_printf("%s&q=%s", base,
	    "%D0%95%D0%9B%D0%9A%D0%98%D0%9D%D0%90"));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	EXPECT_STR(num_at(r, 0), probe[0].number);
	/* The MDM ID, and the status filter on top of a search. */
	r = get_as(&d, api_strdup_printf("%s&q=0F6C2A1E&status=on", base));
	EXPECT_INT(json_array_size(items(r)), ==, 1);
	r = get_as(&d, api_strdup_printf("%s&q=0f6c2a1e&status=off", base));
	EXPECT_INT(json_array_size(items(r)), ==, 0);
	/* LIKE's own characters mean themselves. */
	EXPECT_INT(json_array_size(items(get_as(&d, api_strdup_printf(
	    "%s&q=%%25", base)))), ==, 0);
	EXPECT_INT(json_array_size(items(get_as(&d, api_strdup_printf(
	    "%s&q=_", base)))), ==, 0);

	/* Counts and the status filter over the whole set. */
	it = group_of(get_as(&d, "/api/v1/licences/groups"), "supplier",
	    s.company_id);
	EXPECT_INT(jint(it, "total"), ==, BULK);
	EXPECT_INT(jint(it, "in_service"), ==, 2);
	r = get_as(&d, api_strdup_printf("%s&status=on&limit=200", base));
	EXPECT_INT(json_array_size(items(r)), ==, 2);
	EXPECT(json_is_null(json_object_get(r->json, "next_after")));

	/* A short common search pages like the full list. */
	r = get_as(&d, api_strdup_printf("%s&q=7&limit=200", base));
	EXPECT_INT(json_array_size(items(r)), ==, 200);
	json_array_foreach(items(r), i, it)
		EXPECT(strchr(sget(it, "number"), '7') != NULL ||
		    strchr(sget(it, "activation_code"), '7') != NULL ||
		    strchr(sget(it, "mdm_id"), '7') != NULL ||
		    strchr(sget(it, "config_version"), '7') != NULL);
	EXPECT(json_is_string(json_object_get(r->json, "next_after")));
}
