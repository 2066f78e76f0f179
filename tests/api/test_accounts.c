/*
 * test_accounts.c - companies, users, sessions, login, CSRF, throttling,
 * password change and reset, the company card and the users admin API.
 *
 * Expiry and throttle windows are tested by moving the server's clock
 * (POST /api/v1/test/clock, the server runs with --test-clock); every test
 * that moves it puts it back.  Throttling tests run far in the future
 * (each in its own window), so their marks never touch other tests.
 * Tests that read mail need TOBMEN_TEST_MAIL_DIR, the server's mail_dir
 * (the server runs without SMTP and writes .eml files there); without it
 * they are skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"

#define NEW_PASSWORD	"a brand new passphrase 42"
#define MINUTE		(60LL * 1000)
#define HOUR		(60 * MINUTE)
#define DAY		(24 * HOUR)
#define A_VALID_INN12	"500100732259"

/* POST /auth/register a new distributor «ООО Тест»; fills s on 201. */
static struct api_resp *
do_register(const char *email, struct fx_sess *s)
{
	return fx_register("Тест", email, s);
}

/* Adds a user as s; returns the new id ("" on failure). */
static const char *
add_user(const struct fx_sess *s, const char *email, const char *role)
{
	struct api_resp	*r;

	r = fx_call(s, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\",\"name\":\"Коллега\",\"role\":\"%s\"}", email,
	    role));
	return r->status == 201 ? fx_jstr(r, "id") : "";
}

/* --- register, login ------------------------------------------------- */

TEST(accounts_register_creates_logged_in_distributor_owner)
{
	struct fx_sess	 s;
	struct api_resp	*r = do_register(fx_uniq_email("reg"), &s);
	const char	*c;

	EXPECT_STATUS(r, 201);
	EXPECT_STR(json_string_value(json_object_get(json_object_get(r->json,
	    "user"), "role")), "owner");
	EXPECT(json_is_true(json_object_get(json_object_get(r->json,
	    "company"), "is_distributor")));
	EXPECT(json_is_false(json_object_get(json_object_get(r->json,
	    "company"), "is_supplier")));
	c = api_header(r, "Set-Cookie");
	EXPECT_HAS(c, "HttpOnly");
	EXPECT_HAS(c, "SameSite=Lax");
	EXPECT_LACKS(c, "Max-Age");

	r = fx_get_as(&s, "/api/v1/auth/me");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "csrf_token"), s.csrf);
}

TEST(accounts_register_bad_input_changes_nothing)
{
	const char	*email = fx_uniq_email("badreg");
	struct api_resp	*r;
	char		*b;

	b = api_strdup_printf("{\"company_name\":\"X\",\"inn\":\"1234567890\","
	    "\"name\":\"N\",\"email\":\"%s\",\"password\":\"%s\"}", email,
	    FX_PASSWORD);
	r = api_send_json("POST", "/api/v1/auth/register", b);
	EXPECT_ERR(r, 400, "inn_invalid");
	EXPECT_STR(json_string_value(json_object_get(json_object_get(r->json,
	    "error"), "field")), "inn");

	b = api_strdup_printf("{\"company_name\":\"X\",\"name\":\"N\","
	    "\"email\":\"%s\",\"password\":\"short\"}", email);
	r = api_send_json("POST", "/api/v1/auth/register", b);
	EXPECT_ERR(r, 400, "password_too_short");

	/* Eleven Cyrillic letters are 22 bytes but still too short. */
	b = api_strdup_printf("{\"company_name\":\"X\",\"name\":\"N\","
	    "\"email\":\"%s\",\"password\":\"абвгдеёжзий\"}", email);
	r = api_send_json("POST", "/api/v1/auth/register", b);
	EXPECT_ERR(r, 400, "password_too_short");

	r = fx_login(email, FX_PASSWORD, false, NULL);
	EXPECT_ERR(r, 401, "invalid_credentials");

	EXPECT_STATUS(do_register(email, NULL), 201);
	EXPECT_ERR(do_register(email, NULL), 409, "email_taken");
}

/* The server's count of argon2id checks so far, or -1 if /metrics does
 * not show it. */
