#ifndef RC_CTL_STATS_H
#define RC_CTL_STATS_H

struct cfg;

/* replycastctl stats: prints one engine figure as JSON; exit status. */
int	 stats_main(const struct cfg *, int argc, char *argv[]);

#endif
