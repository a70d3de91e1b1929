-- rc_bulk_finish gives every fid of casts and inbound a new data version
-- (rc_bulk_fids, 0021): 0.45 s of its 0.6 s at 1 M casts, while nothing
-- else runs.  Once the facts are taken, the connection done first with
-- its indexes lists those fids (rc_bulk_fids_early) into
-- ingest_bulk_fids and notes which table of facts it read; rc_bulk_fids
-- uses the list when that table is the one rc_bulk_finish has just made
-- inbound.  A batch in between drops inbound_next (rc_bulk_unkey), and
-- the next derivation makes another, so a list that may be stale is
-- never used.
ALTER TABLE ingest_bulk ADD COLUMN fids_of oid;
CREATE TABLE ingest_bulk_fids (fid bigint PRIMARY KEY);

CREATE FUNCTION rc_bulk_fids_early() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
	LOCK TABLE ingest_bulk IN ROW SHARE MODE;
	PERFORM rc_bulk_step_lock('fids');
	IF NOT EXISTS (SELECT 1 FROM ingest_bulk WHERE halves = 3)
	   OR to_regclass('inbound_next') IS NULL THEN
		RETURN;
	END IF;
	SET LOCAL work_mem = '128MB';
	DELETE FROM ingest_bulk_fids;
	INSERT INTO ingest_bulk_fids
	SELECT c.fid FROM casts c GROUP BY c.fid
	UNION
	SELECT i.fid FROM inbound_next i GROUP BY i.fid;
	UPDATE ingest_bulk SET fids_of = to_regclass('inbound_next');
END
$$;

ALTER FUNCTION rc_bulk_fids() RENAME TO rc_bulk_fids_all;
CREATE FUNCTION rc_bulk_fids() RETURNS TABLE (fid bigint)
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT b.fids_of FROM ingest_bulk b) = to_regclass('inbound') THEN
		RETURN QUERY SELECT f.fid FROM ingest_bulk_fids f;
		DELETE FROM ingest_bulk_fids;
	ELSE
		RETURN QUERY SELECT a.fid FROM rc_bulk_fids_all() a;
	END IF;
END
$$;