static long
password_checks(void)
{
	const char	*key = "\ntobmen_password_checks_total ";
	struct api_resp	*r = api_get("/metrics");
	const char	*p;

	if (r->status != 200 || (p = strstr(r->body, key)) == NULL)
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

TEST(accounts_login_wrong_and_unknown_get_the_same_answer)
{
	const char	*email = fx_uniq_email("same");
	struct api_resp	*ok, *wrong, *unknown;
	long		 n0, n1, n2;

	EXPECT_STATUS(do_register(email, NULL), 201);
	ok = fx_login(email, FX_PASSWORD, false, NULL);
	EXPECT_STATUS(ok, 200);
	n0 = password_checks();
	wrong = fx_login(email, "not the right password", false, NULL);
	n1 = password_checks();
	unknown = fx_login(fx_uniq_email("nobody"), "not the right password",
	    false, NULL);
	n2 = password_checks();
	EXPECT_ERR(wrong, 401, "invalid_credentials");
	EXPECT_ERR(unknown, 401, "invalid_credentials");
	EXPECT_STR(wrong->body, unknown->body);
	/* Both spend exactly one argon2id check, so they take about the same
	 * time; counted rather than timed, so a busy machine cannot fail
	 * it. */
	EXPECT(n0 >= 0);
	EXPECT_INT(n1 - n0, ==, 1);
	EXPECT_INT(n2 - n1, ==, 1);
	EXPECT(api_header(wrong, "Set-Cookie") == NULL);
}

TEST(accounts_login_is_case_insensitive_and_rotates_the_token)
{
	const char	*email = fx_uniq_email("rotate");
	struct fx_sess	 a, b;
	struct api_resp	*r;
	const char	*h[3];
	char		*body;

	EXPECT_STATUS(do_register(email, &a), 201);
	h[0] = api_strdup_printf("Cookie: tobmen_session=%s", a.cookie);
	h[1] = "Content-Type: application/json";
	h[2] = NULL;
	body = api_strdup_printf("{\"email\":\"  %c%s \",\"password\":"
	    "\"%s\"}", 'R', email + 1, FX_PASSWORD);
	r = api_request("POST", "/api/v1/auth/login", h, body, strlen(body));
	EXPECT_STATUS(r, 200);
	EXPECT(fx_sess_from(r, &b));
	EXPECT(strcmp(a.cookie, b.cookie) != 0);
	EXPECT(strcmp(a.csrf, b.csrf) != 0);
	EXPECT_ERR(fx_get_as(&a, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_STATUS(fx_get_as(&b, "/api/v1/auth/me"), 200);
}

TEST(accounts_remember_me_sets_max_age_and_plain_login_does_not)
{
	const char	*email = fx_uniq_email("remember");
	struct api_resp	*r;

	EXPECT_STATUS(do_register(email, NULL), 201);
	r = fx_login(email, FX_PASSWORD, true, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(api_header(r, "Set-Cookie"), "Max-Age=2592000");
	EXPECT_HAS(api_header(r, "Set-Cookie"), "HttpOnly");
	EXPECT_LACKS(api_header(r, "Set-Cookie"), "Secure");
	r = fx_login(email, FX_PASSWORD, false, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_LACKS(api_header(r, "Set-Cookie"), "Max-Age");
}

TEST(accounts_requests_without_a_session_are_401)
{
	struct fx_sess	s = {
		.cookie = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};

	EXPECT_ERR(api_get("/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_ERR(api_get("/api/v1/users"), 401, "unauthenticated");
	EXPECT_ERR(fx_get_as(&s, "/api/v1/company"), 401, "unauthenticated");
	snprintf(s.cookie, sizeof(s.cookie), "garbage;");
	EXPECT_ERR(fx_get_as(&s, "/api/v1/company"), 401, "unauthenticated");
}

TEST(accounts_logout_ends_the_session_on_the_server)
{
	const char	*email = fx_uniq_email("logout");
	struct fx_sess	 a, b;
	struct api_resp	*r;

	EXPECT_STATUS(do_register(email, &a), 201);
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, false, &b), 200);
	r = fx_call(&a, "POST", "/api/v1/auth/logout", "{}");
	EXPECT_STATUS(r, 204);
	EXPECT_HAS(api_header(r, "Set-Cookie"), "Max-Age=0");
	/* The old cookie, replayed, is dead. */
	EXPECT_ERR(fx_get_as(&a, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_STATUS(fx_get_as(&b, "/api/v1/auth/me"), 200);
}

/* --- expiry ---------------------------------------------------------- */

/* Runs fn with the clock put back afterwards, whatever fn did. */
static void
with_clock(void (*fn)(long long base))
{
	long long	base = fx_clock_get();

	fn(base);
	fx_clock_set(base);
}

static void
idle_body(long long base)
{
	const char	*email = fx_uniq_email("idle");
	struct fx_sess	 s, keep;

	EXPECT_STATUS(do_register(email, &s), 201);
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, false, &keep), 200);
	/* keep is used every 100 minutes; s is left alone for two hours. */
	EXPECT(fx_clock_set(base + 100 * MINUTE));
	EXPECT_STATUS(fx_get_as(&keep, "/api/v1/auth/me"), 200);
	EXPECT(fx_clock_set(base + 2 * HOUR + MINUTE));
	EXPECT_ERR(fx_get_as(&s, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT(fx_clock_set(base + 200 * MINUTE));
	EXPECT_STATUS(fx_get_as(&keep, "/api/v1/auth/me"), 200);
}

TEST(accounts_idle_session_expires_after_two_hours)
{
	with_clock(idle_body);
}

static void
absolute_body(long long base)
{
	const char	*email = fx_uniq_email("absolute");
	struct fx_sess	 s;
	int		 i;

	EXPECT_STATUS(do_register(email, &s), 201);
	for (i = 1; i <= 7; i++) {
		EXPECT(fx_clock_set(base + i * 100 * MINUTE));
		EXPECT_STATUS(fx_get_as(&s, "/api/v1/auth/me"), 200);
	}
	/* Used all along, it still ends 12 hours after login. */
	EXPECT(fx_clock_set(base + 12 * HOUR + MINUTE));
	EXPECT_ERR(fx_get_as(&s, "/api/v1/auth/me"), 401, "unauthenticated");
}

TEST(accounts_session_ends_twelve_hours_after_login)
{
	with_clock(absolute_body);
}

static void
remember_body(long long base)
{
	const char	*email = fx_uniq_email("longlife");
	struct fx_sess	 s;

	EXPECT_STATUS(do_register(email, NULL), 201);
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, true, &s), 200);
	EXPECT(fx_clock_set(base + 3 * DAY));
	EXPECT_STATUS(fx_get_as(&s, "/api/v1/auth/me"), 200);
	EXPECT(fx_clock_set(base + 31 * DAY));
	EXPECT_ERR(fx_get_as(&s, "/api/v1/auth/me"), 401, "unauthenticated");
}

TEST(accounts_remembered_session_lives_thirty_days)
{
	with_clock(remember_body);
}

/* --- throttling ------------------------------------------------------ */

/* A point `days` ahead of base in an hour slot of its own per minute of
 * real time, so a second run against the same server starts afresh. */
static long long
far(long long base, int days)
{
	return base + days * DAY + (long long)(time(NULL) / 60 % 50000) * HOUR;
}

static void
throttle_account_body(long long base)
{
	const char	*email = fx_uniq_email("throttle");
	struct api_resp	*r;
	int		 i;

	EXPECT_STATUS(do_register(email, NULL), 201);
	EXPECT(fx_clock_set(far(base, 40)));
	for (i = 0; i < 10; i++)
		EXPECT_ERR(fx_login(email, "wrong password again", false,
		    NULL), 401, "invalid_credentials");
	r = fx_login(email, FX_PASSWORD, false, NULL);
	EXPECT_ERR(r, 429, "throttled");
	EXPECT(atoi(api_header(r, "Retry-After") ?
	    api_header(r, "Retry-After") : "0") > 0);
	EXPECT(fx_clock_set(far(base, 40) + 16 * MINUTE));
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, false, NULL), 200);
}

TEST(accounts_login_throttled_after_ten_failures_per_account)
{
	with_clock(throttle_account_body);
}

static void
throttle_ip_body(long long base)
{
	struct api_resp	*r;
	int		 i;

	EXPECT(fx_clock_set(far(base, 50)));
	for (i = 0; i < 50; i++)
		EXPECT_ERR(fx_login(fx_uniq_email("ip"), "wrong password again",
		    false, NULL), 401, "invalid_credentials");
	r = fx_login(fx_uniq_email("ip"), "wrong password again", false, NULL);
	EXPECT_ERR(r, 429, "throttled");
	EXPECT(api_header(r, "Retry-After") != NULL);
	EXPECT(fx_clock_set(far(base, 50) + 16 * MINUTE));
	EXPECT_ERR(fx_login(fx_uniq_email("ip"), "wrong password again", false,
	    NULL), 401, "invalid_credentials");
}

TEST(accounts_login_throttled_after_fifty_failures_per_address)
{
	with_clock(throttle_ip_body);
}

static void
throttle_register_body(long long base)
{
	struct api_resp	*r;
	int		 i;

	EXPECT(fx_clock_set(far(base, 60)));
	for (i = 0; i < 30; i++)
		EXPECT_ERR(api_send_json("POST", "/api/v1/auth/register",
		    "{\"company_name\":\"X\",\"name\":\"N\",\"email\":\"bad\","
		    "\"password\":\"x\"}"), 400, "email_invalid");
	r = do_register(fx_uniq_email("regthrottle"), NULL);
	EXPECT_ERR(r, 429, "throttled");
	EXPECT(api_header(r, "Retry-After") != NULL);
}

TEST(accounts_register_throttled_per_address)
{
	with_clock(throttle_register_body);
}

/* --- CSRF ------------------------------------------------------------ */

TEST(accounts_csrf_missing_wrong_or_cross_site_is_refused)
{
	struct fx_sess	 s, bad;
	struct api_resp	*r;
	const char	*h[4];
	char		*origin;

	EXPECT_STATUS(do_register(fx_uniq_email("csrf"), &s), 201);
	bad = s;
	snprintf(bad.csrf, sizeof(bad.csrf), "wrong");
	EXPECT_ERR(fx_call(&bad, "PATCH", "/api/v1/company",
	    "{\"phone\":\"111\"}"), 403, "csrf_failed");
	bad.csrf[0] = '\0';
	EXPECT_ERR(fx_call(&bad, "PATCH", "/api/v1/company",
	    "{\"phone\":\"111\"}"), 403, "csrf_failed");
	EXPECT_ERR(fx_call_x(&s, "PATCH", "/api/v1/company",
	    "{\"phone\":\"222\"}", "Origin: http://evil.example"), 403,
	    "csrf_failed");
	EXPECT_ERR(fx_call_x(&s, "PATCH", "/api/v1/company",
	    "{\"phone\":\"333\"}", "Sec-Fetch-Site: cross-site"), 403,
	    "csrf_failed");
	h[0] = api_strdup_printf("Cookie: tobmen_session=%s", s.cookie);
	h[1] = api_strdup_printf("X-CSRF-Token: %s", s.csrf);
	h[2] = "Content-Type: text/plain";
	h[3] = NULL;
	r = api_request("POST", "/api/v1/auth/logout", h, NULL, 0);
	EXPECT_STATUS(r, 415);
	EXPECT_ERR(api_request("POST", "/api/v1/auth/login",
	    (const char *[]){ "Content-Type: application/json",
	    "Origin: http://evil.example", NULL },
	    "{\"email\":\"a@b.cd\",\"password\":\"x\"}", 32), 403,
	    "csrf_failed");

	r = fx_get_as(&s, "/api/v1/company");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "phone"), "");
	EXPECT_STATUS(fx_get_as(&s, "/api/v1/auth/me"), 200);

	origin = api_strdup_printf("Origin: %s", api_base_url());
	r = fx_call_x(&s, "PATCH", "/api/v1/company", "{\"phone\":\"444\"}",
	    origin);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "phone"), "444");
}

