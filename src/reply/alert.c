#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "alert.h"
#include "core/db.h"
#include "core/sec.h"

static const char *const alert_days[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

/* The members of the settings, in the order of alert_stmt_put's $2..$10. */
enum alert_m {
	AM_GOAL, AM_BEFORE, AM_SHARE, AM_THRESHOLD, AM_MIN, AM_DIGEST, AM_DAY,
	AM_HOUR, AM_URL, AM__MAX
};

static const char *const alert_names[AM__MAX] = {
	"goal_alert", "goal_before_seconds", "share_alert", "share_threshold",
	"share_min_casts", "digest", "digest_day", "digest_hour", "webhook_url"
};

static const struct db_stmt alert_stmt_get = { "alert_get",
	"SELECT a.goal_alert, a.goal_before_seconds, a.share_alert,"
	" a.share_threshold, a.share_min_casts, a.digest, a.digest_day,"
	" a.digest_hour, a.webhook_url, a.webhook_secret IS NOT NULL,"
	" (SELECT count(*) FROM miniapp_tokens t WHERE t.fid = $1::bigint"
	"  AND t.enabled)"
	" FROM (SELECT 1) AS one LEFT JOIN alert_settings a"
	" ON a.fid = $1::bigint", 1, 1 };

/*
 * NULL parameters keep what is stored (or the default of a new row);
 * $10 true removes the webhook URL (and its secret), $11 a new secret
 * that is stored only when no secret exists yet and a URL is set.
 */
static const struct db_stmt alert_stmt_put = { "alert_put",
	"INSERT INTO alert_settings AS a (fid, goal_alert, goal_before_seconds,"
	" share_alert, share_threshold, share_min_casts, digest, digest_day,"
	" digest_hour, webhook_url, webhook_secret) VALUES ($1::bigint,"
	" coalesce($2::bool, false), coalesce($3::int, 900),"
	" coalesce($4::bool, false), coalesce($5::float8, 0.8),"
	" coalesce($6::int, 3), coalesce($7::bool, false),"
	" coalesce($8::smallint, 1), coalesce($9::smallint, 9), $10::text,"
	" CASE WHEN $10::text IS NOT NULL THEN $12::text END)"
	" ON CONFLICT (fid) DO UPDATE SET"
	" goal_alert = coalesce($2::bool, a.goal_alert),"
	" goal_before_seconds = coalesce($3::int, a.goal_before_seconds),"
	" share_alert = coalesce($4::bool, a.share_alert),"
	" share_threshold = coalesce($5::float8, a.share_threshold),"
	" share_min_casts = coalesce($6::int, a.share_min_casts),"
	" digest = coalesce($7::bool, a.digest),"
	" digest_day = coalesce($8::smallint, a.digest_day),"
	" digest_hour = coalesce($9::smallint, a.digest_hour),"
	" webhook_url = CASE WHEN $11::bool THEN NULL"
	"  ELSE coalesce($10::text, a.webhook_url) END,"
	" webhook_secret = CASE WHEN $11::bool THEN NULL"
	"  WHEN coalesce($10::text, a.webhook_url) IS NULL THEN a.webhook_secret"
	"  ELSE coalesce(a.webhook_secret, $12::text) END,"
	" updated_at = now()"
	" RETURNING webhook_secret = $12::text", 12, 0 };

static const struct db_stmt alert_stmt_rotate = { "alert_rotate",
	"UPDATE alert_settings SET webhook_secret = $2::text, updated_at = now()"
	" WHERE fid = $1::bigint AND webhook_url IS NOT NULL", 2, 0 };

static const struct db_stmt alert_stmt_list = { "alert_list",
	"SELECT coalesce(json_agg(json_build_object('id', d.event_id,"
	" 'kind', d.kind, 'period', d.period, 'channel', d.channel,"
	" 'state', d.state, 'attempts', d.attempts, 'title', d.title,"
	" 'created_at', to_char(d.created_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" 'sent_at', to_char(d.sent_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" 'last_status', d.last_status, 'last_error', d.last_error)"
	" ORDER BY d.id DESC), '[]')::text"
	" FROM (SELECT * FROM deliveries WHERE fid = $1::bigint"
	" ORDER BY id DESC LIMIT $2::int) AS d", 2, 1 };

static const struct db_stmt alert_stmt_token = { "alert_token",
	"INSERT INTO miniapp_tokens AS t (fid, url, token, app_key)"
	" VALUES ($1::bigint, $2::text, $3::text, $4::text)"
	" ON CONFLICT (fid, url) DO UPDATE SET token = $3::text,"
	" app_key = $4::text, enabled = true, updated_at = now()", 4, 1 };
static const struct db_stmt alert_stmt_token_off = { "alert_token_off",
	"UPDATE miniapp_tokens SET enabled = false, updated_at = now()"
	" WHERE fid = $1::bigint AND app_key = $2::text", 2, 1 };

static int
alert_bool(const PGresult *r, int col, int dflt)
{
	if (r == NULL || PQgetisnull(r, 0, col))
		return dflt;
	return PQgetvalue(r, 0, col)[0] == 't';
}

static long long
alert_int(const PGresult *r, int col, long long dflt)
{
	if (r == NULL || PQgetisnull(r, 0, col))
		return dflt;
	return strtoll(PQgetvalue(r, 0, col), NULL, 10);
}

struct json_object *
alert_get(struct db *db, int64_t fid)
{
	struct json_object	*o;
	PGresult		*r;
	char			 f[24];
	const char		*p[1] = { f };
	double			 th = 0.8;
	long long		 day;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, &alert_stmt_get, p, NULL)) == NULL)
		return NULL;
	if (!PQgetisnull(r, 0, 3))
		th = strtod(PQgetvalue(r, 0, 3), NULL);
	day = alert_int(r, 6, 1);
	o = json_object_new_object();
	json_object_object_add(o, "goal_alert",
	    json_object_new_boolean(alert_bool(r, 0, 0)));
	json_object_object_add(o, "goal_before_seconds",
	    json_object_new_int64(alert_int(r, 1, 900)));
	json_object_object_add(o, "share_alert",
	    json_object_new_boolean(alert_bool(r, 2, 0)));
	json_object_object_add(o, "share_threshold", json_object_new_double(th));
	json_object_object_add(o, "share_min_casts",
	    json_object_new_int64(alert_int(r, 4, 3)));
	json_object_object_add(o, "digest",
	    json_object_new_boolean(alert_bool(r, 5, 0)));
	json_object_object_add(o, "digest_day", json_object_new_string(
	    alert_days[day >= 1 && day <= 7 ? day - 1 : 0]));
	json_object_object_add(o, "digest_hour",
	    json_object_new_int64(alert_int(r, 7, 9)));
	json_object_object_add(o, "webhook_url", PQgetisnull(r, 0, 8) ? NULL :
	    json_object_new_string(PQgetvalue(r, 0, 8)));
	json_object_object_add(o, "webhook_secret_set",
	    json_object_new_boolean(alert_bool(r, 9, 0)));
	json_object_object_add(o, "miniapp_notifications",
	    json_object_new_int64(alert_int(r, 10, 0)));
	PQclear(r);
	return o;
}

