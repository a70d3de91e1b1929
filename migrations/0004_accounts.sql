-- Accounts, API keys and the audit trail of the auth pool.

-- An account is bound to one Farcaster fid.  username may be an email.
CREATE TABLE accounts (
	id		bigserial PRIMARY KEY,
	username	text NOT NULL UNIQUE
			CHECK (username ~ '^[A-Za-z0-9_.@+-]{1,64}$'),
	pw_hash		text NOT NULL,
	role		text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
	fid		bigint NOT NULL CHECK (fid > 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_fid ON accounts (fid);

-- Only the SHA-256 of a key is stored; prefix is shown to tell keys apart.
CREATE TABLE api_keys (
	id		bigserial PRIMARY KEY,
	account_id	bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	key_hash	text NOT NULL UNIQUE,
	prefix		text NOT NULL,
	scope		text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'ingest')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- Who did what, when, from where; never a secret.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	account_id	bigint,
	username	text,
	action		text NOT NULL,
	client_addr	text,
	request_id	text,
	detail		text
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Logged-out access tokens until they expire; Redis holds the same set for
-- the fast path, this table for when Redis is down.
CREATE TABLE revoked_tokens (
	jti		text PRIMARY KEY,
	expires_at	timestamptz NOT NULL
);
