#include <stdio.h>
#include <string.h>

#include <json.h>

#include "core/db.h"
#include "core/kv.h"
#include "core/req.h"
#include "core/srv.h"
#include "dash.h"

static const struct db_stmt dash_stmt_accounts = { "dash_accounts",
	"SELECT username, role, fid, to_char(created_at, 'YYYY-MM-DD')"
	" FROM accounts ORDER BY username LIMIT 500", 0, 1 };
static const struct db_stmt dash_stmt_runs = { "dash_runs",
	"SELECT source, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
	" coalesce(to_char(finished_at, 'HH24:MI:SS'), 'running'),"
	" records, casts, removes, profiles, bad, coalesce(error, '')"
	" FROM ingest_runs ORDER BY id DESC LIMIT 10", 0, 1 };

/* Rows of r as objects with the given member names. */
static struct json_object *
dash_rows(PGresult *r, const char *const *names, int n)
{
	struct json_object	*a = json_object_new_array(), *o;
	int			 i, k;

	for (i = 0; r != NULL && i < PQntuples(r); i++) {
		o = json_object_new_object();
		for (k = 0; k < n; k++)
			json_object_object_add(o, names[k],
			    json_object_new_string(PQgetvalue(r, i, k)));
		json_object_array_add(a, o);
	}
	return a;
}

int
dash_admin(struct req *rq)
{
	static const char *const acc[] = { "username", "role", "fid", "created" };
	static const char *const run[] = { "source", "started", "finished",
	    "records", "casts", "removes", "profiles", "bad", "error" };
	struct dash_page	 p;
	struct json_object	*d, *h;
	PGresult		*r;

	d = json_object_new_object();
	r = db_exec(rq->srv->db, &dash_stmt_accounts, NULL, NULL);
	json_object_object_add(d, "accounts", dash_rows(r, acc, 4));
	PQclear(r);
	r = db_exec(rq->srv->db, &dash_stmt_runs, NULL, NULL);
	json_object_object_add(d, "runs", dash_rows(r, run, 9));
	PQclear(r);
	h = json_object_new_object();
	json_object_object_add(h, "postgresql", json_object_new_string(
	    db_check(rq->srv->db) == 0 ? "ok" : "down"));
	json_object_object_add(h, "redis", json_object_new_string(
	    kv_check(rq->srv->kv) == 0 ? "ok" : "down"));
	json_object_object_add(d, "health", h);
	memset(&p, 0, sizeof(p));
	p.name = "admin";
	p.title = "Admin";
	p.nav = "admin";
	p.data = d;
	return dash_render(rq, &rq->who, &p, 200);
}
