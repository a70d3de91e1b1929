#ifndef RC_SETTINGS_H
#define RC_SETTINGS_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct json_object;

/*
 * A user's settings (time zone, working days and hours, goal, muted fids),
 * as the API and the dashboard read and change them: one JSON shape,
 * {"tz", "work_days": ["mon", ...], "work_start": "09:00", "work_end",
 * "goal_seconds", "muted": [fid, ...], "bots": [fid, ...],
 * "channel_goals": [{"parent_url",
 * "goal_seconds"}, ...]}.  channel_goals, when given, is the whole list: a
 * goal per channel (the inbound cast's parent_url) that overrides
 * goal_seconds in the channels figure.  muted authors leave the inbox and
 * the figures; bots (counterparts U marked as bots) stay in both and come
 * last in the priority inbox.
 */

enum settings_res {
	SETTINGS_EDB = -1,	/* the database failed */
	SETTINGS_OK = 0,
	SETTINGS_BAD,		/* refused: err names the member */
};

/*
 * Checks every member of o (members left out keep their value; a time
 * zone through settings_tz_valid) and stores them for fid.
 */
enum settings_res	 settings_apply(struct db *, int64_t fid,
			    struct json_object *o, char *err, size_t errsz);
/*
 * 1 when name is a time zone PostgreSQL knows (pg_timezone_names, read
 * through db once per process and kept); 0 when it is not, or when the
 * list cannot be read.
 */
int			 settings_tz_valid(struct db *, const char *name);
/* The stored settings (or the defaults) as that JSON shape; NULL on error. */
struct json_object	*settings_get(struct db *, int64_t fid);

#endif
