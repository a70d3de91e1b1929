#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/cfg.h"
#include "core/valid.h"
#include "jobs.h"
#include "reply/job.h"

static const char *const sql_list =
    "SELECT id, fid, state, attempts, pages, casts,"
    " CASE WHEN state IN ('queued', 'running') THEN"
    " to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
    " ELSE '-' END, COALESCE(last_error, '-')"
    " FROM jobs ORDER BY id";

static int
jobs_usage(void)
{
	fprintf(stderr, "usage: replycastctl jobs [list]\n"
	    "       replycastctl jobs retry FID   queue FID's backfill again "
	    "(after it failed or finished)\n");
	return 2;
}

/* Tab-separated, a header first; the error last (it may hold spaces). */
static int
jobs_list(PGconn *c)
{
	PGresult	*r;
	int		 i, j;

	r = PQexecParams(c, sql_list, 0, NULL, NULL, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "replycastctl: jobs: %s", PQerrorMessage(c));
		PQclear(r);
		return 1;
	}
	printf("id\tfid\tstate\tattempts\tpages\tcasts\tnext_attempt\t"
	    "last_error\n");
	for (i = 0; i < PQntuples(r); i++)
		for (j = 0; j < PQnfields(r); j++)
			printf("%s%c", PQgetvalue(r, i, j),
			    j + 1 < PQnfields(r) ? '\t' : '\n');
	PQclear(r);
	return 0;
}

static int
jobs_retry(PGconn *c, const char *arg)
{
	uint64_t	 fid;
	int		 r;

	if (valid_u64(arg, INT64_MAX / 2, &fid) == -1 || fid == 0)
		return jobs_usage();
	if ((r = job_requeue(c, (int64_t)fid)) == -1) {
		fprintf(stderr, "replycastctl: jobs retry: %s",
		    PQerrorMessage(c));
		return 1;
	}
	printf(r == 1 ? "fid %" PRIu64 ": backfill queued\n" :
	    "fid %" PRIu64 ": a backfill is queued or running already\n", fid);
	return 0;
}

int
jobs_main(const struct cfg *cfg, int argc, char *argv[])
{
	PGconn	*c;
	int	 rc;

	if (argc > 3 || (argc >= 2 && strcmp(argv[1], "list") != 0 &&
	    (strcmp(argv[1], "retry") != 0 || argc != 3)) ||
	    (argc == 3 && strcmp(argv[1], "retry") != 0))
		return jobs_usage();
	c = PQconnectdb(cfg->pg_dsn);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "replycastctl: RC_PG_DSN: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	rc = argc == 3 ? jobs_retry(c, argv[2]) : jobs_list(c);
	PQfinish(c);
	return rc;
}
