/*
 * network_import.c - inviting many distributors at once from a CSV file.
 *
 * Reads "name;e-mail;code" rows the way spreadsheets write them: UTF-8
 * with or without a byte order mark, ';' or ',' between fields (whichever
 * the first line uses), fields optionally in double quotes with "" for a
 * quote, CRLF or LF line ends, an optional first line of column titles.
 * Each row is then one network_invite, so a bad row refuses itself only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "domain/network.h"
#include "domain/network_int.h"

#define CSV_FIELDS	3
/* A field longer than this cannot be a valid name, address or code. */
#define CSV_FIELD_MAX	LINK_NAME_SIZE

/* The reader's position in the file. */
struct csv {
	const char	*p;
	const char	*end;
	char		 sep;
	int		 line;		/* of p, 1-based */
};

/* One record: up to CSV_FIELDS kept fields and how many there were. */
struct csv_rec {
	struct buf	 f[CSV_FIELDS];
	int		 nfields;
	bool		 extra;		/* a non-empty field past the third */
	bool		 too_long;
	int		 line;
};

/* Picks ';' or ',' from the first line (outside quotes). */
static char
csv_separator(const char *p, const char *end)
{
	bool	quoted = false;
	int	semi = 0, comma = 0;

	for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ';')
			semi++;
		else if (!quoted && *p == ',')
			comma++;
	}
	return semi > 0 || comma == 0 ? ';' : ',';
}

/* Appends one byte of a field, or notes that the field is too long. */
static void
csv_put(struct csv_rec *r, char ch)
{
	if (r->nfields >= CSV_FIELDS) {
		if (ch != ' ' && ch != '\t')
			r->extra = true;
		return;
	}
	if (buf_putc(&r->f[r->nfields], ch) != 0)
		r->too_long = true;
}

/* Consumes a line end at cv->p, if there is one; true if it did. */
static bool
csv_eol(struct csv *cv)
{
	if (cv->p < cv->end && *cv->p == '\r') {
		cv->p++;
		if (cv->p < cv->end && *cv->p == '\n')
			cv->p++;
		cv->line++;
		return true;
	}
	if (cv->p < cv->end && *cv->p == '\n') {
		cv->p++;
		cv->line++;
		return true;
	}
	return false;
}

/* Reads a quoted field's body; cv->p is just past the opening quote. */
static void
csv_quoted(struct csv *cv, struct csv_rec *r)
{
	while (cv->p < cv->end) {
		if (*cv->p == '"') {
			if (cv->p + 1 < cv->end && cv->p[1] == '"') {
				csv_put(r, '"');
				cv->p += 2;
				continue;
			}
			cv->p++;
			return;
		}
		if (*cv->p == '\n' || (*cv->p == '\r' && (cv->p + 1 ==
		    cv->end || cv->p[1] != '\n')))
			cv->line++;
		csv_put(r, *cv->p++);
	}
}

/* Reads one record into r (reset first); false at the end of the file. */
static bool
csv_next(struct csv *cv, struct csv_rec *r)
{
	int	i;

	for (i = 0; i < CSV_FIELDS; i++)
		buf_reset(&r->f[i]);
	r->nfields = 0;
	r->extra = r->too_long = false;
	r->line = cv->line;
	if (cv->p >= cv->end)
		return false;

	for (;;) {
		if (cv->p >= cv->end || csv_eol(cv))
			break;
		if (*cv->p == cv->sep) {
			cv->p++;
			r->nfields++;
			continue;
		}
		if (*cv->p == '"') {
			cv->p++;
			csv_quoted(cv, r);
			continue;
		}
		csv_put(r, *cv->p++);
	}
	r->nfields++;
	return true;
}

