-- Sign In with Farcaster (issue 18): the nonces the server issues.
--
-- PostgreSQL alone, not Redis: a nonce must be used at most once, and one
-- UPDATE ... WHERE used_at IS NULL AND expires_at > now() RETURNING takes
-- it atomically, also across processes; Redis with a PostgreSQL fallback
-- would let a nonce taken in one store be taken again in the other while
-- Redis comes and goes.  Sign-ins are rare: one row each costs nothing.
--
-- A browser sign-in (the relay channel, no JavaScript) keeps its channel
-- here too, found by the SHA-256 of an opaque cookie: the channel token,
-- which reads the user's signature from the relay, never reaches the
-- browser or a URL.
CREATE TABLE siwf_nonces (
	nonce		text PRIMARY KEY CHECK (nonce ~ '^[A-Za-z0-9]{16,64}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	browser		text UNIQUE,		-- sha256 hex of the rc_siwf cookie
	channel_token	text,
	channel_url	text,
	-- Set when a signed-in account links its fid (Settings): the proof
	-- binds this account, never signs anyone in.
	link_account	bigint REFERENCES accounts ON DELETE CASCADE
);
CREATE INDEX siwf_nonces_expires ON siwf_nonces (expires_at);
