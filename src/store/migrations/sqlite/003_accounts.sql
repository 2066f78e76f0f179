-- 003_accounts: users, their sessions, single-use tokens (password reset
-- and first password) and failed-attempt records for throttling.
-- Times are Unix milliseconds, and secrets are stored only as hex hashes.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	company_id	INTEGER NOT NULL REFERENCES companies (id),
	email		TEXT NOT NULL,
	name		TEXT NOT NULL DEFAULT '',
	role		TEXT NOT NULL
	    CHECK (role IN ('owner', 'admin', 'member', 'operator')),
	password_hash	TEXT NOT NULL DEFAULT '',
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	lang		TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	last_login_at	INTEGER
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_company ON users (company_id, id);

CREATE TABLE sessions (
	id		INTEGER PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,
	user_id		INTEGER NOT NULL REFERENCES users (id),
	company_id	INTEGER NOT NULL REFERENCES companies (id),
	csrf_token	TEXT NOT NULL,
	remember	INTEGER NOT NULL DEFAULT 0 CHECK (remember IN (0, 1)),
	created_at	INTEGER NOT NULL,
	last_seen_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE user_tokens (
	id		INTEGER PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,
	user_id		INTEGER NOT NULL REFERENCES users (id),
	purpose		TEXT NOT NULL CHECK (purpose IN ('reset', 'welcome')),
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	used_at		INTEGER
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

CREATE TABLE login_attempts (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	noted_at	INTEGER NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (kind, subject, noted_at);
CREATE INDEX login_attempts_at ON login_attempts (noted_at);
