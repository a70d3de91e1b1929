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

#endif
