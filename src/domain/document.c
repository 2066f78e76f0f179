/*
 * document.c - checking a document and writing its canonical form.
 *
 * One pass over the JSON object: each member is checked and written to
 * the canonical text at once, so a document that passes has its stored
 * form ready; one that fails leaves nothing behind but the error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "domain/document.h"

/* Bounds that keep every sum inside 64 bits (1000 lines at most). */
#define DOC_QTY_MAX	1000000000000LL		/* a billion units */
#define DOC_PRICE_MAX	10000000000000LL	/* 100 billion roubles */
#define DOC_AMOUNT_MAX	1000000000000000LL	/* 10 trillion roubles */
#define DOC_DAY_MS	(24LL * 3600 * 1000)
#define DOC_DATE_MIN	946684800000LL		/* 2000-01-01 */

/* What one member may hold. */
struct doc_text_rule {
	size_t	max;		/* characters */
	bool	required;	/* absent or "" refused */
	bool	multiline;	/* \n, \r and \t allowed */
};

/* Which kinds each source may send, and their shape. */
struct doc_kind {
	const char	*name;
	unsigned	 sources;	/* 1 << enum document_source */
	bool		 lines;		/* lines required (else forbidden) */
	bool		 outlet;	/* outlet required */
};

#define DEV	(1u << DOCUMENT_FROM_DEVICE)
#define SYS	(1u << DOCUMENT_FROM_SYSTEM)

static const struct doc_kind doc_kinds[] = {
	{ "order",	DEV,		true,	true },
	{ "sale",	DEV | SYS,	true,	true },
	{ "return",	DEV | SYS,	true,	true },
	{ "payment",	DEV | SYS,	false,	true },
	{ "visit",	DEV,		false,	true },
	{ "stock",	SYS,		true,	false },
	{ "debt",	SYS,		false,	true },
};

/* The state of one check: the writer, the error, the current path. */
struct doc_ctx {
	struct jsonw	 w;
	struct err	*e;
	char		 path[64];	/* "", "outlet.", "lines[3]." */
};

/* Fills e for member key of the current path ("" names the path
 * itself); fmt has one %s, the member's path.  Returns -1. */
static int
doc_fail(struct doc_ctx *x, const char *key, const char *code,
    const char *fmt)
{
	char	field[128];
	size_t	n;

	snprintf(field, sizeof(field), "%s%s", x->path, key);
	n = strlen(field);
	if (n > 0 && field[n - 1] == '.')
		field[n - 1] = '\0';
	err_set(x->e, ERR_INVALID, code, field, fmt, field);
	return -1;
}

/* Copies s into out[size] as snprintf's "%s" would, cutting what does
 * not fit; without the format's cost, paid several times a document. */
static void
doc_copy(char *out, size_t size, const char *s)
{
	size_t	n = strnlen(s, size - 1);

	memcpy(out, s, n);
	out[n] = '\0';
}

/* Sets the path to "lines[i]."; i has at most 20 digits. */
static void
doc_path_line(struct doc_ctx *x, size_t i)
{
	char	digits[24], *p = digits + sizeof(digits);
	size_t	n;

	do {
		*--p = (char)('0' + i % 10);
		i /= 10;
	} while (i > 0);
	n = (size_t)(digits + sizeof(digits) - p);
	memcpy(x->path, "lines[", 6);
	memcpy(x->path + 6, p, n);
	memcpy(x->path + 6 + n, "].", 3);
}

