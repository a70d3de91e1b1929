#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "dash/stcache.h"
#include "tests.h"

static struct json_object *
stc_answer(int pct)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "faster_than_percent",
	    json_object_new_int(pct));
	return o;
}

static int
stc_pct(struct json_object *o)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, "faster_than_percent", &v) ?
	    json_object_get_int(v) : -1;
}

/* Kept for its time under (fid, what); the cache holds its own reference. */
static void
test_stc_keep(void)
{
	struct json_object	*o, *g;

	o = stc_answer(40);
	stc_put(7, 30, o, 1000);
	json_object_put(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g = stc_get(7, 30, 1000, STC_STANDING_S));
	CU_ASSERT_EQUAL(stc_pct(g), 40);
	json_object_put(g);
	g = stc_get(7, 30, 1000 + STC_STANDING_S - 1, STC_STANDING_S);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	json_object_put(g);
	CU_ASSERT_PTR_NULL(stc_get(7, 30, 1000 + STC_STANDING_S, STC_STANDING_S));
	CU_ASSERT_PTR_NULL(stc_get(7, 7, 1000, STC_STANDING_S));
	CU_ASSERT_PTR_NULL(stc_get(7, STC_NO_IMPORT, 1000, STC_IMPORT_S));
	/* A shorter time for another kind of answer. */
	CU_ASSERT_PTR_NULL(stc_get(7, 30, 1000 + STC_IMPORT_S, STC_IMPORT_S));
	CU_ASSERT_PTR_NULL(stc_get(8, 30, 1000, STC_STANDING_S));
	/* A clock that went back never serves an answer. */
	CU_ASSERT_PTR_NULL(stc_get(7, 30, 999, STC_STANDING_S));
	/* A newer answer replaces the older. */
	o = stc_answer(55);
	stc_put(7, 30, o, 1010);
	json_object_put(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g = stc_get(7, 30, 1011, STC_STANDING_S));
	CU_ASSERT_EQUAL(stc_pct(g), 55);
	json_object_put(g);
	stc_clear();
	CU_ASSERT_PTR_NULL(stc_get(7, 30, 1011, STC_STANDING_S));
}

/* Two keys of one slot: the later wins, the earlier is a miss, never the other's answer. */
static void
test_stc_collide(void)
{
	struct json_object	*o, *g;
	int64_t			 a = 1, b = 1 + STC_ENTRIES;

	o = stc_answer(10);
	stc_put(a, 30, o, 50);
	json_object_put(o);
	o = stc_answer(20);
	stc_put(b, 30, o, 50);
	json_object_put(o);
	CU_ASSERT_PTR_NULL(stc_get(a, 30, 50, STC_STANDING_S));
	CU_ASSERT_PTR_NOT_NULL_FATAL(g = stc_get(b, 30, 50, STC_STANDING_S));
	CU_ASSERT_EQUAL(stc_pct(g), 20);
	json_object_put(g);
	stc_clear();
}

int
test_stcache_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("stcache", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "kept for its time, per fid and window",
	    test_stc_keep) == NULL ||
	    CU_add_test(s, "a shared slot", test_stc_collide) == NULL)
		return -1;
	return 0;
}
