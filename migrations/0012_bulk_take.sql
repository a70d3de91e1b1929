-- A bulk load into an empty store may bring its inbound facts itself
-- (issue 17, docs/ingest.md): the ingester saw every cast and removal it
-- sent and derives the same rows as rc_bulk_derive.  rc_bulk_take checks
-- that what is stored is what it saw, through counts and sums it
-- recomputed (a batch of another process, a rerun, a load cut off and
-- resumed all change them), and then marks both halves done in the
-- caller's transaction, which COPYs the facts into inbound_next.  When it
-- says false the SQL derivation runs as before.  A batch arriving after
-- the commit undoes it like any step (rc_bulk_unkey).
CREATE FUNCTION rc_bulk_take(n_casts bigint, n_fids numeric, n_ts numeric,
	n_parents bigint, n_pfids numeric, n_mentions bigint, n_deleted bigint,
	n_h1 numeric, n_h2 numeric, n_removals bigint, n_rfids numeric,
	n_rh1 numeric, n_rh2 numeric) RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
	b ingest_bulk;
	same boolean;
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('derive 0');
	PERFORM rc_bulk_step_lock('derive 1');
	SELECT * INTO b FROM ingest_bulk;
	IF NOT FOUND OR NOT b.keyed OR b.halves <> 0 OR b.casts_before <> 0
	   OR b.removals_before <> 0 THEN
		RETURN false;
	END IF;
	SELECT count(*) = n_casts AND coalesce(sum(c.fid), 0) = n_fids
	   AND coalesce(sum(date_part('epoch', c.ts) - 1609459200), 0) = n_ts
	   AND count(c.parent_hash) = n_parents
	   AND coalesce(sum(c.parent_fid), 0) = n_pfids
	   AND coalesce(sum(cardinality(c.mentions)), 0) = n_mentions
	   AND count(*) FILTER (WHERE c.deleted) = n_deleted
	   AND coalesce(sum((get_byte(c.hash, 0) << 16)
		| (get_byte(c.hash, 1) << 8) | get_byte(c.hash, 2)), 0) = n_h1
	   AND coalesce(sum((get_byte(c.hash, 17) << 16)
		| (get_byte(c.hash, 18) << 8) | get_byte(c.hash, 19)), 0) = n_h2
	INTO same FROM casts c;
	IF NOT same THEN
		RETURN false;
	END IF;
	SELECT count(*) = n_removals AND coalesce(sum(r.fid), 0) = n_rfids
	   AND coalesce(sum((get_byte(r.hash, 0) << 16)
		| (get_byte(r.hash, 1) << 8) | get_byte(r.hash, 2)), 0) = n_rh1
	   AND coalesce(sum((get_byte(r.hash, 17) << 16)
		| (get_byte(r.hash, 18) << 8) | get_byte(r.hash, 19)), 0) = n_rh2
	INTO same FROM removals r;
	IF NOT same THEN
		RETURN false;
	END IF;
	UPDATE ingest_bulk SET halves = 3;
	RETURN true;
END
$$;