/* --- passwords ------------------------------------------------------- */

TEST(accounts_password_change_ends_other_sessions)
{
	const char	*email = fx_uniq_email("change");
	struct fx_sess	 a, b;
	char		*body;

	EXPECT_STATUS(do_register(email, &a), 201);
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, false, &b), 200);
	body = api_strdup_printf("{\"current_password\":\"nope nope nope\","
	    "\"new_password\":\"%s\"}", NEW_PASSWORD);
	EXPECT_ERR(fx_call(&a, "POST", "/api/v1/auth/password/change", body),
	    400, "wrong_password");
	body = api_strdup_printf("{\"current_password\":\"%s\","
	    "\"new_password\":\"short\"}", FX_PASSWORD);
	EXPECT_ERR(fx_call(&a, "POST", "/api/v1/auth/password/change", body),
	    400, "password_too_short");
	EXPECT_STATUS(fx_get_as(&b, "/api/v1/auth/me"), 200);

	body = api_strdup_printf("{\"current_password\":\"%s\","
	    "\"new_password\":\"%s\"}", FX_PASSWORD, NEW_PASSWORD);
	EXPECT_STATUS(fx_call(&a, "POST", "/api/v1/auth/password/change", body),
	    204);
	EXPECT_ERR(fx_get_as(&b, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_STATUS(fx_get_as(&a, "/api/v1/auth/me"), 200);
	EXPECT_ERR(fx_login(email, FX_PASSWORD, false, NULL), 401,
	    "invalid_credentials");
	EXPECT_STATUS(fx_login(email, NEW_PASSWORD, false, NULL), 200);
}

TEST(accounts_forgot_answers_202_for_known_and_unknown)
{
	const char	*email = fx_uniq_email("forgot");
	struct api_resp	*known, *unknown;

	EXPECT_STATUS(do_register(email, NULL), 201);
	known = api_send_json("POST", "/api/v1/auth/password/forgot",
	    api_strdup_printf("{\"email\":\"%s\"}", email));
	unknown = api_send_json("POST", "/api/v1/auth/password/forgot",
	    api_strdup_printf("{\"email\":\"%s\"}", fx_uniq_email("ghost")));
	EXPECT_STATUS(known, 202);
	EXPECT_STATUS(unknown, 202);
	EXPECT_STR(known->body, unknown->body);
	EXPECT_STATUS(api_send_json("POST", "/api/v1/auth/password/forgot",
	    "{\"email\":\"not an address\"}"), 202);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/forgot",
	    "{}"), 400, "field_required");
}

