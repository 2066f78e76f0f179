/*
 * test_exchange.c - the exchange: phones uploading documents (stored,
 * duplicate, conflict, rejected, and every check), the supplier's feed
 * by cursor with gzip and named consumers, packages published and
 * acknowledged, the distributors list, a distributor's own system, API
 * keys in the cabinet, «Контроль», the served OpenAPI description, and
 * tenancy between suppliers and between distributors on every endpoint.
 *
 * A network needs the operator (supplier companies and licences exist
 * only through `tobmen admin`), so like test_network.c these tests use
 * TOBMEN_TEST_BIN, TOBMEN_TEST_DB and TOBMEN_TEST_MAIL_DIR from run.sh.
 * Building a network costs seconds, so most tests share one, made by the
 * first test that needs it; each test uses fresh uuids, so order does
 * not matter.  Tests that change the network (disconnecting, revoking)
 * make their own.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"

#define RACERS		8

/* A distributor of a network: its owner, code, licences and devices. */
struct dist {
	struct fx_sess	s;
	char		code[8];
	char		numbers[2][24];
	char		codes[2][24];
	char		tokens[2][64];	/* activated devices */
};

/* A supplier with two distributors and keys of each scope. */
struct net {
	struct fx_sess	sup;
	char		read_key[64];
	char		publish_key[64];
	struct dist	d[2];
};

/* --- plumbing -------------------------------------------------------- */

/* A random-looking uuid no other test used. */
static const char *
new_uuid(void)
{
	static unsigned	n;
	unsigned	r = (unsigned)rand(), k = ++n;

	return api_strdup_printf("%08x-%04x-4%03x-8%03x-%012lx",
	    (unsigned)time(NULL), k & 0xffff, r & 0xfff, (r >> 12) & 0xfff,
	    (long)getpid() * 65536L + k);
}

/* How many times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* A request as the cabinet makes it; a request other than GET without
 * a body sends "{}". */
static struct api_resp *
call(const struct fx_sess *s, const char *method, const char *path,
    const char *json)
{
	if (json == NULL && strcmp(method, "GET") != 0)
		json = "{}";
	return fx_call(s, method, path, json);
}

/* A request with "Authorization: Bearer token" and a JSON body. */
static struct api_resp *
bearer(const char *token, const char *method, const char *path,
    const char *json)
{
	const char	*h[3];

	h[0] = api_strdup_printf("Authorization: Bearer %s", token);
	h[1] = "Content-Type: application/json";
	h[2] = NULL;
	return api_request(method, path, h, json, json ? strlen(json) : 0);
}

/* --- a network ------------------------------------------------------- */

/* Invites d into s's network and accepts; code gets the code. */
static bool
link_up(const struct fx_sess *s, const struct fx_sess *d, char *code, size_t n)
{
	struct api_resp	*accepted;

	if (!fx_link_new(s, d, d->email, NULL, &accepted))
		return false;
	snprintf(code, n, "%s", fx_jstr(accepted, "code"));
	return true;
}

/* Connects licence number of d to supplier s (on) or back (off). */
static bool
connect_licence(const struct dist *d, const struct fx_sess *s,
    const char *number, bool on)
{
	return call(&d->s, "POST", on ? "/api/v1/licences/connect" :
	    "/api/v1/licences/disconnect", api_strdup_printf(
	    "{\"supplier\":\"%s\",\"licences\":[\"%s\"]}", s->company_id,
	    number))->status == 200;
}

/* Activates licence i of d on a new device. */
static bool
activate(struct dist *d, int i)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/device/activate",
	    api_strdup_printf("{\"licence\":\"%s\",\"activation_code\":"
	    "\"%s\",\"mdm_id\":\"%s\",\"app_version\":\"3.1\","
	    "\"user\":\"Агент %d\"}", d->numbers[i], d->codes[i], new_uuid(),
	    i));
	snprintf(d->tokens[i], sizeof(d->tokens[i]), "%s",
	    fx_jstr(r, "device_token"));
	return r->status == 200;
}

/* A distributor of s with two licences, the first connected to s, both
 * activated. */
static bool
dist_new(const struct fx_sess *s, struct dist *d)
{
	json_t	*lic, *it;
	size_t	 i;

	if (!fx_distributor_new("dist", &d->s) ||
	    !link_up(s, &d->s, d->code, sizeof(d->code)))
		return false;
	lic = fx_admin(api_strdup_printf("licence issue --company %s --count 2",
	    d->s.company_id));
	if (!json_is_array(lic) || json_array_size(lic) != 2) {
		json_decref(lic);
		return false;
	}
	json_array_foreach(lic, i, it) {
		snprintf(d->numbers[i], sizeof(d->numbers[i]), "%s",
		    fx_sget(it, "number"));
		snprintf(d->codes[i], sizeof(d->codes[i]), "%s",
		    fx_sget(it, "activation_code"));
	}
	json_decref(lic);
	return connect_licence(d, s, d->numbers[0], true) && activate(d, 0) &&
	    activate(d, 1);
}

/* Makes an API key of s with scopes (a JSON array); its secret. */
static bool
key_new(const struct fx_sess *s, const char *scopes, char *out, size_t n)
{
	struct api_resp	*r;

	r = call(s, "POST", "/api/v1/api-keys", api_strdup_printf(
	    "{\"name\":\"Система %s\",\"scopes\":%s}", fx_uniq("k"), scopes));
	snprintf(out, n, "%s", fx_jstr(r, "key"));
	return r->status == 201;
}

static bool
net_build(struct net *w)
{
	return fx_supplier_new("sup", false, &w->sup) &&
	    key_new(&w->sup, "[\"read\"]", w->read_key,
	    sizeof(w->read_key)) &&
	    key_new(&w->sup, "[\"publish\"]", w->publish_key,
	    sizeof(w->publish_key)) &&
	    dist_new(&w->sup, &w->d[0]) && dist_new(&w->sup, &w->d[1]);
}

/* The network most tests share; NULL if it could not be built. */
static struct net *
shared(void)
{
	static struct net	w;
	static int		state;	/* 0 not tried, 1 ok, -1 failed */

	if (state == 0)
		state = net_build(&w) ? 1 : -1;
	return state == 1 ? &w : NULL;
}

#define NEED_NET(w)							\
	do {								\
		NEED_ENV();						\
		if (((w) = shared()) == NULL)				\
			SKIP("the shared network could not be built");	\
	} while (0)

/* --- documents ------------------------------------------------------- */

