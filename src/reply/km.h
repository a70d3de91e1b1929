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

/* The grid of the survival curve, seconds; KM_NGRID points. */
#define KM_NGRID	10
extern const double	 km_grid[KM_NGRID];

struct km_result {
	int	 has_median, has_p90;	/* 0: S never reaches the level */
	double	 median, p90;
	double	 surv[KM_NGRID];	/* S(km_grid[i]), right-continuous */
};

/*
 * The estimate from the event times ev[0..ne) and the censoring times
 * cz[0..nc), each sorted ascending; either may be empty (S stays 1).
 */
void	 km_estimate_sorted(const double *ev, size_t ne, const double *cz,
	    size_t nc, struct km_result *r);

/* Sorts v[0..n) ascending; tmp: room for n more. */
void	 km_sort_times(double *v, size_t n, double *tmp);

#endif
