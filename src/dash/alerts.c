#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "core/req.h"
#include "core/srv.h"
#include "reply/alert.h"
#include "dash.h"

/* The Settings page's "Alerts and weekly summary" form. */
#define DASH_AL_RECENT	5	/* deliveries listed below it */
static const char *const dash_on[] = { "1", NULL };
static const char *const dash_wd[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL
};
static const char *const dash_wd_names[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

enum al_key {
	AL_CSRF, AL_GOAL, AL_BEFORE, AL_SHARE, AL_PCT, AL_DIGEST, AL_DAY,
	AL_HOUR, AL_URL, AL__MAX
};
static const struct param_spec spec_alerts[AL__MAX] = {
	[AL_CSRF] = { "csrf_token", PARAM_STR, 0, 128, NULL, 0, 0 },
	[AL_GOAL] = { "goal_alert", PARAM_ENUM, 0, 0, dash_on, 0, 0 },
	[AL_BEFORE] = { "goal_before_minutes", PARAM_INT, 1, 1440, NULL, 1, 0 },
	[AL_SHARE] = { "share_alert", PARAM_ENUM, 0, 0, dash_on, 0, 0 },
	[AL_PCT] = { "share_percent", PARAM_INT, 1, 100, NULL, 1, 0 },
	[AL_DIGEST] = { "digest", PARAM_ENUM, 0, 0, dash_on, 0, 0 },
	[AL_DAY] = { "digest_day", PARAM_ENUM, 0, 0, dash_wd, 1, 0 },
	[AL_HOUR] = { "digest_hour", PARAM_INT, 0, 23, NULL, 1, 0 },
	[AL_URL] = { "webhook_url", PARAM_STR, 0, ALERT_URL_MAX, NULL, 0, 0 },
};
enum al_sec_key { ALS_CSRF, ALS__MAX };
static const struct param_spec spec_secret[ALS__MAX] = {
	[ALS_CSRF] = { "csrf_token", PARAM_STR, 0, 128, NULL, 0, 0 },
};

static int64_t
dash_al_int(struct json_object *o, const char *k)
{
	return json_object_get_int64(json_object_object_get(o, k));
}

int
dash_alerts_data(struct req *rq, int64_t fid, const char *new_secret,
    struct json_object *d)
{
	struct json_object	*a, *days, *day, *dl;
	const char		*cur;
	char			 t[160];
	int64_t			 n;
	size_t			 i;

	if ((a = alert_get(rq->srv->db, fid)) == NULL)
		return -1;
	json_object_object_add(a, "before_minutes", json_object_new_int64(
	    dash_al_int(a, "goal_before_seconds") / 60));
	json_object_object_add(a, "share_percent", json_object_new_int64(
	    (int64_t)(json_object_get_double(json_object_object_get(a,
	    "share_threshold")) * 100 + 0.5)));
	cur = json_object_get_string(json_object_object_get(a, "digest_day"));
	days = json_object_new_array();
	for (i = 0; i < 7; i++) {
		day = json_object_new_object();
		json_object_object_add(day, "value",
		    json_object_new_string(dash_wd[i]));
		json_object_object_add(day, "label",
		    json_object_new_string(dash_wd_names[i]));
		if (cur != NULL && strcmp(cur, dash_wd[i]) == 0)
			json_object_object_add(day, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(days, day);
	}
	json_object_object_add(a, "digest_days", days);
	n = dash_al_int(a, "miniapp_notifications");
	if (n == 0)
		snprintf(t, sizeof(t), "off. Add replycast as a mini app in your "
		    "Farcaster client and turn its notifications on.");
	else
		snprintf(t, sizeof(t), "on, in %" PRId64 " client%s.", n,
		    n == 1 ? "" : "s");
	json_object_object_add(a, "miniapp_text", json_object_new_string(t));
	if ((dl = alert_deliveries(rq->srv->db, fid, DASH_AL_RECENT)) == NULL) {
		json_object_put(a);
		return -1;
	}
	json_object_object_add(a, "recent", json_object_get(
	    json_object_object_get(dl, "deliveries")));
	json_object_put(dl);
	if (new_secret != NULL)
		json_object_object_add(a, "new_secret",
		    json_object_new_string(new_secret));
	json_object_object_add(d, "alerts", a);
	return 0;
}

/* The form's values as the JSON alert_apply takes. */
static struct json_object *
dash_alerts_json(const struct param_val *v)
{
	struct json_object	*o = json_object_new_object();
	const char		*url = v[AL_URL].present ? v[AL_URL].s : "";

	json_object_object_add(o, "goal_alert",
	    json_object_new_boolean(v[AL_GOAL].present));
	json_object_object_add(o, "goal_before_seconds",
	    json_object_new_int64(v[AL_BEFORE].i * 60));
	json_object_object_add(o, "share_alert",
	    json_object_new_boolean(v[AL_SHARE].present));
	json_object_object_add(o, "share_threshold",
	    json_object_new_double((double)v[AL_PCT].i / 100));
	json_object_object_add(o, "digest",
	    json_object_new_boolean(v[AL_DIGEST].present));
	json_object_object_add(o, "digest_day",
	    json_object_new_string(dash_wd[v[AL_DAY].i]));
	json_object_object_add(o, "digest_hour",
	    json_object_new_int64(v[AL_HOUR].i));
	json_object_object_add(o, "webhook_url",
	    url[0] != '\0' ? json_object_new_string(url) : NULL);
	return o;
}

int
dash_alerts_save(struct req *rq)
{
	struct json_object	*o;
	struct authn		 who = rq->who;
	struct param_val	 v[AL__MAX];
	char			 err[240], secret[ALERT_SECRET_MAX + 1];
	enum alert_res		 rc;
	enum step		 st;

	if ((st = dash_params(rq, req_form_list(rq), spec_alerts, AL__MAX,
	    v)) != STEP_GO)
		return step_end(st);
	o = dash_alerts_json(v);
	rc = alert_apply(rq->srv->db, who.fid, o,
	    (int)rq->srv->cfg.alert_http_loopback, secret, err, sizeof(err));
	json_object_put(o);
	if (rc == ALERT_EDB)
		return -1;
	if (rc == ALERT_BAD)
		return dash_settings_page(rq, &who, err, NULL, NULL, 400, 0);
	if (secret[0] != '\0')		/* shown once, on this page */
		return dash_settings_page(rq, &who, NULL, NULL, secret, 200, 1);
	return dash_redirect(rq, "/settings?saved=1");
}

int
dash_alerts_secret(struct req *rq)
{
	struct authn		 who = rq->who;
	struct param_val	 v[ALS__MAX];
	char			 secret[ALERT_SECRET_MAX + 1];
	enum alert_res		 rc;
	enum step		 st;

	if ((st = dash_params(rq, req_form_list(rq), spec_secret, ALS__MAX,
	    v)) != STEP_GO)
		return step_end(st);
	if ((rc = alert_rotate(rq->srv->db, who.fid, secret)) == ALERT_EDB)
		return -1;
	if (rc == ALERT_BAD)
		return dash_settings_page(rq, &who, "Set a web address for "
		    "alerts first: the secret signs what is sent there.", NULL,
		    NULL, 409, 0);
	return dash_settings_page(rq, &who, NULL, NULL, secret, 200, 0);
}
