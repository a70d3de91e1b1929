#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acct.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"

#define ACCT_COLS \
	"id, username, pw_hash, COALESCE(fid, 0), role," \
	" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," \
	" COALESCE((SELECT c.gen FROM token_cutoffs c" \
	" WHERE c.account_id = accounts.id), 0), disabled_at IS NOT NULL"

/* Bumps the generation of the account(s) in CTE a(id); RETURNING id, gen. */
#define ACCT_BUMP \
	" INSERT INTO token_cutoffs (account_id, gen) SELECT id, 1 FROM a" \
	" ON CONFLICT (account_id) DO UPDATE" \
	" SET gen = token_cutoffs.gen + 1, updated_at = now()" \
	" RETURNING account_id, gen"

static const struct db_stmt acct_stmt_find = { "acct_find",
	"SELECT " ACCT_COLS " FROM accounts WHERE username = $1", 1, 1 };
static const struct db_stmt acct_stmt_find_fid = { "acct_find_fid",
	"SELECT " ACCT_COLS " FROM accounts WHERE fid = $1::bigint", 1, 1 };
static const struct db_stmt acct_stmt_get = { "acct_get",
	"SELECT " ACCT_COLS " FROM accounts WHERE id = $1::bigint", 1, 1 };
static const struct db_stmt acct_stmt_add = { "acct_add",
	"INSERT INTO accounts (username, pw_hash, fid, role)"
	" VALUES ($1, $2, NULLIF($3::bigint, 0), $4) RETURNING " ACCT_COLS, 4, 0 };
static const struct db_stmt acct_stmt_fid_taken = { "acct_fid_taken",
	"SELECT 1 FROM accounts WHERE fid = $1::bigint", 1, 1 };
static const struct db_stmt acct_stmt_passwd = { "acct_passwd",
	"WITH a AS (UPDATE accounts SET pw_hash = $2, updated_at = now()"
	" WHERE username = $1 RETURNING id)" ACCT_BUMP, 2, 0 };
static const struct db_stmt acct_stmt_bind = { "acct_bind",
	"WITH a AS (UPDATE accounts SET fid = NULLIF($2::bigint, 0),"
	" updated_at = now() WHERE username = $1 RETURNING id)" ACCT_BUMP, 2, 0 };
static const struct db_stmt acct_stmt_role = { "acct_role",
	"WITH a AS (UPDATE accounts SET role = $2, updated_at = now()"
	" WHERE username = $1 RETURNING id)" ACCT_BUMP, 2, 0 };
static const struct db_stmt acct_stmt_disable = { "acct_disable",
	"WITH a AS (UPDATE accounts SET disabled_at = CASE WHEN $2 = 't'"
	" THEN coalesce(disabled_at, now()) END, updated_at = now()"
	" WHERE username = $1 RETURNING id)" ACCT_BUMP, 2, 0 };
static const struct db_stmt acct_stmt_logout = { "acct_logout",
	"WITH a AS (SELECT id FROM accounts WHERE id = $1::bigint)" ACCT_BUMP,
	1, 0 };
static const struct db_stmt acct_stmt_logout_name = { "acct_logout_name",
	"WITH a AS (SELECT id FROM accounts WHERE username = $1)" ACCT_BUMP,
	1, 0 };
static const struct db_stmt acct_stmt_del = { "acct_del",
	"WITH a AS (DELETE FROM accounts WHERE username = $1 RETURNING id)"
	" INSERT INTO token_cutoffs (account_id, gen)"
	" SELECT id, 9223372036854775807 FROM a"
	" ON CONFLICT (account_id) DO UPDATE SET gen = EXCLUDED.gen,"
	" updated_at = now() RETURNING account_id, gen", 1, 0 };
static const struct db_stmt acct_stmt_gen = { "acct_gen",
	"SELECT gen FROM token_cutoffs WHERE account_id = $1::bigint", 1, 1 };
static const struct db_stmt acct_stmt_audit = { "acct_audit",
	"INSERT INTO audit_log (account_id, username, action, client_addr,"
	" request_id, detail) VALUES ($1::bigint, $2, $3, $4, $5, $6)", 6, 0 };

