#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/buf.h"
#include "core/cfg.h"
#include "core/clock.h"
#include "core/gate.h"
#include "core/met.h"
#include "core/cursor.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"
#include "reply/fig.h"
#include "reply/avatar.h"
#include "reply/job.h"
#include "reply/standing.h"
#include "core/html.h"
#include "dash.h"
#include "scope.h"
#include "svg.h"
#include "when.h"
#include "stcache.h"
#include "vcache.h"

static struct json_object *
get(struct json_object *o, const char *k)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *const dash_ranges[] = { "7", "30", "90", NULL };
static const int64_t dash_range_days[] = { 7, 30, 90 };

/* The last second of 9999: dates have four digits. */
#define DASH_MAX_TIME	INT64_C(253402300799)

/* The declared parameters of the pages, by name. */
enum win_key { WIN_RANGE, WIN_FROM, WIN_TO, WIN__MAX };
enum people_key {
	PEOPLE_SORT = WIN__MAX, PEOPLE_DIR, PEOPLE_Q, PEOPLE_AFTER, PEOPLE__MAX
};
enum inbox_key {
	INBOX_AFTER, INBOX_KIND, INBOX_AGE, INBOX_HOURS, INBOX_SHOW, INBOX_SORT,
	INBOX__MAX
};

#define WINDOW_SPECS \
	[WIN_RANGE] = { "range", PARAM_ENUM, 0, 0, dash_ranges, 0, 0 }, \
	[WIN_FROM] = { "from", PARAM_TIME, 0, DASH_MAX_TIME, NULL, 0, 0 }, \
	[WIN_TO] = { "to", PARAM_TIME, 0, DASH_MAX_TIME, NULL, 0, 0 }

static const struct param_spec spec_overview[WIN__MAX] = { WINDOW_SPECS };

/*
 * The window of a page: ?range=7|30|90 or ?from=&to= (two dates
 * YYYY-MM-DD, both days included, days in the user's own zone as the API
 * counts them).  STEP_DONE after answering 400 or 503.
 */
static enum step
dash_window(struct req *rq, const struct param_val *v, struct eng_q *q,
    struct json_object *d)
{
	const struct param_val	*f = &v[WIN_FROM], *t = &v[WIN_TO];
	struct eng_settings	 s;
	int64_t			 days = 30;

	q->to = (int64_t)time(NULL) / 60 * 60;
	q->now = 0;		/* the clock: see eng_now */
	if (f->present || t->present) {
		if (!f->present || !t->present || !f->date || !t->date ||
		    f->i > t->i)
			return step_sent(dash_error(rq, PROB_INVALID_PARAM,
			    "the date range is not valid: pick 7, 30 or 90 "
			    "days, or two dates YYYY-MM-DD in order"));
		if (eng_settings(rq->srv->db, q->fid, &s) == -1 ||
		    eng_day_start(rq->srv->db, s.tz, f->i, &q->from) == -1 ||
		    eng_day_start(rq->srv->db, s.tz, t->i + 1, &q->to) == -1)
			return step_sent(dash_error(rq, PROB_UNAVAILABLE,
			    "the database is unavailable"));
		json_object_object_add(d, "custom", json_object_new_boolean(1));
		json_object_object_add(d, "from_day", json_object_new_string(
		    f->s));
		json_object_object_add(d, "to_day", json_object_new_string(
		    t->s));
	} else {
		if (v[WIN_RANGE].present)
			days = dash_range_days[v[WIN_RANGE].i];
		q->from = q->to - days * 86400;
	}
	json_object_object_add(d, days == 7 ? "r7" : days == 90 ? "r90" : "r30",
	    json_object_new_boolean(!f->present));
	return STEP_GO;
}

/* Per process: the read model's cache (NULL with RC_FACTS_MB=0). */
static struct facts_cache	*dash_facts;

int
dash_facts_init(const struct cfg *c)
{
	return facts_cache_open(c->facts_mb, &dash_facts);
}

void
dash_facts_free(void)
{
	facts_cache_free(dash_facts);
	dash_facts = NULL;
}

/* The figures of one page, all under the data version read once. */
struct dash_figs {
	long long	 version;	/* 0: Redis could not tell */
	enum facts_rc	 why;		/* the first figure PostgreSQL served */
};

static void
dash_figs_begin(struct req *rq, struct dash_figs *fs, int64_t fid)
{
	struct gate_in	 in;
	struct gate_out	 out;

	memset(&in, 0, sizeof(in));
	in.fid = fid;
	fs->version = gate_check(rq->srv->kv, &in, &out) == 0 ?
	    out.version : 0;
	met_gate(rq->srv->met, gate_met(&out));
	fs->why = FACTS_OK;
}

/*
 * One figure, from memory when the read model can; counted in /metrics.
 * Trends are weekly; sort orders the first 100 counterparts.
 */
static struct json_object *
dash_fig(struct req *rq, struct dash_figs *fs, enum fig_kind kind,
    const struct eng_q *q, int sort)
{
	struct fig_req		 f;
	struct json_object	*o;
	enum facts_rc		 why;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.q = *q;
	f.bucket = ENG_BUCKET_WEEK;
	f.sort = sort;
	f.limit = 100;
	o = fig_get(dash_facts, rq->srv->db_read, &f, fs->version, &why);
	met_engine(rq->srv->met, why == FACTS_OK ? MET_ENGINE_MEMORY :
	    MET_ENGINE_SQL);
	if (why != FACTS_OK && fs->why == FACTS_OK)
		fs->why = why;
	return o;
}

