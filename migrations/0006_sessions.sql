-- One account per fid, sessions that end, and revocation that reaches every
-- token of an account (issue 15, items 2 and 5).

-- A fid is bound to at most one account: the data of a fid (figures,
-- settings, triage) belongs to whoever holds it.  A team sharing one fid is
-- a later feature (read grants), not two accounts on the same fid.  Stop,
-- naming them, rather than pick a winner when accounts already share a fid.
DO $$
DECLARE
	dups	text;
BEGIN
	SELECT string_agg(format('fid %s: %s', fid, names), '; ' ORDER BY fid)
	  INTO dups
	  FROM (SELECT fid, string_agg(username, ', ' ORDER BY username) AS names
		  FROM accounts WHERE fid IS NOT NULL
		 GROUP BY fid HAVING count(*) > 1) d;
	IF dups IS NOT NULL THEN
		RAISE EXCEPTION 'accounts share a fid, and from now on a fid is bound to one account only: %', dups
		    USING HINT = 'keep one account per fid (replycastctl user bind NAME FID, or user del NAME), then run the migration again';
	END IF;
END
$$;

-- Self-registered accounts have no fid until an administrator binds one
-- (later: until Sign In with Farcaster proves it).
ALTER TABLE accounts ALTER COLUMN fid DROP NOT NULL;
DROP INDEX accounts_fid;
CREATE UNIQUE INDEX accounts_fid ON accounts (fid);

-- The token generation of an account: access tokens carry the generation
-- they were issued under, refresh families the one they started under.
-- Bumping it (password, role or fid change, logout everywhere) refuses
-- every older token at once.  No foreign key: the row outlives a deleted
-- account as a tombstone (the largest bigint), so the deleted account's
-- tokens stay refused.  No row: generation 0.
CREATE TABLE token_cutoffs (
	account_id	bigint PRIMARY KEY,
	gen		bigint NOT NULL CHECK (gen >= 0),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Revoked sessions (refresh families), like revoked_tokens for jtis:
-- Redis holds the same set (rtfam:<sid>) for the fast path, this table for
-- when Redis is down.
CREATE TABLE revoked_sessions (
	sid		text PRIMARY KEY,
	expires_at	timestamptz NOT NULL
);
