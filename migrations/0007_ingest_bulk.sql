-- Faster ingest (issue 17): new inbound facts get their answer as they are
-- inserted, in key order, instead of being inserted and then updated; and
-- a bulk mode for a load that is large compared with what is stored.
--
-- Bulk mode: while the row of ingest_bulk exists, batches store casts,
-- removals, profiles and links only (each batch still one transaction),
-- and casts_parent is gone.  rc_bulk_finish() then derives "inbound" from
-- the casts in one set-based pass, builds its indexes after the rows, and
-- drops the row, all in one transaction.  A bulk killed at any point leaves
-- the row, and the next ingest finishes it: the result is the same as a
-- clean load's.  Until then readers see the inbound facts as they were.

CREATE TABLE ingest_bulk (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	started_at	timestamptz NOT NULL DEFAULT now(),
	casts_before	bigint NOT NULL,
	removals_before	bigint NOT NULL
);

-- Casts are staged with their final types (binary COPY: raw hashes,
-- timestamptz).  A new name: a session that made the old stage_casts
-- (ts as bigint) before this migration keeps it.
CREATE FUNCTION rc_stage_open() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	PERFORM rc_stage_create();
	CREATE TEMP TABLE IF NOT EXISTS stage_cast_rows (
		hash bytea, fid bigint, ts timestamptz, text text,
		parent_hash bytea, parent_fid bigint, parent_url text,
		mentions bigint[], root_hash bytea);
	TRUNCATE stage_cast_rows;
	RETURN rc_bulk_active();
END
$$;

CREATE FUNCTION rc_bulk_begin() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE ingest_bulk IN EXCLUSIVE MODE;
	IF EXISTS (SELECT 1 FROM ingest_bulk) THEN
		RETURN;
	END IF;
	INSERT INTO ingest_bulk (casts_before, removals_before)
	SELECT (SELECT count(*) FROM casts), (SELECT count(*) FROM removals);
	ALTER TABLE casts DROP CONSTRAINT IF EXISTS casts_pkey;
	DROP INDEX IF EXISTS casts_parent;
END
$$;

-- Whether a bulk load is under way.  The lock, held to the end of the
-- caller's transaction, lets batches run side by side but keeps
-- rc_bulk_begin and rc_bulk_finish (EXCLUSIVE) from running between a
-- batch's check and its commit.
CREATE FUNCTION rc_bulk_active() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	RETURN EXISTS (SELECT 1 FROM ingest_bulk);
END
$$;

-- The casts' primary key again, after dropping every row whose hash was
-- already there (a rerun of a load cut off, a cast stored before): the
-- first stored is kept, as ON CONFLICT DO NOTHING would have.  Removals
-- then mark what they remove, as a batch would have.
CREATE FUNCTION rc_casts_rekey() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	BEGIN
		ALTER TABLE casts ADD CONSTRAINT casts_pkey PRIMARY KEY (hash);
	EXCEPTION WHEN unique_violation THEN
		DELETE FROM casts c USING (
			SELECT hash, min(ctid) AS keep FROM casts
			GROUP BY hash HAVING count(*) > 1
		) d
		WHERE c.hash = d.hash AND c.ctid <> d.keep;
		ALTER TABLE casts ADD CONSTRAINT casts_pkey PRIMARY KEY (hash);
	END;
	PERFORM rc_casts_mark_removed();
END
$$;

-- Removals are few: walked through the new key they took 0.17 s at 1 M
-- casts, where the hash join the planner picks scans every cast (1.2 s).
CREATE FUNCTION rc_casts_mark_removed() RETURNS void LANGUAGE plpgsql
SET jit = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
	UPDATE casts c SET deleted = true FROM removals r
	WHERE c.hash = r.hash AND c.fid = r.fid AND NOT c.deleted;
END
$$;

