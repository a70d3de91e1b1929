#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/db.h"
#include "reply/speed.h"
#include "scope.h"
#include "when.h"

/* The local days of the window's first and last second. */
static const struct db_stmt dash_stmt_days = { "dash_scope_days",
	"SELECT to_char(to_timestamp($1::bigint) AT TIME ZONE $3::text,"
	" 'YYYY-MM-DD'), to_char(to_timestamp($2::bigint) AT TIME ZONE"
	" $3::text, 'YYYY-MM-DD')", 3, 1 };

static struct json_object *
sc_get(struct json_object *o, const char *path)
{
	struct json_object	*v = o;
	char			 k[64];
	const char		*p = path, *dot;
	size_t			 n;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(k))
			return NULL;
		memcpy(k, p, n);
		k[n] = '\0';
		if (!json_object_object_get_ex(v, k, &v))
			return NULL;
		p += n + (dot ? 1 : 0);
	}
	return v;
}

/*
 * A figure as the API prints it (three decimals at most), so the change
 * shown equals the one computed from the API's two answers.  -1: none.
 */
static int
sc_num(struct json_object *o, const char *path, double *v)
{
	struct json_object	*x = sc_get(o, path);

	if (x == NULL || (!json_object_is_type(x, json_type_int) &&
	    !json_object_is_type(x, json_type_double)))
		return -1;
	*v = round(json_object_get_double(x) * 1000) / 1000;
	return isfinite(*v) ? 0 : -1;
}

static void
sc_day(int64_t t, char *s, size_t sz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sz, "%Y-%m-%d", &tm) == 0)
		snprintf(s, sz, "1970-01-01");
}

/* The days of from and to - 1 in tz; in UTC (and *tz changed) on failure. */
static void
sc_days(struct db *db, const char **tz, int64_t from, int64_t to,
    char a[16], char b[16])
{
	char		 f[24], l[24];
	const char	*p[3] = { f, l, *tz };
	PGresult	*r = NULL;

	if (strcmp(*tz, "UTC") != 0) {
		snprintf(f, sizeof(f), "%" PRId64, from);
		snprintf(l, sizeof(l), "%" PRId64, to - 1);
		r = db_exec(db, &dash_stmt_days, p, NULL);
		if (r != NULL && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
		    !PQgetisnull(r, 0, 1)) {
			snprintf(a, 16, "%s", PQgetvalue(r, 0, 0));
			snprintf(b, 16, "%s", PQgetvalue(r, 0, 1));
			PQclear(r);
			return;
		}
		PQclear(r);
		*tz = "UTC";
	}
	sc_day(from, a, 16);
	sc_day(to - 1, b, 16);
}

static void
sc_str(struct json_object *o, const char *k, const char *s)
{
	json_object_object_add(o, k, json_object_new_string(s));
}

/* words, between, tz, from, to, prev. */
static int
sc_window(struct db *db, struct json_object *o, struct json_object *cur)
{
	struct when_day	 a, b;
	const char	*tz = json_object_get_string(sc_get(cur, "tz"));
	int64_t		 from = json_object_get_int64(sc_get(cur, "from"));
	int64_t		 to = json_object_get_int64(sc_get(cur, "to"));
	long long	 days = llround((double)(to - from) / 86400.0);
	char		 da[16], db_[16], s[96];

	if (tz == NULL || *tz == '\0')
		tz = "UTC";
	sc_days(db, &tz, from, to, da, db_);
	if (when_parse(da, &a) == -1 || when_parse(db_, &b) == -1 ||
	    when_range(s, sizeof(s), &a, &b) == -1)
		return -1;
	sc_str(o, "words", s);
	if (when_between(s, sizeof(s), &a, &b) == -1)
		return -1;
	sc_str(o, "between", s);
	sc_str(o, "tz", tz);
	json_object_object_add(o, "from", json_object_new_int64(from));
	json_object_object_add(o, "to", json_object_new_int64(to));
	if (days <= 1)
		snprintf(s, sizeof(s), "the previous day");
	else
		snprintf(s, sizeof(s), "the previous %lld days", days);
	sc_str(o, "prev", s);
	return 0;
}

/*
 * The change of a figure in words; kind 'd' a duration (lower is
 * faster), 'n' a count, 's' a share (in percentage points).
 */
