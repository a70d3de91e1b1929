#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "core/cursor.h"
#include "core/cfg.h"
#include "core/db.h"
#include "core/met.h"
#include "core/qs.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"
#include "reply/fig.h"
#include "reply/standing.h"

#define API_MAX_TIME	4102444800LL	/* 2100-01-01 */
#define API_MAX_WINDOW	(10LL * 366 * 86400)

static const char *const api_kinds[] = { "reply", "mention", NULL };
static const char *const api_shows[] = {
	"inbox", "done", "snoozed", "all", "acknowledged", NULL
};
/* In enum eng_order's order. */
static const char *const api_orders[] = { "priority", "oldest", NULL };
static const char *const api_buckets[] = { "day", "week", NULL };
static const char *const api_sorts[] = {
	"inbound", "answered", "reply_rate", "median", NULL
};

/* The declared parameters, by name: the window every figure takes first. */
enum win_key { WIN_FROM, WIN_TO, WIN_TZ, WIN__MAX };
enum trend_key { TREND_BUCKET = WIN__MAX, TREND__MAX };
/* Counterparts take two more (the people list); channels stop at CP_DIR. */
enum cp_key { CP_SORT = WIN__MAX, CP_LIMIT, CP_CURSOR, CP_DIR, CP_Q, CP__MAX };
enum unr_key {
	UNR_LIMIT, UNR_CURSOR, UNR_MIN_AGE, UNR_MIN_HOURS, UNR_KIND, UNR_SHOW,
	UNR_SORT, UNR__MAX
};
enum std_key { STD_DAYS, STD__MAX };

/* Room for the values of any windowed figure. */
#define READ_VALS	CP__MAX
_Static_assert((int)TREND__MAX <= (int)READ_VALS,
    "READ_VALS holds the trend's values");

#define WINDOW_SPECS \
	[WIN_FROM] = { "from", PARAM_TIME, 0, API_MAX_TIME, NULL, 0, 0 }, \
	[WIN_TO] = { "to", PARAM_TIME, 0, API_MAX_TIME, NULL, 0, 0 }, \
	[WIN_TZ] = { "tz", PARAM_TZ, 0, 0, NULL, 0, 0 }

static const struct param_spec spec_window[WIN__MAX] = { WINDOW_SPECS };
static const struct param_spec spec_trend[TREND__MAX] = {
	WINDOW_SPECS,
	[TREND_BUCKET] = { "bucket", PARAM_ENUM, 0, 0, api_buckets, 0, 0 },
};
static const struct param_spec spec_counterparts[CP_DIR] = {
	WINDOW_SPECS,
	[CP_SORT] = { "sort", PARAM_ENUM, 0, 0, api_sorts, 0, 0 },
	[CP_LIMIT] = { "limit", PARAM_INT, 1, 500, NULL, 0, 0 },
	[CP_CURSOR] = { "cursor", PARAM_STR, 0, 64, NULL, 0, 0 },
};
/* In eng_people's order of sorts. */
static const char *const api_people_sorts[] = {
	"inbound", "answered", "reply_rate", "median", "name", NULL
};
static const char *const api_dirs[] = { "asc", "desc", NULL };
/* Each sort's direction when dir is left out, as the offset list has it. */
static const int api_people_desc[] = { 1, 1, 1, 0, 0 };
static const struct param_spec spec_people[CP__MAX] = {
	WINDOW_SPECS,
	[CP_SORT] = { "sort", PARAM_ENUM, 0, 0, api_people_sorts, 0, 0 },
	[CP_LIMIT] = { "limit", PARAM_INT, 1, 500, NULL, 0, 0 },
	[CP_CURSOR] = { "cursor", PARAM_STR, 0, CURSOR_KEY_SIZE, NULL, 0, 0 },
	[CP_DIR] = { "dir", PARAM_ENUM, 0, 0, api_dirs, 0, 0 },
	[CP_Q] = { "q", PARAM_STR, 0, ENG_PEOPLE_SEARCH_MAX, NULL, 0, 0 },
};
static const char *const api_days[] = { "7", "30", "90", NULL };
static const struct param_spec spec_standing[STD__MAX] = {
	[STD_DAYS] = { "days", PARAM_ENUM, 0, 0, api_days, 0, 0 },
};
/* unreplied and unreplied.csv, which takes more rows (the 48-hour list). */
#define UNREPLIED_SPECS(maxlimit) \
	[UNR_LIMIT] = { "limit", PARAM_INT, 1, maxlimit, NULL, 0, 0 }, \
	[UNR_CURSOR] = { "cursor", PARAM_STR, 0, 128, NULL, 0, 0 }, \
	[UNR_MIN_AGE] = { "min_age", PARAM_INT, 0, API_MAX_WINDOW, NULL, 0, 0 }, \
	[UNR_MIN_HOURS] = { "min_hours", PARAM_INT, 0, API_MAX_WINDOW / 3600, \
	    NULL, 0, 0 }, \
	[UNR_KIND] = { "kind", PARAM_ENUM, 0, 0, api_kinds, 0, 0 }, \
	[UNR_SHOW] = { "show", PARAM_ENUM, 0, 0, api_shows, 0, 0 }, \
	[UNR_SORT] = { "sort", PARAM_ENUM, 0, 0, api_orders, 0, 0 }

