#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/buf.h"
#include "core/cursor.h"
#include "core/db.h"
#include "eng.h"
#include "km.h"
#include "mention.h"
#include "prio.h"
#include "speed.h"

/*
 * Shared head of the windowed queries: $1 fid, $2 from, $3 to (unix
 * seconds), $4 time zone or NULL for the user's own.  "i" holds the
 * user's inbound casts in the window, muted authors and removed casts left
 * out; rt is the reply time in seconds (NULL: unanswered).  Each statement
 * comes in two forms (ENG_STMT2): [0] for a user with the default
 * definition reads only what inbound_fid_ts covers, so its scan stays
 * index-only; [1] reads the answer under the user's definition (ENG_DEF_*),
 * which needs each row's hash.
 */
#define ENG_HEAD_S \
	"WITH s AS (SELECT coalesce($4::text, u.tz, 'UTC') AS tz," \
	" coalesce(u.goal_seconds, 3600) AS goal," \
	" coalesce(u.muted, '{}') AS muted, coalesce(u.work_days, 0) AS wd," \
	" coalesce(u.work_start, 540) AS ws, coalesce(u.work_end, 1020) AS we," \
	ENG_DEF_COLS \
	" FROM (SELECT 1) AS one LEFT JOIN user_settings u ON u.fid = $1::bigint),"
#define ENG_HEAD_PLAIN ENG_HEAD_S \
	" i AS (SELECT i.hash, i.ts, i.answered_at, i.author_fid, i.kind," \
	" i.rt::float8 AS rt" \
	" FROM inbound i, s WHERE i.fid = $1::bigint" \
	" AND i.ts >= to_timestamp($2::float8) AND i.ts < to_timestamp($3::float8)" \
	" AND NOT i.deleted AND i.author_fid <> ALL (s.muted)) "
#define ENG_HEAD_DEF ENG_HEAD_S \
	" i AS (SELECT i.hash, i.ts, " ENG_DEF_AAT("i", "s") " AS answered_at," \
	" i.author_fid, i.kind, (" ENG_DEF_RT("i", "s") ")::float8 AS rt" \
	" FROM s CROSS JOIN inbound i" ENG_DEF_JOIN("i", "s") \
	" WHERE i.fid = $1::bigint" \
	" AND i.ts >= to_timestamp($2::float8) AND i.ts < to_timestamp($3::float8)" \
	" AND NOT i.deleted AND i.author_fid <> ALL (s.muted)" \
	" AND " ENG_DEF_KEEP("i", "s") ") "
#define ENG_STMT2(name, body, n) { \
	{ name, ENG_HEAD_PLAIN body, n, 1 }, \
	{ name "_def", ENG_HEAD_DEF body, n, 1 } }

/* Working-time reply seconds, computed only for users with working hours. */
#define ENG_WORK \
	"CASE WHEN s.wd <> 0 AND i.rt IS NOT NULL THEN" \
	" rc_work_seconds(i.ts, i.answered_at, s.tz, s.wd, s.ws, s.we) END"

/*
 * Kaplan-Meier at the evaluation time $5 (eng_now): a cast answered by
 * then is an event at its reply time, any other is censored at its age
 * then.  The same integers as the read model (facts_scan).
 */
#define ENG_KM_AGE	"($5::float8 - floor(date_part('epoch', i.ts)))"
#define ENG_KM_EV	"coalesce(i.rt <= " ENG_KM_AGE ", false)"

/*
 * One pass over the window, with no GROUP BY (the settings row is folded in
 * with min()): the array forms of percentile_cont share one sort, and
 * working time is computed only for users with working hours.
 */
#define ENG_SUMMARY_BODY(OPEN, ACK) \
	"SELECT count(i.ts), count(i.rt), avg(i.rt)," \
	" percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY i.rt)," \
	" min(i.rt), max(i.rt), count(*) FILTER (WHERE i.rt <= s.goal)," \
	" min(s.goal), min(s.tz)," \
	" percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY " ENG_WORK ")" \
	"  FILTER (WHERE s.wd <> 0 AND i.rt IS NOT NULL)," \
	" avg(" ENG_WORK ") FILTER (WHERE s.wd <> 0 AND i.rt IS NOT NULL)," \
	" " OPEN ", min(s.wd)," \
	" count(*) FILTER (WHERE i.rt < 300)," \
	" count(*) FILTER (WHERE i.rt >= 300 AND i.rt < 900)," \
	" count(*) FILTER (WHERE i.rt >= 900 AND i.rt < 3600)," \
	" count(*) FILTER (WHERE i.rt >= 3600 AND i.rt < 14400)," \
	" count(*) FILTER (WHERE i.rt >= 14400 AND i.rt < 86400)," \
	" count(*) FILTER (WHERE i.rt >= 86400)," \
	" count(*) FILTER (WHERE i.rt <= 3600)," \
	" count(*) FILTER (WHERE i.rt <= 86400)," \
	" rc_km(coalesce(array_agg(CASE WHEN " ENG_KM_EV " THEN i.rt" \
	"  ELSE greatest(" ENG_KM_AGE ", 0) END) FILTER (WHERE i.ts IS NOT NULL)," \
	"  '{}'), coalesce(array_agg(" ENG_KM_EV ")" \
	"  FILTER (WHERE i.ts IS NOT NULL), '{}'), $6::float8[])," \
	" count(*) FILTER (WHERE i.ts IS NOT NULL AND NOT " ENG_KM_EV ")," \
	" " ACK \
	" FROM s LEFT JOIN i ON true"
static const struct db_stmt eng_stmt_summary[2] = {
	{ "eng_summary", ENG_HEAD_PLAIN ENG_SUMMARY_BODY(
	    "(SELECT count(*) FROM inbound o, s AS s2 WHERE o.fid = $1::bigint"
	    " AND o.answered_at IS NULL AND NOT o.deleted"
	    " AND o.author_fid <> ALL (s2.muted))", "0"), 6, 1 },
	{ "eng_summary_def", ENG_HEAD_DEF ENG_SUMMARY_BODY(
	    "(SELECT count(*)" ENG_DEF_OPEN("o", "s2")
	    " AND NOT " ENG_DEF_ACK("o", "s2") ")",
	    "CASE WHEN bool_or(s.likes) THEN (SELECT count(*)"
	    ENG_DEF_OPEN("o", "s2") " AND " ENG_DEF_ACK("o", "s2")
	    ") ELSE 0 END"), 6, 1 },
};

#define ENG_SUMMARY_WD		12	/* the work_days column of eng_summary */
#define ENG_SUMMARY_BUCKETS	13	/* its first distribution column */
#define ENG_SUMMARY_H1		19	/* answered within 1 h, then 24 h */
#define ENG_SUMMARY_KM		21	/* rc_km: median, p90, the curve */
#define ENG_SUMMARY_ACK		23	/* open casts acknowledged by a like */

static const struct db_stmt eng_stmt_distribution[2] = ENG_STMT2("eng_distribution",
	"SELECT count(*) FILTER (WHERE rt < 300),"
	" count(*) FILTER (WHERE rt >= 300 AND rt < 900),"
	" count(*) FILTER (WHERE rt >= 900 AND rt < 3600),"
	" count(*) FILTER (WHERE rt >= 3600 AND rt < 14400),"
	" count(*) FILTER (WHERE rt >= 14400 AND rt < 86400),"
	" count(*) FILTER (WHERE rt >= 86400),"
	" count(*) FILTER (WHERE rt IS NULL) FROM i", 4);

static const struct db_stmt eng_stmt_heatmap[2] = ENG_STMT2("eng_heatmap",
	"SELECT date_part('isodow', i.ts AT TIME ZONE s.tz)::int AS dow,"
	" date_part('hour', i.ts AT TIME ZONE s.tz)::int AS hour,"
	" count(*), count(i.rt),"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt)"
	" FROM i, s GROUP BY 1, 2 ORDER BY 1, 2", 4);

static const struct db_stmt eng_stmt_trend_day[2] = ENG_STMT2("eng_trend_day",
	"SELECT to_char(date_trunc('day', i.ts AT TIME ZONE s.tz), 'YYYY-MM-DD'),"
	" count(*), count(i.rt),"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt)"
	" FROM i, s GROUP BY 1 ORDER BY 1", 4);

static const struct db_stmt eng_stmt_trend_week[2] = ENG_STMT2("eng_trend_week",
	"SELECT to_char(date_trunc('week', i.ts AT TIME ZONE s.tz), 'YYYY-MM-DD'),"
	" count(*), count(i.rt),"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt)"
	" FROM i, s GROUP BY 1 ORDER BY 1", 4);

