#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/cfg.h"
#include "core/db.h"
#include "core/valid.h"
#include "reply/eng.h"
#include "stats.h"

static const char *const stats_whats[] = {
	"summary", "distribution", "heatmap", "trend-day", "trend-week",
	"counterparts", "streak", "speed", "unreplied", "inbox",
};

/* Unix seconds or ISO 8601. */
static int
stats_time(const char *s, int64_t *out)
{
	if (valid_i64(s, 0, INT64_MAX / 2, out) == 0)
		return 0;
	return valid_iso_time(s, out);
}

/*
 * Every owed reply (any triage state) as of q->now: oldest first
 * ("unreplied"), or by priority ("inbox", the dashboard's default).
 */
static struct json_object *
stats_unreplied(struct db *db, const struct eng_q *q, int limit,
    enum eng_order order)
{
	struct eng_owed_q	 o;

	memset(&o, 0, sizeof(o));
	o.fid = q->fid;
	o.show = 3;
	o.limit = limit;
	o.order = order;
	o.now = q->now != 0 ? q->now : (int64_t)time(NULL);
	return eng_unreplied(db, &o);
}

static struct json_object *
stats_one(struct db *db, const char *what, const struct eng_q *q, int limit)
{
	if (strcmp(what, "summary") == 0)
		return eng_summary(db, q);
	if (strcmp(what, "distribution") == 0)
		return eng_distribution(db, q);
	if (strcmp(what, "heatmap") == 0)
		return eng_heatmap(db, q);
	if (strcmp(what, "trend-day") == 0)
		return eng_trend(db, q, ENG_BUCKET_DAY);
	if (strcmp(what, "trend-week") == 0)
		return eng_trend(db, q, ENG_BUCKET_WEEK);
	if (strcmp(what, "counterparts") == 0)
		return eng_counterparts(db, q, 0, limit, 0);
	if (strcmp(what, "streak") == 0)
		return eng_streak(db, q);
	if (strcmp(what, "speed") == 0)
		return eng_speed(db, q);
	return stats_unreplied(db, q, limit, strcmp(what, "inbox") == 0 ?
	    ENG_ORDER_PRIORITY : ENG_ORDER_OLDEST);
}

static double
stats_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Runs the query n more times and prints the median and best wall time. */
static void
stats_time_it(struct db *db, const char *what, const struct eng_q *q,
    int limit, int n)
{
	double	 t[100], t0;
	int	 i;

	for (i = 0; i < n; i++) {
		t0 = stats_ms();
		json_object_put(stats_one(db, what, q, limit));
		t[i] = stats_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), dbl_cmp);
	fprintf(stderr, "%s fid=%" PRId64 ": median %.2f ms, best %.2f ms "
	    "over %d runs\n", what, q->fid, t[n / 2], t[0], n);
}

int
stats_main(const struct cfg *c, int argc, char *argv[])
{
	struct eng_q		 q = { 0 };
	struct json_object	*o;
	struct db		*db;
	const char		*what = "summary";
	uint64_t		 u;
	int			 i, limit = 50, rc = 1, repeat = 0;
	size_t			 k;

	q.to = (int64_t)time(NULL);
	q.from = q.to - 30 * 86400;
	if (argc < 2 || valid_u64(argv[1], INT64_MAX, &u) == -1 || u == 0)
		goto usage;
	q.fid = (int64_t)u;
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--what") == 0)
			what = argv[i + 1];
		else if (strcmp(argv[i], "--from") == 0 &&
		    stats_time(argv[i + 1], &q.from) == 0)
			continue;
		else if (strcmp(argv[i], "--to") == 0 &&
		    stats_time(argv[i + 1], &q.to) == 0)
			continue;
		else if (strcmp(argv[i], "--tz") == 0)
			q.tz = argv[i + 1];
		else if (strcmp(argv[i], "--limit") == 0 &&
		    valid_u64(argv[i + 1], 500, &u) == 0 && u > 0)
			limit = (int)u;
		else if (strcmp(argv[i], "--repeat") == 0 &&
		    valid_u64(argv[i + 1], 100, &u) == 0 && u > 0)
			repeat = (int)u;
		else
			goto usage;
	}
	if (i != argc)
		goto usage;
	for (k = 0; k < sizeof(stats_whats) / sizeof(stats_whats[0]); k++)
		if (strcmp(what, stats_whats[k]) == 0)
			break;
	if (k == sizeof(stats_whats) / sizeof(stats_whats[0]))
		goto usage;
	if ((db = db_new(c->pg_dsn, c->pg_connect_timeout,
	    c->pg_statement_timeout, 0)) == NULL)
		return 1;
	if ((o = stats_one(db, what, &q, limit)) == NULL)
		fprintf(stderr, "replycastctl: stats: query failed (see above)\n");
	else {
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		rc = 0;
		if (repeat > 0)
			stats_time_it(db, what, &q, limit, repeat);
	}
	db_free(db);
	return rc;
usage:
	fprintf(stderr, "usage: replycastctl stats FID [--what summary|"
	    "distribution|heatmap|trend-day|trend-week|counterparts|streak|"
	    "speed|unreplied|inbox] [--from T] [--to T] [--tz ZONE] [--limit N]\n"
	    "       [--repeat N: time N more runs, median to stderr]\n"
	    "T: unix seconds or ISO 8601; default: the last 30 days\n");
	return 2;
}
