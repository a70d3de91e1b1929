#ifndef RC_ENG_H
#define RC_ENG_H
#include <stdint.h>

struct db;
struct cursor_key;
struct json_object;
struct km_result;
struct cursor_prio;
struct speed_trend;

/*
 * The reply-speed engine: every figure replycast shows, computed in
 * PostgreSQL from the inbound table for one user, as json-c objects that
 * the API serves as they are and the dashboard renders.  Each function
 * returns a new object (the caller owns it) or NULL on a database error.
 */

/* What counts as an answer for a user (docs/engine.md); all 0: as before. */
struct eng_def {
	int		 thread;	/* answer: 0 direct, 1 thread */
	int		 likes;		/* a like acknowledges */
	int		 excluded;	/* dismissed: 0 counted, 1 excluded */
	long long	 version;
};

/* The user's settings, or the defaults when they have none. */
struct eng_settings {
	struct eng_def	 def;
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

/*
 * What counts as an answer for a user (docs/engine.md, "What counts as an
 * answer"), as SQL shared by this reference and the read model's load
 * (facts.c), so that both read the same rows.  ENG_DEF_COLS are the
 * settings CTE's columns from user_settings row u; the others take the
 * alias of an inbound row (I) and of that settings CTE (S).  ENG_DEF_JOIN
 * joins the row's thread answer as "ta" only for a 'thread' user;
 * ENG_DEF_RT and ENG_DEF_AAT are the reply time and answer time under the
 * definition; ENG_DEF_KEEP leaves out a cast marked done when dismissed
 * casts are excluded; ENG_DEF_ACK is a cast the user liked when likes
 * count as acknowledgements.
 */
#define ENG_DEF_COLS \
	" coalesce(u.answer = 'thread', false) AS thr," \
	" coalesce(u.likes, false) AS likes," \
	" coalesce(u.dismissed = 'excluded', false) AS excl," \
	" coalesce(u.definition_version, 1) AS dv"
#define ENG_DEF_JOIN(I, S) \
	" LEFT JOIN thread_answers ta ON " S ".thr AND ta.fid = " I ".fid" \
	" AND ta.hash = " I ".hash"
#define ENG_DEF_RT(I, S) \
	"CASE WHEN " S ".thr THEN ta.rt ELSE " I ".rt END"
#define ENG_DEF_AAT(I, S) \
	"CASE WHEN " S ".thr THEN ta.answered_at ELSE " I ".answered_at END"
#define ENG_DEF_KEEP(I, S) \
	"NOT (" S ".excl AND EXISTS (SELECT 1 FROM triage tr" \
	" WHERE tr.fid = " I ".fid AND tr.hash = " I ".hash" \
	" AND tr.state = 'done'))"
#define ENG_DEF_ACK(I, S) \
	"(" S ".likes AND EXISTS (SELECT 1 FROM likes lk" \
	" WHERE lk.fid = " I ".fid AND lk.target_hash = " I ".hash" \
	" AND NOT lk.removed))"
/*
 * FROM and WHERE of a user's open casts over all time ($1 the fid): not
 * answered under the definition, not removed, author not muted, kept.
 */
#define ENG_DEF_OPEN(O, S) \
	" FROM s AS " S " CROSS JOIN inbound " O ENG_DEF_JOIN(O, S) \
	" WHERE " O ".fid = $1::bigint AND " O ".answered_at IS NULL" \
	" AND ta.hash IS NULL AND NOT " O ".deleted" \
	" AND " O ".author_fid <> ALL (" S ".muted) AND " ENG_DEF_KEEP(O, S)

int			 eng_settings(struct db *, int64_t fid, struct eng_settings *);
/*
 * Adds "definition": {"answer", "likes", "dismissed", "version"} to a
 * figure: the definition it was computed under.
 */
void			 eng_json_def(struct json_object *, const struct eng_def *);
struct json_object	*eng_summary(struct db *, const struct eng_q *);
struct json_object	*eng_distribution(struct db *, const struct eng_q *);
struct json_object	*eng_heatmap(struct db *, const struct eng_q *);
struct json_object	*eng_trend(struct db *, const struct eng_q *, enum eng_bucket);
/* sort: 0 inbound, 1 answered, 2 reply rate (highest first), 3 median (fastest first). */
struct json_object	*eng_counterparts(struct db *, const struct eng_q *,
			    int sort, int limit, int offset);
/*
 * The people list: counterparts as eng_counterparts gives them, those
 * whose username or display name holds search (case-insensitive; NULL or
 * "": all), sorted on any column either way and paged by keyset
 * (core/cursor.h's cursor_key; ties by fid).  after NULL: the first page;
 * else a position of the same sort and direction.  Adds "next_cursor"
 * after a full page.  A new object, or NULL on a database error.
 */
#define ENG_PEOPLE_NAME		4	/* the sort by name */
#define ENG_PEOPLE_SEARCH_MAX	64	/* bytes of a search */
struct eng_people_q {
	int			 sort;		/* 0..3 as eng_counterparts, 4 name */
	int			 desc;
	const char		*search;
	int			 limit;		/* >= 1 */
	const struct cursor_key	*after;
};
struct json_object	*eng_people(struct db *, const struct eng_q *,
			    const struct eng_people_q *);
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
 * Owed replies: unanswered inbound casts of one user, muted authors and
 * removed casts left out, in one of two orders (docs/engine.md, "Priority
 * of an owed reply"): by priority, the score highest first, then (ts,
 * hash); or oldest first by (ts, hash).  Each item carries its score, its
 * parts as reasons ("why"), the goal that applies and goal_due_in (seconds
 * left before the goal, negative once past): a job that warns before a
 * goal is missed reads them here, with min_age = goal - warning.
 * show 0 the inbox (without casts marked done or still snoozed, or
 * acknowledged by a like when the user's likes count), 1 done, 2 snoozed,
 * 3 all, 4 acknowledged; an acknowledged item has "closed": "acknowledged"
 * (else null).
 */
enum eng_order { ENG_ORDER_PRIORITY, ENG_ORDER_OLDEST };

struct eng_owed_q {
	int64_t		 fid;
	int64_t		 min_age;	/* only casts waiting at least this */
	int		 kind;		/* 0 any, 1 reply, 2 mention */
	int		 show;		/* 0 inbox, 1 done, 2 snoozed, 3 all, 4 acknowledged */
	int		 limit;		/* page size, >= 1 */
	enum eng_order	 order;
	int64_t		 now;		/* evaluation time (unix seconds), > 0 */
	const char	*after_hash;	/* the keyset position; NULL: first page */
	int64_t		 after_ts, after_score;
};

/*
 * The page as {"fid", "sort", "evaluated_at", "items": [...],
 * "next_cursor"} (next_cursor only after a full page: a cursor_format
 * cursor oldest first, a cursor_prio_format one, which keeps now, by
 * priority).  A new object, or NULL on a database error.
 */
struct json_object	*eng_unreplied(struct db *, const struct eng_owed_q *);
/*
 * The same page, its items handed to fn one at a time as the rows arrive
 * (db_each) instead of held in "items", each freed once fn returns: a page
 * of thousands holds neither its result nor its items at once.  fn(arg,
 * NULL) comes first, and again before a retry on another connection: start
 * over.  fn returns 0, or -1 to fail the call (NULL).
 */
typedef int		 eng_item_fn(void *arg, struct json_object *item);
struct json_object	*eng_unreplied_each(struct db *,
			    const struct eng_owed_q *, eng_item_fn *, void *);
/*
 * How many owed replies each view holds under q's filters (min_age,
 * kind; show, order and keyset unused): n[0] the inbox (waiting), n[1]
 * done, n[2] snoozed, n[3] acknowledged, as eng_unreplied's show 0, 1, 2
 * and 4 list them.  0, or -1 on a database error.
 */
#define ENG_OWED_VIEWS	4
int			 eng_owed_counts(struct db *, const struct eng_owed_q *,
			    int64_t n[ENG_OWED_VIEWS]);
/*
 * Sets q's keyset from s, a next_cursor of q->order (a priority cursor
 * also sets q->now); q->after_hash then points into cp, which must outlive
 * q's use.  -1 when s is not such a cursor (q left alone).
 */
int			 eng_owed_after(struct eng_owed_q *, const char *s,
			    struct cursor_prio *cp);

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
 * the sentences and the definition its rows were read under; a new object,
 * or NULL on ENOMEM.
 */
struct json_object	*eng_json_speed(const struct speed_trend *,
			    const struct eng_q *, const char *tz,
			    const struct eng_def *);

/* Aging bucket of a wait in seconds: "<1h", "1-4h", "4-24h", ">24h". */
const char		*eng_age_bucket(int64_t seconds);

#endif