/* X-Engine: memory when every figure of the page came from it. */
static void
dash_figs_end(struct req *rq, const struct dash_figs *fs)
{
	char	 h[48];

	if (fs->why == FACTS_OK)
		snprintf(h, sizeof(h), "memory");
	else
		snprintf(h, sizeof(h), "sql; reason=%s", facts_rc_name(fs->why));
	resp_header(rq->resp, "X-Engine", h);
}

/* The overview's charts, in the order of its view's SVGs. */
static const char *const dash_charts[VC_SVGS] = {
	"hist", "trend", "heat", "km"
};

/*
 * A chart with nothing to draw says what is missing and why, in place of
 * an empty frame: "No answered casts between 1 and 30 Nov 2026: ...".
 */
static int
chart_empty(struct buf *b, const char *id, const char *what,
    struct json_object *scope, const char *why)
{
	return buf_printf(b, "<p class=\"chart-empty\" id=\"%s-empty\">", id)
	    == -1 || html_escape(b, what, strlen(what)) == -1 ||
	    buf_putc(b, ' ') == -1 || html_escape(b, dash_scope_between(scope),
	    strlen(dash_scope_between(scope))) == -1 ||
	    buf_puts(b, ": ") == -1 || html_escape(b, why, strlen(why)) == -1 ||
	    buf_puts(b, "</p>\n") == -1 ? -1 : 0;
}

static int
chart_hist(struct json_object *summary, struct json_object *scope,
    struct buf *b)
{
	struct json_object	*a = get(summary, "distribution");
	const char		*labels[6];
	double			 v[6], sum = 0;
	size_t			 i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n && i < 6; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		labels[i] = json_object_get_string(get(e, "bucket"));
		v[i] = (double)json_object_get_int64(get(e, "count"));
		sum += v[i];
	}
	if (sum == 0)
		return chart_empty(b, "hist", "No answered casts", scope,
		    "no reply times to draw.");
	if (svg_bars(b, "hist", "Reply times", labels, v, i, "replies") == -1)
		return -1;
	return svg_table(b, "Reply times as a table", "Reply time", "Replies",
	    labels, v, i, 0, NULL);
}

/* "2025-01-06" as "6 Jan": short enough for the axis of a phone. */
static void
chart_day_label(char *s, size_t sz, const char *iso)
{
	struct when_day	 d;
	char		 w[48];

	if (iso == NULL || when_parse(iso, &d) == -1 ||
	    when_range(w, sizeof(w), &d, &d) == -1) {
		snprintf(s, sz, "%s", iso != NULL ? iso : "");
		return;
	}
	/* Drop the year: the caption says the window. */
	if (strrchr(w, ' ') != NULL)
		*strrchr(w, ' ') = '\0';
	if ((size_t)snprintf(s, sz, "%.15s", w) >= sz)
		s[0] = '\0';
}

static int
chart_trend(struct json_object *trend, struct json_object *scope,
    struct buf *b)
{
	struct json_object	*a = get(trend, "points");
	char			 lab[120][16];
	const char		*labels[120], *full[120];
	double			 y[120];
	size_t			 i, n = a ? json_object_array_length(a) : 0;
	int			 any = 0;

	for (i = 0; i < n && i < 120; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct json_object *m = get(e, "median_seconds");

		full[i] = json_object_get_string(get(e, "start"));
		chart_day_label(lab[i], sizeof(lab[i]), full[i]);
		labels[i] = lab[i];
		y[i] = m == NULL ? NAN : json_object_get_double(m);
		any |= m != NULL;
	}
	if (!any)
		return chart_empty(b, "trend", "No answered casts", scope,
		    "no weekly median to draw.");
	if (svg_line(b, "trend", "Median reply time per week", labels, y, i,
	    1) == -1)
		return -1;
	return svg_table(b, "Median per week as a table", "Week starting",
	    "Median reply time", full, y, i, 1, NULL);
}

static int
chart_heat(struct json_object *heat, struct json_object *scope,
    struct buf *b)
{
	struct json_object	*a = get(heat, "cells");
	double			 cells[7][24], sum = 0;
	size_t			 i, n = a ? json_object_array_length(a) : 0;
	int			 d, h;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			cells[d][h] = 0;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		d = (int)json_object_get_int(get(e, "weekday")) - 1;
		h = (int)json_object_get_int(get(e, "hour"));
		if (d >= 0 && d < 7 && h >= 0 && h < 24) {
			cells[d][h] = (double)json_object_get_int64(get(e,
			    "inbound"));
			sum += cells[d][h];
		}
	}
	if (sum == 0)
		return chart_empty(b, "heat", "Nobody wrote to you", scope,
		    "no hours to shade.");
	if (svg_heatmap(b, "heat", "Inbound casts by weekday and hour",
	    (const double (*)[24])cells, "casts") == -1 ||
	    svg_heat_legend(b, "Colour scale: inbound casts in one hour of "
	    "the week", (const double (*)[24])cells) == -1)
		return -1;
	return svg_heat_table(b, "Inbound casts by weekday and hour as a table",
	    (const double (*)[24])cells);
}

