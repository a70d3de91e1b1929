-- Search of the people page and the counterparts endpoint: a case-
-- insensitive substring of a username or display name (ILIKE '%q%'),
-- served by trigram indexes.  pg_trgm is a trusted extension (PostgreSQL
-- 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX profiles_username_trgm ON profiles
	USING gin (username gin_trgm_ops);
CREATE INDEX profiles_display_name_trgm ON profiles
	USING gin (display_name gin_trgm_ops);

-- Profile pictures, fetched by replycast-worker from the pfp_url of stored
-- profiles and served by the dashboard from the same origin (/avatar/FID):
-- a reader's browser never asks a third-party host.  A failed fetch keeps
-- its row without a body (error says why) and is tried again a day later
-- or when the profile's URL changes.
CREATE TABLE avatars (
	fid		bigint PRIMARY KEY CHECK (fid > 0),
	url		text NOT NULL,
	ctype		text CHECK (ctype IN ('image/png', 'image/jpeg',
			    'image/webp', 'image/gif')),
	body		bytea CHECK (length(body) <= 131072),
	error		text,
	fetched_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((ctype IS NULL) = (body IS NULL))
);

-- Where each mention stood in a cast's text (Farcaster keeps mentions out
-- of the text: mentionsPositions, byte offsets), with the mentions as the
-- cast lists them (repeats kept; "mentions" holds them distinct).  NULL:
-- the source gave no positions (Neynar's text already holds the names).
-- The dashboard puts "@username" back at these offsets.
ALTER TABLE casts ADD COLUMN mention_fids bigint[],
	ADD COLUMN mention_pos bigint[];

-- The stage carries them; rc_apply_stage names its columns, so the
-- ingest sets them on the new casts after it (reply/store.c).
CREATE OR REPLACE FUNCTION rc_stage_open() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	PERFORM rc_stage_create();
	PERFORM rc_stage_likes();
	CREATE TEMP TABLE IF NOT EXISTS stage_cast_rows (
		hash bytea, fid bigint, ts timestamptz, text text,
		parent_hash bytea, parent_fid bigint, parent_url text,
		mentions bigint[], root_hash bytea,
		mention_fids bigint[], mention_pos bigint[]);
	TRUNCATE stage_cast_rows;
	RETURN rc_bulk_active();
END
$$;

-- After rc_apply_stage, in its transaction: the positions of the batch's
-- new casts.  Few rows carry them; each walks the key (a hash join would
-- scan every cast, as rc_casts_mark_removed says).
CREATE FUNCTION rc_apply_mention_pos() RETURNS void LANGUAGE plpgsql
SET jit = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
	UPDATE casts c SET mention_fids = s.mention_fids,
		mention_pos = s.mention_pos
	FROM stage_cast_rows s
	WHERE s.mention_pos IS NOT NULL AND c.hash = s.hash
	  AND c.mention_pos IS NULL;
END
$$;
