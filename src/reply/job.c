#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "job.h"

#define JOB_ISO(c) \
	"COALESCE(to_char(" c " AT TIME ZONE 'UTC'," \
	" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

/* The due job: queued and due, or running with its lease run out. */
static const char *const sql_claim =
    "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
    " lease_until = now() + make_interval(secs => $1::int),"
    " started_at = COALESCE(started_at, now()), updated_at = now()"
    " WHERE id = (SELECT id FROM jobs WHERE kind = 'backfill' AND"
    " ((state = 'queued' AND next_attempt_at <= now()) OR"
    " (state = 'running' AND lease_until < now()))"
    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
    " RETURNING id, fid, attempts";
#define JOB_MINE \
    " WHERE id = $1::bigint AND attempts = $2::int AND state = 'running'"
static const char *const sql_progress =
    "UPDATE jobs SET pages = pages + $3::bigint, casts = casts + $4::bigint,"
    " lease_until = now() + make_interval(secs => $5::int),"
    " updated_at = now()" JOB_MINE;
static const char *const sql_done =
    "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL,"
    " finished_at = now(), updated_at = now()" JOB_MINE;
static const char *const sql_fail =
    "UPDATE jobs SET lease_until = NULL, last_error = $3, updated_at = now(),"
    " state = CASE WHEN attempts >= $4::int THEN 'failed' ELSE 'queued' END,"
    " finished_at = CASE WHEN attempts >= $4::int THEN now() END,"
    " next_attempt_at = now() + make_interval(secs =>"
    " least($5::float8 * 2 ^ (attempts - 1), $6::float8))" JOB_MINE;
static const char *const sql_release =
    "UPDATE jobs SET state = 'queued', attempts = attempts - 1,"
    " lease_until = NULL, next_attempt_at = now(), updated_at = now()"
    JOB_MINE;
static const char *const sql_requeue =
    "WITH t AS (INSERT INTO tracked (fid) VALUES ($1::bigint)"
    " ON CONFLICT DO NOTHING)"
    " INSERT INTO jobs (kind, fid) VALUES ('backfill', $1::bigint)"
    " ON CONFLICT DO NOTHING";
static const struct db_stmt job_stmt_view = { "job_view",
	"SELECT state, attempts, pages, casts, COALESCE(last_error, ''),"
	" extract(epoch FROM now() - COALESCE(started_at, created_at))::bigint,"
	" extract(epoch FROM next_attempt_at - now())::bigint, "
	JOB_ISO("created_at") ", " JOB_ISO("started_at") ", "
	JOB_ISO("updated_at") ", " JOB_ISO("finished_at") ", "
	JOB_ISO("next_attempt_at")
	" FROM jobs WHERE fid = $1::bigint AND kind = 'backfill'"
	" ORDER BY id DESC LIMIT 1", 1, 1 };

static const char *const job_names[JOB__MAX] = {
	[JOB_NONE] = "none",
	[JOB_QUEUED] = "queued",
	[JOB_RUNNING] = "running",
	[JOB_DONE] = "done",
	[JOB_FAILED] = "failed",
};

const char *
job_state_name(enum job_state s)
{
	return s >= 0 && s < JOB__MAX ? job_names[s] : "none";
}

static enum job_state
job_state_parse(const char *s)
{
	int	 i;

	for (i = JOB_QUEUED; i < JOB__MAX; i++)
		if (strcmp(s, job_names[i]) == 0)
			return (enum job_state)i;
	return JOB_NONE;
}

/*
 * Runs sql with n text parameters; -1 on failure, else the rows it
 * changed or returned.  *res (when given) keeps the result.
 */
static long
job_run(PGconn *c, const char *sql, int n, const char *const *p,
    PGresult **res)
{
	PGresult	*r;
	ExecStatusType	 t;
	long		 rows;

	r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	t = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		PQclear(r);
		return -1;
	}
	rows = t == PGRES_TUPLES_OK ? PQntuples(r) :
	    strtol(PQcmdTuples(r), NULL, 10);
	if (res != NULL)
		*res = r;
	else
		PQclear(r);
	return rows;
}