int
acct_username_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n == ACCT_USER_MAX)
			return 0;
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || strchr("_.@+-", s[n])))
			return 0;
	}
	return n > 0;
}

int
acct_password_ok(const char *pw, size_t len)
{
	return pw != NULL && len >= ACCT_PW_MIN && len <= ACCT_PW_MAX &&
	    memchr(pw, '\0', len) == NULL;
}

static void
acct_fill(PGresult *r, struct acct *a)
{
	memset(a, 0, sizeof(*a));
	a->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	snprintf(a->username, sizeof(a->username), "%s", PQgetvalue(r, 0, 1));
	snprintf(a->pw_hash, sizeof(a->pw_hash), "%s", PQgetvalue(r, 0, 2));
	a->fid = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	a->role = strcmp(PQgetvalue(r, 0, 4), "admin") == 0 ?
	    TOK_ROLE_ADMIN : TOK_ROLE_USER;
	snprintf(a->created, sizeof(a->created), "%s", PQgetvalue(r, 0, 5));
	a->gen = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	a->disabled = strcmp(PQgetvalue(r, 0, 7), "t") == 0;
}

static enum acct_err
acct_one(struct db *db, const struct db_stmt *st, const char *const *p,
    struct acct *a)
{
	PGresult	*r;
	enum acct_err	 e = ACCT_ENOTFOUND;

	if ((r = db_exec(db, st, p, NULL)) == NULL)
		return ACCT_EDB;
	if (PQntuples(r) == 1) {
		acct_fill(r, a);
		e = ACCT_OK;
	}
	PQclear(r);
	return e;
}

enum acct_err
acct_find(struct db *db, const char *username, struct acct *a)
{
	const char	*p[1] = { username };

	return acct_one(db, &acct_stmt_find, p, a);
}

enum acct_err
acct_get(struct db *db, int64_t id, struct acct *a)
{
	char		 s[24];
	const char	*p[1] = { s };

	snprintf(s, sizeof(s), "%" PRId64, id);
	return acct_one(db, &acct_stmt_get, p, a);
}

enum acct_err
acct_find_fid(struct db *db, int64_t fid, struct acct *a)
{
	char		 s[24];
	const char	*p[1] = { s };

	snprintf(s, sizeof(s), "%" PRId64, fid);
	return acct_one(db, &acct_stmt_find_fid, p, a);
}

/* 1 when another account holds fid (which of two unique keys clashed). */
static int
acct_fid_taken(struct db *db, int64_t fid)
{
	char		 f[24];
	const char	*p[1] = { f };
	PGresult	*r;
	int		 taken;

	if (fid <= 0)
		return 0;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &acct_stmt_fid_taken, p, NULL)) == NULL)
		return 0;
	taken = PQntuples(r) > 0;
	PQclear(r);
	return taken;
}

enum acct_err
acct_add(struct db *db, const char *username, const char *pw, size_t len,
    int64_t fid, enum tok_role role, struct acct *a)
{
	char		 hash[SEC_PWHASH_LEN], f[24], state[6];
	const char	*p[4] = { username, hash, f, tok_role_name(role) };
	PGresult	*r;

	if (sec_pw_hash(pw, len, hash) == -1)
		return ACCT_EHASH;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &acct_stmt_add, p, state)) == NULL)
		return strcmp(state, "23505") != 0 ? ACCT_EDB :
		    acct_fid_taken(db, fid) ? ACCT_EFID : ACCT_EEXISTS;
	acct_fill(r, a);
	PQclear(r);
	return ACCT_OK;
}

/* Runs a statement that answers (id, gen) for one account. */
static enum acct_err
acct_id(struct db *db, const struct db_stmt *st, const char *const *p,
    int64_t *id, int64_t *gen)
{
	PGresult	*r;
	char		 state[6];
	enum acct_err	 e = ACCT_ENOTFOUND;

	if ((r = db_exec(db, st, p, state)) == NULL)
		return strcmp(state, "23505") == 0 ? ACCT_EFID : ACCT_EDB;
	if (PQntuples(r) == 1) {
		*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		*gen = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		e = ACCT_OK;
	}
	PQclear(r);
	return e;
}

