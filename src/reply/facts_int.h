#ifndef RC_FACTS_INT_H
#define RC_FACTS_INT_H
#include <stddef.h>
#include <stdint.h>

#include "facts.h"

/* Shared by facts.c (the cache and the load) and facts_fig.c (the figures). */

#define FACTS_NONE	INT32_MIN	/* rt of a cast not answered */

struct facts_author {
	int64_t		 fid;
	const char	*username;	/* NULL: none; points into the entry's blob */
	const char	*display_name;
	const char	*pfp_url;
};

/* A channel of the user's inbound casts; ordered as PostgreSQL orders urls. */
struct facts_chan {
	const char	*url;		/* NULL: no channel; points into the blob */
	const char	*name;		/* NULL: not a known channel URL */
	int		 goal;		/* the user's goal for it; 0: none */
};

/*
 * One user's visible inbound casts (not removed, author not muted) under
 * one (fid, version, zone).  Arrays live in one block, strings in one
 * blob; bytes counts both and the entry itself.
 */
struct facts_ent {
	struct facts_ent	*prev, *next;	/* LRU list, most recent first */
	struct facts_ent	*hnext;		/* chain of the fid's bucket */
	int64_t			 fid;
	long long		 version;
	char			*qtz;		/* the zone asked for; NULL: the user's */
	long long		 loaded_ms;
	size_t			 bytes;
	int			 too_big;	/* a marker: facts not held */

	const char		*tz;		/* the zone used (in the blob) */
	int			 goal;
	int			 wd;		/* working days; 0: no working hours */
	long long		 unreplied;	/* unanswered, whatever their time */
	long long		 acked;		/* of those, acknowledged by a like */
	struct eng_def		 def;		/* what counts as an answer */

	/* Rows by (ts, hash). */
	size_t			 n;
	int64_t			*ts;
	int32_t			*rt;		/* seconds, or FACTS_NONE */
	double			*work;		/* working seconds (NAN: none); NULL when wd is 0 */
	uint32_t		*author;	/* index into auth */
	uint8_t			*kind;
	int32_t			*day;		/* local day, days since 1970-01-01 */
	uint8_t			*how;		/* (ISO weekday - 1) * 24 + local hour */
	uint32_t		*chan;		/* index into chans */
	int			 day_mono;	/* day never goes back along ts */

	/* Answered rows by answered_at, for the streak. */
	size_t			 na;
	int64_t			*aat;		/* answered_at, unix seconds */
	int32_t			*aday;		/* its local day */
	int64_t			*ahz;		/* local midnight starting aday + 2 */
	int			 aday_mono;

	size_t			 nauth;
	struct facts_author	*auth;		/* by fid */

	size_t			 nchan;
	struct facts_chan	*chans;		/* by url, no channel first */

	void			*block;
	char			*blob;
};

/*
 * The entry for q at version, loading it on a miss; owned by the cache and
 * valid until the next facts_get.  NULL with *why set when it cannot serve.
 */
struct facts_ent	*facts_get(struct facts_cache *, struct db *,
			    const struct eng_q *, long long version,
			    enum facts_rc *why);

/*
 * The cache's working space for one figure, at least bytes, aligned for
 * any type, not cleared; valid until the next call.  May evict every entry
 * but the most recently used.  NULL with *why FACTS_NOMEM.
 */
void			*facts_scratch(struct facts_cache *, size_t bytes,
			    enum facts_rc *why);

/* Counts a refusal by its reason and sets *why (when not NULL); NULL. */
void			*facts_refuse(struct facts_cache *, enum facts_rc *why,
			    enum facts_rc);

#endif
