/*
 * test_network.c - the supplier's distributor network: invitations and
 * their codes, tokens (single use, expiry, resend, revoke), joining,
 * supplier cards and the licence-management permission, CSV import,
 * tenancy between companies, and the audit log both sides read.
 *
 * Supplier companies exist only through the operator's command line, so
 * these tests run `tobmen admin` against the server's store: run.sh
 * passes the binary (TOBMEN_TEST_BIN), the store (TOBMEN_TEST_DB) and the
 * server's mail folder (TOBMEN_TEST_MAIL_DIR), where invitation tokens
 * arrive.  Expiry is tested by moving the server's clock, always put
 * back.  Each test makes its own companies, so order does not matter.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"

#define PASSWORD	"network test passphrase 7"
#define DAY_MS		(24LL * 3600 * 1000)
#define A_VALID_INN	"7707083893"
#define RACE_ROUNDS	6

/* Sends once, then checks status and error code. */
#define EXPECT_ERR(expr, code, errcode)					\
	do {								\
		struct api_resp *resp_ = (expr);			\
		EXPECT_ERROR(resp_, (code), (errcode));			\
	} while (0)

/* A logged-in user: cookie, CSRF token, ids. */
struct sess {
	char	cookie[128];
	char	csrf[64];
	char	company_id[24];
	char	email[128];
};

/* --- plumbing -------------------------------------------------------- */

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* True when everything these tests need from run.sh is there. */
static bool
have_env(void)
{
	return env("TOBMEN_TEST_BIN") && env("TOBMEN_TEST_DB") &&
	    env("TOBMEN_TEST_MAIL_DIR");
}

#define NEED_ENV()							\
	do {								\
		if (!have_env())					\
			SKIP("needs TOBMEN_TEST_BIN, TOBMEN_TEST_DB and " \
			    "TOBMEN_TEST_MAIL_DIR from tests/api/run.sh"); \
	} while (0)

static const char *
uniq(const char *tag)
{
	static unsigned	n;

	return api_strdup_printf("%s-%ld-%u-%ld", tag, (long)getpid(), ++n,
	    (long)time(NULL) % 100000);
}

static const char *
uniq_email(const char *tag)
{
	return api_strdup_printf("%s@example.com", uniq(tag));
}

/* Copies the tobmen_session value of r's Set-Cookie into out. */
static bool
cookie_of(const struct api_resp *r, char *out, size_t n)
{
	const char	*c = api_header(r, "Set-Cookie");

	if (c == NULL || strncmp(c, "tobmen_session=", 15) != 0)
		return false;
	snprintf(out, n, "%.*s", (int)strcspn(c + 15, ";"), c + 15);
	return true;
}

/* Fills s from a login or register answer. */
static bool
sess_from(const struct api_resp *r, struct sess *s)
{
	json_t	*c = json_object_get(r->json, "company");
	json_t	*t = json_object_get(r->json, "csrf_token");
	json_t	*u = json_object_get(r->json, "user");

	if (!json_is_string(t) || !cookie_of(r, s->cookie, sizeof(s->cookie)))
		return false;
	snprintf(s->csrf, sizeof(s->csrf), "%s", json_string_value(t));
	snprintf(s->company_id, sizeof(s->company_id), "%s",
	    json_string_value(json_object_get(c, "id")));
	snprintf(s->email, sizeof(s->email), "%s",
	    json_string_value(json_object_get(u, "email")));
	return true;
}

/* A request as the cabinet makes it. */
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
	const char	*h[2];

	h[0] = api_strdup_printf("Cookie: tobmen_session=%s", s->cookie);
	h[1] = NULL;
	return api_request("GET", path, h, NULL, 0);
}

/* A string member of o, or "". */
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

static bool
clock_set(long long off)
{
	char	*b = api_strdup_printf("{\"offset_ms\":%lld}", off);

	return api_send_json("POST", "/api/v1/test/clock", b)->status == 200;
}

/* Logs email in as s; remember asks for the long session that outlives
 * a clock moved by days. */
static bool
login_as(const char *email, bool remember, struct sess *s)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/auth/login", api_strdup_printf(
	    "{\"email\":\"%s\",\"password\":\"%s\",\"remember\":%s}",
	    email, PASSWORD, remember ? "true" : "false"));
	return r->status == 200 && sess_from(r, s);
}

static bool
login(const char *email, struct sess *s)
{
	return login_as(email, false, s);
}

/* Registers a distributor company with its owner, logged in as s. */
static bool
distributor_new(const char *tag, struct sess *s)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/auth/register", api_strdup_printf(
	    "{\"company_name\":\"ООО %s\",\"inn\":\"%s\",\"name\":\"Анна\","
	    "\"email\":\"%s\",\"password\":\"%s\",\"lang\":\"ru\"}",
	    uniq(tag), A_VALID_INN, uniq_email(tag), PASSWORD));
	return r->status == 201 && sess_from(r, s);
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