enum acct_err
acct_passwd(struct db *db, const char *username, const char *pw, size_t len,
    int64_t *id, int64_t *gen)
{
	char		 hash[SEC_PWHASH_LEN];
	const char	*p[2] = { username, hash };

	if (sec_pw_hash(pw, len, hash) == -1)
		return ACCT_EHASH;
	return acct_id(db, &acct_stmt_passwd, p, id, gen);
}

enum acct_err
acct_del(struct db *db, const char *username, int64_t *id, int64_t *gen)
{
	const char	*p[1] = { username };

	return acct_id(db, &acct_stmt_del, p, id, gen);
}

enum acct_err
acct_bind(struct db *db, const char *username, int64_t fid, int64_t *id,
    int64_t *gen)
{
	char		 f[24];
	const char	*p[2] = { username, f };

	snprintf(f, sizeof(f), "%" PRId64, fid);
	return acct_id(db, &acct_stmt_bind, p, id, gen);
}

enum acct_err
acct_role(struct db *db, const char *username, enum tok_role role,
    int64_t *id, int64_t *gen)
{
	const char	*p[2] = { username, tok_role_name(role) };

	return acct_id(db, &acct_stmt_role, p, id, gen);
}

enum acct_err
acct_disable(struct db *db, const char *username, int disabled, int64_t *id,
    int64_t *gen)
{
	const char	*p[2] = { username, disabled ? "t" : "f" };

	return acct_id(db, &acct_stmt_disable, p, id, gen);
}

enum acct_err
acct_logout_all(struct db *db, int64_t account, int64_t *gen)
{
	char		 s[24];
	const char	*p[1] = { s };
	int64_t		 id;

	snprintf(s, sizeof(s), "%" PRId64, account);
	return acct_id(db, &acct_stmt_logout, p, &id, gen);
}

enum acct_err
acct_logout_name(struct db *db, const char *username, int64_t *id,
    int64_t *gen)
{
	const char	*p[1] = { username };

	return acct_id(db, &acct_stmt_logout_name, p, id, gen);
}

enum acct_err
acct_gen(struct db *db, int64_t account, int64_t *gen)
{
	char		 s[24];
	const char	*p[1] = { s };
	PGresult	*r;

	snprintf(s, sizeof(s), "%" PRId64, account);
	if ((r = db_exec(db, &acct_stmt_gen, p, NULL)) == NULL)
		return ACCT_EDB;
	*gen = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return ACCT_OK;
}

int
acct_audit(struct db *db, const struct acct_audit *au)
{
	char		 id[24];
	const char	*p[6];
	PGresult	*r;

	snprintf(id, sizeof(id), "%" PRId64, au->account);
	p[0] = au->account > 0 ? id : NULL;
	p[1] = au->username;
	p[2] = au->action;
	p[3] = au->client_addr;
	p[4] = au->request_id;
	p[5] = au->detail;
	if ((r = db_exec(db, &acct_stmt_audit, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

void
acct_audit_req(struct db *db, const struct req *rq, int64_t account,
    const char *username, const char *action, const char *detail)
{
	struct acct_audit	 au;

	au.account = account;
	au.username = username;
	au.action = action;
	au.client_addr = rq->remote_addr;
	au.request_id = rq->id;
	au.detail = detail;
	if (acct_audit(db, &au) == -1)
		log_msg("error", "audit: cannot record %s for request %s",
		    action, rq->id);
}

static const struct db_stmt acct_stmt_prune = { "acct_prune",
	"WITH t AS (DELETE FROM refresh_tokens WHERE expires_at < now()"
	"  RETURNING 1),"
	" j AS (DELETE FROM revoked_tokens WHERE expires_at < now()"
	"  RETURNING 1),"
	" s AS (DELETE FROM revoked_sessions WHERE expires_at < now()"
	"  RETURNING 1)"
	" SELECT (SELECT count(*) FROM t) + (SELECT count(*) FROM j) +"
	" (SELECT count(*) FROM s)", 0, 1 };

int
acct_prune(struct db *db, long *n)
{
	PGresult	*r;

	if ((r = db_exec(db, &acct_stmt_prune, NULL, NULL)) == NULL)
		return -1;
	*n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
}
