/*
 * test_document.c - the document checks: the rounding rule, RFC 3339
 * dates, uuids, integer money, per-kind shapes, and a canonical form that
 * is the same for the same document however it was written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "domain/document.h"

#define NOW	1772400000000LL		/* 2026-03-01T21:20:00Z */

static const char good[] = "{\"uuid\":\"0F8FAD5B-D9CB-469F-A165-"
    "70867728950E\",\"kind\":\"sale\",\"number\":\"Р-1\",\"date\":"
    "\"2026-03-01T10:15:00+03:00\",\"outlet\":{\"code\":\"T\",\"name\":"
    "\"Магазин\",\"inn\":\"7707083893\"},\"gps\":{\"lat\":55.7558,"
    "\"lon\":37.6173},\"lines\":[{\"product_code\":\"P\",\"name\":\"Чай\","
    "\"qty\":1500,\"price\":999,\"amount\":1499}],\"total\":1499}";

/* Parses text as a document from src; returns 0 or -1 with e. */
static int
parse(const char *text, enum document_source src, struct document *d,
    struct err *e)
{
	json_t	*o = json_loads(text, 0, NULL);
	int	 rc;

	assert_non_null(o);
	err_clear(e);
	rc = document_parse(o, src, "Агент по умолчанию", NOW, d, e);
	json_decref(o);
	return rc;
}

/* The error code of text as a phone's document. */
static const char *
code_of(const char *text)
{
	static struct err	e;
	struct document		d;
	int			rc = parse(text, DOCUMENT_FROM_DEVICE, &d, &e);

	document_release(&d);
	return rc == 0 ? "ok" : e.id;
}

static void
test_rounding_half_up(void **state)
{
	(void)state;
	assert_int_equal(document_line_amount(1500, 999), 1499);
	assert_int_equal(document_line_amount(1, 499), 0);
	assert_int_equal(document_line_amount(1, 500), 1);
	assert_int_equal(document_line_amount(2000, 9999), 19998);
	assert_int_equal(document_line_amount(1000000000000LL,
	    10000000000000LL), -1);
	assert_int_equal(document_line_amount(-1, 5), -1);
}

static void
test_dates(void **state)
{
	int64_t	ms;

	(void)state;
	assert_int_equal(document_time_parse("2026-03-01T10:15:00+03:00",
	    &ms), 0);
	assert_int_equal(ms, 1772349300000LL);
	assert_int_equal(document_time_parse("2026-03-01T07:15:00.5Z", &ms),
	    0);
	assert_int_equal(ms, 1772349300500LL);
	assert_int_equal(document_time_parse("2026-02-29T10:00:00Z", &ms),
	    -1);
	assert_int_equal(document_time_parse("2026-03-01T10:15:00", &ms), -1);
	assert_int_equal(document_time_parse("2026-03-01", &ms), -1);
	assert_int_equal(document_time_parse("2026-03-01T25:00:00Z", &ms),
	    -1);
}

static void
test_uuid(void **state)
{
	char	u[DOCUMENT_UUID_LEN + 1];

	(void)state;
	assert_int_equal(document_uuid_parse("0F8FAD5B-D9CB-469F-A165-"
	    "70867728950E", u), 0);
	assert_string_equal(u, "0f8fad5b-d9cb-469f-a165-70867728950e");
	assert_int_equal(document_uuid_parse("0f8fad5b-d9cb-469f-a165-"
	    "70867728950", u), -1);
	assert_int_equal(document_uuid_parse("0f8fad5bxd9cb-469f-a165-"
	    "70867728950e", u), -1);
	assert_int_equal(document_uuid_parse(NULL, u), -1);
}