/* The host part of an http(s) URL after its scheme: 1 loopback, else 0. */
static int
alert_loopback(const char *h)
{
	static const char *const lo[] = { "127.0.0.1", "[::1]", "localhost" };
	size_t	 i, n = strcspn(h, ":/?#");

	if (h[0] == '[')
		n = strcspn(h, "]") + 1;
	for (i = 0; i < sizeof(lo) / sizeof(lo[0]); i++)
		if (strlen(lo[i]) == n && strncasecmp(h, lo[i], n) == 0 &&
		    (h[n] == '\0' || strchr(":/?#", h[n]) != NULL))
			return 1;
	return 0;
}

int
alert_url_ok(const char *url, int http_loopback, char *err, size_t errsz)
{
	const char	*h;
	size_t		 i, n = strlen(url);

	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f) {
			snprintf(err, errsz, "webhook_url: no spaces or control "
			    "characters");
			return -1;
		}
	if (n > ALERT_URL_MAX) {
		snprintf(err, errsz, "webhook_url: at most %d characters",
		    ALERT_URL_MAX);
		return -1;
	}
	if (strncasecmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0 && http_loopback &&
	    alert_loopback(url + 7))
		h = url + 7;
	else {
		snprintf(err, errsz, "webhook_url: must be an https:// URL%s",
		    http_loopback ? " (or http:// to 127.0.0.1, [::1] or "
		    "localhost)" : "");
		return -1;
	}
	if (*h == '\0' || strchr(":/?#", *h) != NULL ||
	    memchr(h, '@', strcspn(h, "/?#")) != NULL) {
		snprintf(err, errsz, "webhook_url: needs a host, and no user "
		    "name or password");
		return -1;
	}
	return 0;
}