int
job_claim(PGconn *c, long lease_s, struct job_claim *j)
{
	char		 l[24];
	const char	*p[1] = { l };
	PGresult	*r = NULL;
	long		 n;

	snprintf(l, sizeof(l), "%ld", lease_s);
	if ((n = job_run(c, sql_claim, 1, p, &r)) <= 0) {
		PQclear(r);
		return n == 0 ? 0 : -1;
	}
	j->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	j->fid = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	j->attempt = (int)strtol(PQgetvalue(r, 0, 2), NULL, 10);
	PQclear(r);
	return 1;
}

/* Runs a statement on this claim's row: $1 id, $2 attempt, then more. */
static int
job_mine(PGconn *c, const struct job_claim *j, const char *sql, int n,
    const char *const *more)
{
	char		 id[24], at[24];
	const char	*p[6] = { id, at, NULL, NULL, NULL, NULL };
	int		 i;

	snprintf(id, sizeof(id), "%" PRId64, j->id);
	snprintf(at, sizeof(at), "%d", j->attempt);
	for (i = 0; i < n && i < 4; i++)
		p[2 + i] = more[i];
	return job_run(c, sql, 2 + i, p, NULL) == 1 ? 0 : -1;
}

int
job_progress(PGconn *c, const struct job_claim *j, long pages,
    long long casts, long lease_s)
{
	char		 pg[24], ca[24], l[24];
	const char	*p[3] = { pg, ca, l };

	snprintf(pg, sizeof(pg), "%ld", pages);
	snprintf(ca, sizeof(ca), "%lld", casts);
	snprintf(l, sizeof(l), "%ld", lease_s);
	return job_mine(c, j, sql_progress, 3, p);
}

int
job_done(PGconn *c, const struct job_claim *j)
{
	return job_mine(c, j, sql_done, 0, NULL);
}

int
job_fail(PGconn *c, const struct job_claim *j, const char *err,
    long max_attempts, long backoff_s)
{
	char		 m[24], b[24], cap[24];
	const char	*p[4] = { err, m, b, cap };

	snprintf(m, sizeof(m), "%ld", max_attempts);
	snprintf(b, sizeof(b), "%ld", backoff_s);
	snprintf(cap, sizeof(cap), "%d", JOB_BACKOFF_CAP);
	return job_mine(c, j, sql_fail, 4, p);
}

int
job_release(PGconn *c, const struct job_claim *j)
{
	return job_mine(c, j, sql_release, 0, NULL);
}

int
job_requeue(PGconn *c, int64_t fid)
{
	char		 f[24];
	const char	*p[1] = { f };
	long		 n;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	n = job_run(c, sql_requeue, 1, p, NULL);
	return n < 0 ? -1 : n > 0;
}

int
job_view(struct db *db, int64_t fid, struct job_view *v)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;

	memset(v, 0, sizeof(*v));
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &job_stmt_view, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		v->state = job_state_parse(PQgetvalue(r, 0, 0));
		v->attempts = (int)strtol(PQgetvalue(r, 0, 1), NULL, 10);
		v->pages = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
		v->casts = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
		snprintf(v->last_error, sizeof(v->last_error), "%s",
		    PQgetvalue(r, 0, 4));
		v->age_s = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
		v->retry_in_s = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
		snprintf(v->created, sizeof(v->created), "%s", PQgetvalue(r, 0, 7));
		snprintf(v->started, sizeof(v->started), "%s", PQgetvalue(r, 0, 8));
		snprintf(v->updated, sizeof(v->updated), "%s", PQgetvalue(r, 0, 9));
		snprintf(v->finished, sizeof(v->finished), "%s",
		    PQgetvalue(r, 0, 10));
		snprintf(v->next_attempt, sizeof(v->next_attempt), "%s",
		    PQgetvalue(r, 0, 11));
	}
	PQclear(r);
	return 0;
}
