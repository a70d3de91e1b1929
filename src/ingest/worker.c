#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "alerts.h"
#include "avatars.h"
#include "core/arena.h"
#include "core/cfg.h"
#include "core/db.h"
#include "core/http.h"
#include "core/sec.h"
#include "core/valid.h"
#include "hub.h"
#include "ingest.h"
#include "reply/acct.h"
#include "reply/job.h"
#include "reply/standing.h"

/*
 * replycast-worker: takes backfill jobs (reply/job.h) and runs, in this
 * process, the backfill replycast-ingest --hub RC_HUB_URL --fid N runs:
 * the same code, the same resume cursors, so a job taken again after a
 * failure or a kill goes on from the last committed page.  In-process
 * rather than exec'ing replycast-ingest, because every committed page
 * renews the job's lease and adds its progress to the job row, and a
 * failure's message becomes the job's last_error.
 *
 * Between jobs it runs the scheduled alerts and digests (alerts.h) every
 * RC_ALERT_TICK_S, on a connection of its own (struct db, which the
 * engine's figures take).  Without RC_HUB_URL it runs only those.
 *
 * Exit: 0 on SIGTERM/SIGINT (the page in flight finishes, the job goes
 * back to the queue untried) or --once with nothing due; 1 when
 * PostgreSQL is lost (multiwatch starts a new one); 2 usage.
 */

#define WK_PAGE_SIZE	100

static volatile sig_atomic_t stop_flag;

struct wk;
static int	 wk_alerts(struct wk *);

struct wk {
	struct ingest		 in;
	const struct cfg	*cfg;
	struct hub		*hub;		/* NULL: no Hub, alerts only */
	struct db		*db;		/* the alerts' and the standing's */
	time_t			 alerts_at;	/* when alerts ran last */
	struct job_claim	 job;
	long long		 casts_told;	/* what job_progress already has */
	int			 lost;		/* the lease went to another worker */
	int			 once;
	time_t			 standing_next;	/* when to look at it again */
	time_t			 avatars_next;	/* the avatar cache's next round */
	time_t			 prune_next;	/* expired sessions' next round */
};

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: replycast-worker [--once] [--attempts N]\n"
	    "Takes the backfill jobs queued when an account gets a fid and "
	    "runs each like\nreplycast-ingest --hub $RC_HUB_URL --fid N; "
	    "between jobs, sends the goal alerts\nand weekly digests users "
	    "asked for.  --once: one round of alerts, then stop\nwhen no job "
	    "is due.  --attempts N: tries per Hub request (default 6).\n"
	    "Settings: RC_HUB_URL, RC_JOB_MAX_ATTEMPTS, RC_JOB_BACKOFF_S, "
	    "RC_JOB_LEASE_S,\nRC_JOB_POLL_MS, RC_ALERT_TICK_S, RC_APP_URL.\n");
}

/* After every committed page: progress, lease, and whether to go on. */
static int
wk_page(struct ingest *in, void *arg)
{
	struct wk	*w = arg;
	long long	 casts = in->counts.casts_new;

	if (job_progress(in->conn, &w->job, 1, casts - w->casts_told,
	    w->cfg->job_lease) == -1) {
		w->lost = 1;
		ingest_errf(in, "job %" PRId64 ": no longer ours (its lease "
		    "ran out and another worker took it, or PostgreSQL "
		    "failed)", w->job.id);
		return -1;
	}
	w->casts_told = casts;
	/* A long backfill does not hold up the alerts (their own connection). */
	if (wk_alerts(w) == -1)
		fprintf(stderr, "replycast-worker: alerts: PostgreSQL is down\n");
	if (stop_flag) {
		ingest_errf(in, "job %" PRId64 ": stopping", w->job.id);
		return -1;
	}
	return 0;
}

/* A failed run may leave records in the store: start from a fresh one. */
static int
wk_reset(struct wk *w)
{
	store_free(w->in.store);
	w->in.store = store_new();
	arena_reset(w->in.arena);
	memset(&w->in.counts, 0, sizeof(w->in.counts));
	memset(&w->in.published, 0, sizeof(w->in.published));
	w->in.bad = w->in.published_bad = 0;
	w->in.err[0] = '\0';
	w->casts_told = 0;
	w->lost = 0;
	return w->in.store == NULL ? -1 : 0;
}