TEST(accounts_reset_refuses_unknown_tokens)
{
	char	*b;

	b = api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NEW_PASSWORD);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/reset", b),
	    400, "token_invalid");
	b = api_strdup_printf("{\"token\":\"../x\",\"password\":\"%s\"}",
	    NEW_PASSWORD);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/reset", b),
	    400, "token_invalid");
}

TEST(accounts_reset_by_mail_is_single_use_and_ends_sessions)
{
	const char	*email = fx_uniq_email("reset");
	struct fx_sess	 s;
	char		 tok[64], *b;

	if (fx_mail_dir() == NULL)
		SKIP("TOBMEN_TEST_MAIL_DIR is not set");
	EXPECT_STATUS(do_register(email, &s), 201);
	EXPECT_STATUS(api_send_json("POST", "/api/v1/auth/password/forgot",
	    api_strdup_printf("{\"email\":\"%s\"}", email)), 202);
	EXPECT(fx_mail_wait(email, 0, "token=", tok, sizeof(tok), NULL));
	EXPECT_INT(strlen(tok), ==, 43);

	b = api_strdup_printf("{\"token\":\"%s\",\"password\":\"short\"}",
	    tok);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/reset", b),
	    400, "password_too_short");
	b = api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}", tok,
	    NEW_PASSWORD);
	EXPECT_STATUS(api_send_json("POST", "/api/v1/auth/password/reset",
	    b), 204);
	EXPECT_ERR(fx_get_as(&s, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_STATUS(fx_login(email, NEW_PASSWORD, false, NULL), 200);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/reset", b),
	    400, "token_invalid");
}

