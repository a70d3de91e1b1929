#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/cfg.h"
#include "core/kv.h"
#include "core/met.h"
#include "ingest.h"

/*
 * What replycast-ingest and replycast-worker share around a run: the
 * connection, the store, the run's row in ingest_runs, its errors.
 */

static const char *const sql_run_start =
    "INSERT INTO ingest_runs (source) VALUES ($1) RETURNING id";
static const char *const sql_run_end =
    "UPDATE ingest_runs SET finished_at = now(), records = $2, casts = $3,"
    " removes = $4, profiles = $5, links = $6, bad = $7, error = $8"
    " WHERE id = $1";

void
ingest_errf(struct ingest *in, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 n;

	va_start(ap, fmt);
	vsnprintf(in->err, sizeof(in->err), fmt, ap);
	va_end(ap);
	n = strlen(in->err);
	while (n > 0 && in->err[n - 1] == '\n')	/* libpq's messages */
		in->err[--n] = '\0';
	fprintf(stderr, "%s: %s\n", in->prog != NULL ? in->prog :
	    "replycast-ingest", in->err);
}

int
ingest_open(struct ingest *in, const struct cfg *cfg)
{
	char		 err[512];
	const char	*why = NULL;

	in->conn = PQconnectdb(cfg->pg_dsn);
	in->dsn = cfg->pg_dsn;
	if (PQstatus(in->conn) != CONNECTION_OK) {
		ingest_errf(in, "RC_PG_DSN: %s", PQerrorMessage(in->conn));
		return -1;
	}
	PQclear(PQexec(in->conn, "SET client_min_messages = warning"));
	/* Metrics are worth less than the data: without them the run goes on. */
	if (cfg->metrics_dir[0] != '\0' && (in->met = met_open(cfg->metrics_dir,
	    "ingest", NULL, 0, err, sizeof(err))) == NULL)
		fprintf(stderr, "replycast-ingest: metrics off: %s\n", err);
	/* Without Redis the data is stored; caches wait for their expiry. */
	if ((in->kv = kv_open(cfg, cfg->reconnect_delay, &why)) == NULL)
		fprintf(stderr, "replycast-ingest: %s: data versions will not "
		    "be published\n", why);
	in->store = store_new();
	in->arena = arena_new(64 * 1024);
	in->progress = isatty(STDERR_FILENO);
	in->started_us = ingest_now_us();
	return in->store == NULL || in->arena == NULL ? -1 : 0;
}

void
ingest_close(struct ingest *in)
{
	kv_free(in->kv);
	met_free(in->met);
	store_free(in->store);
	arena_free(in->arena);
	PQfinish(in->conn);
	in->kv = NULL;
	in->met = NULL;
	in->store = NULL;
	in->arena = NULL;
	in->conn = NULL;
}

long long
ingest_run_start(struct ingest *in, const char *source)
{
	const char	*p[1] = { source };
	PGresult	*r;
	long long	 id = 0;

	r = PQexecParams(in->conn, sql_run_start, 1, NULL, p, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

void
ingest_run_end(struct ingest *in, long long id, const char *error)
{
	char		 v[7][24];
	const char	*p[8];
	long long	 n[7];
	int		 i;

	n[0] = id;
	n[1] = in->counts.records;
	n[2] = in->counts.casts_new;
	n[3] = in->counts.removed;
	n[4] = in->counts.profiles;
	n[5] = in->counts.links;
	n[6] = in->bad;
	for (i = 0; i < 7; i++) {
		snprintf(v[i], sizeof(v[i]), "%lld", n[i]);
		p[i] = v[i];
	}
	p[7] = error;
	PQclear(PQexecParams(in->conn, sql_run_end, 8, NULL, p, NULL, NULL, 0));
}

/* Publishes the versions the end of a bulk load bumped (since: its start). */
static void
ingest_bulk_bump(struct ingest *in, const char *since)
{
	const char	*p[1] = { since };
	PGresult	*r;

	r = PQexecParams(in->conn, "SELECT coalesce(string_agg(fid::text, ','),"
	    " '') FROM fid_versions WHERE updated_at >= $1::timestamptz", 1,
	    NULL, p, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK)
		ingest_bump(in, PQgetvalue(r, 0, 0));
	PQclear(r);
}

/*
 * Ends a bulk load, this run's or one a killed run left under way (its
 * batches are committed; only the derived facts and indexes are missing).
 */
int
ingest_bulk_finish(struct ingest *in)
{
	PGconn		*c2;
	PGresult	*r;
	long long	 fids;
	int		 rc;
	char		 since[64] = "";

	if ((r = PQexec(in->conn, "SELECT now()::text")) != NULL &&
	    PQresultStatus(r) == PGRES_TUPLES_OK)
		snprintf(since, sizeof(since), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	/* Without a second connection the steps run on the first. */
	c2 = PQconnectdb(in->dsn);
	if (PQstatus(c2) == CONNECTION_OK)
		PQclear(PQexec(c2, "SET client_min_messages = warning"));
	rc = store_bulk_take(in->store, in->conn, PQstatus(c2) ==
	    CONNECTION_OK ? c2 : NULL, in->err, sizeof(in->err));
	if (rc == 1 && !in->quiet)
		printf("bulk load: inbound facts derived by replycast-ingest; "
		    "nobody else wrote casts or removals meanwhile\n");
	/* Taken, the steps ran with the take: what is left is one statement. */
	if (rc != -1)
		rc = store_bulk_finish(in->conn, rc == 0 &&
		    PQstatus(c2) == CONNECTION_OK ? c2 : NULL, &in->counts,
		    &fids, in->err, sizeof(in->err));
	PQfinish(c2);
	if (rc == -1) {
		fprintf(stderr, "replycast-ingest: %s\n", in->err);
		return -1;
	}
	if (fids > 0 && !in->quiet)
		printf("bulk load finished: inbound facts and indexes built, "
		    "%lld fids have a new data version\n", fids);
	if (fids > 0)
		ingest_bulk_bump(in, since);
	return 0;
}