/* "0", "5 min", "4 h", "7 d": the labels of the survival grid. */
static void
chart_km_label(char *s, size_t sz, int64_t sec)
{
	if (sec == 0)
		snprintf(s, sz, "0");
	else if (sec % 86400 == 0)
		snprintf(s, sz, "%lld d", (long long)(sec / 86400));
	else if (sec % 3600 == 0)
		snprintf(s, sz, "%lld h", (long long)(sec / 3600));
	else
		snprintf(s, sz, "%lld min", (long long)(sec / 60));
}

/* The Kaplan-Meier curve of the summary: share still open, in %. */
static int
chart_km(struct json_object *summary, struct json_object *scope,
    struct buf *b)
{
	struct json_object	*a = get(get(summary, "time_to_answer"), "survival");
	char			 lab[16][32];
	const char		*labels[16];
	double			 y[16];
	size_t			 i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n && i < 16; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		chart_km_label(lab[i], sizeof(lab[i]),
		    json_object_get_int64(get(e, "seconds")));
		labels[i] = lab[i];
		y[i] = 100 * json_object_get_double(get(e, "open_share"));
	}
	if (i == 0 || json_object_get_int64(get(summary, "inbound")) == 0)
		return chart_empty(b, "km", "No casts to answer", scope,
		    "no curve to draw.");
	if (svg_steps(b, "km", "Share of casts still unanswered after a "
	    "given time, the open ones counted", labels, y, i, "%") == -1)
		return -1;
	return svg_table(b, "Share still unanswered as a table", "After",
	    "Still unanswered", labels, y, i, 0, "%");
}

/*
 * The figures and charts of an overview, computed, or taken from this
 * process's view cache; v then holds references of its own.  The
 * figures: the kinds below, the summary of the window of the same length
 * just before, and the scope (scope.h).
 */
enum dash_view { DASH_VIEW_ERR, DASH_VIEW_HIT, DASH_VIEW_BUILT };
enum { DASH_FIG_PREV = 5, DASH_FIG_SCOPE = 6 };

static int
dash_overview_build(struct req *rq, struct dash_figs *fs,
    const struct eng_q *q, struct vc_view *v)
{
	static const enum fig_kind kinds[DASH_FIG_PREV] = {
		FIG_SUMMARY, FIG_TREND, FIG_HEATMAP, FIG_STREAK, FIG_SPEED
	};
	struct eng_q		 pq = *q;
	size_t			 i;

	for (i = 0; i < DASH_FIG_PREV; i++)
		if ((v->fig[i] = dash_fig(rq, fs, kinds[i], q, 0)) == NULL)
			return -1;
	pq.to = q->from;
	pq.from = q->from - (q->to - q->from);
	if ((v->fig[DASH_FIG_PREV] = dash_fig(rq, fs, FIG_SUMMARY, &pq, 0)) ==
	    NULL || (v->fig[DASH_FIG_SCOPE] = dash_scope(rq->srv->db,
	    v->fig[0], v->fig[DASH_FIG_PREV])) == NULL)
		return -1;
	if (chart_hist(v->fig[0], v->fig[DASH_FIG_SCOPE], &v->svg[0]) == -1 ||
	    chart_trend(v->fig[1], v->fig[DASH_FIG_SCOPE], &v->svg[1]) == -1 ||
	    chart_heat(v->fig[2], v->fig[DASH_FIG_SCOPE], &v->svg[2]) == -1 ||
	    chart_km(v->fig[0], v->fig[DASH_FIG_SCOPE], &v->svg[3]) == -1)
		return -1;
	return 0;
}

static enum dash_view
dash_overview_view(struct req *rq, const struct eng_q *q, struct vc_key *k,
    struct vc_view *v)
{
	const struct vc_view	*c;
	struct dash_figs	 fs;
	size_t			 i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < VC_SVGS; i++)
		buf_init(&v->svg[i], 0);
	dash_figs_begin(rq, &fs, q->fid);
	k->fid = q->fid;
	k->version = fs.version;
	k->from = q->from;
	k->to = q->to;
	if ((c = vc_get(k)) != NULL) {
		resp_header(rq->resp, "X-Cache", "hit");
		for (i = 0; i < VC_FIGS; i++)
			v->fig[i] = json_object_get(c->fig[i]);
		for (i = 0; i < VC_SVGS; i++)
			if (buf_put(&v->svg[i], c->svg[i].ptr,
			    c->svg[i].len) == -1)
				return DASH_VIEW_ERR;
		fs.why = c->why;
		dash_figs_end(rq, &fs);
		return DASH_VIEW_HIT;
	}
	if (dash_overview_build(rq, &fs, q, v) == -1)
		return DASH_VIEW_ERR;
	dash_figs_end(rq, &fs);
	v->why = fs.why;
	resp_header(rq->resp, "X-Cache", fs.version != 0 ? "miss" : "bypass");
	return DASH_VIEW_BUILT;
}

