#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "core/cursor.h"
#include "core/db.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"

#define API_MAX_TIME	4102444800LL	/* 2100-01-01 */
#define API_MAX_WINDOW	(10LL * 366 * 86400)

static const char *const api_kinds[] = { "reply", "mention", NULL };
static const char *const api_shows[] = { "inbox", "done", "snoozed", "all", NULL };
static const char *const api_buckets[] = { "day", "week", NULL };
static const char *const api_sorts[] = {
	"inbound", "answered", "reply_rate", "median", NULL
};

/* The window every figure takes; keep in this order (see api_window). */
#define WINDOW_SPECS \
	{ "from", PARAM_TIME, 0, API_MAX_TIME, NULL, 0 }, \
	{ "to", PARAM_TIME, 0, API_MAX_TIME, NULL, 0 }, \
	{ "tz", PARAM_TZ, 0, 0, NULL, 0 }

static const struct param_spec spec_window[] = { WINDOW_SPECS };
static const struct param_spec spec_trend[] = {
	WINDOW_SPECS, { "bucket", PARAM_ENUM, 0, 0, api_buckets, 0 },
};
static const struct param_spec spec_counterparts[] = {
	WINDOW_SPECS, { "sort", PARAM_ENUM, 0, 0, api_sorts, 0 },
	{ "limit", PARAM_INT, 1, 500, NULL, 0 },
	{ "cursor", PARAM_STR, 0, 64, NULL, 0 },
};
static const struct param_spec spec_unreplied[] = {
	{ "limit", PARAM_INT, 1, 500, NULL, 0 },
	{ "cursor", PARAM_STR, 0, 128, NULL, 0 },
	{ "min_age", PARAM_INT, 0, API_MAX_WINDOW, NULL, 0 },
	{ "kind", PARAM_ENUM, 0, 0, api_kinds, 0 },
	{ "show", PARAM_ENUM, 0, 0, api_shows, 0 },
};

#define NSPEC(a)	(sizeof(a) / sizeof(a[0]))

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

/* 1 when fid is known; else answers 404 (or 503) and returns 0. */
static int
api_fid_known(struct req *rq, int64_t fid)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;
	int		 known;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(rq->srv->db, &api_stmt_fid_known, p, NULL)) == NULL) {
		resp_problem(rq->resp, PROB_UNAVAILABLE, "the database is "
		    "unavailable", rq->id, NULL);
		return 0;
	}
	known = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!known)
		resp_problem(rq->resp, PROB_NOT_FOUND, "no data or account for "
		    "this fid", rq->id, NULL);
	return known;
}

int
api_dates(struct req *rq, int64_t fid, const char *tz, struct param_val *from,
    struct param_val *to)
{
	struct eng_settings	 s;
	struct param_val	*v[2] = { from, to };
	int			 k;

	if (!from->date && !to->date)
		return 0;
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
	return 0;
down:
	resp_problem(rq->resp, PROB_UNAVAILABLE, "the database is unavailable",
	    rq->id, NULL);
	return -1;
}

/*
 * The window from the first three values: default the last 30 days up to
 * now, rounded down to the minute so that equal requests share a cache
 * entry; bare dates are days in the zone used.  Answers 400 (or 503) and
 * returns -1 when from is not before to.
 */
static int
api_window(struct req *rq, int64_t fid, struct param_val *v, void *arg)
{
	struct eng_q	*q = arg;
	int64_t		 now = (int64_t)time(NULL) / 60 * 60;

	q->fid = fid;
	q->tz = v[2].present ? v[2].s : NULL;
	if (api_dates(rq, fid, q->tz, &v[0], &v[1]) == -1)
		return -1;
	q->to = v[1].present ? v[1].i : now;
	q->from = v[0].present ? v[0].i : q->to - 30 * 86400;
	if (q->from >= q->to) {
		api_bad_param(rq, "from: must be before to");
		return -1;
	}
	if (q->to - q->from > API_MAX_WINDOW) {
		api_bad_param(rq, "from: the window may span ten years at most");
		return -1;
	}
	v[0].present = v[1].present = 1;	/* the cache key holds the window */
	v[0].i = q->from;
	v[1].i = q->to;
	return 0;
}

typedef struct json_object *(*api_fig_fn)(struct req *, const struct eng_q *,
    const struct param_val *);

/* The shared path of the windowed figures. */
static int
api_figure(struct req *rq, int64_t fid, const char *name,
    const struct param_spec *sp, size_t n, api_fig_fn fn)
{
	struct api_read		 ar;
	struct param_val	 v[8];
	struct eng_q		 q;
	int			 rc;

	rc = api_read_begin(rq, &ar, fid, name, sp, n, v, api_window, &q);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	if (!api_fid_known(rq, ar.fid))
		return 0;
	return api_read_end(rq, &ar, fn(rq, &q, v));
}

static struct json_object *
fig_summary(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	(void)v;
	return eng_summary(rq->srv->db, q);
}

static struct json_object *
fig_distribution(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	(void)v;
	return eng_distribution(rq->srv->db, q);
}

static struct json_object *
fig_heatmap(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	(void)v;
	return eng_heatmap(rq->srv->db, q);
}

static struct json_object *
fig_trend(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	return eng_trend(rq->srv->db, q, v[3].present && v[3].i == 1 ?
	    ENG_BUCKET_WEEK : ENG_BUCKET_DAY);
}

