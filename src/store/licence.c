/*
 * licence.c - licences and their service status in and out, portable SQL
 * for both backends.
 *
 * Keeps the search column in step with the columns it is made of; who may
 * see or change which licence is decided in domain/licence*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/licence.h"

/* The columns lic_read reads, the last one being status. */
#define LIC_COLS(status) "SELECT l.id, l.number, l.code, l.owner_id, " \
	"l.holder_id, COALESCE(o.name, ''), COALESCE(h.name, ''), " \
	"l.user_name, l.config_version, l.mdm_id, l.blocked, " \
	"l.created_at, COALESCE(l.activated_at, 0), " \
	"COALESCE(l.last_contact_at, 0), l.updated_at, " status " "
#define LIC_NAMES "LEFT JOIN companies o ON o.id = l.owner_id " \
	"LEFT JOIN companies h ON h.id = l.holder_id "
/* $1 is always the supplier whose status the row carries (0: none). */
#define LIC_SELECT LIC_COLS("CASE WHEN s.licence_id IS NULL THEN 0 " \
	"ELSE 1 END") "FROM licences l LEFT JOIN licence_services s " \
	"ON s.licence_id = l.id AND s.supplier_id = $1 " LIC_NAMES

/* Separates the columns in the search text; a search box cannot type
 * it, so no match spans two columns. */
#define LIC_SEP	'\t'

/* Appends the UTF-8 sequence for code point cp, if it fits. */
static size_t
lic_put(char *out, size_t n, size_t len, unsigned cp)
{
	if (cp < 0x80 && len + 1 < n) {
		out[len++] = (char)cp;
	} else if (cp >= 0x80 && len + 2 < n) {
		out[len++] = (char)(0xc0 | (cp >> 6));
		out[len++] = (char)(0x80 | (cp & 0x3f));
	}
	return len;
}

size_t
store_licence_fold(const char *in, char *out, size_t n)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 len = 0;
	unsigned		 cp;

	while (*p != '\0' && len + 1 < n) {
		if (p[0] >= 'A' && p[0] <= 'Z') {
			out[len++] = (char)(p[0] + 32);
			p++;
			continue;
		}
		if ((p[0] == 0xd0 || p[0] == 0xd1) && p[1] >= 0x80 &&
		    p[1] <= 0xbf) {
			cp = ((unsigned)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
			if (cp >= 0x410 && cp <= 0x42f)
				cp += 0x20;
			if (cp == 0x401 || cp == 0x451)
				cp = 0x435;
			len = lic_put(out, n, len, cp);
			p += 2;
			continue;
		}
		out[len++] = (char)*p++;
	}
	out[len] = '\0';
	return len;
}

/* Builds the search text of l: number, code bare and in groups, user,
 * version and MDM ID, folded, separated by LIC_SEP. */
static void
lic_search(const struct store_licence *l, char *out, size_t n)
{
	char	raw[LICENCE_SEARCH_SIZE];

	snprintf(raw, sizeof(raw), "%s%c%s%c%.4s-%.4s-%.4s-%.4s%c%s%c%s%c%s",
	    l->number, LIC_SEP, l->code, LIC_SEP, l->code, l->code + 4,
	    l->code + 8, l->code + 12, LIC_SEP, l->user_name, LIC_SEP,
	    l->config_version, LIC_SEP, l->mdm_id);
	store_licence_fold(raw, out, n);
}

/* Fills the agent's part of l (user_name, config_version, mdm_id,
 * blocked, created_at, activated_at, last_contact_at) from the seven
 * columns of r from col on, in that order. */
static void
lic_read_agent(const struct store_rows *r, int col, struct store_licence *l)
{
	store_rows_copy(r, col, l->user_name, sizeof(l->user_name));
	store_rows_copy(r, col + 1, l->config_version,
	    sizeof(l->config_version));
	store_rows_copy(r, col + 2, l->mdm_id, sizeof(l->mdm_id));
	l->blocked = store_rows_int(r, col + 3) != 0;
	l->created_at = store_rows_int(r, col + 4);
	l->activated_at = store_rows_int(r, col + 5);
	l->last_contact_at = store_rows_int(r, col + 6);
}