/*
 * Where the user's backfill stands (reply/job.h), for the banner above the
 * figures: nothing once it is done (or when none was ever queued), which
 * the process then keeps a few seconds (stcache.h).  A failure to read it
 * costs the banner, not the page.
 */
static void
dash_import(struct req *rq, int64_t fid, struct json_object *d)
{
	struct job_view		 v;
	struct json_object	*o;
	const char		*what;
	long long		 now = clock_mono_ms() / 1000;

	if ((o = stc_get(fid, STC_NO_IMPORT, now, STC_IMPORT_S)) != NULL) {
		json_object_put(o);
		return;
	}
	if (job_view(rq->srv->db, fid, &v) == -1)
		return;
	if (v.state == JOB_NONE || v.state == JOB_DONE) {
		if ((o = json_object_new_boolean(1)) != NULL) {
			stc_put(fid, STC_NO_IMPORT, o, now);
			json_object_put(o);
		}
		return;
	}
	if (v.state == JOB_FAILED)
		what = "failed";
	else if (rq->srv->cfg.hub_url[0] == '\0')
		what = "no_hub";
	else if (v.state == JOB_QUEUED && v.last_error[0] != '\0')
		what = "retrying";
	else
		what = "running";
	o = json_object_new_object();
	json_object_object_add(o, what, json_object_new_boolean(1));
	json_object_object_add(o, "fid", json_object_new_int64(fid));
	json_object_object_add(o, "casts", json_object_new_int64(v.casts));
	json_object_object_add(o, "age_s", json_object_new_int64(v.age_s));
	json_object_object_add(o, "retry_in_s", json_object_new_int64(
	    v.retry_in_s > 0 ? v.retry_in_s : 0));
	json_object_object_add(o, "attempts", json_object_new_int(v.attempts));
	json_object_object_add(o, "max_attempts",
	    json_object_new_int64(rq->srv->cfg.job_max_attempts));
	json_object_object_add(o, "last_error",
	    json_object_new_string(v.last_error));
	json_object_object_add(d, "import", o);
}

/*
 * Where the user stands (reply/standing.h) over the page's window when it
 * is 7, 30 or 90 days, else 30.  Outside the view cache: it moves with
 * other users' data, at each refresh of the standing table; the process
 * keeps it a short while (stcache.h).  A failure costs the section.
 */
static void
dash_standing(struct req *rq, const struct eng_q *q, struct json_object *d)
{
	struct json_object	*o, *why;
	long long		 now = clock_mono_ms() / 1000;
	int			 days = (int)((q->to - q->from) / 86400);

	if (!standing_window_ok(days))
		days = 30;
	if ((o = stc_get(q->fid, days, now, STC_STANDING_S)) == NULL) {
		if ((o = standing_json(rq->srv->db_read, q->fid, days,
		    rq->srv->cfg.standing_min_group)) == NULL)
			return;
		/* The template says why it is hidden by a section per reason. */
		if ((why = json_object_object_get(o, "reason")) != NULL)
			json_object_object_add(o, json_object_get_string(why),
			    json_object_new_boolean(1));
		stc_put(q->fid, days, o, now);
	}
	json_object_object_add(d, "standing", o);
}

