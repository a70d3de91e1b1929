#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "facts_int.h"
#include "km.h"
#include "speed.h"

/*
 * The figures over a loaded entry.  Every object is built key by key in
 * eng.c's order with eng.c's number formatting, so that the JSON is the
 * same; tests/diff/facts_diff.c holds the two against each other.
 */

static const char *const facts_bucket_names[] = {
	"<5m", "5-15m", "15-60m", "1-4h", "4-24h", ">24h",
};
#define FACTS_NBUCKET	(sizeof(facts_bucket_names) / sizeof(*facts_bucket_names))
#define FACTS_NHOW	(7 * 24)

/* The first index whose value is not below key. */
static size_t
facts_lower(const int64_t *a, size_t n, int64_t key)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The rows with from <= ts < to: two binary searches. */
static void
facts_range(const struct facts_ent *e, const struct eng_q *q, size_t *lo,
    size_t *hi)
{
	*lo = facts_lower(e->ts, e->n, q->from);
	*hi = q->to > q->from ? facts_lower(e->ts, e->n, q->to) : *lo;
	if (*hi < *lo)
		*hi = *lo;
}

static int
facts_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
facts_dswap(double *v, size_t i, size_t j)
{
	double	 t = v[i];

	v[i] = v[j];
	v[j] = t;
}

/*
 * Puts the k-th smallest of v[lo..hi) at v[k], smaller ones before it and
 * larger ones after (nth_element).  Quickselect with a median of three;
 * after 2 log2(n) rounds it sorts what is left, so the worst case stays
 * O(n log n) whatever the data.
 */
static void
facts_select(double *v, size_t lo, size_t hi, size_t k)
{
	size_t	 i, j, mid, budget = 2;
	double	 pivot;

	for (i = hi - lo; i > 1; i >>= 1)
		budget += 2;
	while (hi - lo > 3) {
		if (budget-- == 0) {
			qsort(v + lo, hi - lo, sizeof(*v), facts_dcmp);
			return;
		}
		mid = lo + (hi - lo) / 2;
		if (v[mid] < v[lo])
			facts_dswap(v, mid, lo);
		if (v[hi - 1] < v[lo])
			facts_dswap(v, hi - 1, lo);
		if (v[hi - 1] < v[mid])
			facts_dswap(v, hi - 1, mid);
		pivot = v[mid];
		i = lo;
		j = hi - 1;
		/* Hoare: v[lo..j] <= pivot <= v[i..hi) when they cross. */
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			facts_dswap(v, i, j);
			i++;
			j--;
		}
		if (k <= j)
			hi = j + 1;
		else
			lo = j + 1;
	}
	qsort(v + lo, hi - lo, sizeof(*v), facts_dcmp);
}

/*
 * PostgreSQL's percentile_cont for the fraction p of n values: rows floor
 * and ceil of p (n - 1), counted from 0, and lo + (p (n - 1) - floor)
 * (hi - lo).  facts_pct_row gives the first row and raw = p (n - 1).
 */
static size_t
facts_pct_row(double p, size_t n, double *raw)
{
	*raw = p * (double)(n - 1);
	return (size_t)floor(*raw);
}

static double
facts_pct_mix(double raw, size_t first, double lo, double hi)
{
	return raw > (double)first ? lo + (raw - (double)first) * (hi - lo) :
	    lo;
}

/* percentile_cont over v[0..n) (reordered), p[0..np) increasing. */
static void
facts_pcts(double *v, size_t n, const double *p, size_t np, double *out)
{
	size_t	 i, first, base = 0, m;
	double	 raw, hi;

	for (i = 0; i < np; i++) {
		first = facts_pct_row(p[i], n, &raw);
		facts_select(v, base, n, first);
		hi = v[first];
		if (raw > (double)first)
			for (hi = v[first + 1], m = first + 2; m < n; m++)
				if (v[m] < hi)
					hi = v[m];
		out[i] = facts_pct_mix(raw, first, v[first], hi);
		base = first;
	}
}