static const struct param_spec spec_unreplied[UNR__MAX] = {
	UNREPLIED_SPECS(500)
};
static const struct param_spec spec_unreplied_csv[UNR__MAX] = {
	UNREPLIED_SPECS(API_OWED_CSV_MAX)
};

static const struct db_stmt api_stmt_fid_known = { "api_fid_known",
	"SELECT EXISTS (SELECT 1 FROM accounts WHERE fid = $1::bigint)"
	" OR EXISTS (SELECT 1 FROM profiles WHERE fid = $1::bigint)"
	" OR EXISTS (SELECT 1 FROM inbound WHERE fid = $1::bigint)", 1, 1 };

int64_t
api_path_fid(struct req *rq)
{
	uint64_t	 u;

	if (valid_id(req_capture(rq, "fid"), (1ULL << 53), &u) == -1) {
		resp_problem(rq->resp, PROB_NOT_FOUND, "no such resource: a fid "
		    "in a path is written in decimal without a leading zero",
		    rq->id, NULL);
		return 0;
	}
	return (int64_t)u;
}

/*
 * Fids this process found known, each under the data version it was seen
 * with: a fid appears or goes only through a write, and every write bumps
 * the version, so a match needs no PostgreSQL round trip.  Four ways per
 * set, the set from a multiplicative hash of the fid: with one slot per
 * fid % 1024, a thousand users of nearby fids evicted one another and a
 * third of bench/run's typical summaries asked PostgreSQL.
 */
#define API_KNOWN_SETS	1024
#define API_KNOWN_WAYS	4
static struct api_known_set {
	struct {
		int64_t		 fid;
		long long	 version;
	} way[API_KNOWN_WAYS];
	unsigned	 next;		/* the way the next new fid takes */
} api_known[API_KNOWN_SETS];

static struct api_known_set *
api_known_set(int64_t fid)
{
	return &api_known[((uint64_t)fid * 0x9e3779b97f4a7c15ULL) >> 54];
}

static int
api_known_has(int64_t fid, long long version)
{
	const struct api_known_set	*s = api_known_set(fid);
	size_t				 w;

	for (w = 0; w < API_KNOWN_WAYS; w++)
		if (s->way[w].fid == fid && s->way[w].version == version)
			return 1;
	return 0;
}

static void
api_known_put(int64_t fid, long long version)
{
	struct api_known_set	*s = api_known_set(fid);
	size_t			 w;

	for (w = 0; w < API_KNOWN_WAYS && s->way[w].fid != fid; w++)
		continue;
	if (w == API_KNOWN_WAYS)
		w = s->next++ % API_KNOWN_WAYS;
	s->way[w].fid = fid;
	s->way[w].version = version;
}

/*
 * 1 when fid is known; else answers 404 (or 503) and returns 0.  version
 * is the fid's data version from the gate (0: unknown, always ask).
 */
static int
api_fid_known(struct req *rq, int64_t fid, long long version)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;
	int		 known;

	if (version > 0 && api_known_has(fid, version))
		return 1;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(rq->srv->db, &api_stmt_fid_known, p, NULL)) == NULL) {
		resp_problem(rq->resp, PROB_UNAVAILABLE, "the database is "
		    "unavailable", rq->id, NULL);
		return 0;
	}
	known = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (known && version > 0)
		api_known_put(fid, version);
	if (!known)
		resp_problem(rq->resp, PROB_NOT_FOUND, "no data or account for "
		    "this fid", rq->id, NULL);
	return known;
}