/* One claimed job, start to end.  -1 when PostgreSQL is gone. */
static int
wk_run(struct wk *w)
{
	long long	 run;
	int		 rc, r;

	if (wk_reset(w) == -1)
		return -1;
	fprintf(stderr, "replycast-worker: job %" PRId64 ": backfill of fid %"
	    PRId64 ", attempt %d\n", w->job.id, w->job.fid, w->job.attempt);
	run = ingest_run_start(&w->in, "hub-fid");
	rc = ingest_bulk_finish(&w->in) == -1 || ingest_hub_fid(&w->in,
	    w->hub, w->job.fid, WK_PAGE_SIZE) == -1 ? -1 : 0;
	ingest_run_end(&w->in, run, rc == -1 ? w->in.err : NULL);
	if (rc == 0)
		r = job_done(w->in.conn, &w->job);
	else if (w->lost)
		r = 0;
	else if (stop_flag)
		r = job_release(w->in.conn, &w->job);
	else
		r = job_fail(w->in.conn, &w->job, w->in.err[0] != '\0' ?
		    w->in.err : "failed", w->cfg->job_max_attempts,
		    w->cfg->job_backoff);
	fprintf(stderr, "replycast-worker: job %" PRId64 ": %s, %lld casts "
	    "new%s%s\n", w->job.id, rc == 0 ? "done" : w->lost ? "lost" :
	    stop_flag ? "released" : "failed", w->in.counts.casts_new,
	    rc == 0 ? "" : ": ", rc == 0 ? "" : w->in.err);
	if (r == -1 && !w->lost)
		fprintf(stderr, "replycast-worker: job %" PRId64 ": cannot "
		    "record its end: %s", w->job.id, PQerrorMessage(w->in.conn));
	return PQstatus(w->in.conn) == CONNECTION_OK ? 0 : -1;
}

static void
wk_sleep(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);		/* a signal ends it early */
}

/*
 * Between jobs: every tracked user's medians for where they stand
 * (reply/standing.h) when the newest refresh is RC_STANDING_REFRESH_S old.
 * Looked at once a minute; a failure is logged and tried next time.
 */
static void
wk_standing(struct wk *w)
{
	struct standing_run	 run;
	time_t			 now = time(NULL);
	int			 due;

	if (w->cfg->standing_refresh == 0 || now < w->standing_next)
		return;
	w->standing_next = now + 60;
	if ((due = standing_due(w->db, w->cfg->standing_refresh)) != 1)
		return;
	if (standing_refresh(w->db, w->cfg->facts_mb, (int64_t)now, &run) == -1)
		fprintf(stderr, "replycast-worker: standing refresh failed\n");
	else if (!run.skipped)
		fprintf(stderr, "replycast-worker: standing: %ld tracked users "
		    "refreshed\n", run.users);
}

/*
 * Between jobs, once a minute: profile pictures into the avatar cache
 * (avatars.h).  A failure is logged and tried next time.
 */
static void
wk_avatars(struct wk *w)
{
	time_t	 now = time(NULL);

	if (w->cfg->avatar_batch == 0 || now < w->avatars_next)
		return;
	w->avatars_next = now + 60;
	if (avatars_tick(w->db, w->cfg, &stop_flag) == -1)
		fprintf(stderr, "replycast-worker: avatars: PostgreSQL failed; "
		    "they are tried again in a minute\n");
}

/*
 * Between jobs, once an hour: refresh tokens and revocations past their
 * expiry go (acct_prune).  A failure is logged and tried next time.
 */
static void
wk_prune(struct wk *w)
{
	time_t	 now = time(NULL);
	long	 n;

	if (now < w->prune_next)
		return;
	w->prune_next = now + 3600;
	if (acct_prune(w->db, &n) == -1)
		fprintf(stderr, "replycast-worker: expired sessions: PostgreSQL "
		    "failed; tried again in an hour\n");
	else if (n > 0)
		fprintf(stderr, "replycast-worker: %ld expired session rows "
		    "deleted\n", n);
}

