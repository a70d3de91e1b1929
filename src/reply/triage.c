#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/db.h"
#include "triage.h"

static const struct db_stmt triage_stmt_set = { "triage_set",
	"INSERT INTO triage (fid, hash, state, until)"
	" SELECT i.fid, i.hash, $3, to_timestamp($4::float8) FROM inbound i"
	" WHERE i.fid = $1::bigint AND i.hash = $2::bytea"
	" ON CONFLICT (fid, hash) DO UPDATE SET state = EXCLUDED.state,"
	" until = EXCLUDED.until, updated_at = now()", 4, 0 };

static const struct db_stmt triage_stmt_clear = { "triage_clear",
	"DELETE FROM triage WHERE fid = $1::bigint AND hash = $2::bytea", 2, 0 };

static enum triage_res
triage_run(struct db *db, const struct db_stmt *st, const char **p)
{
	PGresult	*r;
	long		 n;

	if ((r = db_exec(db, st, p, NULL)) == NULL)
		return TRIAGE_EDB;
	n = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return n > 0 ? TRIAGE_OK : TRIAGE_NOTFOUND;
}

enum triage_res
triage_set(struct db *db, int64_t fid, const char *hash, int64_t until)
{
	char		 f[24], h[48], u[24];
	const char	*p[4] = { f, h, until ? "snoozed" : "done", NULL };

	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(h, sizeof(h), "\\x%s", hash + 2);
	snprintf(u, sizeof(u), "%" PRId64, until);
	p[3] = until ? u : NULL;
	return triage_run(db, &triage_stmt_set, p);
}

enum triage_res
triage_clear(struct db *db, int64_t fid, const char *hash)
{
	char		 f[24], h[48];
	const char	*p[2] = { f, h };

	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(h, sizeof(h), "\\x%s", hash + 2);
	return triage_run(db, &triage_stmt_clear, p);
}