/* facts_pcts over v[0..n) already sorted ascending. */
static void
facts_pcts_sorted(const double *v, size_t n, const double *p, size_t np,
    double *out)
{
	size_t	 i, first;
	double	 raw;

	for (i = 0; i < np; i++) {
		first = facts_pct_row(p[i], n, &raw);
		out[i] = facts_pct_mix(raw, first, v[first],
		    raw > (double)first ? v[first + 1] : v[first]);
	}
}

/* The median of v[0..n) as a JSON number, or null when n is 0. */
static struct json_object *
facts_median(double *v, size_t n)
{
	static const double	 half = 0.5;
	double			 m;

	if (n == 0)
		return NULL;
	facts_pcts(v, n, &half, 1, &m);
	return eng_json_num(m);
}

static size_t
facts_bucket(int32_t rt)
{
	if (rt < 300)
		return 0;
	if (rt < 900)
		return 1;
	if (rt < 3600)
		return 2;
	if (rt < 14400)
		return 3;
	if (rt < 86400)
		return 4;
	return 5;
}

static struct json_object *
facts_buckets_json(const long long *b)
{
	struct json_object	*a, *c;
	size_t			 i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < FACTS_NBUCKET; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "bucket",
		    json_object_new_string(facts_bucket_names[i]));
		json_object_object_add(c, "count", json_object_new_int64(b[i]));
		json_object_array_add(a, c);
	}
	return a;
}

/*
 * What one pass over a window of n casts gathers for the summary.  For
 * Kaplan-Meier each cast is an event (answered by the evaluation time, at
 * its reply time) or censored (at its age).  Ages fall as times rise, so
 * the censored come out sorted: they are written from the end of cz down.
 */
struct facts_pass {
	long long	 in, ans, within, h1, h24, censored;
	long long	 bucket[FACTS_NBUCKET];
	double		 sum, min, max, wsum;
	double		*rt;		/* the answered reply times */
	double		*work;		/* their working seconds */
	size_t		 nw;
	double		*ev;		/* the events' times */
	size_t		 nev;
	double		*cz;		/* n slots; the censored's at the end */
	double		*tmp;		/* n slots to sort through */
	int64_t		 now;		/* the evaluation time */
};

static void
facts_scan(const struct facts_ent *e, size_t lo, size_t hi,
    struct facts_pass *s)
{
	size_t	 i;
	double	 v;
	int64_t	 age;

	s->in = (long long)(hi - lo);
	for (i = lo; i < hi; i++) {
		/* Open at the evaluation time: censored at its age (eng.c). */
		age = s->now - e->ts[i];
		if (e->rt[i] != FACTS_NONE && e->rt[i] <= age)
			s->ev[s->nev++] = (double)e->rt[i];
		else
			s->cz[hi - lo - 1 - (size_t)s->censored++] =
			    age > 0 ? (double)age : 0.0;
		if (e->rt[i] == FACTS_NONE)
			continue;
		s->h1 += e->rt[i] <= 3600;
		s->h24 += e->rt[i] <= 86400;
		v = (double)e->rt[i];
		s->min = s->ans == 0 || v < s->min ? v : s->min;
		s->max = s->ans == 0 || v > s->max ? v : s->max;
		s->rt[s->ans++] = v;
		s->sum += v;
		s->bucket[facts_bucket(e->rt[i])]++;
		if (e->rt[i] <= e->goal)
			s->within++;
		if (e->wd && !isnan(e->work[i])) {
			s->work[s->nw++] = e->work[i];
			s->wsum += e->work[i];
		}
	}
}

static struct json_object *
facts_reply_times(struct facts_pass *s)
{
	static const double	 p[] = { 0.5, 0.9, 0.95 };
	struct json_object	*t;
	double			 pv[3];

	if ((t = json_object_new_object()) == NULL)
		return NULL;
	if (s->ans > 0)
		facts_pcts_sorted(s->rt, (size_t)s->ans, p, 3, pv);
	json_object_object_add(t, "mean",
	    s->ans ? eng_json_num(s->sum / (double)s->ans) : NULL);
	json_object_object_add(t, "median", s->ans ? eng_json_num(pv[0]) : NULL);
	json_object_object_add(t, "p90", s->ans ? eng_json_num(pv[1]) : NULL);
	json_object_object_add(t, "p95", s->ans ? eng_json_num(pv[2]) : NULL);
	json_object_object_add(t, "min", s->ans ? eng_json_num(s->min) : NULL);
	json_object_object_add(t, "max", s->ans ? eng_json_num(s->max) : NULL);
	return t;
}