/*
 * Aggregated per author first; only the page's rows meet profiles.  $6 is
 * the sort (0 inbound, 1 answered, 2 reply rate, 3 median, fastest first),
 * $7 the offset of the page.
 */
static const struct db_stmt eng_stmt_counterparts[2] = ENG_STMT2("eng_counterparts",
	", a AS (SELECT i.author_fid, count(*) AS n, count(i.rt) AS answered,"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt) AS med"
	" FROM i GROUP BY i.author_fid),"
	" o AS (SELECT a.*, CASE $6::int WHEN 0 THEN -a.n::float8"
	"  WHEN 1 THEN -a.answered::float8"
	"  WHEN 2 THEN -(a.answered::float8 / a.n) ELSE a.med END AS k"
	" FROM a ORDER BY k NULLS LAST, a.author_fid"
	" LIMIT $5::int OFFSET $7::int)"
	" SELECT o.author_fid, p.username, p.display_name, p.pfp_url,"
	" o.n, o.answered, o.med FROM o LEFT JOIN profiles p ON p.fid = o.author_fid"
	" ORDER BY o.k NULLS LAST, o.author_fid", 7);

/*
 * The people list (eng_people): counterparts found by a search, in any
 * column's order either way, paged by keyset.  $5 limit, $6 sort (0
 * inbound, 1 answered, 2 reply rate, 3 median, 4 name), $7 direction (1
 * ascending, -1 descending), $8 an ILIKE pattern or NULL, then the
 * position after which the page starts (all NULL: the first page): $9
 * its fid, $10 its number key (NULL: a row without one), $11 its name key.
 * A number key is the column times the direction, rows without one last;
 * the name key is the bytes of the lower-cased first 32 characters of the
 * display name, else the username; ties go by fid.  The last column is
 * when the avatar cache got the person's picture (NULL: it has none).  Sorting happens on
 * the aggregate of the window's rows, which any order needs in full.
 */
static const struct db_stmt eng_stmt_people[2] = ENG_STMT2("eng_people",
	", a AS (SELECT i.author_fid, count(*) AS n, count(i.rt) AS answered,"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt) AS med"
	" FROM i WHERE $8::text IS NULL OR i.author_fid IN (SELECT p.fid"
	"  FROM profiles p WHERE p.username ILIKE $8::text"
	"  OR p.display_name ILIKE $8::text)"
	" GROUP BY i.author_fid),"
	" k AS (SELECT a.*, p.username, p.display_name, p.pfp_url,"
	" $7::int * CASE $6::int WHEN 0 THEN a.n::float8"
	"  WHEN 1 THEN a.answered::float8"
	"  WHEN 2 THEN a.answered::float8 / a.n WHEN 3 THEN a.med END AS kn,"
	" CASE WHEN $6::int = 4 THEN convert_to(lower(left(coalesce("
	"  nullif(p.display_name, ''), p.username, ''), 32)), 'UTF8')"
	"  ELSE '\\x'::bytea END AS kt"
	" FROM a LEFT JOIN profiles p ON p.fid = a.author_fid)"
	" SELECT k.author_fid, k.username, k.display_name, k.pfp_url,"
	" k.n, k.answered, k.med, k.kn, encode(k.kt, 'hex'),"
	" (SELECT extract(epoch FROM av.fetched_at)::bigint FROM avatars av"
	"  WHERE av.fid = k.author_fid AND av.body IS NOT NULL) FROM k"
	" WHERE $9::bigint IS NULL OR CASE WHEN $6::int = 4 THEN"
	"  (CASE WHEN $7::int = 1 THEN k.kt > $11::bytea ELSE k.kt < $11::bytea END)"
	"  OR (k.kt = $11::bytea AND k.author_fid > $9::bigint)"
	" WHEN $10::float8 IS NULL THEN k.kn IS NULL AND k.author_fid > $9::bigint"
	" ELSE k.kn > $10::float8 OR k.kn IS NULL"
	"  OR (k.kn = $10::float8 AND k.author_fid > $9::bigint) END"
	" ORDER BY CASE WHEN $7::int = 1 THEN k.kt END,"
	" CASE WHEN $7::int = -1 THEN k.kt END DESC,"
	" k.kn NULLS LAST, k.author_fid LIMIT $5::int", 11);

/*
 * Per channel (ENG_CHANNEL; NULL: no channel, one group).  The goal is the user's goal for that channel, else
 * the user's.  $6 the sort as counterparts, $7 the offset of the page.
 */
static const struct db_stmt eng_stmt_channels[2] = ENG_STMT2("eng_channels",
	", c AS (SELECT i.url, count(*) AS n, count(i.rt) AS answered,"
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY i.rt) AS med,"
	" count(*) FILTER (WHERE i.rt <= coalesce(g.goal_seconds, s.goal)) AS wg,"
	" min(coalesce(g.goal_seconds, s.goal)) AS goal,"
	" bool_or(g.goal_seconds IS NOT NULL) AS own"
	" FROM (SELECT i.rt, " ENG_CHANNEL " AS url FROM i) AS i CROSS JOIN s"
	" LEFT JOIN user_channel_goals g ON g.fid = $1::bigint"
	"  AND g.parent_url = i.url"
	" GROUP BY i.url),"
	" o AS (SELECT c.*, CASE $6::int WHEN 0 THEN -c.n::float8"
	"  WHEN 1 THEN -c.answered::float8"
	"  WHEN 2 THEN -(c.answered::float8 / c.n) ELSE c.med END AS k"
	" FROM c ORDER BY k NULLS LAST, c.url NULLS FIRST"
	" LIMIT $5::int OFFSET $7::int)"
	" SELECT o.url, rc_channel_name(o.url), o.n, o.answered, o.med,"
	" o.goal, o.own, o.wg FROM o ORDER BY o.k NULLS LAST, o.url NULLS FIRST",
	7);

/*
 * The trend of speed: the window is the oldest period's start to the
 * evaluation time $5; each period's columns filter its part of it
 * (speed_init: 7 days and the 7 before, 30 days and the 30 before).
 */
#define ENG_SPEED_IN(a, b) \
	"i.ts >= to_timestamp($5::float8 - " a ")" \
	" AND i.ts < to_timestamp($5::float8 - " b ")"
#define ENG_SPEED_COLS(c) \
	" count(i.ts) FILTER (WHERE " c "), count(i.rt) FILTER (WHERE " c ")," \
	" count(*) FILTER (WHERE i.rt <= s.goal AND " c ")," \
	" percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY i.rt)" \
	"  FILTER (WHERE " c "),"
#define ENG_SPEED_NCOL	4	/* columns per period */

static const struct db_stmt eng_stmt_speed[2] = ENG_STMT2("eng_speed",
	"SELECT"
	ENG_SPEED_COLS(ENG_SPEED_IN("604800", "0"))
	ENG_SPEED_COLS(ENG_SPEED_IN("1209600", "604800"))
	ENG_SPEED_COLS(ENG_SPEED_IN("2592000", "0"))
	ENG_SPEED_COLS(ENG_SPEED_IN("5184000", "2592000"))
	" min(s.goal), min(s.tz) FROM s LEFT JOIN i ON true", 5);

/* Days are local days in tz with at least one reply by the user. */
#define ENG_STREAK_BODY(D) \
	", d AS (" D ")," \
	" g AS (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS grp" \
	" FROM d), isl AS (SELECT min(day) AS first, max(day) AS last," \
	" count(*) AS len FROM g GROUP BY grp)" \
	" SELECT coalesce((SELECT max(len) FROM isl), 0)," \
	" coalesce((SELECT len FROM isl, s WHERE isl.last >=" \
	"  (to_timestamp($3::float8) AT TIME ZONE s.tz)::date - 1" \
	"  ORDER BY isl.last DESC LIMIT 1), 0)," \
	" (SELECT to_char(max(last), 'YYYY-MM-DD') FROM isl), s.tz FROM s"
static const struct db_stmt eng_stmt_streak[2] = {
	{ "eng_streak", ENG_HEAD_PLAIN ENG_STREAK_BODY(
	    "SELECT DISTINCT (o.answered_at AT TIME ZONE s.tz)::date AS day"
	    " FROM inbound o, s WHERE o.fid = $1::bigint"
	    " AND o.answered_at IS NOT NULL AND NOT o.deleted"
	    " AND o.author_fid <> ALL (s.muted)"
	    " AND o.answered_at < to_timestamp($3::float8)"), 4, 1 },
	{ "eng_streak_def", ENG_HEAD_DEF ENG_STREAK_BODY(
	    "SELECT DISTINCT (o.at AT TIME ZONE o.tz)::date AS day"
	    " FROM (SELECT " ENG_DEF_AAT("o", "s") " AS at, s.tz"
	    " FROM s CROSS JOIN inbound o" ENG_DEF_JOIN("o", "s")
	    " WHERE o.fid = $1::bigint AND NOT o.deleted"
	    " AND o.author_fid <> ALL (s.muted) AND " ENG_DEF_KEEP("o", "s")
	    ") o WHERE o.at IS NOT NULL AND o.at < to_timestamp($3::float8)"),
	    4, 1 },
};