enum step
api_dates(struct req *rq, int64_t fid, const char *tz, struct param_val *from,
    struct param_val *to)
{
	struct eng_settings	 s;
	struct param_val	*v[2] = { from, to };
	int			 k;

	if (!from->date && !to->date)
		return STEP_GO;
	if (tz == NULL) {
		if (eng_settings(rq->srv->db, fid, &s) == -1)
			goto down;
		tz = s.tz;
	}
	for (k = 0; k < 2; k++) {
		if (!v[k]->date)
			continue;
		/* A bare "to" takes in its whole day: the window ends at the next. */
		if (eng_day_start(rq->srv->db, tz, v[k]->i + k, &v[k]->i) == -1)
			goto down;
		v[k]->date = 0;
	}
	return STEP_GO;
down:
	return step_sent(resp_problem(rq->resp, PROB_UNAVAILABLE, "the "
	    "database is unavailable", rq->id, NULL));
}

/*
 * The window: default the last 30 days up to now, rounded down to the
 * minute so that equal requests share a cache entry; bare dates are days
 * in the zone used.  Answers 400 (or 503) when from is not before to.
 */
static enum step
api_window(struct req *rq, int64_t fid, struct param_val *v, void *arg)
{
	struct eng_q	*q = arg;
	int64_t		 now = (int64_t)time(NULL) / 60 * 60;
	enum step	 rc;

	q->fid = fid;
	q->tz = v[WIN_TZ].present ? v[WIN_TZ].s : NULL;
	q->now = 0;		/* the clock: see eng_now */
	if ((rc = api_dates(rq, fid, q->tz, &v[WIN_FROM], &v[WIN_TO])) !=
	    STEP_GO)
		return rc;
	q->to = v[WIN_TO].present ? v[WIN_TO].i : now;
	q->from = v[WIN_FROM].present ? v[WIN_FROM].i : q->to - 30 * 86400;
	if (q->from >= q->to)
		return step_sent(api_bad_param(rq, "from: must be before to"));
	if (q->to - q->from > API_MAX_WINDOW)
		return step_sent(api_bad_param(rq, "from: the window may span "
		    "ten years at most"));
	/* The cache key holds the window. */
	v[WIN_FROM].present = v[WIN_TO].present = 1;
	v[WIN_FROM].i = q->from;
	v[WIN_TO].i = q->to;
	return STEP_GO;
}

/* Per process: the read model's cache (NULL with RC_FACTS_MB=0). */
static struct facts_cache	*api_facts;

int
api_facts_init(const struct cfg *c)
{
	return facts_cache_open(c->facts_mb, &api_facts);
}

void
api_facts_free(void)
{
	facts_cache_free(api_facts);
	api_facts = NULL;
}

/*
 * One figure from the read model, else from PostgreSQL; the answer says
 * which (X-Engine) and /metrics counts it.  What memory computed over a
 * small user is not stored in Redis: computing it again costs less than
 * the SET's round trip (bench/run; RC_CACHE_MIN_FACTS).
 */
static struct json_object *
api_fig(struct req *rq, struct api_read *ar, struct fig_req *f)
{
	struct json_object	*o;
	enum facts_rc		 why;
	char			 h[48];

	o = fig_get(api_facts, rq->srv->db_read, f, ar->gate.version, &why);
	if (why == FACTS_OK) {
		resp_header(rq->resp, "X-Engine", "memory");
		met_engine(rq->srv->met, MET_ENGINE_MEMORY);
		if (facts_held(api_facts, &f->q, ar->gate.version) <
		    rq->srv->cfg.cache_min_facts)
			ar->store = 0;
	} else {
		snprintf(h, sizeof(h), "sql; reason=%s", facts_rc_name(why));
		resp_header(rq->resp, "X-Engine", h);
		met_engine(rq->srv->met, MET_ENGINE_SQL);
	}
	return o;
}