static struct json_object *
facts_business(const struct facts_ent *e, struct facts_pass *s)
{
	static const double	 p[] = { 0.5, 0.9 };
	struct json_object	*t;
	double			 pv[2];

	if (e->wd == 0 || (t = json_object_new_object()) == NULL)
		return NULL;
	if (s->nw > 0)
		facts_pcts(s->work, s->nw, p, 2, pv);
	json_object_object_add(t, "mean",
	    s->nw ? eng_json_num(s->wsum / (double)s->nw) : NULL);
	json_object_object_add(t, "median", s->nw ? eng_json_num(pv[0]) : NULL);
	json_object_object_add(t, "p90", s->nw ? eng_json_num(pv[1]) : NULL);
	return t;
}

/*
 * The entry for q, or NULL with *why; the caller then returns NULL.  A
 * window with from after to is empty, as in SQL.
 */
static const struct facts_ent *
facts_open(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	enum facts_rc	 dummy;

	if (why == NULL)
		why = &dummy;
	return facts_get(c, db, q, version, why);
}

static void
facts_summary_fill(struct json_object *o, const struct facts_ent *e,
    const struct eng_q *q, struct facts_pass *s)
{
	struct km_result	 k;

	eng_json_window(o, q, e->tz);
	eng_json_def(o, &e->def);
	json_object_object_add(o, "inbound", json_object_new_int64(s->in));
	json_object_object_add(o, "answered", json_object_new_int64(s->ans));
	json_object_object_add(o, "unanswered",
	    json_object_new_int64(s->in - s->ans));
	json_object_object_add(o, "reply_rate", eng_json_ratio(s->ans, s->in));
	json_object_object_add(o, "reply_seconds", facts_reply_times(s));
	json_object_object_add(o, "goal_seconds", json_object_new_int64(e->goal));
	json_object_object_add(o, "within_goal", json_object_new_int64(s->within));
	json_object_object_add(o, "within_goal_share",
	    eng_json_ratio(s->within, s->in));
	json_object_object_add(o, "business_hours_seconds", facts_business(e, s));
	json_object_object_add(o, "unreplied_now",
	    json_object_new_int64(e->unreplied - e->acked));
	json_object_object_add(o, "acknowledged_now",
	    json_object_new_int64(e->acked));
	json_object_object_add(o, "distribution", facts_buckets_json(s->bucket));
	eng_json_within(o, s->in, s->h1, s->h24, s->within);
	km_estimate_sorted(s->ev, s->nev, s->cz + (s->in - s->censored),
	    (size_t)s->censored, &k);
	json_object_object_add(o, "time_to_answer",
	    eng_json_tta(&k, s->in, s->censored, s->now));
}

struct json_object *
facts_summary(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct facts_pass	 s = { 0 };
	struct json_object	*o = NULL;
	size_t			 lo, hi;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	facts_range(e, q, &lo, &hi);
	if ((s.rt = facts_scratch(c, 5 * (hi - lo) * sizeof(*s.rt),
	    why)) == NULL)
		return NULL;
	s.work = s.rt + (hi - lo);
	s.ev = s.work + (hi - lo);
	s.cz = s.ev + (hi - lo);
	s.tmp = s.cz + (hi - lo);
	s.now = eng_now(q);
	facts_scan(e, lo, hi, &s);
	/* Answered by the evaluation time, as they usually all are: the same times. */
	km_sort_times(s.rt, (size_t)s.ans, s.tmp);
	if (s.nev == (size_t)s.ans)
		s.ev = s.rt;
	else
		km_sort_times(s.ev, s.nev, s.tmp);
	if ((o = json_object_new_object()) != NULL)
		facts_summary_fill(o, e, q, &s);
	return o;
}