static struct json_object *
fig_streak(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	(void)v;
	return eng_streak(rq->srv->db, q);
}

/* The counterparts cursor is the offset of the next page, as "o<n>". */
static struct json_object *
fig_counterparts(struct req *rq, const struct eng_q *q, const struct param_val *v)
{
	struct json_object	*o;
	uint64_t		 off = 0;
	int			 limit = v[4].present ? (int)v[4].i : 50;
	char			 next[32];

	if (v[5].present && (v[5].s[0] != 'o' ||
	    valid_u64(v[5].s + 1, 1000000, &off) == -1))
		return NULL;
	o = eng_counterparts(rq->srv->db, q, v[3].present ? (int)v[3].i : 0,
	    limit, (int)off);
	if (o != NULL && (int)json_object_array_length(
	    json_object_object_get(o, "counterparts")) == limit) {
		snprintf(next, sizeof(next), "o%llu",
		    (unsigned long long)off + (unsigned long long)limit);
		json_object_object_add(o, "next_cursor",
		    json_object_new_string(next));
	}
	return o;
}

static int
api_path(struct req *rq, const char *name, const struct param_spec *sp,
    size_t n, api_fig_fn fn)
{
	int64_t	 fid;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	return api_figure(rq, fid, name, sp, n, fn);
}

int
api_me_summary(struct req *rq)
{
	return api_figure(rq, 0, "summary", spec_window, NSPEC(spec_window),
	    fig_summary);
}

int
api_summary(struct req *rq)
{
	return api_path(rq, "summary", spec_window, NSPEC(spec_window),
	    fig_summary);
}

int
api_distribution(struct req *rq)
{
	return api_path(rq, "distribution", spec_window, NSPEC(spec_window),
	    fig_distribution);
}

int
api_heatmap(struct req *rq)
{
	return api_path(rq, "heatmap", spec_window, NSPEC(spec_window),
	    fig_heatmap);
}

int
api_trend(struct req *rq)
{
	return api_path(rq, "trend", spec_trend, NSPEC(spec_trend), fig_trend);
}

int
api_streak(struct req *rq)
{
	return api_path(rq, "streak", spec_window, NSPEC(spec_window),
	    fig_streak);
}

static int
api_counterparts_prep(struct req *rq, int64_t fid, struct param_val *v,
    void *arg)
{
	uint64_t	 off;

	if (api_window(rq, fid, v, arg) == -1)
		return -1;
	if (v[5].present && (v[5].s[0] != 'o' ||
	    valid_u64(v[5].s + 1, 1000000, &off) == -1)) {
		api_bad_param(rq, "cursor: not a cursor this API gave out");
		return -1;
	}
	return 0;
}

int
api_counterparts(struct req *rq)
{
	struct api_read		 ar;
	struct param_val	 v[8];
	struct eng_q		 q;
	int64_t			 fid;
	int			 rc;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	rc = api_read_begin(rq, &ar, fid, "counterparts", spec_counterparts,
	    NSPEC(spec_counterparts), v, api_counterparts_prep, &q);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	if (!api_fid_known(rq, ar.fid))
		return 0;
	return api_read_end(rq, &ar, fig_counterparts(rq, &q, v));
}

/* The unreplied cursor (core/cursor.h), when one was given. */
struct api_cursor {
	struct cursor	 c;
	int		 set;
};

static int
api_unreplied_prep(struct req *rq, int64_t fid, struct param_val *v,
    void *arg)
{
	struct api_cursor	*c = arg;

	(void)fid;
	if (!v[1].present)
		return 0;
	if (cursor_parse(v[1].s, &c->c) == -1) {
		api_bad_param(rq, "cursor: not a cursor this API gave out");
		return -1;
	}
	c->set = 1;
	return 0;
}

int
api_unreplied(struct req *rq)
{
	struct api_read		 ar;
	struct param_val	 v[5];
	struct api_cursor	 cur = { { 0, "" }, 0 };
	struct json_object	*o, *items, *last;
	int64_t			 fid;
	int			 rc, limit;
	char			 next[CURSOR_SIZE];

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	/* Not cached: how long each cast has waited changes every second. */
	rc = api_read_begin(rq, &ar, fid, NULL, spec_unreplied,
	    NSPEC(spec_unreplied), v, api_unreplied_prep, &cur);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	if (!api_fid_known(rq, ar.fid))
		return 0;
	limit = v[0].present ? (int)v[0].i : 50;
	o = eng_unreplied(rq->srv->db, fid, v[2].present ? v[2].i : 0,
	    v[3].present ? (int)v[3].i + 1 : 0, cur.c.ts,
	    cur.set ? cur.c.hash : NULL, limit, v[4].present ? (int)v[4].i : 0);
	if (o == NULL)
		return -1;
	items = json_object_object_get(o, "items");
	if ((int)json_object_array_length(items) == limit) {
		last = json_object_array_get_idx(items, (size_t)limit - 1);
		if (cursor_format(json_object_get_int64(json_object_object_get(
		    last, "time")), json_object_get_string(json_object_object_get(
		    last, "hash")), next, sizeof(next)) == 0)
			json_object_object_add(o, "next_cursor",
			    json_object_new_string(next));
	}
	return api_read_end(rq, &ar, o);
}
