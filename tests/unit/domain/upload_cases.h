/*
 * upload_cases.h - upload bodies, good and bad, whose answers the
 * upload parser must keep: the whole-body refusals of the JSON reader
 * and the per-document verdicts of the document checks.
 *
 * UP_TIGHT cases run with a depth limit of 4 and lists of at most 3
 * items, so that the limits are reached with short bodies; the others
 * with the service's defaults (32 and 10000).
 */
#ifndef TOBMEN_TEST_UPLOAD_CASES_H
#define TOBMEN_TEST_UPLOAD_CASES_H

#include "domain/document.h"

enum { UP_DEFAULT, UP_TIGHT };

struct up_case {
	enum document_source	 src;
	int			 limits;	/* UP_DEFAULT or UP_TIGHT */
	const char		*body;
};

#define UP_X10	"xxxxxxxxxx"
#define UP_X60	UP_X10 UP_X10 UP_X10 UP_X10 UP_X10 UP_X10
#define UP_X200	UP_X60 UP_X60 UP_X60 UP_X10 UP_X10
#define UP_D130	"1234567890123456789012345678901234567890123456789012345" \
		"6789012345678901234567890123456789012345678901234567890" \
		"12345678901234567890"

#define UP_UUID	"\"uuid\":\"0F8FAD5B-D9CB-469F-A165-70867728950E\""
#define UP_OUT	"\"outlet\":{\"code\":\"T\",\"name\":\"Магазин\"," \
		"\"inn\":\"7707083893\"}"
#define UP_LINE	"{\"product_code\":\"P\",\"name\":\"Чай\",\"qty\":1500," \
		"\"price\":999,\"amount\":1499}"
#define UP_DATE	"\"date\":\"2026-03-01T10:15:00+03:00\""
/* A sale with everything but what a case adds (ahead of the rest). */
#define UP_SALE(x) "{" x UP_UUID ",\"kind\":\"sale\",\"number\":\"Р-1\"," \
		UP_DATE "," UP_OUT ",\"gps\":{\"lat\":55.7558," \
		"\"lon\":37.6173},\"lines\":[" UP_LINE "],\"total\":1499}"
/* A sale without member m, to be given by x. */
#define UP_DOC(x) "{" x "}"
#define UP_BODY(docs) "{\"supplier_id\":1,\"documents\":[" docs "]}"
#define UP_REST	UP_UUID ",\"kind\":\"sale\",\"number\":\"Р-1\"," UP_DATE \
		"," UP_OUT

