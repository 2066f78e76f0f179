/*
 * company.h - the companies table: suppliers, distributors, or both.
 *
 * Plain storage: no rule about who may see or change a company lives here
 * (that is domain/'s job).  A struct company owns its strings; fill one
 * with company_init and give its memory back with company_release.
 * Functions take a borrowed connection and run in the caller's
 * transaction, if any.
 */
#ifndef TOBMEN_STORE_COMPANY_H
#define TOBMEN_STORE_COMPANY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct company {
	int64_t	 id;
	char	*name;
	char	*inn;		/* taxpayer number, "" if not given */
	char	*kpp;		/* tax registration reason code, or "" */
	char	*address;
	char	*phone;
	bool	 is_supplier;
	bool	 is_distributor;
	int64_t	 created_at;	/* Unix ms */
	int64_t	 updated_at;	/* Unix ms */
};

/* One page of companies in id order; items are owned by the page. */
struct company_page {
	struct company	*items;
	int		 n;
	int64_t		 next_after;	/* pass as after for the next page;
					 * 0 when this page is the last */
};

/* The most companies store_company_list returns at once. */
#define COMPANY_LIST_MAX	500

/* Empties co (all strings NULL, numbers 0). */
void	company_init(struct company *co);
/* Frees co's strings and empties it. */
void	company_release(struct company *co);
void	company_page_release(struct company_page *pg);

/* The columns store_company_read reads, each name prefixed by a, the
 * table's alias with its dot ("c.") or "". */
#define STORE_COMPANY_COLS(a) a "id, " a "name, " a "inn, " a "kpp, " \
	a "address, " a "phone, " a "is_supplier, " a "is_distributor, " \
	a "created_at, " a "updated_at"

/* Fills co from the STORE_COMPANY_COLS of the current row of r, the first
 * at column col, releasing what co held (it must be initialised).  A row
 * whose id there is NULL (an outer join that found no company) leaves co
 * empty, id 0. */
void	store_company_read(const struct store_rows *r, int col,
	    struct company *co);

/*
 * Adds co.  NULL strings are stored as "" (name must be set).  created_at
 * and updated_at, if 0, become now.  On STORE_OK co->id is the new id.
 */
enum store_rc	store_company_insert(struct store_conn *c,
		    struct company *co, struct err *e);

/* Reads company id into out, which must have been initialised; what out
 * held is released first.  STORE_NOTFOUND if there is no such company. */
enum store_rc	store_company_get(struct store_conn *c, int64_t id,
		    struct company *out, struct err *e);

/* Writes co's name, inn, kpp, address, phone and flags over the company
 * co->id and sets co->updated_at (and the row's) to now; created_at is
 * left alone.  STORE_NOTFOUND if there is no such company. */
enum store_rc	store_company_update(struct store_conn *c,
		    struct company *co, struct err *e);

/*
 * Lists companies with id > after in id order, at most limit (clamped to
 * 1..COMPANY_LIST_MAX).  out is filled afresh; release it with
 * company_page_release even on failure.
 */
enum store_rc	store_company_list(struct store_conn *c, int64_t after,
		    int limit, struct company_page *out, struct err *e);

#endif