/*
 * Owed replies (eng_unreplied).  $1 fid, $2 min age (seconds), $3 kind
 * (0 any, 1 reply, 2 mention), $4 and $5 the keyset's ts and hash (NULL:
 * the first page), $6 the page size, $7 what to show: 0 the inbox (not
 * done, not snoozed, or a snooze that has ended; not acknowledged by a like
 * when likes count), 1 done, 2 snoozed, 3 all, 4 acknowledged; $8 the
 * evaluation time (unix seconds), fixed by the first page so
 * that the scores, and with them the order, hold while paging; $9 the
 * keyset's score (priority order).  Open means unanswered under the
 * user's definition (ENG_DEF_*); triage changes a figure only when the
 * user's dismissed casts are excluded (ENG_DEF_KEEP).
 */
#define ENG_OWED_S \
	"WITH s AS (SELECT coalesce(u.muted, '{}') AS muted," \
	" coalesce(u.bots, '{}') AS bots, coalesce(u.goal_seconds, 3600) AS goal," \
	" to_timestamp($8::float8) AS now," ENG_DEF_COLS \
	" FROM (SELECT 1) AS one LEFT JOIN user_settings u ON u.fid = $1::bigint)"

/* The open casts that pass the filters, with the goal that applies. */
#define ENG_OWED_O \
	", o AS (SELECT i.hash, i.author_fid, i.ts, i.kind, t.state, t.until," \
	" floor(extract(epoch FROM s.now - i.ts))::bigint AS age," \
	" g.goal_seconds AS cgoal, coalesce(g.goal_seconds, s.goal) AS goal," \
	" i.author_fid = ANY (s.bots) AS bot, " ENG_DEF_ACK("i", "s") " AS ack" \
	" FROM s CROSS JOIN inbound i" ENG_DEF_JOIN("i", "s") \
	" LEFT JOIN triage t ON t.fid = i.fid AND t.hash = i.hash" \
	" LEFT JOIN user_channel_goals g ON i.kind = 2 AND g.fid = i.fid" \
	"  AND g.parent_url = (" ENG_CHANNEL ")" \
	" WHERE i.fid = $1::bigint AND i.answered_at IS NULL AND ta.hash IS NULL" \
	" AND NOT i.deleted" \
	" AND i.author_fid <> ALL (s.muted)" \
	" AND i.ts <= s.now - make_interval(secs => $2::float8)" \
	" AND ($3::int = 0 OR i.kind & $3::int <> 0)" \
	" AND CASE $7::int" \
	"  WHEN 0 THEN (t.state IS NULL OR (t.state = 'snoozed' AND t.until <= s.now))" \
	"   AND NOT " ENG_DEF_ACK("i", "s") \
	"  WHEN 1 THEN t.state = 'done'" \
	"  WHEN 2 THEN t.state = 'snoozed' AND t.until > s.now" \
	"  WHEN 4 THEN " ENG_DEF_ACK("i", "s") \
	"  ELSE true END"

/*
 * The parts of the score (migrations/0015_priority.sql) for the casts in
 * o: per author, one pass over the user's inbound rows of the authors in o
 * (index-only on inbound_fid_ts), and two primary-key probes in follows.
 */
#define ENG_OWED_P \
	", a AS (SELECT i.author_fid, count(*) AS n," \
	" count(" ENG_DEF_AAT("i", "s") ") AS ans," \
	" count(*) FILTER (WHERE i.kind & 1 <> 0) AS replies" \
	" FROM s CROSS JOIN inbound i" ENG_DEF_JOIN("i", "s") \
	" WHERE i.fid = $1::bigint AND NOT i.deleted" \
	" AND i.author_fid IN (SELECT author_fid FROM o) GROUP BY i.author_fid)," \
	" p AS (SELECT o.*, f1.fid IS NOT NULL AS you, f2.fid IS NOT NULL AS they," \
	" a.replies - (o.kind & 1 <> 0)::int AS other, a.ans, a.n," \
	" rc_prio_wait(o.age, o.goal) AS pw," \
	" rc_prio_follow(f1.fid IS NOT NULL, f2.fid IS NOT NULL) AS pf," \
	" rc_prio_replies(a.replies - (o.kind & 1 <> 0)::int) AS pr," \
	" rc_prio_rate(a.ans, a.n) AS pa, rc_prio_kind(o.kind) AS pk," \
	" rc_prio_bot(o.bot) AS pb FROM o JOIN a ON a.author_fid = o.author_fid" \
	" LEFT JOIN follows f1 ON f1.fid = $1::bigint AND f1.target_fid = o.author_fid" \
	" LEFT JOIN follows f2 ON f2.fid = o.author_fid AND f2.target_fid = $1::bigint)," \
	" sc AS (SELECT p.*, pw + pf + pr + pa + pk + pb AS score FROM p)"

/* The page's rows meet casts and profiles; ENG_OWED_COL_* name columns. */
#define ENG_OWED_SELECT(order) \
	" SELECT '0x' || encode(q.hash, 'hex'), q.author_fid," \
	" extract(epoch FROM q.ts)::bigint, q.kind, q.age," \
	" pr.username, pr.display_name, pr.pfp_url, c.text, q.state," \
	" extract(epoch FROM q.until)::bigint, q.goal, q.cgoal IS NOT NULL," \
	" q.you, q.they, q.other, q.ans, q.n, q.bot," \
	" q.pw, q.pf, q.pr, q.pa, q.pk, q.pb, q.score, q.ack," \
	" array_to_string(c.mention_pos, ','), (SELECT string_agg(" \
	"  coalesce(pm.username, 'fid:' || m.f), chr(31) ORDER BY m.o)" \
	"  FROM unnest(c.mention_fids) WITH ORDINALITY AS m (f, o)" \
	"  LEFT JOIN profiles pm ON pm.fid = m.f)" \
	" FROM r AS q JOIN casts c ON c.hash = q.hash" \
	" LEFT JOIN profiles pr ON pr.fid = q.author_fid ORDER BY " order

enum eng_owed_col {
	OWED_HASH, OWED_AUTHOR, OWED_TS, OWED_KIND, OWED_AGE, OWED_USER,
	OWED_NAME, OWED_PFP, OWED_TEXT, OWED_STATE, OWED_UNTIL, OWED_GOAL,
	OWED_CGOAL, OWED_YOU, OWED_THEY, OWED_OTHER, OWED_ANS, OWED_N,
	OWED_BOT, OWED_PW, OWED_PF, OWED_PR, OWED_PA, OWED_PK, OWED_PB,
	OWED_SCORE, OWED_ACK, OWED_MPOS, OWED_MNAMES, OWED__MAX
};

/* Oldest first: the page is cut by the index order before any scoring. */
static const struct db_stmt eng_stmt_unreplied = { "eng_unreplied",
	ENG_OWED_S ENG_OWED_O
	" AND ($5::bytea IS NULL OR (i.ts, i.hash) >"
	"  (to_timestamp($4::float8), $5::bytea))"
	" ORDER BY i.ts, i.hash LIMIT $6::int)"
	ENG_OWED_P ", r AS (SELECT * FROM sc)"
	ENG_OWED_SELECT("q.ts, q.hash"), 8, 1 };	/* $9 is priority's */

/* By priority: every open cast is scored, then the page is cut. */
static const struct db_stmt eng_stmt_unreplied_prio = { "eng_unreplied_prio",
	ENG_OWED_S ENG_OWED_O ")" ENG_OWED_P
	", r AS (SELECT * FROM sc WHERE $5::bytea IS NULL"
	" OR (-sc.score, sc.ts, sc.hash) > (-$9::int, to_timestamp($4::float8),"
	"  $5::bytea) ORDER BY sc.score DESC, sc.ts, sc.hash LIMIT $6::int)"
	ENG_OWED_SELECT("q.score DESC, q.ts, q.hash"), 9, 1 };

/*
 * The number of owed replies in each view of the inbox (eng_owed_counts),
 * under the same filters as a page ($2, $3, $8; $7 3: every open cast):
 * each FILTER is the view's clause of ENG_OWED_O.  $4 to $6 are a page's
 * and unused.
 */
