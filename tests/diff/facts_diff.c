/*
 * The differential test of the read model (src/reply/facts.c) against the
 * SQL engine (src/reply/eng.c), the reference: random users, windows (DST
 * switches included), zones, working hours, goals and mutes, and before
 * and after a late answer, a removal, a settings change (what counts as an
 * answer included), an answer deeper in a thread, a like and a done mark,
 * each written
 * the way the product writes it (store.c, settings_apply).  Every figure
 * must match: same keys in the same order, integers and strings exactly,
 * numbers within 1e-9 relative.  It writes to the database it is given:
 * point it at a scratch copy (tests/integration/t_60_facts_diff.sh).
 *
 *   facts_diff [-s SEED] [-n CASES] [-u USERS] [-k BUDGET_KB] [-v]
 *
 * RC_PG_DSN names the database.  Exit 0 when every figure matched.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "core/db.h"
#include "reply/eng.h"
#include "reply/facts.h"
#include "reply/ing.h"
#include "reply/settings.h"
#include "reply/store.h"
#include "reply/triage.h"

#define FD_TOL		1e-9
#define FD_MAX_USERS	64

enum fd_fig {
	FD_SUMMARY, FD_DISTRIBUTION, FD_HEATMAP, FD_TREND_DAY, FD_TREND_WEEK,
	FD_COUNTERPARTS, FD_STREAK, FD_CHANNELS, FD_SPEED, FD__MAX
};

static const char *const fd_fig_names[FD__MAX] = {
	"summary", "distribution", "heatmap", "trend-day", "trend-week",
	"counterparts", "streak", "channels", "speed",
};

/* Parent URLs a channel goal may name: the generator's (src/ingest/gen.c). */
static const char *const fd_channels[] = {
	"https://warpcast.com/~/channel/dev",
	"https://farcaster.xyz/~/channel/replycast",
	"chain://eip155:1/erc721:0x5af0d9827e0c53e4799bb226655a1de152a425a5",
	"https://example.com/a",
};

/* Zones asked for explicitly; NULL: the user's own. */
static const char *const fd_zones[] = {
	NULL, NULL, "UTC", "America/New_York", "Europe/Berlin",
	"Pacific/Chatham", "Asia/Kolkata", "Australia/Lord_Howe",
};

/* Daylight-saving switches of 2025 in those zones (unix seconds). */
static const int64_t fd_switches[] = {
	1741503600, 1762063200,		/* America/New_York */
	1743296400, 1761440400,		/* Europe/Berlin */
	1743861600, 1758981600,		/* Pacific/Chatham */
	1743865200, 1759591800,		/* Australia/Lord_Howe */
};

#define FD_NELEM(a)	(sizeof(a) / sizeof(*(a)))

struct fd_user {
	int64_t		 fid;
	long long	 version;
};

struct fd_ctx {
	struct db		*db;
	struct facts_cache	*fc;
	uint64_t		 rng;
	struct fd_user		 users[FD_MAX_USERS];
	size_t			 nusers;
	int64_t			 tmin, tmax;
	long			 figures, fallbacks, textdiff, failures;
	long			 sentences;	/* speed sentences both gave */
	int			 verbose;
};

static const struct db_stmt fd_stmt_users = { "fd_users",
	"SELECT fid FROM inbound GROUP BY fid ORDER BY count(*) DESC, fid"
	" LIMIT $1::int", 1, 1 };
/* A database someone uses: facts_diff changes its users' data. */
static const struct db_stmt fd_stmt_accounts = { "fd_accounts",
	"SELECT EXISTS (SELECT 1 FROM accounts)", 0, 1 };
static const struct db_stmt fd_stmt_span = { "fd_span",
	"SELECT extract(epoch FROM min(ts))::bigint,"
	" extract(epoch FROM max(ts))::bigint FROM inbound", 0, 1 };
static const struct db_stmt fd_stmt_open = { "fd_open",
	"SELECT '0x' || encode(hash, 'hex'), author_fid,"
	" extract(epoch FROM ts)::bigint FROM inbound"
	" WHERE fid = $1::bigint AND answered_at IS NULL AND NOT deleted"
	" ORDER BY ts, hash OFFSET $2::int LIMIT 1", 2, 1 };
static const struct db_stmt fd_stmt_live = { "fd_live",
	"SELECT '0x' || encode(hash, 'hex'), author_fid,"
	" extract(epoch FROM ts)::bigint,"
	" '0x' || encode(answer_hash, 'hex') FROM inbound"
	" WHERE fid = $1::bigint AND NOT deleted"
	" ORDER BY ts, hash OFFSET $2::int LIMIT 1", 2, 1 };
