#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	" definition_version, array_to_json(bots)::text,"
	" rc_accounts_json(muted), rc_accounts_json(bots)"
	" FROM user_settings WHERE fid = $1::bigint",
	1, 1 };
/* Each name's fid: the newest stored profile with that username, or NULL. */
static const struct db_stmt settings_stmt_names = { "settings_names",
	"SELECT n, (SELECT p.fid FROM profiles p WHERE p.username = n"
	" ORDER BY p.updated_at DESC LIMIT 1)"
	" FROM unnest($1::text[]) WITH ORDINALITY AS u(n, o) ORDER BY o",
	1, 1 };
static const struct db_stmt settings_stmt_zones = { "settings_zones",
	"SELECT name, (extract(epoch FROM utc_offset) / 60)::int"
	" FROM pg_timezone_names WHERE name = 'UTC' OR name ~"
	" '^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe"
	"|Indian|Pacific)/[A-Za-z]' ORDER BY name", 0, 1 };

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
	json_object_object_add(o, "muted_accounts", r ?
	    json_tokener_parse(PQgetvalue(r, 0, 11)) : json_object_new_array());
	json_object_object_add(o, "bots_accounts", r ?
	    json_tokener_parse(PQgetvalue(r, 0, 12)) : json_object_new_array());
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

static int	 settings_item(struct json_object *, const char *, size_t);

/* 1 when s is a username as stored: 1 to 64 of [a-z0-9._-], no "-" first. */
static int
settings_name_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > SETTINGS_NAME_MAX || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && strchr("._-", s[i]) == NULL)
			return 0;
	return 1;
}

/* Adds fid f to the array literal b unless it is there (n so far). */
static int
settings_fid_add(struct buf *b, int64_t f, int64_t *seen, size_t *n)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (seen[i] == f)
			return 0;
	seen[(*n)++] = f;
	return buf_printf(b, "%s%" PRId64, *n > 1 ? "," : "", f);
}

/*
 * The fid of each username in list v (strings) into fid[i], in v's order;
 * *unknown set, with the name in why, when no profile has one.  -1 when
 * the database failed.
 */
static int
settings_names(struct db *db, const char *key, struct json_object *v,
    int64_t *fid, char *why, size_t whysz, int *unknown)
{
	struct buf	 names;
	const char	*p[1];
	PGresult	*r;
	size_t		 i, n = json_object_array_length(v);
	int		 k, rc = -1;

	buf_init(&names, 0);
	buf_putc(&names, '{');
	for (i = 0, k = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (json_object_is_type(e, json_type_string))
			buf_printf(&names, "%s\"%s\"", k++ ? "," : "",
			    json_object_get_string(e));
	}
	if (buf_putc(&names, '}') == -1)
		goto out;
	rc = 0;
	if (k == 0)
		goto out;
	p[0] = buf_cstr(&names);
	rc = -1;
	if ((r = db_exec(db, &settings_stmt_names, p, NULL)) == NULL)
		goto out;
	for (i = 0, k = 0; i < n && k < PQntuples(r); i++) {
		if (!json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_string))
			continue;
		if (PQgetisnull(r, k, 1) && !*unknown) {
			*unknown = 1;
			snprintf(why, whysz, "%s: no stored profile has the "
			    "username @%s", key, PQgetvalue(r, k, 0));
		} else if (!PQgetisnull(r, k, 1))
			fid[i] = strtoll(PQgetvalue(r, k, 1), NULL, 10);
		k++;
	}
	PQclear(r);
	rc = 0;
out:
	buf_free(&names);
	return rc;
}

/*
 * A list of accounts (muted, bots): fids and usernames, as a PostgreSQL
 * array literal of distinct fids into b.  0, 1 when it is not such a list
 * (why says so), 2 for an unknown username (why names it), -1 when the
 * database failed.
 */
static int
settings_fids(struct db *db, const char *k, struct json_object *v,
    struct buf *b, char *why, size_t whysz)
{
	struct json_object	*norm, *e;
	int64_t			*seen, *fid;
	size_t			 i, n, nseen = 0;
	int			 unknown = 0, rc = 1;

