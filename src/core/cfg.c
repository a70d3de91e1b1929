#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cfg.h"
#include "valid.h"

#ifndef RC_DATADIR
#define RC_DATADIR "/usr/local/share/replycast"
#endif

enum cfg_type { CFG_STR, CFG_INT, CFG_SIZE, CFG__MAX };

struct cfg_var {
	const char	*name;
	enum cfg_type	 type;
	size_t		 off;
	size_t		 len;	/* room for a string */
	const char	*def;
	long		 min, max;
	int		 nonempty;
	const char	*help;
};

#define S(f)	offsetof(struct cfg, f), sizeof(((struct cfg *)0)->f)
#define I(f)	offsetof(struct cfg, f), 0

static const struct cfg_var cfg_vars[] = {
	{ "RC_PG_DSN", CFG_STR, S(pg_dsn), "dbname=replycast", 0, 0, 1,
	  "libpq connection string" },
	{ "RC_PG_READ_DSN", CFG_STR, S(pg_read_dsn), "", 0, 0, 0,
	  "libpq connection string of a streaming replica for the figures "
	  "(empty: all on RC_PG_DSN)" },
	{ "RC_PG_READ_MAX_LAG_MS", CFG_INT, I(pg_read_max_lag), "5000", 0,
	  3600000, 0, "replica lag past which reads go to the primary" },
	{ "RC_PG_CONNECT_TIMEOUT", CFG_INT, I(pg_connect_timeout), "3", 1, 60, 0,
	  "seconds to wait for a PostgreSQL connection" },
	{ "RC_PG_STATEMENT_TIMEOUT_MS", CFG_INT, I(pg_statement_timeout), "5000",
	  0, 600000, 0, "statement_timeout of each connection (0: none)" },
	{ "RC_REDIS", CFG_STR, S(redis), "127.0.0.1:6379", 0, 0, 1,
	  "Redis address: host:port, or the path of a unix socket" },
	{ "RC_REDIS_TIMEOUT_MS", CFG_INT, I(redis_timeout), "250", 1, 60000, 0,
	  "Redis connect and command timeout" },
	{ "RC_REDIS_PASSWORD_FILE", CFG_STR, S(redis_password_file), "", 0, 0,
	  0, "file holding the Redis password (AUTH on every connection)" },
	{ "RC_REDIS_SENTINELS", CFG_STR, S(redis_sentinels), "", 0, 0, 0,
	  "Redis Sentinels to ask for the primary: host:port,host:port" },
	{ "RC_REDIS_MASTER_NAME", CFG_STR, S(redis_master), "replycast", 0, 0,
	  1, "the name the sentinels monitor the primary under" },
	{ "RC_RECONNECT_DELAY_MS", CFG_INT, I(reconnect_delay), "200", 0, 60000, 0,
	  "least time between two reconnection attempts" },
	{ "RC_MAX_BODY", CFG_SIZE, I(max_body), "1M", 1024, 64L * 1024 * 1024, 0,
	  "largest request body a handler reads (413 past it)" },
	{ "RC_LOG_FILE", CFG_STR, S(log_file), "", 0, 0, 0,
	  "append logs to this file (reopened on SIGHUP); empty: stderr" },
	{ "RC_DATA_DIR", CFG_STR, S(data_dir), RC_DATADIR, 0, 0, 1,
	  "where templates/, static/ and migrations/ are installed" },
	{ "RC_JWT_KEY_FILE", CFG_STR, S(jwt_key_file), "", 0, 0, 0,
	  "file holding the token signing key (at least 32 bytes)" },
	{ "RC_JWT_KEY", CFG_STR, S(jwt_key), "", 0, 0, 0,
	  "the signing key itself, when there is no key file" },
	{ "RC_JWT_ISSUER", CFG_STR, S(jwt_issuer), "replycast", 0, 0, 1,
	  "iss of access tokens" },
	{ "RC_JWT_AUDIENCE", CFG_STR, S(jwt_audience), "replycast-api", 0, 0, 1,
	  "aud of access tokens" },
	{ "RC_ACCESS_TTL", CFG_INT, I(access_ttl), "900", 60, 86400, 0,
	  "seconds an access token lives" },
	{ "RC_REFRESH_TTL", CFG_INT, I(refresh_ttl), "2592000", 3600, 31536000, 0,
	  "seconds a refresh token lives" },
	{ "RC_SESSION_MAX_AGE", CFG_INT, I(session_max_age), "2592000", 300,
	  31536000, 0, "seconds a session lives from its sign-in, refreshed or not" },
	{ "RC_CACHE_TTL", CFG_INT, I(cache_ttl), "300", 1, 86400, 0,
	  "seconds a cached API answer lives" },
	{ "RC_CACHE_MIN_FACTS", CFG_INT, I(cache_min_facts), "4096", 0,
	  1000000000, 0, "inbound facts a user needs before an API answer the "
	  "read model computed is stored in the Redis cache (fewer: computing "
	  "it again costs less than storing it)" },
	{ "RC_FACTS_MB", CFG_INT, I(facts_mb), "64", 0, 65536, 0,
	  "MiB of users' facts each api and dash process keeps in memory "
	  "(0: every figure from PostgreSQL)" },
	{ "RC_STANDING_MIN_GROUP", CFG_INT, I(standing_min_group), "20", 2,
	  1000000, 0, "tracked users with at least 30 inbound casts in the "
	  "window needed before anyone is shown where they stand among them" },
	{ "RC_STANDING_REFRESH_S", CFG_INT, I(standing_refresh), "3600", 0,
	  604800, 0, "seconds between replycast-worker's refreshes of every "
	  "tracked user's medians for where they stand (0: the worker does not; "
	  "replycastctl standing refresh does)" },
	{ "RC_GATE_LOCAL", CFG_INT, I(gate_local), "1", 0, 1, 0,
	  "1: each process keeps copies of the revocations and data versions "
	  "it reads, kept true by Redis's client tracking, so that a request "
	  "with no rate limit to count makes no Redis round trip" },
	{ "RC_API_RATE", CFG_INT, I(api_rate), "600", 0, 1000000, 0,
	  "API requests per minute per account (0: no limit)" },
	{ "RC_API_BURST", CFG_INT, I(api_burst), "120", 1, 1000000, 0,
	  "API requests an account may make at once" },
	{ "RC_NEYNAR_WEBHOOK_SECRET", CFG_STR, S(webhook_secret), "", 0, 0, 0,
	  "shared secret of Neynar webhooks (empty: webhooks refused)" },
	{ "RC_NEYNAR_WEBHOOK_SECRET_FILE", CFG_STR, S(webhook_secret_file), "",
	  0, 0, 0, "file holding that secret (wins over the variable)" },
	{ "RC_SELF_REGISTER", CFG_INT, I(self_register), "0", 0, 1, 0,
	  "1: anyone may create an account (POST /auth/register)" },
	{ "RC_LOGIN_FREE_FAILS", CFG_INT, I(login_free_fails), "3", 0, 100, 0,
	  "failed logins before back-off starts (per account and per address)" },
	{ "RC_LOGIN_BACKOFF_MS", CFG_INT, I(login_backoff_ms), "1000", 1, 600000, 0,
	  "first back-off after too many failures; doubles each time" },
	{ "RC_LOGIN_MAX_BACKOFF_S", CFG_INT, I(login_max_backoff), "900", 1, 86400, 0,
	  "longest back-off" },
	{ "RC_COOKIE_SECURE", CFG_INT, I(cookie_secure), "1", 0, 1, 0,
	  "1: cookies are Secure (sent over HTTPS only)" },
	{ "RC_MAX_API_KEYS", CFG_INT, I(max_api_keys), "20", 1, 10000, 0,
	  "API keys one account may hold" },
	{ "RC_METRICS_DIR", CFG_STR, S(metrics_dir), "", 0, 0, 0,
	  "folder of the pools' shared metrics files (empty: metrics off)" },
	{ "RC_FRONT_SECRET_FILE", CFG_STR, S(front_secret_file), "", 0, 0, 0,
	  "secret nginx passes as RC_FRONT_SECRET (empty: no loopback trust)" },
	{ "RC_HUB_URL", CFG_STR, S(hub_url), "", 0, 0, 0,
	  "Farcaster Hub HTTP API (e.g. http://127.0.0.1:3381): backfills of "
	  "new users, and Sign In with Farcaster's fid checks (empty: none)" },
	{ "RC_SIWF_URI", CFG_STR, S(siwf_uri), "", 0, 0, 0,
	  "URI of Sign In with Farcaster messages: the public sign-in page "
	  "(empty: Sign In with Farcaster off)" },
	{ "RC_SIWF_DOMAIN", CFG_STR, S(siwf_domain), "", 0, 0, 0,
	  "domain of those messages (empty: the host[:port] of RC_SIWF_URI)" },
	{ "RC_SIWF_RELAY", CFG_STR, S(siwf_relay), "https://relay.farcaster.xyz",
	  0, 0, 1, "Farcaster relay of the browser sign-in (AuthKit's channels)" },
	{ "RC_SIWF_SKEW", CFG_INT, I(siwf_skew), "300", 0, 3600, 0,
	  "seconds of clock skew allowed on Issued At, Not Before, Expiration" },
	{ "RC_SIWF_NONCE_TTL", CFG_INT, I(siwf_nonce_ttl), "300", 30, 3600, 0,
	  "seconds a sign-in nonce (and a browser sign-in) stays valid" },
	{ "RC_SIWF_HUB_CACHE", CFG_INT, I(siwf_hub_cache), "60", 0, 3600, 0,
	  "seconds the Hub's answer on an fid and address is kept in Redis" },
	{ "RC_JOB_MAX_ATTEMPTS", CFG_INT, I(job_max_attempts), "8", 1, 1000, 0,
	  "tries of a backfill job before it stays failed" },
	{ "RC_JOB_BACKOFF_S", CFG_INT, I(job_backoff), "30", 1, 86400, 0,
	  "wait before a failed job's first retry (doubling, at most 1 h)" },
	{ "RC_JOB_LEASE_S", CFG_INT, I(job_lease), "300", 2, 86400, 0,
	  "a running job whose worker is silent this long is taken again" },
	{ "RC_JOB_POLL_MS", CFG_INT, I(job_poll_ms), "1000", 10, 600000, 0,
	  "how often an idle worker looks for jobs" },
	{ "RC_ALERT_TICK_S", CFG_INT, I(alert_tick), "60", 1, 3600, 0,
	  "how often the worker looks for goal alerts and due digests" },
	{ "RC_ALERT_HTTP_LOOPBACK", CFG_INT, I(alert_http_loopback), "0", 0, 1,
	  0, "1: a webhook URL may be http:// to 127.0.0.1, ::1 or localhost "
	  "(tests, development); otherwise https:// only" },
	{ "RC_AVATAR_BATCH", CFG_INT, I(avatar_batch), "20", 0, 1000, 0,
	  "profile pictures the worker fetches per minute into the avatar "
	  "cache (0: none; the dashboard then shows initials)" },
	{ "RC_AVATAR_HTTP_LOOPBACK", CFG_INT, I(avatar_http_loopback), "0", 0,
	  1, 0, "1: a profile picture may come from http:// on 127.0.0.1, ::1 "
	  "or localhost (tests); otherwise https:// only" },
	{ "RC_APP_URL", CFG_STR, S(app_url), "http://localhost", 0, 0, 0,
	  "the dashboard's public URL, where alerts link (mini-app targetUrl)" },
};

