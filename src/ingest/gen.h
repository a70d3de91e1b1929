#ifndef RC_GEN_H
#define RC_GEN_H
#include <stdint.h>

struct ing_sink;

/*
 * The demo data set: a deterministic function of (casts, seed, anchor).
 * Users with their own time zones, reply habits (log-normal delays whose
 * median differs by person and grows at night), mentions, threads,
 * removals, and people who never answer.  fid 1000 ("demo") is the busiest
 * account.  Times fall in the 90 days before anchor (unix seconds; 0 means
 * the start of the current UTC day).  Records go to sink as they are made;
 * returns 0, or -1 when the sink asked to stop.
 */
int	 gen_run(uint64_t casts, uint32_t seed, const struct ing_sink *,
	    void *arg);
void	 gen_set_anchor(int64_t anchor);

#define GEN_DEMO_FID	1000

#endif