static const struct up_case up_cases[] = {
	/* The body as a whole. */
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "  \n " },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "[]" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "1" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "\"s\"" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "null" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"documents\":[]}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"documents\":{}}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"documents\":null}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1,\"a\":2}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\n \"a\":1,\n \"a\" : [2]}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":{\"b\":1,\"b\":{}}}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1,\"ab\":2,\"b\":3}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"k1\":1,\"k2\":1,\"k3\":1,"
	    "\"k4\":1,\"k5\":1,\"k6\":1,\"k7\":1,\"k8\":1,\"k9\":1,\"k10\":1,"
	    "\"k11\":1,\"k12\":1,\"k13\":1,\"k14\":1,\"k15\":1,\"k16\":1,"
	    "\"k17\":1,\"k18\":1,\"k19\":1,\"k20\":1,\"k21\":1,\"k22\":1}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"k1\":1,\"k2\":1,\"k3\":1,"
	    "\"k4\":1,\"k5\":1,\"k6\":1,\"k7\":1,\"k8\":1,\"k9\":1,\"k10\":1,"
	    "\"k11\":1,\"k12\":1,\"k13\":1,\"k14\":1,\"k15\":1,\"k16\":1,"
	    "\"k17\":1,\"k18\":1,\"k19\":1,\"k20\":1,\"k3\":1,\"k22\":1}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"k1\":1,\"k2\":1,\"k3\":1,"
	    "\"k4\":1,\"k5\":1,\"k6\":1,\"k7\":1,\"k8\":1,\"k9\":1,\"k10\":1,"
	    "\"k11\":1,\"k12\":1,\"k13\":1,\"k14\":1,\"k15\":1,\"k16\":1,"
	    "\"k17\":1,\"k18\":1,\"k19\":1,\"k20\":1,\"k20\":1}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"x\\u0000y\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\\u0000\":1}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":12345678901234567890}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":-9223372036854775809}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":-9223372036854775808}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1e999}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":-1e999}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1e-999}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":" UP_D130 "}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"\xff\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"\xd0\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{} x" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{}{}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":tru}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":01}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":[1,]}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{'a':1}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":1}/*c*/" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"\\x\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"\\ud800\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, "{\"a\":\"tab\there\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "[[[[[1]]]]]" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":[[[1]]]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":[[[[1]]]]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":x,\"b\":[[[[1]]]]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":1,\"a\":[[[[1]]]]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":\"[[[[[[\",\"b\":1}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":\"\\\"[[[[[[\"}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":[1,2,3,4]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "[[1,2,3,4]]" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "[1,2,3,4]" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"a\":[[1,2,3,4]]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"x\":{\"b\":[1,2,3,4]},"
	    "\"c\":[1,2,3,4,5]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"c\":[1,2,3],\"d\":[[1,2,3,4]],"
	    "\"e\":[1,2,3,4]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"documents\":[{},{},{},{}]}" },
	{ DOCUMENT_FROM_DEVICE, UP_TIGHT, "{\"documents\":[{},[],5]}" },

	/* The documents. */
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(
	    "{\"total\":1499,\"lines\":[{\"amount\":1499,\"price\":999,"
	    "\"qty\":1500,\"name\":\"Чай\",\"product_code\":\"P\"}],\"gps\":"
	    "{\"lon\":37.61730,\"lat\":55.75580},\"outlet\":{\"inn\":"
	    "\"7707083893\",\"name\":\"Магазин\",\"code\":\"T\"},\"date\":"
	    "\"2026-03-01T07:15:00Z\",\"number\":\"Р-1\",\"kind\":\"sale\","
	    "\"uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"comment\":"
	    "null,\"agent\":\"\"}") },
	{ DOCUMENT_FROM_SYSTEM, UP_DEFAULT, UP_BODY(UP_SALE("")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"x\":[1,{}],"
	    "\"agent\":\"Иван \\u0416\\ud83d\\ude00\",\"comment\":\"a\\nb\\t"
	    "\\\"c\\\"\\\\ \\/ \\u007f\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":null,"
	    "\"comment\":\"" UP_X200 UP_X200 UP_X200 UP_X200 UP_X200 UP_X200
	    UP_X200 UP_X200 UP_X200 UP_X200 "\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"comment\":\""
	    UP_X200 UP_X200 UP_X200 UP_X200 UP_X200 UP_X200 UP_X200 UP_X200
	    UP_X200 UP_X200 "x\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"comment\":"
	    "\"\\u0001\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"comment\":"
	    "5,")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":"
	    "\"" UP_X200 "x\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":"
	    "\"" UP_X200 "\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":"
	    "[],")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":"
	    "\"a\\rb\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(
	    "\"uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC("\"uuid\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC("")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY("5,\"x\",[],null,true") },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"stock\",\"number\":7")) },
	{ DOCUMENT_FROM_SYSTEM, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"order\",\"number\":\"N\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"Sale\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":7")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"" UP_X60 "12345\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"" UP_X60 "1234\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"a\\u001fb\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\",\"date\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\",\"date\":\"2026-02-30T10:"
	    "00:00Z\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\",\"date\":\"2026-03-03T10:"
	    "00:00Z\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\",\"date\":\"1999-12-31T23:"
	    "59:59Z\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE)) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":{}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":{"
	    "\"code\":\"T\",\"name\":\"" UP_X200 UP_X60 UP_X60 "\"}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":{"
	    "\"code\":\"T\",\"name\":\"M\",\"inn\":\"123456789\"}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":{"
	    "\"code\":\"T\",\"name\":\"M\",\"inn\":\"12345678901a\"}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"sale\",\"number\":\"N\"," UP_DATE ",\"outlet\":{"
	    "\"code\":\"T\",\"name\":\"M\",\"address\":7}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":\"55,37\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":90.0000001,\"lon\":0}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":\"1\",\"lon\":0}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":1}")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":-1.0000005,\"lon\":180,\"x\":1},\"lines\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":1e1,\"lon\":-180},\"lines\":[]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":null")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[5]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[" UP_LINE ",{\"product_code\":\"P\",\"qty\":1.5}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":1e3}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":\"1\"}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":0}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":1000000000001}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":1,\"price\":-1}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":1,\"price\":1}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"P\",\"qty\":1500,\"price\":999,"
	    "\"amount\":1498}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[{\"product_code\":\"\",\"qty\":1}]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[" UP_LINE "]")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[" UP_LINE "],\"total\":1499.0")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[" UP_LINE "," UP_LINE "],\"total\":2997")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"lines\":[" UP_LINE "," UP_LINE "],\"total\":2998,"
	    "\"comment\":\"ok\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"visit\",\"number\":\"V\"," UP_DATE "," UP_OUT
	    ",\"lines\":[" UP_LINE "],\"total\":0")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"visit\",\"number\":\"V\"," UP_DATE "," UP_OUT
	    ",\"total\":5")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"visit\",\"number\":\"V\"," UP_DATE "," UP_OUT
	    ",\"lines\":[],\"total\":0")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"payment\",\"number\":\"V\"," UP_DATE "," UP_OUT
	    ",\"total\":0")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"payment\",\"number\":\"V\"," UP_DATE "," UP_OUT
	    ",\"total\":150000,\"agent\":\"\"")) },
	{ DOCUMENT_FROM_SYSTEM, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"debt\",\"number\":\"D\"," UP_DATE "," UP_OUT
	    ",\"total\":-150000")) },
	{ DOCUMENT_FROM_SYSTEM, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"stock\",\"number\":\"S\"," UP_DATE ",\"lines\":["
	    "{\"product_code\":\"P\",\"qty\":0,\"price\":5,\"amount\":0}],"
	    "\"total\":0")) },
	{ DOCUMENT_FROM_SYSTEM, UP_DEFAULT, UP_BODY(UP_DOC(UP_UUID
	    ",\"kind\":\"stock\",\"number\":\"S\"," UP_DATE ",\"outlet\":"
	    "null,\"lines\":[{\"product_code\":\"P\",\"qty\":0,\"price\":5,"
	    "\"amount\":0}],\"total\":-1")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("") ","
	    UP_DOC("\"uuid\":\"x\",\"kind\":\"sale\",\"number\":\"N2\"") ","
	    UP_SALE("\"x\":1,") ","
	    UP_DOC("\"kind\":\"" UP_X10 UP_X10 "\",\"number\":\"a\\tb\"") ","
	    UP_DOC("\"kind\":\"order\",\"number\":\"" UP_X60 UP_X10 "\"")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_SALE("\"agent\":"
	    "\"Иван \\u0416\\ud83d\\ude00 \\\"q\\\" \\\\ \\/\","
	    "\"comment\":\"a\\nb\\tc\\r\",")) },
	{ DOCUMENT_FROM_DEVICE, UP_DEFAULT, UP_BODY(UP_DOC(UP_REST
	    ",\"gps\":{\"lat\":-1.0000005,\"lon\":1e1},\"lines\":["
	    UP_LINE "],\"total\":1499,\"agent\":\"\"")) },
};


#endif