/* A sale with two lines that add up, as JSON text. */
static const char *
doc_json(const char *uuid, const char *number)
{
	/* 1.500 x 123.45 = 185.175 -> 18518; 2 x 99.99 = 19998. */
	return api_strdup_printf("{\"uuid\":\"%s\",\"kind\":\"sale\","
	    "\"number\":\"%s\",\"date\":\"2026-03-01T10:15:00+03:00\","
	    "\"outlet\":{\"code\":\"T-1\",\"name\":\"Магазин у дома\","
	    "\"inn\":\"%s\",\"address\":\"Москва\"},\"agent\":\"Иванов\","
	    "\"gps\":{\"lat\":55.755826,\"lon\":37.6173},\"lines\":["
	    "{\"product_code\":\"P1\",\"name\":\"Чай\",\"qty\":1500,"
	    "\"price\":12345,\"amount\":18518},"
	    "{\"product_code\":\"P2\",\"name\":\"Кофе\",\"qty\":2000,"
	    "\"price\":9999,\"amount\":19998}],\"total\":38516,"
	    "\"comment\":\"\"}", uuid, number, FX_VALID_INN);
}

/* Uploads docs (a JSON array text) from device token for supplier. */
static struct api_resp *
upload(const char *token, const char *supplier, const char *docs)
{
	return bearer(token, "POST", "/api/v1/device/documents",
	    api_strdup_printf("{\"supplier_id\":\"%s\",\"documents\":[%s]}",
	    supplier, docs));
}

/* Result i of an upload answer. */
static json_t *
result(const struct api_resp *r, size_t i)
{
	return json_array_get(json_object_get(r->json, "results"), i);
}

/* The error code of result i. */
static const char *
result_code(const struct api_resp *r, size_t i)
{
	return fx_sget(json_object_get(result(r, i), "error"), "code");
}

TEST(exchange_upload_answers_each_document)
{
	struct net	*w;
	struct api_resp	*r, *again;
	const char	*u1 = new_uuid(), *u2 = new_uuid();
	const char	*changed;

	NEED_NET(w);
	r = upload(w->d[0].tokens[0], w->sup.company_id, api_strdup_printf(
	    "%s,%s,{\"uuid\":\"%s\",\"kind\":\"sale\"}",
	    doc_json(u1, "Р-1"), doc_json(u2, "Р-2"), new_uuid()));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "stored"), ==, 2);
	EXPECT_INT(fx_jint(r->json, "rejected"), ==, 1);
	EXPECT_STR(fx_sget(json_object_get(r->json, "supplier"), "code"),
	    w->d[0].code);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");
	EXPECT_STR(fx_sget(result(r, 0), "uuid"), u1);
	EXPECT(fx_sget(result(r, 0), "position")[0] != '\0');
	EXPECT_STR(fx_sget(result(r, 2), "status"), "rejected");
	EXPECT_INT(fx_jint(result(r, 2), "index"), ==, 2);

	/* Sent again: the same answers, nothing stored twice. */
	again = upload(w->d[0].tokens[0], w->sup.company_id,
	    api_strdup_printf("%s,%s", doc_json(u1, "Р-1"),
	    doc_json(u2, "Р-2")));
	EXPECT_STATUS(again, 200);
	EXPECT_INT(fx_jint(again->json, "duplicates"), ==, 2);
	EXPECT_INT(fx_jint(again->json, "stored"), ==, 0);
	EXPECT_STR(fx_sget(result(again, 0), "status"), "duplicate");
	EXPECT_STR(fx_sget(result(again, 0), "id"),
	    fx_sget(result(r, 0), "id"));
	EXPECT_STR(fx_sget(result(again, 0), "position"),
	    fx_sget(result(r, 0), "position"));
	EXPECT_STR(fx_sget(result(again, 0), "received_at"),
	    fx_sget(result(r, 0), "received_at"));

	/* The same uuid with other content: a conflict, the first kept. */
	changed = doc_json(u1, "Р-1-изменён");
	r = upload(w->d[0].tokens[0], w->sup.company_id, changed);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "conflicts"), ==, 1);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "conflict");
	EXPECT_STR(result_code(r, 0), "conflict");
	r = upload(w->d[0].tokens[0], w->sup.company_id, doc_json(u1, "Р-1"));
	EXPECT_STR(fx_sget(result(r, 0), "status"), "duplicate");
}

TEST(exchange_same_content_differently_written_is_a_duplicate)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*u = new_uuid();
	char		*up;
	size_t		 i;

	NEED_NET(w);
	r = upload(w->d[0].tokens[0], w->sup.company_id, doc_json(u, "Ф-1"));
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");

	/* The uuid in capitals, the same instant in another zone, members
	 * in another order, the coordinates with more digits and an
	 * explicit null comment: the same document. */
	up = api_strdup_printf("%s", u);
	for (i = 0; up[i] != '\0'; i++)
		if (up[i] >= 'a' && up[i] <= 'f')
			up[i] = (char)(up[i] - 'a' + 'A');
	r = upload(w->d[0].tokens[0], w->sup.company_id, api_strdup_printf(
	    "{\"total\":38516,\"kind\":\"sale\",\"uuid\":\"%s\","
	    "\"number\":\"Ф-1\",\"date\":\"2026-03-01T07:15:00.000Z\","
	    "\"agent\":\"Иванов\",\"gps\":{\"lon\":37.617300,"
	    "\"lat\":55.7558260},\"outlet\":{\"name\":\"Магазин у дома\","
	    "\"code\":\"T-1\",\"address\":\"Москва\",\"inn\":\"%s\"},"
	    "\"lines\":[{\"qty\":1500,\"product_code\":\"P1\",\"name\":"
	    "\"Чай\",\"price\":12345,\"amount\":18518},{\"product_code\":"
	    "\"P2\",\"name\":\"Кофе\",\"qty\":2000,\"price\":9999,"
	    "\"amount\":19998}],\"comment\":null}", up, FX_VALID_INN));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "duplicate");
	EXPECT_STR(fx_sget(result(r, 0), "uuid"), u);
}

/* Uploads one document whose JSON text is body; the rejection code. */
static const char *
reject_code(const struct net *w, const char *body)
{
	struct api_resp	*r;

	r = upload(w->d[0].tokens[0], w->sup.company_id, body);
	if (r->status != 200)
		return api_strdup_printf("status %ld", r->status);
	if (strcmp(fx_sget(result(r, 0), "status"), "rejected") != 0)
		return fx_sget(result(r, 0), "status");
	return result_code(r, 0);
}