static int
alert_bad(char *err, size_t errsz, const char *name, const char *what)
{
	snprintf(err, errsz, "%s: %s", name, what);
	return -1;
}

/* A whole number in [lo, hi] into val; -1 with err. */
static int
alert_num(struct json_object *v, const char *name, int64_t lo, int64_t hi,
    char *val, char *err, size_t errsz)
{
	int64_t	 n;

	if (!json_object_is_type(v, json_type_int) ||
	    (n = json_object_get_int64(v)) < lo || n > hi) {
		snprintf(err, errsz, "%s: a whole number from %" PRId64 " to %"
		    PRId64, name, lo, hi);
		return -1;
	}
	snprintf(val, 32, "%" PRId64, n);
	return 0;
}

/* Member m of the settings (v not null) into val[m]; -1 with err. */
static int
alert_member(enum alert_m m, struct json_object *v, int loopback,
    char val[AM__MAX][32], const char **url, char *err, size_t errsz)
{
	const char	*s;
	double		 d;
	size_t		 i;

	switch (m) {
	case AM_GOAL:
	case AM_SHARE:
	case AM_DIGEST:
		if (!json_object_is_type(v, json_type_boolean))
			return alert_bad(err, errsz, alert_names[m],
			    "true or false");
		snprintf(val[m], 32, "%s", json_object_get_boolean(v) ?
		    "true" : "false");
		return 0;
	case AM_BEFORE:
		return alert_num(v, alert_names[m], 60, 86400, val[m], err,
		    errsz);
	case AM_MIN:
		return alert_num(v, alert_names[m], 1, 1000, val[m], err, errsz);
	case AM_HOUR:
		return alert_num(v, alert_names[m], 0, 23, val[m], err, errsz);
	case AM_THRESHOLD:
		if ((!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int)) ||
		    (d = json_object_get_double(v)) <= 0 || d > 1)
			return alert_bad(err, errsz, alert_names[m], "a share "
			    "above 0 and at most 1, e.g. 0.8 for 80 %");
		snprintf(val[m], 32, "%.4f", d);
		return 0;
	case AM_DAY:
		s = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "";
		for (i = 0; i < 7; i++)
			if (strcmp(s, alert_days[i]) == 0) {
				snprintf(val[m], 32, "%zu", i + 1);
				return 0;
			}
		return alert_bad(err, errsz, alert_names[m], "one of mon, tue, "
		    "wed, thu, fri, sat, sun");
	case AM_URL:
		if (!json_object_is_type(v, json_type_string))
			return alert_bad(err, errsz, alert_names[m], "a URL, or "
			    "null to remove it");
		*url = json_object_get_string(v);
		return alert_url_ok(*url, loopback, err, errsz);
	default:
		return -1;
	}
}

/* Every member of o into val (NULL ones stay NULL); -1 with err. */
static int
alert_parse(struct json_object *o, int loopback, char val[AM__MAX][32],
    const char *p[AM__MAX], int *unset_url, char *err, size_t errsz)
{
	size_t	 m;
	int	 known;

	json_object_object_foreach(o, k, v) {
		known = 0;
		for (m = 0; m < AM__MAX; m++) {
			if (strcmp(k, alert_names[m]) != 0)
				continue;
			known = 1;
			if (v == NULL && m == AM_URL)
				*unset_url = 1;
			else if (v == NULL)
				return alert_bad(err, errsz, k, "must not be "
				    "null");
			else if (alert_member((enum alert_m)m, v, loopback, val,
			    &p[AM_URL], err, errsz) == -1)
				return -1;
			else if (m != AM_URL)
				p[m] = val[m];
		}
		if (!known)
			return alert_bad(err, errsz, k, "not a setting (see GET "
			    "/api/v1/me/alerts)");
	}
	return 0;
}

