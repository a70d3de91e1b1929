#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/fnv.h"
#include "tests.h"

/* The published FNV-1a 64-bit values of three strings. */
static void
test_published(void)
{
	CU_ASSERT_EQUAL(fnv_str(FNV_BASIS, ""), 0xcbf29ce484222325ULL);
	CU_ASSERT_EQUAL(fnv_str(FNV_BASIS, "a"), 0xaf63dc4c8601ec8cULL);
	CU_ASSERT_EQUAL(fnv_str(FNV_BASIS, "foobar"), 0x85944171f73967e8ULL);
	CU_ASSERT_EQUAL(fnv_bytes(FNV_BASIS, "foobar", 6), 0x85944171f73967e8ULL);
}

/* Chained calls equal one call over the concatenation. */
static void
test_chained(void)
{
	uint64_t	 v = 0x0102030405060708ULL;
	unsigned char	 all[8 + 3];

	memcpy(all, &v, sizeof(v));
	memcpy(all + 8, "key", 3);
	CU_ASSERT_EQUAL(fnv_str(fnv_u64(FNV_BASIS, v), "key"),
	    fnv_bytes(FNV_BASIS, all, sizeof(all)));
	CU_ASSERT_EQUAL(fnv_bytes(fnv_str(FNV_BASIS, "foo"), "bar", 3),
	    fnv_str(FNV_BASIS, "foobar"));
}

int
test_fnv_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("fnv", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "published values", test_published) == NULL ||
	    CU_add_test(s, "chained", test_chained) == NULL)
		return -1;
	return 0;
}