-- The inbound facts of every stored cast, with their answers, from
-- scratch; the same rows rc_apply_inbound keeps batch by batch.
CREATE FUNCTION rc_inbound_rebuild() RETURNS bigint
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	n bigint;
BEGIN
	-- Estimates for the fresh rows are poor, and a merge join sorts both
	-- sides by bytea: hashing them measured 2 x faster.
	SET LOCAL enable_mergejoin = off;
	TRUNCATE inbound;
	DROP INDEX IF EXISTS inbound_fid_ts;
	DROP INDEX IF EXISTS inbound_open;
	ALTER TABLE inbound DROP CONSTRAINT IF EXISTS inbound_pkey;
	WITH f AS MATERIALIZED (
		SELECT c.parent_fid AS fid, c.hash, c.fid AS author_fid, c.ts,
			(CASE WHEN c.parent_fid = ANY (c.mentions) THEN 3 ELSE 1 END)::smallint AS kind,
			c.deleted
		FROM casts c
		WHERE c.parent_hash IS NOT NULL AND c.parent_fid IS NOT NULL
		  AND c.parent_fid <> c.fid
		UNION ALL
		SELECT m.fid, c.hash, c.fid, c.ts, 2::smallint, c.deleted
		FROM casts c, unnest(c.mentions) WITH ORDINALITY AS m (fid, o)
		WHERE c.mentions <> '{}' AND m.fid <> c.fid
		  AND array_position(c.mentions, m.fid) = m.o
		  AND NOT (c.parent_hash IS NOT NULL AND c.parent_fid IS NOT NULL
			AND m.fid = c.parent_fid)
	), a AS (
		SELECT DISTINCT ON (r.fid, r.parent_hash) r.fid,
			r.parent_hash AS hash, r.hash AS rhash, r.ts AS rts
		FROM f JOIN casts r ON r.parent_hash = f.hash AND r.fid = f.fid
		WHERE NOT r.deleted AND r.ts >= f.ts AND r.parent_hash IS NOT NULL
		ORDER BY r.fid, r.parent_hash, r.ts, r.hash
	)
	INSERT INTO inbound (fid, hash, author_fid, ts, kind, deleted,
		answer_hash, answered_at, rt)
	SELECT f.fid, f.hash, f.author_fid, f.ts, f.kind, f.deleted, a.rhash,
		a.rts, extract(epoch FROM a.rts - f.ts)::integer
	FROM f LEFT JOIN a ON a.fid = f.fid AND a.hash = f.hash;
	GET DIAGNOSTICS n = ROW_COUNT;
	ALTER TABLE inbound ADD CONSTRAINT inbound_pkey PRIMARY KEY (fid, hash);
	CREATE INDEX inbound_fid_ts ON inbound (fid, ts)
		INCLUDE (rt, answered_at, author_fid, kind, deleted);
	CREATE INDEX inbound_open ON inbound (fid, ts, hash) INCLUDE (author_fid, kind)
		WHERE answered_at IS NULL AND NOT deleted;
	RETURN n;
END
$$;

-- Ends a bulk load (nothing when none is under way).  When casts or
-- removals changed, inbound is derived anew and every fid gets a new
-- data version; a bulk that changed nothing changes nothing.
CREATE FUNCTION rc_bulk_finish(OUT casts_new bigint, OUT inbound_new bigint,
	OUT fids bigint)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	b ingest_bulk;
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
	SET LOCAL maintenance_work_mem = '256MB';
	PERFORM rc_casts_rekey();
	casts_new := (SELECT count(*) FROM casts) - b.casts_before;
	IF casts_new <> 0 OR (SELECT count(*) FROM removals) <> b.removals_before THEN
		inbound_new := rc_inbound_rebuild();
		INSERT INTO fid_versions AS v (fid)
		SELECT fid FROM casts UNION SELECT fid FROM inbound
		ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
		GET DIAGNOSTICS fids = ROW_COUNT;
	END IF;
	CREATE INDEX casts_parent ON casts (parent_hash, fid, ts)
		WHERE parent_hash IS NOT NULL;
	-- The next batches are planned with what is there now, not with the
	-- statistics of the empty tables.
	ANALYZE casts, inbound;
	DELETE FROM ingest_bulk;
