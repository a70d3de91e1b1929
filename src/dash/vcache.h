#ifndef RC_DASH_VCACHE_H
#define RC_DASH_VCACHE_H
#include <stdint.h>

#include "core/buf.h"

struct json_object;

/*
 * Per process: the figures and charts of recent overview pages.  A page's
 * figures are a pure function of (fid, data version, window); the window's
 * end is a whole minute, so an entry serves the repeat views of that minute
 * and a new data version misses.  Version 0 (Redis could not tell) is never
 * stored.
 */
#define VC_ENTRIES	16
#define VC_FIGS		7
#define VC_SVGS		4

struct vc_key {
	int64_t		 fid;
	long long	 version;
	int64_t		 from, to;
};

struct vc_view {
	struct json_object	*fig[VC_FIGS];
	struct buf		 svg[VC_SVGS];
	int			 why;		/* the page's facts_rc */
};

/* The stored view of k, borrowed until the next vc_put; NULL: none. */
const struct vc_view *vc_get(const struct vc_key *k);
/*
 * Keeps v under k (taking its figures and charts: v is left empty), in
 * place of the least recently used entry.
 */
void	 vc_put(const struct vc_key *k, struct vc_view *v);
/* Empties v (accepts a view vc_put took). */
void	 vc_view_free(struct vc_view *v);
/* Frees every stored view (at exit). */
void	 vc_clear(void);

#endif