static const struct db_stmt eng_stmt_owed_counts = { "eng_owed_counts",
	ENG_OWED_S ENG_OWED_O
	" AND $4::text IS NULL AND $5::text IS NULL AND $6::text IS NULL)"
	" SELECT count(*) FILTER (WHERE (o.state IS NULL OR (o.state ="
	"  'snoozed' AND o.until <= s.now)) AND NOT o.ack),"
	" count(*) FILTER (WHERE o.state = 'done'),"
	" count(*) FILTER (WHERE o.state = 'snoozed' AND o.until > s.now),"
	" count(*) FILTER (WHERE o.ack)"
	" FROM o CROSS JOIN s", 8, 1 };

static const struct db_stmt eng_stmt_settings = { "eng_settings",
	"SELECT tz, work_days, work_start, work_end, goal_seconds,"
	" answer = 'thread', likes, dismissed = 'excluded', definition_version"
	" FROM user_settings WHERE fid = $1::bigint", 1, 1 };

/* Local midnight of a day (days since 1970-01-01) in $1, by PostgreSQL's zones. */
static const struct db_stmt eng_stmt_day_start = { "eng_day_start",
	"SELECT extract(epoch FROM (date '1970-01-01' + $2::int)::timestamp"
	" AT TIME ZONE $1::text)::bigint", 2, 1 };

static const char *const eng_buckets[] = {
	"<5m", "5-15m", "15-60m", "1-4h", "4-24h", ">24h",
};

/* A number with at most three decimals, or null for SQL NULL. */
static struct json_object *
eng_num(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return eng_json_num(strtod(PQgetvalue(r, row, col), NULL));
}

struct json_object *
eng_json_num(double v)
{
	char	 s[64];
	size_t	 n;

	snprintf(s, sizeof(s), "%.3f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	return json_object_new_double_s(v, s);
}

/* Element k of a float8[] column ("{1,2.5,3}") into *out; -1 if null. */
static int
eng_arr_elem(const PGresult *r, int row, int col, int k, double *out)
{
	const char	*p;
	int		 i;

	if (PQgetisnull(r, row, col))
		return -1;
	p = PQgetvalue(r, row, col);
	if (*p++ != '{')
		return -1;
	for (i = 0; i < k && p != NULL; i++)
		if ((p = strchr(p, ',')) != NULL)
			p++;
	if (p == NULL || strncmp(p, "NULL", 4) == 0)
		return -1;
	*out = strtod(p, NULL);
	return 0;
}

/* Element k of a float8[] column as seconds, or null. */
static struct json_object *
eng_elem(const PGresult *r, int row, int col, int k)
{
	double	 v;

	return eng_arr_elem(r, row, col, k, &v) == -1 ? NULL : eng_json_num(v);
}

static struct json_object *
eng_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return json_object_new_int64(strtoll(PQgetvalue(r, row, col), NULL, 10));
}

static struct json_object *
eng_str(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return json_object_new_string(PQgetvalue(r, row, col));
}

struct json_object *
eng_json_ratio(long long num, long long den)
{
	char	 s[32];

	if (den == 0)
		return NULL;
	snprintf(s, sizeof(s), "%.4f", (double)num / (double)den);
	return json_object_new_double_s((double)num / (double)den, s);
}

