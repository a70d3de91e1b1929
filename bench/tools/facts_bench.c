/*
 * Per-figure time from the read model (src/reply/facts.c) and from SQL
 * (src/reply/eng.c) in one run, for the busiest user of the database and
 * a typical one (the median inbound count), over all of the data and over
 * the last 30 days.  bench/facts runs it on the stack's database.
 *
 *   facts_bench [-r REPEAT] [-w all|30] [-F FIGURE,...] [-m MiB] [-f FID]...
 *
 * RC_PG_DSN names the database; -m is each cache's budget (default 256
 * MiB), and after each user a line gives the most a cache held (entries
 * and a load) and the process's peak RSS.  Times are medians of REPEAT calls, in
 * microseconds; "load" is the first call from memory, which loads the
 * user's facts with one query.  Besides the six figures: "overview", the
 * four the dashboard's overview page computes (summary, weekly trend,
 * heatmap, streak; its SVG drawing not included), and "unreplied", the
 * first 50 of the list, which only SQL serves (memory shows "-").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "core/clock.h"
#include "core/db.h"
#include "reply/eng.h"
#include "reply/facts.h"

#define FB_MAX_REPEAT	1000
#define FB_MAX_USERS	8

struct fb_arg {
	struct facts_cache	*fc;
	struct db		*db;
	const struct eng_q	*q;
	int			 mem;
};

typedef struct json_object *(*fb_fn)(const struct fb_arg *);

static struct json_object *
fb_summary(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_summary(a->fc, a->db, a->q, 1, &w) :
	    eng_summary(a->db, a->q);
}

static struct json_object *
fb_distribution(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_distribution(a->fc, a->db, a->q, 1, &w) :
	    eng_distribution(a->db, a->q);
}

static struct json_object *
fb_heatmap(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_heatmap(a->fc, a->db, a->q, 1, &w) :
	    eng_heatmap(a->db, a->q);
}

static struct json_object *
fb_trend(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_trend(a->fc, a->db, a->q, 1, ENG_BUCKET_DAY, &w) :
	    eng_trend(a->db, a->q, ENG_BUCKET_DAY);
}

static struct json_object *
fb_counterparts(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_counterparts(a->fc, a->db, a->q, 1, 0, 20, 0, &w) :
	    eng_counterparts(a->db, a->q, 0, 20, 0);
}

static struct json_object *
fb_streak(const struct fb_arg *a)
{
	enum facts_rc	 w;

	return a->mem ? facts_streak(a->fc, a->db, a->q, 1, &w) :
	    eng_streak(a->db, a->q);
}

/* The dashboard's overview page: src/dash/view.c asks for these four. */
static struct json_object *
fb_overview(const struct fb_arg *a)
{
	struct json_object	*o[4] = { NULL };
	enum facts_rc		 w;
	int			 i, ok = 1;

	if (a->mem) {
		o[0] = facts_summary(a->fc, a->db, a->q, 1, &w);
		o[1] = facts_trend(a->fc, a->db, a->q, 1, ENG_BUCKET_WEEK, &w);
		o[2] = facts_heatmap(a->fc, a->db, a->q, 1, &w);
		o[3] = facts_streak(a->fc, a->db, a->q, 1, &w);
	} else {
		o[0] = eng_summary(a->db, a->q);
		o[1] = eng_trend(a->db, a->q, ENG_BUCKET_WEEK);
		o[2] = eng_heatmap(a->db, a->q);
		o[3] = eng_streak(a->db, a->q);
	}
	for (i = 1; i < 4; i++) {
		ok = ok && o[i] != NULL;
		json_object_put(o[i]);
	}
	if (!ok) {
		json_object_put(o[0]);
		return NULL;
	}
	return o[0];
}

/* SQL only (docs/engine.md): the model serves its count, not the list. */
static struct json_object *
fb_unreplied(const struct fb_arg *a)
{
	struct eng_owed_q	 q;

	memset(&q, 0, sizeof(q));
	q.fid = a->q->fid;
	q.limit = 50;
	q.order = ENG_ORDER_PRIORITY;	/* the inbox's default */
	q.now = a->q->now != 0 ? a->q->now : (int64_t)time(NULL);
	return a->mem ? NULL : eng_unreplied(a->db, &q);
}

static const struct {
	const char	*name;
	fb_fn		 fn;
	int		 sql_only;
} fb_figs[] = {
	{ "summary", fb_summary, 0 }, { "distribution", fb_distribution, 0 },
	{ "heatmap", fb_heatmap, 0 }, { "trend-day", fb_trend, 0 },
	{ "counterparts", fb_counterparts, 0 }, { "streak", fb_streak, 0 },
	{ "overview", fb_overview, 0 }, { "unreplied", fb_unreplied, 1 },
};

/* Figures asked for with -F (a comma-separated list; NULL: all but the two
 * composites, as before). */
