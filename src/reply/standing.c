#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "core/db.h"
#include "eng.h"
#include "facts.h"
#include "fig.h"
#include "standing.h"

static const int standing_windows[] = { 7, 30, 90 };
#define STANDING_NWIN	(sizeof(standing_windows) / sizeof(*standing_windows))

/* One refresh at a time across the instance: a session advisory lock. */
static const struct db_stmt standing_stmt_lock = { "standing_lock",
	"SELECT pg_try_advisory_lock(hashtext('replycast standing'))", 0, 1 };
static const struct db_stmt standing_stmt_unlock = { "standing_unlock",
	"SELECT pg_advisory_unlock(hashtext('replycast standing'))", 0, 1 };
static const struct db_stmt standing_stmt_tracked = { "standing_tracked",
	"SELECT fid FROM tracked ORDER BY fid", 0, 1 };
static const struct db_stmt standing_stmt_put = { "standing_put",
	"INSERT INTO standing (days, fid, inbound, answered, median_seconds,"
	" window_end, computed_at) VALUES ($1::int, $2::bigint, $3::bigint,"
	" $4::bigint, $5::float8, to_timestamp($6::float8), now())"
	" ON CONFLICT (days, fid) DO UPDATE SET inbound = EXCLUDED.inbound,"
	" answered = EXCLUDED.answered, median_seconds = EXCLUDED.median_seconds,"
	" window_end = EXCLUDED.window_end, computed_at = EXCLUDED.computed_at",
	6, 1 };
/* What this refresh did not write: fids no longer tracked. */
static const struct db_stmt standing_stmt_prune = { "standing_prune",
	"DELETE FROM standing WHERE window_end <> to_timestamp($1::float8)",
	1, 1 };
static const struct db_stmt standing_stmt_due = { "standing_due",
	"SELECT coalesce(max(computed_at) <= now() - make_interval(secs =>"
	" $1::float8), true) FROM standing", 1, 1 };

/*
 * The group (tracked users with enough inbound casts in the window), how
 * many of the others are slower than fid (a larger median, or none: a
 * user with no answered cast is slower than anyone with one), and fid's
 * own row.  Equal medians are not slower.
 */
static const struct db_stmt standing_stmt_place = { "standing_place",
	"WITH g AS (SELECT s.fid, s.median_seconds FROM standing s"
	"  JOIN tracked t ON t.fid = s.fid"
	"  WHERE s.days = $2::int AND s.inbound >= $3::bigint),"
	" me AS (SELECT s.inbound, s.answered, s.median_seconds, s.window_end,"
	"  s.computed_at, EXISTS (SELECT 1 FROM tracked t WHERE t.fid = s.fid)"
	"  AS tracked FROM standing s WHERE s.days = $2::int"
	"  AND s.fid = $1::bigint)"
	" SELECT (SELECT count(*) FROM g),"
	" (SELECT count(*) FROM g WHERE g.fid <> $1::bigint"
	"  AND me.median_seconds IS NOT NULL AND (g.median_seconds IS NULL"
	"  OR g.median_seconds > me.median_seconds)),"
	" me.inbound, me.answered, me.median_seconds,"
	" extract(epoch FROM me.window_end)::bigint,"
	" extract(epoch FROM me.computed_at)::bigint, me.tracked,"
	" (SELECT extract(epoch FROM max(window_end))::bigint FROM standing"
	"  WHERE days = $2::int)"
	" FROM (SELECT 1) AS one LEFT JOIN me ON true", 3, 1 };

int
standing_window_ok(int days)
{
	size_t	 i;

	for (i = 0; i < STANDING_NWIN; i++)
		if (standing_windows[i] == days)
			return 1;
	return 0;
}

/* Runs a statement that returns one boolean: 1, 0, or -1. */
static int
standing_bool(struct db *db, const struct db_stmt *st, const char *const *p)
{
	PGresult	*r;
	int		 v;

	if ((r = db_exec(db, st, p, NULL)) == NULL)
		return -1;
	v = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return v;
}

