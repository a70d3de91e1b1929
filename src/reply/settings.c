#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "core/buf.h"
#include "core/db.h"
#include "settings.h"

static const char *const settings_days[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

static const struct db_stmt settings_stmt_get = { "settings_get",
	"SELECT tz, work_days, work_start, work_end, goal_seconds,"
	" array_to_json(muted)::text, answer, likes, dismissed,"
	" definition_version, array_to_json(bots)::text"
	" FROM user_settings WHERE fid = $1::bigint",
	1, 1 };

/*
 * NULL parameters keep what is stored (or the default for a new row).  $8,
 * when given, is the whole list of channel goals, a JSON array of
 * {parent_url, goal_seconds} checked by settings_chan_goals: goals not in
 * it go, the others are set.  $9 answer, $10 likes, $11 dismissed: a change
 * of any moves definition_version on, and a change of answer recomputes
 * (or drops) the thread answers (rc_thread_set).  $12 is the list of fids
 * marked as bots.  One statement, so all of it lands or none.
 */
static const struct db_stmt settings_stmt_put = { "settings_put",
	"WITH o AS (SELECT answer FROM user_settings WHERE fid = $1::bigint),"
	" s AS (INSERT INTO user_settings AS u (fid, tz, work_days,"
	" work_start, work_end, goal_seconds, muted, answer, likes, dismissed,"
	" definition_version, bots) VALUES ($1::bigint,"
	" coalesce($2, 'UTC'), coalesce($3::int, 0), coalesce($4::int, 540),"
	" coalesce($5::int, 1020), coalesce($6::int, 3600),"
	" coalesce($7::bigint[], '{}'), coalesce($9, 'direct'),"
	" coalesce($10::boolean, false), coalesce($11, 'counted'),"
	" CASE WHEN (coalesce($9, 'direct'), coalesce($10::boolean, false),"
	"  coalesce($11, 'counted')) = ('direct', false, 'counted')"
	"  THEN 1 ELSE 2 END, coalesce($12::bigint[], '{}'))"
	" ON CONFLICT (fid) DO UPDATE SET tz = coalesce($2, u.tz),"
	" answer = coalesce($9, u.answer),"
	" likes = coalesce($10::boolean, u.likes),"
	" dismissed = coalesce($11, u.dismissed),"
	" definition_version = u.definition_version + CASE WHEN"
	"  (coalesce($9, u.answer), coalesce($10::boolean, u.likes),"
	"  coalesce($11, u.dismissed)) IS DISTINCT FROM"
	"  (u.answer, u.likes, u.dismissed) THEN 1 ELSE 0 END,"
	" work_days = coalesce($3::int, u.work_days),"
	" work_start = coalesce($4::int, u.work_start),"
	" work_end = coalesce($5::int, u.work_end),"
	" goal_seconds = coalesce($6::int, u.goal_seconds),"
	" muted = coalesce($7::bigint[], u.muted),"
	" bots = coalesce($12::bigint[], u.bots), updated_at = now()"
	" RETURNING u.fid, u.answer),"
	" t AS (SELECT rc_thread_set(s.fid, s.answer) FROM s LEFT JOIN o ON true"
	"  WHERE s.answer IS DISTINCT FROM coalesce(o.answer, 'direct')),"
	" n AS (SELECT e->>'parent_url' AS url,"
	" (e->>'goal_seconds')::int AS goal"
	" FROM json_array_elements(coalesce($8::json, '[]')) e),"
	" d AS (DELETE FROM user_channel_goals g WHERE $8 IS NOT NULL"
	"  AND g.fid = $1::bigint AND g.parent_url NOT IN (SELECT url FROM n)),"
	" i AS (INSERT INTO user_channel_goals (fid, parent_url, goal_seconds)"
	" SELECT $1::bigint, url, goal FROM n ON CONFLICT (fid, parent_url)"
	" DO UPDATE SET goal_seconds = excluded.goal_seconds)"
	" SELECT s.fid, (SELECT count(*) FROM t) FROM s", 12, 0 };
static const struct db_stmt settings_stmt_chan_get = { "settings_chan_get",
	"SELECT coalesce(json_agg(json_build_object('parent_url', parent_url,"
	" 'goal_seconds', goal_seconds) ORDER BY parent_url), '[]')::text"
	" FROM user_channel_goals WHERE fid = $1::bigint", 1, 1 };
static const struct db_stmt settings_stmt_tz = { "settings_tz",
	"SELECT name FROM pg_timezone_names ORDER BY name", 0, 1 };

/* Known time zone names (settings_tz_valid), loaded once; read-only after. */
static char	**settings_tz;
static size_t	  settings_ntz;

static struct json_object *
settings_json(int64_t fid, PGresult *r)
{
	struct json_object	*o, *days;
	char			 t[24];
	int			 wd, i, m;

	o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64(fid));
	json_object_object_add(o, "tz", json_object_new_string(
	    r ? PQgetvalue(r, 0, 0) : "UTC"));
	wd = r ? (int)strtol(PQgetvalue(r, 0, 1), NULL, 10) : 0;
	days = json_object_new_array();
	for (i = 0; i < 7; i++)
		if (wd & (1 << i))
			json_object_array_add(days,
			    json_object_new_string(settings_days[i]));
	json_object_object_add(o, "work_days", days);
	m = r ? (int)strtol(PQgetvalue(r, 0, 2), NULL, 10) : 540;
	snprintf(t, sizeof(t), "%02d:%02d", m / 60, m % 60);
	json_object_object_add(o, "work_start", json_object_new_string(t));
	m = r ? (int)strtol(PQgetvalue(r, 0, 3), NULL, 10) : 1020;
	snprintf(t, sizeof(t), "%02d:%02d", m / 60, m % 60);
	json_object_object_add(o, "work_end", json_object_new_string(t));
	json_object_object_add(o, "goal_seconds", json_object_new_int64(
	    r ? strtoll(PQgetvalue(r, 0, 4), NULL, 10) : 3600));
	json_object_object_add(o, "muted", r ?
	    json_tokener_parse(PQgetvalue(r, 0, 5)) : json_object_new_array());
	json_object_object_add(o, "answer", json_object_new_string(
	    r ? PQgetvalue(r, 0, 6) : "direct"));
	json_object_object_add(o, "likes", json_object_new_boolean(
	    r ? *PQgetvalue(r, 0, 7) == 't' : 0));
	json_object_object_add(o, "dismissed", json_object_new_string(
	    r ? PQgetvalue(r, 0, 8) : "counted"));
	json_object_object_add(o, "definition_version", json_object_new_int64(
	    r ? strtoll(PQgetvalue(r, 0, 9), NULL, 10) : 1));
	json_object_object_add(o, "bots", r ?
	    json_tokener_parse(PQgetvalue(r, 0, 10)) : json_object_new_array());
	return o;
}