/* A new secret: "rcwh_" and 256 random bits as base64url. */
static int
alert_secret_new(char secret[ALERT_SECRET_MAX + 1])
{
	char	 t[SEC_TOKEN_LEN + 1];

	if (sec_token(t) == -1)
		return -1;
	snprintf(secret, ALERT_SECRET_MAX + 1, "rcwh_%s", t);
	return 0;
}

enum alert_res
alert_apply(struct db *db, int64_t fid, struct json_object *o, int loopback,
    char secret[ALERT_SECRET_MAX + 1], char *err, size_t errsz)
{
	char		 val[AM__MAX][32], f[24], s[ALERT_SECRET_MAX + 1];
	const char	*p[12], *q[AM__MAX] = { NULL };
	PGresult	*r;
	int		 unset_url = 0;
	size_t		 i;

	secret[0] = '\0';
	if (alert_parse(o, loopback, val, q, &unset_url, err, errsz) == -1)
		return ALERT_BAD;
	if (alert_secret_new(s) == -1)
		return ALERT_EDB;
	snprintf(f, sizeof(f), "%" PRId64, fid);
	p[0] = f;
	for (i = 0; i < AM__MAX; i++)
		p[1 + i] = q[i];
	p[10] = unset_url ? "true" : "false";
	p[11] = s;
	if ((r = db_exec(db, &alert_stmt_put, p, NULL)) == NULL)
		return ALERT_EDB;
	if (PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't')
		snprintf(secret, ALERT_SECRET_MAX + 1, "%s", s);
	PQclear(r);
	return ALERT_OK;
}

enum alert_res
alert_rotate(struct db *db, int64_t fid, char secret[ALERT_SECRET_MAX + 1])
{
	char		 f[24];
	const char	*p[2] = { f, secret };
	PGresult	*r;
	enum alert_res	 rc;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if (alert_secret_new(secret) == -1 ||
	    (r = db_exec(db, &alert_stmt_rotate, p, NULL)) == NULL)
		return ALERT_EDB;
	rc = strcmp(PQcmdTuples(r), "1") == 0 ? ALERT_OK : ALERT_BAD;
	PQclear(r);
	if (rc != ALERT_OK)
		secret[0] = '\0';
	return rc;
}

struct json_object *
alert_deliveries(struct db *db, int64_t fid, int limit)
{
	struct json_object	*o;
	PGresult		*r;
	char			 f[24], l[16];
	const char		*p[2] = { f, l };

	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(l, sizeof(l), "%d", limit);
	if ((r = db_exec(db, &alert_stmt_list, p, NULL)) == NULL)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "fid", json_object_new_int64(fid));
	json_object_object_add(o, "deliveries",
	    json_tokener_parse(PQgetvalue(r, 0, 0)));
	PQclear(r);
	return o;
}

void
alert_sign(const char *secret, int64_t ts, const char *body, size_t len,
    char *out, size_t outsz)
{
	char	 t[32], hex[SEC_SHA256_HEX + 1];
	int	 n;

	n = snprintf(t, sizeof(t), "%" PRId64 ".", ts);
	sec_hmac_sha256_hex(secret, strlen(secret), t, (size_t)n, body, len,
	    hex);
	snprintf(out, outsz, "v1=%s", hex);
}

/* Runs a statement on fid and up to three more parameters: 0 or -1. */
static int
alert_exec(struct db *db, const struct db_stmt *st, int64_t fid,
    const char *a, const char *b, const char *c)
{
	char		 f[24];
	const char	*p[4] = { f, a, b, c };
	PGresult	*r;

	snprintf(f, sizeof(f), "%" PRId64, fid);
	if ((r = db_exec(db, st, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
alert_token_set(struct db *db, int64_t fid, const char *url,
    const char *token, const char *key)
{
	return alert_exec(db, &alert_stmt_token, fid, url, token, key);
}

int
alert_token_off(struct db *db, int64_t fid, const char *key)
{
	return alert_exec(db, &alert_stmt_token_off, fid, key, NULL, NULL);
}
