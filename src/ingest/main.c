#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/arena.h"
#include "core/cfg.h"
#include "core/met.h"
#include "core/valid.h"
#include "dump.h"
#include "gen.h"
#include "hub.h"
#include "ingest.h"

#include <curl/curl.h>

/* Exit statuses: the README's table. */
enum {
	EX_CLEAN = 0,		/* everything read and stored */
	EX_FAIL = 1,		/* I/O or database failure: last batch rolled back */
	EX_USAGE = 2,
	EX_SKIPPED = 3,		/* bad records were skipped and reported */
	EX_STRICT = 4		/* --strict stopped at a bad record */
};

static volatile sig_atomic_t stop_flag;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: replycast-ingest [-f auto|hub|neynar|jsonl] [--strict] "
	    "[--batch N] [--bulk] [-q] [FILE ...]\n"
	    "       replycast-ingest --generate CASTS [--seed N] [--anchor T] "
	    "[--dump]\n"
	    "       replycast-ingest [--hub URL] --fid N [--page-size N] "
	    "[HUB OPTIONS]\n"
	    "       replycast-ingest [--hub URL] --follow [--interval MS] "
	    "[--once] [HUB OPTIONS]\n"
	    "FILE '-' or none: standard input.  Exit: 0 clean, 1 failure "
	    "(last batch rolled back),\n2 usage, 3 bad records skipped, "
	    "4 --strict stopped at a bad record.\n"
	    "--bulk        a load large compared with what is stored: "
	    "batches store the casts,\n"
	    "              the inbound facts and indexes are built once at "
	    "the end (docs/ingest.md)\n"
	    "--hub URL     a Hub's HTTP API, e.g. http://127.0.0.1:3381 "
	    "(Snapchain) or :2281 (Hubble);\n"
	    "              default RC_HUB_URL\n"
	    "--fid N       fetch N's casts, the casts mentioning N, the "
	    "replies to N's casts and\n"
	    "              the profiles of everyone involved; adds N to the "
	    "tracked accounts.\n"
	    "              Each page lands with its page token: a rerun "
	    "resumes where one stopped.\n"
	    "--page-size N messages asked per page (1-1000, default 100)\n"
	    "--follow      tail the Hub's events from the stored event id "
	    "and keep the casts,\n"
	    "              removals and profiles that concern a tracked "
	    "account; SIGTERM/SIGINT\n"
	    "              finish the current page and exit 0\n"
	    "--interval MS poll period when caught up (default 1000)\n"
	    "--once        stop when caught up\n"
	    "HUB OPTIONS:  --attempts N (tries per request, default 6), "
	    "--timeout MS (per request,\n"
	    "              default 60000), --connect-timeout MS (default "
	    "5000)\n");
}

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
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
	if (c->likes > 0)
		printf("likes %lld\n", c->likes);
}

struct opts {
	int		 format;
	long		 batch;
	int		 strict, quiet, bulk;
	uint64_t	 generate, seed;
	int		 dump;
	const char	*hub;
	int64_t		 fid;
	long		 page_size;
	int		 follow, once;
	long		 interval_ms;
	struct hub_cfg	 hub_cfg;
};

/* The options of the Hub modes; 1 when ch was not one of them. */
static int
parse_hub_opt(int ch, struct opts *o)
{
	uint64_t	 u;

	switch (ch) {
	case 'H': o->hub = optarg; return 0;
	case 'W': o->follow = 1; return 0;
	case 'O': o->once = 1; return 0;
	case 'F':
		if (valid_u64(optarg, INT64_MAX / 2, &u) == -1 || u == 0)
			return -1;
		o->fid = (int64_t)u;
		return 0;
	case 'P':
		if (valid_u64(optarg, 1000, &u) == -1 || u == 0)
			return -1;
		o->page_size = (long)u;
		return 0;
	case 'I':
		if (valid_u64(optarg, 3600000, &u) == -1 || u == 0)
			return -1;
		o->interval_ms = (long)u;
		return 0;
	case 'R':
		if (valid_u64(optarg, 100, &u) == -1 || u == 0)
			return -1;
		o->hub_cfg.attempts = (int)u;
		return 0;
	case 'T':
		if (valid_u64(optarg, 3600000, &u) == -1 || u == 0)
			return -1;
		o->hub_cfg.timeout_ms = (long)u;
		return 0;
	case 'C':
		if (valid_u64(optarg, 600000, &u) == -1 || u == 0)
			return -1;
		o->hub_cfg.connect_ms = (long)u;
		return 0;
	}
	return 1;
}