/* A document with one line of qty at price for amount, total. */
static const char *
line_doc(const char *kind, const char *qty, const char *price,
    const char *amount, const char *total)
{
	return api_strdup_printf("{\"uuid\":\"%s\",\"kind\":\"%s\","
	    "\"number\":\"L-1\",\"date\":\"2026-03-01T10:15:00Z\","
	    "\"outlet\":{\"code\":\"T\",\"name\":\"Точка\"},"
	    "\"lines\":[{\"product_code\":\"P\",\"name\":\"Т\",\"qty\":%s,"
	    "\"price\":%s,\"amount\":%s}],\"total\":%s}", new_uuid(), kind,
	    qty, price, amount, total);
}

TEST(exchange_money_is_integer_and_must_add_up)
{
	struct net	*w;

	NEED_NET(w);
	/* 1.500 x 9.99 = 14.985 rounds half up to 14.99. */
	EXPECT_STR(reject_code(w, line_doc("sale", "1500", "999", "1499",
	    "1499")), "stored");
	EXPECT_STR(reject_code(w, line_doc("sale", "1500", "999", "1498",
	    "1498")), "amount_mismatch");
	/* 0.001 x 4.99 = 0.00499: half a kopeck is not reached. */
	EXPECT_STR(reject_code(w, line_doc("order", "1", "499", "0", "0")),
	    "stored");
	EXPECT_STR(reject_code(w, line_doc("sale", "1000", "100", "100",
	    "101")), "total_mismatch");
	EXPECT_STR(reject_code(w, line_doc("sale", "1000", "100.0", "100",
	    "100")), "not_integer");
	EXPECT_STR(reject_code(w, line_doc("sale", "1e3", "100", "100",
	    "100")), "not_integer");
	EXPECT_STR(reject_code(w, line_doc("sale", "1000", "100", "100",
	    "100.5")), "not_integer");
	EXPECT_STR(reject_code(w, line_doc("sale", "\"1000\"", "100", "100",
	    "100")), "field_invalid");
	EXPECT_STR(reject_code(w, line_doc("sale", "0", "100", "0", "0")),
	    "field_invalid");
	EXPECT_STR(reject_code(w, line_doc("sale", "-1000", "100", "-100",
	    "-100")), "field_invalid");
	/* A huge product still computes exactly. */
	EXPECT_STR(reject_code(w, line_doc("sale", "1000000000000",
	    "10000000000000", "0", "0")), "amount_mismatch");
}

TEST(exchange_each_field_is_checked)
{
	struct net	*w;
	const char	*u;

	NEED_NET(w);
	EXPECT_STR(reject_code(w, "{\"kind\":\"sale\"}"), "uuid_invalid");
	EXPECT_STR(reject_code(w, "[]"), "field_invalid");
	u = new_uuid();
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"stock\"}", u)), "kind_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"\"}", u)), "field_required");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-30T10:"
	    "00:00Z\"}", u)), "date_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00\"}", u)), "date_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2099-02-03T10:"
	    "00:00Z\"}", u)), "date_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"total\":0}", u)), "field_required");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":\"Т\",\"inn\":"
	    "\"123\"},\"total\":0}", u)), "field_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":\"Т\"},"
	    "\"gps\":{\"lat\":91,\"lon\":0},\"total\":0}", u)),
	    "field_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"visit\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":\"Т\"},"
	    "\"total\":5}", u)), "field_invalid");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"payment\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":\"Т\"},"
	    "\"total\":500000}", u)), "stored");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"sale\",\"number\":\"V\",\"date\":\"2026-02-03T10:"
	    "00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":\"Т\"},"
	    "\"lines\":[],\"total\":0}", new_uuid())), "field_required");
	EXPECT_STR(reject_code(w, api_strdup_printf("{\"uuid\":\"%s\","
	    "\"kind\":\"sale\",\"number\":\"V\\u0001\",\"date\":\"2026-02-03T"
	    "10:00:00Z\"}", new_uuid())), "field_invalid");
}

TEST(exchange_bad_batches_are_refused_whole)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*tok;

	NEED_NET(w);
	tok = w->d[0].tokens[0];
	EXPECT_ERR(bearer(tok, "POST", "/api/v1/device/documents",
	    "{\"documents\":[]}"), 400, "field_required");
	EXPECT_ERR(bearer(tok, "POST", "/api/v1/device/documents",
	    api_strdup_printf("{\"supplier_id\":\"%s\",\"documents\":[]}",
	    w->sup.company_id)), 400, "documents_invalid");
	EXPECT_ERR(bearer(tok, "POST", "/api/v1/device/documents",
	    api_strdup_printf("{\"supplier_id\":\"%s\",\"documents\":{}}",
	    w->sup.company_id)), 400, "documents_invalid");
	EXPECT_ERR(bearer(tok, "POST", "/api/v1/device/documents",
	    "{\"supplier_code\":\"123\",\"documents\":[{}]}"), 400,
	    "code_invalid");
	EXPECT_ERR(bearer(tok, "POST", "/api/v1/device/documents",
	    "not json"), 400, "invalid_json");

	/* By code works as by id. */
	r = bearer(tok, "POST", "/api/v1/device/documents", api_strdup_printf(
	    "{\"supplier_code\":\"%s\",\"documents\":[%s]}", w->d[0].code,
	    doc_json(new_uuid(), "К-1")));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(json_object_get(r->json, "supplier"), "id"),
	    w->sup.company_id);
	EXPECT_INT(fx_jint(r->json, "stored"), ==, 1);
}

TEST(exchange_device_token_is_required)
{
	struct net	*w;
	struct api_resp	*r;

	NEED_NET(w);
	r = api_send_json("POST", "/api/v1/device/documents",
	    "{\"supplier_id\":\"1\",\"documents\":[{}]}");
	EXPECT_ERROR(r, 401, "device_unauthorized");
	EXPECT_STR(api_header(r, "WWW-Authenticate"), "Bearer");
	EXPECT_ERR(upload("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    w->sup.company_id, "{}"), 401, "device_unauthorized");
	/* An API key is not a device token. */
	EXPECT_ERR(upload(w->read_key, w->sup.company_id, "{}"), 401,
	    "device_unauthorized");
	EXPECT_ERR(bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "GET", "/api/v1/device/packages", NULL), 401,
	    "device_unauthorized");
}

TEST(exchange_licence_out_of_service_is_refused_and_shown)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*u = new_uuid();
	json_t		*it;
	size_t		 i;
	bool		 seen = false;

	NEED_NET(w);
	/* Licence 1 of each distributor is not «ВКЛ» for the supplier. */
	r = upload(w->d[0].tokens[1], w->sup.company_id, doc_json(u, "О-1"));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "rejected");
	EXPECT_STR(result_code(r, 0), "licence_out_of_service");

	/* «Контроль» of the distributor lists it with its reason. */
	r = call(&w->d[0].s, "GET", "/api/v1/control/rejects", NULL);
	EXPECT_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it) {
		if (strcmp(fx_sget(it, "uuid"), u) != 0)
			continue;
		seen = true;
		EXPECT_STR(fx_sget(json_object_get(it, "error"), "code"),
		    "licence_out_of_service");
		EXPECT_STR(fx_sget(it, "licence"), w->d[0].numbers[1]);
		EXPECT(json_is_false(json_object_get(it, "accepted_later")));
	}
	EXPECT(seen);
}