static void
reset_expiry_body(long long base)
{
	const char	*email = fx_uniq_email("resetexp");
	char		 tok[64], *b;

	EXPECT_STATUS(do_register(email, NULL), 201);
	EXPECT_STATUS(api_send_json("POST", "/api/v1/auth/password/forgot",
	    api_strdup_printf("{\"email\":\"%s\"}", email)), 202);
	EXPECT(fx_mail_wait(email, 0, "token=", tok, sizeof(tok), NULL));
	EXPECT(fx_clock_set(base + HOUR + MINUTE));
	b = api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}", tok,
	    NEW_PASSWORD);
	EXPECT_ERR(api_send_json("POST", "/api/v1/auth/password/reset", b),
	    400, "token_invalid");
	EXPECT(fx_clock_set(base));
	EXPECT_STATUS(fx_login(email, FX_PASSWORD, false, NULL), 200);
}

TEST(accounts_reset_token_expires_after_an_hour)
{
	if (fx_mail_dir() == NULL)
		SKIP("TOBMEN_TEST_MAIL_DIR is not set");
	with_clock(reset_expiry_body);
}

/* --- users ----------------------------------------------------------- */

TEST(accounts_owner_adds_users_and_lists_them_by_pages)
{
	struct fx_sess	 o;
	struct api_resp	*r;
	const char	*id, *next;

	EXPECT_STATUS(do_register(fx_uniq_email("owner"), &o), 201);
	id = add_user(&o, fx_uniq_email("adm"), "admin");
	EXPECT(id[0] != '\0');
	r = fx_call(&o, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\"}", fx_uniq_email("mem")));
	EXPECT_STATUS(r, 201);
	EXPECT_STR(fx_jstr(r, "role"), "member");
	EXPECT(json_is_null(json_object_get(r->json, "last_login_at")));

	r = fx_get_as(&o, api_strdup_printf("/api/v1/users/%s", id));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "role"), "admin");

	r = fx_get_as(&o, "/api/v1/users?limit=2");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 2);
	next = fx_jstr(r, "next_after");
	EXPECT(next[0] != '\0');
	r = fx_get_as(&o, api_strdup_printf("/api/v1/users?limit=2&after=%s",
	    next));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 1);
	EXPECT(json_is_null(json_object_get(r->json, "next_after")));
	EXPECT_ERR(fx_get_as(&o, "/api/v1/users?limit=0"), 400,
	    "limit_invalid");
}