	snprintf(why, whysz, "%s: a list of at most 1000 fids or usernames", k);
	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > SETTINGS_MAX_LIST)
		return 1;
	if ((seen = calloc(2 * n + 1, sizeof(*seen))) == NULL)
		return -1;
	fid = seen + n;
	norm = json_object_new_array();
	/* "@name", "name" or "123" as a person types them; a number: a fid. */
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (json_object_is_type(e, json_type_string)) {
			if (settings_item(norm, json_object_get_string(e),
			    (size_t)json_object_get_string_len(e)) == -1)
				goto out;
			e = json_object_array_get_idx(norm, i);
		} else
			json_object_array_add(norm, json_object_get(e));
		if (json_object_is_type(e, json_type_string))
			continue;
		if (!json_object_is_type(e, json_type_int) ||
		    (fid[i] = json_object_get_int64(e)) <= 0 ||
		    fid[i] > (1LL << 53))
			goto out;
	}
	if ((rc = settings_names(db, k, norm, fid, why, whysz,
	    &unknown)) == 0 && unknown)
		rc = 2;
	if (rc != 0)
		goto out;
	buf_putc(b, '{');
	for (i = 0; i < n; i++)
		settings_fid_add(b, fid[i], seen, &nseen);
	if (buf_putc(b, '}') == -1)
		rc = -1;
out:
	json_object_put(norm);
	free(seen);
	return rc;
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

/* The account lists of one change and why one was refused. */
struct settings_lists {
	struct buf	 fids[2];	/* muted, bots */
	char		 why[200];
	int		 res;		/* settings_fids' answer */
};

