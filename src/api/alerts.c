#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "api.h"
#include "core/cfg.h"
#include "core/log.h"
#include "core/req.h"
#include "core/resp.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/alert.h"
#include "reply/hubid.h"
#include "reply/jfs.h"

#define API_DELIVERIES	50	/* the latest deliveries listed */
#define API_TOKEN_MAX	256	/* a notification token's length, at most */

/* The settings, with the secret when one was just made (shown once). */
static int
api_alerts_send(struct req *rq, const char *secret)
{
	struct json_object	*o;

	if ((o = alert_get(rq->srv->db, rq->who.fid)) == NULL)
		return -1;
	if (secret != NULL && secret[0] != '\0')
		json_object_object_add(o, "webhook_secret",
		    json_object_new_string(secret));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

int
api_alerts_get(struct req *rq)
{
	return api_alerts_send(rq, NULL);
}

int
api_alerts_put(struct req *rq)
{
	struct json_object	*body;
	char			 msg[240], secret[ALERT_SECRET_MAX + 1];
	enum alert_res		 rc;
	enum step		 st;

	if ((st = api_json_body(rq, &body)) != STEP_GO)
		return step_end(st);
	rc = alert_apply(rq->srv->db, rq->who.fid, body,
	    (int)rq->srv->cfg.alert_http_loopback, secret, msg, sizeof(msg));
	json_object_put(body);
	if (rc == ALERT_BAD)
		return api_bad_param(rq, msg);
	if (rc == ALERT_EDB)
		return -1;
	return api_alerts_send(rq, secret);
}

int
api_alerts_secret(struct req *rq)
{
	struct json_object	*o;
	char			 secret[ALERT_SECRET_MAX + 1];
	enum alert_res		 rc;

	if ((rc = alert_rotate(rq->srv->db, rq->who.fid, secret)) == ALERT_EDB)
		return -1;
	if (rc == ALERT_BAD)
		return resp_problem(rq->resp, PROB_CONFLICT, "set a webhook_url "
		    "first (PUT /api/v1/me/alerts): a secret signs its "
		    "deliveries", rq->id, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "webhook_secret",
	    json_object_new_string(secret));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

int
api_deliveries(struct req *rq)
{
	struct json_object	*o;

	if ((o = alert_deliveries(rq->srv->db, rq->who.fid,
	    API_DELIVERIES)) == NULL)
		return -1;
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

static const char *
api_member(struct json_object *o, const char *name)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The event's notificationDetails {url, token}; NULL after answering 400. */
static int
api_miniapp_details(struct req *rq, struct json_object *pay,
    const char **url, const char **token)
{
	struct json_object	*d;
	char			 err[200];

	*url = *token = NULL;
	if (!json_object_object_get_ex(pay, "notificationDetails", &d) ||
	    d == NULL)
		return 0;
	*url = api_member(d, "url");
	*token = api_member(d, "token");
	if (*url == NULL || *token == NULL || strlen(*url) > 1024 ||
	    strlen(*token) > API_TOKEN_MAX ||
	    valid_printable(*token, API_TOKEN_MAX) == -1) {
		api_bad_param(rq, "payload.notificationDetails: {url, token} "
		    "strings (url at most 1024, token at most 256 characters)");
		return -1;
	}
	if (alert_url_ok(*url, (int)rq->srv->cfg.alert_http_loopback, err,
	    sizeof(err)) == -1) {
		api_bad_param(rq, "payload.notificationDetails.url: must be an "
		    "https:// URL");
		return -1;
	}
	return 0;
}

/* Stores what a verified event says; answers. */
static int
api_miniapp_event(struct req *rq, const struct jfs *j)
{
	struct json_object	*o;
	const char		*ev = api_member(j->payload, "event"), *url, *tok;
	int			 on, r;

	if (ev == NULL)
		return api_bad_param(rq, "payload.event: a string is required");
	if (api_miniapp_details(rq, j->payload, &url, &tok) == -1)
		return 0;
	if (strcmp(ev, "notifications_enabled") == 0 && url == NULL)
		return api_bad_param(rq, "payload.notificationDetails: required "
		    "for notifications_enabled");
	if (strcmp(ev, "notifications_enabled") == 0 ||
	    strcmp(ev, "miniapp_added") == 0 || strcmp(ev, "frame_added") == 0)
		on = 1;
	else if (strcmp(ev, "notifications_disabled") == 0 ||
	    strcmp(ev, "miniapp_removed") == 0 ||
	    strcmp(ev, "frame_removed") == 0)
		on = 0;
	else
		return api_bad_param(rq, "payload.event: one of miniapp_added, "
		    "miniapp_removed, notifications_enabled, "
		    "notifications_disabled");
	if (on && url != NULL)
		r = alert_token_set(rq->srv->db, j->fid, url, tok, j->key);
	else
		r = on ? 0 : alert_token_off(rq->srv->db, j->fid, j->key);
	if (r == -1)
		return resp_problem(rq->resp, PROB_UNAVAILABLE, "the database "
		    "is unavailable; nothing was stored, send the event again",
		    rq->id, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64(j->fid));
	json_object_object_add(o, "event", json_object_new_string(ev));
	json_object_object_add(o, "notifications",
	    json_object_new_boolean(on && url != NULL));
	return resp_json(rq->resp, 200, o);
}

/* The key must be an active app key of the fid: the Hub says. */
static int
api_miniapp_key(struct req *rq, const struct jfs *j)
{
	char	 err[200] = "";
	int	 r;

	if (rq->srv->cfg.hub_url[0] == '\0') {
		resp_problem(rq->resp, PROB_UNAVAILABLE, "no Farcaster Hub is "
		    "configured (RC_HUB_URL): app keys cannot be checked",
		    rq->id, NULL);
		return -1;
	}
	r = hubid_app_key(rq->srv->kv, rq->srv->cfg.hub_url,
	    rq->srv->cfg.siwf_hub_cache, j->fid, j->key, err, sizeof(err));
	if (r == -1) {
		log_msg("warn", "miniapp webhook %s: hub: %s", rq->id, err);
		resp_problem(rq->resp, PROB_UNAVAILABLE, "the Farcaster Hub did "
		    "not answer; send the event again", rq->id, NULL);
		return -1;
	}
	if (r == 0) {
		resp_problem(rq->resp, PROB_UNAUTHORIZED, "key: not an active "
		    "app key (signer, keyType 1) of this fid at the Hub",
		    rq->id, NULL);
		return -1;
	}
	return 0;
}

int
api_miniapp_webhook(struct req *rq)
{
	struct json_object	*body;
	struct jfs		 j;
	enum jfs_err		 e;
	enum step		 st;
	int			 rc = 0;

	if ((st = api_json_body(rq, &body)) != STEP_GO)
		return step_end(st);
	e = jfs_verify(body, &j);
	json_object_put(body);
	if (e == JFS_ENOMEM)
		return -1;
	if (e == JFS_ETYPE || e == JFS_ESIG)
		return resp_problem(rq->resp, PROB_UNAUTHORIZED,
		    jfs_strerror(e), rq->id, NULL);
	if (e != JFS_OK)
		return api_bad_param(rq, jfs_strerror(e));
	if (api_miniapp_key(rq, &j) == 0)
		rc = api_miniapp_event(rq, &j);
	json_object_put(j.payload);
	return rc;
}