static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	static const struct option lo[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "bulk", no_argument, NULL, 'B' },
		{ "generate", required_argument, NULL, 'g' },
		{ "seed", required_argument, NULL, 'S' },
		{ "anchor", required_argument, NULL, 'A' },
		{ "dump", no_argument, NULL, 'D' },
		{ "hub", required_argument, NULL, 'H' },
		{ "fid", required_argument, NULL, 'F' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "follow", no_argument, NULL, 'W' },
		{ "interval", required_argument, NULL, 'I' },
		{ "once", no_argument, NULL, 'O' },
		{ "attempts", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t	 u;
	int		 ch, r, hub, batch_set = 0;

	o->format = ING_FMT_AUTO;
	o->batch = 20000;
	o->seed = 42;
	o->page_size = 100;
	o->interval_ms = 1000;
	hub_cfg_default(&o->hub_cfg);
	while ((ch = getopt_long(argc, argv, "f:b:qh", lo, NULL)) != -1) {
		if ((r = parse_hub_opt(ch, o)) != 1) {
			if (r == -1)
				return -1;
			continue;
		}
		switch (ch) {
		case 'f':
			if ((o->format = ing_format_parse(optarg)) < 0)
				return -1;
			break;
		case 's': o->strict = 1; break;
		case 'q': o->quiet = 1; break;
		case 'B': o->bulk = 1; break;
		case 'b':
			if (valid_u64(optarg, 1000000, &u) == -1 || u == 0)
				return -1;
			o->batch = (long)u;
			batch_set = 1;
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
	/*
	 * A Hub run (--hub, or --fid/--follow with RC_HUB_URL) takes exactly
	 * one of --fid and --follow, and no files.
	 */
	hub = o->hub != NULL || o->fid != 0 || o->follow;
	if (hub && ((o->fid != 0) == o->follow || optind != argc ||
	    o->generate != 0 || o->bulk))
		return -1;
	if (!hub && o->once)
		return -1;
	if (o->bulk && !batch_set)
		o->batch = INGEST_BULK_BATCH;
	return 0;
}

static int
run_hub(struct ingest *in, const struct opts *o)
{
	struct sigaction	 sa;
	struct follow_opts	 fo;
	struct hub		*hub;
	int			 rc;

	if ((hub = hub_new(o->hub, &o->hub_cfg, &stop_flag)) == NULL) {
		fprintf(stderr, "replycast-ingest: --hub %s: not an http(s) "
		    "URL\n", o->hub);
		return -1;
	}
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());	/* retry jitter */
	if (o->fid != 0)
		rc = ingest_hub_fid(in, hub, o->fid, o->page_size);
	else {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		/* SIGQUIT: what multiwatch -s TERM sends (src/core/srv.c). */
		if (sigaction(SIGTERM, &sa, NULL) == -1 ||
		    sigaction(SIGINT, &sa, NULL) == -1 ||
		    sigaction(SIGQUIT, &sa, NULL) == -1) {
			hub_free(hub);
			return -1;
		}
		fo.interval_ms = o->interval_ms;
		fo.once = o->once;
		fo.stop = &stop_flag;
		rc = ingest_follow(in, hub, &fo);
	}
	hub_free(hub);
	return rc;
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
	if (o.hub == NULL && (o.fid != 0 || o.follow)) {
		if (cfg.hub_url[0] == '\0') {
			fprintf(stderr, "replycast-ingest: --fid and --follow "
			    "need --hub URL, or RC_HUB_URL\n");
			return EX_USAGE;
		}
		o.hub = cfg.hub_url;
	}
	if (ingest_open(&in, &cfg) == -1) {
		rc = EX_FAIL;
		goto out;
	}
	in.format = (enum ing_format)o.format;
	in.batch = o.batch;
	in.strict = o.strict;
	in.quiet = o.quiet;
	run = ingest_run_start(&in, o.hub != NULL ? (o.follow ? "hub-events" :
	    "hub-fid") : o.generate ? "generate" : "files");
	/* Files are read on while the server merges; a Hub page waits (cursor). */
	store_set_async(in.store, o.hub == NULL);
	/* A Hub run finishes a bulk load left under way before it starts. */
	if ((o.bulk && (store_bulk_begin(in.conn, in.err, sizeof(in.err)) == -1 ||
	    store_bulk_derive(in.store, in.conn) == -1)) ||
	    (o.hub != NULL && ingest_bulk_finish(&in) == -1)) {
		if (o.bulk)
			fprintf(stderr, "replycast-ingest: %s\n", in.err);
		rc = EX_FAIL;
	} else if (o.hub != NULL) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
		    run_hub(&in, &o) == -1)
			rc = EX_FAIL;
		curl_global_cleanup();
	} else if (o.generate) {
		in.name = "generator";
		if (gen_run(o.generate, (uint32_t)o.seed, &ingest_sink, &in) != 0)
			rc = EX_FAIL;
	} else if (optind == argc) {
		if (ingest_file(&in, "-") == -1)
			rc = EX_FAIL;
	}
	for (i = o.hub != NULL ? argc : optind; i < argc && rc == EX_CLEAN && !in.stopped; i++)
		if (ingest_file(&in, argv[i]) == -1 && !in.stopped)
			rc = EX_FAIL;
	if (rc == EX_CLEAN && !in.stopped && ingest_flush(&in, NULL) == -1)
		rc = EX_FAIL;
	if (ingest_wait(&in) == -1)
		rc = EX_FAIL;
	if (rc == EX_CLEAN && o.hub == NULL && ingest_bulk_finish(&in) == -1)
		rc = EX_FAIL;
	ingest_progress(&in, 1);
	if (rc == EX_CLEAN)
		rc = in.stopped ? EX_STRICT : in.bad > 0 ? EX_SKIPPED : EX_CLEAN;
	ingest_run_end(&in, run, rc == EX_FAIL ? in.err : NULL);
	ingest_publish(&in);
	summary(&in);
out:
	ingest_close(&in);
	return rc;
}