struct json_object *
eng_json_tta(const struct km_result *k, long long inbound, long long censored,
    int64_t now)
{
	struct json_object	*t, *a, *p;
	char			 s[32];
	size_t			 i;

	if ((t = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(t, "km_median",
	    inbound && k->has_median ? eng_json_num(k->median) : NULL);
	json_object_object_add(t, "km_p90",
	    inbound && k->has_p90 ? eng_json_num(k->p90) : NULL);
	json_object_object_add(t, "censored", json_object_new_int64(censored));
	json_object_object_add(t, "evaluated_at", json_object_new_int64(now));
	a = inbound ? json_object_new_array() : NULL;
	for (i = 0; a != NULL && i < KM_NGRID; i++) {
		p = json_object_new_object();
		json_object_object_add(p, "seconds",
		    json_object_new_int64((int64_t)km_grid[i]));
		snprintf(s, sizeof(s), "%.4f", k->surv[i]);
		json_object_object_add(p, "open_share",
		    json_object_new_double_s(k->surv[i], s));
		json_object_array_add(a, p);
	}
	json_object_object_add(t, "survival", a);
	return t;
}

void
eng_json_within(struct json_object *o, long long inbound, long long h1,
    long long h24, long long goal)
{
	struct json_object	*n, *r;

	n = json_object_new_object();
	r = json_object_new_object();
	json_object_object_add(n, "1h", json_object_new_int64(h1));
	json_object_object_add(n, "24h", json_object_new_int64(h24));
	json_object_object_add(n, "goal", json_object_new_int64(goal));
	json_object_object_add(r, "1h", eng_json_ratio(h1, inbound));
	json_object_object_add(r, "24h", eng_json_ratio(h24, inbound));
	json_object_object_add(r, "goal", eng_json_ratio(goal, inbound));
	json_object_object_add(o, "answered_within", n);
	json_object_object_add(o, "reply_rate_within", r);
}

int64_t
eng_now(const struct eng_q *q)
{
	int64_t	 now = q->now != 0 ? q->now : (int64_t)time(NULL);

	return q->to < now ? q->to : now;
}

static void
eng_km(const PGresult *r, int col, struct km_result *k)
{
	size_t	 i;

	k->has_median = eng_arr_elem(r, 0, col, 0, &k->median) == 0;
	k->has_p90 = eng_arr_elem(r, 0, col, 1, &k->p90) == 0;
	for (i = 0; i < KM_NGRID; i++)
		if (eng_arr_elem(r, 0, col, 2 + (int)i, &k->surv[i]) == -1)
			k->surv[i] = 1.0;
}

/* The grid as a float8[] literal, for rc_km's third argument. */
static void
eng_km_grid(char *s, size_t sz)
{
	size_t	 i, n = 0;
	int	 w;

	for (i = 0; i < KM_NGRID && n < sz; i++) {
		w = snprintf(s + n, sz - n, "%c%.0f", i ? ',' : '{', km_grid[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n + 2 <= sz)
		memcpy(s + n, "}", 2);
	else
		s[0] = '\0';
}

/* Runs a windowed statement: $1..$4 from q, then extra parameters. */
static PGresult *
eng_run(struct db *db, const struct db_stmt *st, const struct eng_q *q,
    const char *extra1, const char *extra2, const char *extra3)
{
	char		 fid[24], from[24], to[24];
	const char	*p[7];

	snprintf(fid, sizeof(fid), "%" PRId64, q->fid);
	snprintf(from, sizeof(from), "%" PRId64, q->from);
	snprintf(to, sizeof(to), "%" PRId64, q->to);
	p[0] = fid;
	p[1] = from;
	p[2] = to;
	p[3] = q->tz;
	p[4] = extra1;
	p[5] = extra2;
	p[6] = extra3;
	return db_exec(db, st, p, NULL);
}

void
eng_json_window(struct json_object *o, const struct eng_q *q, const char *tz)
{
	json_object_object_add(o, "fid", json_object_new_int64(q->fid));
	json_object_object_add(o, "from", json_object_new_int64(q->from));
	json_object_object_add(o, "to", json_object_new_int64(q->to));
	json_object_object_add(o, "tz", json_object_new_string(tz));
}

/* inbound, answered, reply_rate and median_seconds of row i. */
static void
eng_rates(struct json_object *c, const PGresult *r, int i, int in_col,
    int ans_col, int med_col)
{
	long long	 in = strtoll(PQgetvalue(r, i, in_col), NULL, 10);
	long long	 ans = strtoll(PQgetvalue(r, i, ans_col), NULL, 10);

	json_object_object_add(c, "inbound", json_object_new_int64(in));
	json_object_object_add(c, "answered", json_object_new_int64(ans));
	json_object_object_add(c, "reply_rate", eng_json_ratio(ans, in));
	json_object_object_add(c, "median_seconds", eng_num(r, i, med_col));
}

/*
 * The object of a list figure: the window and an empty array in *a; NULL
 * (and r cleared) when out of memory.
 */
static struct json_object *
eng_list(const struct eng_q *q, const struct eng_settings *s, PGresult *r,
    struct json_object **a)
{
	struct json_object	*o = NULL;

	if ((o = json_object_new_object()) == NULL ||
	    (*a = json_object_new_array()) == NULL) {
		json_object_put(o);
		PQclear(r);
		return NULL;
	}
	/* The zone the statement used: the user's own when q has none. */
	eng_json_window(o, q, q->tz ? q->tz : s->tz);
	eng_json_def(o, &s->def);
	return o;
}

void
eng_json_def(struct json_object *o, const struct eng_def *d)
{
	struct json_object	*j;

	if ((j = json_object_new_object()) == NULL)
		return;
	json_object_object_add(j, "answer", json_object_new_string(
	    d->thread ? "thread" : "direct"));
	json_object_object_add(j, "likes", json_object_new_boolean(d->likes));
	json_object_object_add(j, "dismissed", json_object_new_string(
	    d->excluded ? "excluded" : "counted"));
	json_object_object_add(j, "version", json_object_new_int64(d->version));
	json_object_object_add(o, "definition", j);
}

/* Which form of an ENG_STMT2 statement serves definition d. */
static int
eng_form(const struct eng_def *d)
{
	return d->thread || d->likes || d->excluded;
}

int
eng_settings(struct db *db, int64_t fid, struct eng_settings *s)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;

	snprintf(s->tz, sizeof(s->tz), "UTC");
	s->work_days = 0;
	s->work_start = 540;
	s->work_end = 1020;
	s->goal_seconds = 3600;
	s->def.thread = s->def.likes = s->def.excluded = 0;
	s->def.version = 1;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &eng_stmt_settings, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		snprintf(s->tz, sizeof(s->tz), "%s", PQgetvalue(r, 0, 0));
		s->work_days = (int)strtol(PQgetvalue(r, 0, 1), NULL, 10);
		s->work_start = (int)strtol(PQgetvalue(r, 0, 2), NULL, 10);
		s->work_end = (int)strtol(PQgetvalue(r, 0, 3), NULL, 10);
		s->goal_seconds = (int)strtol(PQgetvalue(r, 0, 4), NULL, 10);
		s->def.thread = *PQgetvalue(r, 0, 5) == 't';
		s->def.likes = *PQgetvalue(r, 0, 6) == 't';
		s->def.excluded = *PQgetvalue(r, 0, 7) == 't';
		s->def.version = strtoll(PQgetvalue(r, 0, 8), NULL, 10);
	}
	PQclear(r);
	return 0;
}

/* Reply times: mean, then the percentiles of array column pct, then min, max. */
static struct json_object *
eng_reply_times(const PGresult *r, int mean, int pct, int npct, int min)
{
	static const char *const names[] = { "median", "p90", "p95" };
	struct json_object	*t = json_object_new_object();
	int			 k;

	if (t == NULL)
		return NULL;
	json_object_object_add(t, "mean", eng_num(r, 0, mean));
	for (k = 0; k < npct; k++)
		json_object_object_add(t, names[k], eng_elem(r, 0, pct, k));
	if (min >= 0) {
		json_object_object_add(t, "min", eng_num(r, 0, min));
		json_object_object_add(t, "max", eng_num(r, 0, min + 1));
	}
	return t;
}

static struct json_object *
eng_buckets_json(const PGresult *r, int col)
{
	struct json_object	*a, *b;
	size_t			 i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < 6; i++) {
		b = json_object_new_object();
		json_object_object_add(b, "bucket",
		    json_object_new_string(eng_buckets[i]));
		json_object_object_add(b, "count", eng_int(r, 0, col + (int)i));
		json_object_array_add(a, b);
	}
	return a;
}

struct json_object *
eng_summary(struct db *db, const struct eng_q *q)
{
	struct json_object	*o;
	struct km_result	 k;
	struct eng_settings	 s;
	PGresult		*r;
	long long		 in, ans, within;
	int64_t			 now;
	char			 nows[24], grid[128];

	if (eng_settings(db, q->fid, &s) == -1)
		return NULL;
	now = eng_now(q);
	snprintf(nows, sizeof(nows), "%" PRId64, now);
	eng_km_grid(grid, sizeof(grid));
	if ((r = eng_run(db, &eng_stmt_summary[eng_form(&s.def)], q, nows, grid,
	    NULL)) == NULL)
		return NULL;
	if (PQntuples(r) != 1 || (o = json_object_new_object()) == NULL) {
		PQclear(r);
		return NULL;
	}
	in = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	ans = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	within = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	eng_json_window(o, q, PQgetvalue(r, 0, 8));
	eng_json_def(o, &s.def);
	json_object_object_add(o, "inbound", json_object_new_int64(in));
	json_object_object_add(o, "answered", json_object_new_int64(ans));
	json_object_object_add(o, "unanswered", json_object_new_int64(in - ans));
	json_object_object_add(o, "reply_rate", eng_json_ratio(ans, in));
	json_object_object_add(o, "reply_seconds",
	    eng_reply_times(r, 2, 3, 3, 4));
	json_object_object_add(o, "goal_seconds", eng_int(r, 0, 7));
	json_object_object_add(o, "within_goal", json_object_new_int64(within));
	json_object_object_add(o, "within_goal_share", eng_json_ratio(within, in));
	json_object_object_add(o, "business_hours_seconds",
	    strcmp(PQgetvalue(r, 0, ENG_SUMMARY_WD), "0") == 0 ? NULL :
	    eng_reply_times(r, 10, 9, 2, -1));
	json_object_object_add(o, "unreplied_now", eng_int(r, 0, 11));
	json_object_object_add(o, "acknowledged_now",
	    eng_int(r, 0, ENG_SUMMARY_ACK));
	json_object_object_add(o, "distribution",
	    eng_buckets_json(r, ENG_SUMMARY_BUCKETS));
	eng_json_within(o, in,
	    strtoll(PQgetvalue(r, 0, ENG_SUMMARY_H1), NULL, 10),
	    strtoll(PQgetvalue(r, 0, ENG_SUMMARY_H1 + 1), NULL, 10), within);
	eng_km(r, ENG_SUMMARY_KM, &k);
	json_object_object_add(o, "time_to_answer", eng_json_tta(&k, in,
	    strtoll(PQgetvalue(r, 0, ENG_SUMMARY_KM + 1), NULL, 10), now));
	PQclear(r);
	return o;
}

struct json_object *
eng_distribution(struct db *db, const struct eng_q *q)
{
	struct json_object	*o;
	struct eng_settings	 s;
	PGresult		*r;

	if (eng_settings(db, q->fid, &s) == -1 ||
	    (r = eng_run(db, &eng_stmt_distribution[eng_form(&s.def)], q, NULL,
	    NULL, NULL)) == NULL)
		return NULL;
	if ((o = json_object_new_object()) != NULL) {
		json_object_object_add(o, "fid", json_object_new_int64(q->fid));
		eng_json_def(o, &s.def);
		json_object_object_add(o, "buckets", eng_buckets_json(r, 0));
		json_object_object_add(o, "unanswered", eng_int(r, 0, 6));
	}
	PQclear(r);
	return o;
}

struct json_object *
eng_heatmap(struct db *db, const struct eng_q *q)
{
	struct json_object	*o, *a, *c;
	struct eng_settings	 s;
	PGresult		*r;
	int			 i;

	if (eng_settings(db, q->fid, &s) == -1 ||
	    (r = eng_run(db, &eng_stmt_heatmap[eng_form(&s.def)], q, NULL, NULL,
	    NULL)) == NULL)
		return NULL;
	if ((o = eng_list(q, &s, r, &a)) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(r); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "weekday", eng_int(r, i, 0));
		json_object_object_add(c, "hour", eng_int(r, i, 1));
		json_object_object_add(c, "inbound", eng_int(r, i, 2));
		json_object_object_add(c, "answered", eng_int(r, i, 3));
		json_object_object_add(c, "median_seconds", eng_num(r, i, 4));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "cells", a);
	PQclear(r);
	return o;
}

struct json_object *
eng_trend(struct db *db, const struct eng_q *q, enum eng_bucket bucket)
{
	struct json_object	*o, *a, *c;
	struct eng_settings	 s;
	PGresult		*r;
	int			 i;

	if (eng_settings(db, q->fid, &s) == -1)
		return NULL;
	r = eng_run(db, bucket == ENG_BUCKET_WEEK ?
	    &eng_stmt_trend_week[eng_form(&s.def)] :
	    &eng_stmt_trend_day[eng_form(&s.def)], q, NULL, NULL, NULL);
	if (r == NULL)
		return NULL;
	if ((o = eng_list(q, &s, r, &a)) == NULL)
		return NULL;
	json_object_object_add(o, "bucket", json_object_new_string(
	    bucket == ENG_BUCKET_WEEK ? "week" : "day"));
	for (i = 0; i < PQntuples(r); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "start", eng_str(r, i, 0));
		eng_rates(c, r, i, 1, 2, 3);
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "points", a);
	PQclear(r);
	return o;
}

