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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"

#define DAY_MS		(24LL * 3600 * 1000)
#define RACE_ROUNDS	6

/* --- network helpers ------------------------------------------------- */

/* Invites name/email (code: JSON value text or NULL) as supplier s. */
static struct api_resp *
invite(const struct fx_sess *s, const char *email, const char *code)
{
	return fx_call(s, "POST", "/api/v1/network/distributors",
	    api_strdup_printf("{\"name\":\"Дистрибьютор %s\",\"email\":"
	    "\"%s\"%s%s}", fx_uniq("d"), email, code ? ",\"code\":" : "",
	    code ? code : ""));
}

/* Invites email and waits for its mail; tok gets the token, id the
 * row.  had: mails to email before. */
static bool
invite_token(const struct fx_sess *s, const char *email, char *tok,
    size_t n, char *id, size_t idn)
{
	struct api_resp	*r = invite(s, email, NULL);

	if (r->status != 201)
		return false;
	snprintf(id, idn, "%s", fx_jstr(r, "id"));
	return fx_mail_wait(email, 0, "invite=", tok, n, NULL);
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
row_of(const struct fx_sess *s, const char *id)
{
	struct api_resp	*r = fx_get_as(s, "/api/v1/network/distributors"
	    "?limit=200");
	json_t		*it;
	size_t		 i;

	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (strcmp(fx_sget(it, "id"), id) == 0)
			return it;
	return NULL;
}

/* --- codes ----------------------------------------------------------- */

TEST(network_code_assigned_given_taken_and_malformed)
{
	struct fx_sess	 s;
	struct api_resp	*r;
	const char	*code;
	long		 c;

	NEED_ENV();
	EXPECT(fx_supplier_new("codes", false, &s));

	r = invite(&s, fx_uniq_email("auto"), NULL);
	EXPECT_STATUS(r, 201);
	code = fx_jstr(r, "code");
	c = strtol(code, NULL, 10);
	EXPECT_INT(strlen(code), ==, 5);
	EXPECT(c >= 10000 && c <= 99999);
	EXPECT_STR(fx_jstr(r, "status"), "invited");

	r = invite(&s, fx_uniq_email("given"), "\"18902\"");
	EXPECT_STATUS(r, 201);
	EXPECT_STR(fx_jstr(r, "code"), "18902");

	r = invite(&s, fx_uniq_email("clash"), "\"18902\"");
	EXPECT_ERR(r, 409, "code_taken");
	EXPECT_STR(fx_sget(json_object_get(r->json, "error"), "field"), "code");
	EXPECT_ERR(invite(&s, fx_uniq_email("clash"), "18902"), 409,
	    "code_taken");
	EXPECT_ERR(invite(&s, fx_uniq_email("clash"), code), 409, "code_taken");

	EXPECT_ERR(invite(&s, fx_uniq_email("bad"), "\"1890\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, fx_uniq_email("bad"), "\"09999\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, fx_uniq_email("bad"), "100000"), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, fx_uniq_email("bad"), "\"1890a\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, fx_uniq_email("bad"), "\" 18903\""), 400,
	    "code_invalid");
	EXPECT_ERR(invite(&s, "not an address", NULL), 400, "email_invalid");
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/distributors",
	    "{\"email\":\"x@example.com\"}"), 400, "field_required");

	/* Nothing of the refused ones was stored. */
	r = fx_get_as(&s, "/api/v1/network/distributors");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 2);
}

TEST(network_code_held_by_another_supplier_is_free_here)
{
	struct fx_sess	a, b;

	NEED_ENV();
	EXPECT(fx_supplier_new("codea", false, &a));
	EXPECT(fx_supplier_new("codeb", false, &b));
	EXPECT_STATUS(invite(&a, fx_uniq_email("x"), "\"45678\""), 201);
	EXPECT_STATUS(invite(&b, fx_uniq_email("y"), "\"45678\""), 201);
}

TEST(network_supplier_cannot_invite_itself_or_twice)
{
	struct fx_sess	 s, m;
	const char	*email = fx_uniq_email("twice");

	NEED_ENV();
	EXPECT(fx_supplier_new("self", false, &s));
	EXPECT_ERR(invite(&s, s.email, NULL), 409, "self_invite");
	EXPECT_STATUS(invite(&s, email, NULL), 201);
	EXPECT_ERR(invite(&s, email, NULL), 409, "already_invited");

	/* A member of the supplier looks but does not invite. */
	EXPECT(fx_user_new(s.company_id, fx_uniq_email("member"), "member",
	    &m));
	EXPECT_STATUS(fx_get_as(&m, "/api/v1/network/distributors"), 200);
	EXPECT_ERR(invite(&m, fx_uniq_email("bym"), NULL), 403, "forbidden");
}

