#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "alerts.h"
#include "core/buf.h"
#include "core/cfg.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jparse.h"
#include "reply/alert.h"
#include "reply/eng.h"

#define AL_BATCH	50	/* schedule rows or deliveries per statement */
#define AL_TOP		5	/* people waiting, in the digest */
#define AL_BACKOFF_MAX	3600	/* seconds between two tries, at most */

/* Times in payloads: UTC, ISO 8601, seconds. */
#define AL_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The channels fid $1 has now: a webhook URL, enabled mini-app tokens. */
#define AL_CHANNELS \
	" ch AS (SELECT 'webhook' AS channel FROM alert_settings w" \
	" WHERE w.fid = $1::bigint AND w.webhook_url IS NOT NULL" \
	" UNION ALL SELECT 'miniapp' WHERE EXISTS (SELECT 1 FROM" \
	" miniapp_tokens t WHERE t.fid = $1::bigint AND t.enabled))"

/* Due schedule rows, claimed for a lease of $1 seconds. */
static const struct db_stmt al_stmt_claim = { "al_claim",
	"WITH c AS (SELECT fid, kind FROM alert_schedule"
	" WHERE next_due_at <= now() ORDER BY next_due_at"
	" LIMIT 50 FOR UPDATE SKIP LOCKED)"
	" UPDATE alert_schedule s"
	" SET next_due_at = now() + make_interval(secs => $1::float8)"
	" FROM c WHERE s.fid = c.fid AND s.kind = c.kind"
	" RETURNING s.fid, s.kind", 1, 0 };

/* A goal or share run ended: next in $3 seconds. */
static const struct db_stmt al_stmt_ran = { "al_ran",
	"UPDATE alert_schedule SET last_run_at = now(),"
	" next_due_at = now() + make_interval(secs => $3::float8)"
	" WHERE fid = $1::bigint AND kind = $2::text", 3, 0 };

/*
 * Owed casts of $1 whose goal runs out within goal_before_seconds and has
 * not run out yet (open under the user's answer definition, not
 * acknowledged, not marked done, not snoozed): one alert per cast, ever.
 * The goal is the channel's where the user set one (as the channels
 * figure), else the user's; goals end within 7 days (settings), so older
 * casts are not looked at.  $2 the dashboard's URL.
 */
static const struct db_stmt al_stmt_goal = { "al_goal",
	"WITH s AS (SELECT a.goal_before_seconds AS before,"
	" coalesce(u.goal_seconds, 3600) AS goal,"
	" coalesce(u.muted, '{}') AS muted," ENG_DEF_COLS
	" FROM alert_settings a LEFT JOIN user_settings u ON u.fid = a.fid"
	" WHERE a.fid = $1::bigint AND a.goal_alert),"
	" o AS (SELECT i.hash, i.author_fid, i.ts, s.before,"
	" coalesce((SELECT g.goal_seconds FROM user_channel_goals g"
	"  WHERE g.fid = $1::bigint AND g.parent_url = " ENG_CHANNEL "),"
	"  s.goal) AS goal"
	" FROM s JOIN inbound i ON i.fid = $1::bigint" ENG_DEF_JOIN("i", "s")
	" LEFT JOIN triage t ON t.fid = i.fid AND t.hash = i.hash"
	" WHERE i.answered_at IS NULL AND ta.hash IS NULL AND NOT i.deleted"
	" AND NOT " ENG_DEF_ACK("i", "s")
	" AND i.author_fid <> ALL (s.muted)"
	" AND i.ts > now() - interval '7 days'"
	" AND (t.state IS NULL OR (t.state = 'snoozed' AND t.until <= now()))),"
	" c AS (SELECT '0x' || encode(o.hash, 'hex') AS h, o.author_fid, o.ts,"
	" o.goal, o.ts + make_interval(secs => o.goal) AS due, p.username"
	" FROM o LEFT JOIN profiles p ON p.fid = o.author_fid"
	" WHERE o.ts > now() - make_interval(secs => o.goal)"
	" AND o.ts <= now() - make_interval(secs => o.goal - o.before)),"
	AL_CHANNELS
	" INSERT INTO deliveries (event_id, fid, kind, period, channel, title,"
	" body, payload)"
	" SELECT 'goal-' || $1::bigint || '-' || c.h, $1::bigint, 'goal', c.h,"
	" ch.channel, 'A reply is due soon',"
	" left(coalesce('@' || c.username, 'fid ' || c.author_fid)"
	" || ' is waiting for your reply; your goal runs out in '"
	" || ceil(extract(epoch FROM c.due - now()) / 60) || ' min.', 128),"
	" json_build_object('id', 'goal-' || $1::bigint || '-' || c.h,"
	" 'type', 'goal_alert', 'fid', $1::bigint,"
	" 'created_at', " AL_ISO("now()") ","
	" 'cast', json_build_object('hash', c.h, 'author_fid', c.author_fid,"
	"  'author_username', c.username, 'received_at', " AL_ISO("c.ts") ","
	"  'goal_seconds', c.goal, 'due_at', " AL_ISO("c.due") "),"
	" 'url', $2::text || '/inbox')::text"
	" FROM c CROSS JOIN ch ON CONFLICT DO NOTHING", 2, 0 };

