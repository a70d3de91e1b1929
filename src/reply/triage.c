#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
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

/*
 * Many casts at once, in one statement, so all or none: $2 the hashes as
 * a text[] of hex without "0x", $5 1 to clear; the first column says
 * whether every hash is one of the user's inbound casts, and only then
 * does anything change.
 */
static const struct db_stmt triage_stmt_many = { "triage_many",
	"WITH want AS (SELECT DISTINCT decode(h, 'hex') AS hash"
	"  FROM unnest($2::text[]) AS h),"
	" hit AS (SELECT i.hash FROM inbound i JOIN want w ON w.hash = i.hash"
	"  WHERE i.fid = $1::bigint),"
	" ok AS (SELECT (SELECT count(*) FROM hit) = (SELECT count(*) FROM want)"
	"  AS every),"
	" ins AS (INSERT INTO triage (fid, hash, state, until)"
	"  SELECT $1::bigint, hit.hash, $3::text, to_timestamp($4::float8)"
	"  FROM hit, ok WHERE ok.every AND $5::int = 0"
	"  ON CONFLICT (fid, hash) DO UPDATE SET state = EXCLUDED.state,"
	"  until = EXCLUDED.until, updated_at = now() RETURNING 1),"
	" del AS (DELETE FROM triage t USING hit, ok WHERE ok.every"
	"  AND $5::int = 1 AND t.fid = $1::bigint AND t.hash = hit.hash"
	"  RETURNING 1)"
	" SELECT ok.every, (SELECT count(*) FROM ins), (SELECT count(*) FROM del)"
	" FROM ok", 5, 0 };

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

enum triage_res
triage_many(struct db *db, int64_t fid, const char *const *hash, size_t n,
    enum triage_op op, int64_t until)
{
	struct buf	 arr;
	char		 f[24], u[24];
	const char	*p[5];
	PGresult	*r;
	size_t		 i;
	enum triage_res	 rc = TRIAGE_EDB;

	if (n == 0 || n > TRIAGE_MANY_MAX)
		return TRIAGE_NOTFOUND;
	buf_init(&arr, 0);
	if (buf_putc(&arr, '{') == -1)
		goto out;
	for (i = 0; i < n; i++)
		if ((i > 0 && buf_putc(&arr, ',') == -1) ||
		    buf_puts(&arr, hash[i] + 2) == -1)
			goto out;
	if (buf_putc(&arr, '}') == -1)
		goto out;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(u, sizeof(u), "%" PRId64, until);
	p[0] = f;
	p[1] = buf_cstr(&arr);
	p[2] = op == TRIAGE_SNOOZE ? "snoozed" : "done";
	p[3] = op == TRIAGE_SNOOZE ? u : NULL;
	p[4] = op == TRIAGE_CLEAR ? "1" : "0";
	if ((r = db_exec(db, &triage_stmt_many, p, NULL)) == NULL)
		goto out;
	rc = PQntuples(r) == 1 && *PQgetvalue(r, 0, 0) == 't' ? TRIAGE_OK :
	    TRIAGE_NOTFOUND;
	PQclear(r);
out:
	buf_free(&arr);
	return rc;
}
