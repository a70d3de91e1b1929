-- What counts as an answer (issue 19, item 1): a definition per user,
-- versioned, and the stored facts both engines read under it
-- (docs/engine.md, "What counts as an answer").
--
-- answer: 'direct' (inbound.answer_*, as before) or 'thread' (any reply by
-- the user below the cast, thread_answers).  likes: a like by the user on
-- an unanswered cast acknowledges it (never a reply).  dismissed:
-- 'excluded' drops casts marked done from the figures.  definition_version
-- moves on every change of the three.
ALTER TABLE user_settings
	ADD COLUMN answer text NOT NULL DEFAULT 'direct'
		CHECK (answer IN ('direct', 'thread')),
	ADD COLUMN likes boolean NOT NULL DEFAULT false,
	ADD COLUMN dismissed text NOT NULL DEFAULT 'counted'
		CHECK (dismissed IN ('counted', 'excluded')),
	ADD COLUMN definition_version integer NOT NULL DEFAULT 1
		CHECK (definition_version > 0);

-- Thread answers of the users whose answer is 'thread' (rows only for
-- answered casts).  A table beside inbound rather than columns in it: the
-- covering index inbound_fid_ts and the bulk load's rebuild of inbound stay
-- as they are, and a 'direct' user's query joins no rows.
CREATE TABLE thread_answers (
	fid		bigint NOT NULL,
	hash		bytea NOT NULL,
	answer_hash	bytea NOT NULL,
	answered_at	timestamptz NOT NULL,
	rt		integer NOT NULL,
	PRIMARY KEY (fid, hash)
);