/* The alerts' round when RC_ALERT_TICK_S has passed since the last. */
static int
wk_alerts(struct wk *w)
{
	time_t	 now = time(NULL);

	if (w->alerts_at != 0 && now - w->alerts_at < w->cfg->alert_tick)
		return 0;
	w->alerts_at = now;
	if (alerts_tick(w->db, w->cfg, &stop_flag) == -1) {
		fprintf(stderr, "replycast-worker: alerts: PostgreSQL failed; "
		    "they run again in RC_ALERT_TICK_S\n");
		return db_conn(w->db) == NULL ? -1 : 0;
	}
	return 0;
}

static int
wk_loop(struct wk *w)
{
	int	 r;

	while (!stop_flag) {
		if (wk_alerts(w) == -1)
			return -1;
		if (w->hub == NULL)
			r = 0;
		else if ((r = job_claim(w->in.conn, w->cfg->job_lease, &w->job)) == -1) {
			fprintf(stderr, "replycast-worker: cannot take a job: "
			    "%s", PQerrorMessage(w->in.conn));
			return -1;
		}
		if (r == 0) {
			wk_standing(w);
			wk_avatars(w);
			wk_prune(w);
			if (w->once)
				return 0;
			wk_sleep(w->cfg->job_poll_ms);
		} else if (wk_run(w) == -1)
			return -1;
	}
	return 0;
}

static int
wk_opts(int argc, char *argv[], struct wk *w, struct hub_cfg *hc)
{
	static const struct option lo[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "attempts", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t	 u;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (ch == 'o')
			w->once = 1;
		else if (ch == 'a' && valid_u64(optarg, 100, &u) == 0 && u > 0)
			hc->attempts = (int)u;
		else
			return -1;
	}
	return optind == argc ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct wk		 w;
	struct cfg		 cfg;
	struct hub_cfg		 hc;
	struct sigaction	 sa;
	char			 err[512];
	int			 rc = 1;

	memset(&w, 0, sizeof(w));
	hub_cfg_default(&hc);
	if (wk_opts(argc, argv, &w, &hc) == -1) {
		usage();
		return 2;
	}
	if (cfg_load(&cfg, cfg_getenv, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "replycast-worker: configuration: %s\n", err);
		return 2;
	}
	if (cfg.hub_url[0] == '\0')
		fprintf(stderr, "replycast-worker: RC_HUB_URL is not set: the "
		    "backfill jobs stay queued; alerts and digests run\n");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* SIGQUIT: what multiwatch -s TERM sends (src/core/srv.c). */
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGQUIT, &sa, NULL) == -1)
		return 1;
	w.cfg = &cfg;
	w.in.prog = "replycast-worker";
	w.in.batch = 20000;
	w.in.on_page = wk_page;
	w.in.page_arg = &w;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());	/* retry jitter */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	if (sec_init() == -1 || (w.db = db_new(cfg.pg_dsn,
	    cfg.pg_connect_timeout, cfg.pg_statement_timeout,
	    cfg.reconnect_delay)) == NULL)
		rc = 1;
	else if (cfg.hub_url[0] != '\0' &&
	    (w.hub = hub_new(cfg.hub_url, &hc, &stop_flag)) == NULL) {
		fprintf(stderr, "replycast-worker: RC_HUB_URL %s: not an "
		    "http(s) URL\n", cfg.hub_url);
		rc = 2;
	} else if (ingest_open(&w.in, &cfg) == 0) {
		store_set_async(w.in.store, 0);
		w.in.quiet = 1;
		w.in.progress = 0;
		rc = wk_loop(&w) == 0 ? 0 : 1;
	}
	ingest_close(&w.in);
	hub_free(w.hub);
	db_free(w.db);
	http_free();		/* the alerts' and avatars' curl handle */
	curl_global_cleanup();
	return rc;
}
