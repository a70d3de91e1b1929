#include <stdlib.h>

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
km_cmp(const void *a, const void *b)
{
	double	 x = ((const struct km_obs *)a)->t;
	double	 y = ((const struct km_obs *)b)->t;

	return (x > y) - (x < y);
}

void
km_estimate(struct km_obs *o, size_t n, struct km_result *r)
{
	size_t	 i = 0, j, g = 0, risk = n, d;
	double	 s = 1.0, t;

	r->has_median = r->has_p90 = 0;
	r->median = r->p90 = 0;
	qsort(o, n, sizeof(*o), km_cmp);
	while (i < n) {
		t = o[i].t;
		for (; g < KM_NGRID && km_grid[g] < t; g++)
			r->surv[g] = s;
		for (d = 0, j = i; j < n && o[j].t == t; j++)
			d += o[j].ev != 0;
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
		risk -= j - i;
		i = j;
	}
	for (; g < KM_NGRID; g++)
		r->surv[g] = s;
}
