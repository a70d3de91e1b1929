#ifndef RC_FIG_H
#define RC_FIG_H

#include "eng.h"
#include "facts.h"

struct db;
struct json_object;

/*
 * One figure as the pools ask for it: from the read model (facts.h) when
 * it can serve it, else from the SQL engine (eng.h), the reference.
 */
enum fig_kind {
	FIG_SUMMARY,
	FIG_DISTRIBUTION,
	FIG_HEATMAP,
	FIG_TREND,
	FIG_COUNTERPARTS,
	FIG_STREAK,
	FIG_CHANNELS,
	FIG_SPEED,		/* the trend of speed (speed.h) */
	FIG__MAX
};

struct fig_req {
	enum fig_kind	 kind;
	struct eng_q	 q;
	enum eng_bucket	 bucket;		/* FIG_TREND */
	int		 sort, limit, offset;	/* FIG_COUNTERPARTS, FIG_CHANNELS */
};

/*
 * The figure; *why is FACTS_OK when memory served it, else why PostgreSQL
 * did.  cache may be NULL (FACTS_OFF); version is the fid's data version
 * (0: unknown).  A new object the caller owns, or NULL on a database error.
 */
struct json_object	*fig_get(struct facts_cache *, struct db *,
			    const struct fig_req *, long long version,
			    enum facts_rc *why);

#endif