int
dash_overview(struct req *rq)
{
	struct dash_page	 p;
	struct authn		 who;
	struct eng_q		 q;
	struct json_object	*d, *s;
	struct param_val	 v[WIN__MAX];
	struct vc_view		 vw;
	struct vc_key		 k;
	enum dash_view		 src;
	enum step		 st;
	int			 rc = -1;
	size_t			 i;

	who = rq->who;
	if ((st = dash_params(rq, &rq->query, spec_overview, WIN__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	d = json_object_new_object();
	q.fid = who.fid;
	if ((st = dash_window(rq, v, &q, d)) != STEP_GO) {
		json_object_put(d);
		return step_end(st);
	}
	if ((src = dash_overview_view(rq, &q, &k, &vw)) == DASH_VIEW_ERR)
		goto out;
	s = vw.fig[0];
	p.name = "overview";
	p.title = "Overview";
	p.nav = "overview";
	json_object_object_add(d, "empty", json_object_new_boolean(
	    json_object_get_int64(get(s, "inbound")) == 0 &&
	    json_object_get_int64(get(s, "unreplied_now")) == 0));
	json_object_object_add(d, "summary", json_object_get(s));
	json_object_object_add(d, "scope",
	    json_object_get(vw.fig[DASH_FIG_SCOPE]));
	json_object_object_add(d, "streak", json_object_get(vw.fig[3]));
	json_object_object_add(d, "speed", json_object_get(vw.fig[4]));
	dash_standing(rq, &q, d);
	/* Not part of the cached view: it changes with every page imported. */
	dash_import(rq, who.fid, d);
	p.data = d;
	d = NULL;
	for (i = 0; i < VC_SVGS; i++)
		if (dash_svg(&p, dash_charts[i], &vw.svg[i]) == -1)
			goto out;
	rc = dash_render(rq, &who, &p, 200);
	if (rc == 0 && src == DASH_VIEW_BUILT)
		vc_put(&k, &vw);
out:
	json_object_put(d);
	json_object_put(p.data);
	vc_view_free(&vw);
	return rc;
}

static const char *const dash_shows[] = {
	"inbox", "done", "snoozed", "acknowledged", NULL
};
/* eng_unreplied's show for each of dash_shows. */
static const int dash_show_eng[] = { 0, 1, 2, 4 };
static const char *const dash_kinds[] = { "reply", "mention", NULL };
static const char *const dash_ages[] = { "1h", "4h", "24h", NULL };
/* In enum eng_order's order. */
static const char *const dash_orders[] = { "priority", "oldest", NULL };
/* In eng_people's order of sorts; the columns of the people table. */
static const char *const dash_sorts[] = {
	"inbound", "answered", "reply_rate", "median", "name", NULL
};
static const char *const dash_sort_labels[] = {
	"Inbound", "Answered", "Reply rate", "Median reply", "Person"
};
/* Each column's first direction: most, fastest, A to Z. */
static const int dash_sort_desc[] = { 1, 1, 1, 0, 0 };
static const char *const dash_dirs[] = { "asc", "desc", NULL };

static const struct param_spec spec_inbox[INBOX__MAX] = {
	[INBOX_AFTER] = { "after", PARAM_STR, 0, CURSOR_PRIO_SIZE, NULL, 0, 0 },
	[INBOX_KIND] = { "kind", PARAM_ENUM, 0, 0, dash_kinds, 0, 0 },
	/* Kept for links made before the hours field: 1h, 4h, 24h. */
	[INBOX_AGE] = { "age", PARAM_ENUM, 0, 0, dash_ages, 0, 0 },
	[INBOX_HOURS] = { "hours", PARAM_INT, 0, 87840, NULL, 0, 0 },
	[INBOX_SHOW] = { "show", PARAM_ENUM, 0, 0, dash_shows, 0, 0 },
	[INBOX_SORT] = { "sort", PARAM_ENUM, 0, 0, dash_orders, 0, 0 },
};
static const struct param_spec spec_people[PEOPLE__MAX] = {
	WINDOW_SPECS,
	[PEOPLE_SORT] = { "sort", PARAM_ENUM, 0, 0, dash_sorts, 0, 0 },
	[PEOPLE_DIR] = { "dir", PARAM_ENUM, 0, 0, dash_dirs, 0, 0 },
	[PEOPLE_Q] = { "q", PARAM_STR, 0, ENG_PEOPLE_SEARCH_MAX, NULL, 0, 0 },
	[PEOPLE_AFTER] = { "after", PARAM_STR, 0, CURSOR_KEY_SIZE, NULL, 0, 0 },
};
#define DASH_PEOPLE_PAGE	50

/* An optional choice: 0 when left out, else 1 + its index. */
static int
dash_choice(const struct param_val *v)
{
	return v->present ? (int)v->i + 1 : 0;
}

/* Names, a link to the conversation, and what the forms need, per item. */
static void
dash_inbox_items(struct json_object *items)
{
	size_t	 i, n = json_object_array_length(items);
	char	 link[128];

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i);
		const char *dn = json_object_get_string(get(e, "display_name"));
		const char *un = json_object_get_string(get(e, "username"));
		char who[160];

		if (dn != NULL && *dn != '\0')
			snprintf(who, sizeof(who), "%s", dn);
		else if (un != NULL && *un != '\0')
			snprintf(who, sizeof(who), "@%s", un);
		else
			snprintf(who, sizeof(who), "fid %" PRId64,
			    json_object_get_int64(get(e, "author_fid")));
		json_object_object_add(e, "who", json_object_new_string(who));
		if (dn != NULL && *dn != '\0' && un != NULL && *un != '\0')
			json_object_object_add(e, "handle",
			    json_object_new_string(un));
		snprintf(link, sizeof(link),
		    "https://farcaster.xyz/~/conversations/%s",
		    json_object_get_string(get(e, "hash")));
		json_object_object_add(e, "link", json_object_new_string(link));
	}
}

/* What a channel row shows as its name: the channel, else its URL. */
static void
dash_channel_items(struct json_object *items)
{
	size_t	 i, n = json_object_array_length(items);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i);
		const char *nm = json_object_get_string(get(e, "name"));
		const char *url = json_object_get_string(get(e, "parent_url"));
		const char *gs = json_object_get_string(get(e, "goal_source"));

		json_object_object_add(e, "label", json_object_new_string(
		    nm != NULL ? nm : url != NULL ? url : "No channel"));
		json_object_object_add(e, "own_goal", json_object_new_boolean(
		    gs != NULL && strcmp(gs, "channel") == 0));
	}
}

/*
 * Two letters for the avatar when no picture is cached: the first letters
 * of the first two words of the name (one when it has one word), each a
 * whole UTF-8 character, upper-cased when ASCII.
 */
static void
dash_initials(const char *who, char *out, size_t outsz)
{
	const unsigned char	*p = (const unsigned char *)who;
	size_t			 o = 0, n;
	int			 words = 0, start = 1;

	for (; *p != '\0' && words < 2; p++) {
		if (*p == ' ' || *p == '@') {
			start = 1;
			continue;
		}
		if (!start || (*p & 0xc0) == 0x80)
			continue;
		start = 0;
		n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (strnlen((const char *)p, n) < n || o + n >= outsz)
			break;
		memcpy(out + o, p, n);
		if (n == 1 && *p >= 'a' && *p <= 'z')
			out[o] = (char)(*p - 'a' + 'A');
		o += n;
		words++;
	}
	out[o] = '\0';
}

