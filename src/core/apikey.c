#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apikey.h"
#include "db.h"
#include "log.h"

static const struct db_stmt apikey_stmt_lock = { "apikey_lock",
	"SELECT 1 FROM accounts WHERE id = $1::bigint FOR UPDATE", 1, 0 };
/* A statement of its own, after the lock: it sees every committed key. */
static const struct db_stmt apikey_stmt_add = { "apikey_add",
	"INSERT INTO api_keys (account_id, name, key_hash, prefix, scope)"
	" SELECT $1::bigint, $2, $3, $4, $5"
	" WHERE (SELECT count(*) FROM api_keys"
	"  WHERE account_id = $1::bigint) < $6::bigint"
	" RETURNING id, to_char(created_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", 6, 0 };

static int
apikey_cmd(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);
	int		 ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		log_msg("error", "api key: %s failed", sql);
	PQclear(r);
	return ok ? 0 : -1;
}

/* Locks the account and inserts; the transaction is open around it. */
static enum apikey_err
apikey_insert(struct db *db, const struct apikey_new *k, long max,
    int64_t *id, char created[24])
{
	char		 acct[24], cap[24];
	const char	*p[6] = { acct, k->name, k->hash, k->prefix, k->scope,
			    cap };
	PGresult	*r;
	enum apikey_err	 e;

	snprintf(acct, sizeof(acct), "%" PRId64, k->account);
	snprintf(cap, sizeof(cap), "%ld", max);
	if ((r = db_exec(db, &apikey_stmt_lock, p, NULL)) == NULL)
		return APIKEY_EDB;
	e = PQntuples(r) == 1 ? APIKEY_OK : APIKEY_ENOACCT;
	PQclear(r);
	if (e != APIKEY_OK)
		return e;
	/* A reconnect would have ended the transaction, and the lock with it. */
	if (PQtransactionStatus(db_conn(db)) != PQTRANS_INTRANS)
		return APIKEY_EDB;
	if ((r = db_exec(db, &apikey_stmt_add, p, NULL)) == NULL)
		return APIKEY_EDB;
	if (PQntuples(r) != 1)
		e = APIKEY_EFULL;
	else {
		*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		snprintf(created, 24, "%s", PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return e;
}

enum apikey_err
apikey_add(struct db *db, const struct apikey_new *k, long max, int64_t *id,
    char created[24])
{
	PGconn		*c;
	enum apikey_err	 e;

	if ((c = db_conn(db)) == NULL || apikey_cmd(c, "BEGIN") == -1)
		return APIKEY_EDB;
	e = apikey_insert(db, k, max, id, created);
	/* db_exec may have reconnected: end the transaction on the live one. */
	if ((c = db_conn(db)) == NULL)
		return APIKEY_EDB;
	if (e == APIKEY_OK)
		return apikey_cmd(c, "COMMIT") == 0 ? APIKEY_OK : APIKEY_EDB;
	(void)apikey_cmd(c, "ROLLBACK");
	return e;
}

enum apikey_err
apikey_mint(struct db *db, int64_t account, const char *name,
    const char *scope, long max, struct apikey_made *m)
{
	const size_t		 pre = sizeof(AUTHN_KEY_PREFIX) - 1;
	char			 hash[SEC_SHA256_HEX + 1];
	struct apikey_new	 k = { account, name, hash, m->prefix, scope };
	enum apikey_err		 e;

	memcpy(m->key, AUTHN_KEY_PREFIX, pre);
	if (sec_token(m->key + pre) == -1)
		return APIKEY_ERANDOM;
	sec_sha256_hex(m->key, strlen(m->key), hash);
	memcpy(m->prefix, m->key + pre, APIKEY_PREFIX_LEN);
	m->prefix[APIKEY_PREFIX_LEN] = '\0';
	if ((e = apikey_add(db, &k, max, &m->id, m->created)) != APIKEY_OK)
		explicit_bzero(m->key, sizeof(m->key));
	return e;
}