/*
 * Today's answered share (local day in the user's zone): of the casts
 * that came today and whose goal has run out (and that the definition
 * keeps), those answered within the goal under it.  Below the threshold, with at least share_min_casts such casts:
 * one alert per day.
 */
static const struct db_stmt al_stmt_share = { "al_share",
	"WITH s AS (SELECT a.share_threshold AS th, a.share_min_casts AS mn,"
	" coalesce(u.goal_seconds, 3600) AS goal,"
	" coalesce(u.muted, '{}') AS muted, coalesce(u.tz, 'UTC') AS tz,"
	ENG_DEF_COLS
	" FROM alert_settings a LEFT JOIN user_settings u ON u.fid = a.fid"
	" WHERE a.fid = $1::bigint AND a.share_alert),"
	" d AS (SELECT s.th, s.mn, s.goal, s.tz,"
	" to_char(now() AT TIME ZONE s.tz, 'YYYY-MM-DD') AS day,"
	" count(i.ts) AS n,"
	" count(i.ts) FILTER (WHERE " ENG_DEF_RT("i", "s") " <= s.goal) AS ok"
	" FROM s LEFT JOIN inbound i ON i.fid = $1::bigint"
	" AND i.ts >= date_trunc('day', now() AT TIME ZONE s.tz) AT TIME ZONE s.tz"
	" AND i.ts <= now() - make_interval(secs => s.goal)"
	" AND NOT i.deleted AND i.author_fid <> ALL (s.muted)"
	" AND " ENG_DEF_KEEP("i", "s") ENG_DEF_JOIN("i", "s")
	" GROUP BY s.th, s.mn, s.goal, s.tz),"
	AL_CHANNELS
	" INSERT INTO deliveries (event_id, fid, kind, period, channel, title,"
	" body, payload)"
	" SELECT 'share-' || $1::bigint || '-' || d.day, $1::bigint, 'share',"
	" d.day, ch.channel, 'Replies fell behind today',"
	" left('You answered ' || round(100.0 * d.ok / d.n) || ' % of today''s '"
	" || d.n || ' casts within your goal; your alert is at '"
	" || round(100 * d.th::numeric) || ' %.', 128),"
	" json_build_object('id', 'share-' || $1::bigint || '-' || d.day,"
	" 'type', 'share_alert', 'fid', $1::bigint,"
	" 'created_at', " AL_ISO("now()") ", 'day', d.day, 'tz', d.tz,"
	" 'due', d.n, 'within_goal', d.ok,"
	" 'share', round(d.ok::numeric / d.n, 4), 'threshold', d.th,"
	" 'goal_seconds', d.goal, 'url', $2::text || '/')::text"
	" FROM d CROSS JOIN ch WHERE d.n >= d.mn AND d.ok::float8 / d.n < d.th"
	" ON CONFLICT DO NOTHING", 2, 0 };

