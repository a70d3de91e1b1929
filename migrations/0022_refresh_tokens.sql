-- Refresh tokens in PostgreSQL (issue 21): losing Redis's data logs nobody
-- out, and a used token presented again is still seen.  A token is kept by
-- its SHA-256 only, until it would have expired; a used one stays so that
-- its reuse revokes the family (revoked_sessions).
CREATE TABLE refresh_tokens (
	hash		text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
	family		text NOT NULL CHECK (family ~ '^[0-9a-f]{32}$'),
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	used		boolean NOT NULL DEFAULT false,
	gen		bigint NOT NULL,
	started_at	bigint NOT NULL,	-- the sign-in, unix seconds
	expires_at	timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
CREATE INDEX revoked_sessions_expires ON revoked_sessions (expires_at);

-- One rotation, as the Redis script did it: p_old's row is locked, so of two
-- rotations of one token the second sees it used.  p_ttl: the refresh TTL
-- (also how long a revoked family is remembered); p_max: the session's
-- maximum age.  verdict: ok, unknown, revoked, reuse or expired.
CREATE FUNCTION rc_refresh_rotate(p_old text, p_new text, p_ttl bigint,
    p_max bigint)
RETURNS TABLE (verdict text, account bigint, family text, gen bigint,
    start bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t	refresh_tokens%ROWTYPE;
	left_s	bigint;
BEGIN
	SELECT * INTO t FROM refresh_tokens r
	 WHERE r.hash = p_old AND r.expires_at > now() FOR UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'unknown'::text, NULL::bigint, NULL::text,
		    NULL::bigint, NULL::bigint;
		RETURN;
	END IF;
	verdict := 'ok';
	IF EXISTS (SELECT 1 FROM revoked_sessions s
	    WHERE s.sid = t.family AND s.expires_at > now()) THEN
		verdict := 'revoked';
	ELSIF t.used THEN
		INSERT INTO revoked_sessions (sid, expires_at)
		VALUES (t.family, now() + make_interval(secs => p_ttl))
		ON CONFLICT (sid) DO UPDATE
		   SET expires_at = greatest(revoked_sessions.expires_at,
		       EXCLUDED.expires_at);
		verdict := 'reuse';
	ELSE
		left_s := t.started_at + p_max - extract(epoch FROM now())::bigint;
		IF left_s < 1 THEN
			DELETE FROM refresh_tokens r WHERE r.hash = p_old;
			verdict := 'expired';
		ELSE
			UPDATE refresh_tokens r SET used = true
			 WHERE r.hash = p_old;
			INSERT INTO refresh_tokens (hash, family, account_id,
			    gen, started_at, expires_at)
			VALUES (p_new, t.family, t.account_id, t.gen,
			    t.started_at, now() + make_interval(secs =>
			    least(p_ttl, left_s)));
		END IF;
	END IF;
	RETURN QUERY SELECT verdict, t.account_id, t.family, t.gen,
	    t.started_at;
END
$$;