static const struct db_stmt fd_stmt_authors = { "fd_authors",
	"SELECT DISTINCT author_fid FROM inbound WHERE fid = $1::bigint"
	" ORDER BY 1 LIMIT 40", 1, 1 };

/* The ingest's stage tables say NOTICE when they exist already. */
static void
fd_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* splitmix64: the same seed gives the same run. */
static uint64_t
fd_next(struct fd_ctx *c)
{
	uint64_t	 z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi); lo when the range is empty. */
static int64_t
fd_range(struct fd_ctx *c, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(fd_next(c) % (uint64_t)(hi - lo));
}

static int
fd_num_same(struct json_object *a, struct json_object *b)
{
	double	 x = json_object_get_double(a), y = json_object_get_double(b);
	double	 m = fmax(fabs(x), fabs(y));

	return x == y || fabs(x - y) <= FD_TOL * m;
}

/*
 * 1 when the trees match (keys in order, numbers within FD_TOL); else 0,
 * with the path of the first difference in path.
 */
static int
fd_same(struct json_object *a, struct json_object *b, char *path, size_t sz)
{
	struct json_object_iterator	 ia, ea, ib, eb;
	json_type			 ta = json_object_get_type(a);
	json_type			 tb = json_object_get_type(b);
	size_t				 i, len = strlen(path);

	if (ta == json_type_int && tb == json_type_int)
		return json_object_get_int64(a) == json_object_get_int64(b);
	if ((ta == json_type_double || ta == json_type_int) &&
	    (tb == json_type_double || tb == json_type_int))
		return ta == tb && fd_num_same(a, b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case json_type_null:
		return 1;
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_string:
		return strcmp(json_object_get_string(a),
		    json_object_get_string(b)) == 0;
	case json_type_array:
		if (json_object_array_length(a) != json_object_array_length(b)) {
			snprintf(path + len, sz - len, " (length)");
			return 0;
		}
		for (i = 0; i < json_object_array_length(a); i++) {
			snprintf(path + len, sz - len, "[%zu]", i);
			if (!fd_same(json_object_array_get_idx(a, i),
			    json_object_array_get_idx(b, i), path, sz))
				return 0;
		}
		break;
	case json_type_object:
		ia = json_object_iter_begin(a);
		ea = json_object_iter_end(a);
		ib = json_object_iter_begin(b);
		eb = json_object_iter_end(b);
		for (; !json_object_iter_equal(&ia, &ea);
		    json_object_iter_next(&ia), json_object_iter_next(&ib)) {
			snprintf(path + len, sz - len, ".%s",
			    json_object_iter_peek_name(&ia));
			if (json_object_iter_equal(&ib, &eb) ||
			    strcmp(json_object_iter_peek_name(&ia),
			    json_object_iter_peek_name(&ib)) != 0)
				return 0;
			if (!fd_same(json_object_iter_peek_value(&ia),
			    json_object_iter_peek_value(&ib), path, sz))
				return 0;
		}
		if (!json_object_iter_equal(&ib, &eb)) {
			snprintf(path + len, sz - len, " (extra key)");
			return 0;
		}
		break;
	default:
		return 0;
	}
	path[len] = '\0';
	return 1;
}

static struct json_object *
fd_eng(struct fd_ctx *c, enum fd_fig f, const struct eng_q *q, int sort,
    int limit, int offset)
{
	switch (f) {
	case FD_SUMMARY:
		return eng_summary(c->db, q);
	case FD_DISTRIBUTION:
		return eng_distribution(c->db, q);
	case FD_HEATMAP:
		return eng_heatmap(c->db, q);
	case FD_TREND_DAY:
		return eng_trend(c->db, q, ENG_BUCKET_DAY);
	case FD_TREND_WEEK:
		return eng_trend(c->db, q, ENG_BUCKET_WEEK);
	case FD_COUNTERPARTS:
		return eng_counterparts(c->db, q, sort, limit, offset);
	case FD_CHANNELS:
		return eng_channels(c->db, q, sort, limit, offset);
	case FD_SPEED:
		return eng_speed(c->db, q);
	default:
		return eng_streak(c->db, q);
	}
}