/*
 * The digest's week: it ends at the latest scheduled time at or before
 * now (so a late run, or a run again after a kill, makes the same one).
 */
static const struct db_stmt al_stmt_week = { "al_week",
	"SELECT w.tz, extract(epoch FROM w.t)::bigint,"
	" to_char(w.t AT TIME ZONE w.tz, 'IYYY-\"W\"IW')"
	" FROM (SELECT coalesce(u.tz, 'UTC') AS tz, rc_digest_next("
	" coalesce(u.tz, 'UTC'), a.digest_day, a.digest_hour,"
	" now() - interval '7 days') AS t"
	" FROM alert_settings a LEFT JOIN user_settings u ON u.fid = a.fid"
	" WHERE a.fid = $1::bigint AND a.digest) AS w", 1, 1 };

/*
 * Who waits on the most owed casts: the figures' open casts under the
 * user's answer definition, as unreplied_now counts them.
 */
static const struct db_stmt al_stmt_top = { "al_top",
	"WITH s AS (SELECT coalesce(u.muted, '{}') AS muted," ENG_DEF_COLS
	" FROM (SELECT 1) AS one LEFT JOIN user_settings u ON u.fid = $1::bigint)"
	" SELECT i.author_fid, p.username, count(*),"
	" extract(epoch FROM min(i.ts))::bigint"
	" FROM (SELECT o.author_fid, o.ts" ENG_DEF_OPEN("o", "s2")
	" AND NOT " ENG_DEF_ACK("o", "s2") ") AS i"
	" LEFT JOIN profiles p ON p.fid = i.author_fid"
	" GROUP BY i.author_fid, p.username"
	" ORDER BY count(*) DESC, min(i.ts), i.author_fid LIMIT $2::int", 2, 1 };

/* The digest into the outbox and the schedule moved on: one statement. */
static const struct db_stmt al_stmt_digest = { "al_digest",
	"WITH " AL_CHANNELS ","
	" ins AS (INSERT INTO deliveries (event_id, fid, kind, period, channel,"
	" title, body, payload)"
	" SELECT 'digest-' || $1::bigint || '-' || $2::text, $1::bigint,"
	" 'digest', $2::text, ch.channel, $3::text, $4::text, $5::text FROM ch"
	" ON CONFLICT DO NOTHING RETURNING 1)"
	" UPDATE alert_schedule s SET last_run_at = now(), last_period = $2::text,"
	" next_due_at = rc_digest_next(coalesce(u.tz, 'UTC'), a.digest_day,"
	"  a.digest_hour, now())"
	" FROM alert_settings a LEFT JOIN user_settings u ON u.fid = a.fid"
	" WHERE s.fid = $1::bigint AND s.kind = 'digest' AND a.fid = s.fid"
	" RETURNING (SELECT count(*) FROM ins)", 5, 0 };

/* Deliveries due, claimed for a lease of $1 seconds (one attempt each). */
static const struct db_stmt al_stmt_take = { "al_take",
	"WITH c AS (SELECT id FROM deliveries"
	" WHERE state IN ('pending', 'sending') AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at, id LIMIT 50 FOR UPDATE SKIP LOCKED)"
	" UPDATE deliveries d SET state = 'sending', attempts = d.attempts + 1,"
	" next_attempt_at = now() + make_interval(secs => $1::float8)"
	" FROM c WHERE d.id = c.id"
	" RETURNING d.id, d.event_id, d.fid, d.channel, d.title, d.body,"
	" d.payload, d.attempts", 1, 0 };

/* Where fid's deliveries go. */
static const struct db_stmt al_stmt_hook = { "al_hook",
	"SELECT webhook_url, webhook_secret FROM alert_settings"
	" WHERE fid = $1::bigint AND webhook_url IS NOT NULL", 1, 1 };
static const struct db_stmt al_stmt_tokens = { "al_tokens",
	"SELECT url, token FROM miniapp_tokens WHERE fid = $1::bigint"
	" AND enabled ORDER BY url, token", 1, 1 };
