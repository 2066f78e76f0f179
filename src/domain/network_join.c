/*
 * network_join.c - the distributor's side of the network: opening and
 * answering an invitation, supplier cards, the licence-management
 * permission.
 *
 * An invitation is found by the hash of its token only.  Whatever makes a
 * token unusable (unknown, spent, replaced, revoked, expired, meant for
 * another company) gives one and the same answer, and each such answer
 * counts against the caller's address, so tokens cannot be probed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/network.h"
#include "domain/network_int.h"
#include "domain/token.h"
#include "mail/mail.h"
#include "store/company.h"
#include "store/throttle.h"
#include "store/user.h"

/* Unusable tokens a user, and an address, may try in a window before
 * they must wait.  Tokens cannot be guessed; this only makes trying
 * pointless and visible. */
#define JOIN_FAIL_USER		20
#define JOIN_FAIL_IP		200
#define JOIN_FAIL_WINDOW_MS	(15LL * 60 * 1000)
/* Users read per query when mailing a supplier's managers. */
#define JOIN_USERS_PAGE		100

/* Fills e with the one answer for every unusable token. */
static void
join_invalid(struct err *e)
{
	err_set(e, ERR_NOTFOUND, "invitation_invalid", NULL,
	    "This invitation link cannot be used: it may have expired, "
	    "been used or been withdrawn.  Ask the supplier to send a new "
	    "one.");
}

/* The actor's user id as a throttle subject. */
static void
join_user_subject(const struct actor *who, char out[24])
{
	snprintf(out, 24, "%lld", (long long)who->user_id);
}

/* Refuses (kind, subject) once it has limit marks in the window. */
static int
join_throttle_one(struct store_conn *c, const char *kind,
    const char *subject, int64_t limit, int64_t now, struct err *e)
{
	int64_t	count = 0, oldest = 0;
	int	wait_s;

	if (subject[0] == '\0')
		return 0;
	if (store_throttle_count(c, kind, subject, now - JOIN_FAIL_WINDOW_MS,
	    now, &count, &oldest, e) != STORE_OK)
		return -1;
	if (count < limit)
		return 0;
	wait_s = (int)((oldest + JOIN_FAIL_WINDOW_MS - now) / 1000) + 1;
	err_set(e, ERR_THROTTLED, "throttled", NULL,
	    "Too many invalid invitation links; try again in %d seconds.",
	    wait_s > 0 ? wait_s : 1);
	return -1;
}

/* Refuses a user or an address that tried too many unusable tokens. */
static int
join_throttle_check(struct store_conn *c, const struct actor *who,
    int64_t now, struct err *e)
{
	char	user[24];

	join_user_subject(who, user);
	if (join_throttle_one(c, "invite_user", user, JOIN_FAIL_USER, now,
	    e) != 0)
		return -1;
	return join_throttle_one(c, "invite_ip", who->ip, JOIN_FAIL_IP, now,
	    e);
}

/* Records one unusable token of the actor in its own transaction (the
 * caller's was rolled back).  Best effort: a failure here must not hide
 * the answer the caller is about to give. */
static void
join_throttle_note(struct store_conn *c, const struct actor *who,
    int64_t now)
{
	struct err	ignored;
	char		user[24];

	join_user_subject(who, user);
	if (store_begin(c, true, &ignored) != STORE_OK)
		return;
	if (store_throttle_add(c, "invite_user", user, now,
	    &ignored) != STORE_OK || (who->ip[0] != '\0' &&
	    store_throttle_add(c, "invite_ip", who->ip, now,
	    &ignored) != STORE_OK) || store_commit(c, &ignored) != STORE_OK)
		store_rollback(c);
}

/*
 * Finds the invitation behind token and checks that the actor's company
 * may answer it at now.  l gets the row.  Returns 0, or -1 with e filled:
 * 1 in *bad marks an unusable token (to be counted).
 */
static int
join_find(struct store_conn *c, const struct actor *who, const char *token,
    int64_t now, struct store_link *l, bool *bad, struct err *e)
{
	char		hash[TOKEN_HASH_LEN + 1];
	enum store_rc	rc;

	*bad = false;
	if (join_throttle_check(c, who, now, e) != 0)
		return -1;
	if (!token_well_formed(token)) {
		*bad = true;
		join_invalid(e);
		return -1;
	}

	token_hash(token, hash);
	rc = store_link_find_token(c, hash, l, e);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return -1;
	if (rc == STORE_NOTFOUND || strcmp(l->status, "invited") != 0 ||
	    l->expires_at <= now || (l->distributor_id != 0 &&
	    l->distributor_id != who->company_id)) {
		*bad = true;
		join_invalid(e);
		return -1;
	}
	if (l->supplier_id == who->company_id) {
		err_set(e, ERR_CONFLICT, "self_invite", NULL,
		    "This is your own company's invitation: a supplier "
		    "cannot join its own network.");
		return -1;
	}
	return 0;
}