/* Fills l from the current row of r (columns as in LIC_SELECT). */
static void
lic_read(const struct store_rows *r, struct store_licence *l)
{
	/* Every member is set below; zeroing the whole struct (most of it
	 * text buffers) cost more than reading the row. */
	l->nservices = 0;
	l->id = store_rows_int(r, 0);
	store_rows_copy(r, 1, l->number, sizeof(l->number));
	store_rows_copy(r, 2, l->code, sizeof(l->code));
	l->owner_id = store_rows_int(r, 3);
	l->holder_id = store_rows_int(r, 4);
	store_rows_copy(r, 5, l->owner_name, sizeof(l->owner_name));
	store_rows_copy(r, 6, l->holder_name, sizeof(l->holder_name));
	lic_read_agent(r, 7, l);
	l->updated_at = store_rows_int(r, 14);
	l->in_service = store_rows_int(r, 15) != 0;
}

/* Sets the "no such licence" error and returns STORE_NOTFOUND. */
static enum store_rc
lic_notfound(struct err *e)
{
	err_set(e, ERR_NOTFOUND, "licence_not_found", NULL,
	    "There is no such licence here.");
	return STORE_NOTFOUND;
}

/* Runs a query of LIC_SELECT rows, appending up to max rows to *items
 * (which holds *n already and room for max more). */
static enum store_rc
lic_rows(struct store_conn *c, const char *sql, const struct store_param *p,
    int np, struct store_licence *items, size_t max, size_t *n,
    struct err *e)
{
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, sql, p, np, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (*n < max && store_rows_next(r))
		lic_read(r, &items[(*n)++]);
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_licence_insert(struct store_conn *c, const struct store_licence *l,
    int64_t now, int64_t *id, struct err *e)
{
	char			buf[LICENCE_SEARCH_SIZE], *search = buf;
	struct store_param	p[] = {
		SP_T(l->number), SP_T(l->code), SP_I(l->owner_id),
		SP_I(l->holder_id), SP_T(l->user_name),
		SP_T(l->config_version), SP_T(search), SP_I(now),
	};
	enum store_rc		rc;

	lic_search(l, buf, sizeof(buf));
	rc = store_query_int(c, "INSERT INTO licences (number, code, "
	    "owner_id, holder_id, user_name, config_version, search, "
	    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $8) ON CONFLICT DO NOTHING RETURNING id", p, 8, id, e);
	if (rc == STORE_NOTFOUND) {
		rc = STORE_CONFLICT;
		err_set(e, ERR_CONFLICT, "number_taken", "number",
		    "Licence number %s exists already.", l->number);
	}
	return rc;
}

enum store_rc
store_licence_get(struct store_conn *c, int64_t holder_id,
    int64_t supplier_id, const char *number, struct store_licence *out,
    struct err *e)
{
	struct store_param	 p[] = {
		SP_I(supplier_id), SP_T(number), SP_I(holder_id),
	};
	enum store_rc		 rc;
	size_t			 n = 0;

	if (holder_id > 0)
		rc = lic_rows(c, LIC_SELECT "WHERE l.number = $2 "
		    "AND l.holder_id = $3", p, 3, out, 1, &n, e);
	else
		rc = lic_rows(c, LIC_SELECT "WHERE l.number = $2", p, 2, out,
		    1, &n, e);
	if (rc == STORE_OK && n == 0)
		rc = lic_notfound(e);
	return rc;
}

enum store_rc
store_licence_find(struct store_conn *c, int64_t holder_id,
    const char *number, int64_t *id, int64_t *owner_id, bool *blocked,
    struct err *e)
{
	struct store_param	 p[] = { SP_I(holder_id), SP_T(number) };
	struct store_rows	*r;
	enum store_rc		 rc;

