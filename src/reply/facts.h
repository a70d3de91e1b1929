#ifndef RC_FACTS_H
#define RC_FACTS_H
#include <stddef.h>
#include <stdint.h>

#include "eng.h"

struct db;
struct json_object;

/*
 * The engine's figures from a per-process read model (docs/engine.md): one
 * user's inbound facts, loaded with one query per (fid, data version, time
 * zone), held as arrays sorted by time in an LRU cache with a byte budget.
 * Each facts_X returns the same JSON as eng_X (the reference), or NULL with
 * the reason in *why; the caller then serves eng_X from PostgreSQL.
 * Settings (zone, working hours, goal, mutes) ride on the data version:
 * every settings write bumps it (api/write.c, dash/forms.c).
 * Not thread-safe: one cache per process, as the pools are single-threaded.
 */
struct facts_cache;

enum facts_rc {
	FACTS_OK = 0,
	FACTS_NOVERSION,	/* version 0 or unknown: memory cannot be trusted */
	FACTS_TOOBIG,		/* the user's facts exceed the whole budget */
	FACTS_NOMEM,		/* an allocation failed */
	FACTS_DBERR,		/* the load query failed */
	FACTS_UNSUPPORTED,	/* a parameter or zone the model does not serve */
	FACTS_OFF,		/* no cache: RC_FACTS_MB is 0 */
	FACTS__MAX
};

struct facts_stats {
	unsigned long long	 hits;		/* served from an entry in memory */
	unsigned long long	 loads;		/* entries loaded from PostgreSQL */
	unsigned long long	 evictions;	/* entries dropped for room or age */
	unsigned long long	 refused[FACTS__MAX];	/* NULL answers, by reason */
	size_t			 bytes;		/* accounted now, scratch included */
	size_t			 scratch;	/* the figures' working space */
	size_t			 budget;
	size_t			 peak;		/* most held at once, loads included */
	size_t			 entries;
};

/* A cache holding at most bytes (e.g. RC_FACTS_MB << 20); NULL on ENOMEM. */
struct facts_cache	*facts_cache_new(size_t bytes);
void			 facts_cache_free(struct facts_cache *);	/* accepts NULL */
/*
 * A handler's cache of mb MiB (RC_FACTS_MB) in *out, NULL when mb is 0;
 * -1: ENOMEM.  It also fixes glibc's mmap threshold for the whole process
 * (facts.c says why); facts_cache_new leaves the allocator as it is.
 */
int			 facts_cache_open(long mb, struct facts_cache **out);
void			 facts_cache_stats(const struct facts_cache *,
			    struct facts_stats *);
/*
 * The inbound facts held for (q's fid and zone, version), without loading
 * or touching the LRU order; -1 when none are held.
 */
long long		 facts_held(struct facts_cache *, const struct eng_q *,
			    long long version);
/* "ok", "noversion", "toobig", "nomem", "dberr", "unsupported", "off". */
const char		*facts_rc_name(enum facts_rc);

/*
 * One call per figure, same arguments as eng_X plus the cache and the
 * fid's data version (gate_out.version).  A new object the caller owns, or
 * NULL with *why set: serve eng_X instead.  db is used only on a miss.
 */
struct json_object	*facts_summary(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);
struct json_object	*facts_distribution(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);
struct json_object	*facts_heatmap(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);
struct json_object	*facts_trend(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum eng_bucket, enum facts_rc *why);
struct json_object	*facts_counterparts(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version, int sort,
			    int limit, int offset, enum facts_rc *why);
struct json_object	*facts_channels(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version, int sort,
			    int limit, int offset, enum facts_rc *why);
struct json_object	*facts_streak(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);
struct json_object	*facts_speed(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);

#endif
