#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "migrate.h"

#define MIGRATE_MAX	512

static const char *const sql_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version text PRIMARY KEY,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
static const char *const sql_lock =
    "SELECT pg_advisory_lock(4242001)";
static const char *const sql_applied =
    "SELECT 1 FROM schema_migrations WHERE version = $1";
static const char *const sql_record =
    "INSERT INTO schema_migrations (version) VALUES ($1)";

static int
cmd_ok(PGconn *c, PGresult *r, const char *what)
{
	ExecStatusType	 t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int		 ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "replycastctl: %s: %s", what,
		    r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

static int
is_migration(const char *n)
{
	size_t	 len = strlen(n);

	return len > 9 && n[0] >= '0' && n[0] <= '9' && n[4] == '_' &&
	    strcmp(n + len - 4, ".sql") == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, struct buf *b)
{
	char	 chunk[8192];
	size_t	 n;
	FILE	*f;
	int	 rc = 0;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_put(b, chunk, n) == -1) {
			rc = -1;
			break;
		}
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/* Runs one file and records it, all in one transaction. */
static int
migrate_one(PGconn *c, const char *dir, const char *name)
{
	const char	*params[1] = { name };
	char		 path[4096];
	struct buf	 sql;
	PGresult	*r;
	int		 rc = -1;

	buf_init(&sql, 16 * 1024 * 1024);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || read_file(path, &sql) == -1) {
		fprintf(stderr, "replycastctl: cannot read %s\n", path);
		goto out;
	}
	if (cmd_ok(c, PQexec(c, "BEGIN"), name) == -1)
		goto out;
	r = PQexecParams(c, sql_applied, 1, NULL, params, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) == 1) {
		PQclear(r);
		rc = cmd_ok(c, PQexec(c, "ROLLBACK"), name) == 0 ? 0 : -1;
		goto out;
	}
	if (cmd_ok(c, r, name) == -1 ||
	    cmd_ok(c, PQexec(c, buf_cstr(&sql)), name) == -1 ||
	    cmd_ok(c, PQexecParams(c, sql_record, 1, NULL, params, NULL, NULL,
	    0), name) == -1 ||
	    cmd_ok(c, PQexec(c, "COMMIT"), name) == -1) {
		PQclear(PQexec(c, "ROLLBACK"));
		goto out;
	}
	rc = 1;
out:
	buf_free(&sql);
	return rc;
}

int
migrate_run(PGconn *c, const char *dir, int verbose)
{
	char		*names[MIGRATE_MAX];
	size_t		 n = 0, i;
	struct dirent	*de;
	DIR		*d;
	int		 applied = 0, r;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replycastctl: cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < MIGRATE_MAX)
		if (is_migration(de->d_name) &&
		    (names[n] = strdup(de->d_name)) != NULL)
			n++;
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	if (cmd_ok(c, PQexec(c, sql_lock), "lock") == -1 ||
	    cmd_ok(c, PQexec(c, sql_table), "schema_migrations") == -1)
		applied = -1;
	for (i = 0; i < n && applied >= 0; i++) {
		if ((r = migrate_one(c, dir, names[i])) == -1)
			applied = -1;
		else if (r == 1) {
			applied++;
			if (verbose)
				printf("applied %s\n", names[i]);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return applied;
}