/* Copies field i of r without surrounding blanks into out of size n. */
static void
csv_field(struct csv_rec *r, int i, char *out, size_t n)
{
	const char	*s;
	size_t		 len;

	out[0] = '\0';
	if (i >= r->nfields || i >= CSV_FIELDS)
		return;
	s = buf_cstr(&r->f[i]);
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* True for a record with nothing but blanks. */
static bool
csv_blank(struct csv_rec *r)
{
	char	tmp[CSV_FIELD_MAX];
	int	i;

	if (r->extra)
		return false;
	for (i = 0; i < r->nfields && i < CSV_FIELDS; i++) {
		csv_field(r, i, tmp, sizeof(tmp));
		if (tmp[0] != '\0')
			return false;
	}
	return true;
}

/* True for a first record of column titles: no '@' anywhere in it, and
 * its second column named like an address column. */
static bool
csv_titles(struct csv_rec *r)
{
	static const char *const words[] = {
		"mail", "Mail", "MAIL", "почт", "Почт", "ПОЧТ", "адрес",
		"Адрес", "АДРЕС",
	};
	size_t	i;

	for (i = 0; i < (size_t)r->nfields && i < CSV_FIELDS; i++)
		if (strchr(buf_cstr(&r->f[i]), '@') != NULL)
			return false;
	if (r->nfields < 2)
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(buf_cstr(&r->f[1]), words[i]) != NULL)
			return true;
	return false;
}

/* Turns record r into import row out, noting what is wrong with its
 * shape (the rest is checked by network_invite). */
static void
csv_row(struct csv_rec *r, struct network_import_row *out)
{
	memset(out, 0, sizeof(*out));
	out->line = r->line;
	csv_field(r, 0, out->name, sizeof(out->name));
	csv_field(r, 1, out->email, sizeof(out->email));
	csv_field(r, 2, out->code, sizeof(out->code));
	if (r->too_long)
		err_set(&out->err, ERR_INVALID, "field_too_long", NULL,
		    "A field of this row is too long.");
	else if (r->nfields < 2)
		err_set(&out->err, ERR_INVALID, "fields_missing", "email",
		    "The row needs at least a name and an e-mail.");
	else if (r->extra)
		err_set(&out->err, ERR_INVALID, "too_many_fields", NULL,
		    "The row has more than three fields (name, e-mail, "
		    "code).");
}

int
network_import_parse(const char *csv, size_t len,
    struct network_import_row **rows, size_t *n, struct err *e)
{
	struct csv	cv = { csv, csv + len, ';', 1 };
	struct csv_rec	r;
	size_t		cap = 16;
	bool		first = true;
	int		i, rc = -1;

	*n = 0;
	*rows = xcalloc(cap, sizeof(**rows));
	for (i = 0; i < CSV_FIELDS; i++)
		buf_init(&r.f[i], CSV_FIELD_MAX);
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		cv.p += 3;
	cv.sep = csv_separator(cv.p, cv.end);

	while (csv_next(&cv, &r)) {
		if (csv_blank(&r))
			continue;
		if (first && (first = false, csv_titles(&r)))
			continue;
		if (*n == NETWORK_IMPORT_MAX) {
			err_set(e, ERR_TOOLARGE, "too_many_rows", "csv",
			    "A file may hold at most %d distributors.",
			    NETWORK_IMPORT_MAX);
			goto out;
		}
		if (*n == cap) {
			cap *= 2;
			*rows = xrealloc(*rows, cap * sizeof(**rows));
		}
		csv_row(&r, &(*rows)[(*n)++]);
	}
	if (*n == 0) {
		err_set(e, ERR_INVALID, "csv_empty", "csv",
		    "The file holds no distributors.");
		goto out;
	}
	rc = 0;

out:
	for (i = 0; i < CSV_FIELDS; i++)
		buf_release(&r.f[i]);
	return rc;
}

int
network_import(const struct app *app, const struct actor *who,
    const char *csv, size_t len, const char *lang,
    struct network_import_row **rows, size_t *n, struct err *e)
{
	struct network_invite	 in;
	struct store_conn	*c;
	struct company		 co;
	size_t			 i;
	int			 rc;

	*rows = NULL;
	*n = 0;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	company_init(&co);
	rc = network_need_supplier(c, who, true, &co, e);
	company_release(&co);
	store_release(c);
	if (rc != 0 || network_import_parse(csv, len, rows, n, e) != 0)
		return -1;

	for (i = 0; i < *n; i++) {
		struct network_import_row *r = &(*rows)[i];

		if (r->err.code != ERR_NONE)
			continue;
		in.name = r->name;
		in.email = r->email;
		in.code = r->code;
		in.lang = lang;
		/* A retried step may have left a message on the way. */
		if (network_invite(app, who, &in, &r->link, &r->err) == 0)
			err_clear(&r->err);
	}
	return 0;
}