/*
 * Runs a sorted, paged list statement ($5 limit, $6 sort, $7 offset): the
 * list figure's object (eng_list) with its rows in *r, or NULL.
 */
static struct json_object *
eng_paged(struct db *db, const struct db_stmt st[2], const struct eng_q *q,
    int sort, int limit, int offset, PGresult **r, struct json_object **a)
{
	struct eng_settings	 s;
	char			 lim[16], srt[16], off[16];

	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(srt, sizeof(srt), "%d", sort);
	snprintf(off, sizeof(off), "%d", offset);
	if (eng_settings(db, q->fid, &s) == -1 ||
	    (*r = eng_run(db, &st[eng_form(&s.def)], q, lim, srt, off)) == NULL)
		return NULL;
	return eng_list(q, &s, *r, a);
}

struct json_object *
eng_counterparts(struct db *db, const struct eng_q *q, int sort, int limit,
    int offset)
{
	struct json_object	*o, *a, *c;
	PGresult		*r;
	int			 i;

	if ((o = eng_paged(db, eng_stmt_counterparts, q, sort, limit, offset, &r,
	    &a)) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(r); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "fid", eng_int(r, i, 0));
		json_object_object_add(c, "username", eng_str(r, i, 1));
		json_object_object_add(c, "display_name", eng_str(r, i, 2));
		json_object_object_add(c, "pfp_url", eng_str(r, i, 3));
		eng_rates(c, r, i, 4, 5, 6);
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "counterparts", a);
	PQclear(r);
	return o;
}

/* The ILIKE pattern of a search: its own %, _ and \\ taken literally. */
static int
eng_like(const char *q, char *out, size_t outsz)
{
	size_t	 o = 0;

	if (outsz < 3)
		return -1;
	out[o++] = '%';
	for (; *q != '\0'; q++) {
		if (o + 4 > outsz)
			return -1;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[o++] = '\\';
		out[o++] = *q;
	}
	out[o++] = '%';
	out[o] = '\0';
	return 0;
}

/* next_cursor of a full people page: the keys of its last row. */
static void
eng_people_next(struct json_object *o, const PGresult *r,
    const struct eng_people_q *pq)
{
	struct cursor_key	 c;
	char			 out[CURSOR_KEY_SIZE];
	int			 last = PQntuples(r) - 1;

	if (last + 1 != pq->limit || last < 0)
		return;
	memset(&c, 0, sizeof(c));
	c.sort = pq->sort;
	c.desc = pq->desc;
	c.fid = strtoll(PQgetvalue(r, last, 0), NULL, 10);
	if (pq->sort == ENG_PEOPLE_NAME) {
		c.kind = CURSOR_KEY_TEXT;
		snprintf(c.hex, sizeof(c.hex), "%s", PQgetvalue(r, last, 8));
	} else if (PQgetisnull(r, last, 7))
		c.kind = CURSOR_KEY_NULL;
	else {
		c.kind = CURSOR_KEY_FLOAT;
		snprintf(c.num, sizeof(c.num), "%s", PQgetvalue(r, last, 7));
	}
	if (cursor_key_format(&c, out, sizeof(out)) == 0)
		json_object_object_add(o, "next_cursor",
		    json_object_new_string(out));
}

/* Runs the people statement: its rows, or NULL. */
static PGresult *
eng_people_run(struct db *db, const struct db_stmt *st, const struct eng_q *q,
    const struct eng_people_q *pq)
{
	char		 v[7][24], like[3 * ENG_PEOPLE_SEARCH_MAX + 3];
	char		 hex[2 * CURSOR_KEY_TXT + 3];
	const char	*p[11];
	const struct cursor_key *a = pq->after;

	snprintf(v[0], 24, "%" PRId64, q->fid);
	snprintf(v[1], 24, "%" PRId64, q->from);
	snprintf(v[2], 24, "%" PRId64, q->to);
	snprintf(v[3], 24, "%d", pq->limit);
	snprintf(v[4], 24, "%d", pq->sort);
	snprintf(v[5], 24, "%d", pq->desc ? -1 : 1);
	snprintf(v[6], 24, "%" PRId64, a != NULL ? a->fid : 0);
	memset(p, 0, sizeof(p));
	p[0] = v[0];
	p[1] = v[1];
	p[2] = v[2];
	p[3] = q->tz;
	p[4] = v[3];
	p[5] = v[4];
	p[6] = v[5];
	if (pq->search != NULL && *pq->search != '\0') {
		if (strlen(pq->search) > ENG_PEOPLE_SEARCH_MAX ||
		    eng_like(pq->search, like, sizeof(like)) == -1)
			return NULL;
		p[7] = like;
	}
	if (a != NULL) {
		p[8] = v[6];
		p[9] = a->kind == CURSOR_KEY_FLOAT ? a->num : NULL;
		snprintf(hex, sizeof(hex), "\\x%s",
		    a->kind == CURSOR_KEY_TEXT ? a->hex : "");
		p[10] = hex;
	}
	return db_exec(db, st, p, NULL);
}

struct json_object *
eng_people(struct db *db, const struct eng_q *q,
    const struct eng_people_q *pq)
{
	struct json_object	*o, *a, *c;
	struct eng_settings	 s;
	PGresult		*r;
	int			 i;

	if (eng_settings(db, q->fid, &s) == -1 ||
	    (r = eng_people_run(db, &eng_stmt_people[eng_form(&s.def)], q,
	    pq)) == NULL)
		return NULL;
	if ((o = eng_list(q, &s, r, &a)) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(r); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "fid", eng_int(r, i, 0));
		json_object_object_add(c, "username", eng_str(r, i, 1));
		json_object_object_add(c, "display_name", eng_str(r, i, 2));
		json_object_object_add(c, "pfp_url", eng_str(r, i, 3));
		eng_rates(c, r, i, 4, 5, 6);
		json_object_object_add(c, "avatar_cached_at", eng_int(r, i, 9));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "counterparts", a);
	eng_people_next(o, r, pq);
	PQclear(r);
	return o;
}

struct json_object *
eng_channels(struct db *db, const struct eng_q *q, int sort, int limit,
    int offset)
{
	struct json_object	*o, *a, *c;
	PGresult		*r;
	long long		 in, wg;
	int			 i;

	if ((o = eng_paged(db, eng_stmt_channels, q, sort, limit, offset, &r,
	    &a)) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(r); i++) {
		c = json_object_new_object();
		json_object_object_add(c, "parent_url", eng_str(r, i, 0));
		json_object_object_add(c, "name", eng_str(r, i, 1));
		eng_rates(c, r, i, 2, 3, 4);
		in = strtoll(PQgetvalue(r, i, 2), NULL, 10);
		wg = strtoll(PQgetvalue(r, i, 7), NULL, 10);
		json_object_object_add(c, "goal_seconds", eng_int(r, i, 5));
		json_object_object_add(c, "goal_source", json_object_new_string(
		    *PQgetvalue(r, i, 6) == 't' ? "channel" : "user"));
		json_object_object_add(c, "within_goal", json_object_new_int64(wg));
		json_object_object_add(c, "within_goal_share",
		    eng_json_ratio(wg, in));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "channels", a);
	PQclear(r);
	return o;
}

struct json_object *
eng_streak(struct db *db, const struct eng_q *q)
{
	struct json_object	*o;
	struct eng_settings	 s;
	PGresult		*r;

	if (eng_settings(db, q->fid, &s) == -1 ||
	    (r = eng_run(db, &eng_stmt_streak[eng_form(&s.def)], q, NULL, NULL,
	    NULL)) == NULL)
		return NULL;
	if (PQntuples(r) != 1 || (o = json_object_new_object()) == NULL) {
		PQclear(r);
		return NULL;
	}
	json_object_object_add(o, "fid", json_object_new_int64(q->fid));
	json_object_object_add(o, "tz", eng_str(r, 0, 3));
	json_object_object_add(o, "longest_days", eng_int(r, 0, 0));
	json_object_object_add(o, "current_days", eng_int(r, 0, 1));
	json_object_object_add(o, "last_reply_day", eng_str(r, 0, 2));
	eng_json_def(o, &s.def);
	PQclear(r);
	return o;
}

/* A change as a ratio with 4 decimals. */
static struct json_object *
eng_speed_change(double v)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%.4f", v);
	return json_object_new_double_s(v, s);
}

static struct json_object *
eng_speed_period(const struct speed_period *p)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "from", json_object_new_int64(p->from));
	json_object_object_add(o, "to", json_object_new_int64(p->to));
	json_object_object_add(o, "inbound", json_object_new_int64(p->in));
	json_object_object_add(o, "answered", json_object_new_int64(p->ans));
	json_object_object_add(o, "median_seconds",
	    p->ans ? eng_json_num(p->median) : NULL);
	json_object_object_add(o, "p90_seconds",
	    p->ans ? eng_json_num(p->p90) : NULL);
	json_object_object_add(o, "within_goal", json_object_new_int64(p->within));
	json_object_object_add(o, "within_goal_share",
	    eng_json_ratio(p->within, p->in));
	return o;
}

