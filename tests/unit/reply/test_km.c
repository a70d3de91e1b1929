#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/km.h"
#include "tests.h"

/*
 * The Kaplan-Meier estimator against values worked out by hand.  The SQL
 * twin (rc_km, migrations/0011_km.sql) is held against this one by
 * tests/diff/facts_diff.c.
 */

#define KM_NOBS(a)	(sizeof(a) / sizeof((a)[0]))

/* One cast: t seconds (answer time, or age when open), ev 1 if answered. */
struct km_obs {
	double	 t;
	int	 ev;
};

/*
 * The estimate from observations in any order, as the read model makes
 * it: events and censorings apart, each sorted by km_sort_times.  tmp:
 * room for 2 n doubles, or NULL to allocate it.  0, or -1 on ENOMEM.
 */
static int
km_estimate(const struct km_obs *o, size_t n, double *tmp,
    struct km_result *r)
{
	double	*own = NULL, *ev, *cz;
	size_t	 i, ne = 0, nc = 0;

	if (tmp == NULL && (tmp = own = malloc((n ? n : 1) * 2 *
	    sizeof(*tmp))) == NULL)
		return -1;
	ev = tmp;
	for (i = 0; i < n; i++)
		if (o[i].ev)
			ev[ne++] = o[i].t;
	cz = ev + ne;
	for (i = 0; i < n; i++)
		if (!o[i].ev)
			cz[nc++] = o[i].t;
	km_sort_times(ev, ne, tmp + n);
	km_sort_times(cz, nc, tmp + n);
	km_estimate_sorted(ev, ne, cz, nc, r);
	free(own);
	return 0;
}

/*
 * Six casts, given out of order; "+" marks one still open (censored):
 *
 *   t      60   300   300+   600   700+   900
 *
 *   t    at risk  answered  S(t)
 *   60      6        1      5/6
 *   300     5        1      5/6 * 4/5 = 2/3    (the open one at 300 is
 *                                               still at risk: events
 *                                               first; censoring first
 *                                               would give 5/6*3/4=0.625)
 *   600     3        1      2/3 * 2/3 = 4/9    <= 0.5: the median is 600
 *   700+    2        0      4/9
 *   900     1        1      0                  <= 0.1: the p90 is 900
 *
 * The answered casts alone (60, 300, 600, 900) have a median of 450: the
 * open ones pull it up.  On the grid: S(0) = 1, S(300) = 2/3 (the event
 * at 300 counts), S(900) = 0 and 0 after.
 */
static void
test_km_hand(void)
{
	struct km_obs		 o[] = {
		{ 600, 1 }, { 300, 0 }, { 900, 1 }, { 60, 1 }, { 700, 0 },
		{ 300, 1 },
	};
	struct km_result	 r;
	size_t			 i;

	km_estimate(o, KM_NOBS(o), NULL, &r);
	CU_ASSERT_EQUAL(r.has_median, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.median, 600, 1e-12);
	CU_ASSERT_EQUAL(r.has_p90, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.p90, 900, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(km_grid[1], 300, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[0], 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[1], 2.0 / 3.0, 1e-12);
	for (i = 2; i < KM_NGRID; i++)
		CU_ASSERT_DOUBLE_EQUAL(r.surv[i], 0.0, 1e-12);
}

/*
 *   t      100   200   300+   400+
 *   S     3/4   3/4 * 2/3 = 1/2: S reaches 0.5 exactly at 200 (the
 *         median), never 0.1 (no p90); S(300) = S(900) = 1/2.
 */
static void
test_km_exact_half(void)
{
	struct km_obs		 o[] = { { 400, 0 }, { 100, 1 }, { 300, 0 },
				    { 200, 1 } };
	struct km_result	 r;

	km_estimate(o, KM_NOBS(o), NULL, &r);
	CU_ASSERT_EQUAL(r.has_median, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.median, 200, 1e-12);
	CU_ASSERT_EQUAL(r.has_p90, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[1], 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[KM_NGRID - 1], 0.5, 1e-12);
}

/*
 *   t      100   200+   300+:  S = 2/3 after 100 and stays there, so
 *   neither the median nor the p90 exists, though the one answered cast
 *   alone has a median of 100.  No casts at all: S stays 1.
 */
static void
test_km_open(void)
{
	struct km_obs		 o[] = { { 200, 0 }, { 100, 1 }, { 300, 0 } };
	struct km_result	 r;

	km_estimate(o, KM_NOBS(o), NULL, &r);
	CU_ASSERT_EQUAL(r.has_median, 0);
	CU_ASSERT_EQUAL(r.has_p90, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[0], 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[1], 2.0 / 3.0, 1e-12);
	km_estimate(o, 0, NULL, &r);
	CU_ASSERT_EQUAL(r.has_median, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.surv[KM_NGRID - 1], 1.0, 1e-12);
}

static int
km_obs_cmp(const void *a, const void *b)
{
	const struct km_obs	*x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->ev > y->ev) - (x->ev < y->ev);
}