/* Name, @username, initials and a profile link per row. */
static void
dash_people_items(struct json_object *items)
{
	size_t	 i, n = json_object_array_length(items);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i);
		const char *dn = json_object_get_string(get(e, "display_name"));
		const char *un = json_object_get_string(get(e, "username"));
		char who[160], link[160], ini[16];

		snprintf(who, sizeof(who), "%s", dn && *dn ? dn :
		    un && *un ? un : "");
		if (who[0] == '\0')
			snprintf(who, sizeof(who), "fid %" PRId64,
			    json_object_get_int64(get(e, "fid")));
		dash_initials(who, ini, sizeof(ini));
		json_object_object_add(e, "who", json_object_new_string(who));
		json_object_object_add(e, "initial", json_object_new_string(ini));
		json_object_object_add(e, "has_handle", json_object_new_boolean(
		    un != NULL && *un != '\0' && dn != NULL && *dn != '\0'));
		if (get(e, "avatar_cached_at") != NULL) {
			snprintf(link, sizeof(link), "/avatar/%" PRId64 "?v=%" PRId64,
			    json_object_get_int64(get(e, "fid")),
			    json_object_get_int64(get(e, "avatar_cached_at")));
			json_object_object_add(e, "avatar",
			    json_object_new_string(link));
		}
		if (un != NULL && *un != '\0') {
			snprintf(link, sizeof(link), "https://farcaster.xyz/%s", un);
			json_object_object_add(e, "link",
			    json_object_new_string(link));
		}
	}
}

/*
 * The part of a people link that keeps the page's window and search,
 * "&range=7&q=..." (URL-encoded; HTML escaping is the template's).
 */
static int
dash_people_keep(const struct param_val *v, struct buf *b)
{
	if (v[WIN_FROM].present && v[WIN_TO].present &&
	    buf_printf(b, "&from=%s&to=%s", v[WIN_FROM].s, v[WIN_TO].s) == -1)
		return -1;
	if (!v[WIN_FROM].present && v[WIN_RANGE].present &&
	    buf_printf(b, "&range=%s", dash_ranges[v[WIN_RANGE].i]) == -1)
		return -1;
	if (v[PEOPLE_Q].present && *v[PEOPLE_Q].s != '\0' &&
	    (buf_puts(b, "&q=") == -1 || buf_urlenc(b, v[PEOPLE_Q].s) == -1))
		return -1;
	return 0;
}

/*
 * The column headers: a link per column that sorts on it (the active one
 * turns its direction round) and keeps window and search; aria-sort on
 * the active one.  Also "keep", "sort" and "dir" for the page's links.
 */
static int
dash_people_cols(struct json_object *d, const struct param_val *v, int sort,
    int desc)
{
	/* The table's columns: the person first. */
	static const int	 order[] = { ENG_PEOPLE_NAME, 0, 1, 2, 3 };
	struct json_object	*cols, *c;
	struct buf		 keep, href;
	size_t			 k;
	int			 i, rc = -1, dsc;

	buf_init(&keep, 0);
	buf_init(&href, 0);
	if (dash_people_keep(v, &keep) == -1)
		goto out;
	cols = json_object_new_array();
	json_object_object_add(d, "cols", cols);
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		i = order[k];
		dsc = i == sort ? !desc : dash_sort_desc[i];
		buf_reset(&href);
		if (buf_printf(&href, "/people?sort=%s&dir=%s%s", dash_sorts[i],
		    dsc ? "desc" : "asc", buf_cstr(&keep)) == -1)
			goto out;
		c = json_object_new_object();
		json_object_object_add(c, "label",
		    json_object_new_string(dash_sort_labels[i]));
		json_object_object_add(c, "href",
		    json_object_new_string(buf_cstr(&href)));

		if (i == sort)
			json_object_object_add(c, "aria", json_object_new_string(
			    desc ? "descending" : "ascending"));
		json_object_array_add(cols, c);
	}
	json_object_object_add(d, "keep", json_object_new_string(
	    buf_cstr(&keep)));
	json_object_object_add(d, "sort", json_object_new_string(
	    dash_sorts[sort]));
	json_object_object_add(d, "dir", json_object_new_string(
	    desc ? "desc" : "asc"));
	rc = 0;
out:
	buf_free(&keep);
	buf_free(&href);
	return rc;
}

/*
 * The owed-replies query of the inbox's parameters; after_hash points
 * into cp.  -1 when the after position is not one this inbox gave out.
 */
static int
dash_inbox_query(const struct param_val *v, int64_t fid,
    struct eng_owed_q *q, struct cursor_prio *cp)
{
	static const int64_t age_h[] = { 0, 1, 4, 24 };

