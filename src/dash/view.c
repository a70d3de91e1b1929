#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/buf.h"
#include "core/cursor.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"
#include "dash.h"
#include "svg.h"

static struct json_object *
get(struct json_object *o, const char *k)
{
	struct json_object	*v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

/* The window of the overview: ?range=7|30|90 or ?from=&to= (YYYY-MM-DD). */
static int
dash_window(struct req *rq, struct eng_q *q, struct json_object *d)
{
	const char	*r = req_query(rq, "range"), *f = req_query(rq, "from"),
			*t = req_query(rq, "to");
	char		 iso[40];
	int64_t		 now = (int64_t)time(NULL) / 60 * 60, days = 30;

	q->to = now;
	if (f != NULL && t != NULL && *f != '\0' && *t != '\0') {
		snprintf(iso, sizeof(iso), "%.10sT00:00:00Z", f);
		if (strlen(f) != 10 || valid_iso_time(iso, &q->from) == -1)
			return -1;
		snprintf(iso, sizeof(iso), "%.10sT00:00:00Z", t);
		if (strlen(t) != 10 || valid_iso_time(iso, &q->to) == -1)
			return -1;
		q->to += 86400;		/* the "to" day is included */
		if (q->from >= q->to)
			return -1;
		json_object_object_add(d, "custom", json_object_new_boolean(1));
		json_object_object_add(d, "from_day", json_object_new_string(f));
		json_object_object_add(d, "to_day", json_object_new_string(t));
	} else {
		if (r != NULL && strcmp(r, "7") == 0)
			days = 7;
		else if (r != NULL && strcmp(r, "90") == 0)
			days = 90;
		else if (r != NULL && strcmp(r, "30") != 0)
			return -1;
		q->from = q->to - days * 86400;
	}
	json_object_object_add(d, days == 7 ? "r7" : days == 90 ? "r90" : "r30",
	    json_object_new_boolean(f == NULL || *f == '\0'));
	return 0;
}

static int
chart_hist(struct dash_page *p, struct json_object *summary, struct buf *b)
{
	struct json_object	*a = get(summary, "distribution");
	const char		*labels[6];
	double			 v[6];
	size_t			 i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n && i < 6; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		labels[i] = json_object_get_string(get(e, "bucket"));
		v[i] = (double)json_object_get_int64(get(e, "count"));
	}
	if (svg_bars(b, "hist", "Reply times", labels, v, i, "replies") == -1)
		return -1;
	return dash_svg(p, "hist", b);
}

static int
chart_trend(struct dash_page *p, struct json_object *trend, struct buf *b)
{
	struct json_object	*a = get(trend, "points");
	const char		*labels[120];
	double			 y[120];
	size_t			 i, n = a ? json_object_array_length(a) : 0;

	for (i = 0; i < n && i < 120; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct json_object *m = get(e, "median_seconds");

		labels[i] = json_object_get_string(get(e, "start"));
		y[i] = m == NULL ? NAN : json_object_get_double(m);
	}
	if (svg_line(b, "trend", "Median reply time per week", labels, y, i,
	    1) == -1)
		return -1;
	return dash_svg(p, "trend", b);
}

static int
chart_heat(struct dash_page *p, struct json_object *heat, struct buf *b)
{
	struct json_object	*a = get(heat, "cells");
	double			 cells[7][24];
	size_t			 i, n = a ? json_object_array_length(a) : 0;
	int			 d, h;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			cells[d][h] = 0;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		d = (int)json_object_get_int(get(e, "weekday")) - 1;
		h = (int)json_object_get_int(get(e, "hour"));
		if (d >= 0 && d < 7 && h >= 0 && h < 24)
			cells[d][h] = (double)json_object_get_int64(get(e, "inbound"));
	}
	if (svg_heatmap(b, "heat", "Inbound casts by weekday and hour",
	    (const double (*)[24])cells, "casts") == -1)
		return -1;
	return dash_svg(p, "heat", b);
}

