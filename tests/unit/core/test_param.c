#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "core/param.h"
#include "core/qs.h"
#include "tests.h"

static const char *const kinds[] = { "reply", "mention", NULL };
static const struct param_spec specs[] = {
	{ "limit", PARAM_INT, 1, 500, NULL, 0, 0 },
	{ "from", PARAM_TIME, 0, 4102444800LL, NULL, 0, 0 },
	{ "kind", PARAM_ENUM, 0, 0, kinds, 0, 0 },
	{ "tz", PARAM_TZ, 0, 0, NULL, 0, 0 },
	{ "q", PARAM_STR, 0, 8, NULL, 0, 0 },
	{ "must", PARAM_INT, 0, 9, NULL, 1, 0 },
};
#define NSPECS	(sizeof(specs) / sizeof(specs[0]))

/* Parses query q; returns param_parse's result, with err and vals filled. */
static int
run(const char *q, struct param_val *v, char *err, size_t errsz)
{
	struct arena	*a = arena_new(4096);
	struct qs_list	 l;
	int		 rc = -2;

	err[0] = '\0';
	if (a != NULL && qs_parse(a, q, strlen(q), &l) == QS_OK)
		rc = param_parse(&l, specs, NSPECS, v, err, errsz);
	/* Values point into the arena: copy what tests read before freeing. */
	if (rc == 0 && v[4].present)
		v[4].s = strcmp(v[4].s, "hello") == 0 ? "hello" : "?";
	if (rc == 0 && v[3].present)
		v[3].s = strcmp(v[3].s, "Europe/Berlin") == 0 ? "tz-ok" : "?";
	arena_free(a);
	return rc;
}

/* A checkbox field may repeat when declared so; each value is checked. */
static void
test_repeat(void)
{
	static const char *const days[] = { "mon", "tue", NULL };
	static const struct param_spec sp[] = {
		{ "day", PARAM_ENUM, 0, 0, days, 0, 1 },
		{ "once", PARAM_INT, 0, 9, NULL, 0, 0 },
	};
	struct arena	*a = arena_new(4096);
	struct qs_list	 l;
	struct param_val v[2];
	char		 err[200];

	CU_ASSERT_FATAL(a != NULL);
	CU_ASSERT_EQUAL(qs_parse(a, "day=tue&day=mon&once=1", 22, &l), QS_OK);
	CU_ASSERT_EQUAL(param_parse(&l, sp, 2, v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v[0].n, 2);
	CU_ASSERT_EQUAL(v[0].i, 1);		/* the first kept */
	CU_ASSERT_EQUAL(v[1].n, 1);
	CU_ASSERT_EQUAL(qs_parse(a, "day=mon&day=sun", 15, &l), QS_OK);
	CU_ASSERT_EQUAL(param_parse(&l, sp, 2, v, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(strncmp(err, "day: must be one of", 19), 0);
	CU_ASSERT_EQUAL(qs_parse(a, "once=1&once=2", 13, &l), QS_OK);
	CU_ASSERT_EQUAL(param_parse(&l, sp, 2, v, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "once: given more than once");
	arena_free(a);
}

static void
test_good(void)
{
	struct param_val	 v[NSPECS];
	char			 err[200];

	CU_ASSERT_EQUAL(run("must=3&limit=500&from=2025-01-06T10:00:00Z&kind=mention"
	    "&tz=Europe%2FBerlin&q=hello", v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v[0].i, 500);
	CU_ASSERT_EQUAL(v[1].i, 1736157600);
	CU_ASSERT_EQUAL(v[2].i, 1);
	CU_ASSERT_STRING_EQUAL(v[3].s, "tz-ok");
	CU_ASSERT_STRING_EQUAL(v[4].s, "hello");
	CU_ASSERT_EQUAL(v[5].i, 3);
	/* Only the shape: which zones exist is the caller's check. */
	CU_ASSERT_EQUAL(run("must=0&tz=Mars%2FOlympus", v, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(v[3].s, "?");
	CU_ASSERT_EQUAL(run("must=0&from=1736157600", v, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(v[1].i, 1736157600);
	CU_ASSERT_FALSE(v[1].date);
	CU_ASSERT_FALSE(v[0].present);
}

/* A bare date is a day, for the caller to place in a time zone. */
static void
test_date(void)
{
	struct param_val	 v[NSPECS];
	char			 err[200];

	CU_ASSERT_EQUAL_FATAL(run("must=0&from=2025-01-06", v, err,
	    sizeof(err)), 0);
	CU_ASSERT_TRUE(v[1].present);
	CU_ASSERT_TRUE(v[1].date);
	CU_ASSERT_EQUAL(v[1].i * 86400, 1736121600);	/* 2025-01-06T00:00Z */
	CU_ASSERT_EQUAL_FATAL(run("must=0&from=2100-01-01", v, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(v[1].i * 86400, 4102444800LL);
	CU_ASSERT_EQUAL_FATAL(run("must=0&from=1970-01-01", v, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(v[1].i, 0);
	CU_ASSERT_TRUE(v[1].date);
}

static void
expect(const char *q, const char *msg)
{
	struct param_val	 v[NSPECS];
	char			 err[200];

	CU_ASSERT_EQUAL(run(q, v, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, msg);
}

static void
test_bad(void)
{
	expect("must=1&limit=501", "limit: must be an integer from 1 to 500");
	expect("must=1&limit=0", "limit: must be an integer from 1 to 500");
	expect("must=1&limit=12abc", "limit: must be an integer from 1 to 500");
	expect("must=1&limit=", "limit: must be an integer from 1 to 500");
	expect("must=1&limit=%2B5", "limit: must be an integer from 1 to 500");
	expect("must=1&kind=both", "kind: must be one of reply, mention");
	expect("must=1&tz=..%2F..%2Fetc%2Fpasswd", "tz: not a known IANA time "
	    "zone name (e.g. Europe/Berlin)");
	expect("must=1&q=123456789", "q: must be printable UTF-8 of at most 8 bytes");
	expect("must=1&q=%C3%28", "q: must be printable UTF-8 of at most 8 bytes");
	expect("must=1&q=a%0Ab", "q: must be printable UTF-8 of at most 8 bytes");
#define TIME_MSG	"from: must be unix seconds, an ISO 8601 time (e.g. " \
	"2025-01-31T00:00:00Z) or a date (2025-01-31) within range"
	expect("must=1&from=yesterday", TIME_MSG);
	expect("must=1&from=2025-01-06T10:00:00", TIME_MSG);
	expect("must=1&from=2025-02-30", TIME_MSG);
	expect("must=1&from=2025-1-6", TIME_MSG);
	expect("must=1&from=2100-01-02", TIME_MSG);	/* past max */
	expect("must=1&from=1969-12-31", TIME_MSG);
	expect("must=1&colour=red", "colour: unknown parameter");
	expect("must=1&limit=1&limit=2", "limit: given more than once");
	expect("limit=5", "must: required");
	expect("must=1&x%27%3B+DROP+TABLE+casts%3B--=1",
	    "x'; DROP TABLE casts;--: unknown parameter");
}

int
test_param_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("param", NULL, NULL)) == NULL ||
	    CU_add_test(s, "valid values become typed values", test_good) == NULL ||
	    CU_add_test(s, "each bad value names its parameter", test_bad) == NULL ||
	    CU_add_test(s, "a bare date is a day", test_date) == NULL ||
	    CU_add_test(s, "a declared field may repeat", test_repeat) == NULL)
		return -1;
	return 0;
}