	memset(q, 0, sizeof(*q));
	q->fid = fid;
	q->kind = dash_choice(&v[INBOX_KIND]);
	q->min_age = 3600 * (v[INBOX_HOURS].present ? v[INBOX_HOURS].i :
	    age_h[dash_choice(&v[INBOX_AGE])]);
	q->show = dash_show_eng[v[INBOX_SHOW].present ? v[INBOX_SHOW].i : 0];
	q->order = v[INBOX_SORT].present ? (enum eng_order)v[INBOX_SORT].i :
	    ENG_ORDER_PRIORITY;
	q->limit = 50;
	q->now = (int64_t)time(NULL);
	if (!v[INBOX_AFTER].present)
		return 0;
	return eng_owed_after(q, v[INBOX_AFTER].s, cp);
}

/* The filter form's state: the choices made, for the template. */
static void
dash_inbox_form(struct json_object *d, const struct eng_owed_q *q)
{
	json_object_object_add(d, "kind", json_object_new_string(
	    q->kind ? dash_kinds[q->kind - 1] : ""));
	json_object_object_add(d, "hours", json_object_new_int64(
	    q->min_age / 3600));
	json_object_object_add(d, "has_hours", json_object_new_boolean(
	    q->min_age > 0));
	json_object_object_add(d, "show", json_object_new_string(
	    dash_shows[q->show == 4 ? 3 : q->show]));
	json_object_object_add(d, "order", json_object_new_string(
	    dash_orders[q->order]));
	json_object_object_add(d, q->show == 0 ? "show_inbox" : q->show == 1 ?
	    "show_done" : q->show == 2 ? "show_snoozed" : "show_acknowledged",
	    json_object_new_boolean(1));
	json_object_object_add(d, q->kind == 1 ? "k_reply" : q->kind == 2 ?
	    "k_mention" : "k_all", json_object_new_boolean(1));
	json_object_object_add(d, q->order == ENG_ORDER_PRIORITY ?
	    "o_priority" : "o_oldest", json_object_new_boolean(1));
}

/*
 * The view switch: a link per view with its count under the page's
 * filters (kind, hours), which the links keep; aria-current on the view
 * shown.
 */
static int
dash_inbox_views(struct req *rq, const struct eng_owed_q *q,
    struct json_object *d)
{
	static const char *const labels[ENG_OWED_VIEWS] = {
		"Waiting", "Done", "Snoozed", "Acknowledged (liked)"
	};
	struct json_object	*a, *e;
	int64_t			 n[ENG_OWED_VIEWS];
	char			 href[160], hours[32];
	int			 i;

	if (eng_owed_counts(rq->srv->db_read, q, n) == -1)
		return -1;
	hours[0] = '\0';
	if (q->min_age > 0)
		snprintf(hours, sizeof(hours), "&hours=%" PRId64,
		    q->min_age / 3600);
	a = json_object_new_array();
	json_object_object_add(d, "views", a);
	for (i = 0; i < ENG_OWED_VIEWS; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "label",
		    json_object_new_string(labels[i]));
		json_object_object_add(e, "view",
		    json_object_new_string(dash_shows[i]));
		json_object_object_add(e, "count", json_object_new_int64(n[i]));
		snprintf(href, sizeof(href), "/inbox?show=%s&sort=%s%s%s%s",
		    dash_shows[i], dash_orders[q->order], q->kind ? "&kind=" :
		    "", q->kind ? dash_kinds[q->kind - 1] : "", hours);
		json_object_object_add(e, "href", json_object_new_string(href));
		json_object_object_add(e, "current", json_object_new_boolean(
		    dash_show_eng[i] == q->show));
		json_object_array_add(a, e);
	}
	return 0;
}

