#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/speed.h"
#include "tests.h"

/* The trend of speed's percent and sentence (reply/speed.h). */

static void
test_speed_percent(void)
{
	int	 pct;

	/* 15 min then 12.3 min: 18 % faster. */
	CU_ASSERT_EQUAL(speed_percent(738, 900, &pct), -1);
	CU_ASSERT_EQUAL(pct, 18);
	CU_ASSERT_EQUAL(speed_percent(1200, 1000, &pct), 1);
	CU_ASSERT_EQUAL(pct, 20);
	/* 0.4 % rounds to no change. */
	CU_ASSERT_EQUAL(speed_percent(1004, 1000, &pct), 0);
	CU_ASSERT_EQUAL(pct, 0);
	CU_ASSERT_EQUAL(speed_percent(1005, 1000, &pct), 1);
	CU_ASSERT_EQUAL(pct, 1);
	/* Twice as slow is 100 % slower; a tenth is 90 % faster. */
	CU_ASSERT_EQUAL(speed_percent(200, 100, &pct), 1);
	CU_ASSERT_EQUAL(pct, 100);
	CU_ASSERT_EQUAL(speed_percent(10, 100, &pct), -1);
	CU_ASSERT_EQUAL(pct, 90);
	/* From a median of 0 no ratio exists. */
	CU_ASSERT_EQUAL(speed_percent(30, 0, &pct), 2);
	CU_ASSERT_EQUAL(speed_percent(0, 0, &pct), 0);
}

static void
test_speed_sentence(void)
{
	struct speed_period	 cur = { 0, 0, 40, 20, 26, 738, 4000 };
	struct speed_period	 prev = { 0, 0, 50, 10, 29, 900, 5000 };
	char			 s[256];

	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &cur, &prev,
	    SPEED_MONTH), 1);
	CU_ASSERT_STRING_EQUAL(s, "You answered 18 % faster than last "
	    "month. Within your goal: 65 %, last month 58 %.");
	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &prev, &cur,
	    SPEED_WEEK), 1);
	CU_ASSERT_STRING_EQUAL(s, "You answered 22 % slower than last "
	    "week. Within your goal: 58 %, last week 65 %.");
	cur.median = 901;
	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &cur, &prev,
	    SPEED_WEEK), 1);
	CU_ASSERT_STRING_EQUAL(s, "You answered about as fast as last "
	    "week. Within your goal: 65 %, last week 58 %.");
	prev.median = 0;
	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &cur, &prev,
	    SPEED_WEEK), 1);
	CU_ASSERT(strncmp(s, "You answered slower than last week.", 35) == 0);
	/* Too little data in either period: no sentence. */
	prev.ans = SPEED_MIN_ANSWERED - 1;
	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &cur, &prev,
	    SPEED_WEEK), 0);
	prev.ans = SPEED_MIN_ANSWERED;
	cur.ans = 0;
	CU_ASSERT_EQUAL(speed_sentence(s, sizeof(s), &cur, &prev,
	    SPEED_WEEK), 0);
	cur.ans = SPEED_MIN_ANSWERED;
	/* Truncation is an error, not a shorter sentence. */
	CU_ASSERT_EQUAL(speed_sentence(s, 20, &cur, &prev, SPEED_WEEK), -1);
}

static void
test_speed_periods(void)
{
	struct speed_trend	 t;

	speed_init(&t, 10000000);
	CU_ASSERT_EQUAL(t.p[0].to, 10000000);
	CU_ASSERT_EQUAL(t.p[0].from, 10000000 - 7 * 86400);
	CU_ASSERT_EQUAL(t.p[1].to, t.p[0].from);
	CU_ASSERT_EQUAL(t.p[1].from, 10000000 - 14 * 86400);
	CU_ASSERT_EQUAL(t.p[2].from, 10000000 - 30 * 86400);
	CU_ASSERT_EQUAL(t.p[3].to, t.p[2].from);
	CU_ASSERT_EQUAL(speed_from(&t), 10000000 - 60 * 86400);
}

int
test_speed_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("speed", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "percent change of a median", test_speed_percent) ==
	    NULL ||
	    CU_add_test(s, "the sentence, and none on too little data",
	    test_speed_sentence) == NULL ||
	    CU_add_test(s, "periods end at the evaluation time",
	    test_speed_periods) == NULL)
		return -1;
	return 0;
}
