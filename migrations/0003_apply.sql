-- Ingest: a batch is COPYed into session-local stage tables, then
-- rc_apply_stage() merges it into the store and keeps "inbound" current,
-- all inside the caller's transaction: a batch lands whole or not at all.

CREATE FUNCTION rc_stage_create() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS stage_casts (
		hash bytea, fid bigint, ts bigint, text text,
		parent_hash bytea, parent_fid bigint, parent_url text,
		mentions bigint[], root_hash bytea);
	CREATE TEMP TABLE IF NOT EXISTS stage_removes (
		hash bytea, fid bigint, ts bigint);
	CREATE TEMP TABLE IF NOT EXISTS stage_profiles (
		fid bigint, ts bigint, username text, display_name text,
		pfp_url text, bio text, url text);
	CREATE TEMP TABLE IF NOT EXISTS stage_links (
		fid bigint, target_fid bigint, ts bigint, added boolean);
	CREATE TEMP TABLE IF NOT EXISTS stage_new (
		hash bytea, fid bigint, ts timestamptz, parent_hash bytea,
		parent_fid bigint, mentions bigint[], deleted boolean);
	CREATE TEMP TABLE IF NOT EXISTS stage_removed (
		hash bytea, fid bigint, parent_hash bytea);
	CREATE TEMP TABLE IF NOT EXISTS stage_touched (fid bigint, hash bytea);
	CREATE TEMP TABLE IF NOT EXISTS stage_fids (fid bigint);
	TRUNCATE stage_casts, stage_removes, stage_profiles, stage_links,
		stage_new, stage_removed, stage_touched, stage_fids;
END
$$;

CREATE FUNCTION rc_apply_stage(
	OUT casts_new bigint, OUT casts_dup bigint, OUT removed bigint,
	OUT profiles bigint, OUT links bigint, OUT inbound_new bigint,
	OUT fids bigint[])
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	-- Casts: only new hashes; one that was removed before it arrived is
	-- stored removed.
	WITH s AS (
		SELECT DISTINCT ON (hash) * FROM stage_casts ORDER BY hash
	), ins AS (
		INSERT INTO casts (hash, fid, ts, text, parent_hash, parent_fid,
			parent_url, mentions, root_hash, deleted)
		SELECT s.hash, s.fid, to_timestamp(s.ts), s.text, s.parent_hash,
			s.parent_fid, s.parent_url, s.mentions, s.root_hash,
			EXISTS (SELECT 1 FROM removals r
				WHERE r.hash = s.hash AND r.fid = s.fid)
		FROM s
		ON CONFLICT (hash) DO NOTHING
		RETURNING hash, fid, ts, parent_hash, parent_fid, mentions, deleted
	)
	INSERT INTO stage_new SELECT * FROM ins;
	GET DIAGNOSTICS casts_new = ROW_COUNT;
	SELECT count(DISTINCT hash) - casts_new INTO casts_dup FROM stage_casts;

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
	UPDATE stage_new n SET deleted = true FROM stage_removed g
	WHERE n.hash = g.hash;
	WITH gone AS (
		UPDATE inbound i SET deleted = true FROM stage_removed g
		WHERE i.hash = g.hash AND NOT i.deleted
		RETURNING i.fid
	)
	INSERT INTO stage_fids SELECT fid FROM gone UNION SELECT fid FROM stage_removed;
	INSERT INTO stage_touched
	SELECT fid, parent_hash FROM stage_removed WHERE parent_hash IS NOT NULL;

	-- Inbound facts for the new casts: replies to someone's cast, mentions.
	INSERT INTO inbound (fid, hash, author_fid, ts, kind, deleted)
	SELECT u.fid, n.hash, n.fid, n.ts, bit_or(u.k)::smallint, n.deleted
	FROM stage_new n, LATERAL (
		SELECT n.parent_fid AS fid, 1 AS k
		WHERE n.parent_hash IS NOT NULL AND n.parent_fid IS NOT NULL
		UNION ALL
		SELECT m, 2 FROM unnest(n.mentions) AS m
	) u
	WHERE u.fid <> n.fid
	GROUP BY u.fid, n.hash, n.fid, n.ts, n.deleted
	ON CONFLICT (fid, hash) DO NOTHING;
	GET DIAGNOSTICS inbound_new = ROW_COUNT;

	-- Answers to recompute: new inbound casts, and casts a new cast (or a
	-- removed one) replies to.
	INSERT INTO stage_touched
	SELECT u.fid, n.hash FROM stage_new n,
		LATERAL (SELECT n.parent_fid AS fid UNION SELECT unnest(n.mentions)) u
	WHERE u.fid IS NOT NULL AND u.fid <> n.fid
	UNION ALL
	SELECT fid, parent_hash FROM stage_new WHERE parent_hash IS NOT NULL;

	WITH t AS (
		SELECT DISTINCT fid, hash FROM stage_touched
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

	-- Profiles: per fid, the newest value of each field in the batch.
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
	GET DIAGNOSTICS profiles = ROW_COUNT;

	-- Follow links: the newest state of each pair in the batch wins.
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
	SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM del) INTO links;

	-- Every fid whose figures may have changed gets a new data version.
	INSERT INTO stage_fids SELECT fid FROM stage_new
		UNION SELECT fid FROM inbound i WHERE (i.fid, i.hash) IN
			(SELECT fid, hash FROM stage_touched);
	INSERT INTO stage_fids SELECT u FROM stage_new n, unnest(n.mentions) u
		UNION SELECT parent_fid FROM stage_new WHERE parent_fid IS NOT NULL;
	SELECT array_agg(DISTINCT fid ORDER BY fid) INTO fids FROM stage_fids WHERE fid IS NOT NULL;
	INSERT INTO fid_versions AS v (fid)
	SELECT unnest(coalesce(fids, '{}'))
	ON CONFLICT (fid) DO UPDATE SET version = v.version + 1, updated_at = now();
	fids := coalesce(fids, '{}');
END
$$;
