#include <string.h>

#include <CUnit/CUnit.h>

#include "auth/policy.h"
#include "core/throttle.h"
#include "tests.h"

static void
test_next(void)
{
	char	 longp[POLICY_NEXT_MAX + 2];

	CU_ASSERT_TRUE(policy_next_ok("/"));
	CU_ASSERT_TRUE(policy_next_ok("/inbox?tab=2&x=%2F"));
	CU_ASSERT_FALSE(policy_next_ok(NULL));
	CU_ASSERT_FALSE(policy_next_ok(""));
	CU_ASSERT_FALSE(policy_next_ok("inbox"));
	CU_ASSERT_FALSE(policy_next_ok("//evil.example/"));
	CU_ASSERT_FALSE(policy_next_ok("/\\evil.example"));
	CU_ASSERT_FALSE(policy_next_ok("/a\\b"));
	CU_ASSERT_FALSE(policy_next_ok("https://evil.example/"));
	CU_ASSERT_FALSE(policy_next_ok("/a\r\nSet-Cookie: x=1"));
	CU_ASSERT_FALSE(policy_next_ok("/a b"));
	CU_ASSERT_FALSE(policy_next_ok("/\t/evil"));
	CU_ASSERT_FALSE(policy_next_ok("/\xc3\xa9"));
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[POLICY_NEXT_MAX] = '\0';
	CU_ASSERT_TRUE(policy_next_ok(longp));
	longp[POLICY_NEXT_MAX] = 'a';
	longp[POLICY_NEXT_MAX + 1] = '\0';
	CU_ASSERT_FALSE(policy_next_ok(longp));
}

static void
test_backoff(void)
{
	/* Three free failures, 500 ms, at most 900 s. */
	CU_ASSERT_EQUAL(throttle_backoff_ms(0, 3, 500, 900), 0);
	CU_ASSERT_EQUAL(throttle_backoff_ms(2, 3, 500, 900), 0);
	CU_ASSERT_EQUAL(throttle_backoff_ms(3, 3, 500, 900), 500);
	CU_ASSERT_EQUAL(throttle_backoff_ms(4, 3, 500, 900), 1000);
	CU_ASSERT_EQUAL(throttle_backoff_ms(5, 3, 500, 900), 2000);
	CU_ASSERT_EQUAL(throttle_backoff_ms(13, 3, 500, 900), 512000);
	CU_ASSERT_EQUAL(throttle_backoff_ms(14, 3, 500, 900), 900000);
	/* Far past the cap: no overflow. */
	CU_ASSERT_EQUAL(throttle_backoff_ms(1000000, 3, 500, 900), 900000);
	CU_ASSERT_EQUAL(throttle_backoff_ms(200, 0, 600000, 86400), 86400000);
	/* No free failures: the first already locks. */
	CU_ASSERT_EQUAL(throttle_backoff_ms(1, 0, 1000, 900), 1000);
	CU_ASSERT_EQUAL(throttle_backoff_ms(2, 0, 1000, 900), 2000);
	/* A first step above the cap is the cap. */
	CU_ASSERT_EQUAL(throttle_backoff_ms(3, 3, 5000, 2), 2000);
}

static void
test_retry(void)
{
	CU_ASSERT_EQUAL(throttle_retry_s(0), 1);
	CU_ASSERT_EQUAL(throttle_retry_s(1), 1);
	CU_ASSERT_EQUAL(throttle_retry_s(1000), 1);
	CU_ASSERT_EQUAL(throttle_retry_s(1001), 2);
	CU_ASSERT_EQUAL(throttle_retry_s(2000), 2);
	CU_ASSERT_EQUAL(throttle_retry_s(900000), 900);
}

int
test_policy_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("policy", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "next path", test_next) == NULL ||
	    CU_add_test(s, "back-off", test_backoff) == NULL ||
	    CU_add_test(s, "retry-after", test_retry) == NULL)
		return -1;
	return 0;
}
