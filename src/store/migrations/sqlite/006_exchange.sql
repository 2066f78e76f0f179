-- 006_exchange: the exchange between devices, distributors' systems and
-- suppliers' systems: documents and the supplier's feed of them, feed
-- consumers, packages the supplier publishes and their acknowledgements,
-- API keys, rejected documents, and per-day counts for «Контроль».
-- pg/006_exchange.sql is the same schema for PostgreSQL.  Times are Unix
-- milliseconds; money is integer kopecks and quantities are integer
-- thousandths (inside the stored documents); secrets are kept as hashes.
--
-- THE FEED CURSOR.  Every document has a position in its supplier's feed,
-- and a consumer pages with "position > cursor".  That is safe only if a
-- position becomes visible after every smaller one.  A sequence or an
-- identity column does not give that on PostgreSQL: two transactions take
-- 7 and 8, the one holding 8 commits first, a reader sees 8, moves its
-- cursor to 8 and never sees 7.  So positions are handed out by a counter
-- row instead (exchange_counters, name 'feed/<supplier id>'), inside the
-- transaction that writes the documents:
--
--   1. UPDATE exchange_counters SET last = last WHERE name = ... RETURNING
--      last, which locks the supplier's counter row until commit or
--      rollback;
--   2. the new documents take last + 1, last + 2, ...;
--   3. UPDATE exchange_counters SET last = last + k; COMMIT.
--
-- A second writer for the same supplier waits at step 1 until the first
-- has committed (PostgreSQL releases the row lock only after the commit is
-- visible) and then reads the new value, so positions are committed in
-- their own order, with no holes (a rollback gives its numbers back).  A
-- reader whose snapshot holds position p therefore holds every position
-- below p.  SQLite writers are serialised by BEGIN IMMEDIATE anyway.  The
-- price: one supplier's writers commit one after another; each upload is a
-- batch, and other suppliers' writers do not wait.  Packages take their
-- positions the same way from the single counter 'packages'.
-- docs/EXCHANGE.md tells the whole design; tests/exchange/ tries to break
-- it.

CREATE TABLE exchange_counters (
	name		TEXT PRIMARY KEY,
	last		BIGINT NOT NULL
);

-- A key of a supplier's or a distributor's own system.  Shown once at
-- creation; only its hash is kept, with a short prefix to recognise it.
-- scopes is a comma list of read, publish (a supplier's) and send (a
-- distributor's).
CREATE TABLE api_keys (
	id		INTEGER PRIMARY KEY,
	company_id	INTEGER NOT NULL REFERENCES companies (id),
	name		TEXT NOT NULL,
	prefix		TEXT NOT NULL,
	key_hash	TEXT NOT NULL UNIQUE,
	scopes		TEXT NOT NULL,
	created_by	INTEGER REFERENCES users (id),
	created_at	BIGINT NOT NULL,
	last_used_at	BIGINT,
	last_used_ip	TEXT NOT NULL DEFAULT '',
	revoked_at	BIGINT
);
CREATE INDEX api_keys_company ON api_keys (company_id, id);

-- One document as it was accepted.  The distributor's code and name, the
-- licence, the device and the agent are copied at receipt, so the feed
-- shows what was true when the data came.  body is the canonical JSON of
-- the document (what the feed sends) and content_hash its BLAKE2b: the
-- same uuid with the same hash is a duplicate, with another a conflict.
-- Exactly one of device_id (a phone) and api_key_id (a system) is set.
CREATE TABLE documents (
	id		INTEGER PRIMARY KEY,
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	distributor_id	INTEGER NOT NULL REFERENCES companies (id),
	position	BIGINT NOT NULL,
	uuid		TEXT NOT NULL,
	content_hash	TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('order', 'sale', 'return',
			    'payment', 'visit', 'stock', 'debt')),
	number		TEXT NOT NULL,
	doc_at		BIGINT NOT NULL,
	received_at	BIGINT NOT NULL,
	distributor_code BIGINT NOT NULL,
	distributor_name TEXT NOT NULL,
	licence_id	INTEGER REFERENCES licences (id),
	licence_number	TEXT NOT NULL DEFAULT '',
	device_id	INTEGER REFERENCES devices (id),
	device_mdm_id	TEXT NOT NULL DEFAULT '',
	api_key_id	INTEGER REFERENCES api_keys (id),
	agent		TEXT NOT NULL DEFAULT '',
	outlet_code	TEXT NOT NULL DEFAULT '',
	total		BIGINT NOT NULL,
	body		TEXT NOT NULL
);
-- A uuid is made by the distributor's phone or system: unique within it.
CREATE UNIQUE INDEX documents_uuid ON documents (distributor_id, uuid);
CREATE UNIQUE INDEX documents_feed ON documents (supplier_id, position);
CREATE INDEX documents_distributor ON documents (distributor_id, id);

