#ifndef RC_GATE_H
#define RC_GATE_H
#include <stddef.h>
#include <stdint.h>

struct kv;
struct db;
struct buf;

/*
 * The Redis work in front of a read: whether the token's jti is revoked,
 * the caller's token bucket, the fid's data version and the cached answer
 * for that version, all in one round trip (a Lua script).  When Redis does
 * not answer, ok is 0 and the caller goes on without it: revocation is then
 * asked of PostgreSQL, the rate limit is skipped, nothing is cached.
 */
struct gate_in {
	const char	*jti;		/* NULL: no token */
	const char	*bucket;	/* rate-limit identity, e.g. "a:42" */
	long		 rate;		/* tokens per minute; 0: no limit */
	long		 burst;		/* bucket capacity */
	int64_t		 fid;		/* data version to read; 0: none */
	const char	*cache_key;	/* endpoint + normalized params; NULL: no cache */
};

struct gate_out {
	int		 ok;		/* Redis answered */
	int		 revoked;
	int		 allowed;
	long		 remaining;	/* tokens left */
	long		 retry_ms;	/* when the next token comes */
	long long	 version;	/* the fid's data version */
	struct buf	*cached;	/* filled with the cached entry on a hit */
	int		 hit;
};

int	 gate_check(struct kv *, const struct gate_in *, struct gate_out *);

/* Stores an answer under the version gate_check returned; errors ignored. */
void	 gate_store(struct kv *, int64_t fid, long long version,
	    const char *cache_key, const char *val, size_t len, long ttl_s);

/* Bumps the data version of each fid in a comma-separated list. */
int	 gate_bump(struct kv *, const char *fids);

/* Revocation as PostgreSQL keeps it, for when Redis is down: 1, 0, -1. */
int	 gate_revoked_db(struct db *, const char *jti);

#endif