/* The shared path of the windowed figures. */
static int
api_figure(struct req *rq, int64_t fid, const char *name,
    const struct param_spec *sp, size_t n, enum fig_kind kind)
{
	struct api_read		 ar;
	struct param_val	 v[READ_VALS];
	struct fig_req		 f;
	enum step		 rc;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	if ((rc = api_read_begin(rq, &ar, fid, name, sp, n, v, api_window,
	    &f.q)) != STEP_GO)
		return step_end(rc);
	if (!api_fid_known(rq, ar.fid, ar.gate.version))
		return 0;
	if (kind == FIG_TREND)
		f.bucket = v[TREND_BUCKET].present && v[TREND_BUCKET].i == 1 ?
		    ENG_BUCKET_WEEK : ENG_BUCKET_DAY;
	return api_read_end(rq, &ar, api_fig(rq, &ar, &f));
}

/*
 * A paged list figure (counterparts, channels; its array is key): the
 * cursor is the offset of the next page, as "o<n>".
 */
static struct json_object *
fig_paged(struct req *rq, struct api_read *ar, const struct eng_q *q,
    const struct param_val *v, enum fig_kind kind, const char *key)
{
	struct json_object	*o;
	struct fig_req		 f;
	uint64_t		 off = 0;
	char			 next[32];

	if (v[CP_CURSOR].present && (v[CP_CURSOR].s[0] != 'o' ||
	    valid_u64(v[CP_CURSOR].s + 1, 1000000, &off) == -1))
		return NULL;
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.q = *q;
	f.sort = v[CP_SORT].present ? (int)v[CP_SORT].i : 0;
	f.limit = v[CP_LIMIT].present ? (int)v[CP_LIMIT].i : 50;
	f.offset = (int)off;
	o = api_fig(rq, ar, &f);
	if (o != NULL && (int)json_object_array_length(
	    json_object_object_get(o, key)) == f.limit) {
		snprintf(next, sizeof(next), "o%llu",
		    (unsigned long long)off + (unsigned long long)f.limit);
		json_object_object_add(o, "next_cursor",
		    json_object_new_string(next));
	}
	return o;
}

static int
api_path(struct req *rq, const char *name, const struct param_spec *sp,
    size_t n, enum fig_kind kind)
{
	int64_t	 fid;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	return api_figure(rq, fid, name, sp, n, kind);
}

int
api_me_summary(struct req *rq)
{
	return api_figure(rq, 0, "summary", spec_window, WIN__MAX,
	    FIG_SUMMARY);
}

int
api_summary(struct req *rq)
{
	return api_path(rq, "summary", spec_window, WIN__MAX,
	    FIG_SUMMARY);
}

int
api_distribution(struct req *rq)
{
	return api_path(rq, "distribution", spec_window, WIN__MAX,
	    FIG_DISTRIBUTION);
}

int
api_heatmap(struct req *rq)
{
	return api_path(rq, "heatmap", spec_window, WIN__MAX,
	    FIG_HEATMAP);
}

int
api_trend(struct req *rq)
{
	return api_path(rq, "trend", spec_trend, TREND__MAX, FIG_TREND);
}

int
api_streak(struct req *rq)
{
	return api_path(rq, "streak", spec_window, WIN__MAX,
	    FIG_STREAK);
}

/* The trend of speed: the periods end at the window's end; from is unused. */
int
api_speed(struct req *rq)
{
	return api_path(rq, "speed-trend", spec_window, WIN__MAX, FIG_SPEED);
}

int
api_me_speed(struct req *rq)
{
	return api_figure(rq, 0, "speed-trend", spec_window, WIN__MAX,
	    FIG_SPEED);
}

static enum step
api_counterparts_prep(struct req *rq, int64_t fid, struct param_val *v,
    void *arg)
{
	uint64_t	 off;
	enum step	 rc;

	if ((rc = api_window(rq, fid, v, arg)) != STEP_GO)
		return rc;
	if (v[CP_CURSOR].present && (v[CP_CURSOR].s[0] != 'o' ||
	    valid_u64(v[CP_CURSOR].s + 1, 1000000, &off) == -1))
		return step_sent(api_bad_param(rq, "cursor: not a cursor this "
		    "API gave out"));
	return STEP_GO;
}