struct json_object *
facts_distribution(struct facts_cache *c, struct db *db,
    const struct eng_q *q, long long version, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct json_object	*o;
	long long		 b[FACTS_NBUCKET] = { 0 }, none = 0;
	size_t			 i, lo, hi;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	facts_range(e, q, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (e->rt[i] == FACTS_NONE)
			none++;
		else
			b[facts_bucket(e->rt[i])]++;
	if ((o = json_object_new_object()) != NULL) {
		json_object_object_add(o, "fid", json_object_new_int64(q->fid));
		eng_json_def(o, &e->def);
		json_object_object_add(o, "buckets", facts_buckets_json(b));
		json_object_object_add(o, "unanswered", json_object_new_int64(none));
	}
	return o;
}

/* inbound, answered, reply_rate, median_seconds of a group. */
static void
facts_rates(struct json_object *c, long long in, double *v, size_t ans)
{
	json_object_object_add(c, "inbound", json_object_new_int64(in));
	json_object_object_add(c, "answered", json_object_new_int64((long long)ans));
	json_object_object_add(c, "reply_rate", eng_json_ratio((long long)ans, in));
	json_object_object_add(c, "median_seconds", facts_median(v, ans));
}

/* The object of a list figure with its empty array; NULL on ENOMEM. */
static struct json_object *
facts_list(const struct facts_ent *e, const struct eng_q *q,
    struct json_object **a)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if ((*a = json_object_new_array()) == NULL) {
		json_object_put(o);
		return NULL;
	}
	eng_json_window(o, q, e->tz);
	eng_json_def(o, &e->def);
	return o;
}

/*
 * Heatmap: a counting pass per cell, the reply times laid out cell by
 * cell (a counting sort), then one median per cell.
 */
static void
facts_heat_cells(const struct facts_ent *e, size_t lo, size_t hi,
    double *v, struct json_object *a)
{
	size_t			 in[FACTS_NHOW] = { 0 }, ans[FACTS_NHOW] = { 0 },
				 at[FACTS_NHOW], i, off = 0, h;
	struct json_object	*c;

	for (i = lo; i < hi; i++) {
		in[e->how[i] % FACTS_NHOW]++;
		if (e->rt[i] != FACTS_NONE)
			ans[e->how[i] % FACTS_NHOW]++;
	}
	for (h = 0; h < FACTS_NHOW; h++) {
		at[h] = off;
		off += ans[h];
	}
	for (i = lo; i < hi; i++)
		if (e->rt[i] != FACTS_NONE)
			v[at[e->how[i] % FACTS_NHOW]++] = (double)e->rt[i];
	for (h = 0, off = 0; h < FACTS_NHOW; off += ans[h], h++) {
		if (in[h] == 0)
			continue;
		c = json_object_new_object();
		json_object_object_add(c, "weekday",
		    json_object_new_int64((int64_t)(h / 24 + 1)));
		json_object_object_add(c, "hour", json_object_new_int64((int64_t)(h % 24)));
		json_object_object_add(c, "inbound", json_object_new_int64((int64_t)in[h]));
		json_object_object_add(c, "answered", json_object_new_int64((int64_t)ans[h]));
		json_object_object_add(c, "median_seconds", facts_median(v + off, ans[h]));
		json_object_array_add(a, c);
	}
}

struct json_object *
facts_heatmap(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct json_object	*o = NULL, *a;
	double			*v;
	size_t			 lo, hi;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	facts_range(e, q, &lo, &hi);
	if ((v = facts_scratch(c, (hi - lo) * sizeof(*v), why)) == NULL)
		return NULL;
	if ((o = facts_list(e, q, &a)) != NULL) {
		facts_heat_cells(e, lo, hi, v, a);
		json_object_object_add(o, "cells", a);
	}
	return o;
}

/* Days since 1970-01-01 as "YYYY-MM-DD" (proleptic Gregorian); -1 out of range. */
static int
facts_date(int64_t z, char *s, size_t sz)
{
	int64_t		 era, doe, yoe, y, doy, mp, d, m;
	int		 n;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 1 || y > 9999)
		return -1;
	n = snprintf(s, sz, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
	return n > 0 && (size_t)n < sz ? 0 : -1;
}