int
network_invitation(const struct app *app, const struct actor *who,
    const char *token, struct network_link *out, struct err *e)
{
	struct store_conn	*c;
	int64_t			 now = clock_now_ms();
	bool			 bad = false;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (join_find(c, who, token, now, &out->row, &bad, e) == 0)
		rc = network_fill(c, now, out, e);
	else if (bad)
		join_throttle_note(c, who, now);
	store_release(c);
	return rc;
}

/* Sets the distributor flag of the actor's company if it lacks it. */
static int
join_mark_distributor(struct store_conn *c, int64_t company_id,
    struct err *e)
{
	struct company	co;
	int		rc = -1;

	company_init(&co);
	if (store_company_get(c, company_id, &co, e) != STORE_OK)
		goto out;
	rc = 0;
	if (!co.is_distributor) {
		co.is_distributor = true;
		if (store_company_update(c, &co, e) != STORE_OK)
			rc = -1;
	}

out:
	company_release(&co);
	return rc;
}

/* Accepts or declines the invitation l, on c inside a write transaction;
 * out gets the row afterwards. */
static int
join_answer_tx(struct store_conn *c, const struct actor *who,
    const struct store_link *l, const char *token, bool accept,
    int64_t now, struct network_link *out, bool *bad, struct err *e)
{
	char	hash[TOKEN_HASH_LEN + 1];
	int64_t	id;
	bool	linked = false;

	if (accept && store_link_active(c, l->supplier_id, who->company_id,
	    &linked, e) != STORE_OK)
		return -1;
	if (linked) {
		err_set(e, ERR_CONFLICT, "already_linked", NULL,
		    "Your company is already linked with this supplier.");
		return -1;
	}

	token_hash(token, hash);
	switch (store_link_spend(c, hash, who->company_id, accept, now, &id,
	    e)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		/* Another request spent it between our read and now. */
		*bad = true;
		join_invalid(e);
		return -1;
	default:
		return -1;
	}
	if (accept && join_mark_distributor(c, who->company_id, e) != 0)
		return -1;
	if (store_link_get(c, LINK_SUPPLIER, l->supplier_id, id, &out->row,
	    e) != STORE_OK || network_fill(c, now, out, e) != 0)
		return -1;
	return network_audit(c, who, accept ? "link.accept" : "link.decline",
	    l, &out->row, now, e);
}

int
network_answer(const struct app *app, const struct actor *who,
    const char *token, bool accept, struct network_link *out,
    struct err *e)
{
	struct store_conn	*c;
	struct store_link	*l;
	struct network_link	*tmp;
	int64_t			 now = clock_now_ms();
	bool			 bad = false;
	int			 rc = -1;