static int
fb_wanted(const char *list, const char *name)
{
	size_t	 n = strlen(name);
	const char *p;

	if (list == NULL)
		return strcmp(name, "overview") != 0 &&
		    strcmp(name, "unreplied") != 0;
	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

static const struct db_stmt fb_stmt_users = { "fb_users",
	"WITH c AS (SELECT fid, count(*) AS n FROM inbound GROUP BY fid)"
	" (SELECT fid, n FROM c ORDER BY n DESC, fid LIMIT 1) UNION ALL"
	" (SELECT fid, n FROM c ORDER BY n, fid"
	"  OFFSET (SELECT count(*) / 2 FROM c) LIMIT 1)", 0, 1 };
static const struct db_stmt fb_stmt_count = { "fb_count",
	"SELECT count(*), extract(epoch FROM max(ts))::bigint FROM inbound"
	" WHERE fid = $1::bigint", 1, 1 };

static int
fb_cmp(const void *a, const void *b)
{
	long long	 x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Median of repeat calls in microseconds; -1 when a call failed. */
static long long
fb_time(fb_fn fn, const struct fb_arg *a, int repeat)
{
	long long		 t[FB_MAX_REPEAT], t0;
	struct json_object	*o;
	int			 i;

	for (i = 0; i < repeat; i++) {
		t0 = clock_mono_us();
		o = fn(a);
		t[i] = clock_mono_us() - t0;
		if (o == NULL)
			return -1;
		json_object_put(o);
	}
	qsort(t, (size_t)repeat, sizeof(*t), fb_cmp);
	return t[repeat / 2];
}

/* The process's peak resident size so far (VmHWM), in KiB; -1 unknown. */
static long
fb_hwm_kib(void)
{
	FILE	*f;
	char	 line[128];
	long	 kib = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void
fb_user(struct db *db, int64_t fid, const char *label, int repeat,
    int windows, const char *figs, size_t budget)
{
	struct facts_stats	 st;
	struct facts_cache	*fc;
	struct eng_q		 q = { 0 };
	struct fb_arg		 a;
	char			 f[24];
	const char		*p[1] = { f };
	PGresult		*r;
	long long		 n, last, load, mem, sql;
	size_t			 peak = 0;
	size_t			 i;
	int			 w;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &fb_stmt_count, p, NULL)) == NULL)
		return;
	n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	last = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	q.fid = fid;
	for (w = 0; w < 2; w++) {
		if (!(windows & (1 << w)))
			continue;
		q.from = w == 0 ? 0 : last - 30 * 86400;
		q.to = last + 1;
		printf("\n%s user, fid %" PRId64 ", %lld inbound, window: %s\n",
		    label, fid, n, w == 0 ? "all" : "last 30 days");
		printf("%-14s %12s %12s %12s %10s\n", "figure", "sql us",
		    "memory us", "load us", "sql/memory");
		for (i = 0; i < sizeof(fb_figs) / sizeof(*fb_figs); i++) {
			if (!fb_wanted(figs, fb_figs[i].name))
				continue;
			if (fb_figs[i].sql_only) {
				a = (struct fb_arg){ NULL, db, &q, 0 };
				printf("%-14s %12lld %12s %12s %10s\n",
				    fb_figs[i].name, fb_time(fb_figs[i].fn, &a,
				    repeat), "-", "-", "-");
				continue;
			}
			if ((fc = facts_cache_new(budget)) == NULL)
				return;
			a = (struct fb_arg){ fc, db, &q, 1 };
			load = fb_time(fb_figs[i].fn, &a, 1);
			mem = fb_time(fb_figs[i].fn, &a, repeat);
			a.mem = 0;
			sql = fb_time(fb_figs[i].fn, &a, repeat);
			printf("%-14s %12lld %12lld %12lld %10.0f\n",
			    fb_figs[i].name, sql, mem, load,
			    mem > 0 ? (double)sql / (double)mem : 0.0);
			facts_cache_stats(fc, &st);
			if (st.peak > peak)
				peak = st.peak;
			facts_cache_free(fc);
		}
	}
	printf("# cache of %zu MiB: its entries and a load held at most %.1f"
	    " MiB; the process's peak RSS so far (VmHWM) %ld KiB\n",
	    budget >> 20, (double)peak / 1048576.0, fb_hwm_kib());
}

int
main(int argc, char *argv[])
{
	struct db	*db;
	const char	*dsn = getenv("RC_PG_DSN");
	int64_t		 fids[FB_MAX_USERS];
	PGresult	*r;
	const char	*figs = NULL;
	int		 ch, repeat = 50, nf = 0, given, i, windows = 3;
	long		 mb = 256;

	while ((ch = getopt(argc, argv, "r:f:w:F:m:")) != -1) {
		if (ch == 'r')
			repeat = (int)strtol(optarg, NULL, 10);
		else if (ch == 'm')
			mb = strtol(optarg, NULL, 10);
		else if (ch == 'w')
			windows = strcmp(optarg, "all") == 0 ? 1 :
			    strcmp(optarg, "30") == 0 ? 2 : 0;
		else if (ch == 'F')
			figs = optarg;
		else if (ch == 'f' && nf < FB_MAX_USERS)
			fids[nf++] = strtoll(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: facts_bench [-r repeat] "
			    "[-w all|30] [-F figure,...] [-m MiB] [-f fid]...\n");
			return 2;
		}
	}
	if (repeat < 1 || repeat > FB_MAX_REPEAT || windows == 0 ||
	    mb < 1 || mb > 1L << 20 ||
	    (db = db_new(dsn ? dsn : "dbname=replycast", 5, 0, 0)) == NULL)
		return 2;
	if ((given = nf) == 0) {
		if ((r = db_exec(db, &fb_stmt_users, NULL, NULL)) == NULL) {
			db_free(db);
			return 1;
		}
		for (i = 0; i < PQntuples(r) && i < 2; i++)
			fids[nf++] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		PQclear(r);
	}
	printf("facts_bench: median of %d calls each (microseconds)\n", repeat);
	for (i = 0; i < nf; i++)
		fb_user(db, fids[i], given ? "given" : i == 0 ? "busiest" :
		    "typical", repeat, windows, figs, (size_t)mb << 20);
	db_free(db);
	return 0;
}