int
dash_overview(struct req *rq)
{
	struct dash_page	 p;
	struct authn		 who;
	struct eng_q		 q;
	struct json_object	*d, *s = NULL, *t = NULL, *h = NULL, *k = NULL;
	struct buf		 b[3];
	int			 rc = -1, i;

	who = rq->who;
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	d = json_object_new_object();
	q.fid = who.fid;
	if (dash_window(rq, &q, d) == -1) {
		json_object_put(d);
		return dash_error(rq, PROB_INVALID_PARAM, "the date range is not "
		    "valid: pick 7, 30 or 90 days, or two dates YYYY-MM-DD in order");
	}
	for (i = 0; i < 3; i++)
		buf_init(&b[i], 0);
	rc = -1;
	if ((s = eng_summary(rq->srv->db, &q)) == NULL ||
	    (t = eng_trend(rq->srv->db, &q, ENG_BUCKET_WEEK)) == NULL ||
	    (h = eng_heatmap(rq->srv->db, &q)) == NULL ||
	    (k = eng_streak(rq->srv->db, &q)) == NULL)
		goto out;
	p.name = "overview";
	p.title = "Overview";
	p.nav = "overview";
	json_object_object_add(d, "empty", json_object_new_boolean(
	    json_object_get_int64(get(s, "inbound")) == 0 &&
	    json_object_get_int64(get(s, "unreplied_now")) == 0));
	json_object_object_add(d, "summary", json_object_get(s));
	json_object_object_add(d, "streak", json_object_get(k));
	p.data = d;
	d = NULL;
	if (chart_hist(&p, s, &b[0]) == -1 || chart_trend(&p, t, &b[1]) == -1 ||
	    chart_heat(&p, h, &b[2]) == -1)
		goto out;
	rc = dash_render(rq, &who, &p, 200);
out:
	json_object_put(d);
	json_object_put(p.data);
	json_object_put(s);
	json_object_put(t);
	json_object_put(h);
	json_object_put(k);
	for (i = 0; i < 3; i++)
		buf_free(&b[i]);
	return rc;
}

static const char *const dash_shows[] = { "inbox", "done", "snoozed", NULL };

static int
dash_choice(const char *v, const char *const *choices)
{
	int	 i;

	if (v == NULL || *v == '\0')
		return 0;
	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(v, choices[i]) == 0)
			return i;
	return -1;
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
		snprintf(link, sizeof(link),
		    "https://farcaster.xyz/~/conversations/%s",
		    json_object_get_string(get(e, "hash")));
		json_object_object_add(e, "link", json_object_new_string(link));
	}
}

static void
dash_people_items(struct json_object *items)
{
	size_t	 i, n = json_object_array_length(items);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(items, i);
		const char *dn = json_object_get_string(get(e, "display_name"));
		const char *un = json_object_get_string(get(e, "username"));
		char who[160], link[160];

		snprintf(who, sizeof(who), "%s", dn && *dn ? dn :
		    un && *un ? un : "");
		if (who[0] == '\0')
			snprintf(who, sizeof(who), "fid %" PRId64,
			    json_object_get_int64(get(e, "fid")));
		json_object_object_add(e, "who", json_object_new_string(who));
		json_object_object_add(e, "initial", json_object_new_string_len(
		    who, 1));
		if (un != NULL && *un != '\0') {
			snprintf(link, sizeof(link), "https://farcaster.xyz/%s", un);
			json_object_object_add(e, "link",
			    json_object_new_string(link));
		}
	}
}