/* The Monday starting the ISO week of day z (date_trunc('week')). */
static int64_t
facts_week(int64_t z)
{
	int64_t	 dow = ((z % 7) + 7 + 3) % 7;	/* 1970-01-01 was a Thursday */

	return z - dow;
}

static int64_t
facts_group(const struct facts_ent *e, size_t i, enum eng_bucket b)
{
	return b == ENG_BUCKET_WEEK ? facts_week(e->day[i]) : e->day[i];
}

/* One point per group of consecutive rows; the days never go back. */
static int
facts_trend_points(const struct facts_ent *e, size_t lo, size_t hi,
    enum eng_bucket b, double *v, struct json_object *a)
{
	struct json_object	*c;
	char			 start[16];
	size_t			 i, j, ans;
	int64_t			 g;

	for (i = lo; i < hi; i = j) {
		g = facts_group(e, i, b);
		for (j = i, ans = 0; j < hi && facts_group(e, j, b) == g; j++)
			if (e->rt[j] != FACTS_NONE)
				v[ans++] = (double)e->rt[j];
		if (facts_date(g, start, sizeof(start)) == -1)
			return -1;
		c = json_object_new_object();
		json_object_object_add(c, "start", json_object_new_string(start));
		facts_rates(c, (long long)(j - i), v, ans);
		json_object_array_add(a, c);
	}
	return 0;
}

struct json_object *
facts_trend(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum eng_bucket b, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct json_object	*o = NULL, *a;
	double			*v = NULL;
	size_t			 lo, hi;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	facts_range(e, q, &lo, &hi);
	if (!e->day_mono)	/* clocks that go back across midnight */
		return facts_refuse(c, why, FACTS_UNSUPPORTED);
	if ((v = facts_scratch(c, (hi - lo) * sizeof(*v), why)) == NULL ||
	    (o = facts_list(e, q, &a)) == NULL)
		return NULL;
	json_object_object_add(o, "bucket", json_object_new_string(
	    b == ENG_BUCKET_WEEK ? "week" : "day"));
	if (facts_trend_points(e, lo, hi, b, v, a) == -1) {
		json_object_put(a);
		json_object_put(o);
		return facts_refuse(c, why, FACTS_UNSUPPORTED);
	}
	json_object_object_add(o, "points", a);
	return o;
}

/* One author's row in the window, with the key eng.c sorts by. */
struct facts_cp {
	uint32_t	 a;
	long long	 in, ans;
	size_t		 off;		/* its reply times in the scratch */
	double		 k;
	int		 knull;		/* NULLS LAST */
};

static int
facts_cp_cmp(const void *x, const void *y)
{
	const struct facts_cp	*a = x, *b = y;

	if (a->knull != b->knull)
		return a->knull - b->knull;
	if (!a->knull && a->k != b->k)
		return (a->k > b->k) - (a->k < b->k);
	return (a->a > b->a) - (a->a < b->a);	/* indexes follow fids */
}

/*
 * Counts per group (key: the group of each row, nkey groups: authors or
 * channels), reply times laid out group by group.
 */
static size_t
facts_cp_gather(const struct facts_ent *e, size_t lo, size_t hi,
    const uint32_t *key, size_t nkey, struct facts_cp *all, double *v,
    struct facts_cp *out)
{
	size_t	 i, off = 0, m = 0;

	for (i = lo; i < hi; i++) {
		all[key[i]].in++;
		if (e->rt[i] != FACTS_NONE)
			all[key[i]].ans++;
	}
	for (i = 0; i < nkey; i++) {
		all[i].a = (uint32_t)i;
		all[i].off = off;
		off += (size_t)all[i].ans;
	}
	for (i = lo; i < hi; i++)
		if (e->rt[i] != FACTS_NONE)
			v[all[key[i]].off++] = (double)e->rt[i];
	for (i = 0; i < nkey; i++)
		if (all[i].in > 0) {
			out[m] = all[i];
			out[m++].off -= (size_t)all[i].ans;
		}
	return m;
}

