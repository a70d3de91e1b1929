#ifndef RC_AUTH_POLICY_H
#define RC_AUTH_POLICY_H

/*
 * The pure rules of the auth pool, kept apart so that unit tests reach
 * them without a server (tests/unit/auth/test_policy.c).
 */

#define POLICY_NEXT_MAX	512	/* longest next= path accepted */

/*
 * 1 when next is a path on this site to send a browser to after login:
 * starts with one '/', not "//" or "/\" (browsers read both as another
 * host), printable ASCII without '\', at most POLICY_NEXT_MAX bytes.
 */
int	 policy_next_ok(const char *next);

/*
 * Milliseconds of lock after the fails-th failed login in a row: 0 while
 * fails < nfree (and for fails 0), then base_ms, doubling with each
 * further failure, never more than max_s seconds.  So nfree failures are
 * free and the attempt right after them already waits base_ms.
 */
long	 policy_backoff_ms(long fails, long nfree, long base_ms, long max_s);

/* A Retry-After value: ms rounded up to whole seconds, at least 1. */
long	 policy_retry_s(long ms);

#endif