int
document_uuid_parse(const char *s, char out[DOCUMENT_UUID_LEN + 1])
{
	size_t	i;
	char	c;

	if (s == NULL || strlen(s) != DOCUMENT_UUID_LEN)
		return -1;
	for (i = 0; i < DOCUMENT_UUID_LEN; i++) {
		c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -1;
		} else if (c >= 'A' && c <= 'F') {
			c = (char)(c - 'A' + 'a');
		} else if (!((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f'))) {
			return -1;
		}
		out[i] = c;
	}
	out[DOCUMENT_UUID_LEN] = '\0';
	return 0;
}

/* Reads n decimal digits at s into *v; -1 if any is not a digit. */
static int
doc_digits(const char *s, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Reads the zone at s ("Z", "+03:00") into seconds east of UTC. */
static int
doc_zone(const char *s, int *off)
{
	int	hh, mm;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
	    doc_digits(s + 1, 2, &hh) != 0 || doc_digits(s + 4, 2, &mm) != 0 ||
	    hh > 23 || mm > 59)
		return -1;
	*off = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int
document_time_parse(const char *s, int64_t *ms)
{
	struct tm	tm;
	int		v[6], off, frac = 0, digits = 0;
	const char	*p;
	time_t		t;

	if (s == NULL || strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':' || doc_digits(s, 4, &v[0]) != 0 ||
	    doc_digits(s + 5, 2, &v[1]) != 0 ||
	    doc_digits(s + 8, 2, &v[2]) != 0 ||
	    doc_digits(s + 11, 2, &v[3]) != 0 ||
	    doc_digits(s + 14, 2, &v[4]) != 0 ||
	    doc_digits(s + 17, 2, &v[5]) != 0)
		return -1;
	p = s + 19;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 3)
				frac = frac * 10 + (*p - '0');
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (doc_zone(p, &off) != 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5] == 60 ? 59 : v[5];
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse such dates. */
	if (tm.tm_mday != v[2] || tm.tm_mon != v[1] - 1)
		return -1;
	*ms = ((int64_t)t - off) * 1000 + frac;
	return 0;
}

int64_t
document_line_amount(int64_t qty, int64_t price)
{
	__int128	p;

	if (qty < 0 || price < 0)
		return -1;
	p = (__int128)qty * price + 500;
	p /= 1000;
	if (p > INT64_MAX)
		return -1;
	return (int64_t)p;
}

/*
 * Whether c may start a UTF-8 sequence that jsonw writes as U+FFFD while
 * the reader let it through (overlong forms, surrogates, past U+10FFFF):
 * C0, C1, E0, ED, F0 and up.  Text sent without escapes and free of
 * these, of controls and of NUL is what jsonw would write, so it is
 * copied as sent.
 */
static bool
doc_lead_odd(unsigned char c)
{
	return c < 0xc2 || c == 0xe0 || c == 0xed || c >= 0xf0;
}

/* Checks member key of o as text under rule and writes it (as "" when
 * absent) under the same key.  *out (may be NULL) gets the string. */
static int
doc_text(struct doc_ctx *x, const struct jval *o, const char *key,
    const struct doc_text_rule *rule, const char **out)
{
	const struct jval	*v = jval_get(o, key);
	const char		*s = "";
	size_t			 i, len = 0, chars = 0;
	bool			 nul = false, control = false, odd = false;

	if (v != NULL && v->type != JVAL_NULL) {
		if (v->type != JVAL_STRING)
			return doc_fail(x, key, "field_invalid",
			    "%s must be a string.");
		s = v->str.s;
		len = v->str.len;
	}
	if (len == 0 && rule->required)
		return doc_fail(x, key, "field_required",
		    "%s is required.");
	/* One pass: characters (not continuation bytes), NUL, controls,
	 * and lead bytes of what the writer might not take as it is. */
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		chars += (c & 0xc0) != 0x80;
		if (c >= 0xc0 && doc_lead_odd(c))
			odd = true;
		if (c >= 0x20 && c != 0x7f)
			continue;
		if (c == '\0')
			nul = true;
		else if (!(rule->multiline &&
		    (c == '\n' || c == '\r' || c == '\t')))
			control = true;
	}
	if (nul || chars > rule->max)
		return doc_fail(x, key, "field_invalid",
		    "%s is too long or holds a NUL byte.");
	if (control)
		return doc_fail(x, key, "field_invalid",
		    "%s holds a control character.");
	jsonw_key(&x->w, key);
	if (v != NULL && v->type == JVAL_STRING && v->str.sent != NULL &&
	    !odd)
		jsonw_raw(&x->w, v->str.sent, len + 2);
	else
		jsonw_stringn(&x->w, s, len);
	if (out != NULL)
		*out = s;
	return 0;
}

/* Reads member key of o as an integer in [min, max] into *out.  A real
 * number (with a fraction or an exponent) is "not_integer". */
static int
doc_int(struct doc_ctx *x, const struct jval *o, const char *key,
    int64_t min, int64_t max, int64_t *out)
{
	const struct jval	*v = jval_get(o, key);

	if (v == NULL || v->type == JVAL_NULL)
		return doc_fail(x, key, "field_required",
		    "%s is required.");
	if (v->type == JVAL_REAL)
		return doc_fail(x, key, "not_integer", "%s must be a whole "
		    "number: money in kopecks, quantities in thousandths.");
	if (v->type != JVAL_INT)
		return doc_fail(x, key, "field_invalid",
		    "%s must be a number.");
	*out = v->i;
	if (*out < min || *out > max)
		return doc_fail(x, key, "field_invalid",
		    "%s is out of range.");
	return 0;
}