int
standing_due(struct db *db, long every_s)
{
	char		 e[24];
	const char	*p[1] = { e };

	snprintf(e, sizeof(e), "%ld", every_s);
	return standing_bool(db, &standing_stmt_due, p);
}

/*
 * One user's window from the summary (read model first, as every figure),
 * written to its row: 0, or -1.
 */
static int
standing_one(struct db *db, struct facts_cache *fc, int64_t fid, int days,
    int64_t now, struct standing_run *run)
{
	struct fig_req		 f;
	struct json_object	*o, *med;
	enum facts_rc		 why;
	char			 d[16], fs[24], in[24], ans[24], m[40], end[24];
	const char		*p[6] = { d, fs, in, ans, NULL, end };
	PGresult		*r;

	memset(&f, 0, sizeof(f));
	f.kind = FIG_SUMMARY;
	f.q.fid = fid;
	f.q.from = now - (int64_t)days * 86400;
	f.q.to = now;
	f.q.now = now;
	/* The cache lives for this run only: one version serves it whole. */
	if ((o = fig_get(fc, db, &f, 1, &why)) == NULL)
		return -1;
	run->sql += why != FACTS_OK;
	snprintf(d, sizeof(d), "%d", days);
	snprintf(fs, sizeof(fs), "%" PRId64, fid);
	snprintf(in, sizeof(in), "%" PRId64, json_object_get_int64(
	    json_object_object_get(o, "inbound")));
	snprintf(ans, sizeof(ans), "%" PRId64, json_object_get_int64(
	    json_object_object_get(o, "answered")));
	med = json_object_object_get(json_object_object_get(o,
	    "reply_seconds"), "median");
	if (med != NULL) {
		snprintf(m, sizeof(m), "%.17g", json_object_get_double(med));
		p[4] = m;
	}
	snprintf(end, sizeof(end), "%" PRId64, now);
	json_object_put(o);
	if ((r = db_exec(db, &standing_stmt_put, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* Every tracked user, every window; then the rows not written go. */
static int
standing_all(struct db *db, struct facts_cache *fc, int64_t now,
    struct standing_run *run)
{
	PGresult	*r, *x;
	char		 end[24];
	const char	*p[1] = { end };
	size_t		 w;
	int		 i, rc = -1;

	if ((r = db_exec(db, &standing_stmt_tracked, NULL, NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++) {
		for (w = 0; w < STANDING_NWIN; w++)
			if (standing_one(db, fc, strtoll(PQgetvalue(r, i, 0),
			    NULL, 10), standing_windows[w], now, run) == -1)
				goto out;
		run->users++;
	}
	snprintf(end, sizeof(end), "%" PRId64, now);
	if ((x = db_exec(db, &standing_stmt_prune, p, NULL)) == NULL)
		goto out;
	PQclear(x);
	rc = 0;
out:
	PQclear(r);
	return rc;
}

int
standing_refresh(struct db *db, long facts_mb, int64_t now,
    struct standing_run *run)
{
	struct facts_cache	*fc = NULL;
	PGresult		*r;
	int			 rc = -1, locked;

	memset(run, 0, sizeof(*run));
	if ((locked = standing_bool(db, &standing_stmt_lock, NULL)) == -1)
		return -1;
	if (!locked) {
		run->skipped = 1;
		return 0;
	}
	if (facts_cache_open(facts_mb, &fc) == 0)
		rc = standing_all(db, fc, now, run);
	facts_cache_free(fc);
	if ((r = db_exec(db, &standing_stmt_unlock, NULL, NULL)) != NULL)
		PQclear(r);
	return rc;
}

int
standing_sentence(char *s, size_t sz, int percent, long long others,
    int days)
{
	int	 n;

	n = snprintf(s, sz, "Over the last %d days your median reply time "
	    "was faster than %d %% of the other %lld people on this instance "
	    "with at least %d casts to answer.", days, percent, others,
	    STANDING_MIN_INBOUND);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* What the place query gave. */
struct standing_row {
	long long	 group, slower, inbound, answered;
	int		 has_row, tracked, has_median;
	double		 median;
	int64_t		 window_end, computed_at, newest;
};

static int
standing_read(struct db *db, int64_t fid, int days, struct standing_row *w)
{
	char		 f[24], d[16], mi[16];
	const char	*p[3] = { f, d, mi };
	PGresult	*r;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(d, sizeof(d), "%d", days);
	snprintf(mi, sizeof(mi), "%d", STANDING_MIN_INBOUND);
	if ((r = db_exec(db, &standing_stmt_place, p, NULL)) == NULL)
		return -1;
	memset(w, 0, sizeof(*w));
	if (PQntuples(r) == 1) {
		w->group = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		w->slower = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		w->has_row = !PQgetisnull(r, 0, 2);
		w->inbound = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
		w->answered = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
		w->has_median = !PQgetisnull(r, 0, 4);
		w->median = strtod(PQgetvalue(r, 0, 4), NULL);
		w->window_end = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
		w->computed_at = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
		w->tracked = strcmp(PQgetvalue(r, 0, 7), "t") == 0;
		w->newest = PQgetisnull(r, 0, 8) ? 0 :
		    strtoll(PQgetvalue(r, 0, 8), NULL, 10);
	}
	PQclear(r);
	return 0;
}

/* Why fid's place is not shown, or NULL when it is. */
static const char *
standing_hidden(const struct standing_row *w, long min_group)
{
	if (w->newest == 0)
		return "not_computed";
	if (!w->has_row || !w->tracked)
		return "not_tracked";
	if (w->inbound < STANDING_MIN_INBOUND)
		return "too_few_casts";
	if (w->group < min_group)
		return "group_too_small";
	if (!w->has_median)
		return "no_answered_cast";
	return NULL;
}

static struct json_object *
standing_int_or_null(int ok, int64_t v)
{
	return ok ? json_object_new_int64(v) : NULL;
}

struct json_object *
standing_json(struct db *db, int64_t fid, int days, long min_group)
{
	struct standing_row	 w;
	struct json_object	*o;
	const char		*why;
	char			 s[256];
	int			 pct = 0;

	if (standing_read(db, fid, days, &w) == -1 ||
	    (o = json_object_new_object()) == NULL)
		return NULL;
	why = standing_hidden(&w, min_group);
	if (why == NULL)	/* floor: never more than the share */
		pct = (int)(w.slower * 100 / (w.group - 1));
	json_object_object_add(o, "fid", json_object_new_int64(fid));
	json_object_object_add(o, "days", json_object_new_int(days));
	json_object_object_add(o, "min_inbound",
	    json_object_new_int(STANDING_MIN_INBOUND));
	json_object_object_add(o, "min_group", json_object_new_int64(min_group));
	json_object_object_add(o, "window_end",
	    standing_int_or_null(w.has_row, w.window_end));
	json_object_object_add(o, "computed_at",
	    standing_int_or_null(w.has_row, w.computed_at));
	json_object_object_add(o, "inbound",
	    standing_int_or_null(w.has_row, w.inbound));
	json_object_object_add(o, "answered",
	    standing_int_or_null(w.has_row, w.answered));
	json_object_object_add(o, "median_seconds",
	    w.has_median ? eng_json_num(w.median) : NULL);
	json_object_object_add(o, "shown", json_object_new_boolean(why == NULL));
	json_object_object_add(o, "reason",
	    why ? json_object_new_string(why) : NULL);
	json_object_object_add(o, "group_size",
	    standing_int_or_null(why == NULL, w.group));
	json_object_object_add(o, "faster_than_share", why ? NULL :
	    eng_json_ratio(w.slower, w.group - 1));
	json_object_object_add(o, "faster_than_percent",
	    standing_int_or_null(why == NULL, pct));
	json_object_object_add(o, "sentence", why == NULL &&
	    standing_sentence(s, sizeof(s), pct, w.group - 1, days) == 0 ?
	    json_object_new_string(s) : NULL);
	return o;
}