/* "HH:MM" (00:00 to 24:00) as minutes. */
static int
settings_hhmm(struct json_object *v, int *out)
{
	const char	*s;
	int		 h, m;

	if (!json_object_is_type(v, json_type_string))
		return -1;
	s = json_object_get_string(v);
	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int
settings_days_mask(struct json_object *v, int *out)
{
	size_t	 i, k, n;
	int	 mask = 0;

	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > 7)
		return -1;
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(v, i);

		if (!json_object_is_type(d, json_type_string))
			return -1;
		for (k = 0; k < 7; k++)
			if (strcmp(json_object_get_string(d), settings_days[k]) == 0)
				break;
		if (k == 7 || (mask & (1 << k)))
			return -1;
		mask |= 1 << k;
	}
	*out = mask;
	return 0;
}

/* A list of fids (muted, bots) as a PostgreSQL array literal into b. */
static int
settings_fids(struct json_object *v, struct buf *b)
{
	size_t	 i, n;
	int64_t	 f;

	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > 1000)
		return -1;
	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_int) ||
		    (f = json_object_get_int64(e)) <= 0 || f > (1LL << 53))
			return -1;
		buf_printf(b, "%s%" PRId64, i ? "," : "", f);
	}
	return buf_putc(b, '}');
}

static int
settings_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The zone names PostgreSQL knows, sorted; loaded once, read-only after. */
static int
settings_tz_load(struct db *db)
{
	PGresult	*r;
	char		**tz;
	size_t		 i, n;

	if (settings_ntz > 0)
		return 0;
	if (db == NULL || (r = db_exec(db, &settings_stmt_tz, NULL,
	    NULL)) == NULL)
		return -1;
	n = (size_t)PQntuples(r);
	if (n == 0 || (tz = calloc(n, sizeof(*tz))) == NULL) {
		PQclear(r);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((tz[i] = strdup(PQgetvalue(r, (int)i, 0))) == NULL)
			break;
	PQclear(r);
	if (i < n) {		/* out of memory: no half list */
		while (i > 0)
			free(tz[--i]);
		free(tz);
		return -1;
	}
	qsort(tz, n, sizeof(*tz), settings_str_cmp);
	settings_tz = tz;
	settings_ntz = n;
	return 0;
}

int
settings_tz_valid(struct db *db, const char *name)
{
	if (name == NULL || settings_tz_load(db) == -1)
		return 0;
	return bsearch(&name, settings_tz, settings_ntz, sizeof(*settings_tz),
	    settings_str_cmp) != NULL;
}

#define SETTINGS_MAX_CHAN	100
#define SETTINGS_MAX_URL	512

/* A parent URL as stored: 1 to 512 bytes, no control characters. */
static int
settings_url_ok(struct json_object *u)
{
	const char	*s;
	size_t		 i, n;

	if (!json_object_is_type(u, json_type_string))
		return 0;
	s = json_object_get_string(u);
	n = (size_t)json_object_get_string_len(u);
	if (n == 0 || n > SETTINGS_MAX_URL || strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * channel_goals: a list of at most 100 {"parent_url", "goal_seconds"}
 * with distinct URLs; *ok set when it is one.
 */
static const char *
settings_chan_goals(struct json_object *v, int *ok)
{
	struct json_object	*e, *u, *g;
	size_t			 i, j, n;
	int64_t			 s;

	*ok = 0;
	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > SETTINGS_MAX_CHAN)
		return "channel_goals: a list of at most 100 "
		    "{\"parent_url\", \"goal_seconds\"}";
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_object) ||
		    json_object_object_length(e) != 2 ||
		    !json_object_object_get_ex(e, "parent_url", &u) ||
		    !json_object_object_get_ex(e, "goal_seconds", &g) ||
		    !settings_url_ok(u))
			return "channel_goals: each item is {\"parent_url\": "
			    "a URL of 1 to 512 characters, \"goal_seconds\"}";
		s = json_object_get_int64(g);
		if (!json_object_is_type(g, json_type_int) || s < 60 ||
		    s > 7 * 86400)
			return "channel_goals: goal_seconds is an integer "
			    "from 60 to 604800";
		for (j = 0; j < i; j++)
			if (strcmp(json_object_get_string(json_object_object_get(
			    json_object_array_get_idx(v, j), "parent_url")),
			    json_object_get_string(u)) == 0)
				return "channel_goals: a parent_url appears twice";
	}
	*ok = 1;
	return NULL;
}

