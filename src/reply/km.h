#ifndef RC_KM_H
#define RC_KM_H
#include <stddef.h>

/*
 * The Kaplan-Meier (product-limit) estimate of time to answer, shared by
 * the read model and held against migrations/0011_km.sql (rc_km), which
 * does the same arithmetic in the same order.  docs/engine.md has the
 * definitions: ties put events before censorings at the same time; a
 * quantile p is the smallest event time with S(t) <= 1 - p.
 */

/* One cast: t seconds (answer time, or age when open), ev 1 if answered. */
struct km_obs {
	double	 t;
	int	 ev;
};

/* The grid of the survival curve, seconds; KM_NGRID points. */
#define KM_NGRID	10
extern const double	 km_grid[KM_NGRID];

struct km_result {
	int	 has_median, has_p90;	/* 0: S never reaches the level */
	double	 median, p90;
	double	 surv[KM_NGRID];	/* S(km_grid[i]), right-continuous */
};

/*
 * Sorts o[0..n) by t and estimates; n may be 0 (S stays 1).  tmp: room for
 * n more observations to sort through, or NULL to allocate it.
 */
void	 km_estimate(struct km_obs *o, size_t n, struct km_obs *tmp,
	    struct km_result *r);

#endif