TEST(exchange_documents_reach_the_feed_with_their_distributor)
{
	struct net	*w;
	struct api_resp	*r, *f;
	const char	*u = new_uuid(), *pos;
	json_t		*it, *doc;
	long long	 before;

	NEED_NET(w);
	f = bearer(w->read_key, "GET", "/api/v1/feed?limit=1", NULL);
	EXPECT_STATUS(f, 200);
	before = strtoll(fx_jstr(f, "head"), NULL, 10);
	r = upload(w->d[1].tokens[0], w->sup.company_id, doc_json(u, "Л-1"));
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");
	pos = fx_sget(result(r, 0), "position");
	EXPECT_INT(strtoll(pos, NULL, 10), >, before);

	f = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/feed?"
	    "after=%lld&limit=1000", strtoll(pos, NULL, 10) - 1), NULL);
	EXPECT_STATUS(f, 200);
	it = json_array_get(json_object_get(f->json, "items"), 0);
	EXPECT_STR(fx_sget(it, "uuid"), u);
	EXPECT_STR(fx_sget(it, "position"), pos);
	EXPECT_STR(fx_sget(json_object_get(it, "distributor"), "code"),
	    w->d[1].code);
	EXPECT_STR(fx_sget(json_object_get(it, "distributor"), "id"),
	    w->d[1].s.company_id);
	EXPECT_STR(fx_sget(it, "licence"), w->d[1].numbers[0]);
	EXPECT_STR(fx_sget(it, "source"), "device");
	EXPECT_STR(fx_sget(it, "agent"), "Иванов");
	EXPECT(json_is_string(json_object_get(json_object_get(it, "device"),
	    "mdm_id")));
	doc = json_object_get(it, "document");
	EXPECT_INT(fx_jint(doc, "total"), ==, 38516);
	EXPECT_STR(fx_sget(doc, "date"), "2026-03-01T07:15:00.000Z");
	EXPECT_INT(fx_jint(json_array_get(json_object_get(doc, "lines"), 0),
	    "qty"), ==, 1500);
	EXPECT(json_is_real(json_object_get(json_object_get(doc, "gps"),
	    "lat")));
}

TEST(exchange_feed_pages_never_skip_nor_repeat)
{
	struct net	*w;
	struct api_resp	*r;
	char		 docs[16384];
	size_t		 len = 0, i, seen = 0;
	long long	 after, prev = -1, first = 0;
	int		 k, pages = 0;

	NEED_NET(w);
	r = bearer(w->read_key, "GET", "/api/v1/feed?limit=1", NULL);
	after = strtoll(fx_jstr(r, "head"), NULL, 10);
	for (k = 0; k < 25; k++)
		len += (size_t)snprintf(docs + len, sizeof(docs) - len, "%s%s",
		    k ? "," : "", doc_json(new_uuid(), "Р"));
	EXPECT_INT(fx_jint(upload(w->d[0].tokens[0], w->sup.company_id,
	    docs)->json, "stored"), ==, 25);

	/* Pages of 7 from just before the batch. */
	first = after;
	do {
		r = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/feed?"
		    "after=%lld&limit=7", after), NULL);
		EXPECT_STATUS(r, 200);
		for (i = 0; i < json_array_size(json_object_get(r->json,
		    "items")); i++) {
			long long p = strtoll(fx_sget(json_array_get(
			    json_object_get(r->json, "items"), i),
			    "position"), NULL, 10);

			EXPECT_INT(p, ==, (prev < 0 ? first : prev) + 1);
			prev = p;
			seen++;
		}
		after = strtoll(fx_jstr(r, "next_after"), NULL, 10);
		pages++;
	} while (json_is_true(json_object_get(r->json, "more")) &&
	    pages < 100);
	EXPECT_INT(seen, >=, 25);
	EXPECT_INT(after, ==, prev);

	/* At the head: an empty page keeps the cursor. */
	r = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/feed?"
	    "after=%lld", after), NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);
	EXPECT_INT(strtoll(fx_jstr(r, "next_after"), NULL, 10), ==, after);
	EXPECT(json_is_false(json_object_get(r->json, "more")));

	EXPECT_ERR(bearer(w->read_key, "GET", "/api/v1/feed?limit=1001",
	    NULL), 400, "limit_invalid");
	EXPECT_ERR(bearer(w->read_key, "GET", "/api/v1/feed?after=x", NULL),
	    400, "after_invalid");
}

TEST(exchange_feed_is_gzipped_when_asked)
{
	struct net		*w;
	struct api_resp		*r;
	const char		*h[3];
	const unsigned char	*b;

	NEED_NET(w);
	upload(w->d[0].tokens[0], w->sup.company_id, api_strdup_printf(
	    "%s,%s,%s", doc_json(new_uuid(), "Z-1"), doc_json(new_uuid(),
	    "Z-2"), doc_json(new_uuid(), "Z-3")));
	h[0] = api_strdup_printf("Authorization: Bearer %s", w->read_key);
	h[1] = "Accept-Encoding: gzip";
	h[2] = NULL;
	r = api_request("GET", "/api/v1/feed?limit=50", h, NULL, 0);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(api_header(r, "Content-Encoding"), "gzip");
	b = (const unsigned char *)r->body;
	EXPECT(r->len > 2 && b[0] == 0x1f && b[1] == 0x8b);

	h[1] = "Accept-Encoding: gzip;q=0, identity";
	r = api_request("GET", "/api/v1/feed?limit=50", h, NULL, 0);
	EXPECT_STATUS(r, 200);
	EXPECT(api_header(r, "Content-Encoding") == NULL);
	EXPECT(json_is_array(json_object_get(r->json, "items")));
}

