#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "core/arena.h"
#include "core/cfg.h"
#include "core/valid.h"
#include "dump.h"
#include "gen.h"
#include "ingest.h"

/* Exit statuses: the README's table. */
enum {
	EX_CLEAN = 0,		/* everything read and stored */
	EX_FAIL = 1,		/* I/O or database failure: last batch rolled back */
	EX_USAGE = 2,
	EX_SKIPPED = 3,		/* bad records were skipped and reported */
	EX_STRICT = 4		/* --strict stopped at a bad record */
};

static const char *const sql_run_start =
    "INSERT INTO ingest_runs (source) VALUES ($1) RETURNING id";
static const char *const sql_run_end =
    "UPDATE ingest_runs SET finished_at = now(), records = $2, casts = $3,"
    " removes = $4, profiles = $5, links = $6, bad = $7, error = $8"
    " WHERE id = $1";

static void
usage(void)
{
	fprintf(stderr,
	    "usage: replycast-ingest [-f auto|hub|neynar|jsonl] [--strict] "
	    "[--batch N] [-q] [FILE ...]\n"
	    "       replycast-ingest --generate CASTS [--seed N] [--anchor T] "
	    "[--dump]\n"
	    "FILE '-' or none: standard input.  Exit: 0 clean, 1 failure "
	    "(last batch rolled back),\n2 usage, 3 bad records skipped, "
	    "4 --strict stopped at a bad record.\n");
}

static long long
run_start(PGconn *c, const char *source)
{
	const char	*p[1] = { source };
	PGresult	*r;
	long long	 id = 0;

	r = PQexecParams(c, sql_run_start, 1, NULL, p, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

static void
run_end(struct ingest *in, long long id, const char *error)
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

static void
summary(const struct ingest *in)
{
	const struct store_counts *c = &in->counts;

	if (in->quiet)
		return;
	printf("records %lld, casts new %lld, already stored %lld, removed %lld,"
	    " profiles %lld, links %lld, inbound new %lld, bad %ld\n",
	    c->records, c->casts_new, c->casts_dup, c->removed, c->profiles,
	    c->links, c->inbound_new, in->bad);
}

struct opts {
	int		 format;
	long		 batch;
	int		 strict, quiet;
	uint64_t	 generate, seed;
	int		 dump;
};

static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	static const struct option lo[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "generate", required_argument, NULL, 'g' },
		{ "seed", required_argument, NULL, 'S' },
		{ "anchor", required_argument, NULL, 'A' },
		{ "dump", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t	 u;
	int		 ch;

	o->format = ING_FMT_AUTO;
	o->batch = 20000;
	o->seed = 42;
	while ((ch = getopt_long(argc, argv, "f:b:qh", lo, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((o->format = ing_format_parse(optarg)) < 0)
				return -1;
			break;
		case 's': o->strict = 1; break;
		case 'q': o->quiet = 1; break;
		case 'b':
			if (valid_u64(optarg, 1000000, &u) == -1 || u == 0)
				return -1;
			o->batch = (long)u;
			break;
		case 'g':
			if (valid_u64(optarg, 100000000, &u) == -1 || u == 0)
				return -1;
			o->generate = u;
			break;
		case 'S':
			if (valid_u64(optarg, UINT32_MAX, &o->seed) == -1)
				return -1;
			break;
		case 'A':
			if (valid_u64(optarg, INT64_MAX / 2, &u) == -1)
				return -1;
			gen_set_anchor((int64_t)u);
			break;
		case 'D':
			o->dump = 1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ingest	 in;
	struct opts	 o = { 0 };
	struct cfg	 cfg;
	char		 err[512];
	long long	 run;
	int		 i, rc = EX_CLEAN;

	memset(&in, 0, sizeof(in));
	if (parse_opts(argc, argv, &o) == -1) {
		usage();
		return EX_USAGE;
	}
	if (o.dump) {
		if (o.generate == 0) {
			usage();
			return EX_USAGE;
		}
		/* --dump writes the data set as JSON Lines, no database. */
		return gen_run(o.generate, (uint32_t)o.seed, &dump_sink, NULL) == 0 &&
		    fflush(stdout) == 0 ? EX_CLEAN : EX_FAIL;
	}
	if (cfg_load(&cfg, cfg_getenv, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "replycast-ingest: configuration: %s\n", err);
		return EX_USAGE;
	}
	in.conn = PQconnectdb(cfg.pg_dsn);
	if (PQstatus(in.conn) != CONNECTION_OK) {
		fprintf(stderr, "replycast-ingest: RC_PG_DSN: %s",
		    PQerrorMessage(in.conn));
		PQfinish(in.conn);
		return EX_FAIL;
	}
	PQclear(PQexec(in.conn, "SET client_min_messages = warning"));
	in.store = store_new();
	in.arena = arena_new(64 * 1024);
	in.format = (enum ing_format)o.format;
	in.batch = o.batch;
	in.strict = o.strict;
	in.quiet = o.quiet;
	in.progress = isatty(STDERR_FILENO);
	in.started_us = ingest_now_us();
	if (in.store == NULL || in.arena == NULL) {
		rc = EX_FAIL;
		goto out;
	}
	run = run_start(in.conn, o.generate ? "generate" : "files");
	if (o.generate) {
		in.name = "generator";
		if (gen_run(o.generate, (uint32_t)o.seed, &ingest_sink, &in) != 0)
			rc = EX_FAIL;
	} else if (optind == argc) {
		if (ingest_file(&in, "-") == -1)
			rc = EX_FAIL;
	}
	for (i = optind; i < argc && rc == EX_CLEAN && !in.stopped; i++)
		if (ingest_file(&in, argv[i]) == -1 && !in.stopped)
			rc = EX_FAIL;
	if (rc == EX_CLEAN && !in.stopped && ingest_flush(&in, NULL) == -1)
		rc = EX_FAIL;
	ingest_progress(&in, 1);
	if (rc == EX_CLEAN)
		rc = in.stopped ? EX_STRICT : in.bad > 0 ? EX_SKIPPED : EX_CLEAN;
	run_end(&in, run, rc == EX_FAIL ? in.err : NULL);
	summary(&in);
out:
	store_free(in.store);
	arena_free(in.arena);
	PQfinish(in.conn);
	return rc;
}
