-- 005_licences: licences of the mobile trade app («Мобильная торговля»),
-- the devices bound to them, and the suppliers each licence is connected
-- to in Т-Обмен.  pg/005_licences.sql is the same schema for PostgreSQL.
--
-- A licence is paid for by its owner and used by an agent of its holder.
-- It is bound to at most one device at a time: the device row with
-- released_at NULL.  A row of licence_services means the licence is «ВКЛ»
-- for that supplier; no row means «ВНЕ СЕРВИСА».  Times are Unix
-- milliseconds; device tokens are kept only as hashes.

CREATE TABLE licences (
	id		INTEGER PRIMARY KEY,
	number		TEXT NOT NULL UNIQUE CHECK (length(number) = 20),
	code		TEXT NOT NULL CHECK (length(code) = 16),
	owner_id	INTEGER NOT NULL REFERENCES companies (id),
	holder_id	INTEGER NOT NULL REFERENCES companies (id),
	user_name	TEXT NOT NULL DEFAULT '',
	config_version	TEXT NOT NULL DEFAULT '',
	mdm_id		TEXT NOT NULL DEFAULT '',
	blocked		INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
	search		TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	activated_at	INTEGER,
	last_contact_at	INTEGER,
	updated_at	INTEGER NOT NULL
);

-- Every list is one company's licences in number order, filtered by a
-- substring of search (the searchable columns, case-folded).  This index
-- holds all three, so a page is read from it in order and stops at the
-- page's end, and a search reads the company's entries only, never the
-- table nor other companies' rows.
CREATE INDEX licences_holder ON licences (holder_id, number, search);
CREATE INDEX licences_owner ON licences (owner_id, holder_id);

CREATE TABLE devices (
	id		INTEGER PRIMARY KEY,
	licence_id	INTEGER NOT NULL REFERENCES licences (id),
	company_id	INTEGER NOT NULL REFERENCES companies (id),
	mdm_id		TEXT NOT NULL,
	token_hash	TEXT UNIQUE,
	app_version	TEXT NOT NULL DEFAULT '',
	user_name	TEXT NOT NULL DEFAULT '',
	first_contact_at INTEGER NOT NULL,
	last_contact_at	INTEGER NOT NULL,
	released_at	INTEGER
);

-- One bound device per licence, whatever the races.
CREATE UNIQUE INDEX devices_bound ON devices (licence_id)
    WHERE released_at IS NULL;
CREATE INDEX devices_company ON devices (company_id, id);

CREATE TABLE licence_services (
	licence_id	INTEGER NOT NULL REFERENCES licences (id),
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	connected_at	INTEGER NOT NULL,
	connected_by	INTEGER REFERENCES companies (id),
	PRIMARY KEY (licence_id, supplier_id)
);

CREATE INDEX licence_services_supplier
    ON licence_services (supplier_id, licence_id);
