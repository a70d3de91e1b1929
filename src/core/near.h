#ifndef RC_NEAR_H
#define RC_NEAR_H
#include <stddef.h>

/*
 * Copies, in this process, of Redis keys under a few prefixes, kept true by
 * Redis's client tracking: the command connection of a struct kv runs
 * CLIENT TRACKING in broadcast mode for the prefixes, redirected to a
 * second connection of ours subscribed to __redis__:invalidate, so every
 * write of such a key, by anyone, reaches us as the key's name (a flush
 * as "all of them").  near_fresh() reads what has come before a request
 * trusts its copies.
 *
 * The copies are forgotten all at once (a new epoch) when either
 * connection is lost or replaced, on a flush, when one read finds
 * NEAR_BACKLOG bytes or more waiting (Redis may then hold back what the
 * socket could not take: a full unix socket holds some 200 writes of at
 * least 57 bytes each, about 11 KiB), and when the last read is more than
 * NEAR_IDLE_MS old.  A copy read before a new epoch is not kept
 * (near_put's epoch).
 */
struct kv;
struct near;

enum near_got {
	NEAR_UNKNOWN,	/* no copy: ask Redis */
	NEAR_ABSENT,	/* the key does not exist */
	NEAR_VALUE,	/* the key holds the value copied */
};

#define NEAR_BACKLOG	4096
#define NEAR_IDLE_MS	1000

/* prefixes: n strings (copied), none a prefix of another.  NULL: no memory. */
struct near	*near_new(struct kv *, const char *const *prefixes, int n);
void		 near_free(struct near *);	/* accepts NULL */

/*
 * Applies the invalidations that have arrived: 1 when the copies may be
 * trusted for this request, 0 when they may not (no tracking now; it is
 * set up again on a later call, at most once a second).
 */
int		 near_fresh(struct near *);
unsigned long	 near_epoch(const struct near *);

/* val gets the copy (NUL-terminated) when NEAR_VALUE. */
enum near_got	 near_get(struct near *, const char *key, char *val,
		    size_t sz);

/*
 * Keeps what Redis said of key (val NULL: absent) when epoch is still
 * the current one, i.e. read after near_fresh() with no loss since.
 */
void		 near_put(struct near *, unsigned long epoch, const char *key,
		    const char *val, size_t len);

#endif
