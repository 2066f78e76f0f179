-- 001 companies_audit (SQLite): the companies that use the service and the
-- audit log that both sides of a change can read.  Times are Unix
-- milliseconds; flags are 0/1.  pg/001_companies_audit.sql is the same
-- schema for PostgreSQL.

CREATE TABLE companies (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	name		TEXT NOT NULL,
	inn		TEXT NOT NULL DEFAULT '',
	kpp		TEXT NOT NULL DEFAULT '',
	address		TEXT NOT NULL DEFAULT '',
	phone		TEXT NOT NULL DEFAULT '',
	is_supplier	INTEGER NOT NULL DEFAULT 0
			    CHECK (is_supplier IN (0, 1)),
	is_distributor	INTEGER NOT NULL DEFAULT 0
			    CHECK (is_distributor IN (0, 1)),
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL
);

-- company_id is the company an entry concerns; other_company_id the other
-- side, if any (the supplier of a link, say).  Each reads the entries that
-- name it in either column.  before and after hold JSON.
CREATE TABLE audit_log (
	id			INTEGER PRIMARY KEY AUTOINCREMENT,
	at			BIGINT NOT NULL,
	actor_user_id		BIGINT,
	actor_company_id	BIGINT,
	ip			TEXT NOT NULL DEFAULT '',
	action			TEXT NOT NULL,
	object_type		TEXT NOT NULL DEFAULT '',
	object_id		TEXT NOT NULL DEFAULT '',
	company_id		BIGINT NOT NULL,
	other_company_id	BIGINT,
	before			TEXT,
	after			TEXT
);

CREATE INDEX audit_log_company ON audit_log (company_id, id);
CREATE INDEX audit_log_other_company ON audit_log (other_company_id, id);
