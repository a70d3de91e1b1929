#include <string.h>

#include <CUnit/CUnit.h>

#include "dash/when.h"
#include "tests.h"

static void
range_is(const char *a, const char *b, const char *want, const char *between)
{
	struct when_day	 x, y;
	char		 s[64];

	CU_ASSERT_EQUAL_FATAL(when_parse(a, &x), 0);
	CU_ASSERT_EQUAL_FATAL(when_parse(b, &y), 0);
	CU_ASSERT_EQUAL(when_range(s, sizeof(s), &x, &y), 0);
	CU_ASSERT_STRING_EQUAL(s, want);
	CU_ASSERT_EQUAL(when_between(s, sizeof(s), &x, &y), 0);
	CU_ASSERT_STRING_EQUAL(s, between);
}

static void
test_when_range(void)
{
	range_is("2026-11-01", "2026-11-30", "1–30 Nov 2026",
	    "between 1 and 30 Nov 2026");
	range_is("2025-01-06", "2025-01-06", "6 Jan 2025", "on 6 Jan 2025");
	/* A month boundary: both months named, the year once. */
	range_is("2026-10-28", "2026-11-03", "28 Oct – 3 Nov 2026",
	    "between 28 Oct and 3 Nov 2026");
	range_is("2026-01-31", "2026-02-01", "31 Jan – 1 Feb 2026",
	    "between 31 Jan and 1 Feb 2026");
	/* A year boundary: both years. */
	range_is("2025-12-28", "2026-01-03", "28 Dec 2025 – 3 Jan 2026",
	    "between 28 Dec 2025 and 3 Jan 2026");
	/* The same month of two years is not the same month. */
	range_is("2025-11-01", "2026-11-30", "1 Nov 2025 – 30 Nov 2026",
	    "between 1 Nov 2025 and 30 Nov 2026");
	range_is("2024-02-29", "2024-02-29", "29 Feb 2024", "on 29 Feb 2024");
}

static void
test_when_bad(void)
{
	struct when_day	 x = { 2026, 11, 1 }, y = { 2026, 11, 30 };
	char		 s[64];

	CU_ASSERT_EQUAL(when_parse("2026-13-01", &x), -1);
	CU_ASSERT_EQUAL(when_parse("2026-11-1", &x), -1);
	CU_ASSERT_EQUAL(when_parse("2026/11/01", &x), -1);
	CU_ASSERT_EQUAL(when_parse("0000-01-01", &x), -1);
	CU_ASSERT_EQUAL(when_parse(NULL, &x), -1);
	x = (struct when_day){ 2026, 11, 1 };
	/* Too small a buffer: -1, never a cut string. */
	CU_ASSERT_EQUAL(when_range(s, 8, &x, &y), -1);
	CU_ASSERT_EQUAL(when_range(s, 14, &x, &y), -1);
	CU_ASSERT_EQUAL(when_range(s, 16, &x, &y), 0);
	y.m = 0;
	CU_ASSERT_EQUAL(when_range(s, sizeof(s), &x, &y), -1);
}

int
test_when_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("when", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "range in words", test_when_range) == NULL ||
	    CU_add_test(s, "bad input", test_when_bad) == NULL)
		return -1;
	return 0;
}
