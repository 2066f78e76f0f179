-- 002 outbox (SQLite): mail waiting to be sent.  A row is written in the
-- same transaction as the change that causes the mail and drained by the
-- mail worker (src/mail/worker.c), which claims a row by setting
-- claimed_until to the end of its lease and sets sent_at once delivered.
-- Sent rows are kept.  Times are Unix milliseconds.  pg/002_outbox.sql is
-- the same schema for PostgreSQL.

CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	created_at	BIGINT NOT NULL,
	to_addr		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body_text	TEXT NOT NULL,
	body_html	TEXT NOT NULL,
	message_id	TEXT NOT NULL UNIQUE,
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	BIGINT NOT NULL,
	last_error	TEXT,
	sent_at		BIGINT,
	claimed_until	BIGINT
);

-- The worker's question, "what is unsent and due?", reads only this.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id)
    WHERE sent_at IS NULL;