/* --- the mail and the token ------------------------------------------ */

TEST(network_invitation_mail_link_and_single_use)
{
	struct fx_sess	 s, d;
	struct api_resp	*r, *used;
	const char	*email = fx_uniq_email("join"), *text = NULL;
	char		 tok[64];

	NEED_ENV();
	EXPECT(fx_supplier_new("mail", false, &s));
	r = fx_call(&s, "POST", "/api/v1/network/distributors",
	    api_strdup_printf("{\"name\":\"ООО Приглашённый\","
	    "\"email\":\"%s\",\"code\":\"23456\"}", email));
	EXPECT_STATUS(r, 201);
	EXPECT(fx_mail_wait(email, 0, "invite=", tok, sizeof(tok), &text));
	EXPECT_INT(strlen(tok), ==, 43);
	EXPECT_HAS(text, "23456");
	EXPECT_HAS(text, "/suppliers/join?invite=");

	EXPECT(fx_distributor_new("joiner", &d));
	r = fx_get_as(&d, inv_path(tok, NULL));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(api_header(r, "Referrer-Policy"), "no-referrer");
	EXPECT_STR(fx_jstr(r, "code"), "23456");
	EXPECT_STR(fx_jstr(r, "email"), email);
	EXPECT(strstr(fx_sget(json_object_get(r->json, "supplier"), "name"),
	    "mail-") != NULL);

	r = fx_call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "code"), "23456");
	EXPECT(json_is_false(json_object_get(r->json, "manage_licences")));
	EXPECT_STR(api_header(r, "Referrer-Policy"), "no-referrer");

	/* Spent: every further use gets the one answer for a bad link. */
	used = fx_get_as(&d, inv_path(tok, NULL));
	EXPECT_ERR(used, 404, "invitation_invalid");
	EXPECT_ERR(fx_call(&d, "POST", inv_path(tok, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_ERR(fx_call(&d, "POST", inv_path(tok, "decline"), "{}"), 404,
	    "invitation_invalid");
	r = fx_get_as(&d, inv_path(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL));
	EXPECT_STR(r->body, used->body);
	EXPECT_STR(fx_get_as(&d, inv_path("junk", NULL))->body, used->body);

	/* The joining company is a distributor with one supplier card. */
	r = fx_get_as(&d, "/api/v1/company");
	EXPECT(json_is_true(json_object_get(r->json, "is_distributor")));
	r = fx_get_as(&d, "/api/v1/network/suppliers");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 1);
	EXPECT_STR(fx_jstr(r, "next_after"), "");
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
	struct fx_sess	 s, d;
	struct api_resp	*r, *unknown;
	char		 tok[64], id[24];
	json_t		*row;

	NEED_ENV();
	EXPECT(fx_supplier_new("expiry", false, &s));
	EXPECT(fx_distributor_new("late", &d));
	EXPECT(fx_sign_in(d.email, true, &d));
	EXPECT(fx_sign_in(s.email, true, &s));
	EXPECT(invite_token(&s, fx_uniq_email("late"), tok, sizeof(tok), id,
	    sizeof(id)));

	EXPECT(fx_clock_set(6 * DAY_MS));
	r = fx_get_as(&d, inv_path(tok, NULL));
	EXPECT(fx_clock_set(0));
	EXPECT_STATUS(r, 200);

	EXPECT(fx_clock_set(7 * DAY_MS + 60 * 1000));
	r = fx_get_as(&d, inv_path(tok, NULL));
	unknown = fx_get_as(&d, inv_path(
	    "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", NULL));
	row = row_of(&s, id);
	EXPECT(fx_clock_set(0));
	EXPECT_ERR(r, 404, "invitation_invalid");
	EXPECT_STR(r->body, unknown->body);
	EXPECT(row != NULL);
	EXPECT_STR(fx_sget(row, "status"), "expired");

	EXPECT(fx_clock_set(7 * DAY_MS + 60 * 1000));
	r = fx_call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT(fx_clock_set(0));
	EXPECT_ERR(r, 404, "invitation_invalid");

	/* Not spent by the failed tries: back in its week it still works. */
	EXPECT_STATUS(fx_call(&d, "POST", inv_path(tok, "accept"), "{}"), 200);
}

TEST(network_resend_replaces_and_revoke_kills_the_token)
{
	struct fx_sess	 s, d;
	const char	*email = fx_uniq_email("resend");
	char		 t1[64], t2[64], t3[64], id[24];
	struct api_resp	*r;

	NEED_ENV();
	EXPECT(fx_supplier_new("resend", false, &s));
	EXPECT(fx_distributor_new("resent", &d));
	EXPECT(invite_token(&s, email, t1, sizeof(t1), id, sizeof(id)));

	r = fx_call(&s, "POST", dist_path(id, "resend"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "status"), "invited");
	EXPECT(fx_mail_wait(email, 1, "invite=", t2, sizeof(t2), NULL));
	EXPECT(strcmp(t1, t2) != 0);
	EXPECT_ERR(fx_get_as(&d, inv_path(t1, NULL)), 404,
	    "invitation_invalid");
	EXPECT_STATUS(fx_get_as(&d, inv_path(t2, NULL)), 200);

	r = fx_call(&s, "POST", dist_path(id, "revoke"), "{}");
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "status"), "revoked");
	EXPECT_ERR(fx_get_as(&d, inv_path(t2, NULL)), 404,
	    "invitation_invalid");
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id, "revoke"), "{}"), 409,
	    "invalid_state");

	/* A revoked invitation may be sent again, with a third token. */
	EXPECT_STATUS(fx_call(&s, "POST", dist_path(id, "resend"), "{}"), 200);
	EXPECT(fx_mail_wait(email, 2, "invite=", t3, sizeof(t3), NULL));
	EXPECT_ERR(fx_get_as(&d, inv_path(t2, NULL)), 404,
	    "invitation_invalid");
	EXPECT_STATUS(fx_call(&d, "POST", inv_path(t3, "accept"), "{}"), 200);
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id, "resend"), "{}"), 409,
	    "invalid_state");
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id, "revoke"), "{}"), 409,
	    "invalid_state");
}