/* Decodes base64 (line breaks skipped) into a new string. */
static char *
b64(const char *s, size_t n)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out = api_keep(calloc(1, n + 1));
	const char		*p;
	unsigned		 acc = 0;
	int			 bits = 0;
	size_t			 o = 0, i;

	for (i = 0; i < n && s[i] != '='; i++) {
		if (s[i] == '\0' || (p = strchr(al, s[i])) == NULL)
			continue;
		acc = (acc << 6) | (unsigned)(p - al);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

/* The decoded text/plain part of a mail, or "". */
static const char *
mail_text(const char *eml)
{
	const char	*p = strstr(eml, "Content-Type: text/plain");
	const char	*end;

	if (p == NULL || (p = strstr(p, "\r\n\r\n")) == NULL)
		return "";
	p += 4;
	end = strstr(p, "\r\n--");
	return b64(p, end ? (size_t)(end - p) : strlen(p));
}

/* The outbox id at the end of a mail's file name ("...-42.eml"). */
static long
mail_seq(const char *name)
{
	const char	*dash = strrchr(name, '-');

	return dash != NULL ? strtol(dash + 1, NULL, 10) : 0;
}

/* Counts the mails to `to`; *newest (may be NULL) gets the text of the
 * last one queued. */
static int
mail_scan(const char *to, const char **newest)
{
	DIR		*d = opendir(env("TOBMEN_TEST_MAIL_DIR"));
	struct dirent	*de;
	const char	*want, *best = NULL;
	char		*raw;
	long		 seq = -1;
	int		 n = 0;

	if (d == NULL)
		return 0;
	want = api_strdup_printf("\r\nTo: <%s>", to);
	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		raw = slurp(api_strdup_printf("%s/%s",
		    env("TOBMEN_TEST_MAIL_DIR"), de->d_name));
		if (raw == NULL || strstr(raw, want) == NULL)
			continue;
		n++;
		if (mail_seq(de->d_name) > seq) {
			seq = mail_seq(de->d_name);
			best = raw;
		}
	}
	closedir(d);
	if (newest != NULL)
		*newest = best != NULL ? mail_text(best) : "";
	return n;
}

/* Waits up to 20 s for more than `had` mails to `to`; copies the value
 * after `key` in the newest one's text (a token) into out. */
static bool
mail_wait(const char *to, int had, const char *key, char *out, size_t n,
    const char **text)
{
	const char	*t = NULL, *p;
	int		 i;

	for (i = 0; i < 200; i++) {
		if (mail_scan(to, &t) > had && (p = strstr(t, key)) != NULL) {
			p += strlen(key);
			snprintf(out, n, "%.*s", (int)strspn(p,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789-_"), p);
			if (text != NULL)
				*text = t;
			return true;
		}
		usleep(100 * 1000);
	}
	return false;
}

/* --- suppliers through the operator's command line ------------------- */

/* Runs `tobmen admin ARGS --db DB --json` and returns the "id" of the
 * object it prints, or NULL if it failed. */
static const char *
admin(const char *args)
{
	char		 buf[8192];
	const char	*id = NULL;
	char		*cmd;
	FILE		*p;
	size_t		 n;
	json_t		*j;

	cmd = api_strdup_printf("'%s' admin %s --db '%s' --json 2>/dev/null",
	    env("TOBMEN_TEST_BIN"), args, env("TOBMEN_TEST_DB"));
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	if (pclose(p) != 0)
		return NULL;
	if ((j = json_loads(buf, 0, NULL)) != NULL &&
	    json_is_string(json_object_get(j, "id")))
		id = api_strdup_printf("%s", sget(j, "id"));
	json_decref(j);
	return id;
}

/* Adds user email with role to company id and logs them in as s. */
static bool
user_new(const char *company_id, const char *email, const char *role,
    struct sess *s)
{
	struct api_resp	*r;
	char		 tok[64];

	if (admin(api_strdup_printf("user add --company %s --email %s "
	    "--name Тест --role %s", company_id, email, role)) == NULL)
		return false;
	if (!mail_wait(email, 0, "token=", tok, sizeof(tok), NULL))
		return false;
	r = api_send_json("POST", "/api/v1/auth/password/reset",
	    api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}", tok,
	    PASSWORD));
	return r->status == 204 && login(email, s);
}

/* Makes a supplier company (with distributor too if both) and its
 * owner, logged in as s. */
static bool
supplier_new(const char *tag, bool both, struct sess *s)
{
	const char	*id;

	id = admin(api_strdup_printf("company add --name %s --supplier%s",
	    uniq(tag), both ? " --distributor" : ""));
	return id != NULL && user_new(id, uniq_email(tag), "owner", s);
}

/* --- network helpers ------------------------------------------------- */

/* Invites name/email (code: JSON value text or NULL) as supplier s. */
static struct api_resp *
invite(const struct sess *s, const char *email, const char *code)
{
	return call(s, "POST", "/api/v1/network/distributors",
	    api_strdup_printf("{\"name\":\"Дистрибьютор %s\",\"email\":"
	    "\"%s\"%s%s}", uniq("d"), email, code ? ",\"code\":" : "",
	    code ? code : ""));
}

/* Invites email and waits for its mail; tok gets the token, id the
 * row.  had: mails to email before. */
static bool
invite_token(const struct sess *s, const char *email, char *tok,
    size_t n, char *id, size_t idn)
{
	struct api_resp	*r = invite(s, email, NULL);

	if (r->status != 201)
		return false;
	snprintf(id, idn, "%s", jstr(r, "id"));
	return mail_wait(email, 0, "invite=", tok, n, NULL);
}