static struct json_object *
fd_facts(struct fd_ctx *c, enum fd_fig f, const struct eng_q *q,
    long long v, int sort, int limit, int offset, enum facts_rc *why)
{
	switch (f) {
	case FD_SUMMARY:
		return facts_summary(c->fc, c->db, q, v, why);
	case FD_DISTRIBUTION:
		return facts_distribution(c->fc, c->db, q, v, why);
	case FD_HEATMAP:
		return facts_heatmap(c->fc, c->db, q, v, why);
	case FD_TREND_DAY:
		return facts_trend(c->fc, c->db, q, v, ENG_BUCKET_DAY, why);
	case FD_TREND_WEEK:
		return facts_trend(c->fc, c->db, q, v, ENG_BUCKET_WEEK, why);
	case FD_COUNTERPARTS:
		return facts_counterparts(c->fc, c->db, q, v, sort, limit,
		    offset, why);
	case FD_CHANNELS:
		return facts_channels(c->fc, c->db, q, v, sort, limit, offset,
		    why);
	case FD_SPEED:
		return facts_speed(c->fc, c->db, q, v, why);
	default:
		return facts_streak(c->fc, c->db, q, v, why);
	}
}

/* The speed trend's sentences present in o (equal in both engines). */
static long
fd_sentences(struct json_object *o)
{
	return (json_object_object_get(json_object_object_get(o, "week"),
	    "sentence") != NULL) + (json_object_object_get(
	    json_object_object_get(o, "month"), "sentence") != NULL);
}

static void
fd_fail(struct fd_ctx *c, const char *what, enum fd_fig f,
    const struct eng_q *q, const char *detail, struct json_object *e,
    struct json_object *m)
{
	c->failures++;
	printf("FAIL %s %s fid=%" PRId64 " from=%" PRId64 " to=%" PRId64
	    " tz=%s: %s\n", what, fd_fig_names[f], q->fid, q->from, q->to,
	    q->tz ? q->tz : "(own)", detail);
	printf("  sql:    %s\n", e ? json_object_to_json_string(e) : "NULL");
	printf("  memory: %s\n", m ? json_object_to_json_string(m) : "NULL");
}

/* Every figure for one (user, window, zone); returns the failures. */
static long
fd_case(struct fd_ctx *c, const struct fd_user *u, const struct eng_q *q,
    const char *what)
{
	struct json_object	*e, *m;
	enum facts_rc		 why;
	char			 path[256];
	long			 before = c->failures;
	int			 f, sort, limit, offset;

	sort = (int)fd_range(c, 0, 4);
	limit = (int)fd_range(c, 0, 60);
	offset = fd_range(c, 0, 3) == 0 ? (int)fd_range(c, 0, 20) : 0;
	for (f = 0; f < FD__MAX; f++) {
		e = fd_eng(c, f, q, sort, limit, offset);
		m = fd_facts(c, f, q, u->version, sort, limit, offset, &why);
		c->figures++;
		path[0] = '\0';
		if (e == NULL)
			fd_fail(c, what, f, q, "the SQL engine failed", e, m);
		else if (m == NULL && (why == FACTS_UNSUPPORTED ||
		    why == FACTS_TOOBIG)) {
			c->fallbacks++;
			if (c->verbose)
				printf("fallback %s: %s\n", fd_fig_names[f],
				    facts_rc_name(why));
		} else if (m == NULL)
			fd_fail(c, what, f, q, facts_rc_name(why), e, m);
		else if (!fd_same(e, m, path, sizeof(path)))
			fd_fail(c, what, f, q, path[0] ? path : "(top)", e, m);
		else if (strcmp(json_object_to_json_string(e),
		    json_object_to_json_string(m)) != 0) {
			/* Equal within FD_TOL but printed differently. */
			c->textdiff++;
			if (c->verbose)
				printf("text differs (numbers within 1e-9): %s\n",
				    fd_fig_names[f]);
		}
		if (f == FD_SPEED && e != NULL)
			c->sentences += fd_sentences(e);
		json_object_put(e);
		json_object_put(m);
	}
	return c->failures - before;
}