/*
 * One member of the answer definition (answer, likes, dismissed) into its
 * parameter ($9 to $11); NULL, or why it is refused.  *other is 1 when k
 * is not one of them.
 */
static const char *
settings_def(const char *k, struct json_object *v, const char **p, int *other)
{
	const char	*s = json_object_get_string(v);

	*other = 0;
	if (strcmp(k, "answer") == 0) {
		if (!json_object_is_type(v, json_type_string) ||
		    (strcmp(s, "direct") != 0 && strcmp(s, "thread") != 0))
			return "answer: \"direct\" or \"thread\"";
		p[8] = s;
	} else if (strcmp(k, "likes") == 0) {
		if (!json_object_is_type(v, json_type_boolean))
			return "likes: true or false";
		p[9] = json_object_get_boolean(v) ? "true" : "false";
	} else if (strcmp(k, "dismissed") == 0) {
		if (!json_object_is_type(v, json_type_string) ||
		    (strcmp(s, "counted") != 0 && strcmp(s, "excluded") != 0))
			return "dismissed: \"counted\" or \"excluded\"";
		p[10] = s;
	} else
		*other = 1;
	return NULL;
}

/* Checks one member; writes its SQL parameter text into val. */
static const char *
settings_one(struct db *db, const char *k, struct json_object *v,
    char val[7][32], struct buf fids[2], const char **p,
    struct json_object **chan)
{
	const char	*why;
	int		 n;