/* Checks the kind for src and returns its rule, or NULL after failing. */
static const struct doc_kind *
doc_kind(struct doc_ctx *x, const struct jval *o, enum document_source src,
    struct document *d)
{
	const char	*k = jval_string(jval_get(o, "kind"));
	size_t		 i;

	for (i = 0; k != NULL && i < sizeof(doc_kinds) / sizeof(*doc_kinds);
	    i++) {
		if (strcmp(k, doc_kinds[i].name) != 0)
			continue;
		if ((doc_kinds[i].sources & (1u << src)) == 0)
			break;
		doc_copy(d->kind, sizeof(d->kind), k);
		jsonw_kstring(&x->w, "kind", k);
		return &doc_kinds[i];
	}
	doc_fail(x, "kind", "kind_invalid", "%s is not a kind of document "
	    "this sender may send.");
	return NULL;
}

/* Checks and writes the date; at most a day ahead of now. */
static int
doc_date(struct doc_ctx *x, const struct jval *o, int64_t now,
    struct document *d)
{
	const char	*s = jval_string(jval_get(o, "date"));

	if (s == NULL)
		return doc_fail(x, "date", "field_required", "%s is required "
		    "as an RFC 3339 date-time.");
	if (document_time_parse(s, &d->date) != 0 || d->date < DOC_DATE_MIN ||
	    d->date > now + DOC_DAY_MS)
		return doc_fail(x, "date", "date_invalid", "%s must be an RFC "
		    "3339 date-time with a zone, after 2000 and not in the "
		    "future.");
	jsonw_ktime(&x->w, "date", d->date);
	return 0;
}

/* Checks and writes the outlet ({code, name, inn, address}) or null. */
static int
doc_outlet(struct doc_ctx *x, const struct jval *o, bool required,
    struct document *d)
{
	static const struct doc_text_rule code = { 64, true, false };
	static const struct doc_text_rule name = { 300, true, false };
	static const struct doc_text_rule inn = { 12, false, false };
	static const struct doc_text_rule addr = { 500, false, false };
	const struct jval	*v = jval_get(o, "outlet");
	const char		*s;
	size_t			 i, n;

	jsonw_key(&x->w, "outlet");
	if (v == NULL || v->type == JVAL_NULL) {
		if (required)
			return doc_fail(x, "outlet", "field_required",
			    "%s is required for this kind.");
		jsonw_null(&x->w);
		return 0;
	}
	if (v->type != JVAL_OBJECT)
		return doc_fail(x, "outlet", "field_invalid",
		    "%s must be an object.");

	memcpy(x->path, "outlet.", sizeof("outlet."));
	jsonw_object_begin(&x->w);
	if (doc_text(x, v, "code", &code, &s) != 0)
		return -1;
	doc_copy(d->outlet_code, sizeof(d->outlet_code), s);
	if (doc_text(x, v, "name", &name, NULL) != 0 ||
	    doc_text(x, v, "inn", &inn, &s) != 0 ||
	    doc_text(x, v, "address", &addr, NULL) != 0)
		return -1;
	n = strlen(s);
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i != n || (n != 0 && n != 10 && n != 12))
		return doc_fail(x, "inn", "field_invalid",
		    "%s must be 10 or 12 digits.");
	jsonw_object_end(&x->w);
	x->path[0] = '\0';
	return 0;
}

/* Reads one coordinate in degrees into millionths. */
static int
doc_coord(struct doc_ctx *x, const struct jval *g, const char *key,
    double lim, int64_t *out)
{
	const struct jval	*v = jval_get(g, key);
	double			 d;

	if (!jval_is(v, JVAL_INT) && !jval_is(v, JVAL_REAL))
		return doc_fail(x, key, "field_invalid",
		    "%s must be a number of degrees.");
	d = v->type == JVAL_INT ? (double)v->i : v->d;
	if (!isfinite(d) || d < -lim || d > lim)
		return doc_fail(x, key, "field_invalid",
		    "%s is out of range.");
	*out = llround(d * 1e6);
	return 0;
}

