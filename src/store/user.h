/*
 * user.h - SQL for the users table.
 *
 * Every lookup that serves a tenant takes the company id, so one company
 * can never read another's user by guessing ids.  E-mails are stored as
 * given to store_user_insert; the domain lowercases them first.  Rows are
 * copied into fixed-size structs, so results own no memory except the list
 * of store_user_list.  Functions run on the caller's connection and
 * transaction; none of them logs.
 */
#ifndef TOBMEN_STORE_USER_H
#define TOBMEN_STORE_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define USER_EMAIL_SIZE	256
#define USER_NAME_SIZE	808	/* 200 characters of up to 4 bytes */

struct store_user {
	int64_t	 id;
	int64_t	 company_id;
	char	 email[USER_EMAIL_SIZE];
	char	 name[USER_NAME_SIZE];
	char	 role[16];		/* owner, admin, member, operator */
	char	 lang[8];		/* ru, en */
	char	 password_hash[128];	/* "" until a password is set */
	bool	 disabled;
	int64_t	 created_at;		/* Unix ms */
	int64_t	 last_login_at;		/* Unix ms, 0 = never */
};

/* The columns store_user_read reads, each name prefixed by a, the table's
 * alias with its dot ("u.") or "". */
#define STORE_USER_COLS(a) a "id, " a "company_id, " a "email, " a "name, " \
	a "role, " a "lang, " a "password_hash, " a "disabled, " \
	a "created_at, " a "last_login_at"
#define STORE_USER_NCOLS	10

/* Fills u from the STORE_USER_COLS of the current row of r, the first at
 * column col.  A row whose id there is NULL (an outer join that found no
 * user) gives a zeroed u. */
void		store_user_read(const struct store_rows *r, int col,
		    struct store_user *u);

/* Inserts u (id, last_login_at ignored; created_at used as given) and
 * stores the new id in *id.  STORE_CONFLICT if the e-mail is taken. */
enum store_rc	store_user_insert(struct store_conn *c,
		    const struct store_user *u, int64_t *id, struct err *e);

/* Reads user id of company_id.  STORE_NOTFOUND if there is none there. */
enum store_rc	store_user_get(struct store_conn *c, int64_t company_id,
		    int64_t id, struct store_user *out, struct err *e);

/* Reads a user by id alone, for sessions and tokens that already name
 * the user.  Not for tenant requests. */
enum store_rc	store_user_get_any(struct store_conn *c, int64_t id,
		    struct store_user *out, struct err *e);

/* Reads the user with this (lowercased) e-mail. */
enum store_rc	store_user_find_email(struct store_conn *c,
		    const char *email, struct store_user *out,
		    struct err *e);

/* Lists up to limit users of company_id with id > after, by id.  *items
 * is malloc'd (free() it, also when *n is 0). */
enum store_rc	store_user_list(struct store_conn *c, int64_t company_id,
		    int64_t after, int limit, struct store_user **items,
		    size_t *n, struct err *e);

/* Writes name, role, lang and disabled of u (found by company and id). */
enum store_rc	store_user_update(struct store_conn *c,
		    const struct store_user *u, int64_t now, struct err *e);

/* Replaces the password hash of user id. */
enum store_rc	store_user_set_password(struct store_conn *c, int64_t id,
		    const char *hash, int64_t now, struct err *e);

/* Records a successful login at now. */
enum store_rc	store_user_touch_login(struct store_conn *c, int64_t id,
		    int64_t now, struct err *e);

/* Locks the owner rows of company_id until the transaction ends, so
 * rules about "the last owner" see every concurrent change. */
enum store_rc	store_user_lock_owners(struct store_conn *c,
		    int64_t company_id, struct err *e);

/* Counts the active owners of company_id into *n. */
enum store_rc	store_user_count_owners(struct store_conn *c,
		    int64_t company_id, int64_t *n, struct err *e);

#endif
