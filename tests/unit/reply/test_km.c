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

/*
 * Whatever path km_estimate sorts by (a radix sort for whole seconds from
 * 64 casts up, qsort otherwise), with a scratch given or its own, it leaves
 * o sorted by t and holding the same observations; the estimate itself is
 * the loop the cases above test.
 */
static void
test_km_sort(void)
{
	static const double	 scale[] = { 1, 300, 86400, 4294967295.0 };
	struct km_obs		*o, *want, *tmp;
	size_t			 n, i, c, ok;
	struct km_result	 r;
	unsigned		 seed = 17;

	o = calloc(20000, sizeof(*o));
	want = calloc(20000, sizeof(*want));
	tmp = calloc(20000, sizeof(*tmp));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	for (c = 0; c < 5 * 4; c++) {
		n = (size_t[]){ 63, 64, 65, 1000, 20000 }[c / 4];
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			o[i].t = (double)(uint32_t)((double)(seed >> 8) /
			    16777216.0 * scale[c % 4]);
			o[i].ev = seed >> 3 & 1;
			if (c == 9 && i == n / 2)
				o[i].t += 0.5;		/* not whole: qsort */
		}
		memcpy(want, o, n * sizeof(*o));
		qsort(want, n, sizeof(*want), km_obs_cmp);
		km_estimate(o, n, c % 2 ? tmp : NULL, &r);	/* given or its own */
		for (i = 1, ok = 1; i < n; i++)
			ok &= o[i - 1].t <= o[i].t;
		CU_ASSERT_EQUAL(ok, 1);
		qsort(o, n, sizeof(*o), km_obs_cmp);
		for (i = 0, ok = 1; i < n; i++)
			ok &= o[i].t == want[i].t && o[i].ev == want[i].ev;
		CU_ASSERT_EQUAL(ok, 1);
	}
	free(o);
	free(want);
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
	    CU_add_test(s, "sorted whole or not, small or large",
	    test_km_sort) == NULL)
		return -1;
	return 0;
}