/* Checks and writes the GPS point or null. */
static int
doc_gps(struct doc_ctx *x, const struct jval *o)
{
	const struct jval	*g = jval_get(o, "gps");
	int64_t			 lat, lon;

	jsonw_key(&x->w, "gps");
	if (g == NULL || g->type == JVAL_NULL) {
		jsonw_null(&x->w);
		return 0;
	}
	if (g->type != JVAL_OBJECT)
		return doc_fail(x, "gps", "field_invalid",
		    "%s must be an object {lat, lon}.");
	memcpy(x->path, "gps.", sizeof("gps."));
	if (doc_coord(x, g, "lat", 90, &lat) != 0 ||
	    doc_coord(x, g, "lon", 180, &lon) != 0)
		return -1;
	x->path[0] = '\0';
	jsonw_object_begin(&x->w);
	jsonw_key(&x->w, "lat");
	jsonw_decimal(&x->w, lat, 6);
	jsonw_key(&x->w, "lon");
	jsonw_decimal(&x->w, lon, 6);
	jsonw_object_end(&x->w);
	return 0;
}

/* Checks and writes line i; adds its amount to *sum. */
static int
doc_line(struct doc_ctx *x, const struct jval *l, size_t i, bool stock,
    int64_t *sum)
{
	static const struct doc_text_rule code = { 64, true, false };
	static const struct doc_text_rule name = { 300, false, false };
	int64_t	qty, price, amount;

	doc_path_line(x, i);
	if (l->type != JVAL_OBJECT)
		return doc_fail(x, "", "field_invalid",
		    "%s must be an object.");
	jsonw_object_begin(&x->w);
	if (doc_text(x, l, "product_code", &code, NULL) != 0 ||
	    doc_text(x, l, "name", &name, NULL) != 0 ||
	    doc_int(x, l, "qty", stock ? 0 : 1, DOC_QTY_MAX, &qty) != 0 ||
	    doc_int(x, l, "price", 0, DOC_PRICE_MAX, &price) != 0 ||
	    doc_int(x, l, "amount", 0, DOC_AMOUNT_MAX, &amount) != 0)
		return -1;
	if (document_line_amount(qty, price) != amount)
		return doc_fail(x, "amount", "amount_mismatch", "%s must be "
		    "qty x price / 1000 rounded half up to a kopeck.");
	jsonw_kint(&x->w, "qty", qty);
	jsonw_kint(&x->w, "price", price);
	jsonw_kint(&x->w, "amount", amount);
	jsonw_object_end(&x->w);
	*sum += amount;
	return 0;
}

/* Checks and writes the lines; *sum gets the sum of their amounts. */
static int
doc_lines(struct doc_ctx *x, const struct jval *o, const struct doc_kind *k,
    struct document *d, int64_t *sum)
{
	const struct jval	*ls = jval_get(o, "lines"), *l;
	size_t			 i, n;

	*sum = 0;
	if (ls != NULL && ls->type != JVAL_NULL && ls->type != JVAL_ARRAY)
		return doc_fail(x, "lines", "field_invalid",
		    "%s must be an array.");
	n = jval_is(ls, JVAL_ARRAY) ? ls->list.n : 0;
	if (k->lines && n == 0)
		return doc_fail(x, "lines", "field_required", "%s must hold "
		    "at least one line for this kind.");
	if (!k->lines && n != 0)
		return doc_fail(x, "lines", "field_invalid",
		    "%s must be empty for this kind.");
	if (n > DOCUMENT_LINES_MAX)
		return doc_fail(x, "lines", "too_many_lines",
		    "%s holds more lines than allowed.");

	jsonw_key(&x->w, "lines");
	jsonw_array_begin(&x->w);
	for (i = 0, l = n > 0 ? ls->list.first : NULL; l != NULL;
	    i++, l = l->next)
		if (doc_line(x, l, i, strcmp(k->name, "stock") == 0,
		    sum) != 0)
			return -1;
	jsonw_array_end(&x->w);
	x->path[0] = '\0';
	d->nlines = n;
	return 0;
}