TEST(network_decline_frees_the_code)
{
	struct fx_sess	 s, d;
	struct api_resp	*r;
	char		 tok[64], id[24];

	NEED_ENV();
	EXPECT(fx_supplier_new("decline", false, &s));
	EXPECT(fx_distributor_new("decliner", &d));
	r = invite(&s, fx_uniq_email("dec"), "\"34567\"");
	EXPECT_STATUS(r, 201);
	snprintf(id, sizeof(id), "%s", fx_jstr(r, "id"));
	EXPECT(fx_mail_wait(fx_sget(r->json, "email"), 0, "invite=", tok,
	    sizeof(tok), NULL));

	r = fx_call(&d, "POST", inv_path(tok, "decline"), "{}");
	EXPECT_STATUS(r, 204);
	EXPECT_STR(fx_sget(row_of(&s, id), "status"), "declined");
	EXPECT_ERR(fx_call(&d, "POST", inv_path(tok, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_INT(json_array_size(json_object_get(fx_get_as(&d,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);

	/* The code went back to the supplier; the old row cannot take it
	 * back while another holds it. */
	EXPECT_STATUS(invite(&s, fx_uniq_email("dec2"), "\"34567\""), 201);
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id, "resend"), "{}"), 409,
	    "code_taken");
}

/* --- racing ---------------------------------------------------------- */

/* Sends accept for tok as a and b at the same moment; *ok counts 200s,
 * *lost the 404s. */
static void
race(const struct fx_sess *a, const struct fx_sess *b, const char *tok,
    int *ok, int *lost)
{
	pthread_barrier_t	go;
	struct fx_racer		r[4];
	pthread_t		t[4];
	int			i;

	pthread_barrier_init(&go, NULL, 4);
	for (i = 0; i < 4; i++) {
		const struct fx_sess	*s = i % 2 ? b : a;

		memset(&r[i], 0, sizeof(r[i]));
		r[i].url = api_strdup_printf("%s%s", api_base_url(),
		    inv_path(tok, "accept"));
		r[i].headers[0] = api_strdup_printf(
		    "Cookie: tobmen_session=%s", s->cookie);
		r[i].headers[1] = api_strdup_printf("X-CSRF-Token: %s",
		    s->csrf);
		r[i].body = "{}";
		r[i].go = &go;
		pthread_create(&t[i], NULL, fx_racer_run, &r[i]);
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
	struct fx_sess	s, d1, d1b, d2;
	char		tok[64], id[24];
	int		round, ok, lost;

	NEED_ENV();
	EXPECT(fx_supplier_new("race", false, &s));
	EXPECT(fx_distributor_new("racer1", &d1));
	EXPECT(fx_distributor_new("racer2", &d2));
	/* A second tab of the first company: its own session. */
	EXPECT(fx_sign_in(d1.email, false, &d1b));

	/* Two tabs of one company, then two companies. */
	for (round = 0; round < RACE_ROUNDS; round++) {
		const struct fx_sess *a = round % 3 == 2 ? &d2 : &d1;
		const struct fx_sess *b = round % 3 == 0 ? &d1b :
		    round % 3 == 1 ? &d2 : &d1b;

		EXPECT(invite_token(&s, fx_uniq_email("race"), tok, sizeof(tok),
		    id, sizeof(id)));
		ok = lost = 0;
		race(a, b, tok, &ok, &lost);
		EXPECT_INT(ok, ==, 1);
		EXPECT_INT(lost, ==, 3);
		EXPECT_STR(fx_sget(row_of(&s, id), "status"), "accepted");

		/* The winner is linked now; free the pair for the next
		 * round. */
		EXPECT_STATUS(fx_call(&s, "POST", dist_path(id, "disconnect"),
		    "{\"reason\":\"round over\"}"), 200);
	}
}

/* --- tenancy --------------------------------------------------------- */

TEST(network_other_companies_get_404_and_wrong_sides_403)
{
	struct fx_sess	 s1, s2, d1, d2;
	char		 tok[64], id[24];
	const char	*card;
	struct api_resp	*r;

	NEED_ENV();
	EXPECT(fx_supplier_new("tenant1", false, &s1));
	EXPECT(fx_supplier_new("tenant2", true, &s2));
	EXPECT(fx_distributor_new("tenantd1", &d1));
	EXPECT(fx_distributor_new("tenantd2", &d2));
	EXPECT(invite_token(&s1, fx_uniq_email("ten"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = fx_call(&d1, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    fx_jstr(r, "id"));

	/* Another supplier: the row does not exist for it. */
	EXPECT_ERR(fx_get_as(&s2, dist_path(id, NULL)), 404, "link_not_found");
	EXPECT_ERR(fx_call(&s2, "POST", dist_path(id, "resend"), "{}"), 404,
	    "link_not_found");
	EXPECT_ERR(fx_call(&s2, "POST", dist_path(id, "revoke"), "{}"), 404,
	    "link_not_found");
	EXPECT_ERR(fx_call(&s2, "POST", dist_path(id, "disconnect"),
	    "{\"reason\":\"x\"}"), 404, "link_not_found");
	EXPECT(row_of(&s2, id) == NULL);
	r = fx_get_as(&s2, "/api/v1/network/suppliers");
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);

	/* Another distributor: the card does not exist for it. */
	EXPECT_STATUS(fx_get_as(&d1, card), 200);
	EXPECT_ERR(fx_get_as(&d2, card), 404, "link_not_found");
	EXPECT_ERR(fx_call(&d2, "PATCH", card, "{\"manage_licences\":true}"),
	    404, "link_not_found");
	EXPECT_INT(json_array_size(json_object_get(fx_get_as(&d2,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);

	/* Wrong sides. */
	EXPECT_ERR(fx_get_as(&d1, "/api/v1/network/distributors"), 403,
	    "not_supplier");
	EXPECT_ERR(fx_get_as(&d1, dist_path(id, NULL)), 403, "not_supplier");
	EXPECT_ERR(invite(&d1, fx_uniq_email("no"), NULL), 403, "not_supplier");
	EXPECT_ERR(fx_call(&d1, "POST", "/api/v1/network/distributors/import",
	    "{\"csv\":\"a;b@example.com\"}"), 403, "not_supplier");
	EXPECT_ERR(fx_get_as(&s1, "/api/v1/network/suppliers"), 403,
	    "not_distributor");
	EXPECT_ERR(fx_get_as(&s1, card), 403, "not_distributor");
	EXPECT_ERR(fx_call(&s1, "PATCH", card, "{\"manage_licences\":true}"),
	    403, "not_distributor");

	/* The supplier cannot answer its own invitation. */
	EXPECT(invite_token(&s1, fx_uniq_email("own"), tok, sizeof(tok), id,
	    sizeof(id)));
	EXPECT_ERR(fx_call(&s1, "POST", inv_path(tok, "accept"), "{}"), 409,
	    "self_invite");
}

TEST(network_one_link_per_pair_and_reconnect_only_by_the_same_company)
{
	struct fx_sess	s, d1, d2;
	char		t1[64], t2[64], t3[64], id1[24], id2[24];
	const char	*email = fx_uniq_email("pair");

	NEED_ENV();
	EXPECT(fx_supplier_new("pair", false, &s));
	EXPECT(fx_distributor_new("paird1", &d1));
	EXPECT(fx_distributor_new("paird2", &d2));
	EXPECT(invite_token(&s, email, t1, sizeof(t1), id1, sizeof(id1)));
	EXPECT(invite_token(&s, fx_uniq_email("pair2"), t2, sizeof(t2), id2,
	    sizeof(id2)));
	EXPECT_STATUS(fx_call(&d1, "POST", inv_path(t1, "accept"), "{}"), 200);
	EXPECT_ERR(fx_call(&d1, "POST", inv_path(t2, "accept"), "{}"), 409,
	    "already_linked");
	/* The refused answer spent nothing: another company may use it. */
	EXPECT_STATUS(fx_call(&d2, "POST", inv_path(t2, "accept"), "{}"), 200);

	/* Disconnected, then invited again: only d1 may take it back. */
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id1, "disconnect"), "{}"), 400,
	    "field_required");
	EXPECT_ERR(fx_call(&s, "POST", dist_path(id1, "disconnect"),
	    "{\"reason\":\"   \"}"), 400, "reason_invalid");
	EXPECT_STATUS(fx_call(&s, "POST", dist_path(id1, "disconnect"),
	    "{\"reason\":\"Договор расторгнут\"}"), 200);
	EXPECT_STR(fx_sget(row_of(&s, id1), "status"), "disconnected");
	EXPECT_STR(fx_sget(row_of(&s, id1), "reason"), "Договор расторгнут");
	EXPECT_INT(json_array_size(json_object_get(fx_get_as(&d1,
	    "/api/v1/network/suppliers")->json, "items")), ==, 0);
	EXPECT_STATUS(fx_call(&s, "POST", dist_path(id1, "resend"), "{}"), 200);
	EXPECT(fx_mail_wait(email, 1, "invite=", t3, sizeof(t3), NULL));
	EXPECT_ERR(fx_get_as(&d2, inv_path(t3, NULL)), 404,
	    "invitation_invalid");
	EXPECT_ERR(fx_call(&d2, "POST", inv_path(t3, "accept"), "{}"), 404,
	    "invitation_invalid");
	EXPECT_STATUS(fx_call(&d1, "POST", inv_path(t3, "accept"), "{}"), 200);
	EXPECT_STR(fx_sget(row_of(&s, id1), "status"), "accepted");
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
	return fx_sget(json_object_get(report_line(r, line), "error"), "code");
}

TEST(network_csv_import_reports_each_row)
{
	struct fx_sess	 s, m;
	struct api_resp	*r;
	const char	*csv, *body;

	NEED_ENV();
	EXPECT(fx_supplier_new("csv", false, &s));
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
	    fx_uniq_email("alfa"), fx_uniq_email("beta"),
	    fx_uniq_email("gamma"), fx_uniq_email("eps"),
	    fx_uniq_email("zeta"), fx_uniq_email("eta"));
	body = csv_body(csv);
	r = fx_call(&s, "POST", "/api/v1/network/distributors/import", body);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "accepted")),
	    ==, 3);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "rejected")),
	    ==, 5);
	EXPECT(json_is_true(json_object_get(report_line(r, 2), "accepted")));
	EXPECT(json_is_true(json_object_get(report_line(r, 3), "accepted")));
	EXPECT_STR(fx_sget(report_line(r, 3), "name"),
	    "ООО \"Бета; и партнёры\"");
	EXPECT_STR(fx_sget(json_object_get(report_line(r, 3), "distributor"),
	    "code"), "56789");
	EXPECT_STR(report_error(r, 5), "code_taken");
	EXPECT_STR(report_error(r, 6), "email_invalid");
	EXPECT_STR(report_error(r, 7), "code_invalid");
	EXPECT_STR(report_error(r, 8), "fields_missing");
	EXPECT_STR(report_error(r, 9), "too_many_fields");
	EXPECT(json_is_true(json_object_get(report_line(r, 10),
	    "accepted")));
	EXPECT_INT(json_array_size(json_object_get(fx_get_as(&s,
	    "/api/v1/network/distributors")->json, "items")), ==, 3);

	/* Comma-separated, no titles, no BOM. */
	csv = api_strdup_printf("ООО Тета,%s,\nООО Йота,%s,78901\n",
	    fx_uniq_email("theta"), fx_uniq_email("iota"));
	body = csv_body(csv);
	r = fx_call(&s, "POST", "/api/v1/network/distributors/import", body);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_integer_value(json_object_get(r->json, "accepted")),
	    ==, 2);
	EXPECT_STR(fx_sget(json_object_get(report_line(r, 2), "distributor"),
	    "code"), "78901");

	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/distributors/import",
	    "{\"csv\":\"\\r\\n\\r\\n\"}"), 400, "csv_empty");
	EXPECT_ERR(fx_call(&s, "POST", "/api/v1/network/distributors/import",
	    "{}"), 400, "field_required");
	EXPECT(fx_user_new(s.company_id, fx_uniq_email("csvm"), "member", &m));
	EXPECT_ERR(fx_call(&m, "POST", "/api/v1/network/distributors/import",
	    body), 403, "forbidden");
}

