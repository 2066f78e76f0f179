/*
 * test_upload_parse.c - the upload path's own reader (an arena tree, no
 * jansson) gives every answer the jansson-based path gave: whole-body
 * refusals with their positions, per-document codes, fields and
 * messages, canonical text and hash.  The expected answers below were
 * taken from the jansson-based path before it was replaced, and the
 * jansson reader, still used by the other routes, is compared live on
 * thousands of mangled bodies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/jval.h"
#include "domain/document.h"
#include "domain/exchange.h"
#include "http/internal.h"
#include "upload_cases.h"

#define NOW		1772400000000LL		/* 2026-03-01T21:20:00Z */
#define AGENT		"Агент по умолчанию"
#define VERDICT_MAX	65536

/* What the jansson-based path answered for up_cases, in order. */
static const char *const up_expected[] = {
	/* 0 */
	    "E invalid_json|The request needs a JSON body.",
	/* 1 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 2).",
	/* 2 */
	    "E invalid_json|The body must be a JSON object.",
	/* 3 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 1).",
	/* 4 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 4).",
	/* 5 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 5).",
	/* 6 */
	    "E documents_invalid",
	/* 7 */
	    "E documents_invalid",
	/* 8 */
	    "E documents_invalid",
	/* 9 */
	    "E documents_invalid",
	/* 10 */
	    "E invalid_json||The body repeats a key in one object (lin"
	    "e 1, column 13).",
	/* 11 */
	    "E invalid_json||The body repeats a key in one object (lin"
	    "e 3, column 9).",
	/* 12 */
	    "E invalid_json||The body repeats a key in one object (lin"
	    "e 1, column 18).",
	/* 13 */
	    "E documents_invalid",
	/* 14 */
	    "E documents_invalid",
	/* 15 */
	    "E invalid_json||The body repeats a key in one object (lin"
	    "e 1, column 159).",
	/* 16 */
	    "E invalid_json||The body repeats a key in one object (lin"
	    "e 1, column 160).",
	/* 17 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 16).",
	/* 18 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 11).",
	/* 19 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 26).",
	/* 20 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 26).",
	/* 21 */
	    "E documents_invalid",
	/* 22 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 11).",
	/* 23 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 12).",
	/* 24 */
	    "E documents_invalid",
	/* 25 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 136).",
	/* 26 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 8).",
	/* 27 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 9).",
	/* 28 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 5).",
	/* 29 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 4).",
	/* 30 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 2).",
	/* 31 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 9).",
	/* 32 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 7).",
	/* 33 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 10).",
	/* 34 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 3).",
	/* 35 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 8).",
	/* 36 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 8).",
	/* 37 */
	    "E documents_invalid",
	/* 38 */
	    "E invalid_json||The body is not valid JSON (line 1, colum"
	    "n 10).",
	/* 39 */
	    "E json_too_deep|The body nests arrays and objects deeper "
	    "than 4 levels.",
	/* 40 */
	    "E documents_invalid",
	/* 41 */
	    "E json_too_deep|The body nests arrays and objects deeper "
	    "than 4 levels.",
	/* 42 */
	    "E json_too_deep|The body nests arrays and objects deeper "
	    "than 4 levels.",
	/* 43 */
	    "E json_too_deep|The body nests arrays and objects deeper "
	    "than 4 levels.",
	/* 44 */
	    "E documents_invalid",
	/* 45 */
	    "E documents_invalid",
	/* 46 */
	    "E list_too_long|a|A list in the body holds more than 3 it"
	    "ems.",
	/* 47 */
	    "E list_too_long||A list in the body holds more than 3 ite"
	    "ms.",
	/* 48 */
	    "E list_too_long||A list in the body holds more than 3 ite"
	    "ms.",
	/* 49 */
	    "E list_too_long||A list in the body holds more than 3 ite"
	    "ms.",
	/* 50 */
	    "E list_too_long|b|A list in the body holds more than 3 it"
	    "ems.",
	/* 51 */
	    "E list_too_long||A list in the body holds more than 3 ite"
	    "ms.",
	/* 52 */
	    "E list_too_long|documents|A list in the body holds more t"
	    "han 3 items.",
	/* 53 */
	    "0 no  uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-12 h"
	    "exadecimal digits).\n1 no  field_invalid||A document must"
	    " be a JSON object.\n2 no  field_invalid||A document must "
	    "be a JSON object.",
	/* 54 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 28570b75a1baf85"
	    "e31611b1bbf585d9ef83a7f7cf9b329b1ac6e75ffdd9e758e sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю",
	/* 55 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 28570b75a1baf85"
	    "e31611b1bbf585d9ef83a7f7cf9b329b1ac6e75ffdd9e758e sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю",
	/* 56 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 28570b75a1baf85"
	    "e31611b1bbf585d9ef83a7f7cf9b329b1ac6e75ffdd9e758e sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю",
	/* 57 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|c"
	    "omment|comment holds a control character.",
	/* 58 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 3da4f74faf930e4"
	    "dc80cc7859c56ef4360a3260bb7c82bf799039918579009da sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю",
	/* 59 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|c"
	    "omment|comment is too long or holds a NUL byte.",
	/* 60 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|c"
	    "omment|comment holds a control character.",
	/* 61 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|c"
	    "omment|comment must be a string.",
	/* 62 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|a"
	    "gent|agent is too long or holds a NUL byte.",
	/* 63 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 9a2d569eec32b0d"
	    "094392f607e2a8ae7d07b9fb3fbed25981f9f8854e1a5f292 sale|Р"
	    "-1|T|1772349300000|1499|1|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* 64 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|a"
	    "gent|agent must be a string.",
	/* 65 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|a"
	    "gent|agent holds a control character.",
	/* 66 */
	    "0 no  uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-12 h"
	    "exadecimal digits).",
	/* 67 */
	    "0 no  uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-12 h"
	    "exadecimal digits).",
	/* 68 */
	    "0 no  uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-12 h"
	    "exadecimal digits).",
	/* 69 */
	    "0 no  field_invalid||A document must be a JSON object.\n1"
	    " no  field_invalid||A document must be a JSON object.\n2 "
	    "no  field_invalid||A document must be a JSON object.\n3 n"
	    "o  field_invalid||A document must be a JSON object.\n4 no"
	    "  field_invalid||A document must be a JSON object.",
	/* 70 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e kind_invalid|ki"
	    "nd|kind is not a kind of document this sender may send.",
	/* 71 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e kind_invalid|ki"
	    "nd|kind is not a kind of document this sender may send.",
	/* 72 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e kind_invalid|ki"
	    "nd|kind is not a kind of document this sender may send.",
	/* 73 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e kind_invalid|ki"
	    "nd|kind is not a kind of document this sender may send.",
	/* 74 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|n"
	    "umber|number must be a string.",
	/* 75 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "number|number is required.",
	/* 76 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|n"
	    "umber|number is too long or holds a NUL byte.",
	/* 77 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "date|date is required as an RFC 3339 date-time.",
	/* 78 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|n"
	    "umber|number holds a control character.",
	/* 79 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "date|date is required as an RFC 3339 date-time.",
	/* 80 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e date_invalid|da"
	    "te|date must be an RFC 3339 date-time with a zone, after "
	    "2000 and not in the future.",
	/* 81 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e date_invalid|da"
	    "te|date must be an RFC 3339 date-time with a zone, after "
	    "2000 and not in the future.",
	/* 82 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e date_invalid|da"
	    "te|date must be an RFC 3339 date-time with a zone, after "
	    "2000 and not in the future.",
	/* 83 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "outlet|outlet is required for this kind.",
	/* 84 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|o"
	    "utlet|outlet must be an object.",
	/* 85 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "outlet.code|outlet.code is required.",
	/* 86 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|o"
	    "utlet.name|outlet.name is too long or holds a NUL byte.",
	/* 87 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|o"
	    "utlet.inn|outlet.inn must be 10 or 12 digits.",
	/* 88 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|o"
	    "utlet.inn|outlet.inn must be 10 or 12 digits.",
	/* 89 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|o"
	    "utlet.address|outlet.address must be a string.",
	/* 90 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|g"
	    "ps|gps must be an object {lat, lon}.",
	/* 91 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|g"
	    "ps.lat|gps.lat is out of range.",
	/* 92 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|g"
	    "ps.lat|gps.lat must be a number of degrees.",
	/* 93 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|g"
	    "ps.lon|gps.lon must be a number of degrees.",
	/* 94 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines|lines must be an array.",
	/* 95 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "lines|lines must hold at least one line for this kind.",
	/* 96 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "lines|lines must hold at least one line for this kind.",
	/* 97 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines[0]|lines[0] must be an object.",
	/* 98 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e not_integer|lin"
	    "es[1].qty|lines[1].qty must be a whole number: money in k"
	    "opecks, quantities in thousandths.",
	/* 99 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e not_integer|lin"
	    "es[0].qty|lines[0].qty must be a whole number: money in k"
	    "opecks, quantities in thousandths.",
	/* 100 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines[0].qty|lines[0].qty must be a number.",
	/* 101 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines[0].qty|lines[0].qty is out of range.",
	/* 102 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines[0].qty|lines[0].qty is out of range.",
	/* 103 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines[0].price|lines[0].price is out of range.",
	/* 104 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "lines[0].amount|lines[0].amount is required.",
	/* 105 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e amount_mismatch"
	    "|lines[0].amount|lines[0].amount must be qty x price / 10"
	    "00 rounded half up to a kopeck.",
	/* 106 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "lines[0].product_code|lines[0].product_code is required.",
	/* 107 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_required|"
	    "total|total is required.",
	/* 108 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e not_integer|tot"
	    "al|total must be a whole number: money in kopecks, quanti"
	    "ties in thousandths.",
	/* 109 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e total_mismatch|"
	    "total|total must equal the sum of the lines' amounts.",
	/* 110 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 4d2dbe4ba55c96d"
	    "a9dea3f12a9ad9a92dd1d84a77b69c0123831f3c5d93f798e sale|Р"
	    "-1|T|1772349300000|2998|2|Агент по умолчани"
	    "ю",
	/* 111 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|l"
	    "ines|lines must be empty for this kind.",
	/* 112 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|t"
	    "otal|total does not suit this kind of document.",
	/* 113 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e a575e6522e1a332"
	    "139ffebb25d4c1161999115f664f0a2bf59dd7350e6e5967d visit|V"
	    "|T|1772349300000|0|0|Агент по умолчанию",
	/* 114 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e field_invalid|t"
	    "otal|total does not suit this kind of document.",
	/* 115 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 303fa4cb82b21cf"
	    "97d30f60e297c69d6bdff52e1f00721c6a5faa6c41d3ab1eb payment"
	    "|V|T|1772349300000|150000|0|Агент по умолчан"
	    "ию",
	/* 116 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 98a88c3aa066378"
	    "3a88dc7c0c609975ac5711cee9b0a82e871800abd88640035 debt|D|"
	    "T|1772349300000|-150000|0|Агент по умолчани"
	    "ю",
	/* 117 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 5bda479e1cee514"
	    "8404b865e5654a73f6ee77755cb7e0dc36a25eed0df68895a stock|S"
	    "||1772349300000|0|1|Агент по умолчанию",
	/* 118 */
	    "0 no 0f8fad5b-d9cb-469f-a165-70867728950e total_mismatch|"
	    "total|total must equal the sum of the lines' amounts.",
	/* 119 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 28570b75a1baf85"
	    "e31611b1bbf585d9ef83a7f7cf9b329b1ac6e75ffdd9e758e sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю\n1 no  uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-"
	    "12 hexadecimal digits).\n2 ok 0f8fad5b-d9cb-469f-a165-708"
	    "67728950e 28570b75a1baf85e31611b1bbf585d9ef83a7f7cf9b329b"
	    "1ac6e75ffdd9e758e sale|Р-1|T|1772349300000|1499|1|Аге"
	    "нт по умолчанию\n3 no  uuid_invalid|uuid|uui"
	    "d must be a UUID (8-4-4-4-12 hexadecimal digits).\n4 no  "
	    "uuid_invalid|uuid|uuid must be a UUID (8-4-4-4-12 hexadec"
	    "imal digits).",
	/* 120 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e c603945f68f53b7"
	    "143ef8a84bfc9ffcce2221f00dc093f085ac921039af06832 sale|Р"
	    "-1|T|1772349300000|1499|1|Иван Ж😀 \"q\" \\ /",
	/* 121 */
	    "0 ok 0f8fad5b-d9cb-469f-a165-70867728950e 71b89799c821855"
	    "38f11a27107e9a01ddec07f18fe6fd1cadd81447b6b2f6f73 sale|Р"
	    "-1|T|1772349300000|1499|1|Агент по умолчани"
	    "ю",
};

