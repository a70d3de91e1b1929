#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/cursor.h"
#include "tests.h"

#define H_LOW	"0x00112233445566778899aabbccddeeff00112233"
#define H_UP	"0x00112233445566778899AABBCCDDEEFF00112233"

static void
test_parse_ok(void)
{
	struct cursor	 c;

	CU_ASSERT_EQUAL_FATAL(cursor_parse("1714564800-" H_LOW, &c), 0);
	CU_ASSERT_EQUAL(c.ts, 1714564800);
	CU_ASSERT_STRING_EQUAL(c.hash, H_LOW);
	/* Either case in, lower case out. */
	CU_ASSERT_EQUAL_FATAL(cursor_parse("0-" H_UP, &c), 0);
	CU_ASSERT_EQUAL(c.ts, 0);
	CU_ASSERT_STRING_EQUAL(c.hash, H_LOW);
	CU_ASSERT_EQUAL_FATAL(cursor_parse("4102444800-" H_LOW, &c), 0);
	CU_ASSERT_EQUAL(c.ts, CURSOR_MAX_TIME);
}

static void
test_parse_malformed(void)
{
	static const char *const bad[] = {
		"", "-", "1714564800", "1714564800-", "-" H_LOW,
		"-1-" H_LOW,			/* a sign */
		"+1-" H_LOW, " 1-" H_LOW, "1 -" H_LOW,
		"4102444801-" H_LOW,		/* after 2100 */
		"99999999999999999999-" H_LOW,	/* past int64 */
		"123456789012345678901-" H_LOW,	/* 21 digits */
		"1x-" H_LOW, "0x10-" H_LOW,
		"1-" H_LOW "0",			/* 41 hex digits */
		"1-0x00112233445566778899aabbccddeeff0011223",
		"1-1x00112233445566778899aabbccddeeff00112233",
		"1-0x00112233445566778899aabbccddeeff0011223g",
		"1-" H_LOW " ", "1-" H_LOW "-", "1--" H_LOW,
		"1-0X00112233445566778899aabbccddeeff00112233",
	};
	struct cursor	 c;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.ts = 42;
		snprintf(c.hash, sizeof(c.hash), "kept");
		CU_ASSERT_EQUAL(cursor_parse(bad[i], &c), -1);
		CU_ASSERT_EQUAL(c.ts, 42);
		CU_ASSERT_STRING_EQUAL(c.hash, "kept");
	}
	CU_ASSERT_EQUAL(cursor_parse(NULL, &c), -1);
}

static void
test_format(void)
{
	char		 out[CURSOR_SIZE], small[12];
	struct cursor	 c;

	CU_ASSERT_EQUAL(cursor_format(1714564800, H_UP, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1714564800-" H_LOW);
	CU_ASSERT_EQUAL(cursor_format(CURSOR_MAX_TIME, H_LOW, out,
	    sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "4102444800-" H_LOW);
	/* What it writes, parse takes back. */
	CU_ASSERT_EQUAL_FATAL(cursor_parse(out, &c), 0);
	CU_ASSERT_EQUAL(c.ts, CURSOR_MAX_TIME);
	CU_ASSERT_STRING_EQUAL(c.hash, H_LOW);
	/* Nothing it could not take back. */
	CU_ASSERT_EQUAL(cursor_format(-1, H_LOW, out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_EQUAL(cursor_format(CURSOR_MAX_TIME + 1, H_LOW, out,
	    sizeof(out)), -1);
	CU_ASSERT_EQUAL(cursor_format(1, "0xabc", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(cursor_format(1, NULL, out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, "");
	/* A short buffer is an error, not a cut cursor. */
	CU_ASSERT_EQUAL(cursor_format(1, H_LOW, small, sizeof(small)), -1);
	CU_ASSERT_STRING_EQUAL(small, "");
	CU_ASSERT_EQUAL(cursor_format(1, H_LOW, out, strlen("1-" H_LOW)), -1);
	CU_ASSERT_EQUAL(cursor_format(1, H_LOW, out, strlen("1-" H_LOW) + 1),
	    0);
}

static void
test_prio(void)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2." , "0.5.1-" H_LOW,	/* now is at least 1 */
		"1.1000001.1-" H_LOW,		/* score out of range */
		"1.-1000001.1-" H_LOW, "1..1-" H_LOW, ".1.1-" H_LOW,
		"1.+5.1-" H_LOW, "1.5.1.1-" H_LOW, "1.5.-1-" H_LOW,
		"4102444801.5.1-" H_LOW, "1.5.1-0x12", "1-" H_LOW,
		"1.5.1-" H_LOW " ", "1. 5.1-" H_LOW,
	};
	struct cursor_prio	 c, d;
	char			 out[CURSOR_PRIO_SIZE], small[8];
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(cursor_prio_parse("1714564800.-160.1714500000-"
	    H_UP, &c), 0);
	CU_ASSERT_EQUAL(c.now, 1714564800);
	CU_ASSERT_EQUAL(c.score, -160);
	CU_ASSERT_EQUAL(c.at.ts, 1714500000);
	CU_ASSERT_STRING_EQUAL(c.at.hash, H_LOW);
	CU_ASSERT_EQUAL_FATAL(cursor_prio_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1714564800.-160.1714500000-" H_LOW);
	CU_ASSERT_EQUAL_FATAL(cursor_prio_parse(out, &d), 0);
	CU_ASSERT(d.now == c.now && d.score == c.score && d.at.ts == c.at.ts);
	CU_ASSERT_STRING_EQUAL(d.at.hash, c.at.hash);
	/* The oldest-first parser refuses it, and this one refuses that. */
	CU_ASSERT_EQUAL(cursor_parse(out, &d.at), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.now = 7;
		CU_ASSERT_EQUAL(cursor_prio_parse(bad[i], &d), -1);
		CU_ASSERT_EQUAL(d.now, 7);	/* left alone */
	}
	CU_ASSERT_EQUAL(cursor_prio_parse(NULL, &d), -1);
	/* Largest values fit CURSOR_PRIO_SIZE; a short buffer is an error. */
	c.now = CURSOR_MAX_TIME;
	c.score = -CURSOR_MAX_SCORE;
	c.at.ts = CURSOR_MAX_TIME;
	CU_ASSERT_EQUAL(cursor_prio_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(cursor_prio_format(&c, small, sizeof(small)), -1);
	CU_ASSERT_STRING_EQUAL(small, "");
	c.score = CURSOR_MAX_SCORE + 1;
	CU_ASSERT_EQUAL(cursor_prio_format(&c, out, sizeof(out)), -1);
	c.score = 0;
	c.now = 0;
	CU_ASSERT_EQUAL(cursor_prio_format(&c, out, sizeof(out)), -1);
}

int
test_cursor_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("cursor", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "parse", test_parse_ok) == NULL ||
	    CU_add_test(s, "parse malformed", test_parse_malformed) == NULL ||
	    CU_add_test(s, "format", test_format) == NULL ||
	    CU_add_test(s, "priority cursor", test_prio) == NULL)
		return -1;
	return 0;
}