static void
fd_window(struct fd_ctx *c, struct eng_q *q)
{
	int64_t	 s, a, b;

	switch (fd_range(c, 0, 5)) {
	case 0:		/* all of the data */
		q->from = c->tmin - 86400;
		q->to = c->tmax + 3 * 86400;
		break;
	case 1:		/* around a daylight-saving switch */
		s = fd_switches[fd_range(c, 0, FD_NELEM(fd_switches))];
		q->from = fd_range(c, 0, 4) == 0 ? s : s - fd_range(c, 0, 4 * 86400);
		q->to = fd_range(c, 0, 4) == 0 ? s : s + fd_range(c, 1, 4 * 86400);
		break;
	case 2:		/* whole UTC days, as the dashboard asks */
		q->from = fd_range(c, c->tmin, c->tmax) / 86400 * 86400;
		q->to = q->from + fd_range(c, 1, 40) * 86400;
		break;
	default:	/* anywhere, sometimes empty or backwards */
		a = fd_range(c, c->tmin - 5 * 86400, c->tmax + 5 * 86400);
		b = fd_range(c, c->tmin - 5 * 86400, c->tmax + 5 * 86400);
		q->from = fd_range(c, 0, 20) == 0 ? b : (a < b ? a : b);
		q->to = fd_range(c, 0, 20) == 0 ? a : (a < b ? b : a);
		break;
	}
}

static void
fd_query(struct fd_ctx *c, const struct fd_user *u, struct eng_q *q)
{
	q->fid = u->fid;
	q->tz = fd_zones[fd_range(c, 0, FD_NELEM(fd_zones))];
	fd_window(c, q);
	/* The evaluation time: inside, before or after the data. */
	q->now = fd_range(c, c->tmin - 86400, c->tmax + 10 * 86400);
}

/* Bumps the version of every fid of ours in a comma-separated list. */
static void
fd_bump(struct fd_ctx *c, const char *fids)
{
	const char	*p = fids;
	char		*end;
	int64_t		 f;
	size_t		 i;

	while (p != NULL && *p != '\0') {
		f = strtoll(p, &end, 10);
		for (i = 0; i < c->nusers; i++)
			if (c->users[i].fid == f)
				c->users[i].version++;
		p = *end == ',' ? end + 1 : NULL;
	}
}

static void
fd_hash(struct fd_ctx *c, char *h)
{
	int	 i;

	h[0] = '0';
	h[1] = 'x';
	for (i = 0; i < 40; i++)
		h[2 + i] = "0123456789abcdef"[fd_next(c) & 15];
	h[ING_HASH_LEN] = '\0';
}

/* One record through the ingest's batch store; -1 when it failed. */
static int
fd_ingest(struct fd_ctx *c, const struct ing_rec *r)
{
	struct store		*s;
	struct store_counts	 n = { 0 };
	char			 err[256];
	int			 rc = -1;

	if ((s = store_new()) == NULL)
		return -1;
	if (store_add(s, r) == 0 &&
	    store_flush(s, db_conn(c->db), NULL, &n, err, sizeof(err)) == 0) {
		fd_bump(c, store_last_fids(s));
		rc = 0;
	} else
		printf("ingest failed: %s\n", err);
	store_free(s);
	return rc;
}

/* The n-th row of a statement for u; NULL when there is none. */
static PGresult *
fd_pick(struct fd_ctx *c, const struct db_stmt *st, const struct fd_user *u)
{
	char		 f[24], off[24];
	const char	*p[2] = { f, off };
	PGresult	*r;

	snprintf(f, sizeof(f), "%" PRId64, u->fid);
	snprintf(off, sizeof(off), "%d", (int)fd_range(c, 0, 50));
	if ((r = db_exec(c->db, st, p, NULL)) != NULL && PQntuples(r) == 1)
		return r;
	PQclear(r);
	return NULL;
}

/* u answers one of its open casts, late. */
static int
fd_late_answer(struct fd_ctx *c, const struct fd_user *u)
{
	struct ing_rec	 rec = { 0 };
	PGresult	*r;
	int		 rc;

	if ((r = fd_pick(c, &fd_stmt_open, u)) == NULL)
		return 1;
	rec.kind = ING_CAST;
	rec.recno = 1;
	fd_hash(c, rec.u.cast.hash);
	rec.u.cast.fid = u->fid;
	rec.u.cast.time = strtoll(PQgetvalue(r, 0, 2), NULL, 10) +
	    fd_range(c, 1, 10 * 86400);
	rec.u.cast.text = "a late answer";
	snprintf(rec.u.cast.parent_hash, sizeof(rec.u.cast.parent_hash), "%s",
	    PQgetvalue(r, 0, 0));
	rec.u.cast.parent_fid = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	rc = fd_ingest(c, &rec);
	return rc;
}