int
dash_inbox(struct req *rq)
{
	static const char *const kinds[] = { "", "reply", "mention", NULL };
	static const char *const ages[] = { "", "1h", "4h", "24h", NULL };
	static const int64_t age_s[] = { 0, 3600, 4 * 3600, 86400 };
	struct dash_page	 p;
	struct authn		 who;
	struct json_object	*d, *u;
	int			 kind, age, show;
	const char		*cur = req_query(rq, "after");
	struct cursor		 after = { 0, "" };
	char			 next[CURSOR_SIZE];

	who = rq->who;
	kind = dash_choice(req_query(rq, "kind"), kinds);
	age = dash_choice(req_query(rq, "age"), ages);
	show = dash_choice(req_query(rq, "show"), dash_shows);
	if (cur != NULL && *cur != '\0' && cursor_parse(cur, &after) == -1)
		kind = -1;
	if (kind < 0 || age < 0 || show < 0)
		return dash_error(rq, PROB_INVALID_PARAM, "unknown filter: "
		    "kind is reply or mention, age 1h, 4h or 24h, show inbox, "
		    "done or snoozed");
	if ((u = eng_unreplied(rq->srv->db, who.fid, age_s[age], kind,
	    after.ts, after.hash[0] != '\0' ? after.hash : NULL, 50,
	    show)) == NULL)
		return -1;
	dash_inbox_items(get(u, "items"));
	if (json_object_array_length(get(u, "items")) == 50) {
		struct json_object *last = json_object_array_get_idx(
		    get(u, "items"), 49);

		if (cursor_format(json_object_get_int64(get(last, "time")),
		    json_object_get_string(get(last, "hash")), next,
		    sizeof(next)) == 0)
			json_object_object_add(u, "next",
			    json_object_new_string(next));
	}
	d = u;
	json_object_object_add(d, "kind", json_object_new_string(kinds[kind]));
	json_object_object_add(d, "age", json_object_new_string(ages[age]));
	json_object_object_add(d, "show", json_object_new_string(dash_shows[show]));
	json_object_object_add(d, show == 0 ? "show_inbox" : show == 1 ?
	    "show_done" : "show_snoozed", json_object_new_boolean(1));
	json_object_object_add(d, kind == 1 ? "k_reply" : kind == 2 ? "k_mention" :
	    "k_all", json_object_new_boolean(1));
	json_object_object_add(d, age == 1 ? "a_1h" : age == 2 ? "a_4h" :
	    age == 3 ? "a_24h" : "a_all", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "inbox";
	p.title = "Inbox";
	p.nav = "inbox";
	p.data = d;
	return dash_render(rq, &who, &p, 200);
}

int
dash_people(struct req *rq)
{
	static const char *const sorts[] = {
		"", "answered", "reply_rate", "median", NULL
	};
	struct dash_page	 p;
	struct authn		 who;
	struct eng_q		 q;
	struct json_object	*d, *w;
	int			 sort;

	who = rq->who;
	if ((sort = dash_choice(req_query(rq, "sort"), sorts)) < 0)
		return dash_error(rq, PROB_INVALID_PARAM, "sort by inbound, "
		    "answered, reply_rate or median");
	memset(&q, 0, sizeof(q));
	q.fid = who.fid;
	w = json_object_new_object();
	if (dash_window(rq, &q, w) == -1) {
		json_object_put(w);
		return dash_error(rq, PROB_INVALID_PARAM, "the date range is not "
		    "valid: pick 7, 30 or 90 days, or two dates YYYY-MM-DD in order");
	}
	if ((d = eng_counterparts(rq->srv->db, &q, sort, 100, 0)) == NULL) {
		json_object_put(w);
		return -1;
	}
	json_object_object_add(d, "window", w);
	dash_people_items(get(d, "counterparts"));
	json_object_object_add(d, "has_rows", json_object_new_boolean(
	    json_object_array_length(get(d, "counterparts")) > 0));
	json_object_object_add(d, sort == 0 ? "s_inbound" : sort == 1 ?
	    "s_answered" : sort == 2 ? "s_rate" : "s_median",
	    json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "people";
	p.title = "People";
	p.nav = "people";
	p.data = d;
	return dash_render(rq, &who, &p, 200);
}