/* --- the permission -------------------------------------------------- */

TEST(network_permission_on_off_seen_by_the_supplier_and_mailed)
{
	struct fx_sess	 s, d, m;
	struct api_resp	*r;
	char		 tok[64], id[24];
	const char	*card;
	int		 mails;

	NEED_ENV();
	EXPECT(fx_supplier_new("perm", false, &s));
	EXPECT(fx_distributor_new("permd", &d));
	EXPECT(invite_token(&s, fx_uniq_email("perm"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = fx_call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    fx_jstr(r, "id"));
	EXPECT(json_is_false(json_object_get(row_of(&s, id),
	    "manage_licences")));
	mails = fx_mail_scan(s.email, NULL);

	r = fx_call(&d, "PATCH", card, "{\"manage_licences\":true}");
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_true(json_object_get(r->json, "manage_licences")));
	EXPECT(json_is_true(json_object_get(row_of(&s, id),
	    "manage_licences")));
	EXPECT(fx_mail_wait(s.email, mails, "", tok, sizeof(tok), NULL));

	/* Setting the value it has changes nothing and mails nothing. */
	EXPECT_STATUS(fx_call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);

	/* No licence of this company belongs to the supplier, so clearing
	 * needs no confirmation; with one it would answer 409
	 * confirm_required (see tests/unit/domain/test_network.c). */
	r = fx_call(&d, "PATCH", card, "{\"manage_licences\":false}");
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(row_of(&s, id),
	    "manage_licences")));
	EXPECT(fx_mail_wait(s.email, mails + 1, "", tok, sizeof(tok), NULL));
	EXPECT_INT(fx_mail_scan(s.email, NULL), ==, mails + 2);
	EXPECT_STATUS(fx_call(&d, "PATCH", card,
	    "{\"manage_licences\":true,\"confirm\":true}"), 200);

	EXPECT_ERR(fx_call(&d, "PATCH", card, "{}"), 400, "field_required");
	EXPECT_ERR(fx_call(&d, "PATCH", card, "{\"manage_licences\":\"yes\"}"),
	    400, "field_invalid");
	EXPECT(fx_user_new(d.company_id, fx_uniq_email("permm"), "member", &m));
	EXPECT_STATUS(fx_get_as(&m, card), 200);
	EXPECT_ERR(fx_call(&m, "PATCH", card, "{\"manage_licences\":false}"),
	    403, "forbidden");
	EXPECT_ERR(fx_call(&m, "POST", inv_path(
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
		    fx_sget(it, "action"));
	return out;
}

TEST(network_audit_is_read_by_both_sides_with_cursor)
{
	struct fx_sess	 s, d, other;
	struct api_resp	*r, *p1, *p2;
	char		 tok[64], id[24];
	const char	*card;
	json_t		*e;

	NEED_ENV();
	EXPECT(fx_supplier_new("audit", false, &s));
	EXPECT(fx_distributor_new("auditd", &d));
	EXPECT(fx_distributor_new("auditx", &other));
	EXPECT(invite_token(&s, fx_uniq_email("aud"), tok, sizeof(tok), id,
	    sizeof(id)));
	r = fx_call(&d, "POST", inv_path(tok, "accept"), "{}");
	EXPECT_STATUS(r, 200);
	card = api_strdup_printf("/api/v1/network/suppliers/%s",
	    fx_jstr(r, "id"));
	EXPECT_STATUS(fx_call(&d, "PATCH", card, "{\"manage_licences\":true}"),
	    200);
	EXPECT_STATUS(fx_call(&s, "POST", dist_path(id, "disconnect"),
	    "{\"reason\":\"проверка журнала\"}"), 200);

	r = fx_get_as(&s, "/api/v1/audit?limit=50");
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(audit_actions(r), "link.disconnect link.permission "
	    "link.accept link.invite");
	r = fx_get_as(&d, "/api/v1/audit?limit=50");
	EXPECT_HAS(audit_actions(r), "link.disconnect link.permission "
	    "link.accept");
	EXPECT_LACKS(audit_actions(r), "link.invite");
	EXPECT_LACKS(audit_actions(fx_get_as(&other, "/api/v1/audit")),
	    "link.");

	/* Who, when, from where, before and after. */
	e = json_array_get(json_object_get(r->json, "items"), 1);
	EXPECT_STR(fx_sget(e, "action"), "link.permission");
	EXPECT_STR(fx_sget(e, "ip"), "127.0.0.1");
	EXPECT_STR(fx_sget(json_object_get(e, "actor_company"), "id"),
	    d.company_id);
	EXPECT_STR(fx_sget(json_object_get(e, "company"), "id"), s.company_id);
	EXPECT(json_is_false(json_object_get(json_object_get(e, "before"),
	    "manage_licences")));
	EXPECT(json_is_true(json_object_get(json_object_get(e, "after"),
	    "manage_licences")));
	EXPECT(fx_sget(e, "at")[0] != '\0');
	e = json_array_get(json_object_get(r->json, "items"), 0);
	EXPECT_STR(fx_sget(json_object_get(e, "after"), "reason"),
	    "проверка журнала");

	/* Cursor paging, newest first, no entry twice. */
	p1 = fx_get_as(&s, "/api/v1/audit?limit=2");
	EXPECT_STATUS(p1, 200);
	EXPECT_STR(audit_actions(p1), "link.disconnect link.permission");
	EXPECT(fx_jstr(p1, "next_after")[0] != '\0');
	p2 = fx_get_as(&s, api_strdup_printf("/api/v1/audit?limit=2&after=%s",
	    fx_jstr(p1, "next_after")));
	EXPECT_STATUS(p2, 200);
	EXPECT_STR(audit_actions(p2), "link.accept link.invite");
	EXPECT_ERR(fx_get_as(&s, "/api/v1/audit?limit=0"), 400,
	    "limit_invalid");
	EXPECT_ERR(fx_get_as(&s, "/api/v1/audit?after=x"), 400,
	    "after_invalid");
}

TEST(network_list_pages_by_cursor)
{
	struct fx_sess	 s;
	struct api_resp	*p1, *p2;
	int		 i;

	NEED_ENV();
	EXPECT(fx_supplier_new("pages", false, &s));
	for (i = 0; i < 5; i++)
		EXPECT_STATUS(invite(&s, fx_uniq_email("pg"), NULL), 201);
	p1 = fx_get_as(&s, "/api/v1/network/distributors?limit=3");
	EXPECT_STATUS(p1, 200);
	EXPECT_INT(json_array_size(json_object_get(p1->json, "items")), ==, 3);
	EXPECT(fx_jstr(p1, "next_after")[0] != '\0');
	p2 = fx_get_as(&s, api_strdup_printf(
	    "/api/v1/network/distributors?limit=3&after=%s",
	    fx_jstr(p1, "next_after")));
	EXPECT_INT(json_array_size(json_object_get(p2->json, "items")), ==, 2);
	EXPECT(json_is_null(json_object_get(p2->json, "next_after")));
	EXPECT(strtol(fx_sget(json_array_get(json_object_get(p2->json, "items"),
	    0), "id"), NULL, 10) > strtol(fx_jstr(p1, "next_after"), NULL, 10));
	EXPECT_ERR(fx_get_as(&s, "/api/v1/network/distributors?limit=201"), 400,
	    "limit_invalid");
}
