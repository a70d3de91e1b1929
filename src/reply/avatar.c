#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/db.h"
#include "avatar.h"

static const struct db_stmt avatar_stmt_due = { "avatar_due",
	"SELECT p.fid, p.pfp_url FROM profiles p"
	" LEFT JOIN avatars a ON a.fid = p.fid"
	" WHERE p.pfp_url IS NOT NULL AND p.pfp_url <> ''"
	" AND (a.fid IS NULL OR a.url <> p.pfp_url"
	"  OR (a.body IS NULL AND a.fetched_at < now() - interval '1 day'))"
	" AND p.fid IN (SELECT i.author_fid FROM accounts ac"
	"  JOIN inbound i ON i.fid = ac.fid)"
	" ORDER BY p.fid LIMIT $1::int", 1, 1 };

static const struct db_stmt avatar_stmt_put = { "avatar_put",
	"INSERT INTO avatars (fid, url, ctype, body, error)"
	" VALUES ($1::bigint, $2, $3, $4::bytea, $5)"
	" ON CONFLICT (fid) DO UPDATE SET url = EXCLUDED.url,"
	" ctype = EXCLUDED.ctype, body = EXCLUDED.body, error = EXCLUDED.error,"
	" fetched_at = now()", 5, 1 };

static const struct db_stmt avatar_stmt_get = { "avatar_get",
	"SELECT ctype, body FROM avatars WHERE fid = $1::bigint"
	" AND body IS NOT NULL", 1, 1 };

const char *
avatar_sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
	    memcmp(p, "GIF89a", 6) == 0))
		return "image/gif";
	return NULL;
}

int
avatar_due(struct db *db, int max, int64_t *fids, struct buf *urls)
{
	char		 m[16];
	const char	*p[1] = { m };
	PGresult	*r;
	int		 i, n;

	snprintf(m, sizeof(m), "%d", max);
	if ((r = db_exec(db, &avatar_stmt_due, p, NULL)) == NULL)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n && i < max; i++) {
		fids[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		if (buf_put(urls, PQgetvalue(r, i, 1),
		    (size_t)PQgetlength(r, i, 1) + 1) == -1) {
			PQclear(r);
			return -1;
		}
	}
	PQclear(r);
	return i;
}

static int
avatar_row(struct db *db, int64_t fid, const char *url, const char *ctype,
    const char *hex, const char *why)
{
	char		 f[24];
	const char	*p[5] = { f, url, ctype, hex, why };
	PGresult	*r;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &avatar_stmt_put, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
avatar_put(struct db *db, int64_t fid, const char *url, const char *ctype,
    const unsigned char *p, size_t n)
{
	static const char	 hx[] = "0123456789abcdef";
	struct buf		 hex;
	size_t			 i;
	int			 rc = -1;

	if (n > AVATAR_MAX_BYTES)
		return -1;
	buf_init(&hex, 2 * AVATAR_MAX_BYTES + 8);
	if (buf_puts(&hex, "\\x") == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (buf_putc(&hex, hx[p[i] >> 4]) == -1 ||
		    buf_putc(&hex, hx[p[i] & 15]) == -1)
			goto out;
	rc = avatar_row(db, fid, url, ctype, buf_cstr(&hex), NULL);
out:
	buf_free(&hex);
	return rc;
}

int
avatar_fail(struct db *db, int64_t fid, const char *url, const char *why)
{
	return avatar_row(db, fid, url, NULL, NULL, why);
}

int
avatar_get(struct db *db, int64_t fid, struct buf *body, char *ctype,
    size_t ctypesz)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;
	unsigned char	*raw;
	size_t		 n;
	int		 rc = -1;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &avatar_stmt_get, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	snprintf(ctype, ctypesz, "%s", PQgetvalue(r, 0, 0));
	if ((raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1),
	    &n)) != NULL) {
		rc = buf_put(body, (const char *)raw, n) == -1 ? -1 : 1;
		PQfreemem(raw);
	}
	PQclear(r);
	return rc;
}