#define NVARS	(sizeof(cfg_vars) / sizeof(cfg_vars[0]))

const char *
cfg_getenv(const char *name, void *arg)
{
	(void)arg;
	return getenv(name);
}

static int
cfg_set(struct cfg *c, const struct cfg_var *v, const char *s, char *err,
    size_t errsz)
{
	char		*dst = (char *)c + v->off;
	uint64_t	 u;
	int64_t		 i;

	switch (v->type) {
	case CFG_STR:
		if (valid_printable(s, v->len - 1) == -1) {
			snprintf(err, errsz, "%s: longer than %lu bytes or "
			    "holds a control character", v->name,
			    (unsigned long)(v->len - 1));
			return -1;
		}
		if (v->nonempty && *s == '\0') {
			snprintf(err, errsz, "%s: must not be empty", v->name);
			return -1;
		}
		memcpy(dst, s, strlen(s) + 1);
		return 0;
	case CFG_INT:
		if (valid_i64(s, v->min, v->max, &i) == -1) {
			snprintf(err, errsz, "%s: \"%.40s\" is not an integer "
			    "in [%ld, %ld]", v->name, s, v->min, v->max);
			return -1;
		}
		*(long *)(void *)dst = (long)i;
		return 0;
	case CFG_SIZE:
		if (valid_size(s, (uint64_t)v->max, &u) == -1 ||
		    u < (uint64_t)v->min) {
			snprintf(err, errsz, "%s: \"%.40s\" is not a size in "
			    "[%ld, %ld] bytes (k and M suffixes allowed)",
			    v->name, s, v->min, v->max);
			return -1;
		}
		*(long *)(void *)dst = (long)u;
		return 0;
	default:
		snprintf(err, errsz, "%s: unknown type", v->name);
		return -1;
	}
}

int
cfg_load(struct cfg *c, cfg_getter get, void *arg, char *err, size_t errsz)
{
	const char	*s;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NVARS; i++) {
		if ((s = get(cfg_vars[i].name, arg)) == NULL)
			s = cfg_vars[i].def;
		if (cfg_set(c, &cfg_vars[i], s, err, errsz) == -1)
			return -1;
	}
	return 0;
}

int
cfg_secret_read(const char *path, char *buf, size_t size, size_t *len)
{
	FILE	*f;
	size_t	 n;
	int	 more;

	if (size < 2 || (f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, size - 1, f);
	more = fgetc(f) != EOF;
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*len = n;
	return more || n == 0 ? -1 : 0;
}

void
cfg_usage(void *file)
{
	size_t	 i;

	for (i = 0; i < NVARS; i++)
		fprintf(file, "%-28s %-20s %s\n", cfg_vars[i].name,
		    *cfg_vars[i].def ? cfg_vars[i].def : "(empty)",
		    cfg_vars[i].help);
}
