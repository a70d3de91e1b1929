-- Where I stand (issue 19, item 5): every tracked user's median reply time
-- over the standard windows, written by `replycastctl standing refresh` and
-- replycast-worker (src/reply/standing.c) from the read model, read by the
-- standing routes, which give a user only their own percentile.
--
-- One row per (window, fid) of the newest refresh that saw the fid tracked:
-- inbound and answered casts and the median of the answered ones' reply
-- times (NULL: none answered) over the days before window_end.  A refresh
-- writes user by user and then drops the rows it did not write (fids no
-- longer tracked), so for the length of one refresh a reader may see some
-- users of this refresh and some of the one before (docs/engine.md).
CREATE TABLE standing (
	days		integer NOT NULL CHECK (days IN (7, 30, 90)),
	fid		bigint NOT NULL CHECK (fid > 0),
	inbound		bigint NOT NULL CHECK (inbound >= 0),
	answered	bigint NOT NULL CHECK (answered BETWEEN 0 AND inbound),
	median_seconds	double precision,
	window_end	timestamptz NOT NULL,
	computed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (days, fid)
);
