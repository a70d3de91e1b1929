#ifndef RC_ALERT_H
#define RC_ALERT_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct json_object;

/*
 * A user's goal alerts, weekly digest and where they go
 * (migrations/0017_alerts.sql), as the API and the dashboard read and
 * change them: one JSON shape, {"goal_alert", "goal_before_seconds",
 * "share_alert", "share_threshold", "share_min_casts", "digest",
 * "digest_day": "mon".."sun", "digest_hour": 0..23, "webhook_url",
 * "webhook_secret_set", "miniapp_notifications"}.  The webhook secret is
 * shown only when it is made (alert_apply, alert_rotate).
 */
#define ALERT_SECRET_MAX	64
#define ALERT_URL_MAX		2048

enum alert_res {
	ALERT_EDB = -1,		/* the database failed */
	ALERT_OK = 0,
	ALERT_BAD,		/* refused: err names the member */
};

/*
 * Checks every member of o (members left out keep their value) and
 * stores them for fid; http_loopback allows http:// to a loopback host
 * (RC_ALERT_HTTP_LOOPBACK).  A webhook URL set while no secret exists
 * makes one: secret gets it (shown once), else "".
 */
enum alert_res		 alert_apply(struct db *, int64_t fid,
			    struct json_object *o, int http_loopback,
			    char secret[ALERT_SECRET_MAX + 1], char *err,
			    size_t errsz);
/* The stored settings (or the defaults) as that JSON shape; NULL on error. */
struct json_object	*alert_get(struct db *, int64_t fid);
/*
 * A new webhook secret for fid, replacing the old one at once: ALERT_BAD
 * when no webhook URL is set.
 */
enum alert_res		 alert_rotate(struct db *, int64_t fid,
			    char secret[ALERT_SECRET_MAX + 1]);
/* The fid's latest deliveries, newest first, {"deliveries": [...]}; NULL. */
struct json_object	*alert_deliveries(struct db *, int64_t fid, int limit);

/*
 * A mini-app notification URL and token a Farcaster client gave for fid,
 * signed by app key key: stored enabled (replacing the token for that URL).
 * alert_token_off switches off what key gave for fid.  0, or -1 when the
 * database failed.
 */
int			 alert_token_set(struct db *, int64_t fid,
			    const char *url, const char *token, const char *key);
int			 alert_token_off(struct db *, int64_t fid,
			    const char *key);

/*
 * 0 when url may receive webhooks: https://HOST[...], or with
 * http_loopback http://127.0.0.1, [::1] or localhost; no user info, no
 * spaces or control bytes.  -1 with why in err.
 */
int			 alert_url_ok(const char *url, int http_loopback,
			    char *err, size_t errsz);

/*
 * The X-Replycast-Signature value for a webhook body sent at ts: "v1=" and
 * the hex HMAC-SHA256 of "ts.body" under secret (out: at least 68 bytes).
 */
void			 alert_sign(const char *secret, int64_t ts,
			    const char *body, size_t len, char *out,
			    size_t outsz);

#endif
