#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/throttle.h"
#include "tests.h"

/* 3 free failures, then 1 s doubling up to 8 s; counters live 60 s. */
static int
throttle_suite_init(void)
{
	throttle_local_clear();
	return throttle_init(3, 1000, 8, 60);
}

/* Parallel guesses: the 4th attempt already waits, whatever the timing. */
static void
test_free_then_locked(void)
{
	struct throttle_ticket	 t;

	throttle_local_clear();
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 1000);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1400, &t), 600);
	/* After the lock: one more attempt, then twice as long. */
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 2000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 2000, &t), 2000);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 4000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 4000, &t), 4000);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 8000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 8000, &t), 8000);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 16000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 16000, &t), 8000);
	/* The account is locked from another address too. */
	CU_ASSERT_EQUAL(throttle_local_admit("u", "b", 16000, &t), 8000);
}

/* The address counts across accounts; the account across addresses. */
static void
test_address(void)
{
	struct throttle_ticket	 t;

	throttle_local_clear();
	CU_ASSERT_EQUAL(throttle_local_admit("u1", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u2", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u3", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u4", "a", 1000, &t), 1000);
	CU_ASSERT_EQUAL(throttle_local_admit("u4", "b", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u4", NULL, 1000, &t), 0);
}

/* A right password: the account afresh, the address's charge given back. */
static void
test_forgive(void)
{
	struct throttle_ticket	 t;

	throttle_local_clear();
	CU_ASSERT_EQUAL(throttle_local_admit("x", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("y", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	throttle_local_forgive(&t, 1000);
	/* The lock this attempt set is gone; the address is at 2 again. */
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("z", "a", 1000, &t), 1000);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "b", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "b", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "b", 1000, &t), 1000);
}

/* Counters older than their lifetime start again. */
static void
test_expiry(void)
{
	struct throttle_ticket	 t;

	throttle_local_clear();
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 62001, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u", "a", 62001, &t), 0);
}

/* The table stays bounded; the newest entries stay, the oldest go. */
static void
test_bounded(void)
{
	struct throttle_ticket	 t;
	char			 u[32];
	int			 i;

	throttle_local_clear();
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(throttle_local_admit("victim", "v", 1000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("victim", "v", 1001, &t), 999);
	for (i = 0; i < 3 * THROTTLE_LOCAL_MAX; i++) {
		snprintf(u, sizeof(u), "u%d", i);
		(void)throttle_local_admit(u, u, 2000 + i, &t);
	}
	/* Evicted: the fallback forgets, it never grows. */
	CU_ASSERT_EQUAL(throttle_local_admit("victim", "v", 9000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u1535", "u1535", 9000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u1535", "u1535", 9000, &t), 0);
	CU_ASSERT_EQUAL(throttle_local_admit("u1535", "u1535", 9000, &t), 1000);
}

int
test_throttle_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("throttle", throttle_suite_init, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "free failures, then locked", test_free_then_locked) == NULL ||
	    CU_add_test(s, "per address", test_address) == NULL ||
	    CU_add_test(s, "forgive", test_forgive) == NULL ||
	    CU_add_test(s, "expiry", test_expiry) == NULL ||
	    CU_add_test(s, "bounded", test_bounded) == NULL)
		return -1;
	return 0;
}