/* Checks the total against the lines and the kind, and writes it. */
static int
doc_total(struct doc_ctx *x, const struct jval *o, const struct doc_kind *k,
    int64_t sum, struct document *d)
{
	if (doc_int(x, o, "total", -DOC_AMOUNT_MAX, DOC_AMOUNT_MAX,
	    &d->total) != 0)
		return -1;
	if (k->lines && d->total != sum)
		return doc_fail(x, "total", "total_mismatch",
		    "%s must equal the sum of the lines' amounts.");
	if ((strcmp(k->name, "visit") == 0 && d->total != 0) ||
	    (strcmp(k->name, "payment") == 0 && d->total <= 0) ||
	    (k->lines && d->total < 0))
		return doc_fail(x, "total", "field_invalid",
		    "%s does not suit this kind of document.");
	jsonw_kint(&x->w, "total", d->total);
	return 0;
}

/* True if the agent member is absent, null or "". */
static bool
doc_agent_missing(const struct jval *v)
{
	return v == NULL || v->type == JVAL_NULL ||
	    (v->type == JVAL_STRING && v->str.len == 0);
}

/* The members in canonical order. */
static int
doc_members(struct doc_ctx *x, const struct jval *o,
    enum document_source src,
    const char *default_agent, int64_t now, struct document *d)
{
	static const struct doc_text_rule number = { 64, true, false };
	static const struct doc_text_rule agent = { 200, false, false };
	static const struct doc_text_rule comment = { 2000, false, true };
	const struct doc_kind	*k;
	const char		*s;
	int64_t			 sum;

	jsonw_object_begin(&x->w);
	if (document_uuid_parse(jval_string(jval_get(o, "uuid")), d->uuid) != 0)
		return doc_fail(x, "uuid", "uuid_invalid", "%s must be a UUID "
		    "(8-4-4-4-12 hexadecimal digits).");
	jsonw_kstring(&x->w, "uuid", d->uuid);
	if ((k = doc_kind(x, o, src, d)) == NULL ||
	    doc_text(x, o, "number", &number, &s) != 0)
		return -1;
	doc_copy(d->number, sizeof(d->number), s);
	if (doc_date(x, o, now, d) != 0 ||
	    doc_outlet(x, o, k->outlet, d) != 0)
		return -1;
	if (doc_agent_missing(jval_get(o, "agent")) &&
	    default_agent != NULL && default_agent[0] != '\0') {
		doc_copy(d->agent, sizeof(d->agent), default_agent);
		jsonw_kstring(&x->w, "agent", d->agent);
	} else if (doc_text(x, o, "agent", &agent, &s) != 0) {
		return -1;
	} else {
		doc_copy(d->agent, sizeof(d->agent), s);
	}
	if (doc_gps(x, o) != 0 || doc_lines(x, o, k, d, &sum) != 0 ||
	    doc_total(x, o, k, sum, d) != 0 ||
	    doc_text(x, o, "comment", &comment, NULL) != 0)
		return -1;
	jsonw_object_end(&x->w);
	return 0;
}

int
document_check(const struct jval *o, enum document_source src,
    const char *default_agent, int64_t now, struct document *out,
    struct err *e)
{
	struct doc_ctx	x;
	struct buf	b;
	unsigned char	h[32];

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.e = e;
	if (!jval_is(o, JVAL_OBJECT)) {
		err_set(e, ERR_INVALID, "field_invalid", NULL,
		    "A document must be a JSON object.");
		return -1;
	}

	buf_init(&b, DOCUMENT_CANON_MAX);
	jsonw_init(&x.w, &b);
	if (doc_members(&x, o, src, default_agent, now, out) != 0)
		goto fail;
	if (jsonw_failed(&x.w)) {
		err_set(e, ERR_INVALID, "field_invalid", NULL,
		    "The document is too large.");
		goto fail;
	}
	out->canon = buf_detach(&b, &out->canon_len);
	crypto_generichash(h, sizeof(h), (const unsigned char *)out->canon,
	    out->canon_len, NULL, 0);
	sodium_bin2hex(out->hash, sizeof(out->hash), h, sizeof(h));
	return 0;

fail:
	buf_release(&b);
	return -1;
}

int
document_parse(json_t *o, enum document_source src,
    const char *default_agent, int64_t now, struct document *out,
    struct err *e)
{
	struct arena	*a = arena_new();
	int		 rc;

	rc = document_check(jval_from_json(o, a), src, default_agent, now,
	    out, e);
	arena_free(a);
	return rc;
}

void
document_release(struct document *d)
{
	free(d->canon);
	d->canon = NULL;
	d->canon_len = 0;
}