/* Appends to out at *len. */
static void
say(char *out, size_t *len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	*len += (size_t)vsnprintf(out + *len, VERDICT_MAX - *len, fmt, ap);
	va_end(ap);
	assert_true(*len < VERDICT_MAX);
}

/* Appends the verdict of one checked document, i in the upload. */
static void
say_doc(char *out, size_t *len, size_t i, int rc, const struct document *d,
    const char *uuid, const struct err *e)
{
	if (rc == 0)
		say(out, len, "%s%zu ok %s %s %s|%s|%s|%lld|%lld|%zu|%s",
		    i ? "\n" : "", i, d->uuid, d->hash, d->kind, d->number,
		    d->outlet_code, (long long)d->date, (long long)d->total,
		    d->nlines, d->agent);
	else
		say(out, len, "%s%zu no %s %s|%s|%s", i ? "\n" : "", i, uuid,
		    e->id, e->field, e->msg);
}

/* The limits a case runs with. */
static void
limits(const struct up_case *c, int *depth, size_t *items)
{
	*depth = c->limits == UP_TIGHT ? 4 : 32;
	*items = c->limits == UP_TIGHT ? 3 : 10000;
}

/* The answers of the jansson-based path to body: http_req_json's
 * checks, then each document through document_parse. */
static void
verdict_jansson(const char *body, size_t n, int depth, size_t items,
    enum document_source src, char *out)
{
	struct document	 d;
	struct err	 e;
	const char	*key = "";
	json_t		*o, *docs;
	char		 uuid[DOCUMENT_UUID_LEN + 1];
	size_t		 len = 0, i;
	int		 rc;