TEST(exchange_keys_need_their_scope)
{
	struct net	*w;

	NEED_NET(w);
	EXPECT_ERR(api_get("/api/v1/feed"), 401, "unauthenticated");
	EXPECT_ERR(bearer("tbk_nonsense", "GET", "/api/v1/feed", NULL), 401,
	    "unauthenticated");
	EXPECT_ERR(bearer(api_strdup_printf("tbk_%s",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "GET",
	    "/api/v1/feed", NULL), 401, "unauthenticated");
	/* A device token is not an API key. */
	EXPECT_ERR(bearer(w->d[0].tokens[0], "GET", "/api/v1/feed", NULL),
	    401, "unauthenticated");
	EXPECT_ERR(bearer(w->publish_key, "GET", "/api/v1/feed", NULL), 403,
	    "scope_missing");
	EXPECT_ERR(bearer(w->read_key, "POST", "/api/v1/packages",
	    "{\"kind\":\"prices\",\"target\":\"all\",\"payload\":{}}"), 403,
	    "scope_missing");
	EXPECT_ERR(bearer(w->read_key, "POST", "/api/v1/distributor/documents",
	    "{\"documents\":[]}"), 403, "scope_missing");
	EXPECT_STATUS(bearer(w->read_key, "GET", "/api/v1/distributors",
	    NULL), 200);
}

TEST(exchange_consumers_commit_forward_with_lag)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*name = fx_uniq("erp");
	const char	*path;
	long long	 head;

	NEED_NET(w);
	upload(w->d[0].tokens[0], w->sup.company_id, doc_json(new_uuid(),
	    "Л"));
	r = bearer(w->read_key, "GET", "/api/v1/feed?limit=1", NULL);
	head = strtoll(fx_jstr(r, "head"), NULL, 10);
	EXPECT_INT(head, >, 1);
	path = api_strdup_printf("/api/v1/feed/consumers/%s", name);

	EXPECT_ERR(bearer(w->read_key, "GET", path, NULL), 404,
	    "consumer_not_found");
	r = bearer(w->read_key, "PUT", path, api_strdup_printf(
	    "{\"position\":\"%lld\"}", head - 1));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "lag"), ==, 1);
	EXPECT_STR(fx_jstr(r, "position"), api_strdup_printf("%lld", head - 1));
	EXPECT_STATUS(bearer(w->read_key, "PUT", path, api_strdup_printf(
	    "{\"position\":%lld}", head - 1)), 200);
	EXPECT_ERR(bearer(w->read_key, "PUT", path, "{\"position\":\"1\"}"),
	    409, "position_backwards");
	EXPECT_ERR(bearer(w->read_key, "PUT", path, api_strdup_printf(
	    "{\"position\":\"%lld\"}", head + 1000)), 400, "position_ahead");
	EXPECT_ERR(bearer(w->read_key, "PUT", path, "{\"position\":-1}"),
	    400, "field_invalid");
	EXPECT_ERR(bearer(w->read_key, "PUT", "/api/v1/feed/consumers/a%20b",
	    "{\"position\":1}"), 400, "name_invalid");

	r = bearer(w->read_key, "GET", "/api/v1/feed/consumers", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT(json_array_size(json_object_get(r->json, "items")) >= 1);

	/* The cabinet shows the lag in «Контроль». */
	r = call(&w->sup, "GET", "/api/v1/control?side=supplier", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(r->body, name);
}

TEST(exchange_suppliers_see_only_their_own_feed)
{
	struct net	*w;
	struct fx_sess	 other;
	struct api_resp	*r;
	char		 key[64];
	const char	*u = new_uuid();

	NEED_NET(w);
	EXPECT(fx_supplier_new("other", false, &other));
	EXPECT(key_new(&other, "[\"read\",\"publish\"]", key, sizeof(key)));
	upload(w->d[0].tokens[0], w->sup.company_id, doc_json(u, "Т"));

	r = bearer(key, "GET", "/api/v1/feed?limit=1000", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);
	EXPECT_LACKS(r->body, u);
	r = bearer(key, "GET", "/api/v1/distributors", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);
	r = bearer(key, "GET", "/api/v1/packages", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(json_array_size(json_object_get(r->json, "items")), ==, 0);
	EXPECT_ERR(bearer(key, "GET", "/api/v1/feed/consumers/x", NULL), 404,
	    "consumer_not_found");

	/* Uploading to a supplier the distributor is not linked with. */
	EXPECT_ERR(upload(w->d[0].tokens[0], other.company_id,
	    doc_json(new_uuid(), "Ч")), 404, "supplier_not_found");
	EXPECT_ERR(upload(w->d[0].tokens[0], "999999999",
	    doc_json(new_uuid(), "Ч")), 404, "supplier_not_found");
}

TEST(exchange_distributors_list_codes_and_licences)
{
	struct net	*w;
	struct api_resp	*r;
	json_t		*it;
	size_t		 i;
	int		 found = 0;

	NEED_NET(w);
	r = bearer(w->read_key, "GET", "/api/v1/distributors", NULL);
	EXPECT_STATUS(r, 200);
	json_array_foreach(json_object_get(r->json, "items"), i, it) {
		if (strcmp(fx_sget(it, "code"), w->d[0].code) != 0 &&
		    strcmp(fx_sget(it, "code"), w->d[1].code) != 0)
			continue;
		found++;
		EXPECT_STR(fx_sget(it, "status"), "accepted");
		EXPECT_INT(fx_jint(it, "licences_in_service"), ==, 1);
		EXPECT(json_is_string(json_object_get(it, "since")));
	}
	EXPECT_INT(found, ==, 2);
}

/* --- packages -------------------------------------------------------- */

/* Publishes a package with target (JSON text); its id, or "". */
static const char *
publish(const struct net *w, const char *kind, const char *target)
{
	struct api_resp	*r;

	r = bearer(w->publish_key, "POST", "/api/v1/packages",
	    api_strdup_printf("{\"kind\":\"%s\",\"name\":\"Пакет\","
	    "\"target\":%s,\"payload\":{\"items\":[{\"code\":\"P1\","
	    "\"price\":12345}]}}", kind, target));
	return r->status == 201 ? fx_jstr(r, "id") : "";
}

/* Publishes body with key; the package's id, or "". */
static const char *
publish_with(const char *key, const char *body)
{
	struct api_resp	*r = bearer(key, "POST", "/api/v1/packages", body);

	return r->status == 201 ? fx_jstr(r, "id") : "";
}

/* True if the device's download offers package id. */
static bool
offered(const char *token, const char *id)
{
	struct api_resp	*r;
	json_t		*it;
	size_t		 i;

	r = bearer(token, "GET", "/api/v1/device/packages?limit=100", NULL);
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (strcmp(fx_sget(it, "id"), id) == 0)
			return true;
	return false;
}

TEST(exchange_packages_are_offered_until_acknowledged)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*id, *ack;

	NEED_NET(w);
	id = publish(w, "prices", "\"all\"");
	EXPECT(id[0] != '\0');
	EXPECT(offered(w->d[0].tokens[0], id));
	EXPECT(offered(w->d[1].tokens[0], id));
	/* Licence 1 is not «ВКЛ» for the supplier: nothing for it. */
	EXPECT(!offered(w->d[0].tokens[1], id));

	r = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/packages/%s",
	    id), NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(json_object_get(r->json, "delivery"),
	    "acknowledged"), ==, 0);
	EXPECT(fx_jint(json_object_get(r->json, "delivery"), "devices") >= 2);

	ack = api_strdup_printf("/api/v1/device/packages/%s/ack", id);
	r = bearer(w->d[0].tokens[0], "POST", ack, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_true(json_object_get(r->json, "first")));
	r = bearer(w->d[0].tokens[0], "POST", ack, NULL);
	EXPECT_STATUS(r, 200);
	EXPECT(json_is_false(json_object_get(r->json, "first")));
	EXPECT(!offered(w->d[0].tokens[0], id));
	EXPECT(offered(w->d[1].tokens[0], id));

	r = bearer(w->publish_key, "GET", api_strdup_printf(
	    "/api/v1/packages/%s", id), NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(json_object_get(r->json, "delivery"),
	    "acknowledged"), ==, 1);

	/* A device that may not see it cannot acknowledge it. */
	EXPECT_ERR(bearer(w->d[0].tokens[1], "POST", ack, NULL), 404,
	    "package_not_found");
}

