#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "km.h"

/* 0, 5 min, 15 min, 1 h, 4 h, 12 h, 1 d, 2 d, 4 d, 7 d. */
const double km_grid[KM_NGRID] = {
	0, 300, 900, 3600, 14400, 43200, 86400, 172800, 345600, 604800,
};

/*
 * Guards the level tests against rounding in the product: 1 - 1/2 is
 * exact, but three steps that make 0.5 on paper may land a bit above it.
 * rc_km uses the same constant.
 */
#define KM_EPS	1e-12

static int
km_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* 1 when t is a whole number of seconds that fits a radix key. */
static int
km_key_ok(double t)
{
	return t >= 0 && t < 4294967296.0 && t == (double)(uint32_t)t;
}

/* The radix sort's digits: three of 11 bits cover a 32-bit key. */
#define KM_BITS		11
#define KM_PASSES	3
#define KM_DIGIT(t, p)	((uint32_t)(t) >> (KM_BITS * (p)) & ((1u << KM_BITS) - 1))

/*
 * qsort was three quarters of an api process's time on the busiest user's
 * uncached summary (perf, 51 861 casts); whole seconds, as the engine's
 * times are, go through an LSD radix sort instead, skipping a digit all
 * keys share.
 */
void
km_sort_times(double *v, size_t n, double *tmp)
{
	size_t		 cnt[KM_PASSES][1u << KM_BITS];	/* 48 KiB */
	double		*src, *dst, *swap;
	size_t		 i, sum, c, d;
	unsigned	 pass;

	for (i = 0; i < n; i++)
		if (!km_key_ok(v[i]))
			break;
	if (n < 64 || i < n) {
		qsort(v, n, sizeof(*v), km_dcmp);
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		for (pass = 0; pass < KM_PASSES; pass++)
			cnt[pass][KM_DIGIT(v[i], pass)]++;
	src = v;
	dst = tmp;
	for (pass = 0; pass < KM_PASSES; pass++) {
		if (cnt[pass][KM_DIGIT(src[0], pass)] == n)
			continue;
		for (d = 0, sum = 0; d < (1u << KM_BITS); d++) {
			c = cnt[pass][d];
			cnt[pass][d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[pass][KM_DIGIT(src[i], pass)]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

void
km_estimate_sorted(const double *ev, size_t ne, const double *cz, size_t nc,
    struct km_result *r)
{
	size_t	 a = 0, b = 0, g = 0, risk = ne + nc, d, c;
	double	 s = 1.0, t;

	r->has_median = r->has_p90 = 0;
	r->median = r->p90 = 0;
	while (a < ne || b < nc) {
		t = a < ne && (b == nc || ev[a] <= cz[b]) ? ev[a] : cz[b];
		for (; g < KM_NGRID && km_grid[g] < t; g++)
			r->surv[g] = s;
		for (d = 0; a < ne && ev[a] == t; a++)
			d++;
		for (c = 0; b < nc && cz[b] == t; b++)
			c++;
		/* Censored at t are still at risk at t: events come first. */
		if (d > 0)
			s = s * (1.0 - (double)d / (double)risk);
		if (d > 0 && !r->has_median && s <= 0.5 + KM_EPS) {
			r->has_median = 1;
			r->median = t;
		}
		if (d > 0 && !r->has_p90 && s <= 0.1 + KM_EPS) {
			r->has_p90 = 1;
			r->p90 = t;
		}
		risk -= d + c;
	}
	for (; g < KM_NGRID; g++)
		r->surv[g] = s;
}
