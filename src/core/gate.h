#ifndef RC_GATE_H
#define RC_GATE_H
#include <stddef.h>
#include <stdint.h>

#include "met.h"

struct kv;
struct db;
struct buf;

/*
 * The Redis work in front of a request: whether the token is revoked (its
 * jti, its session, its account's token generation), the caller's token
 * bucket, the fid's data version and the cached answer for that version,
 * all in one round trip (a Lua script), or none when this process's copies
 * hold every key (gate_local_start).  When Redis does not answer, ok is
 * 0 and the caller goes on without it: revocation is then asked of
 * PostgreSQL (authn_live does both), the rate limit is skipped, nothing is
 * cached.
 */
#define GATE_GEN_TTL	300	/* seconds Redis mirrors a token generation */

struct gate_in {
	const char	*jti;		/* NULL: no token */
	const char	*sid;		/* the token's session; NULL: none */
	int64_t		 account;	/* whose generation to compare; 0: none */
	int64_t		 gen;		/* the token's generation */
	const char	*bucket;	/* rate-limit identity, e.g. "a:42" */
	long		 rate;		/* tokens per minute; 0: no limit */
	long		 burst;		/* bucket capacity */
	int64_t		 fid;		/* data version to read; 0: none */
	const char	*cache_key;	/* endpoint + normalized params; NULL: no cache */
};

struct gate_out {
	int		 ok;		/* Redis answered */
	int		 revoked;	/* jti, session or generation */
	int		 gen_unknown;	/* Redis cannot tell: ask PostgreSQL */
	int		 mirror_lost;	/* Redis may lack revocations: refill */
	int		 allowed;
	long		 remaining;	/* tokens left */
	long		 retry_ms;	/* when the next token comes */
	long long	 version;	/* the fid's data version */
	struct buf	*cached;	/* filled with the cached entry on a hit */
	int		 hit;
	int		 local;		/* answered from this process's copies */
};

int	 gate_check(struct kv *, const struct gate_in *, struct gate_out *);
/* Who answered, as /metrics counts it. */
enum met_gate	 gate_met(const struct gate_out *);

/*
 * RC_GATE_LOCAL: answers gate_check from this process's copies of the
 * keys it reads, kept true by Redis's client tracking (near.h), when the
 * request has no rate limit to count; answers stored or read under a data
 * version are kept here too (64 of them, at most 64 KiB each) until their
 * Redis copy expires.  -1: out of memory.
 */
int	 gate_local_start(struct kv *);
void	 gate_local_stop(void);
/*
 * The caller computed an answer under cache_key for fid's version and
 * did not store it (too cheap to be worth a SET): the next such read of
 * that endpoint is answered locally without asking Redis for an answer.
 */
void	 gate_unstored(int64_t fid, long long version, const char *cache_key);

/* Stores an answer under the version gate_check returned; errors ignored. */
void	 gate_store(struct kv *, int64_t fid, long long version,
	    const char *cache_key, const char *val, size_t len, long ttl_s);

/*
 * Bumps the data version of each fid in a comma-separated list, 256 fids
 * per round trip: -1 when Redis failed (versions of later batches unbumped).
 */
int	 gate_bump(struct kv *, const char *fids);

/*
 * Revocation as PostgreSQL keeps it (jti, session, generation), for when
 * Redis is down or lacks the generation: 1, 0, -1 when PostgreSQL failed.
 * *cutoff gets the account's generation.
 */
int	 gate_revoked_db(struct db *, const struct gate_in *, int64_t *cutoff);

/*
 * Mirrors an account's token generation in Redis for GATE_GEN_TTL seconds;
 * only_new: keep a value already there (a pool filling the mirror from
 * PostgreSQL must not undo a newer bump).  0, or -1 when Redis failed.
 */
int	 gate_gen_set(struct kv *, int64_t account, int64_t gen, int only_new);

/*
 * Marks a session (an access token) revoked in Redis for ttl seconds; 0, or
 * -1 when Redis failed: the mirror is then distrusted (gate_mirror_dirty).
 */
int	 gate_sid_revoke(struct kv *, const char *sid, long ttl);
int	 gate_jti_revoke(struct kv *, const char *jti, long ttl);

/*
 * Redis's copy of the revocations in PostgreSQL is whole while the key
 * GATE_MIRROR_KEY exists.  gate_mirror_dirty: a revocation missed Redis,
 * so the next gate_check() of this process drops the key.
 * gate_mirror_fill: copies every live revocation from PostgreSQL and sets
 * the key, unless Redis lost its data meanwhile; at most once a second per
 * process; 0 when the key was set.
 */
#define GATE_MIRROR_KEY	"rc:mirror"
void	 gate_mirror_dirty(void);
int	 gate_mirror_fill(struct kv *, struct db *);

#endif
