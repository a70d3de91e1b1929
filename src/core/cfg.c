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
	{ "RC_PG_CONNECT_TIMEOUT", CFG_INT, I(pg_connect_timeout), "3", 1, 60, 0,
	  "seconds to wait for a PostgreSQL connection" },
	{ "RC_PG_STATEMENT_TIMEOUT_MS", CFG_INT, I(pg_statement_timeout), "5000",
	  0, 600000, 0, "statement_timeout of each connection (0: none)" },
	{ "RC_REDIS", CFG_STR, S(redis), "127.0.0.1:6379", 0, 0, 1,
	  "Redis address: host:port, or the path of a unix socket" },
	{ "RC_REDIS_TIMEOUT_MS", CFG_INT, I(redis_timeout), "250", 1, 60000, 0,
	  "Redis connect and command timeout" },
	{ "RC_RECONNECT_DELAY_MS", CFG_INT, I(reconnect_delay), "200", 0, 60000, 0,
	  "least time between two reconnection attempts" },
	{ "RC_MAX_BODY", CFG_SIZE, I(max_body), "1M", 1024, 64L * 1024 * 1024, 0,
	  "largest request body a handler reads (413 past it)" },
	{ "RC_LOG_FILE", CFG_STR, S(log_file), "", 0, 0, 0,
	  "append logs to this file (reopened on SIGHUP); empty: stderr" },
	{ "RC_DATA_DIR", CFG_STR, S(data_dir), RC_DATADIR, 0, 0, 1,
	  "where templates/, static/ and migrations/ are installed" },
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

void
cfg_usage(void *file)
{
	size_t	 i;

	for (i = 0; i < NVARS; i++)
		fprintf(file, "%-28s %-20s %s\n", cfg_vars[i].name,
		    *cfg_vars[i].def ? cfg_vars[i].def : "(empty)",
		    cfg_vars[i].help);
}
