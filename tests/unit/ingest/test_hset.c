#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ingest/hset.h"
#include "tests.h"

static void
hash_of(unsigned n, char out[43])
{
	snprintf(out, 43, "0x%040x", n);
}

static void
test_add_has(void)
{
	struct hset	*s;
	char		 h[43];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s = hset_new());
	hash_of(1, h);
	CU_ASSERT_FALSE(hset_has(s, h));
	CU_ASSERT_EQUAL(hset_add(s, h), 1);
	CU_ASSERT_EQUAL(hset_add(s, h), 0);
	CU_ASSERT_TRUE(hset_has(s, h));
	CU_ASSERT_EQUAL(hset_count(s), 1);
	CU_ASSERT_EQUAL(hset_add(s, "0x12"), -1);	/* not a hash */
	CU_ASSERT_FALSE(hset_has(s, ""));
	hset_clear(s);
	CU_ASSERT_FALSE(hset_has(s, h));
	CU_ASSERT_EQUAL(hset_count(s), 0);
	hset_free(s);
	hset_free(NULL);
}

/* Past several doublings every hash is still found exactly once. */
static void
test_growth(void)
{
	struct hset	*s;
	char		 h[43];
	unsigned	 i, added = 0, found = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s = hset_new());
	for (i = 0; i < 5000; i++) {
		hash_of(i * 7919u, h);
		added += hset_add(s, h) == 1;
	}
	for (i = 0; i < 5000; i++) {
		hash_of(i * 7919u, h);
		found += hset_has(s, h) && hset_add(s, h) == 0;
	}
	hash_of(1, h);
	CU_ASSERT_EQUAL(added, 5000);
	CU_ASSERT_EQUAL(found, 5000);
	CU_ASSERT_EQUAL(hset_count(s), 5000);
	CU_ASSERT_FALSE(hset_has(s, h));
	hset_free(s);
}

int
test_hset_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("hset", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "add/has/clear", test_add_has) == NULL ||
	    CU_add_test(s, "growth", test_growth) == NULL)
		return -1;
	return 0;
}