static int
km_d_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The product-limit estimate the plain way: every observation sorted
 * together, one step per distinct time.  km_estimate_sorted merges two
 * sorted lists instead; the two must agree to the last bit.
 */
static void
km_reference(struct km_obs *o, size_t n, struct km_result *r)
{
	size_t	 i = 0, j, g = 0, risk = n, d;
	double	 s = 1.0, t;

	qsort(o, n, sizeof(*o), km_obs_cmp);
	r->has_median = r->has_p90 = 0;
	r->median = r->p90 = 0;
	while (i < n) {
		t = o[i].t;
		for (; g < KM_NGRID && km_grid[g] < t; g++)
			r->surv[g] = s;
		for (d = 0, j = i; j < n && o[j].t == t; j++)
			d += o[j].ev != 0;
		if (d > 0)
			s = s * (1.0 - (double)d / (double)risk);
		if (d > 0 && !r->has_median && s <= 0.5 + 1e-12) {
			r->has_median = 1;
			r->median = t;
		}
		if (d > 0 && !r->has_p90 && s <= 0.1 + 1e-12) {
			r->has_p90 = 1;
			r->p90 = t;
		}
		risk -= j - i;
		i = j;
	}
	for (; g < KM_NGRID; g++)
		r->surv[g] = s;
}

/*
 * Random observations, small and large, with many ties or none, whole
 * seconds or not: km_sort_times sorts as qsort does, whichever path it
 * takes (a radix sort for whole seconds from 64 up, qsort otherwise), and
 * km_estimate, with a scratch given or its own, equals the reference.
 */
static void
test_km_sort(void)
{
	static const double	 scale[] = { 1, 300, 86400, 4294967295.0 };
	struct km_obs		*o;
	struct km_result	 r, want;
	double			*v, *sorted, *tmp;
	size_t			 n, i, c, ok;
	unsigned		 seed = 17;

	o = calloc(20000, sizeof(*o));
	v = calloc(20000, sizeof(*v));
	sorted = calloc(20000, sizeof(*sorted));
	tmp = calloc(40000, sizeof(*tmp));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sorted);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	for (c = 0; c < 5 * 4; c++) {
		n = (size_t[]){ 63, 64, 65, 1000, 20000 }[c / 4];
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			o[i].t = v[i] = (double)(uint32_t)((double)(seed >> 8) /
			    16777216.0 * scale[c % 4]);
			o[i].ev = seed >> 3 & 1;
			if (c == 9 && i == n / 2)
				o[i].t = v[i] += 0.5;	/* not whole: qsort */
		}
		memcpy(sorted, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*sorted), km_d_cmp);
		km_sort_times(v, n, tmp);
		for (i = 0, ok = 1; i < n; i++)
			ok &= v[i] == sorted[i];
		CU_ASSERT_EQUAL(ok, 1);
		CU_ASSERT_EQUAL(km_estimate(o, n, c % 2 ? tmp : NULL, &r), 0);
		km_reference(o, n, &want);
		CU_ASSERT_EQUAL(r.has_median, want.has_median);
		CU_ASSERT_EQUAL(r.has_p90, want.has_p90);
		CU_ASSERT(r.median == want.median && r.p90 == want.p90);
		for (i = 0, ok = 1; i < KM_NGRID; i++)
			ok &= r.surv[i] == want.surv[i];
		CU_ASSERT_EQUAL(ok, 1);
	}
	free(o);
	free(v);
	free(sorted);
	free(tmp);
}

int
test_km_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("km", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "hand-computed case with censoring and a tie",
	    test_km_hand) == NULL ||
	    CU_add_test(s, "S reaching 0.5 exactly", test_km_exact_half) == NULL ||
	    CU_add_test(s, "S never reaching 0.5", test_km_open) == NULL ||
	    CU_add_test(s, "sorted whole or not, small or large, as the "
	    "plain estimate", test_km_sort) == NULL)
		return -1;
	return 0;
}
