#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/cfg.h"
#include "tests.h"

/* A fake environment: name/value pairs, ended by a NULL name. */
struct env {
	const char	*name;
	const char	*val;
};

static const char *
env_get(const char *name, void *arg)
{
	const struct env	*e;

	for (e = arg; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e->val;
	return NULL;
}

/* Loads with a single variable set; returns cfg_load's result. */
static int
load1(const char *name, const char *val, struct cfg *c, char *err,
    size_t errsz)
{
	struct env	 env[2] = { { name, val }, { NULL, NULL } };

	err[0] = '\0';
	return cfg_load(c, env_get, env, err, errsz);
}

static void
test_defaults(void)
{
	struct env	 env[] = { { NULL, NULL } };
	struct cfg	 c;
	char		 err[256] = "";

	CU_ASSERT_EQUAL_FATAL(cfg_load(&c, env_get, env, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.max_body, 1048576);
	CU_ASSERT_STRING_EQUAL(c.redis, "127.0.0.1:6379");
	CU_ASSERT_EQUAL(c.pg_connect_timeout, 3);
	CU_ASSERT_EQUAL(c.pg_statement_timeout, 5000);
	CU_ASSERT_EQUAL(c.redis_timeout, 250);
	CU_ASSERT_EQUAL(c.reconnect_delay, 200);
	CU_ASSERT_STRING_EQUAL(c.pg_dsn, "dbname=replycast");
	CU_ASSERT_STRING_EQUAL(c.log_file, "");
	CU_ASSERT(c.data_dir[0] == '/');	/* RC_DATADIR, absolute */
	CU_ASSERT_STRING_EQUAL(err, "");
}

static void
test_values(void)
{
	struct env	 env[] = {
		{ "RC_PG_DSN", "host=db dbname=rc" },
		{ "RC_PG_CONNECT_TIMEOUT", "60" },
		{ "RC_PG_STATEMENT_TIMEOUT_MS", "0" },
		{ "RC_REDIS", "/run/redis.sock" },
		{ "RC_REDIS_TIMEOUT_MS", "1" },
		{ "RC_RECONNECT_DELAY_MS", "60000" },
		{ "RC_MAX_BODY", "64k" },
		{ "RC_LOG_FILE", "/var/log/rc.log" },
		{ "RC_DATA_DIR", "/srv/rc" },
		{ "RC_UNRELATED", "junk\n" },
		{ NULL, NULL },
	};
	struct cfg	 c;
	char		 err[256] = "";

	CU_ASSERT_EQUAL_FATAL(cfg_load(&c, env_get, env, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.pg_dsn, "host=db dbname=rc");
	CU_ASSERT_EQUAL(c.pg_connect_timeout, 60);
	CU_ASSERT_EQUAL(c.pg_statement_timeout, 0);
	CU_ASSERT_STRING_EQUAL(c.redis, "/run/redis.sock");
	CU_ASSERT_EQUAL(c.redis_timeout, 1);
	CU_ASSERT_EQUAL(c.reconnect_delay, 60000);
	CU_ASSERT_EQUAL(c.max_body, 65536);
	CU_ASSERT_STRING_EQUAL(c.log_file, "/var/log/rc.log");
	CU_ASSERT_STRING_EQUAL(c.data_dir, "/srv/rc");
}

static void
test_max_body(void)
{
	struct cfg	 c;
	char		 err[256];

	CU_ASSERT_EQUAL(load1("RC_MAX_BODY", "64k", &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.max_body, 65536);
	CU_ASSERT_EQUAL(load1("RC_MAX_BODY", "2M", &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.max_body, 2097152);
	CU_ASSERT_EQUAL(load1("RC_MAX_BODY", "1024", &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.max_body, 1024);
	CU_ASSERT_EQUAL(load1("RC_MAX_BODY", "64M", &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.max_body, 67108864);
}

/* Each bad value fails and names the variable in the message. */
static void
bad(const char *name, const char *val)
{
	struct cfg	 c;
	char		 err[256];

	CU_ASSERT_EQUAL(load1(name, val, &c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, name));
}

/*
 * Where I stand: the minimum group (at least 2, so that a percentile has
 * others to count) and the worker's refresh interval (0: off).
 */
static void
test_standing(void)
{
	struct cfg	 c;
	char		 err[256];

	CU_ASSERT_EQUAL(load1("RC_UNRELATED", "", &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.standing_min_group, 20);
	CU_ASSERT_EQUAL(c.standing_refresh, 3600);
	CU_ASSERT_EQUAL(load1("RC_STANDING_MIN_GROUP", "2", &c, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.standing_min_group, 2);
	CU_ASSERT_EQUAL(load1("RC_STANDING_REFRESH_S", "0", &c, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.standing_refresh, 0);
	bad("RC_STANDING_MIN_GROUP", "1");
	bad("RC_STANDING_MIN_GROUP", "0");
	bad("RC_STANDING_MIN_GROUP", "twenty");
	bad("RC_STANDING_REFRESH_S", "-1");
}

static void
test_bad_size(void)
{
	bad("RC_MAX_BODY", "abc");
	bad("RC_MAX_BODY", "-1");
	bad("RC_MAX_BODY", "10");	/* below the minimum of 1024 */
	bad("RC_MAX_BODY", "1023");
	bad("RC_MAX_BODY", "1G");
	bad("RC_MAX_BODY", "65M");	/* above 64M */
	bad("RC_MAX_BODY", "");
	bad("RC_MAX_BODY", " 1M");
}

static void
test_bad_int(void)
{
	bad("RC_REDIS_TIMEOUT_MS", "0");
	bad("RC_REDIS_TIMEOUT_MS", "99999999");
	bad("RC_REDIS_TIMEOUT_MS", "12x");
	bad("RC_REDIS_TIMEOUT_MS", "");
	bad("RC_REDIS_TIMEOUT_MS", "-5");
	bad("RC_PG_CONNECT_TIMEOUT", "0");
	bad("RC_PG_CONNECT_TIMEOUT", "61");
	bad("RC_PG_STATEMENT_TIMEOUT_MS", "-1");
	bad("RC_RECONNECT_DELAY_MS", "60001");
}

static void
test_bad_str(void)
{
	char	 big[1100];

	bad("RC_PG_DSN", "");
	bad("RC_REDIS", "");
	bad("RC_DATA_DIR", "");
	bad("RC_PG_DSN", "a\nb");
	bad("RC_REDIS", "host\r:1");
	bad("RC_LOG_FILE", "/tmp/\x1b[31m");
	bad("RC_LOG_FILE", "a\x7f");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bad("RC_PG_DSN", big);		/* 1099 > 1023 */
	big[1024] = '\0';
	bad("RC_PG_DSN", big);		/* 1024 bytes: no room for the NUL */
	big[512] = '\0';
	bad("RC_REDIS", big);		/* 512 in char[512] */
}

/* The longest strings that fit are kept whole. */
static void
test_str_limits(void)
{
	struct cfg	 c;
	char		 big[1024], err[256];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(load1("RC_PG_DSN", big, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(strlen(c.pg_dsn), 1023);
	CU_ASSERT_STRING_EQUAL(c.pg_dsn, big);
	big[511] = '\0';
	CU_ASSERT_EQUAL(load1("RC_REDIS", big, &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.redis, big);
	/* An empty log file is allowed (stderr). */
	CU_ASSERT_EQUAL(load1("RC_LOG_FILE", "", &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.log_file, "");
	/* UTF-8 is not a control character. */
	CU_ASSERT_EQUAL(load1("RC_DATA_DIR", "/srv/caf\xc3\xa9", &c, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.data_dir, "/srv/caf\xc3\xa9");
}

/* The message stays within errsz and is NUL-terminated. */
static void
test_err_truncated(void)
{
	struct cfg	 c;
	char		 err[16];

	memset(err, 'Z', sizeof(err));
	CU_ASSERT_EQUAL(load1("RC_REDIS_TIMEOUT_MS", "0", &c, err,
	    sizeof(err)), -1);
	CU_ASSERT_EQUAL(err[sizeof(err) - 1], '\0');
	CU_ASSERT_NSTRING_EQUAL(err, "RC_REDIS_TIMEOU", 16);
}

static void
test_usage(void)
{
	FILE	*f;
	char	 line[512];
	int	 n = 0, has_body = 0;

	if ((f = tmpfile()) == NULL) {
		CU_FAIL("tmpfile");
		return;
	}
	cfg_usage(f);
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		CU_ASSERT_EQUAL(strncmp(line, "RC_", 3), 0);
		if (strncmp(line, "RC_MAX_BODY ", 12) == 0 &&
		    strstr(line, " 1M ") != NULL)
			has_body = 1;
	}
	fclose(f);
	CU_ASSERT(n >= 9);	/* one line per variable; more come with features */
	CU_ASSERT(has_body);
}

int
test_cfg_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("cfg", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "defaults", test_defaults) == NULL ||
	    CU_add_test(s, "all values set", test_values) == NULL ||
	    CU_add_test(s, "max body sizes", test_max_body) == NULL ||
	    CU_add_test(s, "bad sizes", test_bad_size) == NULL ||
	    CU_add_test(s, "where I stand", test_standing) == NULL ||
	    CU_add_test(s, "bad integers", test_bad_int) == NULL ||
	    CU_add_test(s, "bad strings", test_bad_str) == NULL ||
	    CU_add_test(s, "string limits", test_str_limits) == NULL ||
	    CU_add_test(s, "error truncated", test_err_truncated) == NULL ||
	    CU_add_test(s, "usage", test_usage) == NULL)
		return -1;
	return 0;
}
