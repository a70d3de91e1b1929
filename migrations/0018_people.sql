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
