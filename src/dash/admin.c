#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/db.h"
#include "core/kv.h"
#include "core/met.h"
#include "core/req.h"
#include "core/srv.h"
#include "dash.h"

static const struct db_stmt dash_stmt_accounts = { "dash_accounts",
	"SELECT username, role, coalesce(fid::text, ''),"
	" to_char(created_at, 'YYYY-MM-DD'),"
	" CASE WHEN disabled_at IS NULL THEN '' ELSE 'disabled' END,"
	" CASE WHEN id = $1::bigint THEN 'self' ELSE '' END,"
	" CASE WHEN role = 'admin' THEN 'admin' ELSE '' END"
	" FROM accounts ORDER BY username LIMIT 500", 1, 1 };
static const struct db_stmt dash_stmt_runs = { "dash_runs",
	"SELECT source, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
	" coalesce(to_char(finished_at, 'HH24:MI:SS'), 'running'),"
	" records, casts, removes, profiles, bad, coalesce(error, '')"
	" FROM ingest_runs ORDER BY id DESC LIMIT 10", 0, 1 };
/* Every tracked fid with its newest backfill (none: it came from files). */
static const struct db_stmt dash_stmt_tracked = { "dash_tracked",
	"SELECT t.fid::text, coalesce(p.username, ''),"
	" coalesce(a.username, ''), to_char(t.added_at, 'YYYY-MM-DD HH24:MI'),"
	" coalesce(j.state, 'none'), coalesce(j.attempts, 0)::text,"
	" coalesce(j.pages, 0)::text, coalesce(j.casts, 0)::text,"
	" coalesce(to_char(j.updated_at, 'YYYY-MM-DD HH24:MI:SS'), ''),"
	" coalesce(j.last_error, '')"
	" FROM tracked t LEFT JOIN profiles p ON p.fid = t.fid"
	" LEFT JOIN accounts a ON a.fid = t.fid"
	" LEFT JOIN LATERAL (SELECT * FROM jobs WHERE jobs.fid = t.fid"
	" ORDER BY id DESC LIMIT 1) j ON true"
	" ORDER BY t.added_at DESC, t.fid LIMIT 200", 0, 1 };
static const struct db_stmt dash_stmt_cursor = { "dash_follow_cursor",
	"SELECT key, coalesce(event_id::text, ''),"
	" to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
	" FROM ingest_cursors WHERE source = 'hub-events'"
	" ORDER BY updated_at DESC LIMIT 1", 0, 1 };
static const struct db_stmt dash_stmt_audit = { "dash_audit_recent",
	"SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(username, ''),"
	" action, coalesce(detail, ''), coalesce(client_addr, '')"
	" FROM audit_log ORDER BY id DESC LIMIT 30", 0, 1 };

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

/* The rows of st (one $1 at most) as d's member key. */
static void
dash_table(struct req *rq, struct json_object *d, const char *key,
    const struct db_stmt *st, const char *p1, const char *const *names, int n)
{
	const char	*p[1] = { p1 };
	PGresult	*r;

	r = db_exec(rq->srv->db, st, st->nparams > 0 ? p : NULL, NULL);
	json_object_object_add(d, key, dash_rows(r, names, n));
	PQclear(r);
}

static void
dash_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/*
 * The pools as their shared metrics files tell it (the same numbers
 * /metrics shows): live processes are slots whose pid is alive, busy ones
 * are inside a request, restarts are starts beyond the live processes.
 */
static struct json_object *
dash_pools(struct req *rq)
{
	struct met_pool_stat	 ps[8];
	struct json_object	*a = json_object_new_array(), *o;
	size_t			 i, n;

	n = met_pool_stats(rq->srv->cfg.metrics_dir, ps, 8);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "pool",
		    json_object_new_string(ps[i].pool));
		if (ps[i].present) {
			json_object_object_add(o, "present",
			    json_object_new_boolean(1));
			dash_int(o, "processes", ps[i].processes);
			dash_int(o, "in_flight", ps[i].busy);
			dash_int(o, "starts", (int64_t)ps[i].starts);
			dash_int(o, "restarts", ps[i].starts > ps[i].processes ?
			    (int64_t)(ps[i].starts - ps[i].processes) : 0);
			dash_int(o, "requests", (int64_t)ps[i].requests);
		}
		json_object_array_add(a, o);
	}
	return a;
}