TEST(accounts_add_user_bad_input_changes_nothing)
{
	struct fx_sess	 o;
	struct api_resp	*r;
	const char	*email = fx_uniq_email("dup");

	EXPECT_STATUS(do_register(fx_uniq_email("owner"), &o), 201);
	EXPECT_ERR(fx_call(&o, "POST", "/api/v1/users",
	    "{\"email\":\"no-at-sign\"}"), 400, "email_invalid");
	EXPECT_ERR(fx_call(&o, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\",\"role\":\"king\"}", email)), 400,
	    "role_invalid");
	EXPECT_ERR(fx_call(&o, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\",\"role\":\"operator\"}", email)), 403,
	    "role_forbidden");
	EXPECT_ERR(fx_call(&o, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":%d}", 5)), 400, "field_invalid");
	r = fx_get_as(&o, "/api/v1/users");
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 1);
	EXPECT(add_user(&o, email, "member")[0] != '\0');
	EXPECT_ERR(fx_call(&o, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\"}", email)), 409, "email_taken");
}

TEST(accounts_last_owner_cannot_be_demoted_or_disabled)
{
	struct fx_sess	 o;
	struct api_resp	*r;
	const char	*me, *other;

	EXPECT_STATUS(do_register(fx_uniq_email("last"), &o), 201);
	me = api_strdup_printf("/api/v1/users/%s", o.user_id);
	EXPECT_ERR(fx_call(&o, "PATCH", me, "{\"role\":\"admin\"}"), 409,
	    "last_owner");
	EXPECT_ERR(fx_call(&o, "PATCH", me, "{\"disabled\":true}"), 409,
	    "cannot_disable_self");
	r = fx_get_as(&o, me);
	EXPECT_STR(fx_jstr(r, "role"), "owner");

	other = add_user(&o, fx_uniq_email("second"), "admin");
	EXPECT(other[0] != '\0');
	other = api_strdup_printf("/api/v1/users/%s", other);
	EXPECT_STATUS(fx_call(&o, "PATCH", other, "{\"role\":\"owner\"}"), 200);
	/* With a second active owner, the first may step down. */
	r = fx_call(&o, "PATCH", me, "{\"role\":\"admin\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "role"), "admin");
	/* Now an admin, it may no longer touch the remaining owner. */
	EXPECT_ERR(fx_call(&o, "PATCH", other, "{\"disabled\":true}"), 403,
	    "owner_protected");
}

TEST(accounts_admin_cannot_touch_an_owner_and_member_manages_nothing)
{
	struct fx_sess	 o, a, m;
	const char	*ae = fx_uniq_email("admin"),
	    *me = fx_uniq_email("member");
	const char	*aid, *mid;

	if (fx_mail_dir() == NULL)
		SKIP("TOBMEN_TEST_MAIL_DIR is not set");
	EXPECT_STATUS(do_register(fx_uniq_email("boss"), &o), 201);
	aid = add_user(&o, ae, "admin");
	mid = add_user(&o, me, "member");
	EXPECT(aid[0] != '\0' && mid[0] != '\0');
	EXPECT(fx_activate(ae, &a));
	EXPECT(fx_activate(me, &m));

	EXPECT_ERR(fx_call(&a, "PATCH", api_strdup_printf("/api/v1/users/%s",
	    o.user_id), "{\"disabled\":true}"), 403, "owner_protected");
	EXPECT_ERR(fx_call(&a, "PATCH", api_strdup_printf("/api/v1/users/%s",
	    mid), "{\"role\":\"owner\"}"), 403, "owner_protected");
	EXPECT_ERR(fx_call(&a, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\",\"role\":\"owner\"}", fx_uniq_email("x"))), 403,
	    "role_forbidden");
	EXPECT_ERR(fx_call(&m, "POST", "/api/v1/users", api_strdup_printf(
	    "{\"email\":\"%s\"}", fx_uniq_email("y"))), 403, "forbidden");
	EXPECT_ERR(fx_call(&m, "PATCH", "/api/v1/company",
	    "{\"name\":\"Hijack\"}"), 403, "forbidden");
	EXPECT_STATUS(fx_get_as(&m, "/api/v1/company"), 200);

	/* The admin disables the member: their session dies at once and
	 * they cannot log in again (with the usual answer). */
	EXPECT_STATUS(fx_call(&a, "PATCH", api_strdup_printf("/api/v1/users/%s",
	    mid), "{\"disabled\":true}"), 200);
	EXPECT_ERR(fx_get_as(&m, "/api/v1/auth/me"), 401, "unauthenticated");
	EXPECT_ERR(fx_login(me, FX_PASSWORD, false, NULL), 401,
	    "invalid_credentials");
}