static void
facts_cp_keys(struct facts_cp *cp, size_t m, double *v, int sort)
{
	static const double	 half = 0.5;
	size_t			 i;

	for (i = 0; i < m; i++) {
		cp[i].knull = 0;
		if (sort == 0)
			cp[i].k = -(double)cp[i].in;
		else if (sort == 1)
			cp[i].k = -(double)cp[i].ans;
		else if (sort == 2)
			cp[i].k = -((double)cp[i].ans / (double)cp[i].in);
		else if (cp[i].ans == 0)
			cp[i].knull = 1;
		else
			facts_pcts(v + cp[i].off, (size_t)cp[i].ans, &half, 1,
			    &cp[i].k);
	}
}

static struct json_object *
facts_nstr(const char *s)
{
	return s == NULL ? NULL : json_object_new_string(s);
}

/* One person's row. */
static void
facts_cp_row(const struct facts_ent *e, const struct facts_cp *cp,
    double *v, struct json_object *a)
{
	const struct facts_author	*au = &e->auth[cp->a];
	struct json_object		*c;

	c = json_object_new_object();
	json_object_object_add(c, "fid", json_object_new_int64(au->fid));
	json_object_object_add(c, "username", facts_nstr(au->username));
	json_object_object_add(c, "display_name",
	    facts_nstr(au->display_name));
	json_object_object_add(c, "pfp_url", facts_nstr(au->pfp_url));
	facts_rates(c, cp->in, v + cp->off, (size_t)cp->ans);
	json_object_array_add(a, c);
}

/* One channel's row: counts, the goal that applies, within it. */
static void
facts_chan_row(const struct facts_ent *e, const struct facts_cp *cp,
    double *v, struct json_object *a)
{
	const struct facts_chan	*ch = &e->chans[cp->a];
	struct json_object	*c;
	long long		 wg = 0;
	size_t			 j;
	int			 goal = ch->goal ? ch->goal : e->goal;

	for (j = 0; j < (size_t)cp->ans; j++)	/* before the median moves them */
		if (v[cp->off + j] <= goal)
			wg++;
	c = json_object_new_object();
	json_object_object_add(c, "parent_url", facts_nstr(ch->url));
	json_object_object_add(c, "name", facts_nstr(ch->name));
	facts_rates(c, cp->in, v + cp->off, (size_t)cp->ans);
	json_object_object_add(c, "goal_seconds", json_object_new_int64(goal));
	json_object_object_add(c, "goal_source", json_object_new_string(
	    ch->goal ? "channel" : "user"));
	json_object_object_add(c, "within_goal", json_object_new_int64(wg));
	json_object_object_add(c, "within_goal_share",
	    eng_json_ratio(wg, cp->in));
	json_object_array_add(a, c);
}

typedef void	 facts_row_fn(const struct facts_ent *, const struct facts_cp *,
		    double *, struct json_object *);

/*
 * A figure per group of the window's rows, sorted and paged as eng.c does:
 * by author (counterparts) or by channel (chan set); row writes one group.
 */
static struct json_object *
facts_grouped(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, int sort, int limit, int offset, enum facts_rc *why,
    int chan, facts_row_fn *row, const char *key)
{
	const struct facts_ent	*e;
	struct json_object	*o, *a;
	struct facts_cp		*all;
	double			*v;
	size_t			 lo, hi, m, i, nkey;

	if (limit < 0 || offset < 0)	/* SQL refuses these: let it say so */
		return facts_refuse(c, why, FACTS_UNSUPPORTED);
	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	nkey = chan ? e->nchan : e->nauth;
	facts_range(e, q, &lo, &hi);
	/* Each key's counts, the groups found, then their reply times. */
	if ((all = facts_scratch(c, 2 * nkey * sizeof(*all) +
	    (hi - lo) * sizeof(*v), why)) == NULL)
		return NULL;
	memset(all, 0, nkey * sizeof(*all));
	v = (double *)(all + 2 * nkey);
	m = facts_cp_gather(e, lo, hi, chan ? e->chan : e->author, nkey, all,
	    v, all + nkey);
	facts_cp_keys(all + nkey, m, v, sort);
	qsort(all + nkey, m, sizeof(*all), facts_cp_cmp);
	if ((o = facts_list(e, q, &a)) == NULL)
		return NULL;
	for (i = (size_t)offset; i < m && i - (size_t)offset < (size_t)limit; i++)
		row(e, all + nkey + i, v, a);
	json_object_object_add(o, key, a);
	return o;
}

