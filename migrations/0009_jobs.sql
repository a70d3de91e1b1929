-- Background jobs (issue 18): a Hub backfill per fid, queued when an
-- account gets a fid and taken by replycast-worker.

-- state: queued (waiting for next_attempt_at), running (a worker holds it
-- until lease_until; a worker killed mid-job leaves it to the next one once
-- the lease runs out), done, failed (attempts ran out; stays with its
-- error until an operator queues it again).  attempts counts the claims,
-- and a worker writes only while the row still has the attempt it claimed.
-- pages and casts count what the backfill stored, over all attempts.
CREATE TABLE jobs (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL DEFAULT 'backfill' CHECK (kind IN ('backfill')),
	fid		bigint NOT NULL CHECK (fid > 0),
	state		text NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	lease_until	timestamptz,
	pages		bigint NOT NULL DEFAULT 0,
	casts		bigint NOT NULL DEFAULT 0,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);
-- One open backfill per fid, whoever queues it.
CREATE UNIQUE INDEX jobs_open ON jobs (kind, fid)
	WHERE state IN ('queued', 'running');
-- What a worker looks for.
CREATE INDEX jobs_due ON jobs (next_attempt_at, id)
	WHERE state IN ('queued', 'running');
CREATE INDEX jobs_fid ON jobs (fid, id);

-- An account that gets a fid (replycastctl user add/bind, Sign In with
-- Farcaster, whatever path writes accounts.fid) makes the fid tracked and,
-- when it was not tracked yet, queues its backfill, in the same
-- transaction as the write.  A fid already tracked was backfilled, or is
-- being, already: by an earlier bind, by replycast-ingest --hub --fid, or
-- from other data (the demo set), so a second bind queues nothing.
CREATE FUNCTION rc_fid_bound() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tracked (fid) VALUES (NEW.fid) ON CONFLICT DO NOTHING;
	IF FOUND THEN
		INSERT INTO jobs (kind, fid) VALUES ('backfill', NEW.fid)
			ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER accounts_fid_bound AFTER INSERT OR UPDATE OF fid ON accounts
	FOR EACH ROW WHEN (NEW.fid IS NOT NULL) EXECUTE FUNCTION rc_fid_bound();