-- Documents refused, one row per (distributor, supplier, uuid) with the
-- latest reason and how often it was sent; a row stays after the document
-- is accepted later (Контроль shows that it was).
CREATE TABLE document_rejects (
	id		INTEGER PRIMARY KEY,
	distributor_id	INTEGER NOT NULL REFERENCES companies (id),
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	uuid		TEXT NOT NULL,
	kind		TEXT NOT NULL DEFAULT '',
	number		TEXT NOT NULL DEFAULT '',
	licence_id	INTEGER REFERENCES licences (id),
	api_key_id	INTEGER REFERENCES api_keys (id),
	code		TEXT NOT NULL,
	message		TEXT NOT NULL,
	attempts	BIGINT NOT NULL DEFAULT 1,
	first_at	BIGINT NOT NULL,
	last_at		BIGINT NOT NULL
);
CREATE UNIQUE INDEX document_rejects_uuid
    ON document_rejects (distributor_id, supplier_id, uuid);
CREATE INDEX document_rejects_distributor
    ON document_rejects (distributor_id, last_at);

-- Per day (UTC, day = ms / 86400000), supplier, distributor and licence
-- (0 for a system's uploads): documents accepted, refused, and the last
-- upload.  Written in the upload's transaction; read by «Контроль».
CREATE TABLE exchange_days (
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	distributor_id	INTEGER NOT NULL REFERENCES companies (id),
	licence_id	BIGINT NOT NULL,
	day		BIGINT NOT NULL,
	documents	BIGINT NOT NULL DEFAULT 0,
	rejected	BIGINT NOT NULL DEFAULT 0,
	last_at		BIGINT NOT NULL,
	PRIMARY KEY (supplier_id, distributor_id, licence_id, day)
);
CREATE INDEX exchange_days_distributor
    ON exchange_days (distributor_id, day);

-- A named reader of the feed and the position it committed.
CREATE TABLE feed_consumers (
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	name		TEXT NOT NULL,
	position	BIGINT NOT NULL,
	api_key_id	INTEGER REFERENCES api_keys (id),
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	PRIMARY KEY (supplier_id, name)
);

-- What a supplier publishes to phones.  target 'all' reaches every
-- distributor linked at download time; 'codes' and 'licences' reach the
-- rows of package_targets.  A package is offered to a device until the
-- device acknowledges it.
CREATE TABLE packages (
	id		INTEGER PRIMARY KEY,
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	position	BIGINT NOT NULL UNIQUE,
	kind		TEXT NOT NULL CHECK (kind IN ('catalogue', 'prices',
			    'outlets', 'tasks', 'messages')),
	target		TEXT NOT NULL CHECK (target IN ('all', 'codes',
			    'licences')),
	name		TEXT NOT NULL DEFAULT '',
	payload		TEXT NOT NULL,
	size		BIGINT NOT NULL,
	api_key_id	INTEGER REFERENCES api_keys (id),
	created_at	BIGINT NOT NULL
);
CREATE INDEX packages_supplier ON packages (supplier_id, position);

CREATE TABLE package_targets (
	package_id	INTEGER NOT NULL REFERENCES packages (id),
	distributor_id	INTEGER REFERENCES companies (id),
	licence_id	INTEGER REFERENCES licences (id),
	CHECK ((distributor_id IS NULL) <> (licence_id IS NULL))
);
CREATE INDEX package_targets_package ON package_targets (package_id);

CREATE TABLE package_acks (
	package_id	INTEGER NOT NULL REFERENCES packages (id),
	device_id	INTEGER NOT NULL REFERENCES devices (id),
	licence_id	INTEGER NOT NULL REFERENCES licences (id),
	acked_at	BIGINT NOT NULL,
	PRIMARY KEY (package_id, device_id)
);