static struct json_object *
eng_speed_span(const struct speed_trend *t, enum speed_span span)
{
	const struct speed_period	*c = &t->p[2 * span], *b = c + 1;
	struct json_object		*o;
	char				 s[256];
	int				 both = c->ans > 0 && b->ans > 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "days",
	    json_object_new_int(speed_days(span)));
	json_object_object_add(o, "current", eng_speed_period(c));
	json_object_object_add(o, "previous", eng_speed_period(b));
	json_object_object_add(o, "median_change", both && b->median > 0 ?
	    eng_speed_change((c->median - b->median) / b->median) : NULL);
	json_object_object_add(o, "p90_change", both && b->p90 > 0 ?
	    eng_speed_change((c->p90 - b->p90) / b->p90) : NULL);
	json_object_object_add(o, "within_goal_share_change",
	    c->in > 0 && b->in > 0 ? eng_speed_change(
	    (double)c->within / (double)c->in -
	    (double)b->within / (double)b->in) : NULL);
	json_object_object_add(o, "sentence",
	    speed_sentence(s, sizeof(s), c, b, span) == 1 ?
	    json_object_new_string(s) : NULL);
	return o;
}

struct json_object *
eng_json_speed(const struct speed_trend *t, const struct eng_q *q,
    const char *tz, const struct eng_def *def)
{
	struct json_object	*o;
	size_t			 s;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	eng_json_window(o, q, tz);
	json_object_object_add(o, "evaluated_at", json_object_new_int64(t->now));
	json_object_object_add(o, "goal_seconds", json_object_new_int64(t->goal));
	json_object_object_add(o, "min_answered",
	    json_object_new_int(SPEED_MIN_ANSWERED));
	for (s = 0; s < SPEED_SPAN__MAX; s++)
		json_object_object_add(o, speed_span_name((enum speed_span)s),
		    eng_speed_span(t, (enum speed_span)s));
	eng_json_def(o, def);
	return o;
}

struct json_object *
eng_speed(struct db *db, const struct eng_q *q)
{
	struct speed_trend	 t;
	struct speed_period	*p;
	struct eng_q		 w = *q;
	struct eng_settings	 s;
	struct json_object	*o;
	PGresult		*r;
	char			 nows[24];
	int			 k, c;

	if (eng_settings(db, q->fid, &s) == -1)
		return NULL;
	speed_init(&t, eng_now(q));
	w.from = speed_from(&t);
	w.to = t.now;
	snprintf(nows, sizeof(nows), "%" PRId64, t.now);
	if ((r = eng_run(db, &eng_stmt_speed[eng_form(&s.def)], &w, nows,
	    NULL, NULL)) == NULL)
		return NULL;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return NULL;
	}
	for (k = 0; k < SPEED_NPERIOD; k++) {
		p = &t.p[k];
		c = k * ENG_SPEED_NCOL;
		p->in = strtoll(PQgetvalue(r, 0, c), NULL, 10);
		p->ans = strtoll(PQgetvalue(r, 0, c + 1), NULL, 10);
		p->within = strtoll(PQgetvalue(r, 0, c + 2), NULL, 10);
		if (eng_arr_elem(r, 0, c + 3, 0, &p->median) == -1 ||
		    eng_arr_elem(r, 0, c + 3, 1, &p->p90) == -1)
			p->median = p->p90 = 0;
	}
	c = SPEED_NPERIOD * ENG_SPEED_NCOL;
	t.goal = (int)strtol(PQgetvalue(r, 0, c), NULL, 10);
	o = eng_json_speed(&t, q, PQgetvalue(r, 0, c + 1), &s.def);
	PQclear(r);
	return o;
}

