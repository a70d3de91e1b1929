#include <unistd.h>

#include <json.h>

#include "db.h"
#include "health.h"
#include "kv.h"
#include "req.h"
#include "srv.h"

int
health_live(struct req *rq)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(o, "status", json_object_new_string("ok"));
	json_object_object_add(o, "pool",
	    json_object_new_string(rq->srv->pool));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

/*
 * A replica never makes a pool unready: the primary serves its reads.  It
 * says where reads go now ("replica", else why not) and its lag.
 */
static void
health_replica(struct req *rq, struct json_object *checks)
{
	enum db_read	 to;
	long long	 lag = -1;

	if ((to = db_read_state(rq->srv->db_read, &lag)) == DB_READ_NONE)
		return;
	json_object_object_add(checks, "postgresql_replica",
	    json_object_new_string(db_read_name(to)));
	if (lag >= 0)
		json_object_object_add(checks, "postgresql_replica_lag_seconds",
		    json_object_new_double((double)lag / 1000.0));
}

int
health_ready(struct req *rq)
{
	struct json_object	*o, *checks;
	int			 pg, redis, rc;

	pg = db_check(rq->srv->db) == 0;
	redis = kv_check(rq->srv->kv) == 0;
	if ((checks = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(checks, "postgresql",
	    json_object_new_string(pg ? "ok" : "down"));
	json_object_object_add(checks, "redis",
	    json_object_new_string(redis ? "ok" : "down"));
	health_replica(rq, checks);
	resp_header(rq->resp, "Cache-Control", "no-store");
	if (pg && redis) {
		if ((o = json_object_new_object()) == NULL) {
			json_object_put(checks);
			return -1;
		}
		json_object_object_add(o, "status",
		    json_object_new_string("ready"));
		json_object_object_add(o, "pool",
		    json_object_new_string(rq->srv->pool));
		json_object_object_add(o, "checks", checks);
		return resp_json(rq->resp, 200, o);
	}
	if ((o = json_object_new_object()) == NULL) {
		json_object_put(checks);
		return -1;
	}
	json_object_object_add(o, "checks", checks);
	rc = resp_problem(rq->resp, PROB_UNAVAILABLE,
	    !pg && !redis ? "postgresql and redis are unavailable" :
	    !pg ? "postgresql is unavailable" : "redis is unavailable",
	    rq->id, o);
	json_object_put(o);
	return rc;
}
