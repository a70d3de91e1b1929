#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/standing.h"
#include "tests.h"

/* Where I stand: the windows and the sentence (reply/standing.h). */

static void
test_standing_windows(void)
{
	CU_ASSERT_EQUAL(standing_window_ok(7), 1);
	CU_ASSERT_EQUAL(standing_window_ok(30), 1);
	CU_ASSERT_EQUAL(standing_window_ok(90), 1);
	CU_ASSERT_EQUAL(standing_window_ok(14), 0);
	CU_ASSERT_EQUAL(standing_window_ok(0), 0);
}

static void
test_standing_sentence(void)
{
	char	 s[256];

	CU_ASSERT_EQUAL(standing_sentence(s, sizeof(s), 72, 24, 30), 0);
	CU_ASSERT_STRING_EQUAL(s, "Over the last 30 days your median reply "
	    "time was faster than 72 % of the other 24 people on this "
	    "instance with at least 30 casts to answer.");
	CU_ASSERT_EQUAL(standing_sentence(s, 40, 72, 24, 30), -1);
}

int
test_standing_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("standing", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "windows of 7, 30 and 90 days",
	    test_standing_windows) == NULL ||
	    CU_add_test(s, "the sentence; truncation is an error",
	    test_standing_sentence) == NULL)
		return -1;
	return 0;
}