static void
test_canonical_and_hash(void **state)
{
	static const char same[] = "{\"total\":1499,\"lines\":[{\"amount\":"
	    "1499,\"price\":999,\"qty\":1500,\"name\":\"Чай\",\"product_code\":"
	    "\"P\"}],\"gps\":{\"lon\":37.61730,\"lat\":55.75580},\"outlet\":"
	    "{\"inn\":\"7707083893\",\"name\":\"Магазин\",\"code\":\"T\"},"
	    "\"date\":\"2026-03-01T07:15:00Z\",\"number\":\"Р-1\",\"kind\":"
	    "\"sale\",\"uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
	    "\"comment\":null,\"agent\":\"\"}";
	struct document	a, b;
	struct err	e;

	(void)state;
	assert_int_equal(parse(good, DOCUMENT_FROM_DEVICE, &a, &e), 0);
	assert_int_equal(parse(same, DOCUMENT_FROM_DEVICE, &b, &e), 0);
	assert_string_equal(a.canon, b.canon);
	assert_string_equal(a.hash, b.hash);
	assert_string_equal(a.uuid, "0f8fad5b-d9cb-469f-a165-70867728950e");
	assert_int_equal(a.total, 1499);
	assert_int_equal(a.date, 1772349300000LL);
	assert_string_equal(a.agent, "Агент по умолчанию");
	assert_non_null(strstr(a.canon,
	    "\"date\":\"2026-03-01T07:15:00.000Z\""));
	assert_non_null(strstr(a.canon, "\"lat\":55.755800"));
	assert_non_null(strstr(a.canon, "\"comment\":\"\""));
	assert_int_equal(strlen(a.hash), DOCUMENT_HASH_LEN);
	document_release(&a);
	document_release(&b);
}

/* good with one substring replaced. */
static const char *
variant(const char *from, const char *to)
{
	static char	buf[2048];
	const char	*p = strstr(good, from);

	assert_non_null(p);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - good), good, to,
	    p + strlen(from));
	return buf;
}

static void
test_refusals(void **state)
{
	(void)state;
	assert_string_equal(code_of(good), "ok");
	assert_string_equal(code_of(variant("\"amount\":1499", "\"amount\":"
	    "1498")), "amount_mismatch");
	assert_string_equal(code_of(variant("\"total\":1499", "\"total\":"
	    "1500")), "total_mismatch");
	assert_string_equal(code_of(variant("\"price\":999", "\"price\":"
	    "999.0")), "not_integer");
	assert_string_equal(code_of(variant("\"kind\":\"sale\"", "\"kind\":"
	    "\"stock\"")), "kind_invalid");
	assert_string_equal(code_of(variant("\"uuid\":\"0F", "\"uuid\":\"0G")),
	    "uuid_invalid");
	assert_string_equal(code_of(variant("+03:00", "")), "date_invalid");
	assert_string_equal(code_of(variant("\"inn\":\"7707083893\"",
	    "\"inn\":\"77070\"")), "field_invalid");
	assert_string_equal(code_of(variant("\"lat\":55.7558", "\"lat\":"
	    "-95")), "field_invalid");
	assert_string_equal(code_of(variant("\"outlet\":{\"code\":\"T\",",
	    "\"outlet\":{")), "field_required");
	assert_string_equal(code_of("[1]"), "field_invalid");
}

static void
test_kinds_per_source(void **state)
{
	static const char stock[] = "{\"uuid\":\"0f8fad5b-d9cb-469f-a165-"
	    "70867728950e\",\"kind\":\"stock\",\"number\":\"О\",\"date\":"
	    "\"2026-03-01T00:00:00Z\",\"lines\":[{\"product_code\":\"P\","
	    "\"qty\":0,\"price\":10,\"amount\":0}],\"total\":0}";
	static const char visit[] = "{\"uuid\":\"0f8fad5b-d9cb-469f-a165-"
	    "70867728950e\",\"kind\":\"visit\",\"number\":\"В\",\"date\":"
	    "\"2026-03-01T00:00:00Z\",\"outlet\":{\"code\":\"T\",\"name\":"
	    "\"Т\"},\"total\":0}";
	struct document	d;
	struct err	e;

	(void)state;
	assert_int_equal(parse(stock, DOCUMENT_FROM_SYSTEM, &d, &e), 0);
	document_release(&d);
	assert_int_equal(parse(stock, DOCUMENT_FROM_DEVICE, &d, &e), -1);
	assert_string_equal(e.id, "kind_invalid");
	document_release(&d);
	assert_int_equal(parse(visit, DOCUMENT_FROM_DEVICE, &d, &e), 0);
	assert_int_equal(d.nlines, 0);
	document_release(&d);
	assert_int_equal(parse(visit, DOCUMENT_FROM_SYSTEM, &d, &e), -1);
	assert_string_equal(e.field, "kind");
	document_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding_half_up),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_canonical_and_hash),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_kinds_per_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
