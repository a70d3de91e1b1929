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
 * "goal_seconds", "muted": [fid, ...]}.
 */

/*
 * Checks every member of o (members left out keep their value) and stores
 * them for fid.  tz_known decides which zone names pass; NULL asks
 * settings_tz_valid.  Returns 0; 1 with a message naming the member in
 * err; -1 when the database failed.
 */
int			 settings_apply(struct db *, int64_t fid, struct json_object *o,
			    int (*tz_known)(const char *), char *err, size_t errsz);
/*
 * 1 when name is a time zone PostgreSQL knows (pg_timezone_names, read
 * through db once per process and kept); 0 when it is not, or when the
 * list cannot be read.
 */
int			 settings_tz_valid(struct db *, const char *name);
/* The stored settings (or the defaults) as that JSON shape; NULL on error. */
struct json_object	*settings_get(struct db *, int64_t fid);

#endif