static const char *
inv_path(const char *tok, const char *what)
{
	return api_strdup_printf("/api/v1/invitations/%s%s%s", tok,
	    what ? "/" : "", what ? what : "");
}

static const char *
dist_path(const char *id, const char *what)
{
	return api_strdup_printf("/api/v1/network/distributors/%s%s%s", id,
	    what ? "/" : "", what ? what : "");
}

/* The row with this id in the supplier's list, or NULL. */
static json_t *
row_of(const struct sess *s, const char *id)
{
	struct api_resp	*r = get_as(s, "/api/v1/network/distributors"
	    "?limit=200");
	json_t		*it;
	size_t		 i;

	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (strcmp(sget(it, "id"), id) == 0)
			return it;
	return NULL;
}

/* --- codes ----------------------------------------------------------- */

TEST(network_code_assigned_given_taken_and_malformed)
{
	struct sess	 s;
	struct api_resp	*r;
	const char	*code;
	long		 c;

	NEED_ENV();
	EXPECT(supplier_new("codes", false, &s));

	r = invite(&s, uniq_email("auto"), NULL);
	EXPECT_STATUS(r, 201);
	code = jstr(r, "code");
	c = strtol(code, NULL, 10);
	EXPECT_INT(strlen(code), ==, 5);
	EXPECT(c >= 10000 && c <= 99999);
	EXPECT_STR(jstr(r, "status"), "invited");

	r = invite(&s, uniq_email("given"), "\"18902\"");
	EXPECT_STATUS(r, 201);
	EXPECT_STR(jstr(r, "code"), "18902");

	r = invite(&s, uniq_email("clash"), "\"18902\"");
	EXPECT_ERR(r, 409, "code_taken");
	EXPECT_STR(sget(json_object_get(r->json, "error"), "field"), "code");
	EXPECT_ERR(invite(&s, uniq_email("clash"), "18902"), 409,
	    "code_taken");
	EXPECT_ERR(invite(&s, uniq_email("clash"), code), 409, "code_taken");

	EXPECT_ERR(invite(&s, uniq_email("bad"), "\"1890\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, uniq_email("bad"), "\"09999\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, uniq_email("bad"), "100000"), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, uniq_email("bad"), "\"1890a\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, uniq_email("bad"), "\" 18903\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, "not an address", NULL), 400, "email_invalid");
	EXPECT_ERR(call(&s, "POST", "/api/v1/network/distributors",
	    "{\"email\":\"x@example.com\"}"), 400, "field_required");

	/* Nothing of the refused ones was stored. */
	r = get_as(&s, "/api/v1/network/distributors");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 2);
}

TEST(network_code_held_by_another_supplier_is_free_here)
{
	struct sess	a, b;

	NEED_ENV();
	EXPECT(supplier_new("codea", false, &a));
	EXPECT(supplier_new("codeb", false, &b));
	EXPECT_STATUS(invite(&a, uniq_email("x"), "\"45678\""), 201);
	EXPECT_STATUS(invite(&b, uniq_email("y"), "\"45678\""), 201);
}

TEST(network_supplier_cannot_invite_itself_or_twice)
{
	struct sess	 s, m;
	const char	*email = uniq_email("twice");

	NEED_ENV();
	EXPECT(supplier_new("self", false, &s));
	EXPECT_ERR(invite(&s, s.email, NULL), 409, "self_invite");
	EXPECT_STATUS(invite(&s, email, NULL), 201);
	EXPECT_ERR(invite(&s, email, NULL), 409, "already_invited");

	/* A member of the supplier looks but does not invite. */
	EXPECT(user_new(s.company_id, uniq_email("member"), "member", &m));
	EXPECT_STATUS(get_as(&m, "/api/v1/network/distributors"), 200);
	EXPECT_ERR(invite(&m, uniq_email("bym"), NULL), 403, "forbidden");
}

/* --- the mail and the token ------------------------------------------ */

TEST(network_invitation_mail_link_and_single_use)
{
	struct sess	 s, d;
	struct api_resp	*r, *used;
	const char	*email = uniq_email("join"), *text = NULL;
	char		 tok[64];

	NEED_ENV();
	EXPECT(supplier_new("mail", false, &s));
	r = call(&s, "POST", "/api/v1/network/distributors", api_strdup_printf(
	    "{\"name\":\"ООО Приглашённый\",\"email\":\"%s\","
	    "\"code\":\"23456\"}", email));
	EXPECT_STATUS(r, 201);
	EXPECT(mail_wait(email, 0, "invite=", tok, sizeof(tok), &text));
	EXPECT_INT(strlen(tok), ==, 43);
	EXPECT_HAS(text, "23456");
	EXPECT_HAS(text, "/suppliers/join?invite=");

	EXPECT(distributor_new("joiner", &d));
	r = get_as(&d, inv_path(tok, NULL));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(api_header(r, "Referrer-Policy"), "no-referrer");
	EXPECT_STR(jstr(r, "code"), "23456");
	EXPECT_STR(jstr(r, "email"), email);
	EXPECT(strstr(sget(json_object_get(r->json, "supplier"), "name"),
	    "mail-") != NULL);

	r = call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(jstr(r, "code"), "23456");
	EXPECT(json_is_false(json_object_get(r->json, "manage_licences")));
	EXPECT_STR(api_header(r, "Referrer-Policy"), "no-referrer");

	/* Spent: every further use gets the one answer for a bad link. */
	used = get_as(&d, inv_path(tok, NULL));
	EXPECT_ERR(used, 404, "invitation_invalid");
	EXPECT_ERR(call(&d, "POST", inv_path(tok, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_ERR(call(&d, "POST", inv_path(tok, "decline"), "{}"), 404,
	    "invitation_invalid");
	r = get_as(&d, inv_path("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL));
	EXPECT_STR(r->body, used->body);
	EXPECT_STR(get_as(&d, inv_path("junk", NULL))->body, used->body);

	/* The joining company is a distributor with one supplier card. */
	r = get_as(&d, "/api/v1/company");
	EXPECT(json_is_true(json_object_get(r->json, "is_distributor")));
	r = get_as(&d, "/api/v1/network/suppliers");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 1);
	EXPECT_STR(jstr(r, "next_after"), "");
}

TEST(network_join_page_sends_no_referrer)
{
	struct api_resp	*r;

	r = api_get("/suppliers/join?invite=whatever");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(api_header(r, "Referrer-Policy"), "no-referrer");
	EXPECT_HAS(api_header(r, "Content-Type"), "text/html");
}

TEST(network_invitation_needs_a_session)
{
	EXPECT_ERR(api_get("/api/v1/invitations/"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401,
	    "unauthenticated");
	EXPECT_ERR(api_get("/api/v1/network/distributors"), 401,
	    "unauthenticated");
	EXPECT_ERR(api_get("/api/v1/audit"), 401, "unauthenticated");
}

TEST(network_invitation_expires_by_the_clock)
{
	struct sess	 s, d;
	struct api_resp	*r, *unknown;
	char		 tok[64], id[24];
	json_t		*row;

	NEED_ENV();
	EXPECT(supplier_new("expiry", false, &s));
	EXPECT(distributor_new("late", &d));
	EXPECT(login_as(d.email, true, &d));
	EXPECT(login_as(s.email, true, &s));
	EXPECT(invite_token(&s, uniq_email("late"), tok, sizeof(tok), id,
	    sizeof(id)));

	EXPECT(clock_set(6 * DAY_MS));
	r = get_as(&d, inv_path(tok, NULL));
	EXPECT(clock_set(0));
	EXPECT_STATUS(r, 200);

	EXPECT(clock_set(7 * DAY_MS + 60 * 1000));
	r = get_as(&d, inv_path(tok, NULL));
	unknown = get_as(&d, inv_path(
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", NULL));
	row = row_of(&s, id);
	EXPECT(clock_set(0));
	EXPECT_ERR(r, 404, "invitation_invalid");
	EXPECT_STR(r->body, unknown->body);
	EXPECT(row != NULL);
	EXPECT_STR(sget(row, "status"), "expired");

	EXPECT(clock_set(7 * DAY_MS + 60 * 1000));
	r = call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT(clock_set(0));
	EXPECT_ERR(r, 404, "invitation_invalid");

	/* Not spent by the failed tries: back in its week it still works. */
	EXPECT_STATUS(call(&d, "POST", inv_path(tok, "accept"), "{}"), 200);
}

TEST(network_resend_replaces_and_revoke_kills_the_token)
{
	struct sess	 s, d;
	const char	*email = uniq_email("resend");
	char		 t1[64], t2[64], t3[64], id[24];
	struct api_resp	*r;

	NEED_ENV();
	EXPECT(supplier_new("resend", false, &s));
	EXPECT(distributor_new("resent", &d));
	EXPECT(invite_token(&s, email, t1, sizeof(t1), id, sizeof(id)));

	r = call(&s, "POST", dist_path(id, "resend"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(jstr(r, "status"), "invited");
	EXPECT(mail_wait(email, 1, "invite=", t2, sizeof(t2), NULL));
	EXPECT(strcmp(t1, t2) != 0);
	EXPECT_ERR(get_as(&d, inv_path(t1, NULL)), 404, "invitation_invalid");
	EXPECT_STATUS(get_as(&d, inv_path(t2, NULL)), 200);

	r = call(&s, "POST", dist_path(id, "revoke"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(jstr(r, "status"), "revoked");
	EXPECT_ERR(get_as(&d, inv_path(t2, NULL)), 404, "invitation_invalid");
	EXPECT_ERR(call(&s, "POST", dist_path(id, "revoke"), "{}"), 409,
	    "invalid_state");

	/* A revoked invitation may be sent again, with a third token. */
	EXPECT_STATUS(call(&s, "POST", dist_path(id, "resend"), "{}"), 200);
	EXPECT(mail_wait(email, 2, "invite=", t3, sizeof(t3), NULL));
	EXPECT_ERR(get_as(&d, inv_path(t2, NULL)), 404, "invitation_invalid");
	EXPECT_STATUS(call(&d, "POST", inv_path(t3, "accept"), "{}"), 200);
	EXPECT_ERR(call(&s, "POST", dist_path(id, "resend"), "{}"), 409,
	    "invalid_state");
	EXPECT_ERR(call(&s, "POST", dist_path(id, "revoke"), "{}"), 409,
	    "invalid_state");
}

TEST(network_decline_frees_the_code)
{
	struct sess	 s, d;
	struct api_resp	*r;
	char		 tok[64], id[24];

	NEED_ENV();
	EXPECT(supplier_new("decline", false, &s));
	EXPECT(distributor_new("decliner", &d));
	r = invite(&s, uniq_email("dec"), "\"34567\"");
	EXPECT_STATUS(r, 201);
	snprintf(id, sizeof(id), "%s", jstr(r, "id"));
	EXPECT(mail_wait(sget(r->json, "email"), 0, "invite=", tok,
	    sizeof(tok), NULL));

	r = call(&d, "POST", inv_path(tok, "decline"), "{}");
	EXPECT_STATUS(r, 204);
	EXPECT_STR(sget(row_of(&s, id), "status"), "declined");
	EXPECT_ERR(call(&d, "POST", inv_path(tok, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_INT(json_array_size(json_object_get(get_as(&d,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);

	/* The code went back to the supplier; the old row cannot take it
	 * back while another holds it. */
	EXPECT_STATUS(invite(&s, uniq_email("dec2"), "\"34567\""), 201);
	EXPECT_ERR(call(&s, "POST", dist_path(id, "resend"), "{}"), 409,
	    "code_taken");
}

/* --- racing ---------------------------------------------------------- */

struct racer {
	const struct sess	*s;
	const char		*url;
	long			 status;
	pthread_barrier_t	*go;
};

static size_t
racer_sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One accept, sent as soon as every racer is ready. */
static void *
racer_run(void *arg)
{
	struct racer		*r = arg;
	struct curl_slist	*h = NULL;
	char			 hdr[256];
	CURL			*c = curl_easy_init();

	snprintf(hdr, sizeof(hdr), "Cookie: tobmen_session=%s", r->s->cookie);
	h = curl_slist_append(h, hdr);
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", r->s->csrf);
	h = curl_slist_append(h, hdr);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, racer_sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	pthread_barrier_wait(r->go);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}

/* Sends accept for tok as a and b at the same moment; *ok counts 200s,
 * *lost the 404s. */
static void
race(const struct sess *a, const struct sess *b, const char *tok, int *ok,
    int *lost)
{
	pthread_barrier_t	go;
	struct racer		r[4];
	pthread_t		t[4];
	int			i;

	pthread_barrier_init(&go, NULL, 4);
	for (i = 0; i < 4; i++) {
		r[i].s = i % 2 ? b : a;
		r[i].url = api_strdup_printf("%s%s", api_base_url(),
		    inv_path(tok, "accept"));
		r[i].status = 0;
		r[i].go = &go;
		pthread_create(&t[i], NULL, racer_run, &r[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		*ok += r[i].status == 200;
		*lost += r[i].status == 404;
	}
	pthread_barrier_destroy(&go);
}

TEST(network_parallel_accepts_only_one_wins)
{
	struct sess	s, d1, d1b, d2;
	char		tok[64], id[24];
	int		round, ok, lost;

	NEED_ENV();
	EXPECT(supplier_new("race", false, &s));
	EXPECT(distributor_new("racer1", &d1));
	EXPECT(distributor_new("racer2", &d2));
	/* A second tab of the first company: its own session. */
	EXPECT(login(d1.email, &d1b));

	/* Two tabs of one company, then two companies. */
	for (round = 0; round < RACE_ROUNDS; round++) {
		const struct sess *a = round % 3 == 2 ? &d2 : &d1;
		const struct sess *b = round % 3 == 0 ? &d1b : round % 3 == 1 ?
		    &d2 : &d1b;

		EXPECT(invite_token(&s, uniq_email("race"), tok, sizeof(tok),
		    id, sizeof(id)));
		ok = lost = 0;
		race(a, b, tok, &ok, &lost);
		EXPECT_INT(ok, ==, 1);
		EXPECT_INT(lost, ==, 3);
		EXPECT_STR(sget(row_of(&s, id), "status"), "accepted");

		/* The winner is linked now; free the pair for the next
		 * round. */
		EXPECT_STATUS(call(&s, "POST", dist_path(id, "disconnect"),
		    "{\"reason\":\"round over\"}"), 200);
	}
}

/* --- tenancy --------------------------------------------------------- */

TEST(network_other_companies_get_404_and_wrong_sides_403)
{
	struct sess	 s1, s2, d1, d2;
	char		 tok[64], id[24];
	const char	*card;
	struct api_resp	*r;

	NEED_ENV();
	EXPECT(supplier_new("tenant1", false, &s1));
	EXPECT(supplier_new("tenant2", true, &s2));
	EXPECT(distributor_new("tenantd1", &d1));
	EXPECT(distributor_new("tenantd2", &d2));
	EXPECT(invite_token(&s1, uniq_email("ten"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = call(&d1, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    jstr(r, "id"));

	/* Another supplier: the row does not exist for it. */
	EXPECT_ERR(get_as(&s2, dist_path(id, NULL)), 404, "link_not_found");
	EXPECT_ERR(call(&s2, "POST", dist_path(id, "resend"), "{}"), 404,
	    "link_not_found");
	EXPECT_ERR(call(&s2, "POST", dist_path(id, "revoke"), "{}"), 404,
	    "link_not_found");
	EXPECT_ERR(call(&s2, "POST", dist_path(id, "disconnect"),
	    "{\"reason\":\"x\"}"), 404, "link_not_found");
	EXPECT(row_of(&s2, id) == NULL);
	r = get_as(&s2, "/api/v1/network/suppliers");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);

	/* Another distributor: the card does not exist for it. */
	EXPECT_STATUS(get_as(&d1, card), 200);
	EXPECT_ERR(get_as(&d2, card), 404, "link_not_found");
	EXPECT_ERR(call(&d2, "PATCH", card, "{\"manage_licences\":true}"),
	    404, "link_not_found");
	EXPECT_INT(json_array_size(json_object_get(get_as(&d2,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);

	/* Wrong sides. */
	EXPECT_ERR(get_as(&d1, "/api/v1/network/distributors"), 403,
	    "not_supplier");
	EXPECT_ERR(get_as(&d1, dist_path(id, NULL)), 403, "not_supplier");
	EXPECT_ERR(invite(&d1, uniq_email("no"), NULL), 403, "not_supplier");
	EXPECT_ERR(call(&d1, "POST", "/api/v1/network/distributors/import",
	    "{\"csv\":\"a;b@example.com\"}"), 403, "not_supplier");
	EXPECT_ERR(get_as(&s1, "/api/v1/network/suppliers"), 403,
	    "not_distributor");
	EXPECT_ERR(get_as(&s1, card), 403, "not_distributor");
	EXPECT_ERR(call(&s1, "PATCH", card, "{\"manage_licences\":true}"),
	    403, "not_distributor");

	/* The supplier cannot answer its own invitation. */
	EXPECT(invite_token(&s1, uniq_email("own"), tok, sizeof(tok), id,
	    sizeof(id)));
	EXPECT_ERR(call(&s1, "POST", inv_path(tok, "accept"), "{}"), 409,
	    "self_invite");
}

TEST(network_one_link_per_pair_and_reconnect_only_by_the_same_company)
{
	struct sess	s, d1, d2;
	char		t1[64], t2[64], t3[64], id1[24], id2[24];
	const char	*email = uniq_email("pair");

	NEED_ENV();
	EXPECT(supplier_new("pair", false, &s));
	EXPECT(distributor_new("paird1", &d1));
	EXPECT(distributor_new("paird2", &d2));
	EXPECT(invite_token(&s, email, t1, sizeof(t1), id1, sizeof(id1)));
	EXPECT(invite_token(&s, uniq_email("pair2"), t2, sizeof(t2), id2,
	    sizeof(id2)));
	EXPECT_STATUS(call(&d1, "POST", inv_path(t1, "accept"), "{}"), 200);
	EXPECT_ERR(call(&d1, "POST", inv_path(t2, "accept"), "{}"), 409,
	    "already_linked");
	/* The refused answer spent nothing: another company may use it. */
	EXPECT_STATUS(call(&d2, "POST", inv_path(t2, "accept"), "{}"), 200);

	/* Disconnected, then invited again: only d1 may take it back. */
	EXPECT_ERR(call(&s, "POST", dist_path(id1, "disconnect"), "{}"), 400,
	    "field_required");
	EXPECT_ERR(call(&s, "POST", dist_path(id1, "disconnect"),
	    "{\"reason\":\"   \"}"), 400, "reason_invalid");
	EXPECT_STATUS(call(&s, "POST", dist_path(id1, "disconnect"),
	    "{\"reason\":\"Договор расторгнут\"}"), 200);
	EXPECT_STR(sget(row_of(&s, id1), "status"), "disconnected");
	EXPECT_STR(sget(row_of(&s, id1), "reason"), "Договор расторгнут");
	EXPECT_INT(json_array_size(json_object_get(get_as(&d1,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);
	EXPECT_STATUS(call(&s, "POST", dist_path(id1, "resend"), "{}"), 200);
	EXPECT(mail_wait(email, 1, "invite=", t3, sizeof(t3), NULL));
	EXPECT_ERR(get_as(&d2, inv_path(t3, NULL)), 404,
	    "invitation_invalid");
	EXPECT_ERR(call(&d2, "POST", inv_path(t3, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_STATUS(call(&d1, "POST", inv_path(t3, "accept"), "{}"), 200);
	EXPECT_STR(sget(row_of(&s, id1), "status"), "accepted");
}

/* --- CSV import ------------------------------------------------------ */

/* {"csv": text} as a JSON body (kept by the harness). */
static const char *
csv_body(const char *text)
{
	json_t	*o = json_pack("{s:s}", "csv", text);
	char	*s = json_dumps(o, 0);

	json_decref(o);
	return api_keep(s);
}

/* The report row for file line `line`, or NULL. */
static json_t *
report_line(const struct api_resp *r, int line)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(json_object_get(r->json, "rows"), i, it)
		if (json_integer_value(json_object_get(it, "line")) == line)
			return it;
	return NULL;
}

/* The error code of a refused report row, or "". */
static const char *
report_error(const struct api_resp *r, int line)
{
	return sget(json_object_get(report_line(r, line), "error"), "code");
}

TEST(network_csv_import_reports_each_row)
{
	struct sess	 s, m;
	struct api_resp	*r;
	const char	*csv, *body;

	NEED_ENV();
	EXPECT(supplier_new("csv", false, &s));
	csv = api_strdup_printf(
	    "\xEF\xBB\xBFНазвание;E-mail;Код\r\n"
	    "ООО Альфа;%s;\r\n"
	    "\"ООО \"\"Бета; и партнёры\"\"\";%s;56789\r\n"
	    "\r\n"
	    "ООО Гамма;%s;56789\r\n"
	    "ООО Дельта;not-an-address;\r\n"
	    "ООО Эпсилон;%s;5678\r\n"
	    "Только имя\r\n"
	    "ООО Дзета;%s;;лишнее\r\n"
	    "ООО Эта;%s;67890;;\r\n",
	    uniq_email("alfa"), uniq_email("beta"), uniq_email("gamma"),
	    uniq_email("eps"), uniq_email("zeta"), uniq_email("eta"));
	body = csv_body(csv);
	r = call(&s, "POST", "/api/v1/network/distributors/import", body);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "accepted")),
	    ==, 3);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "rejected")),
	    ==, 5);
	EXPECT(json_is_true(json_object_get(report_line(r, 2), "accepted")));
	EXPECT(json_is_true(json_object_get(report_line(r, 3), "accepted")));
	EXPECT_STR(sget(report_line(r, 3), "name"),
	    "ООО \"Бета; и партнёры\"");
	EXPECT_STR(sget(json_object_get(report_line(r, 3), "distributor"),
	    "code"), "56789");
	EXPECT_STR(report_error(r, 5), "code_taken");
	EXPECT_STR(report_error(r, 6), "email_invalid");
	EXPECT_STR(report_error(r, 7), "code_invalid");
	EXPECT_STR(report_error(r, 8), "fields_missing");
	EXPECT_STR(report_error(r, 9), "too_many_fields");
	EXPECT(json_is_true(json_object_get(report_line(r, 10),
	    "accepted")));
	EXPECT_INT(json_array_size(json_object_get(get_as(&s,
	    "/api/v1/network/distributors")->json, "items")), ==, 3);

	/* Comma-separated, no titles, no BOM. */
	csv = api_strdup_printf("ООО Тета,%s,\nООО Йота,%s,78901\n",
	    uniq_email("theta"), uniq_email("iota"));
	body = csv_body(csv);
	r = call(&s, "POST", "/api/v1/network/distributors/import", body);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "accepted")),
	    ==, 2);
	EXPECT_STR(sget(json_object_get(report_line(r, 2), "distributor"),
	    "code"), "78901");

	EXPECT_ERR(call(&s, "POST", "/api/v1/network/distributors/import",
	    "{\"csv\":\"\\r\\n\\r\\n\"}"), 400, "csv_empty");
	EXPECT_ERR(call(&s, "POST", "/api/v1/network/distributors/import",
	    "{}"), 400, "field_required");
	EXPECT(user_new(s.company_id, uniq_email("csvm"), "member", &m));
	EXPECT_ERR(call(&m, "POST", "/api/v1/network/distributors/import",
	    body), 403, "forbidden");
}

/* --- the permission -------------------------------------------------- */

TEST(network_permission_on_off_seen_by_the_supplier_and_mailed)
{
	struct sess	 s, d, m;
	struct api_resp	*r;
	char		 tok[64], id[24];
	const char	*card;
	int		 mails;

	NEED_ENV();
	EXPECT(supplier_new("perm", false, &s));
	EXPECT(distributor_new("permd", &d));
	EXPECT(invite_token(&s, uniq_email("perm"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    jstr(r, "id"));
	EXPECT(json_is_false(json_object_get(row_of(&s, id),
	    "manage_licences")));
	mails = mail_scan(s.email, NULL);

	r = call(&d, "PATCH", card, "{\"manage_licences\":true}");
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_true(json_object_get(r->json, "manage_licences")));
	EXPECT(json_is_true(json_object_get(row_of(&s, id),
	    "manage_licences")));
	EXPECT(mail_wait(s.email, mails, "", tok, sizeof(tok), NULL));

	/* Setting the value it has changes nothing and mails nothing. */
	EXPECT_STATUS(call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);

	/* No licence of this company belongs to the supplier, so clearing
	 * needs no confirmation; with one it would answer 409
	 * confirm_required (see tests/unit/domain/test_network.c). */
	r = call(&d, "PATCH", card, "{\"manage_licences\":false}");
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(row_of(&s, id),
	    "manage_licences")));
	EXPECT(mail_wait(s.email, mails + 1, "", tok, sizeof(tok), NULL));
	EXPECT_INT(mail_scan(s.email, NULL), ==, mails + 2);
	EXPECT_STATUS(call(&d, "PATCH", card,
	    "{\"manage_licences\":true,\"confirm\":true}"), 200);

	EXPECT_ERR(call(&d, "PATCH", card, "{}"), 400, "field_required");
	EXPECT_ERR(call(&d, "PATCH", card, "{\"manage_licences\":\"yes\"}"),
	    400, "field_invalid");
	EXPECT(user_new(d.company_id, uniq_email("permm"), "member", &m));
	EXPECT_STATUS(get_as(&m, card), 200);
	EXPECT_ERR(call(&m, "PATCH", card, "{\"manage_licences\":false}"),
	    403, "forbidden");
	EXPECT_ERR(call(&m, "POST", inv_path(
	    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", "accept"), "{}"),
	    403, "forbidden");
}

/* --- audit ----------------------------------------------------------- */

/* The actions of the entries on one audit page, newest first, joined
 * with spaces. */
static const char *
audit_actions(const struct api_resp *r)
{
	const char	*out = "";
	json_t		*it;
	size_t		 i;

	json_array_foreach(json_object_get(r->json, "items"), i, it)
		out = api_strdup_printf("%s%s%s", out, i ? " " : "",
		    sget(it, "action"));
	return out;
}

TEST(network_audit_is_read_by_both_sides_with_cursor)
{
	struct sess	 s, d, other;
	struct api_resp	*r, *p1, *p2;
	char		 tok[64], id[24];
	const char	*card;
	json_t		*e;

	NEED_ENV();
	EXPECT(supplier_new("audit", false, &s));
	EXPECT(distributor_new("auditd", &d));
	EXPECT(distributor_new("auditx", &other));
	EXPECT(invite_token(&s, uniq_email("aud"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    jstr(r, "id"));
	EXPECT_STATUS(call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	EXPECT_STATUS(call(&s, "POST", dist_path(id, "disconnect"),
	    "{\"reason\":\"проверка журнала\"}"), 200);

	r = get_as(&s, "/api/v1/audit?limit=50");
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(audit_actions(r), "link.disconnect link.permission "
	    "link.accept link.invite");
	r = get_as(&d, "/api/v1/audit?limit=50");
	EXPECT_HAS(audit_actions(r), "link.disconnect link.permission "
	    "link.accept");
	EXPECT_LACKS(audit_actions(r), "link.invite");
	EXPECT_LACKS(audit_actions(get_as(&other, "/api/v1/audit")), "link.");

	/* Who, when, from where, before and after. */
	e = json_array_get(json_object_get(r->json, "items"), 1);
	EXPECT_STR(sget(e, "action"), "link.permission");
	EXPECT_STR(sget(e, "ip"), "127.0.0.1");
	EXPECT_STR(sget(json_object_get(e, "actor_company"), "id"),
	    d.company_id);
	EXPECT_STR(sget(json_object_get(e, "company"), "id"), s.company_id);
	EXPECT(json_is_false(json_object_get(json_object_get(e, "before"),
	    "manage_licences")));
	EXPECT(json_is_true(json_object_get(json_object_get(e, "after"),
	    "manage_licences")));
	EXPECT(sget(e, "at")[0] != '\0');
	e = json_array_get(json_object_get(r->json, "items"), 0);
	EXPECT_STR(sget(json_object_get(e, "after"), "reason"),
	    "проверка журнала");

	/* Cursor paging, newest first, no entry twice. */
	p1 = get_as(&s, "/api/v1/audit?limit=2");
	EXPECT_STATUS(p1, 200);
	EXPECT_STR(audit_actions(p1), "link.disconnect link.permission");
	EXPECT(jstr(p1, "next_after")[0] != '\0');
	p2 = get_as(&s, api_strdup_printf("/api/v1/audit?limit=2&after=%s",
	    jstr(p1, "next_after")));
	EXPECT_STATUS(p2, 200);
	EXPECT_STR(audit_actions(p2), "link.accept link.invite");
	EXPECT_ERR(get_as(&s, "/api/v1/audit?limit=0"), 400, "limit_invalid");
	EXPECT_ERR(get_as(&s, "/api/v1/audit?after=x"), 400, "after_invalid");
}

TEST(network_list_pages_by_cursor)
{
	struct sess	 s;
	struct api_resp	*p1, *p2;
	int		 i;

	NEED_ENV();
	EXPECT(supplier_new("pages", false, &s));
	for (i = 0; i < 5; i++)
		EXPECT_STATUS(invite(&s, uniq_email("pg"), NULL), 201);
	p1 = get_as(&s, "/api/v1/network/distributors?limit=3");
	EXPECT_STATUS(p1, 200);
	EXPECT_INT(json_array_size(json_object_get(p1->json, "items")), ==, 3);
	EXPECT(jstr(p1, "next_after")[0] != '\0');
	p2 = get_as(&s, api_strdup_printf(
	    "/api/v1/network/distributors?limit=3&after=%s",
	    jstr(p1, "next_after")));
	EXPECT_INT(json_array_size(json_object_get(p2->json, "items")), ==, 2);
	EXPECT(json_is_null(json_object_get(p2->json, "next_after")));
	EXPECT(strtol(sget(json_array_get(json_object_get(p2->json, "items"),
	    0), "id"), NULL, 10) > strtol(jstr(p1, "next_after"), NULL, 10));
	EXPECT_ERR(get_as(&s, "/api/v1/network/distributors?limit=201"), 400,
	    "limit_invalid");
}
