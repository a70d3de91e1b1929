#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/cfg.h"
#include "core/db.h"
#include "reply/standing.h"
#include "standing.h"

int
standing_main(const struct cfg *cfg, int argc, char *argv[])
{
	struct standing_run	 run;
	struct db		*db;
	int			 rc = 1;

	if (argc != 2 || strcmp(argv[1], "refresh") != 0) {
		fprintf(stderr, "usage: replycastctl standing refresh\n");
		return 2;
	}
	if ((db = db_new(cfg->pg_dsn, cfg->pg_connect_timeout,
	    cfg->pg_statement_timeout, 0)) == NULL) {
		fprintf(stderr, "replycastctl: out of memory\n");
		return 1;
	}
	if (standing_refresh(db, cfg->facts_mb, (int64_t)time(NULL), &run) ==
	    -1)
		fprintf(stderr, "replycastctl: standing refresh: the database "
		    "failed (RC_PG_DSN?)\n");
	else if (run.skipped) {
		printf("standing: another refresh is running; nothing done\n");
		rc = 0;
	} else {
		printf("standing: %ld tracked users refreshed, %ld figures "
		    "by SQL\n", run.users, run.sql);
		rc = 0;
	}
	db_free(db);
	return rc;
}