/* A paged list figure for fid (0: the caller's own). */
static int
api_paged(struct req *rq, int64_t fid, const char *name, enum fig_kind kind)
{
	struct api_read		 ar;
	struct param_val	 v[CP__MAX];
	struct eng_q		 q;
	enum step		 rc;

	if ((rc = api_read_begin(rq, &ar, fid, name, spec_counterparts,
	    CP_DIR, v, api_counterparts_prep, &q)) != STEP_GO)
		return step_end(rc);
	if (!api_fid_known(rq, ar.fid, ar.gate.version))
		return 0;
	return api_read_end(rq, &ar, fig_paged(rq, &ar, &q, v, kind, name));
}

/*
 * The people list (eng_people) is asked for by a search, a direction, the
 * name sort or a keyset cursor; without them the list pages by offset as
 * it always did, from the read model.
 */
static int
api_people_asked(const struct qs_list *l)
{
	const char	*q = qs_get(l, "q"), *d = qs_get(l, "dir");
	const char	*s = qs_get(l, "sort"), *c = qs_get(l, "cursor");

	return (q != NULL && *q != '\0') || (d != NULL && *d != '\0') ||
	    (s != NULL && strcmp(s, "name") == 0) || (c != NULL && c[0] == 'k');
}

struct api_people {
	struct eng_q		 q;
	struct eng_people_q	 pq;
	struct cursor_key	 after;
};

static enum step
api_people_prep(struct req *rq, int64_t fid, struct param_val *v, void *arg)
{
	struct api_people	*ap = arg;
	struct eng_people_q	*pq = &ap->pq;
	enum step		 rc;

	if ((rc = api_window(rq, fid, v, &ap->q)) != STEP_GO)
		return rc;
	pq->sort = v[CP_SORT].present ? (int)v[CP_SORT].i : 0;
	pq->desc = v[CP_DIR].present ? v[CP_DIR].i == 1 :
	    api_people_desc[pq->sort];
	pq->search = v[CP_Q].present ? v[CP_Q].s : NULL;
	pq->limit = v[CP_LIMIT].present ? (int)v[CP_LIMIT].i : 50;
	if (!v[CP_CURSOR].present)
		return STEP_GO;
	if (cursor_key_parse(v[CP_CURSOR].s, &ap->after) == -1 ||
	    ap->after.sort != pq->sort || ap->after.desc != pq->desc ||
	    (ap->after.kind == CURSOR_KEY_TEXT) !=
	    (pq->sort == ENG_PEOPLE_NAME))
		return step_sent(api_bad_param(rq, "cursor: not a cursor this "
		    "API gave out for this sort and direction"));
	pq->after = &ap->after;
	return STEP_GO;
}

/*
 * Searches and keyset pages come from PostgreSQL and are not cached in
 * Redis: their keys (a search, a cursor) rarely repeat.
 */
static int
api_people(struct req *rq, int64_t fid)
{
	struct api_read		 ar;
	struct param_val	 v[CP__MAX];
	struct api_people	 ap;
	enum step		 rc;

	memset(&ap, 0, sizeof(ap));
	if ((rc = api_read_begin(rq, &ar, fid, NULL, spec_people, CP__MAX, v,
	    api_people_prep, &ap)) != STEP_GO)
		return step_end(rc);
	if (!api_fid_known(rq, ar.fid, ar.gate.version))
		return 0;
	resp_header(rq->resp, "X-Engine", "sql; reason=unsupported");
	met_engine(rq->srv->met, MET_ENGINE_SQL);
	return api_read_end(rq, &ar, eng_people(rq->srv->db_read, &ap.q, &ap.pq));
}

int
api_counterparts(struct req *rq)
{
	int64_t	 fid;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	if (api_people_asked(&rq->query))
		return api_people(rq, fid);
	return api_paged(rq, fid, "counterparts", FIG_COUNTERPARTS);
}

int
api_channels(struct req *rq)
{
	int64_t	 fid;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	return api_paged(rq, fid, "channels", FIG_CHANNELS);
}

int
api_me_channels(struct req *rq)
{
	return api_paged(rq, 0, "channels", FIG_CHANNELS);
}

/*
 * Where fid stands among the instance's tracked users (reply/standing.h).
 * Not cached: it moves with other users' data and with the group, which
 * no version of fid's tells.
 */