	if ((why = settings_def(k, v, p, &n)) != NULL || n == 0)
		return why;
	if (strcmp(k, "tz") == 0) {
		if (!json_object_is_type(v, json_type_string) ||
		    !settings_tz_valid(db, json_object_get_string(v)))
			return "tz: not a known IANA time zone name";
		p[1] = json_object_get_string(v);
	} else if (strcmp(k, "work_days") == 0) {
		if (settings_days_mask(v, &n) == -1)
			return "work_days: a list of distinct days: mon, tue, "
			    "wed, thu, fri, sat, sun";
		snprintf(val[2], 32, "%d", n);
		p[2] = val[2];
	} else if (strcmp(k, "work_start") == 0 || strcmp(k, "work_end") == 0) {
		if (settings_hhmm(v, &n) == -1)
			return k[5] == 's' ? "work_start: a time HH:MM" :
			    "work_end: a time HH:MM";
		snprintf(val[k[5] == 's' ? 3 : 4], 32, "%d", n);
		p[k[5] == 's' ? 3 : 4] = val[k[5] == 's' ? 3 : 4];
	} else if (strcmp(k, "goal_seconds") == 0) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 60 ||
		    json_object_get_int64(v) > 7 * 86400)
			return "goal_seconds: an integer from 60 to 604800";
		snprintf(val[5], 32, "%" PRId64, json_object_get_int64(v));
		p[5] = val[5];
	} else if (strcmp(k, "muted") == 0) {
		if (settings_fids(v, &fids[0]) == -1)
			return "muted: a list of at most 1000 positive fids";
		p[6] = fids[0].ptr;
	} else if (strcmp(k, "bots") == 0) {
		if (settings_fids(v, &fids[1]) == -1)
			return "bots: a list of at most 1000 positive fids";
		p[11] = fids[1].ptr;
	} else if (strcmp(k, "channel_goals") == 0) {
		if ((why = settings_chan_goals(v, &n)) != NULL)
			return why;
		*chan = v;
	} else
		return "unknown member (allowed: tz, work_days, work_start, "
		    "work_end, goal_seconds, muted, bots, channel_goals, answer, "
		    "likes, dismissed)";
	return NULL;
}

enum settings_res
settings_apply(struct db *db, int64_t fid, struct json_object *o, char *err,
    size_t errsz)
{
	struct buf	 fids[2];
	char		 val[7][32], f[24], state[6];
	const char	*p[12] = { NULL }, *why = NULL;
	struct json_object	*chan = NULL;
	PGresult		*r;
	enum settings_res	 rc = SETTINGS_OK;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errsz, "body: not a JSON object");
		return SETTINGS_BAD;
	}
	buf_init(&fids[0], 0);
	buf_init(&fids[1], 0);
	json_object_object_foreach(o, k, v) {
		if ((why = settings_one(db, k, v, val, fids, p,
		    &chan)) != NULL)
			break;
	}
	snprintf(f, sizeof(f), "%" PRId64, fid);
	p[0] = f;
	if (chan != NULL)
		p[7] = json_object_to_json_string_ext(chan,
		    JSON_C_TO_STRING_PLAIN);
	if (why != NULL) {
		snprintf(err, errsz, "%s", why);
		rc = SETTINGS_BAD;
	} else if ((r = db_exec(db, &settings_stmt_put, p, state)) != NULL) {
		PQclear(r);
	} else if (strcmp(state, "23514") == 0) {
		snprintf(err, errsz, "work_start: must be before work_end");
		rc = SETTINGS_BAD;
	} else
		rc = SETTINGS_EDB;
	buf_free(&fids[0]);
	buf_free(&fids[1]);
	return rc;
}

struct json_object *
settings_get(struct db *db, int64_t fid)
{
	char			 f[24];
	const char		*p[1] = { f };
	struct json_object	*o;
	PGresult		*r;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &settings_stmt_get, p, NULL)) == NULL)
		return NULL;
	o = settings_json(fid, PQntuples(r) == 1 ? r : NULL);
	PQclear(r);
	if (o == NULL ||
	    (r = db_exec(db, &settings_stmt_chan_get, p, NULL)) == NULL) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "channel_goals",
	    json_tokener_parse(PQgetvalue(r, 0, 0)));
	PQclear(r);
	return o;
}