TEST(exchange_packages_reach_only_their_targets)
{
	struct net	*w;
	const char	*by_code, *by_lic;

	NEED_NET(w);
	by_code = publish(w, "tasks", api_strdup_printf("{\"codes\":"
	    "[\"%s\"]}", w->d[1].code));
	EXPECT(by_code[0] != '\0');
	EXPECT(offered(w->d[1].tokens[0], by_code));
	EXPECT(!offered(w->d[0].tokens[0], by_code));

	by_lic = publish(w, "messages", api_strdup_printf("{\"licences\":"
	    "[\"%s\"]}", w->d[0].numbers[0]));
	EXPECT(by_lic[0] != '\0');
	EXPECT(offered(w->d[0].tokens[0], by_lic));
	EXPECT(!offered(w->d[1].tokens[0], by_lic));

	/* Targets the supplier does not have refuse the package. */
	EXPECT_ERR(bearer(w->publish_key, "POST", "/api/v1/packages",
	    "{\"kind\":\"tasks\",\"target\":{\"codes\":[\"99999\"]},"
	    "\"payload\":{}}"), 400, "code_unknown");
	EXPECT_ERR(bearer(w->publish_key, "POST", "/api/v1/packages",
	    api_strdup_printf("{\"kind\":\"tasks\",\"target\":{\"licences\":"
	    "[\"%s\"]},\"payload\":{}}", w->d[0].numbers[1])), 400,
	    "licence_unknown");
	EXPECT_ERR(bearer(w->publish_key, "POST", "/api/v1/packages",
	    "{\"kind\":\"nonsense\",\"target\":\"all\",\"payload\":{}}"), 400,
	    "kind_invalid");
	EXPECT_ERR(bearer(w->publish_key, "POST", "/api/v1/packages",
	    "{\"kind\":\"prices\",\"target\":\"some\",\"payload\":{}}"), 400,
	    "target_invalid");
	EXPECT_ERR(bearer(w->publish_key, "POST", "/api/v1/packages",
	    "{\"kind\":\"prices\",\"target\":\"all\",\"payload\":5}"), 400,
	    "payload_invalid");
}

TEST(exchange_packages_of_another_supplier_stay_hidden)
{
	struct net	*w;
	struct fx_sess	 other;
	struct api_resp	*r;
	char		 key[64];
	const char	*id;

	NEED_NET(w);
	EXPECT(fx_supplier_new("pkgother", false, &other));
	EXPECT(key_new(&other, "[\"publish\",\"read\"]", key, sizeof(key)));
	r = bearer(key, "POST", "/api/v1/packages", "{\"kind\":\"catalogue\","
	    "\"target\":\"all\",\"payload\":[1,2,3]}");
	EXPECT_STATUS(r, 201);
	id = fx_jstr(r, "id");
	EXPECT(!offered(w->d[0].tokens[0], id));
	EXPECT_ERR(bearer(w->d[0].tokens[0], "POST", api_strdup_printf(
	    "/api/v1/device/packages/%s/ack", id), NULL), 404,
	    "package_not_found");
	EXPECT_ERR(bearer(w->read_key, "GET", api_strdup_printf(
	    "/api/v1/packages/%s", id), NULL), 404, "package_not_found");
}

/* --- a distributor's own system -------------------------------------- */

TEST(exchange_distributor_system_sends_stock_and_debts)
{
	struct net	*w;
	struct api_resp	*r, *f;
	char		 key[64];
	const char	*stock = new_uuid(), *debt = new_uuid();

	NEED_NET(w);
	EXPECT(key_new(&w->d[1].s, "[\"send\"]", key, sizeof(key)));
	EXPECT_ERR(call(&w->d[1].s, "POST", "/api/v1/api-keys",
	    "{\"name\":\"x\",\"scopes\":[\"read\"]}"), 403,
	    "scope_not_allowed");
	EXPECT_ERR(call(&w->sup, "POST", "/api/v1/api-keys",
	    "{\"name\":\"x\",\"scopes\":[\"send\"]}"), 403,
	    "scope_not_allowed");

	r = bearer(key, "POST", "/api/v1/distributor/documents",
	    api_strdup_printf("{\"supplier_code\":%s,\"documents\":["
	    "{\"uuid\":\"%s\",\"kind\":\"stock\",\"number\":\"ОСТ-1\","
	    "\"date\":\"2026-03-01T00:00:00Z\",\"lines\":[{\"product_code\":"
	    "\"P1\",\"name\":\"Чай\",\"qty\":0,\"price\":100,\"amount\":0},"
	    "{\"product_code\":\"P2\",\"name\":\"Кофе\",\"qty\":5000,"
	    "\"price\":100,\"amount\":500}],\"total\":500},"
	    "{\"uuid\":\"%s\",\"kind\":\"debt\",\"number\":\"Д-1\","
	    "\"date\":\"2026-03-01T00:00:00Z\",\"outlet\":{\"code\":\"T\","
	    "\"name\":\"Точка\"},\"total\":-1500},"
	    "{\"uuid\":\"%s\",\"kind\":\"order\",\"number\":\"З-1\"}]}",
	    w->d[1].code, stock, debt, new_uuid()));
	EXPECT_STATUS(r, 200);
	EXPECT_INT(fx_jint(r->json, "stored"), ==, 2);
	EXPECT_STR(result_code(r, 2), "kind_invalid");

	f = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/feed?"
	    "after=%lld", strtoll(fx_sget(result(r, 0), "position"), NULL, 10) -
	    1), NULL);
	EXPECT_STATUS(f, 200);
	EXPECT_HAS(f->body, stock);
	EXPECT_HAS(f->body, "\"source\":\"system\"");
	EXPECT_HAS(f->body, "\"licence\":null");
}

