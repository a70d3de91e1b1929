#ifndef RC_CTL_USER_H
#define RC_CTL_USER_H

struct cfg;

/*
 * replycastctl user add|passwd|del|list.  argv[0] is "user".  Returns the
 * exit status: 0, 1 on failure, 2 on a usage error.
 */
int	 user_main(const struct cfg *, int argc, char *argv[]);

#endif