/* An inbound cast removed by its author, or u's answer removed by u. */
static int
fd_removal(struct fd_ctx *c, const struct fd_user *u)
{
	struct ing_rec	 rec = { 0 };
	PGresult	*r;
	int		 answer;

	if ((r = fd_pick(c, &fd_stmt_live, u)) == NULL)
		return 1;
	answer = !PQgetisnull(r, 0, 3) && fd_range(c, 0, 2) == 0;
	rec.kind = ING_CAST_REMOVE;
	rec.recno = 1;
	snprintf(rec.u.remove.hash, sizeof(rec.u.remove.hash), "%s",
	    PQgetvalue(r, 0, answer ? 3 : 0));
	rec.u.remove.fid = answer ? u->fid : strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	rec.u.remove.time = strtoll(PQgetvalue(r, 0, 2), NULL, 10) + 86400;
	PQclear(r);
	return fd_ingest(c, &rec);
}

/*
 * Someone replies to one of u's open casts and u answers that reply: an
 * answer below the cast, not to it (a thread answer).
 */
static int
fd_deep_answer(struct fd_ctx *c, const struct fd_user *u)
{
	struct ing_rec	 rec = { 0 };
	PGresult	*r;
	int64_t		 t;

	if ((r = fd_pick(c, &fd_stmt_open, u)) == NULL)
		return 1;
	rec.kind = ING_CAST;
	rec.recno = 1;
	fd_hash(c, rec.u.cast.hash);
	rec.u.cast.fid = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	t = strtoll(PQgetvalue(r, 0, 2), NULL, 10) + fd_range(c, 1, 3600);
	rec.u.cast.time = t;
	rec.u.cast.text = "a reply in the thread";
	snprintf(rec.u.cast.parent_hash, sizeof(rec.u.cast.parent_hash), "%s",
	    PQgetvalue(r, 0, 0));
	rec.u.cast.parent_fid = u->fid;
	PQclear(r);
	if (fd_ingest(c, &rec) == -1)
		return -1;
	snprintf(rec.u.cast.parent_hash, sizeof(rec.u.cast.parent_hash), "%s",
	    rec.u.cast.hash);
	rec.u.cast.parent_fid = rec.u.cast.fid;
	fd_hash(c, rec.u.cast.hash);
	rec.u.cast.fid = u->fid;
	rec.u.cast.time = t + fd_range(c, 1, 2 * 86400);
	rec.u.cast.text = "an answer deeper down";
	return fd_ingest(c, &rec);
}

/* u likes one of its open casts. */
static int
fd_like(struct fd_ctx *c, const struct fd_user *u)
{
	struct ing_rec	 rec = { 0 };
	PGresult	*r;

	if ((r = fd_pick(c, &fd_stmt_open, u)) == NULL)
		return 1;
	rec.kind = ING_LIKE;
	rec.recno = 1;
	rec.u.like.fid = u->fid;
	snprintf(rec.u.like.target_hash, sizeof(rec.u.like.target_hash), "%s",
	    PQgetvalue(r, 0, 0));
	rec.u.like.time = strtoll(PQgetvalue(r, 0, 2), NULL, 10) + 60;
	PQclear(r);
	return fd_ingest(c, &rec);
}

/* u marks one of its casts done in the inbox. */
static int
fd_done(struct fd_ctx *c, struct fd_user *u)
{
	PGresult	*r;
	enum triage_res	 t;

	if ((r = fd_pick(c, &fd_stmt_live, u)) == NULL)
		return 1;
	t = triage_set(c->db, u->fid, PQgetvalue(r, 0, 0), 0);
	PQclear(r);
	u->version++;	/* as api/write.c and dash/forms.c bump it */
	return t == TRIAGE_EDB ? -1 : 0;
}

static struct json_object *
fd_hhmm(int min)
{
	char	 s[8];

	snprintf(s, sizeof(s), "%02d:%02d", min / 60, min % 60);
	return json_object_new_string(s);
}

/* A random subset of the generator's channels with random goals. */
static struct json_object *
fd_chan_goals(struct fd_ctx *c)
{
	struct json_object	*a = json_object_new_array(), *g;
	size_t			 i;

	for (i = 0; i < FD_NELEM(fd_channels); i++) {
		if (fd_range(c, 0, 2) == 0)
			continue;
		g = json_object_new_object();
		json_object_object_add(g, "parent_url",
		    json_object_new_string(fd_channels[i]));
		json_object_object_add(g, "goal_seconds",
		    json_object_new_int64(fd_range(c, 60, 7 * 86400)));
		json_object_array_add(a, g);
	}
	return a;
}