/* --- idempotency under racing duplicates ----------------------------- */

TEST(exchange_parallel_duplicates_store_once)
{
	struct net		*w;
	struct fx_racer		 r[RACERS];
	pthread_t		 t[RACERS];
	pthread_barrier_t	 go;
	struct api_resp		*f;
	const char		*u = new_uuid(), *body;
	int			 i, stored = 0, dup = 0;

	NEED_NET(w);
	body = api_strdup_printf("{\"supplier_id\":\"%s\",\"documents\":[%s,"
	    "%s]}", w->sup.company_id, doc_json(u, "Г-1"),
	    doc_json(new_uuid(), "Г-2"));
	pthread_barrier_init(&go, NULL, RACERS);
	for (i = 0; i < RACERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].url = api_strdup_printf("%s/api/v1/device/documents",
		    api_base_url());
		/* One device sends the same batch eight times at once. */
		r[i].headers[0] = api_strdup_printf(
		    "Authorization: Bearer %s", w->d[0].tokens[0]);
		r[i].body = body;
		r[i].go = &go;
		pthread_create(&t[i], NULL, fx_racer_run, &r[i]);
	}
	for (i = 0; i < RACERS; i++) {
		json_t	*j, *x;

		pthread_join(t[i], NULL);
		if (r[i].status != 200)
			continue;
		j = json_loads(r[i].out, 0, NULL);
		x = json_array_get(json_object_get(j, "results"), 0);
		stored += strcmp(fx_sget(x, "status"), "stored") == 0;
		dup += strcmp(fx_sget(x, "status"), "duplicate") == 0;
		json_decref(j);
	}
	pthread_barrier_destroy(&go);
	EXPECT_INT(stored, ==, 1);
	EXPECT_INT(dup, ==, RACERS - 1);

	/* Exactly one copy in the feed: its uuid shows twice, in the item
	 * and in the document. */
	f = bearer(w->read_key, "GET", "/api/v1/feed?limit=1", NULL);
	f = bearer(w->read_key, "GET", api_strdup_printf("/api/v1/feed?"
	    "after=%lld&limit=1000",
	    strtoll(fx_jstr(f, "head"), NULL, 10) - 40), NULL);
	EXPECT_STATUS(f, 200);
	EXPECT_INT(count(f->body, api_strdup_printf("\"uuid\":\"%s\"", u)),
	    ==, 2);
}

/* --- tenancy between distributors ------------------------------------ */

TEST(exchange_a_link_ended_refuses_documents)
{
	struct net	 w;
	struct api_resp	*r, *list;
	json_t		*it;
	size_t		 i;
	const char	*link = NULL;

	NEED_ENV();
	EXPECT(fx_supplier_new("ended", false, &w.sup));
	EXPECT(dist_new(&w.sup, &w.d[0]));
	list = call(&w.sup, "GET", "/api/v1/network/distributors", NULL);
	json_array_foreach(json_object_get(list->json, "items"), i, it)
		if (strcmp(fx_sget(it, "code"), w.d[0].code) == 0)
			link = fx_sget(it, "id");
	EXPECT(link != NULL);
	EXPECT_STATUS(call(&w.sup, "POST", api_strdup_printf(
	    "/api/v1/network/distributors/%s/disconnect", link),
	    "{\"reason\":\"Договор расторгнут\"}"), 200);

	r = upload(w.d[0].tokens[0], w.sup.company_id,
	    doc_json(new_uuid(), "Z"));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "rejected");
	EXPECT_STR(result_code(r, 0), "link_revoked");
}

