#ifndef RC_CORE_THROTTLE_H
#define RC_CORE_THROTTLE_H

struct kv;

/*
 * Login throttling per username and per client address.  An attempt is
 * charged as a failure when it is admitted, before its password is
 * checked, and the lock for the next attempt is set in the same step (one
 * Lua script in Redis): parallel guesses cannot all pass before a failure
 * is counted.  A right password gives the charge back (throttle_forgive).
 * When Redis does not answer, a bounded table in this process does the
 * same (per process: each of a pool's processes counts on its own).
 */

#define THROTTLE_LOCAL_MAX	512	/* entries of the per-process table */
#define THROTTLE_KEY_MAX	96

/* One admitted attempt: what throttle_forgive needs. */
struct throttle_ticket {
	char	 fu[THROTTLE_KEY_MAX], fi[THROTTLE_KEY_MAX];	/* counters */
	char	 lu[THROTTLE_KEY_MAX], li[THROTTLE_KEY_MAX];	/* locks */
	char	 tag[24];		/* this attempt's lock value */
	int	 local;			/* admitted by the per-process table */
};

/*
 * Sets the policy (see throttle_backoff_ms) and the counters' lifetime.
 * -1 when the back-off list does not fit (it always does for the limits
 * cfg enforces).
 */
int	 throttle_init(long nfree, long base_ms, long max_s, long ttl_s);

/*
 * Admits one login attempt for user from addr (NULL: "-"): 0 when it may
 * check its password (t filled), else the milliseconds to wait (> 0).
 */
long	 throttle_admit(struct kv *, const char *user, const char *addr,
	    struct throttle_ticket *t);

/* A right password: the account starts afresh, the address gets its charge back. */
void	 throttle_forgive(struct kv *, const struct throttle_ticket *);

/* The per-process table alone, at time now_ms (for tests and the fallback). */
long	 throttle_local_admit(const char *user, const char *addr,
	    long long now_ms, struct throttle_ticket *t);
void	 throttle_local_forgive(const struct throttle_ticket *, long long now_ms);
void	 throttle_local_clear(void);

/*
 * Milliseconds of lock after the fails-th failed login in a row: 0 while
 * fails < nfree (and for fails 0), then base_ms, doubling with each
 * further failure, never more than max_s seconds.  So nfree failures are
 * free and the attempt right after them already waits base_ms.
 */
long	 throttle_backoff_ms(long fails, long nfree, long base_ms, long max_s);

/* A Retry-After value: ms rounded up to whole seconds, at least 1. */
long	 throttle_retry_s(long ms);

#endif