	if (network_need_manager(who, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	l = xmalloc(sizeof(*l));
	tmp = xmalloc(sizeof(*tmp));
	if (store_begin(c, true, e) != STORE_OK)
		goto release;
	if (join_find(c, who, token, now, l, &bad, e) != 0 ||
	    join_answer_tx(c, who, l, token, accept, now, tmp, &bad, e) != 0 ||
	    store_commit(c, e) != STORE_OK) {
		store_rollback(c);
		if (bad)
			join_throttle_note(c, who, now);
		goto release;
	}
	if (out != NULL)
		*out = *tmp;
	rc = 0;

release:
	free(tmp);
	free(l);
	store_release(c);
	return rc;
}

/* Refuses a company that is not a distributor. */
static int
join_need_distributor(struct store_conn *c, const struct actor *who,
    struct err *e)
{
	struct company	co;
	int		rc = -1;

	company_init(&co);
	if (store_company_get(c, who->company_id, &co, e) != STORE_OK)
		goto out;
	if (!co.is_distributor) {
		err_set(e, ERR_FORBIDDEN, "not_distributor", NULL,
		    "Only a distributor company has supplier cards.");
		goto out;
	}
	rc = 0;

out:
	company_release(&co);
	return rc;
}

int
network_suppliers(const struct app *app, const struct actor *who,
    int64_t after, int limit, struct network_link **items, size_t *n,
    bool *more, struct err *e)
{
	struct store_link	*rows = NULL;
	struct store_conn	*c;
	int64_t			 now = clock_now_ms();
	size_t			 i;
	int			 rc = -1;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > NETWORK_LIST_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", NETWORK_LIST_MAX);
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (join_need_distributor(c, who, e) != 0 ||
	    store_link_list(c, LINK_DISTRIBUTOR, who->company_id, after,
	    limit + 1, &rows, n, e) != STORE_OK)
		goto out;
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*more = true;
	}
	*items = xcalloc(*n > 0 ? *n : 1, sizeof(**items));
	for (i = 0; i < *n; i++) {
		(*items)[i].row = rows[i];
		if (network_fill(c, now, &(*items)[i], e) != 0)
			goto out;
	}
	rc = 0;

out:
	free(rows);
	store_release(c);
	return rc;
}

int
network_supplier(const struct app *app, const struct actor *who,
    int64_t id, struct network_link *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc = -1;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (join_need_distributor(c, who, e) == 0)
		rc = network_load(c, LINK_DISTRIBUTOR, who->company_id, id,
		    clock_now_ms(), out, e);
	store_release(c);
	return rc;
}

/* Mails the "permission" change of row l to the supplier's active owners
 * and admins, each in their language. */
static int
join_mail_supplier(struct store_conn *c, const struct store_link *l,
    struct err *e)
{
	struct store_user	*u = NULL;
	char			 code[16];
	int64_t			 after = 0;
	size_t			 n, i;
	int			 rc = 0;
	const char		*vars[] = {
		"distributor", l->distributor_name, "code", code,
		"state", l->manage_licences ? "on" : "off", NULL,
	};

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	do {
		free(u);
		u = NULL;
		if (store_user_list(c, l->supplier_id, after, JOIN_USERS_PAGE,
		    &u, &n, e) != STORE_OK) {
			rc = -1;
			break;
		}
		for (i = 0; i < n && rc == 0; i++) {
			after = u[i].id;
			if (u[i].disabled || (strcmp(u[i].role, "owner") != 0 &&
			    strcmp(u[i].role, "admin") != 0))
				continue;
			rc = mail_queue(c, u[i].email, "permission", u[i].lang,
			    vars, e);
		}
	} while (rc == 0 && n == JOIN_USERS_PAGE);
	free(u);
	return rc;
}

/* Sets the permission on c inside a write transaction. */
static int
join_permission_tx(struct store_conn *c, const struct actor *who,
    int64_t id, bool on, bool confirm, struct network_link *out,
    int64_t *owned, bool *mailed, struct err *e)
{
	struct store_link	*before;
	int64_t			 now = clock_now_ms(), n = 0;
	int			 rc = -1;

	before = xmalloc(sizeof(*before));
	if (join_need_distributor(c, who, e) != 0 ||
	    network_load(c, LINK_DISTRIBUTOR, who->company_id, id, now, out,
	    e) != 0)
		goto out;
	*before = out->row;
	rc = 0;
	if (before->manage_licences == on)
		goto out;

	rc = -1;
	if (!on && network_owned(c, before->supplier_id, who->company_id, &n,
	    e) != 0)
		goto out;
	if (n > 0 && !confirm) {
		*owned = n;
		err_set(e, ERR_CONFLICT, "confirm_required", "confirm",
		    "The supplier owns %lld of your licences; confirm to take "
		    "away its right to manage them.", (long long)n);
		goto out;
	}
	if (store_link_set_manage(c, who->company_id, id, on, now, e) !=
	    STORE_OK || network_load(c, LINK_DISTRIBUTOR, who->company_id,
	    id, now, out, e) != 0 || network_audit(c, who, "link.permission",
	    before, &out->row, now, e) != 0)
		goto out;
	rc = join_mail_supplier(c, &out->row, e);
	*mailed = rc == 0;

out:
	free(before);
	return rc;
}

int
network_permission(const struct app *app, const struct actor *who,
    int64_t id, bool on, bool confirm, struct network_link *out,
    int64_t *owned, struct err *e)
{
	struct store_conn	*c;
	int64_t			 n = 0;
	bool			 mailed = false;
	int			 rc = -1;

	if (network_need_manager(who, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK ||
	    join_permission_tx(c, who, id, on, confirm, out, &n, &mailed,
	    e) != 0 || store_commit(c, e) != STORE_OK)
		goto release;
	if (mailed)
		network_kick(app);
	rc = 0;

release:
	if (owned != NULL)
		*owned = n;
	store_release(c);
	return rc;
}