TEST(accounts_another_companys_user_is_404)
{
	struct fx_sess	 a, b;
	struct api_resp	*r;
	const char	*bid, *path;

	EXPECT_STATUS(do_register(fx_uniq_email("tenant-a"), &a), 201);
	EXPECT_STATUS(do_register(fx_uniq_email("tenant-b"), &b), 201);
	bid = add_user(&b, fx_uniq_email("b-member"), "member");
	EXPECT(bid[0] != '\0');
	path = api_strdup_printf("/api/v1/users/%s", bid);
	EXPECT_ERR(fx_get_as(&a, path), 404, "user_not_found");
	EXPECT_ERR(fx_call(&a, "PATCH", path, "{\"disabled\":true}"), 404,
	    "user_not_found");
	path = api_strdup_printf("/api/v1/users/%s", b.user_id);
	EXPECT_ERR(fx_call(&a, "PATCH", path, "{\"role\":\"member\"}"), 404,
	    "user_not_found");
	EXPECT_ERR(fx_get_as(&a, "/api/v1/users/abc"), 404, "user_not_found");

	r = fx_get_as(&a, "/api/v1/users");
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 1);
	r = fx_get_as(&b, path);
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(r->json, "disabled")));
	r = fx_get_as(&a, "/api/v1/company");
	EXPECT_STR(fx_jstr(r, "id"), a.company_id);
}

