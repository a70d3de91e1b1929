-- Inbox triage, kept on the server so that it follows a person between
-- devices.  It never changes a figure: a cast marked done or snoozed still
-- counts as unanswered; it only leaves the inbox (until a snooze ends).
CREATE TABLE triage (
	fid		bigint NOT NULL,
	hash		bytea NOT NULL,
	state		text NOT NULL CHECK (state IN ('done', 'snoozed')),
	until		timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (fid, hash),
	CHECK ((state = 'snoozed') = (until IS NOT NULL))
);
