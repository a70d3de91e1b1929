-- Channels (issue 19, item 4): a goal per channel, and the channel's name.
--
-- A channel is the parent_url of the inbound cast, read from casts at query
-- time (joined by hash, the primary key): inbound keeps no copy, so the
-- ingest and bulk paths stay as they are and no index grows for a figure
-- that reads one user's window (docs/engine.md, "Channels").
CREATE TABLE user_channel_goals (
	fid		bigint NOT NULL CHECK (fid > 0),
	parent_url	text NOT NULL CHECK (length(parent_url) BETWEEN 1 AND 512),
	goal_seconds	integer NOT NULL CHECK (goal_seconds BETWEEN 60 AND 604800),
	PRIMARY KEY (fid, parent_url)
);

-- The short name of a Farcaster channel URL (https://warpcast.com/~/channel/
-- NAME or https://farcaster.xyz/~/channel/NAME), else NULL: other parent
-- URLs (chain://..., web pages) have no name the instance knows.
CREATE FUNCTION rc_channel_name(url text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT substring(url FROM
	    '^https://(?:warpcast\.com|farcaster\.xyz)/~/channel/([a-z0-9][a-z0-9-]{0,63})$')
$$;