/* Checks one member; writes its SQL parameter text into val. */
static const char *
settings_one(struct db *db, const char *k, struct json_object *v,
    char val[7][32], struct settings_lists *l, const char **p,
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
	} else if (strcmp(k, "muted") == 0 || strcmp(k, "bots") == 0) {
		n = k[0] == 'b';
		if ((l->res = settings_fids(db, k, v, &l->fids[n], l->why,
		    sizeof(l->why))) != 0)
			return l->why;
		p[n ? 11 : 6] = buf_cstr(&l->fids[n]);
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
	struct settings_lists	 l;
	char		 val[7][32], f[24], state[6];
	const char	*p[12] = { NULL }, *why = NULL;
	struct json_object	*chan = NULL;
	PGresult		*r;
	enum settings_res	 rc = SETTINGS_OK;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errsz, "body: not a JSON object");
		return SETTINGS_BAD;
	}
	buf_init(&l.fids[0], 0);
	buf_init(&l.fids[1], 0);
	l.res = 1;
	json_object_object_foreach(o, k, v) {
		if ((why = settings_one(db, k, v, val, &l, p,
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
		rc = l.res == 2 ? SETTINGS_UNKNOWN : l.res == -1 ?
		    SETTINGS_EDB : SETTINGS_BAD;
	} else if ((r = db_exec(db, &settings_stmt_put, p, state)) != NULL) {
		PQclear(r);
	} else if (strcmp(state, "23514") == 0) {
		snprintf(err, errsz, "work_start: must be before work_end");
		rc = SETTINGS_BAD;
	} else
		rc = SETTINGS_EDB;
	buf_free(&l.fids[0]);
	buf_free(&l.fids[1]);
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

/* One item of a typed list into a: a fid, or a username; -1 when bad. */
static int
settings_item(struct json_object *a, const char *s, size_t n)
{
	char		 name[SETTINGS_NAME_MAX + 1];
	uint64_t	 u = 0;
	size_t		 i;
	int		 at = s[0] == '@';

	for (i = 0; !at && i < n && isdigit((unsigned char)s[i]); i++)
		if ((u = u * 10 + (uint64_t)(s[i] - '0')) > (1ULL << 53))
			return -1;
	if (!at && i == n)
		return u == 0 ? -1 : json_object_array_add(a,
		    json_object_new_int64((int64_t)u));
	s += at;
	n -= (size_t)at;
	if (n > SETTINGS_NAME_MAX)
		return -1;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	if (!settings_name_ok(name, n))
		return -1;
	return json_object_array_add(a, json_object_new_string_len(name,
	    (int)n));
}

struct json_object *
settings_list_parse(const char *s, char *err, size_t errsz)
{
	struct json_object	*a = json_object_new_array();
	size_t			 n;

	for (;;) {
		s += strspn(s, ", \t\r\n");
		if (*s == '\0')
			return a;
		n = strcspn(s, ", \t\r\n");
		if (json_object_array_length(a) == SETTINGS_MAX_LIST ||
		    settings_item(a, s, n) == -1) {
			snprintf(err, errsz, "\"%.*s\" is neither a @username "
			    "nor a fid", n > 64 ? 64 : (int)n, s);
			json_object_put(a);
			return NULL;
		}
		s += n;
	}
}

static const struct {
	const char	*name;
	int64_t		 secs;
} settings_units[] = {
	{ "days", 86400 }, { "hours", 3600 }, { "minutes", 60 },
};

int
settings_duration(const char *num, const char *unit, int64_t *secs)
{
	int64_t		 whole = 0, hundredths = 0;
	size_t		 i, u, nd = 0;

	for (u = 0; u < 3; u++)
		if (unit != NULL && strcmp(unit, settings_units[u].name) == 0)
			break;
	if (u == 3 || num == NULL || !isdigit((unsigned char)*num))
		return -1;
	for (i = 0; isdigit((unsigned char)num[i]) && i < 6; i++)
		whole = whole * 10 + (num[i] - '0');
	if (num[i] == '.') {
		for (i++; isdigit((unsigned char)num[i]) && nd < 2; i++, nd++)
			hundredths += (num[i] - '0') * (nd == 0 ? 10 : 1);
		if (nd == 0)
			return -1;
	}
	if (num[i] != '\0')
		return -1;
	*secs = whole * settings_units[u].secs +
	    hundredths * settings_units[u].secs / 100;
	return *secs > 0 ? 0 : -1;
}

void
settings_duration_show(int64_t secs, char num[32], const char **unit)
{
	size_t	 u;
	int64_t	 s, h;

	for (u = 0; u < 2; u++)
		if (secs >= settings_units[u].secs &&
		    secs * 100 % settings_units[u].secs == 0)
			break;
	s = settings_units[u].secs;
	*unit = settings_units[u].name;
	h = secs * 100 / s;
	if (h % 100 == 0)
		snprintf(num, 32, "%" PRId64, h / 100);
	else if (h % 10 == 0)
		snprintf(num, 32, "%" PRId64 ".%" PRId64, h / 100, h % 100 / 10);
	else
		snprintf(num, 32, "%" PRId64 ".%02" PRId64, h / 100, h % 100);
}

/*
 * The picker's zones.  Unlike the names above, offsets move with daylight
 * saving, so the list is read again once its quarter hour is over (every
 * change of offset falls on one); a single-threaded pool, so no lock.
 */
static struct settings_zone	*settings_zl;
static size_t			 settings_nzl;
static char			*settings_zbuf;
static time_t			 settings_zq = -1;

static void
settings_zones_free(void)
{
	free(settings_zl);
	free(settings_zbuf);
	settings_zl = NULL;
	settings_zbuf = NULL;
	settings_nzl = 0;
	settings_zq = -1;
}

/* Copies r's rows into one block of names and the zone list. */
static int
settings_zones_fill(PGresult *r)
{
	size_t	 i, n = (size_t)PQntuples(r), len = 0, at = 0;
	char	*slash;

	for (i = 0; i < n; i++)
		len += (size_t)PQgetlength(r, (int)i, 0) * 2 + 2;
	if (n == 0 || (settings_zl = calloc(n, sizeof(*settings_zl))) == NULL ||
	    (settings_zbuf = malloc(len)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *v = PQgetvalue(r, (int)i, 0);
		size_t vl = (size_t)PQgetlength(r, (int)i, 0);

		memcpy(settings_zbuf + at, v, vl + 1);
		settings_zl[i].name = settings_zbuf + at;
		at += vl + 1;
		slash = strchr(v, '/');
		vl = slash ? (size_t)(slash - v) : vl;
		memcpy(settings_zbuf + at, v, vl);
		settings_zbuf[at + vl] = '\0';
		settings_zl[i].region = settings_zbuf + at;
		at += vl + 1;
		settings_zl[i].offset_min = (int)strtol(PQgetvalue(r, (int)i,
		    1), NULL, 10);
	}
	settings_nzl = n;
	return 0;
}

const struct settings_zone *
settings_zones(struct db *db, size_t *n)
{
	PGresult	*r;
	time_t		 q = time(NULL) / 900;

	if (settings_zq != q) {
		settings_zones_free();
		if ((r = db_exec(db, &settings_stmt_zones, NULL, NULL)) == NULL)
			return NULL;
		if (settings_zones_fill(r) == -1) {
			PQclear(r);
			settings_zones_free();
			return NULL;
		}
		PQclear(r);
		settings_zq = q;
	}
	*n = settings_nzl;
	return settings_zl;
}

void
settings_free(void)
{
	size_t	 i;

	for (i = 0; i < settings_ntz; i++)
		free(settings_tz[i]);
	free(settings_tz);
	settings_tz = NULL;
	settings_ntz = 0;
	settings_zones_free();
}