/* Random settings for u, as a user would send them to settings_apply. */
static struct json_object *
fd_settings_json(struct fd_ctx *c, const struct fd_user *u)
{
	static const char *const days[] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun",
	};
	struct json_object	*o, *wd, *mu;
	char			 f[24];
	const char		*p[1] = { f };
	PGresult		*r;
	int			 i, start;

	o = json_object_new_object();
	wd = json_object_new_array();
	mu = json_object_new_array();
	json_object_object_add(o, "tz",
	    json_object_new_string(fd_zones[fd_range(c, 2, FD_NELEM(fd_zones))]));
	for (i = 0; i < 7 && fd_range(c, 0, 3) != 0; i++)
		if (fd_range(c, 0, 3) != 0)
			json_object_array_add(wd, json_object_new_string(days[i]));
	json_object_object_add(o, "work_days", wd);
	start = (int)fd_range(c, 0, 23 * 60);
	json_object_object_add(o, "work_start", fd_hhmm(start));
	json_object_object_add(o, "work_end",
	    fd_hhmm((int)fd_range(c, start + 1, 24 * 60)));
	json_object_object_add(o, "goal_seconds",
	    json_object_new_int64(fd_range(c, 60, 7 * 86400)));
	snprintf(f, sizeof(f), "%" PRId64, u->fid);
	if ((r = db_exec(c->db, &fd_stmt_authors, p, NULL)) != NULL)
		for (i = 0; i < PQntuples(r); i++)
			if (fd_range(c, 0, 8) == 0)
				json_object_array_add(mu, json_object_new_int64(
				    strtoll(PQgetvalue(r, i, 0), NULL, 10)));
	PQclear(r);
	json_object_object_add(o, "muted", mu);
	json_object_object_add(o, "channel_goals", fd_chan_goals(c));
	json_object_object_add(o, "answer", json_object_new_string(
	    fd_range(c, 0, 2) ? "thread" : "direct"));
	json_object_object_add(o, "likes",
	    json_object_new_boolean(fd_range(c, 0, 2) != 0));
	json_object_object_add(o, "dismissed", json_object_new_string(
	    fd_range(c, 0, 2) ? "excluded" : "counted"));
	return o;
}

static int
fd_settings(struct fd_ctx *c, struct fd_user *u)
{
	struct json_object	*o = fd_settings_json(c, u);
	char			 err[256];
	enum settings_res	 rc;

	rc = settings_apply(c->db, u->fid, o, err, sizeof(err));
	if (rc != SETTINGS_OK)
		printf("settings_apply(%s): %d %s\n",
		    json_object_to_json_string(o), rc, err);
	json_object_put(o);
	u->version++;	/* as api/write.c and dash/forms.c bump it */
	return rc;
}

/* The same query before and after a change, each against SQL. */
static void
fd_change(struct fd_ctx *c, struct fd_user *u, int kind)
{
	static const char *const names[] = {
		"before/after a late answer", "before/after a removal",
		"before/after a settings change",
		"before/after an answer deeper in a thread",
		"before/after a like", "before/after a done mark",
	};
	struct eng_q	 q = { 0 };
	char		 what[64];
	int		 rc;

	fd_query(c, u, &q);
	fd_case(c, u, &q, "before a change");
	rc = kind == 0 ? fd_late_answer(c, u) : kind == 1 ? fd_removal(c, u) :
	    kind == 2 ? fd_settings(c, u) : kind == 3 ? fd_deep_answer(c, u) :
	    kind == 4 ? fd_like(c, u) : fd_done(c, u);
	if (rc == -1) {
		c->failures++;
		printf("FAIL %s: the change itself failed\n", names[kind]);
		return;
	}
	snprintf(what, sizeof(what), "%s", names[kind]);
	fd_case(c, u, &q, what);
}

/* The named outcomes the pools rely on: no version, too big. */
static void
fd_refusals(struct fd_ctx *c)
{
	struct facts_cache	*tiny;
	struct json_object	*o;
	struct eng_q		 q = { 0 };
	enum facts_rc		 why;

	q.fid = c->users[0].fid;
	q.from = c->tmin;
	q.to = c->tmax + 1;
	o = facts_summary(c->fc, c->db, &q, 0, &why);
	if (o != NULL || why != FACTS_NOVERSION) {
		c->failures++;
		printf("FAIL version 0 must not be served from memory\n");
	}
	json_object_put(o);
	if ((tiny = facts_cache_new(1024)) == NULL)
		return;
	o = facts_summary(tiny, c->db, &q, 1, &why);
	if (o != NULL || why != FACTS_TOOBIG) {
		c->failures++;
		printf("FAIL a user bigger than the budget must be refused\n");
	}
	json_object_put(o);
	facts_cache_free(tiny);
}

