/*
 * document.h - one exchanged document: what it must hold, the checks it
 * must pass, and its canonical form.
 *
 * A document comes from an agent's phone or a distributor's own system as
 * a JSON object:
 *
 *	uuid     made by the sender, 8-4-4-4-12 hex (any case)
 *	kind     order, sale, return, payment, visit (phones);
 *	         sale, return, payment, stock, debt (distributors' systems)
 *	number   the sender's document number, 1 to 64 characters
 *	date     RFC 3339 date-time with a zone ("2026-03-01T10:15:00+03:00")
 *	outlet   {code, name, inn?, address?}; required except for stock
 *	agent    the agent's name (phones: the licence's user when absent)
 *	gps      {lat, lon} in degrees, optional
 *	lines    [{product_code, name, qty, price, amount}], up to
 *	         DOCUMENT_LINES_MAX; required for order, sale, return and
 *	         stock, absent or empty for payment, visit and debt
 *	total    kopecks
 *	comment  optional, up to 2000 characters
 *
 * Money is integer kopecks and quantities integer thousandths: a JSON
 * number with a fraction or an exponent is refused, never rounded.  The
 * rounding rule: a line's amount is qty × price / 1000 rounded half up to
 * a whole kopeck (qty 1500 at price 999 is 1498.5, so amount 1499), and
 * total is the sum of the amounts.  A visit has total 0; a payment a
 * positive total; a debt any.
 *
 * The canonical form is the document rewritten by this module: fixed
 * member order, the uuid in lower case, the date in UTC with
 * milliseconds, GPS with six decimals, absent optional members written
 * as "" or null.  It is what the store keeps and the feed sends, and its
 * BLAKE2b hash is how a resent document is told from a changed one.
 * Pure functions: no store, no HTTP; thread safe.
 */
#ifndef TOBMEN_DOMAIN_DOCUMENT_H
#define TOBMEN_DOMAIN_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "core/jval.h"

#define DOCUMENT_LINES_MAX	1000
#define DOCUMENT_UUID_LEN	36
#define DOCUMENT_HASH_LEN	64
/* The canonical form of one document never exceeds this. */
#define DOCUMENT_CANON_MAX	(2u * 1024 * 1024)

enum document_source {
	DOCUMENT_FROM_DEVICE,	/* an agent's phone */
	DOCUMENT_FROM_SYSTEM,	/* a distributor's own system */
};

/* A checked document; it owns its strings; release with
 * document_release. */
struct document {
	char		 uuid[DOCUMENT_UUID_LEN + 1];	/* lower case */
	char		 kind[16];
	char		 number[260];
	int64_t		 date;			/* Unix ms, UTC */
	char		 outlet_code[260];	/* "" if none */
	char		 agent[808];
	int64_t		 total;			/* kopecks */
	size_t		 nlines;
	char		*canon;			/* malloc'd canonical JSON */
	size_t		 canon_len;
	char		 hash[DOCUMENT_HASH_LEN + 1];	/* of canon, hex */
};

/*
 * Checks o as a document from src and fills out.  default_agent (may be
 * NULL) is used when the document names no agent.  now bounds the date
 * (at most a day ahead).  Returns 0, or -1 with e ERR_INVALID naming the
 * first problem: "uuid_invalid", "kind_invalid", "field_required",
 * "field_invalid", "not_integer", "too_many_lines", "amount_mismatch",
 * "total_mismatch", "date_invalid" (e->field is the member's path, such
 * as "lines[2].amount").  out needs document_release either way.
 */
int	document_check(const struct jval *o, enum document_source src,
	    const char *default_agent, int64_t now, struct document *out,
	    struct err *e);

/* document_check of jansson's tree o. */
int	document_parse(json_t *o, enum document_source src,
	    const char *default_agent, int64_t now, struct document *out,
	    struct err *e);

void	document_release(struct document *d);

/* Checks a uuid's shape and writes it in lower case into out. */
int	document_uuid_parse(const char *s, char out[DOCUMENT_UUID_LEN + 1]);

/* Parses an RFC 3339 date-time with a zone into Unix ms.  Returns 0 or
 * -1 if s is not one. */
int	document_time_parse(const char *s, int64_t *ms);

/* amount of qty thousandths at price kopecks, rounded half up; -1 if
 * either is negative or the result does not fit. */
int64_t	document_line_amount(int64_t qty, int64_t price);

#endif
