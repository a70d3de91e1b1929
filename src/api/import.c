#include <json.h>

#include "api.h"
#include "core/cfg.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/srv.h"
#include "reply/job.h"

/* An ISO time, or null when the job has none yet. */
static struct json_object *
api_time(const char *iso)
{
	return iso[0] != '\0' ? json_object_new_string(iso) : NULL;
}

/*
 * GET /api/v1/me/import: where the caller's Hub backfill stands (the
 * dashboard's banner, as JSON).  Not cached: it changes with every page.
 */
int
api_import(struct req *rq)
{
	struct job_view		 v;
	struct json_object	*o;

	if (job_view(rq->srv->db, rq->who.fid, &v) == -1)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64(rq->who.fid));
	json_object_object_add(o, "state",
	    json_object_new_string(job_state_name(v.state)));
	json_object_object_add(o, "hub_configured",
	    json_object_new_boolean(rq->srv->cfg.hub_url[0] != '\0'));
	json_object_object_add(o, "pages", json_object_new_int64(v.pages));
	json_object_object_add(o, "casts", json_object_new_int64(v.casts));
	json_object_object_add(o, "attempts", json_object_new_int(v.attempts));
	json_object_object_add(o, "max_attempts",
	    json_object_new_int64(rq->srv->cfg.job_max_attempts));
	json_object_object_add(o, "last_error", v.last_error[0] != '\0' ?
	    json_object_new_string(v.last_error) : NULL);
	json_object_object_add(o, "created_at", api_time(v.created));
	json_object_object_add(o, "started_at", api_time(v.started));
	json_object_object_add(o, "updated_at", api_time(v.updated));
	json_object_object_add(o, "finished_at", api_time(v.finished));
	json_object_object_add(o, "next_attempt_at", v.state == JOB_QUEUED ?
	    api_time(v.next_attempt) : NULL);
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}