/*
 * A load makes room for what it holds before it allocates: the entries
 * plus the load in progress never pass the budget, as long as one user's
 * load fits it alone.  The budget is half as much again as the most one
 * user's summary holds in a cache of its own, so that loading every user
 * must evict.
 */
static void
fd_peak(struct fd_ctx *c)
{
	struct facts_cache	*fc;
	struct facts_stats	 st;
	struct json_object	*o;
	struct eng_q		 q = { 0 };
	enum facts_rc		 why;
	size_t			 i, one = 0;

	q.from = c->tmin;
	q.to = c->tmax + 1;
	for (i = 0; i < c->nusers; i++) {
		if ((fc = facts_cache_new((size_t)1 << 30)) == NULL)
			return;
		q.fid = c->users[i].fid;
		json_object_put(facts_summary(fc, c->db, &q, 1, &why));
		facts_cache_stats(fc, &st);
		if (st.peak > one)
			one = st.peak;
		facts_cache_free(fc);
	}
	if ((fc = facts_cache_new(one + one / 2)) == NULL)
		return;
	for (i = 0; i < c->nusers; i++) {
		q.fid = c->users[i].fid;
		o = facts_summary(fc, c->db, &q, 1, &why);
		json_object_put(o);
	}
	facts_cache_stats(fc, &st);
	if (st.peak > st.budget || st.peak == 0) {
		c->failures++;
		printf("FAIL loads held up to %zu bytes, budget %zu\n",
		    st.peak, st.budget);
	}
	if (st.evictions == 0) {
		c->failures++;
		printf("FAIL %zu users in %zu bytes evicted none: the peak "
		    "check did not load into a full cache\n", c->nusers,
		    st.budget);
	}
	facts_cache_free(fc);
}

/*
 * db_each, which every load goes through: each row once after one reset;
 * a statement that fails part way, or a callback that stops, fails the
 * call and leaves the connection ready for the next statement.
 */
static const struct db_stmt fd_stmt_rows = { "fd_rows",
	"SELECT g, 1 / (g - $1::int) FROM generate_series(1, 1000) AS g", 1, 1 };

struct fd_rows {
	long	 resets, rows, sum, stop_at;
};

static int
fd_row(void *arg, const PGresult *r)
{
	struct fd_rows	*w = arg;

	if (r == NULL) {
		w->resets++;
		w->rows = w->sum = 0;
		return 0;
	}
	if (PQntuples(r) != 1)
		return -1;
	w->rows++;
	w->sum += strtol(PQgetvalue(r, 0, 0), NULL, 10);
	return w->rows == w->stop_at ? -1 : 0;
}

static void
fd_each(struct fd_ctx *c)
{
	struct { const char *zero_at; long stop_at; int rc; long rows; } t[] = {
		{ "0", 0, 0, 1000 },	/* all rows */
		{ "600", 0, -1, -1 },	/* division by zero at row 600 */
		{ "0", 10, -1, 10 },	/* the callback stops */
	};
	struct fd_rows	 w;
	const char	*p[1];
	PGresult	*r;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		memset(&w, 0, sizeof(w));
		w.stop_at = t[i].stop_at;
		p[0] = t[i].zero_at;
		rc = db_each(c->db, &fd_stmt_rows, p, NULL, fd_row, &w);
		if (rc != t[i].rc || w.resets != 1 ||
		    (t[i].rows >= 0 && w.rows != t[i].rows) ||
		    (t[i].rows < 0 && w.rows >= 600) ||
		    (rc == 0 && w.sum != 500500)) {
			c->failures++;
			printf("FAIL db_each case %zu: rc %d, %ld resets, %ld "
			    "rows, sum %ld\n", i, rc, w.resets, w.rows, w.sum);
		}
		p[0] = "0";
		if ((r = db_exec(c->db, &fd_stmt_rows, p, NULL)) == NULL ||
		    PQntuples(r) != 1000) {
			c->failures++;
			printf("FAIL db_each case %zu left the connection "
			    "unusable\n", i);
		}
		PQclear(r);
	}
}