static const struct db_stmt al_stmt_invalid = { "al_invalid",
	"UPDATE miniapp_tokens SET enabled = false, updated_at = now()"
	" WHERE fid = $1::bigint AND url = $2::text"
	" AND token IN (SELECT json_array_elements_text($3::json))", 3, 0 };

/*
 * The end of one attempt (only while the row still has it): $2 the new
 * state; pending waits $5 seconds.
 */
static const struct db_stmt al_stmt_end = { "al_end",
	"UPDATE deliveries SET state = $2::text, last_status = $3::int,"
	" last_error = $4::text,"
	" sent_at = CASE WHEN $2::text = 'sent' THEN now() END,"
	" next_attempt_at = CASE WHEN $2::text = 'pending'"
	"  THEN now() + make_interval(secs => $5::float8) ELSE next_attempt_at END"
	" WHERE id = $1::bigint AND attempts = $6::int", 6, 0 };

static int
al_exec(struct db *db, const struct db_stmt *st, const char *const *p)
{
	PGresult	*r;

	if ((r = db_exec(db, st, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* "median" and "p90" of a summary's reply_seconds, and its rate. */
static struct json_object *
al_week_json(struct json_object *sum)
{
	struct json_object	*o, *rs, *v;
	static const char *const keep[] = { "inbound", "answered",
	    "reply_rate", "within_goal_share", "from", "to" };
	size_t			 i;

	o = json_object_new_object();
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (json_object_object_get_ex(sum, keep[i], &v))
			json_object_object_add(o, keep[i], json_object_get(v));
	if (json_object_object_get_ex(sum, "reply_seconds", &rs)) {
		json_object_object_add(o, "median_seconds",
		    json_object_object_get_ex(rs, "median", &v) ?
		    json_object_get(v) : NULL);
		json_object_object_add(o, "p90_seconds",
		    json_object_object_get_ex(rs, "p90", &v) ?
		    json_object_get(v) : NULL);
	}
	return o;
}

/* The top AL_TOP people waiting as a JSON array; NULL on error. */
static struct json_object *
al_top_json(struct db *db, const char *fid)
{
	struct json_object	*a, *e;
	PGresult		*r;
	char			 n[8];
	const char		*p[2] = { fid, n };
	int			 i;

	snprintf(n, sizeof(n), "%d", AL_TOP);
	if ((r = db_exec(db, &al_stmt_top, p, NULL)) == NULL)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < PQntuples(r); i++) {
		e = json_object_new_object();
		json_object_object_add(e, "fid", json_object_new_int64(
		    strtoll(PQgetvalue(r, i, 0), NULL, 10)));
		json_object_object_add(e, "username", PQgetisnull(r, i, 1) ?
		    NULL : json_object_new_string(PQgetvalue(r, i, 1)));
		json_object_object_add(e, "owed", json_object_new_int64(
		    strtoll(PQgetvalue(r, i, 2), NULL, 10)));
		json_object_object_add(e, "waiting_since", json_object_new_int64(
		    strtoll(PQgetvalue(r, i, 3), NULL, 10)));
		json_object_array_add(a, e);
	}
	PQclear(r);
	return a;
}

/* The digest's notification text: a sentence of the week's figures. */
static void
al_digest_text(struct json_object *this, long long owed, char *out,
    size_t outsz)
{
	struct json_object	*v;
	long long		 in = 0, ans = 0;
	double			 med = -1;

	if (json_object_object_get_ex(this, "inbound", &v))
		in = json_object_get_int64(v);
	if (json_object_object_get_ex(this, "answered", &v))
		ans = json_object_get_int64(v);
	if (json_object_object_get_ex(this, "median_seconds", &v) && v != NULL)
		med = json_object_get_double(v);
	if (med >= 0)
		snprintf(out, outsz, "You answered %lld of %lld, median %.0f "
		    "min; %lld still owed.", ans, in, med / 60, owed);
	else
		snprintf(out, outsz, "You answered %lld of %lld; %lld still "
		    "owed.", ans, in, owed);
}

/* The digest of the week ending at end (unix seconds) as its payload. */
static struct json_object *
al_digest_json(struct db *db, int64_t fid, const char *f, int64_t end,
    const char *week, const char *url, long long *owed)
{
	struct json_object	*o, *now, *prev, *v;
	struct eng_q		 q = { fid, end - 7 * 86400, end, NULL, end };
	char			 id[96];

	if ((now = eng_summary(db, &q)) == NULL)
		return NULL;
	q.from -= 7 * 86400;
	q.to -= 7 * 86400;
	q.now = q.to;
	if ((prev = eng_summary(db, &q)) == NULL) {
		json_object_put(now);
		return NULL;
	}
	*owed = json_object_object_get_ex(now, "unreplied_now", &v) ?
	    json_object_get_int64(v) : 0;
	snprintf(id, sizeof(id), "digest-%s-%s", f, week);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "type", json_object_new_string("digest"));
	json_object_object_add(o, "fid", json_object_new_int64(fid));
	json_object_object_add(o, "week", json_object_new_string(week));
	json_object_object_add(o, "this_week", al_week_json(now));
	json_object_object_add(o, "last_week", al_week_json(prev));
	json_object_object_add(o, "owed", json_object_new_int64(*owed));
	json_object_object_add(o, "top_waiting", al_top_json(db, f));
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_put(now);
	json_object_put(prev);
	return o;
}

static int
al_digest(struct db *db, int64_t fid, const char *f, const char *url)
{
	struct json_object	*o, *tw;
	PGresult		*r;
	char			 week[16], text[129];	/* body: 128 at most */
	const char		*p[5];
	long long		 owed = 0;
	int64_t			 end;
	int			 rc = -1;

	p[0] = f;
	if ((r = db_exec(db, &al_stmt_week, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {		/* switched off meanwhile */
		PQclear(r);
		return 0;
	}
	end = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	snprintf(week, sizeof(week), "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	if ((o = al_digest_json(db, fid, f, end, week, url, &owed)) == NULL)
		return -1;
	json_object_object_get_ex(o, "this_week", &tw);
	al_digest_text(tw, owed, text, sizeof(text));
	p[1] = week;
	p[2] = "Your week of replies";
	p[3] = text;
	p[4] = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	rc = al_exec(db, &al_stmt_digest, p);
	json_object_put(o);
	return rc;
}

/* One claimed schedule row. */
static int
al_run(struct db *db, const struct cfg *c, const char *f, const char *kind)
{
	char		 tick[24];
	const char	*p[3] = { f, c->app_url, kind };

	if (strcmp(kind, "digest") == 0)
		return al_digest(db, strtoll(f, NULL, 10), f, c->app_url);
	if (al_exec(db, strcmp(kind, "goal") == 0 ? &al_stmt_goal :
	    &al_stmt_share, p) == -1)
		return -1;
	snprintf(tick, sizeof(tick), "%ld", c->alert_tick);
	p[1] = kind;
	p[2] = tick;
	return al_exec(db, &al_stmt_ran, p);
}

static int
al_schedule(struct db *db, const struct cfg *c, volatile sig_atomic_t *stop)
{
	PGresult	*r;
	char		 lease[24];
	const char	*p[1] = { lease };
	int		 i, rc = 0;

	snprintf(lease, sizeof(lease), "%ld", c->job_lease);
	if ((r = db_exec(db, &al_stmt_claim, p, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && !*stop && rc == 0; i++)
		if (al_run(db, c, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)) == -1) {
			fprintf(stderr, "replycast-worker: alerts: %s of fid %s "
			    "failed (it runs again after RC_JOB_LEASE_S)\n",
			    PQgetvalue(r, i, 1), PQgetvalue(r, i, 0));
			rc = db_conn(db) == NULL ? -1 : 0;
		}
	PQclear(r);
	return rc;
}

/* One taken delivery, as al_stmt_take returns it. */
struct al_send {
	const char	*id, *event, *fid, *channel, *title, *body, *payload;
	int		 attempt;
	long		 status;
	char		 err[256];
	int		 retry;		/* 1: try again later, 0: final */
	int		 ok;
};

/* POST json to url with extra headers; status and err in s. */
static void
al_post(struct al_send *s, const char *url, const char *json,
    const char *const *hdr, struct buf *out)
{
	struct http_req	 r;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.url = url;
	r.json = json;
	r.headers = hdr;
	if (http_do(&r, &s->status, out, s->err, sizeof(s->err)) != HTTP_OK) {
		s->status = 0;
		s->retry = 1;
		return;
	}
	s->ok = s->status >= 200 && s->status < 300;
	/* 410 Gone: the receiver says never again; other refusals may pass. */
	s->retry = !s->ok && s->status != 410;
	if (!s->ok)
		snprintf(s->err, sizeof(s->err), "the receiver answered HTTP %ld",
		    s->status);
}

static int
al_webhook(struct db *db, struct al_send *s)
{
	PGresult	*r;
	const char	*p[1] = { s->fid };
	const char	*hdr[4];
	char		 h[3][200], sig[80];
	struct buf	 out;
	int64_t		 ts = (int64_t)time(NULL);

	if ((r = db_exec(db, &al_stmt_hook, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 1)) {
		snprintf(s->err, sizeof(s->err), "no webhook URL is set any more");
		PQclear(r);
		return 0;
	}
	alert_sign(PQgetvalue(r, 0, 1), ts, s->payload, strlen(s->payload),
	    sig, sizeof(sig));
	snprintf(h[0], sizeof(h[0]), "X-Replycast-Delivery: %s", s->event);
	snprintf(h[1], sizeof(h[1]), "X-Replycast-Timestamp: %" PRId64, ts);
	snprintf(h[2], sizeof(h[2]), "X-Replycast-Signature: %s", sig);
	hdr[0] = h[0];
	hdr[1] = h[1];
	hdr[2] = h[2];
	hdr[3] = NULL;
	buf_init(&out, 64 * 1024);
	al_post(s, PQgetvalue(r, 0, 0), s->payload, hdr, &out);
	buf_free(&out);
	PQclear(r);
	return 0;
}

/* The answer's member name as a non-empty JSON array of tokens, or NULL. */
static const char *
al_tokens(struct json_object *res, const char *name)
{
	struct json_object	*a;

	if (!json_object_object_get_ex(res, name, &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) == 0)
		return NULL;
	return json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
}

/*
 * A Farcaster client's answer: {"result": {"successfulTokens",
 * "invalidTokens", "rateLimitedTokens"}}.  Invalid tokens are switched
 * off; rate-limited ones make the delivery try again later.
 */
static int
al_notify_answer(struct db *db, struct al_send *s, const char *url,
    struct buf *ans)
{
	struct json_object	*o, *res;
	const char		*p[3] = { s->fid, url, NULL };
	int			 rc = 0;

	if (jparse_object(ans->ptr, ans->len, JPARSE_DEPTH, &o, NULL, 0) !=
	    JPARSE_OK)
		return 0;
	if (json_object_object_get_ex(o, "result", &res)) {
		if ((p[2] = al_tokens(res, "invalidTokens")) != NULL)
			rc = al_exec(db, &al_stmt_invalid, p);
		if (al_tokens(res, "rateLimitedTokens") != NULL) {
			s->ok = 0;
			s->retry = 1;
			snprintf(s->err, sizeof(s->err), "rate limited by %s",
			    url);
		}
	}
	json_object_put(o);
	return rc;
}

/* One POST per notification URL, with all of that URL's tokens. */
static int
al_miniapp(struct db *db, const struct cfg *c, struct al_send *s)
{
	struct json_object	*pl, *o, *toks = NULL, *v;
	PGresult		*r;
	struct buf		 ans;
	const char		*p[1] = { s->fid }, *target = c->app_url;
	int			 i, n, any = 0, ok = 1, retry = 0;

	if ((r = db_exec(db, &al_stmt_tokens, p, NULL)) == NULL)
		return -1;
	if (jparse_object(s->payload, strlen(s->payload), JPARSE_DEPTH, &pl,
	    NULL, 0) != JPARSE_OK)
		pl = NULL;
	if (pl != NULL && json_object_object_get_ex(pl, "url", &v))
		target = json_object_get_string(v);
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		if (toks == NULL)
			toks = json_object_new_array();
		json_object_array_add(toks,
		    json_object_new_string(PQgetvalue(r, i, 1)));
		if (i + 1 < n && strcmp(PQgetvalue(r, i, 0),
		    PQgetvalue(r, i + 1, 0)) == 0)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "notificationId",
		    json_object_new_string(s->event));
		json_object_object_add(o, "title", json_object_new_string(s->title));
		json_object_object_add(o, "body", json_object_new_string(s->body));
		json_object_object_add(o, "targetUrl",
		    json_object_new_string(target));
		json_object_object_add(o, "tokens", toks);
		toks = NULL;
		buf_init(&ans, HTTP_MAX_BODY);
		s->ok = 0;
		s->retry = 0;
		al_post(s, PQgetvalue(r, i, 0), json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN), NULL, &ans);
		if (s->ok && al_notify_answer(db, s, PQgetvalue(r, i, 0),
		    &ans) == -1)
			n = -1;
		buf_free(&ans);
		json_object_put(o);
		any = 1;
		ok &= s->ok;
		retry |= s->retry;
	}
	s->ok = any && ok;
	s->retry = retry;
	if (!any)
		snprintf(s->err, sizeof(s->err), "no mini-app notification "
		    "token is enabled any more");
	json_object_put(pl);
	PQclear(r);
	return n == -1 ? -1 : 0;
}

/* Records how attempt s ended. */
static int
al_end(struct db *db, const struct cfg *c, struct al_send *s)
{
	char		 st[8], att[16], wait[24];
	const char	*p[6];
	long		 w = c->job_backoff;
	int		 k;

	for (k = 1; k < s->attempt && w < AL_BACKOFF_MAX; k++)
		w *= 2;
	snprintf(st, sizeof(st), "%ld", s->status);
	snprintf(att, sizeof(att), "%d", s->attempt);
	snprintf(wait, sizeof(wait), "%ld", w < AL_BACKOFF_MAX ? w :
	    AL_BACKOFF_MAX);
	p[0] = s->id;
	p[1] = s->ok ? "sent" : s->retry && s->attempt < c->job_max_attempts ?
	    "pending" : "failed";
	p[2] = s->status > 0 ? st : NULL;
	p[3] = s->ok ? NULL : s->err;
	p[4] = wait;
	p[5] = att;
	fprintf(stderr, "replycast-worker: delivery %s (%s, attempt %d): %s%s%s\n",
	    s->event, s->channel, s->attempt, p[1], s->ok ? "" : ": ",
	    s->ok ? "" : s->err);
	return al_exec(db, &al_stmt_end, p);
}

static int
al_deliver(struct db *db, const struct cfg *c, volatile sig_atomic_t *stop)
{
	PGresult	*r;
	struct al_send	 s;
	char		 lease[24];
	const char	*p[1] = { lease };
	int		 i, rc = 0;

	snprintf(lease, sizeof(lease), "%ld", c->job_lease);
	if ((r = db_exec(db, &al_stmt_take, p, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r) && !*stop && rc == 0; i++) {
		memset(&s, 0, sizeof(s));
		s.id = PQgetvalue(r, i, 0);
		s.event = PQgetvalue(r, i, 1);
		s.fid = PQgetvalue(r, i, 2);
		s.channel = PQgetvalue(r, i, 3);
		s.title = PQgetvalue(r, i, 4);
		s.body = PQgetvalue(r, i, 5);
		s.payload = PQgetvalue(r, i, 6);
		s.attempt = (int)strtol(PQgetvalue(r, i, 7), NULL, 10);
		rc = strcmp(s.channel, "webhook") == 0 ? al_webhook(db, &s) :
		    al_miniapp(db, c, &s);
		if (rc == 0)
			rc = al_end(db, c, &s);
	}
	PQclear(r);
	return rc;
}

int
alerts_tick(struct db *db, const struct cfg *c, volatile sig_atomic_t *stop)
{
	if (al_schedule(db, c, stop) == -1)
		return -1;
	return *stop ? 0 : al_deliver(db, c, stop);
}
