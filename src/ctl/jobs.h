#ifndef RC_CTL_JOBS_H
#define RC_CTL_JOBS_H

struct cfg;

/* replycastctl jobs [list] | jobs retry FID: the backfill jobs; exit status. */
int	 jobs_main(const struct cfg *, int argc, char *argv[]);

#endif