int
dash_inbox(struct req *rq)
{
	struct dash_page	 p;
	struct authn		 who;
	struct json_object	*d, *next;
	struct param_val	 v[INBOX__MAX];
	struct eng_owed_q	 q;
	struct cursor_prio	 cp;
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, &rq->query, spec_inbox, INBOX__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	if (dash_inbox_query(v, who.fid, &q, &cp) == -1)
		return dash_error(rq, PROB_INVALID_PARAM, "after: not a "
		    "position this inbox gave out for this order");
	if ((d = eng_unreplied(rq->srv->db_read, &q)) == NULL)
		return -1;
	dash_inbox_items(get(d, "items"));
	json_object_object_add(d, "has_items", json_object_new_boolean(
	    json_object_array_length(get(d, "items")) > 0));
	if ((next = get(d, "next_cursor")) != NULL)
		json_object_object_add(d, "next", json_object_get(next));
	dash_inbox_form(d, &q);
	if (dash_inbox_views(rq, &q, d) == -1) {
		json_object_put(d);
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.name = "inbox";
	p.title = "Inbox";
	p.nav = "inbox";
	p.data = d;
	return dash_render(rq, &who, &p, 200);
}

/*
 * The people list's query: sort, direction (each column's first one when
 * left out) and the keyset position, which must be of that order.
 */
static int
dash_people_query(const struct param_val *v, struct eng_people_q *pq,
    struct cursor_key *after)
{
	memset(pq, 0, sizeof(*pq));
	pq->sort = v[PEOPLE_SORT].present ? (int)v[PEOPLE_SORT].i : 0;
	pq->desc = v[PEOPLE_DIR].present ? v[PEOPLE_DIR].i == 1 :
	    dash_sort_desc[pq->sort];
	pq->search = v[PEOPLE_Q].present ? v[PEOPLE_Q].s : NULL;
	/* "@name" finds name: people type the handle as they see it. */
	if (pq->search != NULL && pq->search[0] == '@')
		pq->search++;
	pq->limit = DASH_PEOPLE_PAGE;
	if (!v[PEOPLE_AFTER].present)
		return 0;
	if (cursor_key_parse(v[PEOPLE_AFTER].s, after) == -1 ||
	    after->sort != pq->sort || after->desc != pq->desc ||
	    (after->kind == CURSOR_KEY_TEXT) != (pq->sort == ENG_PEOPLE_NAME))
		return -1;
	pq->after = after;
	return 0;
}

/* The channels of the window, for the table below the people. */
static int
dash_people_channels(struct req *rq, const struct eng_q *q,
    struct json_object *d)
{
	struct json_object	*ch;
	struct dash_figs	 fs;

	dash_figs_begin(rq, &fs, q->fid);
	if ((ch = dash_fig(rq, &fs, FIG_CHANNELS, q, 0)) == NULL)
		return -1;
	/* The people list is read from PostgreSQL: search and keyset. */
	if (fs.why == FACTS_OK)
		fs.why = FACTS_UNSUPPORTED;
	dash_figs_end(rq, &fs);
	dash_channel_items(get(ch, "channels"));
	json_object_object_add(d, "channels",
	    json_object_get(get(ch, "channels")));
	json_object_object_add(d, "has_channels", json_object_new_boolean(
	    json_object_array_length(get(ch, "channels")) > 0));
	json_object_put(ch);
	return 0;
}

int
dash_people(struct req *rq)
{
	struct dash_page	 p;
	struct authn		 who;
	struct eng_q		 q;
	struct eng_people_q	 pq;
	struct cursor_key	 after;
	struct json_object	*d, *w, *next;
	struct param_val	 v[PEOPLE__MAX];
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, &rq->query, spec_people, PEOPLE__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	if (dash_people_query(v, &pq, &after) == -1)
		return dash_error(rq, PROB_INVALID_PARAM, "after: not a "
		    "position this list gave out for this order");
	memset(&q, 0, sizeof(q));
	q.fid = who.fid;
	w = json_object_new_object();
	if ((st = dash_window(rq, v, &q, w)) != STEP_GO) {
		json_object_put(w);
		return step_end(st);
	}
	if ((d = eng_people(rq->srv->db_read, &q, &pq)) == NULL) {
		json_object_put(w);
		return -1;
	}
	json_object_object_add(d, "window", w);
	if (dash_people_channels(rq, &q, d) == -1 ||
	    dash_people_cols(d, v, pq.sort, pq.desc) == -1) {
		json_object_put(d);
		return -1;
	}
	dash_people_items(get(d, "counterparts"));
	json_object_object_add(d, "has_rows", json_object_new_boolean(
	    json_object_array_length(get(d, "counterparts")) > 0));
	if ((next = get(d, "next_cursor")) != NULL)
		json_object_object_add(d, "next", json_object_get(next));
	json_object_object_add(d, "q", json_object_new_string(
	    v[PEOPLE_Q].present ? v[PEOPLE_Q].s : ""));
	json_object_object_add(d, "searched", json_object_new_boolean(
	    pq.search != NULL && *pq.search != '\0'));
	json_object_object_add(d, "paged", json_object_new_boolean(
	    pq.after != NULL));
	memset(&p, 0, sizeof(p));
	p.name = "people";
	p.title = "People";
	p.nav = "people";
	p.data = d;
	return dash_render(rq, &who, &p, 200);
}

/* The version of a picture (?v=, from its link): any, for the cache. */
enum avatar_key { AV_V, AV__MAX };
static const struct param_spec spec_avatar[AV__MAX] = {
	[AV_V] = { "v", PARAM_INT, 0, INT64_C(1) << 53, NULL, 0, 0 },
};

/*
 * A picture the worker cached, with the type its bytes showed; links
 * carry its fetch time (?v=), so a browser may keep it a day.  Profile
 * pictures are public: any signed-in user may have any.
 */
int
dash_avatar(struct req *rq)
{
	struct param_val	 v[AV__MAX];
	struct buf		 body;
	char			 ctype[32];
	uint64_t		 fid;
	enum step		 st;
	int			 r;

	if ((st = dash_params(rq, &rq->query, spec_avatar, AV__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	if (valid_id(req_capture(rq, "fid"), UINT64_C(1) << 53, &fid) == -1)
		return dash_error(rq, PROB_NOT_FOUND, "no such picture");
	buf_init(&body, 0);
	if ((r = avatar_get(rq->srv->db, (int64_t)fid, &body, ctype,
	    sizeof(ctype))) != 1) {
		buf_free(&body);
		return r == 0 ? dash_error(rq, PROB_NOT_FOUND, "no picture is "
		    "cached for this fid") : -1;
	}
	buf_reset(&rq->resp->body);
	r = resp_ctype(rq->resp, ctype) == -1 ||
	    resp_header(rq->resp, "Cache-Control", "private, max-age=86400") ==
	    -1 || buf_put(&rq->resp->body, body.ptr, body.len) == -1 ? -1 : 0;
	rq->resp->status = 200;
	buf_free(&body);
	return r;
}
