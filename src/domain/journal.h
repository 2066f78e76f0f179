/*
 * journal.h - reading the audit log («Журнал»): the entries that concern
 * the actor's company, on either side of a change.
 *
 * The company comes from the actor only; an entry that names neither side
 * as this company is never read.  Each entry comes with the names of the
 * companies and of the user who acted, so a page needs no other lookup.
 * Functions borrow a store connection, fill e on failure, never log.
 */
#ifndef TOBMEN_DOMAIN_JOURNAL_H
#define TOBMEN_DOMAIN_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/err.h"
#include "domain/account.h"

#define JOURNAL_LIST_MAX	200
#define JOURNAL_NAME_SIZE	1204	/* 300 characters of up to 4 bytes */

struct journal_entry {
	int64_t	 id;
	int64_t	 at;			/* Unix ms */
	int64_t	 actor_user_id;		/* 0: none */
	int64_t	 actor_company_id;	/* 0: none */
	int64_t	 company_id;
	int64_t	 other_company_id;	/* 0: none */
	char	 ip[64];
	char	 action[64];		/* "link.accept", "user.create" ... */
	char	 object_type[32];
	char	 object_id[32];
	char	*before;		/* JSON text or NULL; malloc'd */
	char	*after;			/* JSON text or NULL; malloc'd */
	char	 actor_name[JOURNAL_NAME_SIZE];	/* "" if unknown */
	char	 actor_company_name[JOURNAL_NAME_SIZE];
	char	 company_name[JOURNAL_NAME_SIZE];
	char	 other_company_name[JOURNAL_NAME_SIZE];
};

/*
 * Reads up to limit (1 to JOURNAL_LIST_MAX) entries of the actor's
 * company, newest first, older than after (0: from the newest).
 * *items is malloc'd; free it with journal_free.  *next_after is the
 * value to pass as after for the next page, 0 when this is the last.
 */
int	journal_list(const struct app *app, const struct actor *who,
	    int64_t after, int limit, struct journal_entry **items,
	    size_t *n, int64_t *next_after, struct err *e);

/* Frees a list made by journal_list (items may be NULL). */
void	journal_free(struct journal_entry *items, size_t n);

#endif
