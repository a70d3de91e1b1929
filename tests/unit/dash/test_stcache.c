#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "dash/stcache.h"
#include "tests.h"

/* Keeps an answer holding pct under (fid, what), made at at. */
static void
stc_keep(int64_t fid, int what, int pct, long long at)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "faster_than_percent",
	    json_object_new_int(pct));
	stc_put(fid, what, o, at);
	json_object_put(o);
}

/* The pct of the answer under (fid, what) at now (standing's time), or -1. */
static int
stc_pct(int64_t fid, int what, long long now)
{
	struct json_object	*o, *v;
	int			 pct = -1;

	if ((o = stc_get(fid, what, now, STC_STANDING_S)) == NULL)
		return -1;
	if (json_object_object_get_ex(o, "faster_than_percent", &v))
		pct = json_object_get_int(v);
	json_object_put(o);
	return pct;
}

/* Kept for its time under (fid, what); the cache holds its own reference. */
static void
test_stc_keep(void)
{
	stc_keep(7, 30, 40, 1000);
	CU_ASSERT_EQUAL(stc_pct(7, 30, 1000), 40);
	CU_ASSERT_EQUAL(stc_pct(7, 30, 1000 + STC_STANDING_S - 1), 40);
	CU_ASSERT_EQUAL(stc_pct(7, 30, 1000 + STC_STANDING_S), -1);
	CU_ASSERT_EQUAL(stc_pct(7, 7, 1000), -1);
	CU_ASSERT_EQUAL(stc_pct(8, 30, 1000), -1);
	CU_ASSERT_PTR_NULL(stc_get(7, STC_NO_IMPORT, 1000, STC_IMPORT_S));
	/* A shorter time for another kind of answer. */
	CU_ASSERT_PTR_NULL(stc_get(7, 30, 1000 + STC_IMPORT_S, STC_IMPORT_S));
	/* A clock that went back never serves an answer. */
	CU_ASSERT_EQUAL(stc_pct(7, 30, 999), -1);
	/* A newer answer replaces the older. */
	stc_keep(7, 30, 55, 1010);
	CU_ASSERT_EQUAL(stc_pct(7, 30, 1011), 55);
	stc_clear();
	CU_ASSERT_EQUAL(stc_pct(7, 30, 1011), -1);
}

/* Two keys of one slot: the later wins, the earlier misses, never the other's answer. */
static void
test_stc_collide(void)
{
	int64_t	 a = 1, b = 1 + STC_ENTRIES;

	stc_keep(a, 30, 10, 50);
	stc_keep(b, 30, 20, 50);
	CU_ASSERT_EQUAL(stc_pct(a, 30, 50), -1);
	CU_ASSERT_EQUAL(stc_pct(b, 30, 50), 20);
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
