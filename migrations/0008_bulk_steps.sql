-- The end of a bulk load in steps that two connections can run side by
-- side (issue 17): the casts' key first; then each connection derives the
-- inbound facts of half the fids into a new table, "inbound_next" (one also
-- builds the casts' index); then its indexes on both; rc_bulk_finish swaps
-- it in.
-- Each step commits on its own and is safe to cut off: rc_bulk_finish, in
-- one transaction, does whatever the steps did not, so readers see the old
-- inbound until the swap and a rerun after kill -9 ends as a clean load.

-- keyed: the casts' key is back (and removals marked) and inbound_next
-- made.  halves: bit k set when inbound_next holds the facts, as the casts
-- are now, of every fid with fid % 2 = k.  A batch during a bulk load
-- resets both (rc_bulk_active).
ALTER TABLE ingest_bulk ADD COLUMN keyed boolean NOT NULL DEFAULT false,
	ADD COLUMN halves smallint NOT NULL DEFAULT 0;

-- A batch writing during a bulk load whose end has begun: the casts get no
-- key again and what was derived goes (casts and removals change).
CREATE OR REPLACE FUNCTION rc_bulk_active() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	b ingest_bulk;
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	SELECT * INTO b FROM ingest_bulk;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF b.keyed THEN
		PERFORM rc_bulk_unkey();
	END IF;
	RETURN true;
END
$$;

CREATE FUNCTION rc_bulk_unkey() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	-- The locks on casts first: a step still running ends before the row
	-- is updated, so the two never wait on each other.
	ALTER TABLE casts DROP CONSTRAINT IF EXISTS casts_pkey;
	DROP INDEX IF EXISTS casts_parent;
	DROP TABLE IF EXISTS inbound_next;
	UPDATE ingest_bulk SET keyed = false, halves = 0;
END
$$;

-- A rerun with --bulk of a load whose end had begun.
CREATE OR REPLACE FUNCTION rc_bulk_begin() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE ingest_bulk IN EXCLUSIVE MODE;
	IF EXISTS (SELECT 1 FROM ingest_bulk) THEN
		IF EXISTS (SELECT 1 FROM ingest_bulk WHERE keyed) THEN
			PERFORM rc_bulk_unkey();
		END IF;
		RETURN;
	END IF;
	INSERT INTO ingest_bulk (casts_before, removals_before)
	SELECT (SELECT count(*) FROM casts), (SELECT count(*) FROM removals);
	ALTER TABLE casts DROP CONSTRAINT IF EXISTS casts_pkey;
	DROP INDEX IF EXISTS casts_parent;
END
$$;

-- Step 1: the casts' key, and an empty inbound_next.  True when a bulk
-- load is under way.
CREATE FUNCTION rc_bulk_key() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN EXCLUSIVE MODE;
	IF NOT EXISTS (SELECT 1 FROM ingest_bulk) THEN
		RETURN false;
	END IF;
	IF NOT (SELECT keyed FROM ingest_bulk) THEN
		SET LOCAL maintenance_work_mem = '512MB';
		PERFORM rc_casts_rekey();
		DROP TABLE IF EXISTS inbound_next;
		CREATE TABLE inbound_next (LIKE inbound INCLUDING DEFAULTS
			INCLUDING CONSTRAINTS);
		UPDATE ingest_bulk SET keyed = true, halves = 0;
	END IF;
	RETURN true;
END
$$;

-- Whether casts or removals changed since the load began.
CREATE FUNCTION rc_bulk_changed(b ingest_bulk) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (SELECT count(*) FROM casts) <> b.casts_before
	    OR (SELECT count(*) FROM removals) <> b.removals_before
$$;

-- Steps 2 and 3 run side by side, but one step runs once at a time: two
-- runs ending the same load wait for each other's step, then see it done.
CREATE FUNCTION rc_bulk_step_lock(step text) RETURNS void LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(hashtext('rc_bulk_step'), hashtext(step))
$$;

-- Step 3 (beside the indexes of inbound_next): the casts' parent index and
-- their statistics.
CREATE FUNCTION rc_bulk_casts_index() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('casts_parent');
	IF NOT EXISTS (SELECT 1 FROM ingest_bulk WHERE keyed)
	   OR to_regclass('casts_parent') IS NOT NULL THEN
		RETURN;
	END IF;
	SET LOCAL maintenance_work_mem = '512MB';
	SET LOCAL max_parallel_maintenance_workers = 0;
	CREATE INDEX casts_parent ON casts (parent_hash, fid, ts)
		WHERE parent_hash IS NOT NULL;
	ANALYZE casts;
END
$$;

-- Step 2 (the two halves side by side): the inbound facts, with
-- their answers, of every stored cast for the fids with fid % 2 = half;
-- the same rows rc_apply_inbound keeps batch by batch.  Not sorted: rows in
-- (fid, ts) order made each index at most 0.05 s faster at 300 000 casts,
-- less than the sort cost.
CREATE FUNCTION rc_bulk_derive(half integer) RETURNS bigint
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	b ingest_bulk;
	n bigint;
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('derive ' || half);
	SELECT * INTO b FROM ingest_bulk;
	IF NOT FOUND OR NOT b.keyed OR b.halves & (1 << half) <> 0
	   OR NOT rc_bulk_changed(b) THEN
		RETURN 0;
	END IF;
	-- Estimates for the fresh rows are poor, and a merge join sorts both
	-- sides by bytea: hashing them measured 2 x faster.
	SET LOCAL enable_mergejoin = off;
	SET LOCAL work_mem = '256MB';
	WITH f AS MATERIALIZED (
		SELECT c.parent_fid AS fid, c.hash, c.fid AS author_fid, c.ts,
			(CASE WHEN c.parent_fid = ANY (c.mentions) THEN 3 ELSE 1 END)::smallint AS kind,
			c.deleted
		FROM casts c
		WHERE c.parent_hash IS NOT NULL AND c.parent_fid IS NOT NULL
		  AND c.parent_fid <> c.fid AND c.parent_fid % 2 = half
		UNION ALL
		SELECT m.fid, c.hash, c.fid, c.ts, 2::smallint, c.deleted
		FROM casts c, unnest(c.mentions) WITH ORDINALITY AS m (fid, o)
		WHERE c.mentions <> '{}' AND m.fid <> c.fid AND m.fid % 2 = half
		  AND array_position(c.mentions, m.fid) = m.o
		  AND NOT (c.parent_hash IS NOT NULL AND c.parent_fid IS NOT NULL
			AND m.fid = c.parent_fid)
	), a AS (
		SELECT DISTINCT ON (r.fid, r.parent_hash) r.fid,
			r.parent_hash AS hash, r.hash AS rhash, r.ts AS rts
		FROM f JOIN casts r ON r.parent_hash = f.hash AND r.fid = f.fid
		WHERE NOT r.deleted AND r.ts >= f.ts AND r.parent_hash IS NOT NULL
		  AND r.fid % 2 = half
		ORDER BY r.fid, r.parent_hash, r.ts, r.hash
	)
	INSERT INTO inbound_next (fid, hash, author_fid, ts, kind, deleted,
		answer_hash, answered_at, rt)
	SELECT f.fid, f.hash, f.author_fid, f.ts, f.kind, f.deleted, a.rhash,
		a.rts, extract(epoch FROM a.rts - f.ts)::integer
	FROM f LEFT JOIN a ON a.fid = f.fid AND a.hash = f.hash;
	GET DIAGNOSTICS n = ROW_COUNT;
	-- The other half's step may have set its bit since: the update reads
	-- the row as it is now.
	UPDATE ingest_bulk SET halves = halves | (1 << half);
	RETURN n;
END
$$;

-- Step 3 (any of them on either connection, side by side): one index of
-- inbound_next, or its statistics.  Names: inbound_next_pkey, inbound_next_fid_ts,
-- inbound_next_open; the swap renames them.
CREATE FUNCTION rc_bulk_inbound_index(which text) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock(which);
	IF NOT EXISTS (SELECT 1 FROM ingest_bulk WHERE halves = 3) THEN
		RETURN;
	END IF;
	SET LOCAL maintenance_work_mem = '512MB';
	SET LOCAL max_parallel_maintenance_workers = 0;
	-- The key as a plain unique index: ADD PRIMARY KEY would lock out the
	-- other connection's index build; the swap makes it the key.
	IF which = 'pkey' THEN
		CREATE UNIQUE INDEX IF NOT EXISTS inbound_next_pkey
			ON inbound_next (fid, hash);
	ELSIF which = 'fid_ts' THEN
		CREATE INDEX IF NOT EXISTS inbound_next_fid_ts ON inbound_next (fid, ts)
			INCLUDE (rt, answered_at, author_fid, kind, deleted);
	ELSIF which = 'open' THEN
		CREATE INDEX IF NOT EXISTS inbound_next_open ON inbound_next (fid, ts, hash)
			INCLUDE (author_fid, kind) WHERE answered_at IS NULL AND NOT deleted;
	ELSIF which = 'analyze' THEN
		ANALYZE inbound_next;
	ELSE
		RAISE EXCEPTION 'rc_bulk_inbound_index: no step %', which;
	END IF;
END
$$;

-- Ends a bulk load (nothing when none is under way), in one transaction:
-- whatever steps 1 to 3 did not do, then inbound_next becomes inbound and
-- every fid gets a new data version.  When no batch changed casts or
-- removals, inbound and the data versions are left alone: a rerun changes
-- nothing.
CREATE OR REPLACE FUNCTION rc_bulk_finish(OUT casts_new bigint,
	OUT inbound_new bigint, OUT fids bigint)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	b ingest_bulk;
	s text;
BEGIN
	casts_new := 0;
	inbound_new := 0;
	fids := 0;
	LOCK TABLE ingest_bulk IN EXCLUSIVE MODE;
	SELECT * INTO b FROM ingest_bulk;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SET LOCAL work_mem = '128MB';
	SET LOCAL maintenance_work_mem = '512MB';
	PERFORM rc_bulk_key();
	casts_new := (SELECT count(*) FROM casts) - b.casts_before;
	IF rc_bulk_changed(b) THEN
		PERFORM rc_bulk_derive(0);
		PERFORM rc_bulk_derive(1);
		FOREACH s IN ARRAY ARRAY['pkey', 'fid_ts', 'open', 'analyze'] LOOP
			PERFORM rc_bulk_inbound_index(s);
		END LOOP;
		inbound_new := (SELECT count(*) FROM inbound_next);
		LOCK TABLE inbound IN ACCESS EXCLUSIVE MODE;
		DROP TABLE inbound;
		ALTER TABLE inbound_next RENAME TO inbound;
		ALTER TABLE inbound ADD CONSTRAINT inbound_pkey
			PRIMARY KEY USING INDEX inbound_next_pkey;
		ALTER INDEX inbound_next_fid_ts RENAME TO inbound_fid_ts;
		ALTER INDEX inbound_next_open RENAME TO inbound_open;
		INSERT INTO fid_versions AS v (fid)
		SELECT fid FROM casts UNION SELECT fid FROM inbound
		ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
		GET DIAGNOSTICS fids = ROW_COUNT;
	ELSE
		DROP TABLE inbound_next;
	END IF;
	PERFORM rc_bulk_casts_index();
	DELETE FROM ingest_bulk;
END
$$;

DROP FUNCTION rc_inbound_rebuild();

-- A batch: casts inserted in key order; sorts and hashes of a batch of
-- 100 000 kept in memory (they spilled to disk at 4 MB).
CREATE OR REPLACE FUNCTION rc_apply_stage(
	OUT casts_new bigint, OUT casts_dup bigint, OUT removed bigint,
	OUT profiles bigint, OUT links bigint, OUT inbound_new bigint,
	OUT fids bigint[])
LANGUAGE plpgsql SET jit = off SET work_mem = '64MB' AS $$
DECLARE
	bulk boolean := rc_bulk_active();
BEGIN
	casts_new := 0;
	casts_dup := 0;
	IF bulk THEN
		-- The casts went straight into "casts" (store.c): duplicates and
		-- removals are settled once, by rc_bulk_finish.
		WITH ins AS (
			INSERT INTO removals (hash, fid, ts)
			SELECT hash, fid, to_timestamp(min(ts)) FROM stage_removes
			GROUP BY hash, fid
			ON CONFLICT DO NOTHING
			RETURNING 1
		)
		SELECT count(*) INTO removed FROM ins;
		inbound_new := 0;
		profiles := rc_apply_profiles();
		links := rc_apply_links();
		fids := '{}';
		RETURN;
	END IF;

	-- Casts: only new hashes, in key order; one that was removed before
	-- it arrived is stored removed.
	-- In hash order, the key's order: a join with removals would hash the
	-- batch and insert in the order of its hash table, at random places
	-- in the key (4.1 s for 100 000 casts into 1 M).
	WITH s AS (
		SELECT DISTINCT ON (hash) * FROM stage_cast_rows ORDER BY hash
	), ins AS (
		INSERT INTO casts (hash, fid, ts, text, parent_hash, parent_fid,
			parent_url, mentions, root_hash, deleted)
		SELECT s.hash, s.fid, s.ts, s.text, s.parent_hash,
			s.parent_fid, s.parent_url, s.mentions, s.root_hash,
			EXISTS (SELECT 1 FROM removals r
				WHERE r.hash = s.hash AND r.fid = s.fid)
		FROM s
		ON CONFLICT (hash) DO NOTHING
		RETURNING hash, fid, ts, parent_hash, parent_fid, mentions, deleted
	)
	INSERT INTO stage_new SELECT * FROM ins;
	GET DIAGNOSTICS casts_new = ROW_COUNT;
	SELECT count(DISTINCT hash) - casts_new INTO casts_dup FROM stage_cast_rows;

	-- Removals: every one is kept; it removes a cast only when it comes
	-- from the cast's author.  "removed" counts the new ones that are not
	-- known to come from someone else.
	WITH ins AS (
		INSERT INTO removals (hash, fid, ts)
		SELECT hash, fid, to_timestamp(min(ts)) FROM stage_removes
		GROUP BY hash, fid
		ON CONFLICT DO NOTHING
		RETURNING hash, fid
	)
	SELECT count(*) INTO removed FROM ins
	WHERE NOT EXISTS (SELECT 1 FROM casts c
		WHERE c.hash = ins.hash AND c.fid <> ins.fid);
	WITH up AS (
		UPDATE casts c SET deleted = true FROM stage_removes r
		WHERE c.hash = r.hash AND c.fid = r.fid AND NOT c.deleted
		RETURNING c.hash, c.fid, c.parent_hash
	)
	INSERT INTO stage_removed SELECT DISTINCT * FROM up;

	inbound_new := rc_apply_inbound();
	profiles := rc_apply_profiles();
	links := rc_apply_links();

	-- Every fid whose figures may have changed gets a new data version.
	INSERT INTO stage_fids SELECT fid FROM stage_new
		UNION SELECT fid FROM stage_touched
		UNION SELECT u FROM stage_new n, unnest(n.mentions) u
		UNION SELECT parent_fid FROM stage_new WHERE parent_fid IS NOT NULL;
	SELECT array_agg(DISTINCT fid ORDER BY fid) INTO fids FROM stage_fids WHERE fid IS NOT NULL;
	INSERT INTO fid_versions AS v (fid)
	SELECT unnest(coalesce(fids, '{}'))
	ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
	fids := coalesce(fids, '{}');
END
$$;
