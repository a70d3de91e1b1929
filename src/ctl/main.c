#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "config.h"
#include "core/cfg.h"
#include "jobs.h"
#include "migrate.h"
#include "standing.h"
#include "stats.h"
#include "user.h"

struct ctl_cmd {
	const char	*name;
	const char	*usage;
	int		(*fn)(const struct cfg *, int, char *[]);
};

static PGconn *
ctl_connect(const struct cfg *c)
{
	PGconn	*conn = PQconnectdb(c->pg_dsn);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "replycastctl: RC_PG_DSN: %s",
		    conn ? PQerrorMessage(conn) : "out of memory\n");
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
ctl_migrate(const struct cfg *c, int argc, char *argv[])
{
	char	 dir[1100];
	PGconn	*conn;
	int	 n;

	if (argc > 2 && strcmp(argv[1], "--dir") == 0)
		snprintf(dir, sizeof(dir), "%s", argv[2]);
	else if (argc > 1) {
		fprintf(stderr, "usage: replycastctl migrate [--dir DIR]\n");
		return 2;
	} else if ((size_t)snprintf(dir, sizeof(dir), "%s/migrations",
	    c->data_dir) >= sizeof(dir))
		return 2;
	if ((conn = ctl_connect(c)) == NULL)
		return 1;
	PQsetNoticeProcessor(conn, quiet, NULL);
	n = migrate_run(conn, dir, 1);
	PQfinish(conn);
	if (n < 0)
		return 1;
	printf("migrations: %d applied, schema up to date\n", n);
	return 0;
}

static int
ctl_config(const struct cfg *c, int argc, char *argv[])
{
	(void)c;
	(void)argc;
	(void)argv;
	cfg_usage(stdout);
	return 0;
}

static const struct ctl_cmd ctl_cmds[] = {
	{ "migrate", "migrate [--dir DIR]   apply pending SQL migrations",
	  ctl_migrate },
	{ "config", "config                list configuration variables",
	  ctl_config },
	{ "stats", "stats FID [--what W]  print an engine figure as JSON",
	  stats_main },
	{ "user", "user add|passwd|bind|role|logout|del|list  accounts",
	  user_main },
	{ "jobs", "jobs [list] | jobs retry FID  backfill jobs (replycast-worker)",
	  jobs_main },
	{ "standing", "standing refresh      every tracked user's medians for "
	  "where they stand", standing_main },
};

#define NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static int
ctl_usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: replycastctl <command> [args]\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(stderr, "  %s\n", ctl_cmds[i].usage);
	return 2;
}

int
main(int argc, char *argv[])
{
	struct cfg	 c;
	char		 err[512];
	size_t		 i;

	if (argc < 2)
		return ctl_usage();
	if (strcmp(argv[1], "--version") == 0) {
		printf("replycastctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (cfg_load(&c, cfg_getenv, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "replycastctl: configuration: %s\n", err);
		return 2;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], ctl_cmds[i].name) == 0)
			return ctl_cmds[i].fn(&c, argc - 1, argv + 1);
	return ctl_usage();
}
