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
