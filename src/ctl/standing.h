#ifndef RC_CTL_STANDING_H
#define RC_CTL_STANDING_H

struct cfg;

/*
 * replycastctl standing refresh: every tracked user's medians for where
 * they stand (reply/standing.h), now; exit status.
 */
int	 standing_main(const struct cfg *, int argc, char *argv[]);

#endif