	out[0] = '\0';
	err_clear(&e);
	if (n == 0) {
		say(out, &len, "E invalid_json|The request needs a JSON body.");
		return;
	}
	if (http_json_depth(body, n, depth) > depth) {
		say(out, &len, "E json_too_deep|The body nests arrays and "
		    "objects deeper than %d levels.", depth);
		return;
	}
	if ((o = http_json_read(body, n, &e)) == NULL) {
		say(out, &len, "E %s|%s|%s", e.id, e.field, e.msg);
		return;
	}
	docs = json_object_get(o, "documents");
	if (http_json_long_list(o, items, &key) != NULL)
		say(out, &len, "E list_too_long|%s|A list in the body holds "
		    "more than %zu items.", key, items);
	else if (!json_is_object(o))
		say(out, &len, "E invalid_json|The body must be a JSON "
		    "object.");
	else if (!json_is_array(docs) || json_array_size(docs) == 0)
		say(out, &len, "E documents_invalid");
	else if (json_array_size(docs) > EXCHANGE_BATCH_MAX)
		say(out, &len, "E too_many_documents");
	if (len != 0)
		goto out;
	for (i = 0; i < json_array_size(docs); i++) {
		err_clear(&e);
		rc = document_parse(json_array_get(docs, i), src, AGENT, NOW,
		    &d, &e);
		if (document_uuid_parse(json_string_value(json_object_get(
		    json_array_get(docs, i), "uuid")), uuid) != 0)
			uuid[0] = '\0';
		say_doc(out, &len, i, rc, &d, uuid, &e);
		document_release(&d);
	}
out:
	json_decref(o);
}

