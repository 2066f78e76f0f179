/*
 * migrate.c - bringing a store's schema to the version this binary knows.
 *
 * The migrations are SQL files embedded at build (migrations_data.c); the
 * table schema_migrations records which were applied.  Each migration runs
 * in its own write transaction under a lock that a second migrating process
 * waits for, so two processes starting at once apply each migration once.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/err.h"
#include "store/backend.h"
#include "store/store.h"

static const char migrate_table_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

int
store_schema_latest(void)
{
	if (store_migrations_count == 0)
		return 0;
	return store_migrations[store_migrations_count - 1].version;
}

/* Sets *exists to whether schema_migrations is there. */
static enum store_rc
migrate_table_exists(struct store_conn *c, bool *exists, struct err *e)
{
	struct store_param	 p[] = { SP_T("schema_migrations") };
	const char		*sql;
	enum store_rc		 rc;
	int64_t			 n;

	if (store_kind(c->st) == STORE_SQLITE)
		sql = "SELECT count(*) FROM sqlite_master"
		    " WHERE type = 'table' AND name = $1";
	else
		sql = "SELECT CASE WHEN to_regclass($1) IS NULL"
		    " THEN 0 ELSE 1 END";

	rc = store_query_int(c, sql, p, 1, &n, e);
	*exists = rc == STORE_OK && n > 0;
	return rc;
}

/* Reads the highest applied version (0 if none) and how many of the
 * versions this binary knows are recorded. */
static enum store_rc
migrate_read(struct store_conn *c, int *version, int *known, struct err *e)
{
	struct store_param	p[] = { SP_I(store_schema_latest()) };
	enum store_rc		rc;
	int64_t			v = 0, n = 0;
	bool			exists;

	if ((rc = migrate_table_exists(c, &exists, e)) != STORE_OK)
		return rc;
	if (exists) {
		rc = store_query_int(c, "SELECT COALESCE(MAX(version), 0)"
		    " FROM schema_migrations", NULL, 0, &v, e);
		if (rc == STORE_OK)
			rc = store_query_int(c, "SELECT count(*) FROM"
			    " schema_migrations WHERE version <= $1", p, 1,
			    &n, e);
	}

	*version = (int)v;
	*known = (int)n;
	return rc;
}

/* Fills e for a store newer than this binary. */
static enum store_rc
migrate_too_new(int version, struct err *e)
{
	err_set(e, ERR_INTERNAL, "schema_too_new", NULL, "the store is at "
	    "schema version %d but this tobmen knows only up to %d; upgrade "
	    "tobmen", version, store_schema_latest());
	return STORE_ERR;
}

/* Runs m's SQL and records it.  Called inside the locked transaction. */
static enum store_rc
migrate_apply(struct store_conn *c, const struct store_migration *m,
    struct err *e)
{
	struct store_param	p[] = { SP_I(m->version), SP_T(m->name),
				    SP_I(clock_now_ms()) };
	const char		*sql;
	struct err		 why;
	enum store_rc		 rc;

	sql = store_kind(c->st) == STORE_SQLITE ? m->sqlite : m->pg;
	if ((rc = store_script(c, sql, &why)) != STORE_OK) {
		err_set(e, why.code, "migration_failed", NULL, "migration "
		    "%03d_%s failed: %s", m->version, m->name, why.msg);
		return rc;
	}
	return store_exec(c, "INSERT INTO schema_migrations"
	    " (version, name, applied_at) VALUES ($1, $2, $3)", p, 3, NULL, e);
}

/* Applies m unless it is recorded already; *done says whether it ran. */
static enum store_rc
migrate_one(struct store_conn *c, const struct store_migration *m,
    bool *done, struct err *e)
{
	struct store_param	p[] = { SP_I(m->version) };
	enum store_rc		rc;
	int64_t			n;
	int			version, known;

	*done = false;
	if ((rc = store_begin(c, true, e)) != STORE_OK)
		return rc;
	if ((rc = store_lock_schema(c, e)) != STORE_OK ||
	    (rc = store_script(c, migrate_table_sql, e)) != STORE_OK ||
	    (rc = migrate_read(c, &version, &known, e)) != STORE_OK)
		goto out_tx;

	if (version > store_schema_latest()) {
		rc = migrate_too_new(version, e);
		goto out_tx;
	}
	rc = store_query_int(c, "SELECT count(*) FROM schema_migrations"
	    " WHERE version = $1", p, 1, &n, e);
	if (rc != STORE_OK || n > 0)
		goto out_tx;

	if ((rc = migrate_apply(c, m, e)) == STORE_OK)
		*done = true;

out_tx:
	if (rc == STORE_OK)
		rc = store_commit(c, e);
	if (rc != STORE_OK) {
		store_rollback(c);
		*done = false;
	}
	return rc;
}

enum store_rc
store_migrate(struct store *st, int *applied, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc = STORE_OK;
	bool			 done;
	int			 i, n = 0;

	if (applied != NULL)
		*applied = 0;
	if ((c = store_acquire(st, e)) == NULL)
		return STORE_ERR;

	for (i = 0; i < store_migrations_count && rc == STORE_OK; i++) {
		rc = migrate_one(c, &store_migrations[i], &done, e);
		if (done)
			n++;
	}

	store_release(c);
	if (applied != NULL)
		*applied = n;
	return rc;
}

enum store_rc
store_schema_version(struct store *st, int *version, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;
	int			 known;

	*version = 0;
	if ((c = store_acquire(st, e)) == NULL)
		return STORE_ERR;
	rc = migrate_read(c, version, &known, e);
	store_release(c);
	return rc;
}

enum store_rc
store_schema_check(struct store *st, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;
	int			 version, known;

	if ((c = store_acquire(st, e)) == NULL)
		return STORE_ERR;
	rc = migrate_read(c, &version, &known, e);
	store_release(c);
	if (rc != STORE_OK)
		return rc;

	if (version > store_schema_latest())
		return migrate_too_new(version, e);
	if (known < store_migrations_count) {
		err_set(e, ERR_INTERNAL, "schema_outdated", NULL, "the store "
		    "is at schema version %d but this tobmen needs %d; run "
		    "tobmen migrate", version, store_schema_latest());
		return STORE_ERR;
	}
	return STORE_OK;
}
