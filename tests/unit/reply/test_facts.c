#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "reply/facts.h"
#include "tests.h"

/*
 * The read model's refusals, which need no data: the figures themselves
 * are held against the SQL engine on a real PostgreSQL by
 * tests/diff/facts_diff.c (tests/integration/t_60_facts_diff.sh).  The db
 * points at a socket folder that does not exist.
 */
static struct db		*fdb;
static struct facts_cache	*fc;
static int			 stderr_saved = -1;

static int
facts_setup(void)
{
	if ((stderr_saved = dup(STDERR_FILENO)) == -1 ||
	    log_open("/dev/null") == -1)
		return -1;
	fdb = db_new("host=/nonexistent-rc-test dbname=x user=x", 1, 1000, 0);
	fc = facts_cache_new(1 << 20);
	return fdb == NULL || fc == NULL ? -1 : 0;
}

static int
facts_teardown(void)
{
	facts_cache_free(fc);
	db_free(fdb);
	dup2(stderr_saved, STDERR_FILENO);
	close(stderr_saved);
	return 0;
}

static const struct eng_q q = { 1000, 0, 2000000000, NULL, 0 };

/* Version 0 (Redis did not say) is never served, and the db is not asked. */
static void
test_noversion(void)
{
	struct facts_stats	 st;
	enum facts_rc		 why = FACTS_OK;

	CU_ASSERT_PTR_NULL(facts_summary(fc, NULL, &q, 0, &why));
	CU_ASSERT_EQUAL(why, FACTS_NOVERSION);
	CU_ASSERT_PTR_NULL(facts_streak(fc, NULL, &q, -3, &why));
	CU_ASSERT_EQUAL(why, FACTS_NOVERSION);
	facts_cache_stats(fc, &st);
	CU_ASSERT(st.refused[FACTS_NOVERSION] >= 2);
	CU_ASSERT_EQUAL(st.loads, 0);
}

/* A database that cannot answer: nothing is cached, the next call asks again. */
static void
test_dberr(void)
{
	struct facts_stats	 st;
	enum facts_rc		 why = FACTS_OK;

	CU_ASSERT_PTR_NULL(facts_heatmap(fc, fdb, &q, 7, &why));
	CU_ASSERT_EQUAL(why, FACTS_DBERR);
	why = FACTS_OK;
	CU_ASSERT_PTR_NULL(facts_trend(fc, fdb, &q, 7, ENG_BUCKET_WEEK, &why));
	CU_ASSERT_EQUAL(why, FACTS_DBERR);
	facts_cache_stats(fc, &st);
	CU_ASSERT_EQUAL(st.entries, 0);
	CU_ASSERT_EQUAL(st.bytes, 0);
	CU_ASSERT(st.refused[FACTS_DBERR] >= 2);
}

/* What SQL refuses is left to SQL, before any load. */
static void
test_unsupported(void)
{
	enum facts_rc	 why = FACTS_OK;

	CU_ASSERT_PTR_NULL(facts_counterparts(fc, fdb, &q, 7, 0, -1, 0, &why));
	CU_ASSERT_EQUAL(why, FACTS_UNSUPPORTED);
	why = FACTS_OK;
	CU_ASSERT_PTR_NULL(facts_counterparts(fc, fdb, &q, 7, 0, 10, -5, &why));
	CU_ASSERT_EQUAL(why, FACTS_UNSUPPORTED);
	/* why may be NULL. */
	CU_ASSERT_PTR_NULL(facts_counterparts(fc, fdb, &q, 7, 0, -1, 0, NULL));
}

static void
test_names(void)
{
	CU_ASSERT_STRING_EQUAL(facts_rc_name(FACTS_OK), "ok");
	CU_ASSERT_STRING_EQUAL(facts_rc_name(FACTS_TOOBIG), "toobig");
	CU_ASSERT_STRING_EQUAL(facts_rc_name(FACTS_UNSUPPORTED), "unsupported");
	CU_ASSERT_STRING_EQUAL(facts_rc_name(FACTS__MAX), "unknown");
	facts_cache_free(NULL);
}

int
test_facts_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("facts", facts_setup, facts_teardown)) == NULL)
		return -1;
	if (CU_add_test(s, "version 0 is not served", test_noversion) == NULL ||
	    CU_add_test(s, "a database error caches nothing", test_dberr) == NULL ||
	    CU_add_test(s, "negative limit or offset go to SQL", test_unsupported) == NULL ||
	    CU_add_test(s, "outcome names", test_names) == NULL)
		return -1;
	return 0;
}