/* The answers of the upload path to body: http_json_tree, the job's
 * checks (exchange_job_read), and document_check for what passed. */
static void
verdict_tree(const char *body, size_t n, int depth, size_t items,
    enum document_source src, char *out)
{
	struct device_caller	 dev;
	struct exchange_sender	 s = { .source = src, .distributor_id = 1 };
	struct exchange_upload	 u;
	struct exchange_job	*j;
	struct arena		*a = arena_new();
	const struct jval	*o, *docs, *x;
	struct document		 d;
	struct err		 e;
	size_t			 len = 0, i;
	int			 rc;

	memset(&dev, 0, sizeof(dev));
	snprintf(dev.user_name, sizeof(dev.user_name), "%s", AGENT);
	if (src == DOCUMENT_FROM_DEVICE)
		s.device = &dev;
	out[0] = '\0';
	err_clear(&e);
	if (n == 0) {
		say(out, &len, "E invalid_json|The request needs a JSON body.");
		goto out;
	}
	if ((o = http_json_tree(body, n, depth, items, a, &e)) == NULL) {
		if (strcmp(e.id, "invalid_json") == 0)
			say(out, &len, "E %s|%s|%s", e.id, e.field, e.msg);
		else if (strcmp(e.id, "list_too_long") == 0)
			say(out, &len, "E %s|%s|%s", e.id, e.field, e.msg);
		else
			say(out, &len, "E %s|%s", e.id, e.msg);
		goto out;
	}
	if (o->type != JVAL_OBJECT) {
		say(out, &len, "E invalid_json|The body must be a JSON "
		    "object.");
		goto out;
	}
	docs = jval_get(o, "documents");
	if ((j = exchange_job_read(&s, 1, 0, docs, &u, &e)) == NULL) {
		say(out, &len, "E %s", e.id);
		exchange_upload_release(&u);
		goto out;
	}
	for (i = 0, x = docs->list.first; x != NULL; i++, x = x->next) {
		err_clear(&e);
		rc = document_check(x, src, AGENT, NOW, &d, &e);
		/* The uuid the job kept; its checks ran at the clock's
		 * time, not at NOW, so their verdict is document_check's. */
		say_doc(out, &len, i, rc, &d, u.results[i].uuid, &e);
		assert_int_equal(u.results[i].index, i);
		document_release(&d);
	}
	exchange_job_free(j);
	exchange_upload_release(&u);
out:
	arena_free(a);
}