-- Likes (ReactionAdd/ReactionRemove of type like) by a user on a cast: the
-- newest message for the pair wins, a removal on a tie (the Hub's rule).
CREATE TABLE likes (
	fid		bigint NOT NULL CHECK (fid > 0),
	target_hash	bytea NOT NULL CHECK (length(target_hash) = 20),
	ts		timestamptz NOT NULL,
	removed		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (fid, target_hash)
);

-- Recomputes user u's thread answers from the stored casts: for each of
-- u's inbound casts C (only those in hashes unless it is NULL), u's earliest
-- non-removed cast R at or after C with C on R's parent chain (parent_hash
-- links through stored casts, removed ones included; at most 256 levels
-- down).  True when a row changed.
CREATE FUNCTION rc_thread_answers(u bigint, hashes bytea[] DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	m bigint;
BEGIN
	-- Checked first: IF NOT EXISTS would send a NOTICE on every call.
	IF to_regclass('pg_temp.thread_best') IS NULL THEN
		CREATE TEMP TABLE thread_best (hash bytea, answer_hash bytea,
			answered_at timestamptz, rt integer);
	END IF;
	TRUNCATE thread_best;
	WITH RECURSIVE d AS (
		SELECT i.hash AS c, i.ts AS cts, k.hash AS h, k.fid, k.ts,
			k.deleted, 1 AS depth
		FROM inbound i JOIN casts k ON k.parent_hash = i.hash
		WHERE i.fid = u AND (hashes IS NULL OR i.hash = ANY (hashes))
		UNION ALL
		SELECT d.c, d.cts, k.hash, k.fid, k.ts, k.deleted, d.depth + 1
		FROM d JOIN casts k ON k.parent_hash = d.h
		WHERE d.depth < 256
	)
	INSERT INTO thread_best
	SELECT DISTINCT ON (d.c) d.c, d.h, d.ts,
		extract(epoch FROM d.ts - d.cts)::integer
	FROM d WHERE d.fid = u AND NOT d.deleted AND d.ts >= d.cts
	ORDER BY d.c, d.ts, d.h;
	DELETE FROM thread_answers t WHERE t.fid = u
	  AND (hashes IS NULL OR t.hash = ANY (hashes))
	  AND NOT EXISTS (SELECT 1 FROM thread_best b WHERE b.hash = t.hash);
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO thread_answers AS t (fid, hash, answer_hash, answered_at, rt)
	SELECT u, hash, answer_hash, answered_at, rt FROM thread_best
	ON CONFLICT (fid, hash) DO UPDATE SET answer_hash = EXCLUDED.answer_hash,
		answered_at = EXCLUDED.answered_at, rt = EXCLUDED.rt
	WHERE t.answer_hash IS DISTINCT FROM EXCLUDED.answer_hash;
	GET DIAGNOSTICS m = ROW_COUNT;
	RETURN n + m > 0;
END
$$;

-- Thread answers of the 'thread' users among fids (all of them when fids
-- is NULL) recomputed; the ones that changed get a new data version and
-- are returned.
CREATE FUNCTION rc_thread_refresh(fids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	u bigint;
	changed bigint[] := '{}';
BEGIN
	FOR u IN SELECT s.fid FROM user_settings s WHERE s.answer = 'thread'
	    AND (fids IS NULL OR s.fid = ANY (fids)) ORDER BY s.fid LOOP
		IF rc_thread_answers(u) THEN
			changed := changed || u;
		END IF;
	END LOOP;
	INSERT INTO fid_versions AS v (fid) SELECT unnest(changed)
	ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
	RETURN changed;
END
$$;

-- After rc_apply_stage, in the same transaction: a thread answer can change
-- only for an inbound cast C above (or equal to) a cast the batch added or
-- removed, since only C's subtree decides it; a cast that arrives late also
-- links the casts below it to the thread above it.  So: every stored
-- ancestor of the batch's new and removed casts, for the recipients of that
-- ancestor (parent's author, mentioned fids) whose answer is 'thread'.
-- During a bulk load nothing: its end recomputes every 'thread' user.
-- Returns the users whose answers changed (with a new data version).
CREATE FUNCTION rc_thread_stage() RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	p record;
	changed bigint[] := '{}';
BEGIN
	IF NOT EXISTS (SELECT 1 FROM user_settings WHERE answer = 'thread')
	    OR rc_bulk_active() THEN
		RETURN changed;
	END IF;
	FOR p IN
		WITH RECURSIVE a AS (
			SELECT hash AS h, 0 AS depth FROM stage_new
			UNION SELECT hash, 0 FROM stage_removed
			UNION
			SELECT c.parent_hash, a.depth + 1 FROM a
			JOIN casts c ON c.hash = a.h
			WHERE c.parent_hash IS NOT NULL AND a.depth < 256
		), r AS (
			SELECT x.u, c.hash FROM a JOIN casts c ON c.hash = a.h,
			LATERAL (SELECT c.parent_fid AS u
				UNION SELECT unnest(c.mentions)) x
			WHERE x.u IS NOT NULL AND x.u <> c.fid
		)
		SELECT r.u, array_agg(DISTINCT r.hash) AS hashes
		FROM r JOIN user_settings s ON s.fid = r.u AND s.answer = 'thread'
		GROUP BY r.u ORDER BY r.u
	LOOP
		IF rc_thread_answers(p.u, p.hashes) THEN
			changed := changed || p.u;
		END IF;
	END LOOP;
	INSERT INTO fid_versions AS v (fid) SELECT unnest(changed)
	ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
	RETURN changed;
END
$$;

-- Likes of a batch: the session's stage_likes (created by rc_stage_likes),
-- merged in the caller's transaction; the likers get a new data version
-- (their inbox changes) and are returned.
CREATE FUNCTION rc_stage_likes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS stage_likes (
		fid bigint, target_hash bytea, ts bigint, removed boolean);
	TRUNCATE stage_likes;
END
$$;

CREATE FUNCTION rc_apply_likes(OUT n_likes bigint, OUT fids bigint[])
LANGUAGE plpgsql AS $$
BEGIN
	WITH s AS (
		SELECT DISTINCT ON (fid, target_hash) * FROM stage_likes
		ORDER BY fid, target_hash, ts DESC, removed DESC
	), up AS (
		INSERT INTO likes AS l (fid, target_hash, ts, removed)
		SELECT fid, target_hash, to_timestamp(ts), removed FROM s
		ON CONFLICT (fid, target_hash) DO UPDATE SET ts = EXCLUDED.ts,
			removed = EXCLUDED.removed
		WHERE EXCLUDED.ts > l.ts OR (EXCLUDED.ts = l.ts AND EXCLUDED.removed
			AND NOT l.removed)
		RETURNING l.fid
	)
	SELECT count(*), coalesce(array_agg(DISTINCT fid), '{}') INTO n_likes, fids
	FROM up;
	INSERT INTO fid_versions AS v (fid) SELECT unnest(fids)
	ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
END
$$;

-- A change of user u's answer setting, inside the settings write: 'thread'
-- computes the thread answers from the stored casts, 'direct' drops them.
CREATE FUNCTION rc_thread_set(u bigint, answer text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF answer = 'thread' THEN
		RETURN rc_thread_answers(u);
	END IF;
	DELETE FROM thread_answers WHERE fid = u;
	RETURN true;
END
$$;

-- The stage tables of a batch now include stage_likes.
CREATE OR REPLACE FUNCTION rc_stage_open() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	PERFORM rc_stage_create();
	PERFORM rc_stage_likes();
	CREATE TEMP TABLE IF NOT EXISTS stage_cast_rows (
		hash bytea, fid bigint, ts timestamptz, text text,
		parent_hash bytea, parent_fid bigint, parent_url text,
		mentions bigint[], root_hash bytea);
	TRUNCATE stage_cast_rows;
	RETURN rc_bulk_active();
END
$$;