	rc = store_query(c, "SELECT id, owner_id, blocked FROM licences "
	    "WHERE holder_id = $1 AND number = $2", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r)) {
		*id = store_rows_int(r, 0);
		*owner_id = store_rows_int(r, 1);
		*blocked = store_rows_int(r, 2) != 0;
	} else if ((rc = store_rows_rc(r, e)) == STORE_OK)
		rc = lic_notfound(e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_licence_lock(struct store_conn *c, int64_t holder_id,
    const char *number, struct err *e)
{
	struct store_param	p[] = { SP_T(number), SP_I(holder_id) };
	enum store_rc		rc;
	int64_t			id;

	/* A write that changes nothing still takes the row lock. */
	if (holder_id > 0)
		rc = store_query_int(c, "UPDATE licences SET updated_at = "
		    "updated_at WHERE number = $1 AND holder_id = $2 "
		    "RETURNING id", p, 2, &id, e);
	else
		rc = store_query_int(c, "UPDATE licences SET updated_at = "
		    "updated_at WHERE number = $1 RETURNING id", p, 1, &id,
		    e);
	if (rc == STORE_NOTFOUND)
		rc = lic_notfound(e);
	return rc;
}

/* Adds supplier id to l's services, which stay in ascending order and
 * keep the LICENCE_SERVICES_MAX lowest ids. */
static void
lic_add_service(struct store_licence *l, int64_t id)
{
	size_t	i = l->nservices;

	if (i == LICENCE_SERVICES_MAX) {
		if (id >= l->services[i - 1])
			return;
		i--;
	} else
		l->nservices++;
	for (; i > 0 && l->services[i - 1] > id; i--)
		l->services[i] = l->services[i - 1];
	l->services[i] = id;
}

/* Adds to each of items[0..n) the suppliers it is «ВКЛ» for, reading
 * the holder's service rows between the page's first and last number.
 * Both lists run in number order, so one pass matches them. */
static enum store_rc
lic_fill_services(struct store_conn *c, int64_t holder_id,
    struct store_licence *items, size_t n, struct err *e)
{
	struct store_param	 p[] = {
		SP_I(holder_id), SP_T(items[0].number),
		SP_T(items[n - 1].number),
	};
	struct store_rows	*r;
	struct store_licence	*l;
	enum store_rc		 rc;
	const char		*num;
	size_t			 i = 0;

	/* Ordered by number only: sorting each licence's few suppliers
	 * here is far cheaper than the sort the database would add. */
	rc = store_query(c, "SELECT l.number, s.supplier_id FROM licences l "
	    "JOIN licence_services s ON s.licence_id = l.id "
	    "WHERE l.holder_id = $1 AND l.number >= $2 AND l.number <= $3 "
	    "ORDER BY l.number", p, 3, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		num = store_rows_text(r, 0);
		while (i < n && strcmp(items[i].number, num) < 0)
			i++;
		if (i == n)
			break;
		l = &items[i];
		/* A licence the search left out of the page is skipped. */
		if (strcmp(l->number, num) == 0)
			lic_add_service(l, store_rows_int(r, 1));
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

/* The columns lic_list_read reads: only what a list shows.  The holder
 * is the one asked for and its name a subquery SQLite and PostgreSQL
 * both run once a statement; the status comes last, with a supplier. */
#define LIC_LIST_COLS "SELECT l.number, l.code, l.owner_id, " \
	"COALESCE(o.name, ''), " \
	"COALESCE((SELECT name FROM companies WHERE id = $2), ''), " \
	"l.user_name, l.config_version, l.mdm_id, l.blocked, " \
	"l.created_at, COALESCE(l.activated_at, 0), " \
	"COALESCE(l.last_contact_at, 0)"
#define LIC_OWNER "LEFT JOIN companies o ON o.id = l.owner_id "

/* The page queries of store_licence_list: $1 supplier, $2 holder, $3
 * after, $4 pattern, $5 state, $6 limit in each.  Without a supplier the
 * status join is left out (the status is "off" and the state "all"), and
 * without a search the filter is left out rather than matched against
 * "%%": SQLite compiles a LIKE whose pattern is a parameter again each
 * time it is bound, which costs more than reading the page. */
#define LIC_PAGE(cols, from, filter, state) cols from \
	"WHERE l.holder_id = $2 AND l.number > $3 " filter state \
	"ORDER BY l.number LIMIT $6"
/* The same with the services joined, a row for each supplier a licence
 * is «ВКЛ» for (one with NULL for none), for a backend whose rows are
 * made as they are read: the reader stops after the page, so no LIMIT,
 * which would count rows, not licences.  One statement costs less than
 * the page and lic_fill_services' second pass over the same licences. */
#define LIC_PAGE_SVC(cols, from, filter, state) cols ", sv.supplier_id" \
	from "LEFT JOIN licence_services sv ON sv.licence_id = l.id " \
	"WHERE l.holder_id = $2 AND l.number > $3 " filter state \
	"AND CAST($6 AS BIGINT) > 0 ORDER BY l.number"
#define LIC_ALL		"AND CAST($4 AS TEXT) = '' "
/* XXX: a search reads every licence of the holder (a substring of a
 * folded column; no index serves it), and on SQLite the statement is
 * compiled again for each new pattern.  Cost: about 6 ms a page at
 * 10,000 licences against 0.3 ms without a search.  See KNOWN_ISSUES. */
#define LIC_SEARCH	"AND l.search LIKE $4 ESCAPE '\\' "
#define LIC_STATE	"AND ($5 = 0 " \
	"OR ($5 = 1 AND s.licence_id IS NOT NULL) " \
	"OR ($5 = 2 AND s.licence_id IS NULL)) "
#define LIC_NO_STATE	"AND CAST($1 AS BIGINT) = 0 AND CAST($5 AS BIGINT) = 0 "
#define LIC_FROM	" FROM licences l " LIC_OWNER
#define LIC_STATUS	LIC_LIST_COLS ", CASE WHEN s.licence_id IS NULL " \
	"THEN 0 ELSE 1 END"
#define LIC_FROM_STATUS	" FROM licences l LEFT JOIN licence_services s " \
	"ON s.licence_id = l.id AND s.supplier_id = $1 " LIC_OWNER

/* The four page queries of form page, [supplier][search]. */
#define LIC_PAGES(page) { \
	{ \
		page(LIC_LIST_COLS, LIC_FROM, LIC_ALL, LIC_NO_STATE), \
		page(LIC_LIST_COLS, LIC_FROM, LIC_SEARCH, LIC_NO_STATE), \
	}, { \
		page(LIC_STATUS, LIC_FROM_STATUS, LIC_ALL, LIC_STATE), \
		page(LIC_STATUS, LIC_FROM_STATUS, LIC_SEARCH, LIC_STATE), \
	}, \
}

/* [services joined][supplier][search] */
static const char *const lic_page_sql[2][2][2] = {
	LIC_PAGES(LIC_PAGE),
	LIC_PAGES(LIC_PAGE_SVC),
};

/* Copies the name in src (NUL-terminated, fits) to dst. */
static void
lic_name_copy(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

/* Fills l from the current row of r (columns as in LIC_LIST_COLS, then
 * the status if status) for holder_id.  prev is the row read before in
 * the same statement, or NULL: a company's name cannot differ between
 * the rows of one statement, so a name prev holds already is copied
 * from it rather than fetched again.  id and updated_at are not read:
 * no list shows them. */
static void
lic_list_read(const struct store_rows *r, struct store_licence *l,
    const struct store_licence *prev, int64_t holder_id, bool status)
{
	l->id = 0;
	l->updated_at = 0;
	l->nservices = 0;
	store_rows_copy(r, 0, l->number, sizeof(l->number));
	store_rows_copy(r, 1, l->code, sizeof(l->code));
	l->owner_id = store_rows_int(r, 2);
	l->holder_id = holder_id;
	if (prev != NULL && prev->owner_id == l->owner_id)
		lic_name_copy(l->owner_name, prev->owner_name);
	else
		store_rows_copy(r, 3, l->owner_name, sizeof(l->owner_name));
	if (prev != NULL)
		lic_name_copy(l->holder_name, prev->holder_name);
	else
		store_rows_copy(r, 4, l->holder_name, sizeof(l->holder_name));
	lic_read_agent(r, 5, l);
	l->in_service = status && store_rows_int(r, 12) != 0;
}

/* Runs page query sql of q, appending up to max licences to items.
 * With svc_col >= 0 the query is a LIC_PAGE_SVC one and that column a
 * supplier of the row's licence (NULL: none); the rows of a licence
 * stand one after the other, and the reading stops at the first row
 * after the page's last licence, so each licence read has them all. */
static enum store_rc
lic_list_rows(struct store_conn *c, const struct store_licence_query *q,
    const char *sql, const struct store_param *p, int svc_col,
    struct store_licence *items, size_t max, size_t *n, struct err *e)
{
	struct store_rows	*r;
	struct store_licence	*l = NULL;
	enum store_rc		 rc;

	rc = store_query(c, sql, p, 6, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		if (l == NULL || svc_col < 0 ||
		    strcmp(l->number, store_rows_text(r, 0)) != 0) {
			if (*n == max)
				break;
			l = &items[*n];
			lic_list_read(r, l, *n > 0 ? l - 1 : NULL,
			    q->holder_id, q->supplier_id > 0);
			(*n)++;
		}
		if (svc_col >= 0 && !store_rows_null(r, svc_col))
			lic_add_service(l, store_rows_int(r, svc_col));
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

/* Writes the LIKE pattern for a substring search of s into pat (size n):
 * the domain folded the text; here only LIKE's own characters are
 * escaped, so a search for "_" or "%" means those characters. */
static void
lic_pattern(const char *s, char *pat, size_t n)
{
	size_t	len = 0;

	pat[len++] = '%';
	for (; *s != '\0' && len + 3 < n; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			pat[len++] = '\\';
		pat[len++] = *s;
	}
	pat[len++] = '%';
	pat[len] = '\0';
}

enum store_rc
store_licence_list(struct store_conn *c, const struct store_licence_query *q,
    struct store_licence **items, size_t *n, struct err *e)
{
	char			 pat[LICENCE_SEARCH_SIZE], *pp = pat;
	struct store_param	 p[] = {
		SP_I(q->supplier_id), SP_I(q->holder_id),
		SP_T(q->after != NULL ? q->after : ""), SP_T(pp),
		SP_I(q->supplier_id > 0 ? q->state : LICENCE_STATE_ALL),
		SP_I(q->limit),
	};
	bool			 search, joined;
	size_t			 max = q->limit > 0 ? (size_t)q->limit : 0;
	enum store_rc		 rc;
	int			 svc_col = -1;

	search = q->search != NULL && q->search[0] != '\0';
	if (search)
		lic_pattern(q->search, pat, sizeof(pat));
	else
		pat[0] = '\0';
	*n = 0;
	/* Not zeroed: lic_list_read sets every member of the rows it
	 * fills. */
	*items = xmalloc((max > 0 ? max : 1) * sizeof(**items));
	/* Without LIMIT the joined form would have PostgreSQL make every
	 * row of the holder: there the services come in a second pass. */
	joined = q->want_services && store_conn_lazy(c);
	if (joined)
		svc_col = q->supplier_id > 0 ? 13 : 12;
	rc = lic_list_rows(c, q, lic_page_sql[joined][q->supplier_id > 0]
	    [search], p, svc_col, *items, max, n, e);
	if (rc == STORE_OK && q->want_services && !joined && *n > 0)
		rc = lic_fill_services(c, q->holder_id, *items, *n, e);
	return rc;
}

enum store_rc
store_licence_count(struct store_conn *c, int64_t holder_id,
    int64_t supplier_id, int64_t *total, int64_t *in_service, struct err *e)
{
	struct store_param	 p[] = { SP_I(holder_id), SP_I(supplier_id) };
	struct store_rows	*r;
	enum store_rc		 rc;

	*total = *in_service = 0;
	rc = store_query(c, "SELECT count(*), count(s.licence_id) "
	    "FROM licences l LEFT JOIN licence_services s "
	    "ON s.licence_id = l.id AND s.supplier_id = $2 "
	    "WHERE l.holder_id = $1", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	if (store_rows_next(r)) {
		*total = store_rows_int(r, 0);
		*in_service = store_rows_int(r, 1);
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_licence_list_company(struct store_conn *c, int64_t company_id,
    const char *after, int limit, struct store_licence **items, size_t *n,
    struct err *e)
{
	struct store_param	p[] = {
		SP_I(0), SP_I(company_id), SP_T(after != NULL ? after : ""),
		SP_I(limit),
	};

	*n = 0;
	*items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(**items));
	return lic_rows(c, LIC_SELECT "WHERE (l.holder_id = $2 "
	    "OR l.owner_id = $2) AND l.number > $3 ORDER BY l.number "
	    "LIMIT $4", p, 4, *items, limit > 0 ? (size_t)limit : 0, n, e);
}

enum store_rc
store_licence_update(struct store_conn *c, const struct store_licence *l,
    int64_t now, struct err *e)
{
	char			buf[LICENCE_SEARCH_SIZE], *search = buf;
	struct store_param	p[] = {
		SP_I(l->id), SP_T(l->user_name), SP_T(l->config_version),
		SP_T(l->mdm_id), SP_I(l->blocked ? 1 : 0), SP_T(search),
		l->activated_at > 0 ? SP_I(l->activated_at) : SP_N,
		l->last_contact_at > 0 ? SP_I(l->last_contact_at) : SP_N,
		SP_I(now),
	};
	enum store_rc		rc;
	int64_t			changes = 0;

	lic_search(l, buf, sizeof(buf));
	rc = store_exec(c, "UPDATE licences SET user_name = $2, "
	    "config_version = $3, mdm_id = $4, blocked = $5, search = $6, "
	    "activated_at = $7, last_contact_at = $8, updated_at = $9 "
	    "WHERE id = $1", p, 9, &changes, e);
	if (rc == STORE_OK && changes == 0)
		rc = lic_notfound(e);
	return rc;
}

enum store_rc
store_licence_touch(struct store_conn *c, int64_t id, int64_t now,
    struct err *e)
{
	struct store_param	p[] = { SP_I(id), SP_I(now) };

	return store_exec(c, "UPDATE licences SET last_contact_at = $2 "
	    "WHERE id = $1", p, 2, NULL, e);
}

enum store_rc
store_licence_service_set(struct store_conn *c, int64_t licence_id,
    int64_t supplier_id, bool on, int64_t by, int64_t now, bool *changed,
    struct err *e)
{
	struct store_param	p[] = {
		SP_I(licence_id), SP_I(supplier_id), SP_I(now),
		by > 0 ? SP_I(by) : SP_N,
	};
	enum store_rc		rc;
	int64_t			n = 0;

	if (on)
		rc = store_exec(c, "INSERT INTO licence_services (licence_id, "
		    "supplier_id, connected_at, connected_by) VALUES ($1, $2, "
		    "$3, $4) ON CONFLICT DO NOTHING", p, 4, &n, e);
	else
		rc = store_exec(c, "DELETE FROM licence_services "
		    "WHERE licence_id = $1 AND supplier_id = $2", p, 2, &n, e);
	*changed = n > 0;
	return rc;
}

enum store_rc
store_licence_service_drop(struct store_conn *c, int64_t supplier_id,
    int64_t holder_id, int64_t *n, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id), SP_I(holder_id) };

	return store_exec(c, "DELETE FROM licence_services "
	    "WHERE supplier_id = $1 AND licence_id IN "
	    "(SELECT id FROM licences WHERE holder_id = $2)", p, 2, n, e);
}

enum store_rc
store_licence_count_in_service(struct store_conn *c, int64_t supplier_id,
    int64_t holder_id, int64_t *n, struct err *e)
{
	struct store_param	p[] = { SP_I(supplier_id), SP_I(holder_id) };

	*n = 0;
	return store_query_int(c, "SELECT count(*) FROM licence_services s "
	    "JOIN licences l ON l.id = s.licence_id "
	    "WHERE s.supplier_id = $1 AND l.holder_id = $2", p, 2, n, e);
}

enum store_rc
store_licence_count_owned(struct store_conn *c, int64_t owner_id,
    int64_t holder_id, int64_t *n, struct err *e)
{
	struct store_param	p[] = { SP_I(owner_id), SP_I(holder_id) };

	*n = 0;
	return store_query_int(c, "SELECT count(*) FROM licences "
	    "WHERE owner_id = $1 AND holder_id = $2", p, 2, n, e);
}

enum store_rc
store_licence_suppliers(struct store_conn *c, int64_t licence_id,
    int64_t holder_id, struct store_licence_supplier **items, size_t *n,
    struct err *e)
{
	struct store_param		 p[] = {
		SP_I(licence_id), SP_I(holder_id),
	};
	struct store_licence_supplier	*s;
	struct store_rows		*r;
	enum store_rc			 rc;
	size_t				 cap = 4;

	*n = 0;
	*items = xcalloc(cap, sizeof(**items));
	rc = store_query(c, "SELECT s.supplier_id, COALESCE(c.name, ''), "
	    "COALESCE(k.code, 0) FROM licence_services s "
	    "LEFT JOIN companies c ON c.id = s.supplier_id "
	    "LEFT JOIN links k ON k.supplier_id = s.supplier_id "
	    "AND k.distributor_id = $2 AND k.status = 'accepted' "
	    "WHERE s.licence_id = $1 ORDER BY s.supplier_id", p, 2, &r, e);
	if (rc != STORE_OK)
		return rc;
	while (store_rows_next(r)) {
		if (*n == cap) {
			cap *= 2;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		s = &(*items)[(*n)++];
		s->id = store_rows_int(r, 0);
		store_rows_copy(r, 1, s->name, sizeof(s->name));
		s->code = store_rows_int(r, 2);
	}
	rc = store_rows_rc(r, e);
	store_rows_free(r);
	return rc;
}

enum store_rc
store_licence_serves(struct store_conn *c, int64_t licence_id,
    int64_t supplier_id, bool *yes, struct err *e)
{
	struct store_param	p[] = { SP_I(licence_id), SP_I(supplier_id) };
	enum store_rc		rc;
	int64_t			one;

	rc = store_query_int(c, "SELECT 1 FROM licence_services WHERE "
	    "licence_id = $1 AND supplier_id = $2", p, 2, &one, e);
	*yes = rc == STORE_OK;
	if (rc == STORE_NOTFOUND) {
		err_clear(e);
		rc = STORE_OK;
	}
	return rc;
}

enum store_rc
store_licence_link(struct store_conn *c, int64_t supplier_id,
    int64_t distributor_id, bool lock, bool *manage, struct err *e)
{
	struct store_param	p[] = {
		SP_I(supplier_id), SP_I(distributor_id),
	};
	enum store_rc		rc;
	int64_t			v = 0;

	/* The no-op write takes the link's row lock: the network's own
	 * changes of the row (store/link.c) wait for this transaction. */
	if (lock)
		rc = store_query_int(c, "UPDATE links SET updated_at = "
		    "updated_at WHERE supplier_id = $1 AND distributor_id = $2 "
		    "AND status = 'accepted' RETURNING manage_licences", p, 2,
		    &v, e);
	else
		rc = store_query_int(c, "SELECT manage_licences FROM links "
		    "WHERE supplier_id = $1 AND distributor_id = $2 "
		    "AND status = 'accepted'", p, 2, &v, e);
	if (rc == STORE_NOTFOUND)
		err_set(e, ERR_NOTFOUND, "link_not_found", NULL,
		    "The two companies are not linked.");
	*manage = v != 0;
	return rc;
}