static void
test_answers_as_before(void **state)
{
	static char	out[VERDICT_MAX];
	size_t		items, i, n = sizeof(up_cases) / sizeof(*up_cases);
	int		depth;

	(void)state;
	assert_int_equal(n, sizeof(up_expected) / sizeof(*up_expected));
	for (i = 0; i < n; i++) {
		limits(&up_cases[i], &depth, &items);
		verdict_tree(up_cases[i].body, strlen(up_cases[i].body), depth,
		    items, up_cases[i].src, out);
		if (strcmp(out, up_expected[i]) != 0)
			fail_msg("case %zu:\n%s\nwanted:\n%s", i, out,
			    up_expected[i]);
	}
}

/* Compares both paths on body. */
static void
same(const char *body, size_t n, int depth, size_t items,
    enum document_source src)
{
	static char	a[VERDICT_MAX], b[VERDICT_MAX];

	verdict_jansson(body, n, depth, items, src, a);
	verdict_tree(body, n, depth, items, src, b);
	if (strcmp(a, b) != 0)
		fail_msg("body %.*s:\n%s\nwanted:\n%s", (int)n, body, b, a);
}

/* Every case with each byte dropped, doubled or replaced by one of the
 * characters that change JSON's structure. */
static void
test_mangled_bodies_as_jansson(void **state)
{
	static const char	swaps[] = "\"{}[],:0.e-\\ ";
	static char		m[8192];
	size_t			items, i, at, n, k;
	int			depth;

	(void)state;
	for (i = 0; i < sizeof(up_cases) / sizeof(*up_cases); i++) {
		limits(&up_cases[i], &depth, &items);
		n = strlen(up_cases[i].body);
		if (n + 1 > sizeof(m))
			continue;
		for (at = 0; at < n; at++) {
			memcpy(m, up_cases[i].body, at);
			memcpy(m + at, up_cases[i].body + at + 1, n - at - 1);
			same(m, n - 1, depth, items, up_cases[i].src);
			memcpy(m, up_cases[i].body, at + 1);
			memcpy(m + at + 1, up_cases[i].body + at, n - at);
			same(m, n + 1, depth, items, up_cases[i].src);
			memcpy(m, up_cases[i].body, n);
			for (k = 0; k < sizeof(swaps) - 1; k++) {
				m[at] = swaps[k];
				same(m, n, depth, items, up_cases[i].src);
			}
		}
	}
}

