#ifndef RC_DASH_SCOPE_H
#define RC_DASH_SCOPE_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct json_object;

/*
 * What an overview covers, for people who read it: the window in words
 * and its zone, a sentence for a window with nothing in it, which figures
 * have no value, and how each window figure changed since the window of
 * the same length just before (both summaries made by the same figure
 * API, so both follow the user's answer definition).
 *
 *   words     "1–30 Nov 2026"          between  "between 1 and 30 Nov 2026"
 *   tz        the summary's zone       prev     "the previous 30 days"
 *   from, to  the window, unix seconds
 *   nil.K     true when figure K has no value (the card shows a dash)
 *   change.K  "▼ 12 % faster than the previous 30 days" (median, p90,
 *             rate, goal, answered), only when both windows have it
 *   no_inbound, no_answered, no_prev   sentences, only when so
 *
 * db turns the window's ends into days of the zone (none for UTC).  NULL
 * when out of memory.
 */
struct json_object	*dash_scope(struct db *, struct json_object *cur,
			    struct json_object *prev);

/* The window's "between ..." of a scope ("" when missing). */
const char		*dash_scope_between(struct json_object *scope);

#endif
