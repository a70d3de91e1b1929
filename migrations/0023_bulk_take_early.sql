-- The facts a bulk load derived in the ingester (0012_bulk_take.sql) went
-- into inbound_next only after the casts' key was built, and only then
-- could the other connection start on the indexes: each waited about a
-- second for the other (docs/ingest.md).  Now the taking connection COPYs
-- them into a table of its own transaction, inbound_take, while the first
-- builds the key; rc_bulk_take then checks the casts as before, and
-- rc_bulk_take_swap, in the same transaction, puts inbound_take in the
-- place of the empty inbound_next.  A check that fails rolls the
-- transaction back and inbound_take with it.  rc_bulk_take_open takes no
-- lock on ingest_bulk: rc_bulk_key holds an EXCLUSIVE one meanwhile.
CREATE FUNCTION rc_bulk_take_open() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TABLE inbound_take (LIKE inbound INCLUDING DEFAULTS
		INCLUDING CONSTRAINTS) WITH (autovacuum_enabled = false);
END
$$;

CREATE FUNCTION rc_bulk_take_swap() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT halves FROM ingest_bulk) IS DISTINCT FROM 3
	   OR EXISTS (SELECT 1 FROM inbound_next) THEN
		RAISE EXCEPTION 'rc_bulk_take_swap: no take under way';
	END IF;
	DROP TABLE inbound_next;
	ALTER TABLE inbound_take RENAME TO inbound_next;
END
$$;

-- The casts' parent index without the ANALYZE of casts that
-- rc_bulk_casts_index makes after it: when the facts were taken, the
-- connection that builds the index goes on to the facts' indexes while
-- the other, done with its own, analyzes casts.
CREATE FUNCTION rc_bulk_casts_parent() RETURNS boolean
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('casts_parent');
	IF NOT EXISTS (SELECT 1 FROM ingest_bulk WHERE keyed)
	   OR to_regclass('casts_parent') IS NOT NULL THEN
		RETURN false;
	END IF;
	SET LOCAL maintenance_work_mem = '512MB';
	SET LOCAL max_parallel_maintenance_workers = 0;
	CREATE INDEX casts_parent ON casts (parent_hash, fid, ts)
		WHERE parent_hash IS NOT NULL;
	RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION rc_bulk_casts_index() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	IF rc_bulk_casts_parent() THEN
		ANALYZE casts;
	END IF;
END
$$;

-- Autovacuum off on casts for a bulk load, and back on at its end (with
-- inbound, whose new table the take made with it off).  A step of the end
-- that needs a lock autovacuum holds (the key, an index, ANALYZE) waits
-- deadlock_timeout (1 s) before autovacuum is cancelled: it did, twice a
-- load, once the facts were taken early.  A load left under way keeps it
-- off until a run finishes it; after the end autovacuum vacuums both
-- tables, which sets the visibility map the engine's index-only scans use.
CREATE FUNCTION rc_bulk_quiet(quiet boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF quiet THEN
		ALTER TABLE casts SET (autovacuum_enabled = false);
		RETURN;
	END IF;
	IF (SELECT reloptions @> '{autovacuum_enabled=false}' FROM pg_class
	    WHERE oid = 'casts'::regclass) THEN
		ALTER TABLE casts RESET (autovacuum_enabled);
	END IF;
	IF (SELECT reloptions @> '{autovacuum_enabled=false}' FROM pg_class
	    WHERE oid = 'inbound'::regclass) THEN
		ALTER TABLE inbound RESET (autovacuum_enabled);
	END IF;
END
$$;