/* A body built by printf into a malloc'd buffer. */
static char *
build(size_t cap, size_t *n, const char *head, const char *item,
    size_t count, const char *tail)
{
	char	*b = malloc(cap);
	size_t	 len = 0, i;

	assert_non_null(b);
	len += (size_t)snprintf(b + len, cap - len, "%s", head);
	for (i = 0; i < count; i++)
		len += (size_t)snprintf(b + len, cap - len, item,
		    i ? "," : "", i);
	len += (size_t)snprintf(b + len, cap - len, "%s", tail);
	assert_true(len < cap);
	*n = len;
	return b;
}

/* Large objects (the hash set of keys), many lines, many documents. */
static void
test_large_bodies_as_jansson(void **state)
{
	size_t	n;
	char	*b;

	(void)state;
	b = build(1 << 20, &n, "{", "%s\"k%zu\":1", 5000, "}");
	same(b, n, 32, 10000, DOCUMENT_FROM_DEVICE);
	memcpy(b + n - 1, ",\"k4321\":2}", 12);
	same(b, n + 10, 32, 10000, DOCUMENT_FROM_DEVICE);
	assert_non_null(strstr(b + n - 1, "k4321"));
	free(b);

	b = build(1 << 20, &n, "{\"documents\":[{" UP_REST ",\"total\":"
	    "1001000,\"lines\":[", "%s{\"product_code\":\"P%zu\",\"qty\":1000,"
	    "\"price\":1000,\"amount\":1000}", 1001, "]}]}");
	same(b, n, 32, 10000, DOCUMENT_FROM_DEVICE);
	free(b);

	b = build(1 << 20, &n, "{\"documents\":[", "%s{\"n\":%zu}", 501,
	    "]}");
	same(b, n, 32, 10000, DOCUMENT_FROM_DEVICE);
	free(b);

	b = build(1 << 20, &n, "{\"a\":[", "%s%zu", 10001, "]}");
	same(b, n, 32, 10000, DOCUMENT_FROM_DEVICE);
	free(b);
}

/* Text the reader takes but the writer must not copy as sent: overlong
 * forms, surrogates, code points past U+10FFFF; and text it may copy. */
static void
test_odd_utf8_as_jansson(void **state)
{
	static const char *const texts[] = {
		"\xc0\xaf", "\xc1\xbf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf0\x80\x80\xaf", "\xe0\x80\xaf", "\xf0\x9f\x98\x80",
		"\xed\x95\x9c", "\xe0\xa4\x85", "\xc2\xab\xd0\x96\xc2\xbb",
		"\xe2\x84\x96 7", "a\\u00e9b",
	};
	static char	body[4096], out[VERDICT_MAX];
	size_t		i;
	int		n;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		n = snprintf(body, sizeof(body), UP_BODY(UP_SALE("\"agent\":"
		    "\"%s\",\"comment\":\"x%sx\",")), texts[i], texts[i]);
		assert_true(n > 0 && (size_t)n < sizeof(body));
		same(body, (size_t)n, 32, 10000, DOCUMENT_FROM_DEVICE);
		verdict_tree(body, (size_t)n, 32, 10000, DOCUMENT_FROM_DEVICE,
		    out);
		assert_non_null(strstr(out, "0 ok "));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers_as_before),
		cmocka_unit_test(test_mangled_bodies_as_jansson),
		cmocka_unit_test(test_large_bodies_as_jansson),
		cmocka_unit_test(test_odd_utf8_as_jansson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