static int
fd_setup(struct fd_ctx *c, int nusers)
{
	char		 n[16];
	const char	*p[1] = { n };
	PGresult	*r;
	size_t		 i;

	if (db_conn(c->db) != NULL)
		PQsetNoticeProcessor(db_conn(c->db), fd_quiet, NULL);
	if ((r = db_exec(c->db, &fd_stmt_accounts, NULL, NULL)) == NULL)
		return -1;
	if (*PQgetvalue(r, 0, 0) == 't') {
		PQclear(r);
		printf("facts_diff: this database has accounts; facts_diff "
		    "changes its users' settings and casts: point RC_PG_DSN at "
		    "a scratch database\n");
		return -1;
	}
	PQclear(r);
	snprintf(n, sizeof(n), "%d", nusers);
	if ((r = db_exec(c->db, &fd_stmt_users, p, NULL)) == NULL)
		return -1;
	for (i = 0; i < (size_t)PQntuples(r) && i < FD_MAX_USERS; i++) {
		c->users[i].fid = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
		c->users[i].version = 1;
	}
	c->nusers = i;
	PQclear(r);
	if ((r = db_exec(c->db, &fd_stmt_span, NULL, NULL)) == NULL)
		return -1;
	c->tmin = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	c->tmax = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	if (c->nusers == 0) {
		printf("no inbound data: load the demo set first\n");
		return -1;
	}
	/* Half the users get settings of their own before the first case. */
	for (i = 0; i < c->nusers; i++)
		if (fd_range(c, 0, 2) == 0 && fd_settings(c, &c->users[i]) == -1)
			return -1;
	return 0;
}

static void
fd_run(struct fd_ctx *c, long cases)
{
	struct fd_user	*u;
	struct eng_q	 q = { 0 };
	long		 i;

	fd_refusals(c);
	fd_each(c);
	fd_peak(c);
	for (i = 0; i < cases; i++) {
		/* The busiest user often: the most rows, the most to get wrong. */
		u = &c->users[fd_range(c, 0, 4) == 0 ? 0 :
		    fd_range(c, 0, (int64_t)c->nusers)];
		if (i % 10 == 9)
			fd_change(c, u, (int)((i / 10) % 6));
		else {
			fd_query(c, u, &q);
			fd_case(c, u, &q, "case");
		}
	}
}

int
main(int argc, char *argv[])
{
	struct fd_ctx		 c = { 0 };
	struct facts_stats	 st;
	const char		*dsn = getenv("RC_PG_DSN");
	unsigned long long	 seed = (unsigned long long)time(NULL);
	long			 cases = 300, kb = 64 * 1024;
	int			 ch, nusers = 30;

	while ((ch = getopt(argc, argv, "s:n:u:k:v")) != -1) {
		switch (ch) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'n': cases = strtol(optarg, NULL, 10); break;
		case 'u': nusers = (int)strtol(optarg, NULL, 10); break;
		case 'k': kb = strtol(optarg, NULL, 10); break;
		case 'v': c.verbose = 1; break;
		default:
			fprintf(stderr, "usage: facts_diff [-s seed] [-n cases]"
			    " [-u users] [-k budget_kb] [-v]\n");
			return 2;
		}
	}
	printf("facts_diff: seed %llu, %ld cases, budget %ld KiB\n", seed,
	    cases, kb);
	c.rng = seed;
	if (nusers < 1 || nusers > FD_MAX_USERS || kb < 1 ||
	    (c.db = db_new(dsn ? dsn : "dbname=replycast", 5, 0, 0)) == NULL ||
	    (c.fc = facts_cache_new((size_t)kb * 1024)) == NULL ||
	    fd_setup(&c, nusers) == -1) {
		printf("facts_diff: cannot set up (RC_PG_DSN?)\n");
		facts_cache_free(c.fc);
		db_free(c.db);
		return 2;
	}
	fd_run(&c, cases);
	facts_cache_stats(c.fc, &st);
	printf("facts_diff: %ld figures, %ld failed, %ld served by SQL"
	    " (fallback), %ld printed differently within 1e-9\n", c.figures,
	    c.failures, c.fallbacks, c.textdiff);
	printf("facts_diff: %ld speed sentences compared\n", c.sentences);
	printf("facts_diff: cache loads %llu, hits %llu, evictions %llu,"
	    " %zu entries, %zu bytes\n", st.loads, st.hits, st.evictions,
	    st.entries, st.bytes);
	facts_cache_free(c.fc);
	db_free(c.db);
	return c.failures == 0 ? 0 : 1;
}
