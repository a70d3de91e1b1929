#ifndef RC_JOB_H
#define RC_JOB_H
#include <stdint.h>

#include <libpq-fe.h>

struct db;

/*
 * Background jobs (migrations/0009_jobs.sql): the Hub backfill of a fid,
 * queued by the database when an account gets a fid, taken by
 * replycast-worker.  A claim is one short statement (FOR UPDATE SKIP
 * LOCKED); the worker then holds the job by its lease, renewed with every
 * page, and writes only while the row still carries the attempt it
 * claimed, so a worker that lost its lease cannot overwrite the next one.
 */
#define JOB_ERR_MAX	512
#define JOB_BACKOFF_CAP	3600	/* seconds: the longest wait between tries */

enum job_state {
	JOB_NONE = 0,		/* no backfill was ever queued for the fid */
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_DONE,
	JOB_FAILED,
	JOB__MAX
};

/* What the worker holds after a claim. */
struct job_claim {
	int64_t		 id;
	int64_t		 fid;
	int		 attempt;	/* the row's attempts at the claim */
};

/* The newest backfill of a fid, as the dashboard and the API show it. */
struct job_view {
	enum job_state	 state;
	int		 attempts;
	long long	 pages, casts;
	long long	 age_s;		/* since it started (else queued) */
	long long	 retry_in_s;	/* until next_attempt_at; <= 0: due */
	char		 last_error[JOB_ERR_MAX];
	char		 created[32], started[32], updated[32];	/* ISO, UTC */
	char		 finished[32], next_attempt[32];	/* "" when NULL */
};

/* "queued", "running", ...; "none" for JOB_NONE. */
const char	*job_state_name(enum job_state);

/* Takes the next due job for lease_s seconds: 1 taken, 0 none, -1 error. */
int		 job_claim(PGconn *, long lease_s, struct job_claim *);
/*
 * Adds a page's progress and renews the lease: 0, or -1 when the job is
 * no longer this claim's (its lease ran out and another worker took it)
 * or PostgreSQL failed.
 */
int		 job_progress(PGconn *, const struct job_claim *, long pages,
		    long long casts, long lease_s);
/* The backfill finished: 0, or -1. */
int		 job_done(PGconn *, const struct job_claim *);
/*
 * The attempt failed with err: queued again after backoff_s doubling per
 * attempt (at most JOB_BACKOFF_CAP), or failed for good once attempts
 * reach max_attempts.  0, or -1.
 */
int		 job_fail(PGconn *, const struct job_claim *, const char *err,
		    long max_attempts, long backoff_s);
/* Gives the job back untried (the worker is stopping): 0, or -1. */
int		 job_release(PGconn *, const struct job_claim *);
/* Queues a failed or finished fid's backfill again: 1 queued, 0 nothing to do, -1. */
int		 job_requeue(PGconn *, int64_t fid);

/* The newest backfill of fid into v (JOB_NONE: none): 0, or -1. */
int		 job_view(struct db *, int64_t fid, struct job_view *v);

#endif