struct json_object *
facts_counterparts(struct facts_cache *c, struct db *db,
    const struct eng_q *q, long long version, int sort, int limit,
    int offset, enum facts_rc *why)
{
	return facts_grouped(c, db, q, version, sort, limit, offset, why, 0,
	    facts_cp_row, "counterparts");
}

struct json_object *
facts_channels(struct facts_cache *c, struct db *db,
    const struct eng_q *q, long long version, int sort, int limit,
    int offset, enum facts_rc *why)
{
	return facts_grouped(c, db, q, version, sort, limit, offset, why, 1,
	    facts_chan_row, "channels");
}

/*
 * Local days with an answer before to, as islands of consecutive days:
 * the longest, and the last one when it ends on to's local day or the one
 * before, i.e. when to comes before local midnight two days after it.
 */
struct json_object *
facts_streak(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct json_object	*o;
	char			 last[16];
	size_t			 k, i;
	long long		 run = 0, best = 0;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	k = facts_lower(e->aat, e->na, q->to);
	if (!e->aday_mono ||
	    (k > 0 && facts_date(e->aday[k - 1], last, sizeof(last)) == -1))
		return facts_refuse(c, why, FACTS_UNSUPPORTED);
	for (i = 0; i < k; i++) {
		if (i > 0 && e->aday[i] == e->aday[i - 1])
			continue;
		run = i > 0 && e->aday[i] == e->aday[i - 1] + 1 ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "fid", json_object_new_int64(q->fid));
	json_object_object_add(o, "tz", json_object_new_string(e->tz));
	json_object_object_add(o, "longest_days", json_object_new_int64(best));
	json_object_object_add(o, "current_days", json_object_new_int64(
	    k > 0 && q->to < e->ahz[k - 1] ? run : 0));
	json_object_object_add(o, "last_reply_day",
	    k > 0 ? json_object_new_string(last) : NULL);
	eng_json_def(o, &e->def);
	return o;
}

/* One period of the trend of speed; v has room for its casts. */
static void
facts_speed_period(const struct facts_ent *e, struct speed_period *p,
    double *v)
{
	static const double	 pc[] = { 0.5, 0.9 };
	struct eng_q		 w;
	double			 pv[2];
	size_t			 i, lo, hi;

	memset(&w, 0, sizeof(w));
	w.from = p->from;
	w.to = p->to;
	facts_range(e, &w, &lo, &hi);
	p->in = (long long)(hi - lo);
	for (i = lo; i < hi; i++) {
		if (e->rt[i] == FACTS_NONE)
			continue;
		v[p->ans++] = (double)e->rt[i];
		p->within += e->rt[i] <= e->goal;
	}
	if (p->ans > 0) {
		facts_pcts(v, (size_t)p->ans, pc, 2, pv);
		p->median = pv[0];
		p->p90 = pv[1];
	}
}

struct json_object *
facts_speed(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	const struct facts_ent	*e;
	struct speed_trend	 t;
	struct eng_q		 w = *q;
	struct json_object	*o;
	double			*v;
	size_t			 k, lo, hi;

	if ((e = facts_open(c, db, q, version, why)) == NULL)
		return NULL;
	speed_init(&t, eng_now(q));
	t.goal = e->goal;
	w.from = speed_from(&t);
	w.to = t.now;
	facts_range(e, &w, &lo, &hi);
	if ((v = facts_scratch(c, (hi - lo) * sizeof(*v), why)) == NULL)
		return NULL;
	for (k = 0; k < SPEED_NPERIOD; k++)
		facts_speed_period(e, &t.p[k], v);
	o = eng_json_speed(&t, q, e->tz, &e->def);
	return o;
}
