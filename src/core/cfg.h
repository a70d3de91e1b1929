#ifndef RC_CFG_H
#define RC_CFG_H
#include <stddef.h>

/*
 * Process configuration, read once at start from environment variables
 * (the table in cfg.c is the single list; README.md documents it).  After
 * cfg_load the struct is read-only.
 */
struct cfg {
	char	 pg_dsn[1024];		/* RC_PG_DSN */
	char	 pg_read_dsn[1024];	/* RC_PG_READ_DSN, empty: none */
	long	 pg_read_max_lag;	/* RC_PG_READ_MAX_LAG_MS */
	long	 pg_connect_timeout;	/* RC_PG_CONNECT_TIMEOUT, seconds */
	long	 pg_statement_timeout;	/* RC_PG_STATEMENT_TIMEOUT_MS */
	char	 redis[512];		/* RC_REDIS: host:port or a socket path */
	long	 redis_timeout;		/* RC_REDIS_TIMEOUT_MS */
	char	 redis_password_file[1024];	/* RC_REDIS_PASSWORD_FILE */
	char	 redis_sentinels[512];	/* RC_REDIS_SENTINELS; "": none */
	char	 redis_master[64];	/* RC_REDIS_MASTER_NAME */
	long	 reconnect_delay;	/* RC_RECONNECT_DELAY_MS */
	long	 max_body;		/* RC_MAX_BODY, bytes (k/M suffix) */
	char	 log_file[1024];	/* RC_LOG_FILE, empty: stderr */
	char	 data_dir[1024];	/* RC_DATA_DIR */
	char	 jwt_key_file[1024];	/* RC_JWT_KEY_FILE */
	char	 jwt_key[512];		/* RC_JWT_KEY (when no file) */
	char	 jwt_issuer[64];	/* RC_JWT_ISSUER */
	char	 jwt_audience[64];	/* RC_JWT_AUDIENCE */
	long	 access_ttl;		/* RC_ACCESS_TTL, seconds */
	long	 refresh_ttl;		/* RC_REFRESH_TTL, seconds */
	long	 session_max_age;	/* RC_SESSION_MAX_AGE, seconds */
	long	 cache_ttl;		/* RC_CACHE_TTL, seconds */
	long	 cache_min_facts;	/* RC_CACHE_MIN_FACTS */
	long	 facts_mb;		/* RC_FACTS_MB, per process; 0: off */
	long	 standing_min_group;	/* RC_STANDING_MIN_GROUP */
	long	 standing_refresh;	/* RC_STANDING_REFRESH_S; 0: off */
	long	 api_rate;		/* RC_API_RATE, requests per minute */
	long	 gate_local;		/* RC_GATE_LOCAL: gate_local_start */
	long	 api_burst;		/* RC_API_BURST */
	char	 webhook_secret[256];	/* RC_NEYNAR_WEBHOOK_SECRET */
	char	 webhook_secret_file[1024];	/* RC_NEYNAR_WEBHOOK_SECRET_FILE */
	long	 self_register;		/* RC_SELF_REGISTER, 0 or 1 */
	long	 login_free_fails;	/* RC_LOGIN_FREE_FAILS */
	long	 login_backoff_ms;	/* RC_LOGIN_BACKOFF_MS */
	long	 login_max_backoff;	/* RC_LOGIN_MAX_BACKOFF_S */
	long	 cookie_secure;		/* RC_COOKIE_SECURE, 0 or 1 */
	long	 max_api_keys;		/* RC_MAX_API_KEYS, per account */
	char	 metrics_dir[1024];	/* RC_METRICS_DIR, empty: metrics off */
	char	 front_secret_file[1024];	/* RC_FRONT_SECRET_FILE */
	char	 hub_url[512];		/* RC_HUB_URL, empty: none */
	char	 siwf_domain[256];	/* RC_SIWF_DOMAIN, empty: RC_SIWF_URI's */
	char	 siwf_uri[512];		/* RC_SIWF_URI, empty: SIWF off */
	char	 siwf_relay[512];	/* RC_SIWF_RELAY */
	long	 siwf_skew;		/* RC_SIWF_SKEW, seconds */
	long	 siwf_nonce_ttl;	/* RC_SIWF_NONCE_TTL, seconds */
	long	 siwf_hub_cache;	/* RC_SIWF_HUB_CACHE, seconds */
	long	 job_max_attempts;	/* RC_JOB_MAX_ATTEMPTS */
	long	 job_backoff;		/* RC_JOB_BACKOFF_S, first retry wait */
	long	 job_lease;		/* RC_JOB_LEASE_S */
	long	 job_poll_ms;		/* RC_JOB_POLL_MS */
	long	 alert_tick;		/* RC_ALERT_TICK_S */
	long	 alert_http_loopback;	/* RC_ALERT_HTTP_LOOPBACK, 0 or 1 */
	long	 avatar_batch;		/* RC_AVATAR_BATCH, per minute */
	long	 avatar_http_loopback;	/* RC_AVATAR_HTTP_LOOPBACK, 0 or 1 */
	char	 app_url[512];		/* RC_APP_URL */
};

/* Returns the value of a variable, or NULL when unset. */
typedef const char *(*cfg_getter)(const char *name, void *arg);

/*
 * Fills c from defaults and get().  On a bad value returns -1 with a
 * message naming the variable in err.
 */
int		 cfg_load(struct cfg *c, cfg_getter get, void *arg, char *err,
		    size_t errsz);
const char	*cfg_getenv(const char *name, void *arg);

/*
 * Reads a secret file (at most size - 1 bytes, final CR/LF dropped) into
 * buf, NUL-terminated, its length in *len.  -1 when the file cannot be
 * read, is empty or is longer.
 */
int		 cfg_secret_read(const char *path, char *buf, size_t size,
		    size_t *len);

/* Prints "NAME default description" lines for every variable. */
void		 cfg_usage(void *file);

#endif
