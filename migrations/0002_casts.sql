-- The cast store, the derived "inbound" facts the engine reads, and the
-- functions that keep them current inside each ingest transaction.

CREATE TABLE profiles (
	fid		bigint PRIMARY KEY CHECK (fid > 0),
	username	text,
	display_name	text,
	pfp_url		text,
	bio		text,
	url		text,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Hashes are the 20 raw bytes.  deleted: its author removed it.
CREATE TABLE casts (
	hash		bytea PRIMARY KEY CHECK (length(hash) = 20),
	fid		bigint NOT NULL CHECK (fid > 0),
	ts		timestamptz NOT NULL,
	text		text NOT NULL,
	parent_hash	bytea,
	parent_fid	bigint,
	parent_url	text,
	mentions	bigint[] NOT NULL DEFAULT '{}',
	root_hash	bytea,
	deleted		boolean NOT NULL DEFAULT false
);
-- "Which casts by U answer C": parent_hash = C.hash AND fid = U.
CREATE INDEX casts_parent ON casts (parent_hash, fid, ts) WHERE parent_hash IS NOT NULL;

-- Every removal seen, kept even when its cast has not arrived yet; only one
-- whose fid is the cast's author removes it.
CREATE TABLE removals (
	hash		bytea NOT NULL,
	fid		bigint NOT NULL,
	ts		timestamptz NOT NULL,
	PRIMARY KEY (hash, fid)
);

CREATE TABLE follows (
	fid		bigint NOT NULL,
	target_fid	bigint NOT NULL,
	created_at	timestamptz,
	PRIMARY KEY (fid, target_fid)
);
CREATE INDEX follows_target ON follows (target_fid);

-- One row per (user U, cast C) where C is inbound for U: a direct reply to
-- one of U's casts or a mention of U, by someone else.  answer_* is U's
-- earliest non-removed direct reply to C at or after C's time.
CREATE TABLE inbound (
	fid		bigint NOT NULL,
	hash		bytea NOT NULL,
	author_fid	bigint NOT NULL,
	ts		timestamptz NOT NULL,
	kind		smallint NOT NULL CHECK (kind BETWEEN 1 AND 3),	-- 1 reply, 2 mention, 3 both
	deleted		boolean NOT NULL DEFAULT false,
	answer_hash	bytea,
	answered_at	timestamptz,
	rt		integer,	-- reply time in seconds, kept with answered_at
	PRIMARY KEY (fid, hash)
);
-- Every per-user query is a range scan on (fid, ts) that never reads
-- another user's rows; the covering columns make it index-only.
CREATE INDEX inbound_fid_ts ON inbound (fid, ts)
	INCLUDE (rt, answered_at, author_fid, kind, deleted);
CREATE INDEX inbound_open ON inbound (fid, ts, hash) INCLUDE (author_fid, kind)
	WHERE answered_at IS NULL AND NOT deleted;

-- Bumped for every fid an ingest touches: part of every cache key.
CREATE TABLE fid_versions (
	fid		bigint PRIMARY KEY,
	version		bigint NOT NULL DEFAULT 1,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Per-user settings the engine needs (time zone, working hours, goal, mutes).
-- work_days is a bit set, Monday = 1 ... Sunday = 64; minutes from midnight.
CREATE TABLE user_settings (
	fid		bigint PRIMARY KEY,
	tz		text NOT NULL DEFAULT 'UTC',
	work_days	integer NOT NULL DEFAULT 0 CHECK (work_days BETWEEN 0 AND 127),
	work_start	integer NOT NULL DEFAULT 540 CHECK (work_start BETWEEN 0 AND 1440),
	work_end	integer NOT NULL DEFAULT 1020 CHECK (work_end BETWEEN 0 AND 1440),
	goal_seconds	integer NOT NULL DEFAULT 3600 CHECK (goal_seconds > 0),
	muted		bigint[] NOT NULL DEFAULT '{}',
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT work_hours_in_order CHECK (work_days = 0 OR work_start < work_end)
);

-- Accounts whose conversations follow mode keeps current.
CREATE TABLE tracked (
	fid		bigint PRIMARY KEY CHECK (fid > 0),
	added_at	timestamptz NOT NULL DEFAULT now()
);

-- Where a resumable ingest stopped: a Hub page token or event id.
CREATE TABLE ingest_cursors (
	source		text NOT NULL,
	key		text NOT NULL,
	cursor		text,
	event_id	bigint,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, key)
);

CREATE TABLE ingest_runs (
	id		bigserial PRIMARY KEY,
	source		text NOT NULL,
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	records		bigint NOT NULL DEFAULT 0,
	casts		bigint NOT NULL DEFAULT 0,
	removes		bigint NOT NULL DEFAULT 0,
	profiles	bigint NOT NULL DEFAULT 0,
	links		bigint NOT NULL DEFAULT 0,
	bad		bigint NOT NULL DEFAULT 0,
	error		text
);

-- Seconds of [a, b] inside working hours: on the days in the bit set, from
-- start_min to end_min local time in tz (daylight saving included).  A cast
-- that arrives outside hours starts its clock at the next opening.
CREATE FUNCTION rc_work_seconds(a timestamptz, b timestamptz, tz text,
    days integer, start_min integer, end_min integer)
RETURNS double precision LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	d	date;
	last	date;
	o	timestamptz;
	c	timestamptz;
	total	double precision := 0;
BEGIN
	IF b IS NULL OR b <= a OR days = 0 OR end_min <= start_min THEN
		RETURN CASE WHEN b IS NULL THEN NULL ELSE 0 END;
	END IF;
	d := (a AT TIME ZONE tz)::date;
	last := (b AT TIME ZONE tz)::date;
	WHILE d <= last LOOP
		IF days & (1 << (extract(isodow FROM d)::integer - 1)) <> 0 THEN
			o := (d + make_interval(mins => start_min)) AT TIME ZONE tz;
			c := (d + make_interval(mins => end_min)) AT TIME ZONE tz;
			total := total + greatest(0, extract(epoch FROM least(c, b) - greatest(o, a)));
		END IF;
		d := d + 1;
	END LOOP;
	RETURN total;
END
$$;