static int
sc_change(char *s, size_t sz, double cur, double prev, int kind,
    const char *than)
{
	char	 pts[32];
	int	 pct, w;

	if (kind == 's') {
		snprintf(pts, sizeof(pts), "%.1f", fabs(cur - prev) * 100);
		if (strcmp(pts, "0.0") == 0)
			w = snprintf(s, sz, "about the same as %s", than);
		else
			w = snprintf(s, sz, "%s %s points %s than %s",
			    cur > prev ? "▲" : "▼", pts,
			    cur > prev ? "higher" : "lower", than);
		return w < 0 || (size_t)w >= sz ? -1 : 0;
	}
	switch (speed_percent(cur, prev, &pct)) {
	case -1:
		w = snprintf(s, sz, "▼ %d %% %s than %s", pct,
		    kind == 'd' ? "faster" : "fewer", than);
		break;
	case 1:
		w = snprintf(s, sz, "▲ %d %% %s than %s", pct,
		    kind == 'd' ? "slower" : "more", than);
		break;
	case 2:
		w = snprintf(s, sz, "▲ %s, from 0 in %s",
		    kind == 'd' ? "slower" : "more", than);
		break;
	default:
		w = snprintf(s, sz, "about the same as %s", than);
		break;
	}
	return w < 0 || (size_t)w >= sz ? -1 : 0;
}

/* The card's key, the summary's path, the kind of change. */
static const struct {
	const char	*key, *path;
	int		 kind;
} sc_figs[] = {
	{ "median", "reply_seconds.median", 'd' },
	{ "p90", "reply_seconds.p90", 'd' },
	{ "rate", "reply_rate", 's' },
	{ "goal", "within_goal_share", 's' },
	{ "answered", "answered", 'n' },
	{ "km_median", "time_to_answer.km_median", 0 },
	{ "km_p90", "time_to_answer.km_p90", 0 },
	{ "within_1h", "reply_rate_within.1h", 0 },
	{ "within_24h", "reply_rate_within.24h", 0 },
};

static int
sc_figures(struct json_object *o, struct json_object *cur,
    struct json_object *prev, const char *than)
{
	struct json_object	*nil = json_object_new_object();
	struct json_object	*chg = json_object_new_object();
	double			 c, p;
	char			 s[128];
	size_t			 i;
	int			 has_c;

	json_object_object_add(o, "nil", nil);
	json_object_object_add(o, "change", chg);
	for (i = 0; i < sizeof(sc_figs) / sizeof(sc_figs[0]); i++) {
		has_c = sc_num(cur, sc_figs[i].path, &c) == 0;
		if (!has_c)
			json_object_object_add(nil, sc_figs[i].key,
			    json_object_new_boolean(1));
		if (!has_c || sc_figs[i].kind == 0 || prev == NULL ||
		    sc_num(prev, sc_figs[i].path, &p) == -1)
			continue;
		if (sc_change(s, sizeof(s), c, p, sc_figs[i].kind, than) ==
		    -1)
			return -1;
		sc_str(chg, sc_figs[i].key, s);
	}
	return 0;
}

/* The sentences of a window with nothing (or nothing answered) in it. */
static int
sc_sentences(struct json_object *o, struct json_object *cur,
    struct json_object *prev)
{
	const char	*btw = dash_scope_between(o);
	const char	*than = json_object_get_string(sc_get(o, "prev"));
	int64_t		 in = json_object_get_int64(sc_get(cur, "inbound"));
	int64_t		 ans = json_object_get_int64(sc_get(cur, "answered"));
	char		 s[256];
	int		 w = 0;

	if (in == 0)
		w = snprintf(s, sizeof(s), "Nobody replied to or mentioned "
		    "you %s, so this window has no reply time, rate or share "
		    "to show.", btw);
	else if (ans == 0)
		w = snprintf(s, sizeof(s), "No answered casts %s: %" PRId64
		    " came in and none has an answer yet, so there is no reply "
		    "time to show.", btw, in);
	if (w < 0 || (size_t)w >= sizeof(s))
		return -1;
	if (w > 0)
		sc_str(o, in == 0 ? "no_inbound" : "no_answered", s);
	if (in > 0 && prev != NULL &&
	    json_object_get_int64(sc_get(prev, "inbound")) == 0) {
		w = snprintf(s, sizeof(s), "No casts came in during %s, so "
		    "there is nothing to compare with.", than);
		if (w < 0 || (size_t)w >= sizeof(s))
			return -1;
		sc_str(o, "no_prev", s);
	}
	return 0;
}

struct json_object *
dash_scope(struct db *db, struct json_object *cur, struct json_object *prev)
{
	struct json_object	*o = json_object_new_object(), *prev_in;

	if (o == NULL)
		return NULL;
	/* Nothing came in before: no change can be said. */
	if (prev != NULL && json_object_get_int64(sc_get(prev, "inbound")) == 0)
		prev_in = NULL;
	else
		prev_in = prev;
	if (sc_window(db, o, cur) == -1 ||
	    sc_figures(o, cur, prev_in, json_object_get_string(sc_get(o,
	    "prev"))) == -1 || sc_sentences(o, cur, prev) == -1) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

const char *
dash_scope_between(struct json_object *scope)
{
	const char	*s = json_object_get_string(sc_get(scope, "between"));

	return s != NULL ? s : "";
}