static int
api_standing_of(struct req *rq, int64_t fid)
{
	static const int	 days[] = { 7, 30, 90 };
	struct api_read		 ar;
	struct param_val	 v[STD__MAX];
	enum step		 rc;

	if ((rc = api_read_begin(rq, &ar, fid, NULL, spec_standing, STD__MAX,
	    v, NULL, NULL)) != STEP_GO)
		return step_end(rc);
	if (!api_fid_known(rq, ar.fid, ar.gate.version))
		return 0;
	return api_read_end(rq, &ar, standing_json(rq->srv->db_read, ar.fid,
	    days[v[STD_DAYS].present ? v[STD_DAYS].i : 1],
	    rq->srv->cfg.standing_min_group));
}

int
api_standing(struct req *rq)
{
	int64_t	 fid;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	return api_standing_of(rq, fid);
}

int
api_me_standing(struct req *rq)
{
	return api_standing_of(rq, 0);
}

/* The query and the cursor its after_hash points into. */
struct api_owed {
	struct eng_owed_q	 q;
	struct cursor_prio	 cp;
};

/*
 * The owed-replies query from the parameters (unreplied and unreplied.csv):
 * the order, the filters, and the cursor of that order when one was given.
 * arg is a struct api_owed; q.after_hash points into its cp.
 */
static enum step
api_unreplied_prep(struct req *rq, int64_t fid, struct param_val *v,
    void *arg)
{
	struct eng_owed_q	*q = &((struct api_owed *)arg)->q;
	struct cursor_prio	*cp = &((struct api_owed *)arg)->cp;

	q->fid = fid;
	q->order = v[UNR_SORT].present ? (enum eng_order)v[UNR_SORT].i :
	    ENG_ORDER_PRIORITY;
	q->kind = v[UNR_KIND].present ? (int)v[UNR_KIND].i + 1 : 0;
	q->show = v[UNR_SHOW].present ? (int)v[UNR_SHOW].i : 0;
	if (v[UNR_MIN_AGE].present && v[UNR_MIN_HOURS].present)
		return step_sent(api_bad_param(rq, "min_hours: give min_age "
		    "(seconds) or min_hours, not both"));
	q->min_age = v[UNR_MIN_HOURS].present ? v[UNR_MIN_HOURS].i * 3600 :
	    v[UNR_MIN_AGE].present ? v[UNR_MIN_AGE].i : 0;
	q->now = (int64_t)time(NULL);
	if (v[UNR_CURSOR].present &&
	    eng_owed_after(q, v[UNR_CURSOR].s, cp) == -1)
		return step_sent(api_bad_param(rq, "cursor: not a cursor this "
		    "API gave out for this sort"));
	return STEP_GO;
}

/*
 * The owed-replies query of one page by the parameters of spec into *ow,
 * ready to run (STEP_GO), or refused (STEP_DONE: the response is written).
 */
static enum step
api_owed_page(struct req *rq, struct api_read *ar,
    const struct param_spec *spec, int deflimit, struct api_owed *ow)
{
	struct param_val	 v[UNR__MAX];
	int64_t			 fid;
	enum step		 rc;

	if ((fid = api_path_fid(rq)) == 0)
		return STEP_DONE;
	memset(ow, 0, sizeof(*ow));
	/* Not cached: how long each cast has waited changes every second. */
	if ((rc = api_read_begin(rq, ar, fid, NULL, spec, UNR__MAX, v,
	    api_unreplied_prep, ow)) != STEP_GO)
		return rc;
	if (!api_fid_known(rq, ar->fid, ar->gate.version))
		return STEP_DONE;
	ow->q.limit = v[UNR_LIMIT].present ? (int)v[UNR_LIMIT].i : deflimit;
	return STEP_GO;
}

int
api_unreplied(struct req *rq)
{
	struct api_read		 ar;
	struct api_owed		 ow;
	struct json_object	*o;
	enum step		 rc;

	if ((rc = api_owed_page(rq, &ar, spec_unreplied, 50, &ow)) != STEP_GO)
		return step_end(rc);
	if ((o = eng_unreplied(rq->srv->db_read, &ow.q)) == NULL)
		return -1;
	return api_read_end(rq, &ar, o);
}

int
api_unreplied_csv(struct req *rq)
{
	struct api_read		 ar;
	struct api_owed		 ow;
	enum step		 rc;

	if ((rc = api_owed_page(rq, &ar, spec_unreplied_csv, API_OWED_CSV_MAX,
	    &ow)) != STEP_GO)
		return step_end(rc);
	return api_owed_csv(rq, ar.fid, &ow.q);
}
