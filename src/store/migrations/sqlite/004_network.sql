-- 004_network: a supplier's distributor network.  One row of links is one
-- invitation that may become a link: it starts 'invited' with a token,
-- becomes 'accepted' (the distributor company is then known), or ends as
-- 'declined', 'revoked' or 'disconnected'.  'expired' is not stored: it is
-- an 'invited' row whose expires_at has passed.  Only the hash of the
-- invitation token is kept, and it is cleared once the token is spent.
-- Times are Unix milliseconds.

CREATE TABLE links (
	id		INTEGER PRIMARY KEY,
	supplier_id	INTEGER NOT NULL REFERENCES companies (id),
	distributor_id	INTEGER REFERENCES companies (id),
	code		INTEGER NOT NULL CHECK (code BETWEEN 10000 AND 99999),
	name		TEXT NOT NULL,
	email		TEXT NOT NULL,
	lang		TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
	status		TEXT NOT NULL CHECK (status IN ('invited', 'accepted',
			    'declined', 'revoked', 'disconnected')),
	token_hash	TEXT UNIQUE,
	expires_at	INTEGER NOT NULL,
	manage_licences	INTEGER NOT NULL DEFAULT 0
			    CHECK (manage_licences IN (0, 1)),
	reason		TEXT NOT NULL DEFAULT '',
	invited_by	INTEGER REFERENCES users (id),
	created_at	INTEGER NOT NULL,
	invited_at	INTEGER NOT NULL,
	accepted_at	INTEGER,
	ended_at	INTEGER,
	updated_at	INTEGER NOT NULL
);

-- A code names one distributor in the supplier's own system for as long
-- as the row may still carry data: invited, linked, or disconnected with
-- its history kept.  Declined and revoked invitations give the code back.
CREATE UNIQUE INDEX links_supplier_code ON links (supplier_id, code)
    WHERE status IN ('invited', 'accepted', 'disconnected');

-- One active link per supplier and distributor.
CREATE UNIQUE INDEX links_pair_active ON links (supplier_id, distributor_id)
    WHERE status = 'accepted';

CREATE INDEX links_supplier ON links (supplier_id, id);
CREATE INDEX links_distributor ON links (distributor_id, id);
