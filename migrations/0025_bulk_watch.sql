-- The facts a bulk load derived in the ingester are taken only when the
-- casts and removals are exactly what that run sent (0012_bulk_take.sql).
-- rc_bulk_take checked it by recomputing counts and sums over every cast:
-- 0.8 s at 1 M casts, on the path between the key and the facts' indexes
-- (docs/ingest.md, sixth round).  Now every statement that writes casts or
-- removals during a load is watched instead: the session that began the
-- load carries its token (rc.bulk_token, set by rc_bulk_begin), and a
-- write from any other session (another run, the API, a rerun, psql)
-- marks the load foreign.  rc_bulk_take_own takes the facts only for the
-- session's token of a load that is not foreign.
ALTER TABLE ingest_bulk ADD COLUMN token text,
	ADD COLUMN foreign_writes boolean NOT NULL DEFAULT false;

CREATE FUNCTION rc_bulk_watch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ingest_bulk SET foreign_writes = true
	WHERE NOT foreign_writes AND (token IS NULL
	   OR token <> coalesce(current_setting('rc.bulk_token', true), ''));
	RETURN NULL;
END
$$;

CREATE TRIGGER casts_bulk_watch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON casts FOR EACH STATEMENT EXECUTE FUNCTION rc_bulk_watch();
CREATE TRIGGER removals_bulk_watch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON removals FOR EACH STATEMENT EXECUTE FUNCTION rc_bulk_watch();

-- As 0008, and the session that begins the load gets its token.  A load
-- already under way keeps its own: this session's writes are foreign to it.
CREATE OR REPLACE FUNCTION rc_bulk_begin() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t text := gen_random_uuid()::text;
BEGIN
	LOCK TABLE ingest_bulk IN EXCLUSIVE MODE;
	IF EXISTS (SELECT 1 FROM ingest_bulk) THEN
		IF EXISTS (SELECT 1 FROM ingest_bulk WHERE keyed) THEN
			PERFORM rc_bulk_unkey();
		END IF;
		RETURN;
	END IF;
	INSERT INTO ingest_bulk (casts_before, removals_before, token)
	SELECT (SELECT count(*) FROM casts), (SELECT count(*) FROM removals), t;
	PERFORM set_config('rc.bulk_token', t, false);
	ALTER TABLE casts DROP CONSTRAINT IF EXISTS casts_pkey;
	DROP INDEX IF EXISTS casts_parent;
END
$$;

-- The facts COPYed into inbound_take are taken when the load began on
-- empty casts and removals, in the session whose token is tok, and nobody
-- else wrote either since.  The row lock makes a batch in flight finish
-- first (its watch then marks the load) or wait for this commit (it then
-- undoes the take, rc_bulk_active).
CREATE FUNCTION rc_bulk_take_own(tok text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	b ingest_bulk;
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('derive 0');
	PERFORM rc_bulk_step_lock('derive 1');
	SELECT * INTO b FROM ingest_bulk FOR UPDATE;
	IF NOT FOUND OR NOT b.keyed OR b.halves <> 0 OR b.casts_before <> 0
	   OR b.removals_before <> 0 OR b.foreign_writes OR b.token IS NULL
	   OR b.token IS DISTINCT FROM tok THEN
		RETURN false;
	END IF;
	UPDATE ingest_bulk SET halves = 3;
	RETURN true;
END
$$;
DROP FUNCTION rc_bulk_take(bigint, numeric, numeric, bigint, numeric, bigint,
	bigint, numeric, numeric, bigint, numeric, numeric, numeric);

-- A step of the end offered to either connection: done by the first that
-- comes to it; the other, finding it under way, goes on to its next step
-- instead of waiting (rc_bulk_finish waits for both and does what is
-- left).  which: an index or the statistics of inbound_next
-- (rc_bulk_inbound_index), or 'casts' for the statistics of casts, kept
-- once a load (casts_analyzed, reset with the key by a batch in between).
ALTER TABLE ingest_bulk ADD COLUMN casts_analyzed boolean NOT NULL DEFAULT false;

CREATE FUNCTION rc_bulk_offer(which text) RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	IF NOT pg_try_advisory_xact_lock(hashtext('rc_bulk_step'),
	    hashtext(which)) THEN
		RETURN false;
	END IF;
	IF which <> 'casts' THEN
		PERFORM rc_bulk_inbound_index(which);
	ELSIF EXISTS (SELECT 1 FROM ingest_bulk WHERE keyed AND NOT casts_analyzed) THEN
		ANALYZE casts;
		UPDATE ingest_bulk SET casts_analyzed = true;
	END IF;
	RETURN true;
END
$$;

-- As 0008, and the statistics of casts are to take again.
CREATE OR REPLACE FUNCTION rc_bulk_unkey() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	-- The locks on casts first: a step still running ends before the row
	-- is updated, so the two never wait on each other.
	ALTER TABLE casts DROP CONSTRAINT IF EXISTS casts_pkey;
	DROP INDEX IF EXISTS casts_parent;
	DROP TABLE IF EXISTS inbound_next;
	UPDATE ingest_bulk SET keyed = false, halves = 0, casts_analyzed = false;
END
$$;

-- The fids the finish gives new data versions, when the facts were taken:
-- the ingester lists them (every fid of its casts and facts), instead of
-- rc_bulk_fids_early scanning casts and inbound_next (0.45 s at 1 M
-- casts).  In the take's transaction, after rc_bulk_take_swap: the list is
-- emptied and marked as the new inbound_next's, and the caller COPYs the
-- fids into ingest_bulk_fids.
CREATE FUNCTION rc_bulk_fids_mine() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM rc_bulk_step_lock('fids');
	DELETE FROM ingest_bulk_fids;
	UPDATE ingest_bulk SET fids_of = to_regclass('inbound_next');
END
$$;