END
$$;

CREATE OR REPLACE FUNCTION rc_apply_stage(
	OUT casts_new bigint, OUT casts_dup bigint, OUT removed bigint,
	OUT profiles bigint, OUT links bigint, OUT inbound_new bigint,
	OUT fids bigint[])
LANGUAGE plpgsql SET jit = off AS $$
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
	WITH s AS (
		SELECT DISTINCT ON (hash) * FROM stage_cast_rows ORDER BY hash
	), ins AS (
		INSERT INTO casts (hash, fid, ts, text, parent_hash, parent_fid,
			parent_url, mentions, root_hash, deleted)
		SELECT s.hash, s.fid, s.ts, s.text, s.parent_hash,
			s.parent_fid, s.parent_url, s.mentions, s.root_hash,
			r.hash IS NOT NULL
		FROM s LEFT JOIN removals r ON r.hash = s.hash AND r.fid = s.fid
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

-- The inbound facts of the batch's new casts, each inserted once with its
-- answer, and the answers of stored facts that a new reply or a removal
-- may change.  Returns the number of new facts.
CREATE FUNCTION rc_apply_inbound() RETURNS bigint LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	n bigint;
BEGIN
	UPDATE stage_new n SET deleted = true FROM stage_removed g
	WHERE n.hash = g.hash;
	-- The facts of a removed cast: keyed by (fid, hash), so found through
	-- the cast's parent fid and mentions, not by a scan for the hash.
	WITH k AS (
		SELECT DISTINCT u.fid, g.hash FROM stage_removed g
		JOIN casts c ON c.hash = g.hash,
		LATERAL (SELECT c.parent_fid UNION ALL SELECT unnest(c.mentions)) u (fid)
		WHERE u.fid IS NOT NULL
	), gone AS (
		UPDATE inbound i SET deleted = true FROM k
		WHERE i.fid = k.fid AND i.hash = k.hash AND NOT i.deleted
		RETURNING i.fid
	)
	INSERT INTO stage_fids SELECT fid FROM gone UNION SELECT fid FROM stage_removed;

	WITH f AS (
		SELECT u.fid, n.hash, n.fid AS author_fid, n.ts,
			bit_or(u.k)::smallint AS kind, n.deleted
		FROM stage_new n, LATERAL (
			SELECT n.parent_fid AS fid, 1 AS k
			WHERE n.parent_hash IS NOT NULL AND n.parent_fid IS NOT NULL
			UNION ALL
			SELECT m, 2 FROM unnest(n.mentions) AS m
		) u
		WHERE u.fid <> n.fid
		GROUP BY u.fid, n.hash, n.fid, n.ts, n.deleted
	)
	INSERT INTO inbound (fid, hash, author_fid, ts, kind, deleted,
		answer_hash, answered_at, rt)
	SELECT f.fid, f.hash, f.author_fid, f.ts, f.kind, f.deleted, a.hash,
		a.ts, extract(epoch FROM a.ts - f.ts)::integer
	FROM f LEFT JOIN LATERAL (
		SELECT r.hash, r.ts FROM casts r
		WHERE r.parent_hash = f.hash AND r.fid = f.fid
		  AND NOT r.deleted AND r.ts >= f.ts
		ORDER BY r.ts, r.hash LIMIT 1
	) a ON true
	ORDER BY f.fid, f.ts
	ON CONFLICT (fid, hash) DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;

	-- Stored facts a new reply (or a removed one) answers: those of casts
	-- that are not new in this batch, whose answers were just computed.
	INSERT INTO stage_touched
	SELECT fid, parent_hash FROM stage_removed WHERE parent_hash IS NOT NULL
	UNION ALL
	SELECT fid, parent_hash FROM stage_new WHERE parent_hash IS NOT NULL;
	WITH t AS (
		SELECT DISTINCT fid, hash FROM stage_touched t
		WHERE NOT EXISTS (SELECT 1 FROM stage_new s WHERE s.hash = t.hash)
	), ans AS (
		SELECT i.fid, i.hash, a.hash AS rhash, a.ts AS rts
		FROM t JOIN inbound i ON i.fid = t.fid AND i.hash = t.hash
		LEFT JOIN LATERAL (
			SELECT r.hash, r.ts FROM casts r
			WHERE r.parent_hash = i.hash AND r.fid = i.fid
			  AND NOT r.deleted AND r.ts >= i.ts
			ORDER BY r.ts, r.hash LIMIT 1
		) a ON true
	), up AS (
		UPDATE inbound i SET answer_hash = ans.rhash, answered_at = ans.rts,
			rt = extract(epoch FROM ans.rts - i.ts)::integer
		FROM ans WHERE i.fid = ans.fid AND i.hash = ans.hash
		  AND i.answer_hash IS DISTINCT FROM ans.rhash
		RETURNING i.fid
	)
	INSERT INTO stage_fids SELECT fid FROM up;
	RETURN n;
END
$$;

-- Profiles: per fid, the newest value of each field in the batch.
CREATE FUNCTION rc_apply_profiles() RETURNS bigint LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	n bigint;
BEGIN
	WITH p AS (
		SELECT fid, max(ts) AS ts,
			(array_agg(username ORDER BY ts DESC) FILTER (WHERE username IS NOT NULL))[1] AS username,
			(array_agg(display_name ORDER BY ts DESC) FILTER (WHERE display_name IS NOT NULL))[1] AS display_name,
			(array_agg(pfp_url ORDER BY ts DESC) FILTER (WHERE pfp_url IS NOT NULL))[1] AS pfp_url,
			(array_agg(bio ORDER BY ts DESC) FILTER (WHERE bio IS NOT NULL))[1] AS bio,
			(array_agg(url ORDER BY ts DESC) FILTER (WHERE url IS NOT NULL))[1] AS url
		FROM stage_profiles GROUP BY fid
	)
	INSERT INTO profiles AS o (fid, username, display_name, pfp_url, bio, url, updated_at)
	SELECT fid, username, display_name, pfp_url, bio, url,
		coalesce(to_timestamp(ts), now()) FROM p
	ON CONFLICT (fid) DO UPDATE SET
		username = coalesce(EXCLUDED.username, o.username),
		display_name = coalesce(EXCLUDED.display_name, o.display_name),
		pfp_url = coalesce(EXCLUDED.pfp_url, o.pfp_url),
		bio = coalesce(EXCLUDED.bio, o.bio),
		url = coalesce(EXCLUDED.url, o.url),
		updated_at = greatest(o.updated_at, EXCLUDED.updated_at)
	WHERE (o.username, o.display_name, o.pfp_url, o.bio, o.url) IS DISTINCT FROM
	      (coalesce(EXCLUDED.username, o.username),
	       coalesce(EXCLUDED.display_name, o.display_name),
	       coalesce(EXCLUDED.pfp_url, o.pfp_url), coalesce(EXCLUDED.bio, o.bio),
	       coalesce(EXCLUDED.url, o.url));
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Follow links: the newest state of each pair in the batch wins.
CREATE FUNCTION rc_apply_links() RETURNS bigint LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	n bigint;
BEGIN
	WITH l AS (
		SELECT DISTINCT ON (fid, target_fid) * FROM stage_links
		ORDER BY fid, target_fid, ts DESC
	), ins AS (
		INSERT INTO follows (fid, target_fid, created_at)
		SELECT fid, target_fid, to_timestamp(ts) FROM l WHERE added
		ON CONFLICT DO NOTHING RETURNING 1
	), del AS (
		DELETE FROM follows f USING l
		WHERE NOT l.added AND f.fid = l.fid AND f.target_fid = l.target_fid
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM del) INTO n;
	RETURN n;
END
$$;
