/*
 * journal.c - the audit log as each side reads it.
 *
 * Copies the entries out of the store's callback, then fills in names
 * with a small per-page cache, since a page usually names the same few
 * companies and users again and again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "domain/journal.h"
#include "store/audit.h"
#include "store/company.h"
#include "store/user.h"

/* Names already looked up for this page. */
struct journal_names {
	int64_t	 ids[2 * JOURNAL_LIST_MAX];
	char	*names[2 * JOURNAL_LIST_MAX];
	size_t	 n;
};

/* What the store's callback fills. */
struct journal_acc {
	struct journal_entry	*items;
	size_t			 n;
};

/* Copies s (may be NULL) into a fixed buffer of size n. */
static void
journal_copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s != NULL ? s : "");
}

/* Keeps a copy of one entry (the store's strings die after the call). */
static int
journal_take(const struct audit_entry *a, void *arg)
{
	struct journal_acc	*acc = arg;
	struct journal_entry	*j = &acc->items[acc->n++];

	memset(j, 0, sizeof(*j));
	j->id = a->id;
	j->at = a->at;
	j->actor_user_id = a->actor_user_id;
	j->actor_company_id = a->actor_company_id;
	j->company_id = a->company_id;
	j->other_company_id = a->other_company_id;
	journal_copy(j->ip, sizeof(j->ip), a->ip);
	journal_copy(j->action, sizeof(j->action), a->action);
	journal_copy(j->object_type, sizeof(j->object_type), a->object_type);
	journal_copy(j->object_id, sizeof(j->object_id), a->object_id);
	j->before = a->before != NULL ? xstrdup(a->before) : NULL;
	j->after = a->after != NULL ? xstrdup(a->after) : NULL;
	return 0;
}

/* Finds the cached name of id, or NULL. */
static const char *
journal_cached(const struct journal_names *nm, int64_t id)
{
	size_t	i;

	for (i = 0; i < nm->n; i++)
		if (nm->ids[i] == id)
			return nm->names[i];
	return NULL;
}

/* Remembers name for id (the cache is sized for a whole page). */
static const char *
journal_remember(struct journal_names *nm, int64_t id, const char *name)
{
	if (nm->n == sizeof(nm->ids) / sizeof(nm->ids[0]))
		return name;
	nm->ids[nm->n] = id;
	nm->names[nm->n] = xstrdup(name);
	return nm->names[nm->n++];
}

/* Writes the name of company id into out ("" for 0 or a vanished one). */
static int
journal_company(struct store_conn *c, struct journal_names *nm, int64_t id,
    char *out, size_t n, struct err *e)
{
	struct company	 co;
	const char	*name;
	enum store_rc	 rc;

	out[0] = '\0';
	if (id <= 0)
		return 0;
	if ((name = journal_cached(nm, id)) == NULL) {
		company_init(&co);
		rc = store_company_get(c, id, &co, e);
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			company_release(&co);
			return -1;
		}
		name = journal_remember(nm, id, rc == STORE_OK ? co.name : "");
		company_release(&co);
	}
	journal_copy(out, n, name);
	return 0;
}

/* Writes the name (or, lacking one, the e-mail) of user id into out. */
static int
journal_user(struct store_conn *c, struct journal_names *nm, int64_t id,
    char *out, size_t n, struct err *e)
{
	struct store_user	 u;
	const char		*name;
	enum store_rc		 rc;

	out[0] = '\0';
	if (id <= 0)
		return 0;
	/* Users and companies share the cache: keep their keys apart. */
	if ((name = journal_cached(nm, -id)) == NULL) {
		rc = store_user_get_any(c, id, &u, e);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return -1;
		name = journal_remember(nm, -id, rc != STORE_OK ? "" :
		    u.name[0] != '\0' ? u.name : u.email);
	}
	journal_copy(out, n, name);
	return 0;
}

/* Fills the names of every entry. */
static int
journal_name_all(struct store_conn *c, struct journal_entry *items,
    size_t n, struct err *e)
{
	struct journal_names	*nm = xcalloc(1, sizeof(*nm));
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		struct journal_entry *j = &items[i];

		if (journal_user(c, nm, j->actor_user_id, j->actor_name,
		    sizeof(j->actor_name), e) != 0 ||
		    journal_company(c, nm, j->actor_company_id,
		    j->actor_company_name, sizeof(j->actor_company_name),
		    e) != 0 ||
		    journal_company(c, nm, j->company_id, j->company_name,
		    sizeof(j->company_name), e) != 0 ||
		    journal_company(c, nm, j->other_company_id,
		    j->other_company_name, sizeof(j->other_company_name),
		    e) != 0)
			rc = -1;
	}
	for (i = 0; i < nm->n; i++)
		free(nm->names[i]);
	free(nm);
	return rc;
}

int
journal_list(const struct app *app, const struct actor *who, int64_t after,
    int limit, struct journal_entry **items, size_t *n, int64_t *next_after,
    struct err *e)
{
	struct journal_acc	 acc = { NULL, 0 };
	struct store_conn	*c;
	int			 rc = -1;

	*items = NULL;
	*n = 0;
	*next_after = 0;
	if (limit < 1 || limit > JOURNAL_LIST_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", JOURNAL_LIST_MAX);
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	acc.items = xcalloc((size_t)limit, sizeof(*acc.items));
	if (store_audit_list(c, who->company_id, after, limit, journal_take,
	    &acc, next_after, e) == STORE_OK &&
	    journal_name_all(c, acc.items, acc.n, e) == 0)
		rc = 0;
	store_release(c);
	if (rc != 0) {
		journal_free(acc.items, acc.n);
		return -1;
	}
	*items = acc.items;
	*n = acc.n;
	return 0;
}

void
journal_free(struct journal_entry *items, size_t n)
{
	size_t	i;

	for (i = 0; items != NULL && i < n; i++) {
		free(items[i].before);
		free(items[i].after);
	}
	free(items);
}
