-- Goal alerts and weekly digests (issue 19 item 6): what each user asked
-- for, the worker's schedule, the outbox of deliveries, and the mini-app
-- notification tokens Farcaster clients gave us.

-- One row per user who set anything; no row: everything off.
-- webhook_secret is the HMAC-SHA256 key the worker signs with, so it is
-- kept as is (a hash could not sign); the API shows it once.
CREATE TABLE alert_settings (
	fid			bigint PRIMARY KEY CHECK (fid > 0),
	goal_alert		boolean NOT NULL DEFAULT false,
	goal_before_seconds	integer NOT NULL DEFAULT 900
				CHECK (goal_before_seconds BETWEEN 60 AND 86400),
	share_alert		boolean NOT NULL DEFAULT false,
	share_threshold		double precision NOT NULL DEFAULT 0.8
				CHECK (share_threshold > 0 AND share_threshold <= 1),
	share_min_casts		integer NOT NULL DEFAULT 3
				CHECK (share_min_casts BETWEEN 1 AND 1000),
	digest			boolean NOT NULL DEFAULT false,
	digest_day		smallint NOT NULL DEFAULT 1 CHECK (digest_day BETWEEN 1 AND 7),
	digest_hour		smallint NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
	webhook_url		text CHECK (length(webhook_url) <= 2048),
	webhook_secret		text,
	updated_at		timestamptz NOT NULL DEFAULT now()
);

-- The worker's schedule: one row per user and enabled kind.  next_due_at
-- is when the worker runs it next (a claim moves it a lease ahead, so a
-- killed worker's claim comes due again); last_run_at when a run ended.
CREATE TABLE alert_schedule (
	fid		bigint NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('goal', 'share', 'digest')),
	next_due_at	timestamptz NOT NULL DEFAULT now(),
	last_run_at	timestamptz,
	last_period	text,
	PRIMARY KEY (fid, kind)
);
CREATE INDEX alert_schedule_due ON alert_schedule (next_due_at);

-- The next digest time after "after": weekday dow (ISO, Monday 1) at
-- hour:00 local time in tz.
CREATE FUNCTION rc_digest_next(tz text, dow integer, hour integer,
    after timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT min(t) FROM (SELECT (date_trunc('day', after AT TIME ZONE tz)
	    + make_interval(days => d, hours => hour)) AT TIME ZONE tz AS t
	    FROM generate_series(0, 8) AS d) AS x
	WHERE t > after AND extract(isodow FROM t AT TIME ZONE tz) = dow
$$;

-- The schedule follows the settings: a kind switched on gets its row (a
-- digest at its next time), switched off loses it; a new digest day, hour
-- or time zone moves the digest.
CREATE FUNCTION rc_alert_schedule(f bigint) RETURNS void LANGUAGE sql AS $$
	DELETE FROM alert_schedule s USING alert_settings a
	WHERE s.fid = f AND a.fid = f AND NOT CASE s.kind
	    WHEN 'goal' THEN a.goal_alert WHEN 'share' THEN a.share_alert
	    ELSE a.digest END;
	INSERT INTO alert_schedule (fid, kind, next_due_at)
	SELECT a.fid, k.kind, CASE k.kind WHEN 'digest' THEN
	    rc_digest_next(coalesce(u.tz, 'UTC'), a.digest_day, a.digest_hour, now())
	    ELSE now() END
	FROM alert_settings a LEFT JOIN user_settings u ON u.fid = a.fid,
	    (VALUES ('goal'), ('share'), ('digest')) AS k (kind)
	WHERE a.fid = f AND CASE k.kind WHEN 'goal' THEN a.goal_alert
	    WHEN 'share' THEN a.share_alert ELSE a.digest END
	ON CONFLICT (fid, kind) DO UPDATE SET next_due_at = EXCLUDED.next_due_at
	WHERE alert_schedule.kind = 'digest';
$$;

CREATE FUNCTION rc_alert_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM rc_alert_schedule(NEW.fid);
	RETURN NULL;
END $$;
CREATE TRIGGER alert_settings_schedule AFTER INSERT OR UPDATE OF goal_alert,
	share_alert, digest, digest_day, digest_hour ON alert_settings
	FOR EACH ROW EXECUTE FUNCTION rc_alert_settings_changed();
CREATE TRIGGER user_settings_alert_tz AFTER UPDATE OF tz ON user_settings
	FOR EACH ROW WHEN (OLD.tz IS DISTINCT FROM NEW.tz)
	EXECUTE FUNCTION rc_alert_settings_changed();

-- The outbox: one row per (user, kind, period, channel), made once (a
-- second attempt to make it does nothing), sent at least once.  event_id
-- is what a receiver sees (X-Replycast-Delivery, the mini-app
-- notificationId); a retry sends the same event_id and the same body.
-- period: the cast's hash (goal), the local day (share), the ISO week
-- (digest).  state: pending (next_attempt_at), sending (a worker holds it
-- until next_attempt_at: a killed worker's send is retried then), sent,
-- failed (attempts ran out, or the receiver said never again).
CREATE TABLE deliveries (
	id		bigserial PRIMARY KEY,
	event_id	text NOT NULL CHECK (length(event_id) <= 128),
	fid		bigint NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('goal', 'share', 'digest')),
	period		text NOT NULL,
	channel		text NOT NULL CHECK (channel IN ('webhook', 'miniapp')),
	title		text NOT NULL CHECK (length(title) <= 32),
	body		text NOT NULL CHECK (length(body) <= 128),
	payload		text NOT NULL,
	state		text NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_status	integer,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	UNIQUE (fid, kind, period, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id)
	WHERE state IN ('pending', 'sending');
CREATE INDEX deliveries_fid ON deliveries (fid, id);

-- What a Farcaster client gave when the user added replycast as a mini
-- app and let it notify (a verified notifications_enabled or
-- miniapp_added event); notifications_disabled, miniapp_removed and an
-- invalidTokens answer switch it off.
CREATE TABLE miniapp_tokens (
	fid		bigint NOT NULL CHECK (fid > 0),
	url		text NOT NULL CHECK (length(url) <= 1024),
	token		text NOT NULL CHECK (length(token) <= 256),
	app_key		text NOT NULL,
	enabled		boolean NOT NULL DEFAULT true,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (fid, url)
);
