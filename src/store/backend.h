/*
 * backend.h - what store.c needs from a backend, and what it gives back.
 *
 * Private to src/store.  A backend (sqlite.c, pg.c) fills a struct
 * store_ops; store.c owns the pool and dispatches every public call through
 * it.  A backend's connection and rows structs start with the common
 * struct store_conn and struct store_rows below, so pointers convert both
 * ways.  Backends never log; they fill struct err through store_fail.
 */
#ifndef TOBMEN_STORE_BACKEND_H
#define TOBMEN_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* The part of every connection that store.c reads. */
struct store_conn {
	struct store	*st;
	int		 open_rows;	/* rows not yet freed */
};

/* The part of every result that store.c reads. */
struct store_rows {
	struct store_conn	*conn;
	int			 ncols;
	enum store_rc		 rc;	/* set when stepping fails */
	struct err		 err;
};

struct store_ops {
	const char	*name;
	enum store_kind	 kind;

	/* Opens one connection to target (the url without "sqlite:").  On
	 * success *out is set; the backend allocates it. */
	enum store_rc	(*connect)(const char *target, int busy_ms,
			    struct store_conn **out, struct err *e);
	void		(*disconnect)(struct store_conn *c);
	/* Called before a connection is lent: repairs a broken link if it
	 * can.  STORE_ERR (ERR_UNAVAILABLE) if the store cannot be reached. */
	enum store_rc	(*check)(struct store_conn *c, struct err *e);
	bool		(*in_tx)(struct store_conn *c);

	enum store_rc	(*begin)(struct store_conn *c, bool write,
			    struct err *e);
	enum store_rc	(*commit)(struct store_conn *c, struct err *e);
	/* Commits, leaving any checkpoint to the caller (*due says one is
	 * owed); NULL where commits owe none. */
	enum store_rc	(*commit_lazy)(struct store_conn *c, bool *due,
			    struct err *e);
	/* Copies committed pages home without waiting; NULL if none. */
	enum store_rc	(*checkpoint)(struct store_conn *c, struct err *e);
	void		(*rollback)(struct store_conn *c);

	enum store_rc	(*exec)(struct store_conn *c, const char *sql,
			    const struct store_param *p, int np,
			    int64_t *changes, struct err *e);
	enum store_rc	(*query)(struct store_conn *c, const char *sql,
			    const struct store_param *p, int np,
			    struct store_rows **out, struct err *e);
	bool		(*rows_next)(struct store_rows *r);
	bool		(*rows_null)(const struct store_rows *r, int col);
	const char	*(*rows_text)(const struct store_rows *r, int col);
	size_t		(*rows_len)(const struct store_rows *r, int col);
	int64_t		(*rows_int)(const struct store_rows *r, int col);
	void		(*rows_free)(struct store_rows *r);

	/* Runs several ';'-separated statements without parameters
	 * (migrations). */
	enum store_rc	(*script)(struct store_conn *c, const char *sql,
			    struct err *e);
	/* Inside a write transaction: waits until no other process can be
	 * migrating the same store.  SQLite's BEGIN IMMEDIATE already does. */
	enum store_rc	(*lock_schema)(struct store_conn *c, struct err *e);
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/*
 * Fills e for a failed backend call and returns rc.  down says the store
 * could not be reached (ERR_UNAVAILABLE).  Otherwise STORE_CONFLICT gives
 * ERR_CONFLICT, STORE_BUSY gives ERR_UNAVAILABLE (worth a retry) and the
 * rest ERR_INTERNAL.  Every failure except a conflict, which is an answer
 * rather than a fault, is counted by metrics_store_error().
 */
enum store_rc	store_fail(struct err *e, enum store_rc rc, bool down,
		    const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));

/*
 * Scans SQL for $N placeholders, skipping quoted text and comments.
 * Returns the highest N (0 if none), or -1 if a placeholder is malformed
 * ($0 or a number past 999).  If out is not NULL, it receives a copy of sql
 * with each '$' of a placeholder replaced by c (SQLite's '?'); the caller
 * frees it.
 */
int		store_sql_params(const char *sql, char c, char **out);

/* Runs a parameterless multi-statement script (migrations). */
enum store_rc	store_script(struct store_conn *c, const char *sql,
		    struct err *e);
/* Inside a write transaction, serialises migrators of the same store. */
enum store_rc	store_lock_schema(struct store_conn *c, struct err *e);

/*
 * A statement cache keyed by SQL text, one per connection.  Values belong
 * to the backend, which frees them through the function given to
 * store_cache_release.  Past STORE_CACHE_MAX entries store_cache_put
 * refuses (returns -1) and the caller uses the statement once.
 */
#define STORE_CACHE_MAX	1024

struct store_cache_entry;

struct store_cache {
	struct store_cache_entry	**slots;
	size_t				  nslots;
	size_t				  n;
};

void		 store_cache_init(struct store_cache *sc);
void		*store_cache_get(const struct store_cache *sc,
		    const char *sql);
int		 store_cache_put(struct store_cache *sc, const char *sql,
		    void *value);
/* Frees every entry, calling free_value on each value; sc may be used
 * again afterwards. */
void		 store_cache_release(struct store_cache *sc,
		    void (*free_value)(void *value, void *arg), void *arg);

/* The migrations embedded at build (migrations_data.c, made by
 * tools/embed_sql.py), sorted by version, the same versions for both
 * backends. */
struct store_migration {
	int		 version;
	const char	*name;
	const char	*sqlite;
	const char	*pg;
};

extern const struct store_migration	store_migrations[];
extern const int			store_migrations_count;

#endif
