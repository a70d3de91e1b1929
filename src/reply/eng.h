#ifndef RC_ENG_H
#define RC_ENG_H
#include <stdint.h>

struct db;
struct json_object;
struct km_result;
struct speed_trend;

/*
 * The reply-speed engine: every figure replycast shows, computed in
 * PostgreSQL from the inbound table for one user, as json-c objects that
 * the API serves as they are and the dashboard renders.  Each function
 * returns a new object (the caller owns it) or NULL on a database error.
 */

/* The user's settings, or the defaults when they have none. */
struct eng_settings {
	char	 tz[64];
	int	 work_days;		/* bit set: Monday 1 ... Sunday 64 */
	int	 work_start, work_end;	/* minutes after local midnight */
	int	 goal_seconds;
};

/* A window of inbound cast times [from, to) for one fid, in tz. */
struct eng_q {
	int64_t		 fid;
	int64_t		 from, to;	/* unix seconds */
	const char	*tz;		/* NULL: the user's own */
	int64_t		 now;		/* the clock; 0: time(NULL) */
};

enum eng_bucket { ENG_BUCKET_DAY, ENG_BUCKET_WEEK };

/*
 * The channel of inbound row i, an SQL expression shared with the read
 * model's load (facts.c): the parent_url of a mention (kind 2), looked up
 * in casts by hash.  A reply (kind 1 or 3) has a cast as its parent, and a
 * Farcaster cast has one parent, so it has no parent_url: no lookup, which
 * keeps the cost to one index probe per mention (docs/engine.md).
 */
#define ENG_CHANNEL \
	"CASE WHEN i.kind = 2 THEN" \
	" (SELECT c.parent_url FROM casts c WHERE c.hash = i.hash) END"

int			 eng_settings(struct db *, int64_t fid, struct eng_settings *);
struct json_object	*eng_summary(struct db *, const struct eng_q *);
struct json_object	*eng_distribution(struct db *, const struct eng_q *);
struct json_object	*eng_heatmap(struct db *, const struct eng_q *);
struct json_object	*eng_trend(struct db *, const struct eng_q *, enum eng_bucket);
/* sort: 0 inbound, 1 answered, 2 reply rate (highest first), 3 median (fastest first). */
struct json_object	*eng_counterparts(struct db *, const struct eng_q *,
			    int sort, int limit, int offset);
struct json_object	*eng_streak(struct db *, const struct eng_q *);
/*
 * The trend of speed (speed.h): the 7 and 30 days ending at eng_now(q)
 * against the 7 and 30 before; q's from is not used.
 */
struct json_object	*eng_speed(struct db *, const struct eng_q *);
/*
 * Per channel (the inbound cast's parent_url; null: no channel) with its
 * name where known, the goal that applies (the user's goal for the channel,
 * else the user's) and within-goal counts; sort as eng_counterparts.
 */
struct json_object	*eng_channels(struct db *, const struct eng_q *,
			    int sort, int limit, int offset);

/*
 * Unreplied inbound casts, oldest first, after the keyset position
 * (after_ts, after_hash) when after_hash is not NULL; kind 0 any, 1 reply,
 * 2 mention; only casts waiting at least min_age seconds; show 0 the inbox
 * (without casts marked done or still snoozed), 1 done, 2 snoozed, 3 all.
 */
struct json_object	*eng_unreplied(struct db *, int64_t fid, int64_t min_age,
			    int kind, int64_t after_ts, const char *after_hash,
			    int limit, int show);

/*
 * The unix time of local midnight starting day (days since 1970-01-01) in
 * tz, an IANA zone PostgreSQL knows (DST included): 0, or -1 on a database
 * error.
 */
int			 eng_day_start(struct db *, const char *tz, int64_t day,
			    int64_t *out);

/*
 * The JSON number format of the figures, shared with the read model
 * (facts.h): seconds with at most 3 decimals, trailing zeros cut; a ratio
 * with 4 decimals, or NULL (JSON null) when den is 0; and the window's
 * fid, from, to and tz members.
 */
struct json_object	*eng_json_num(double);
struct json_object	*eng_json_ratio(long long num, long long den);
void			 eng_json_window(struct json_object *, const struct eng_q *,
			    const char *tz);

/*
 * The evaluation time of q: its window's end, capped at q->now (the clock
 * when 0).  Kaplan-Meier sees the casts as they stood then: answered by
 * then, or censored at their age then (docs/engine.md, "Time to answer").
 */
int64_t			 eng_now(const struct eng_q *);

/*
 * The summary's "time_to_answer" object from a Kaplan-Meier estimate over
 * inbound casts (survival null when inbound is 0), and "answered_within"
 * and "reply_rate_within" (answered within 1 h, 24 h and the goal, over
 * inbound), shared by both engines so the JSON is built one way.
 */
struct json_object	*eng_json_tta(const struct km_result *, long long inbound,
			    long long censored, int64_t now);
void			 eng_json_within(struct json_object *, long long inbound,
			    long long h1, long long h24, long long goal);

/*
 * The trend of speed's JSON from either engine's periods (speed.h), with
 * the sentences; a new object, or NULL on ENOMEM.
 */
struct json_object	*eng_json_speed(const struct speed_trend *,
			    const struct eng_q *, const char *tz);

/* Aging bucket of a wait in seconds: "<1h", "1-4h", "4-24h", ">24h". */
const char		*eng_age_bucket(int64_t seconds);

#endif
