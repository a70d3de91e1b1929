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
	long	 pg_connect_timeout;	/* RC_PG_CONNECT_TIMEOUT, seconds */
	long	 pg_statement_timeout;	/* RC_PG_STATEMENT_TIMEOUT_MS */
	char	 redis[512];		/* RC_REDIS: host:port or a socket path */
	long	 redis_timeout;		/* RC_REDIS_TIMEOUT_MS */
	long	 reconnect_delay;	/* RC_RECONNECT_DELAY_MS */
	long	 max_body;		/* RC_MAX_BODY, bytes (k/M suffix) */
	char	 log_file[1024];	/* RC_LOG_FILE, empty: stderr */
	char	 data_dir[1024];	/* RC_DATA_DIR */
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

/* Prints "NAME default description" lines for every variable. */
void		 cfg_usage(void *file);

#endif