TEST(accounts_me_changes_name_and_language_only)
{
	struct fx_sess	 s;
	struct api_resp	*r;

	EXPECT_STATUS(do_register(fx_uniq_email("me"), &s), 201);
	r = fx_call(&s, "PATCH", "/api/v1/me",
	    "{\"name\":\"  Anna Test  \",\"lang\":\"en\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "name"), "Anna Test");
	EXPECT_STR(fx_jstr(r, "lang"), "en");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/me", "{\"lang\":\"de\"}"), 400,
	    "lang_invalid");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/me", "{\"role\":\"admin\"}"),
	    403, "forbidden");
	r = fx_get_as(&s, "/api/v1/auth/me");
	EXPECT_STR(json_string_value(json_object_get(json_object_get(r->json,
	    "user"), "lang")), "en");
}

/* --- the company card ------------------------------------------------ */

TEST(accounts_company_card_edit_checks_inn_and_kpp)
{
	struct fx_sess	 s;
	struct api_resp	*r;

	EXPECT_STATUS(do_register(fx_uniq_email("card"), &s), 201);
	r = fx_call(&s, "PATCH", "/api/v1/company", "{\"name\":\"ООО Ромашка\","
	    "\"kpp\":\"773601001\",\"address\":\"Москва, ул. Ленина, 1\","
	    "\"phone\":\"+7 (495) 123-45-67\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "name"), "ООО Ромашка");
	EXPECT_STR(fx_jstr(r, "kpp"), "773601001");

	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"inn\":\"7707083894\",\"name\":\"Changed\"}"), 400,
	    "inn_invalid");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"kpp\":\"77360100\"}"), 400, "kpp_invalid");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"inn\":\"" A_VALID_INN12 "\"}"), 400, "kpp_invalid");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"name\":\"   \"}"), 400, "name_invalid");
	EXPECT_ERR(fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"phone\":\"call me\"}"), 400, "phone_invalid");

	r = fx_get_as(&s, "/api/v1/company");
	EXPECT_STR(fx_jstr(r, "name"), "ООО Ромашка");
	EXPECT_STR(fx_jstr(r, "inn"), FX_VALID_INN);

	r = fx_call(&s, "PATCH", "/api/v1/company",
	    "{\"inn\":\"" A_VALID_INN12 "\",\"kpp\":\"\"}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "inn"), A_VALID_INN12);
	EXPECT_STR(fx_jstr(r, "kpp"), "");
}

/* --- feedback -------------------------------------------------------- */

TEST(accounts_feedback_is_checked_and_mailed_to_the_operator)
{
	struct fx_sess	 s;
	struct api_resp	*r;

	EXPECT_STATUS(do_register(fx_uniq_email("fb"), &s), 201);
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/feedback",
	    "{\"subject\":\"Вопрос\",\"message\":\"   \"}"), 400,
	    "field_invalid");
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/feedback",
	    "{\"subject\":\"Вопрос\"}"), 400, "field_required");
	r = fx_call(&s, "POST", "/api/v1/feedback",
	    "{\"subject\":\"Вопрос\",\"message\":\"Как подключить?\"}");
	if (r->status == 503)
		SKIP("the server has no operator_email");
	EXPECT_STATUS(r, 202);
}

TEST(accounts_test_clock_moves_and_comes_back)
{
	long long	base = fx_clock_get();
	struct api_resp	*r;

	EXPECT(fx_clock_set(base + DAY));
	r = api_get("/api/v1/test/clock");
	EXPECT_INT(json_integer_value(json_object_get(r->json, "offset_ms")),
	    ==, base + DAY);
	EXPECT(fx_clock_set(base));
	EXPECT_ERR(api_send_json("POST", "/api/v1/test/clock",
	    "{\"offset_ms\":\"soon\"}"), 400, "field_invalid");
}
