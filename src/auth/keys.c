#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "auth.h"
#include "core/apikey.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"

#define KEYS_NAME_MAX	64
#define KEYS_TS(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_stmt keys_stmt_list = { "auth_key_list",
	"SELECT id, name, prefix, scope, " KEYS_TS("created_at") ", "
	KEYS_TS("last_used_at") " FROM api_keys WHERE account_id = $1::bigint"
	" ORDER BY id", 1, 1 };
/* $3 true: an admin, who may delete any key. */
static const struct db_stmt keys_stmt_del = { "auth_key_del",
	"DELETE FROM api_keys WHERE id = $1::bigint"
	" AND (account_id = $2::bigint OR $3::boolean)"
	" RETURNING account_id, name", 3, 0 };

static const char *const keys_scopes[] = { "read", "ingest" };

static enum step
keys_scope(struct req *rq, struct json_object *o, const char **scope,
    const struct authn *who)
{
	const char	*s;
	enum step	 rc;

	if ((rc = auth_json_str(rq, o, "scope", 16, 0, &s)) != STEP_GO)
		return rc;
	/* The constant, not s: the JSON object is freed before the insert. */
	if (s == NULL || strcmp(s, keys_scopes[0]) == 0)
		*scope = keys_scopes[0];
	else if (strcmp(s, keys_scopes[1]) == 0)
		*scope = keys_scopes[1];
	else
		return auth_bad(rq, "scope: \"read\" or \"ingest\"");
	if (*scope == keys_scopes[1] && who->role != TOK_ROLE_ADMIN)
		return step_sent(req_problem(rq, PROB_FORBIDDEN, "scope: only "
		    "an admin may create an ingest key"));
	return STEP_GO;
}

static struct json_object *
keys_created(int64_t id, const char *created, const char *name,
    const char *scope, const char *key, const char *prefix)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "scope", json_object_new_string(scope));
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "prefix", json_object_new_string(prefix));
	json_object_object_add(o, "created_at",
	    json_object_new_string(created));
	return o;
}

static int
keys_insert(struct req *rq, const struct authn *who, const char *name,
    const char *scope)
{
	struct apikey_made	 m;
	long			 max = rq->srv->cfg.max_api_keys;
	enum apikey_err		 e;
	int			 rc;

	if ((e = apikey_mint(rq->srv->db, who->account, name, scope, max,
	    &m)) == APIKEY_EFULL)
		return req_problem(rq, PROB_CONFLICT, "this account holds %ld "
		    "API keys, the most allowed (RC_MAX_API_KEYS): delete one "
		    "first", max);
	if (e == APIKEY_ERANDOM)
		return -1;
	if (e != APIKEY_OK)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot store the key "
		    "now");
	auth_audit(rq, who->account, NULL, "key.create", m.prefix);
	resp_header(rq->resp, "Cache-Control", "no-store");
	rc = resp_json(rq->resp, 201, keys_created(m.id, m.created, name,
	    scope, m.key, m.prefix));
	explicit_bzero(m.key, sizeof(m.key));
	return rc;
}

int
auth_keys_create(struct req *rq)
{
	struct authn		 who;
	struct json_object	*o;
	const char		*name, *scope = NULL;
	char			*n = NULL;
	enum step		 rc;

	who = rq->who;
	if ((rc = auth_json_body(rq, &o)) != STEP_GO)
		return step_end(rc);
	if ((rc = auth_json_str(rq, o, "name", KEYS_NAME_MAX, 1, &name)) ==
	    STEP_GO && (rc = keys_scope(rq, o, &scope, &who)) == STEP_GO &&
	    (n = arena_strdup(rq->arena, name)) == NULL)
		rc = STEP_ERR;
	json_object_put(o);
	if (rc != STEP_GO)
		return step_end(rc);
	return keys_insert(rq, &who, n, scope);
}

static struct json_object *
keys_row(PGresult *r, int i)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(
	    strtoll(PQgetvalue(r, i, 0), NULL, 10)));
	json_object_object_add(o, "name",
	    json_object_new_string(PQgetvalue(r, i, 1)));
	json_object_object_add(o, "prefix",
	    json_object_new_string(PQgetvalue(r, i, 2)));
	json_object_object_add(o, "scope",
	    json_object_new_string(PQgetvalue(r, i, 3)));
	json_object_object_add(o, "created_at",
	    json_object_new_string(PQgetvalue(r, i, 4)));
	json_object_object_add(o, "last_used_at", PQgetisnull(r, i, 5) ? NULL :
	    json_object_new_string(PQgetvalue(r, i, 5)));
	return o;
}

int
auth_keys_list(struct req *rq)
{
	struct authn		 who;
	struct json_object	*o, *a;
	char			 acct[24];
	const char		*p[1] = { acct };
	PGresult		*r;
	int			 i;

	who = rq->who;
	snprintf(acct, sizeof(acct), "%" PRId64, who.account);
	if ((r = db_exec(rq->srv->db, &keys_stmt_list, p, NULL)) == NULL)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	o = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; o != NULL && a != NULL && i < PQntuples(r); i++)
		json_object_array_add(a, keys_row(r, i));
	PQclear(r);
	json_object_object_add(o, "keys", a);
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

int
auth_keys_delete(struct req *rq)
{
	struct authn	 who;
	char		 acct[24], detail[96];
	const char	*id = req_capture(rq, "id");
	const char	*p[3] = { id, acct, NULL };
	uint64_t	 u;
	PGresult	*r;
	int64_t		 owner;

	who = rq->who;
	/* One path per key: "07" is not key 7. */
	if (valid_id(id, INT64_MAX, &u) == -1)
		return step_end(auth_bad(rq, "id: must be a positive integer"));
	snprintf(acct, sizeof(acct), "%" PRId64, who.account);
	p[2] = who.role == TOK_ROLE_ADMIN ? "true" : "false";
	if ((r = db_exec(rq->srv->db, &keys_stmt_del, p, NULL)) == NULL)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	if (PQntuples(r) != 1) {
		PQclear(r);
		return req_problem(rq, PROB_NOT_FOUND, "no such key");
	}
	owner = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	snprintf(detail, sizeof(detail), "key %s of account %" PRId64, id,
	    owner);
	PQclear(r);
	auth_audit(rq, who.account, NULL, "key.delete", detail);
	rq->resp->status = 204;
	return 0;
}