TEST(exchange_devices_see_nothing_of_other_distributors)
{
	struct net	*w;
	struct api_resp	*r;
	const char	*u = new_uuid();

	NEED_NET(w);
	/* The same uuid from two distributors: two documents. */
	r = upload(w->d[0].tokens[0], w->sup.company_id, doc_json(u, "A"));
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");
	r = upload(w->d[1].tokens[0], w->sup.company_id, doc_json(u, "B"));
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");

	/* B's «Контроль» knows nothing of A's refusals. */
	upload(w->d[0].tokens[1], w->sup.company_id, doc_json(u, "A"));
	r = call(&w->d[1].s, "GET", "/api/v1/control/rejects?limit=200",
	    NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_LACKS(r->body, w->d[0].numbers[1]);
	r = call(&w->d[1].s, "GET", "/api/v1/control", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_LACKS(r->body, w->d[0].numbers[0]);
	EXPECT_HAS(r->body, w->d[1].numbers[0]);
}

TEST(exchange_a_supplier_sends_from_its_own_network)
{
	struct net	 w;
	struct api_resp	*r;
	json_t		*lic, *it;
	char		 key[64];
	const char	*u = new_uuid(), *pkg;

	NEED_ENV();
	/* A manufacturer with agents of its own: supplier and distributor. */
	EXPECT(fx_supplier_new("own", true, &w.sup));
	EXPECT(key_new(&w.sup, "[\"read\",\"publish\"]", key, sizeof(key)));
	lic = fx_admin(api_strdup_printf("licence issue --company %s --count 1",
	    w.sup.company_id));
	EXPECT(json_array_size(lic) == 1);
	it = json_array_get(lic, 0);
	snprintf(w.d[0].numbers[0], sizeof(w.d[0].numbers[0]), "%s",
	    fx_sget(it, "number"));
	snprintf(w.d[0].codes[0], sizeof(w.d[0].codes[0]), "%s",
	    fx_sget(it, "activation_code"));
	json_decref(lic);
	w.d[0].s = w.sup;
	EXPECT(connect_licence(&w.d[0], &w.sup, w.d[0].numbers[0], true));
	EXPECT(activate(&w.d[0], 0));

	r = upload(w.d[0].tokens[0], w.sup.company_id, doc_json(u, "С-1"));
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_sget(result(r, 0), "status"), "stored");
	EXPECT(json_is_null(json_object_get(json_object_get(r->json,
	    "supplier"), "code")));
	r = bearer(key, "GET", "/api/v1/feed", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(r->body, u);
	EXPECT_HAS(r->body, "\"code\":null");

	pkg = publish_with(key, "{\"kind\":\"catalogue\",\"target\":"
	    "\"all\",\"payload\":{\"items\":[]}}");
	EXPECT(pkg[0] != '\0');
	EXPECT(offered(w.d[0].tokens[0], pkg));
}

/* --- API keys in the cabinet ----------------------------------------- */

TEST(exchange_api_keys_shown_once_revocable_last_use)
{
	struct net	*w;
	struct fx_sess	 member;
	struct api_resp	*r;
	char		 key[64];
	const char	*id = NULL;
	json_t		*it;
	size_t		 i;

	NEED_NET(w);
	r = call(&w->sup, "POST", "/api/v1/api-keys",
	    "{\"name\":\"1С УД\",\"scopes\":[\"read\"]}");
	EXPECT_STATUS(r, 201);
	snprintf(key, sizeof(key), "%s", fx_jstr(r, "key"));
	EXPECT(strncmp(key, "tbk_", 4) == 0);
	EXPECT_INT(strlen(key), ==, 47);
	EXPECT_STR(fx_jstr(r, "prefix"), api_strdup_printf("%.8s", key));
	id = fx_jstr(r, "id");
	EXPECT(json_is_null(json_object_get(r->json, "last_used_at")));

	EXPECT_STATUS(bearer(key, "GET", "/api/v1/feed?limit=1", NULL), 200);
	r = call(&w->sup, "GET", "/api/v1/api-keys", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_LACKS(r->body, key);
	EXPECT_LACKS(r->body, "\"key\"");
	json_array_foreach(json_object_get(r->json, "items"), i, it) {
		if (strcmp(fx_sget(it, "id"), id) != 0)
			continue;
		EXPECT_STR(fx_sget(it, "name"), "1С УД");
		EXPECT(json_is_string(json_object_get(it, "last_used_at")));
		EXPECT_STR(fx_sget(it, "status"), "active");
	}

	EXPECT(fx_user_new(w->sup.company_id, NULL, "member", &member));
	EXPECT_STATUS(call(&member, "GET", "/api/v1/api-keys", NULL), 200);
	EXPECT_ERR(call(&member, "POST", "/api/v1/api-keys",
	    "{\"name\":\"m\",\"scopes\":[\"read\"]}"), 403, "forbidden");
	EXPECT_ERR(call(&member, "POST", api_strdup_printf(
	    "/api/v1/api-keys/%s/revoke", id), NULL), 403, "forbidden");

	EXPECT_ERR(call(&w->sup, "POST", "/api/v1/api-keys",
	    "{\"name\":\"\",\"scopes\":[\"read\"]}"), 400, "name_invalid");
	EXPECT_ERR(call(&w->sup, "POST", "/api/v1/api-keys",
	    "{\"name\":\"x\",\"scopes\":[\"write\"]}"), 400,
	    "scopes_invalid");
	EXPECT_ERR(call(&w->sup, "POST", "/api/v1/api-keys",
	    "{\"name\":\"x\",\"scopes\":[]}"), 400, "scopes_invalid");

	r = call(&w->sup, "POST", api_strdup_printf("/api/v1/api-keys/%s/"
	    "revoke", id), NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "status"), "revoked");
	EXPECT_ERR(bearer(key, "GET", "/api/v1/feed", NULL), 401,
	    "unauthenticated");
	EXPECT_ERR(call(&w->sup, "POST", api_strdup_printf(
	    "/api/v1/api-keys/%s/revoke", id), NULL), 404,
	    "apikey_not_found");

	/* Another company's key is not found. */
	EXPECT_ERR(call(&w->d[0].s, "POST", api_strdup_printf(
	    "/api/v1/api-keys/%s/revoke", id), NULL), 404,
	    "apikey_not_found");
}

/* --- «Контроль» ------------------------------------------------------ */

TEST(exchange_control_counts_per_day_for_both_sides)
{
	struct net	*w;
	struct api_resp	*r;
	json_t		*it, *days;
	size_t		 i;
	bool		 mine = false;

	NEED_NET(w);
	upload(w->d[0].tokens[0], w->sup.company_id, doc_json(new_uuid(),
	    "К"));
	r = call(&w->d[0].s, "GET", "/api/v1/control?days=7", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_STR(fx_jstr(r, "side"), "distributor");
	EXPECT_INT(json_array_size(json_object_get(r->json, "days")), ==, 7);
	json_array_foreach(json_object_get(r->json, "rows"), i, it) {
		json_t	*lic = json_object_get(it, "licence");

		if (strcmp(fx_sget(lic, "number"), w->d[0].numbers[0]) != 0)
			continue;
		mine = true;
		EXPECT(fx_jint(it, "documents") >= 1);
		EXPECT(json_is_true(json_object_get(it, "in_service")));
		days = json_object_get(it, "per_day");
		EXPECT_INT(json_array_size(days), ==, 7);
		EXPECT(fx_jint(json_array_get(days, 6), "documents") >= 1);
		EXPECT(json_is_string(json_object_get(it, "last_at")));
	}
	EXPECT(mine);

	r = call(&w->sup, "GET", "/api/v1/control?side=supplier", NULL);
	EXPECT_STATUS(r, 200);
	EXPECT_HAS(r->body, w->d[0].code);
	EXPECT_HAS(r->body, w->d[1].code);
	EXPECT_ERR(call(&w->d[0].s, "GET", "/api/v1/control?side=supplier",
	    NULL), 403, "not_supplier");
	EXPECT_ERR(call(&w->sup, "GET", "/api/v1/control", NULL), 403,
	    "not_distributor");
	EXPECT_ERR(call(&w->sup, "GET", "/api/v1/control?days=40", NULL), 400,
	    "days_invalid");
	EXPECT_ERR(api_get("/api/v1/control"), 401, "unauthenticated");
}

/* --- the API's description ------------------------------------------- */

TEST(exchange_openapi_is_served)
{
	struct api_resp	*r = api_get("/api/v1/openapi.yaml");

	EXPECT_STATUS(r, 200);
	EXPECT(strncmp(r->body, "openapi: 3.1", 12) == 0);
	EXPECT_HAS(api_header(r, "Content-Type"), "yaml");
	EXPECT_HAS(r->body, "/device/documents");
	EXPECT_HAS(r->body, "/feed/consumers/{name}");
}