int
eng_day_start(struct db *db, const char *tz, int64_t day, int64_t *out)
{
	char		 d[24];
	const char	*p[2] = { tz, d };
	PGresult	*r;
	int		 rc = -1;

	if (strcmp(tz, "UTC") == 0) {
		*out = day * 86400;
		return 0;
	}
	snprintf(d, sizeof(d), "%" PRId64, day);
	if ((r = db_exec(db, &eng_stmt_day_start, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
		*out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		rc = 0;
	}
	PQclear(r);
	return rc;
}

const char *
eng_age_bucket(int64_t s)
{
	if (s < 3600)
		return "<1h";
	if (s < 4 * 3600)
		return "1-4h";
	if (s < 24 * 3600)
		return "4-24h";
	return ">24h";
}

/* The score's parts of row i, as prio.h explains them. */
static void
eng_owed_parts(const PGresult *r, int i, struct prio_parts *pp)
{
	static const int col[PRIO__MAX] = {
		[PRIO_WAIT] = OWED_PW, [PRIO_FOLLOW] = OWED_PF,
		[PRIO_REPLIES] = OWED_PR, [PRIO_RATE] = OWED_PA,
		[PRIO_KIND] = OWED_PK, [PRIO_BOT] = OWED_PB,
	};
	int	 k;

	memset(pp, 0, sizeof(*pp));
	pp->wait = strtoll(PQgetvalue(r, i, OWED_AGE), NULL, 10);
	pp->goal = strtoll(PQgetvalue(r, i, OWED_GOAL), NULL, 10);
	pp->you_follow = *PQgetvalue(r, i, OWED_YOU) == 't';
	pp->they_follow = *PQgetvalue(r, i, OWED_THEY) == 't';
	pp->bot = *PQgetvalue(r, i, OWED_BOT) == 't';
	pp->kind = (int)strtol(PQgetvalue(r, i, OWED_KIND), NULL, 10);
	pp->replies = strtoll(PQgetvalue(r, i, OWED_OTHER), NULL, 10);
	pp->answered = strtoll(PQgetvalue(r, i, OWED_ANS), NULL, 10);
	pp->inbound = strtoll(PQgetvalue(r, i, OWED_N), NULL, 10);
	for (k = 0; k < PRIO__MAX; k++)
		pp->points[k] = (int)strtol(PQgetvalue(r, i, col[k]), NULL, 10);
}

/* At most as many mentions as a cast holds (reply/ing.h). */
#define ENG_MENTIONS_MAX	64

/*
 * The text of row i with "@username" where its mentions stood
 * (reply/mention.h; "@fid:N" without a profile); the text as stored when
 * the cast has no positions or they do not fit it.
 */
static struct json_object *
eng_owed_text(const PGresult *r, int i)
{
	int64_t		 pos[ENG_MENTIONS_MAX];
	const char	*names[ENG_MENTIONS_MAX], *t, *p;
	char		 nbuf[4096], *e;
	struct buf	 out;
	struct json_object *o;
	size_t		 n = 0, k = 0;

	t = PQgetvalue(r, i, OWED_TEXT);
	if (PQgetisnull(r, i, OWED_MPOS) || PQgetisnull(r, i, OWED_MNAMES) ||
	    snprintf(nbuf, sizeof(nbuf), "%s", PQgetvalue(r, i, OWED_MNAMES)) >=
	    (int)sizeof(nbuf))
		return json_object_new_string(t);
	for (p = PQgetvalue(r, i, OWED_MPOS); *p != '\0' &&
	    n < ENG_MENTIONS_MAX; p = *e == ',' ? e + 1 : e) {
		pos[n++] = strtoll(p, &e, 10);
		if (e == p)
			return json_object_new_string(t);
	}
	for (names[k++] = nbuf, e = nbuf; *e != '\0'; e++)
		if (*e == '\x1f' && k < ENG_MENTIONS_MAX) {
			*e = '\0';
			names[k++] = e + 1;
		}
	if (k != n)
		return json_object_new_string(t);
	buf_init(&out, 0);
	o = mention_render(t, strlen(t), pos, names, n, &out) == -1 ?
	    json_object_new_string(t) : json_object_new_string_len(out.ptr,
	    (int)out.len);
	buf_free(&out);
	return o;
}

/* One owed reply of the page as the API gives it. */
static struct json_object *
eng_owed_item(const PGresult *r, int i)
{
	struct json_object	*c, *pj;
	struct prio_parts	 pp;
	int			 kd;

	eng_owed_parts(r, i, &pp);
	kd = pp.kind;
	c = json_object_new_object();
	json_object_object_add(c, "hash", eng_str(r, i, OWED_HASH));
	json_object_object_add(c, "author_fid", eng_int(r, i, OWED_AUTHOR));
	json_object_object_add(c, "username", eng_str(r, i, OWED_USER));
	json_object_object_add(c, "display_name", eng_str(r, i, OWED_NAME));
	json_object_object_add(c, "pfp_url", eng_str(r, i, OWED_PFP));
	json_object_object_add(c, "text", eng_str(r, i, OWED_TEXT));
	json_object_object_add(c, "text_with_mentions", eng_owed_text(r, i));
	json_object_object_add(c, "time", eng_int(r, i, OWED_TS));
	json_object_object_add(c, "waiting_seconds",
	    json_object_new_int64(pp.wait));
	json_object_object_add(c, "age_bucket",
	    json_object_new_string(eng_age_bucket(pp.wait)));
	json_object_object_add(c, "kind", json_object_new_string(
	    kd == 3 ? "reply+mention" : kd == 2 ? "mention" : "reply"));
	json_object_object_add(c, "triage", eng_str(r, i, OWED_STATE));
	json_object_object_add(c, "snoozed_until", eng_int(r, i, OWED_UNTIL));
	json_object_object_add(c, "goal_seconds", json_object_new_int64(pp.goal));
	json_object_object_add(c, "goal_source", json_object_new_string(
	    *PQgetvalue(r, i, OWED_CGOAL) == 't' ? "channel" : "user"));
	json_object_object_add(c, "goal_due_in",
	    json_object_new_int64(pp.goal - pp.wait));
	json_object_object_add(c, "bot", json_object_new_boolean(pp.bot));
	json_object_object_add(c, "closed", *PQgetvalue(r, i, OWED_ACK) == 't' ?
	    json_object_new_string("acknowledged") : NULL);
	if ((pj = prio_json(&pp)) != NULL) {
		json_object_object_add(c, "why", json_object_get(
		    json_object_object_get(pj, "why")));
		json_object_object_add(c, "priority", pj);
	}
	return c;
}

/* The position of row i of r, for next_cursor. */
static void
eng_owed_at(const PGresult *r, int i, struct cursor_prio *cp)
{
	cp->score = strtoll(PQgetvalue(r, i, OWED_SCORE), NULL, 10);
	cp->at.ts = strtoll(PQgetvalue(r, i, OWED_TS), NULL, 10);
	snprintf(cp->at.hash, sizeof(cp->at.hash), "%s",
	    PQgetvalue(r, i, OWED_HASH));
}

/* next_cursor: the position after the last item (cp) of a full page of n. */
static void
eng_owed_next(struct json_object *o, int n, struct cursor_prio *cp,
    const struct eng_owed_q *q)
{
	char	 next[CURSOR_PRIO_SIZE];

	if (n != q->limit || n <= 0)
		return;
	cp->now = q->now;
	if ((q->order == ENG_ORDER_PRIORITY ? cursor_prio_format(cp, next,
	    sizeof(next)) : cursor_format(cp->at.ts, cp->at.hash, next,
	    sizeof(next))) == 0)
		json_object_object_add(o, "next_cursor",
		    json_object_new_string(next));
}

int
eng_owed_after(struct eng_owed_q *q, const char *s, struct cursor_prio *cp)
{
	if (q->order == ENG_ORDER_PRIORITY ? cursor_prio_parse(s, cp) == -1 :
	    cursor_parse(s, &cp->at) == -1)
		return -1;
	if (q->order == ENG_ORDER_PRIORITY) {
		q->now = cp->now;
		q->after_score = cp->score;
	}
	q->after_ts = cp->at.ts;
	q->after_hash = cp->at.hash;
	return 0;
}

int
eng_owed_counts(struct db *db, const struct eng_owed_q *q,
    int64_t n[ENG_OWED_VIEWS])
{
	char		 v[4][24];
	const char	*p[8];
	PGresult	*r;
	int		 i;

	snprintf(v[0], 24, "%" PRId64, q->fid);
	snprintf(v[1], 24, "%" PRId64, q->min_age);
	snprintf(v[2], 24, "%d", q->kind);
	snprintf(v[3], 24, "%" PRId64, q->now);
	memset(p, 0, sizeof(p));
	p[0] = v[0];
	p[1] = v[1];
	p[2] = v[2];
	p[6] = "3";
	p[7] = v[3];
	if ((r = db_exec(db, &eng_stmt_owed_counts, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < ENG_OWED_VIEWS; i++)
		n[i] = strtoll(PQgetvalue(r, 0, i), NULL, 10);
	PQclear(r);
	return 0;
}

/* The statement and parameters of q's page; v holds their text. */
static const struct db_stmt *
eng_owed_params(const struct eng_owed_q *q, char v[9][48], const char *p[9])
{
	int	 i;

	snprintf(v[0], 48, "%" PRId64, q->fid);
	snprintf(v[1], 48, "%" PRId64, q->min_age);
	snprintf(v[2], 48, "%d", q->kind);
	snprintf(v[3], 48, "%" PRId64, q->after_ts);
	if (q->after_hash != NULL)
		snprintf(v[4], 48, "\\x%s", q->after_hash + 2);
	snprintf(v[5], 48, "%d", q->limit);
	snprintf(v[6], 48, "%d", q->show);
	snprintf(v[7], 48, "%" PRId64, q->now);
	snprintf(v[8], 48, "%" PRId64, q->after_score);
	for (i = 0; i < 9; i++)
		p[i] = v[i];
	p[4] = q->after_hash != NULL ? v[4] : NULL;
	return q->order == ENG_ORDER_PRIORITY ? &eng_stmt_unreplied_prio :
	    &eng_stmt_unreplied;
}

/* The page's object without its items: {"fid", "sort", "evaluated_at"}. */
static struct json_object *
eng_owed_head(const struct eng_owed_q *q)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "fid", json_object_new_int64(q->fid));
	json_object_object_add(o, "sort", json_object_new_string(
	    q->order == ENG_ORDER_PRIORITY ? "priority" : "oldest"));
	json_object_object_add(o, "evaluated_at", json_object_new_int64(q->now));
	return o;
}

/* eng_unreplied_each's state: db_each hands it the rows. */
struct eng_owed_each {
	eng_item_fn		*fn;
	void			*arg;
	int			 n;		/* rows so far */
	struct cursor_prio	 last;		/* the last row's position */
};

static int
eng_owed_each_row(void *arg, const PGresult *row)
{
	struct eng_owed_each	*e = arg;
	struct json_object	*it;
	int			 rc;

	if (row == NULL) {
		e->n = 0;
		return e->fn(e->arg, NULL);
	}
	if ((it = eng_owed_item(row, 0)) == NULL)
		return -1;
	rc = e->fn(e->arg, it);
	json_object_put(it);
	if (rc == -1)
		return -1;
	eng_owed_at(row, 0, &e->last);
	e->n++;
	return 0;
}

/*
 * The page, its rows handed to fn; *items, when given, goes into the page
 * as "items" (before "next_cursor") once the rows are in.
 */
static struct json_object *
eng_owed_page(struct db *db, const struct eng_owed_q *q, eng_item_fn *fn,
    void *arg, struct json_object **items)
{
	struct eng_owed_each	 e;
	struct json_object	*o;
	const struct db_stmt	*st;
	char			 v[9][48];
	const char		*p[9];

	memset(&e, 0, sizeof(e));
	e.fn = fn;
	e.arg = arg;
	st = eng_owed_params(q, v, p);
	if (db_each(db, st, p, NULL, eng_owed_each_row, &e) == -1 ||
	    (o = eng_owed_head(q)) == NULL)
		return NULL;
	if (items != NULL) {
		json_object_object_add(o, "items", *items);
		*items = NULL;
	}
	eng_owed_next(o, e.n, &e.last, q);
	return o;
}

struct json_object *
eng_unreplied_each(struct db *db, const struct eng_owed_q *q,
    eng_item_fn *fn, void *arg)
{
	return eng_owed_page(db, q, fn, arg, NULL);
}

/* eng_unreplied's items (eng_item_fn): arg points to the array, new on NULL. */
static int
eng_owed_keep(void *arg, struct json_object *item)
{
	struct json_object	**a = arg;

	if (item == NULL) {
		json_object_put(*a);
		return (*a = json_object_new_array()) == NULL ? -1 : 0;
	}
	return json_object_array_add(*a, json_object_get(item)) == 0 ? 0 : -1;
}

struct json_object *
eng_unreplied(struct db *db, const struct eng_owed_q *q)
{
	struct json_object	*o, *a = NULL;

	o = eng_owed_page(db, q, eng_owed_keep, &a, &a);
	json_object_put(a);	/* NULL once the page holds it */
	return o;
}
