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
 * "goal_seconds"}, ...]}.  muted and bots also take usernames ("@name" or
 * "name", resolved against the stored profiles), mixed with fids; read
 * back, they are fids, and muted_accounts / bots_accounts name them:
 * [{"fid", "username", "display_name"}] (null when no profile is stored).  channel_goals, when given, is the whole list: a
 * goal per channel (the inbound cast's parent_url) that overrides
 * goal_seconds in the channels figure.  muted authors leave the inbox and
 * the figures; bots (counterparts U marked as bots) stay in both and come
 * last in the priority inbox.
 */

enum settings_res {
	SETTINGS_EDB = -1,	/* the database failed */
	SETTINGS_OK = 0,
	SETTINGS_BAD,		/* refused: err names the member */
	SETTINGS_UNKNOWN,	/* a username no stored profile has: err names it */
};

#define SETTINGS_MAX_LIST	1000	/* fids in muted or bots */
#define SETTINGS_NAME_MAX	64	/* bytes of a username */

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

/*
 * A list as people type it, "@name, 123, name2" (commas or spaces): a new
 * JSON array of fids (numbers) and usernames (strings, without "@",
 * lower-cased), for muted or bots.  NULL with why in err on a bad item.
 * Pure.
 */
struct json_object	*settings_list_parse(const char *s, char *err,
			    size_t errsz);
/*
 * A duration as a form gives it: a positive number with at most two
 * decimals and a unit ("minutes", "hours", "days"), as whole seconds.
 * 0, or -1 when either is bad.  Pure.
 */
int			 settings_duration(const char *num, const char *unit,
			    int64_t *secs);
/*
 * secs in the largest unit it fills without a remainder of more than two
 * decimals: the number into num, the unit name (static) into *unit.  Pure.
 */
void			 settings_duration_show(int64_t secs, char num[32],
			    const char **unit);

/* One zone of the picker: its name and its offset from UTC now. */
struct settings_zone {
	const char	*name;
	const char	*region;	/* "Europe" of "Europe/Berlin" */
	int		 offset_min;
};
/*
 * The zones a person picks from (Region/City names and UTC), sorted, with
 * their offset now: read from pg_timezone_names and kept by this process
 * until the next quarter hour (when offsets can change).  *n gets the
 * count; NULL when the list cannot be read.  Valid until the next call.
 */
const struct settings_zone *settings_zones(struct db *, size_t *n);
/* Frees the lists kept above (at exit); the next call reads them again. */
void			 settings_free(void);

#endif