static void
dash_when(struct json_object *o, const char *k, int64_t t)
{
	char		 s[32];
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		return;
	json_object_object_add(o, k, json_object_new_string(s));
}

static struct json_object *
dash_follower(struct req *rq)
{
	struct met_follow_stat	 f;
	struct json_object	*o = json_object_new_object();
	PGresult		*r;

	met_follow_stats(rq->srv->cfg.metrics_dir, &f);
	json_object_object_add(o, "running", json_object_new_string(
	    f.running ? "running" : f.pid > 0 ? "stopped" : "never ran"));
	if (f.lag >= 0) {
		json_object_object_add(o, "has_lag", json_object_new_boolean(1));
		dash_int(o, "lag", f.lag);
	}
	dash_when(o, "beat", f.beat);
	dash_when(o, "last_run", f.last_run);
	dash_int(o, "records", (int64_t)f.records);
	dash_int(o, "casts", (int64_t)f.casts);
	r = db_exec(rq->srv->db, &dash_stmt_cursor, NULL, NULL);
	if (r != NULL && PQntuples(r) == 1) {
		json_object_object_add(o, "hub",
		    json_object_new_string(PQgetvalue(r, 0, 0)));
		json_object_object_add(o, "event_id",
		    json_object_new_string(PQgetvalue(r, 0, 1)));
		json_object_object_add(o, "event_at",
		    json_object_new_string(PQgetvalue(r, 0, 2)));
	}
	PQclear(r);
	return o;
}

int
dash_admin_page(struct req *rq, const struct dash_admin_msg *m, int status)
{
	static const char *const acc[] = { "username", "role", "fid",
	    "created", "disabled", "self", "is_admin" };
	static const char *const run[] = { "source", "started", "finished",
	    "records", "casts", "removes", "profiles", "bad", "error" };
	static const char *const trk[] = { "fid", "name", "account", "added",
	    "state", "attempts", "pages", "casts", "updated", "job_error" };
	static const char *const aud[] = { "at", "username", "action",
	    "detail", "from" };
	struct dash_page	 p;
	struct json_object	*d, *h;
	char			 me[24];

	d = json_object_new_object();
	snprintf(me, sizeof(me), "%" PRId64, rq->who.account);
	dash_table(rq, d, "accounts", &dash_stmt_accounts, me, acc, 7);
	dash_table(rq, d, "runs", &dash_stmt_runs, NULL, run, 9);
	dash_table(rq, d, "tracked", &dash_stmt_tracked, NULL, trk, 10);
	dash_table(rq, d, "audit", &dash_stmt_audit, NULL, aud, 5);
	if (rq->srv->cfg.metrics_dir[0] != '\0') {
		json_object_object_add(d, "pools", dash_pools(rq));
		json_object_object_add(d, "follower", dash_follower(rq));
	}
	h = json_object_new_object();
	json_object_object_add(h, "postgresql", json_object_new_string(
	    db_check(rq->srv->db) == 0 ? "ok" : "down"));
	json_object_object_add(h, "redis", json_object_new_string(
	    kv_check(rq->srv->kv) == 0 ? "ok" : "down"));
	json_object_object_add(d, "health", h);
	if (m != NULL) {
		if (m->error != NULL)
			json_object_object_add(d, "error",
			    json_object_new_string(m->error));
		if (m->done != NULL)
			json_object_object_add(d, "done",
			    json_object_new_string(m->done));
		if (m->password != NULL)
			json_object_object_add(d, "new_password",
			    json_object_new_string(m->password));
	}
	memset(&p, 0, sizeof(p));
	p.name = "admin";
	p.title = "Admin";
	p.nav = "admin";
	p.data = d;
	return dash_render(rq, &rq->who, &p, status);
}

int
dash_admin(struct req *rq)
{
	return dash_admin_page(rq, NULL, 200);
}
