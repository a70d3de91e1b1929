#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siwf.h"
#include "core/db.h"
#include "core/sec.h"

static const struct db_stmt siwf_stmt_new = { "siwf_nonce_new",
	"INSERT INTO siwf_nonces (nonce, expires_at, browser, link_account)"
	" VALUES ($1, now() + make_interval(secs => $2::int), $3,"
	" NULLIF($4::bigint, 0)) RETURNING to_char(expires_at AT TIME ZONE"
	" 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", 4, 0 };
/* Rows a day past their expiry go; nothing reads them any more. */
static const struct db_stmt siwf_stmt_purge = { "siwf_nonce_purge",
	"DELETE FROM siwf_nonces WHERE expires_at < now() - interval '1 day'",
	0, 1 };
static const struct db_stmt siwf_stmt_take = { "siwf_nonce_take",
	"UPDATE siwf_nonces SET used_at = now() WHERE nonce = $1"
	" AND used_at IS NULL AND expires_at > now() RETURNING 1", 1, 0 };
static const struct db_stmt siwf_stmt_why = { "siwf_nonce_why",
	"SELECT used_at IS NOT NULL FROM siwf_nonces WHERE nonce = $1", 1, 1 };
static const struct db_stmt siwf_stmt_chan_set = { "siwf_chan_set",
	"UPDATE siwf_nonces SET channel_token = $2, channel_url = $3"
	" WHERE nonce = $1", 3, 1 };
static const struct db_stmt siwf_stmt_chan_get = { "siwf_chan_get",
	"SELECT nonce, COALESCE(channel_token, ''), COALESCE(channel_url, ''),"
	" used_at IS NULL AND expires_at > now(), COALESCE(link_account, 0)"
	" FROM siwf_nonces WHERE browser = $1", 1, 1 };

int
siwf_nonce_new(struct db *db, long ttl_s, const char *browser,
    int64_t link_account, char nonce[SIWF_NONCE_LEN + 1], char expires[32])
{
	char		 ttl[24], link[24];
	const char	*p[4] = { nonce, ttl, browser, link };
	PGresult	*r;

	if ((r = db_exec(db, &siwf_stmt_purge, NULL, NULL)) != NULL)
		PQclear(r);
	if (sec_random_hex(nonce, SIWF_NONCE_LEN / 2) == -1)
		return -1;
	snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
	snprintf(link, sizeof(link), "%" PRId64, link_account);
	if ((r = db_exec(db, &siwf_stmt_new, p, NULL)) == NULL)
		return -1;
	snprintf(expires, 32, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

enum siwf_take
siwf_nonce_take(struct db *db, const char *nonce)
{
	const char	*p[1] = { nonce };
	PGresult	*r;
	enum siwf_take	 t;

	if ((r = db_exec(db, &siwf_stmt_take, p, NULL)) == NULL)
		return SIWF_EDB;
	t = PQntuples(r) == 1 ? SIWF_TAKEN : SIWF_UNKNOWN;
	PQclear(r);
	if (t == SIWF_TAKEN)
		return t;
	/* Only to say why: the UPDATE above decided. */
	if ((r = db_exec(db, &siwf_stmt_why, p, NULL)) == NULL)
		return SIWF_EDB;
	if (PQntuples(r) == 1)
		t = strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? SIWF_USED :
		    SIWF_EXPIRED;
	PQclear(r);
	return t;
}

int
siwf_chan_set(struct db *db, const char *nonce, const char *token,
    const char *url)
{
	const char	*p[3] = { nonce, token, url };
	PGresult	*r;

	if ((r = db_exec(db, &siwf_stmt_chan_set, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
siwf_chan_get(struct db *db, const char *browser, struct siwf_chan *c)
{
	const char	*p[1] = { browser };
	PGresult	*r;
	int		 found;

	memset(c, 0, sizeof(*c));
	if ((r = db_exec(db, &siwf_stmt_chan_get, p, NULL)) == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		snprintf(c->nonce, sizeof(c->nonce), "%s", PQgetvalue(r, 0, 0));
		snprintf(c->token, sizeof(c->token), "%s", PQgetvalue(r, 0, 1));
		snprintf(c->url, sizeof(c->url), "%s", PQgetvalue(r, 0, 2));
		c->live = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
		c->link_account = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	}
	PQclear(r);
	return found;
}
