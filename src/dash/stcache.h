#ifndef RC_DASH_STCACHE_H
#define RC_DASH_STCACHE_H
#include <stdint.h>

struct json_object;

/*
 * Per process, short-term: answers the overview reads from PostgreSQL on
 * every view although they change rarely, each kept for a few seconds
 * under (fid, what).  On the overview these queries cost PostgreSQL more
 * than every other part of the page (bench/README.md, sixth round).
 *   what = 7, 30, 90: where the user stands over that many days
 *   (reply/standing.h), which changes only when the standing table is
 *   refreshed (hourly by default): kept STC_STANDING_S.
 *   what = STC_NO_IMPORT: the user has no import to show (none, or done),
 *   a state that lasts: kept STC_IMPORT_S.  An open import is read on
 *   every view, since its banner counts seconds.
 */
#define STC_ENTRIES	64
#define STC_STANDING_S	30
#define STC_IMPORT_S	5
#define STC_NO_IMPORT	0

/* A new reference to the answer under (fid, what) if made less than ttl_s ago, else NULL. */
struct json_object	*stc_get(int64_t fid, int what, long long now_s,
			    long ttl_s);
/* Keeps a reference to o as the answer under (fid, what), made at now_s. */
void			 stc_put(int64_t fid, int what, struct json_object *o,
			    long long now_s);
/* Drops every answer (at exit). */
void			 stc_clear(void);

#endif
