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

/* The people list's keyset cursor: the three key kinds round-trip. */
static void
test_key(void)
{
	static const char *const bad[] = {
		"", "k", "k0d", "k5a.1.n", "k0x.1.n", "k0d.0.n", "k0d.1.",
		"k0d.1.nx", "k0d.1.f", "k0d.1.fnan", "k0d.1.finf", "k0d.1.f1e999",
		"k0d.1.f1 ", "k0d.1.f0x10", "k4a.1.tabc", "k4a.1.tABCD",
		"k4a.1.t00zz", "o50", "k0d.-1.n", "k0d.9007199254740993.n",
		"k0d.01x.n",
	};
	struct cursor_key	 c, d;
	char			 out[CURSOR_KEY_SIZE], small[8], big[300];
	size_t			 i;

	memset(&c, 0, sizeof(c));
	c.sort = 3;
	c.desc = 1;
	c.fid = 42;
	c.kind = CURSOR_KEY_FLOAT;
	snprintf(c.num, sizeof(c.num), "-0.3333333333333333");
	CU_ASSERT_EQUAL_FATAL(cursor_key_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "k3d.42.f-0.3333333333333333");
	CU_ASSERT_EQUAL_FATAL(cursor_key_parse(out, &d), 0);
	CU_ASSERT(d.sort == 3 && d.desc == 1 && d.fid == 42 &&
	    d.kind == CURSOR_KEY_FLOAT);
	CU_ASSERT_STRING_EQUAL(d.num, c.num);
	c.kind = CURSOR_KEY_NULL;
	c.desc = 0;
	CU_ASSERT_EQUAL_FATAL(cursor_key_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "k3a.42.n");
	CU_ASSERT_EQUAL_FATAL(cursor_key_parse(out, &d), 0);
	CU_ASSERT(d.kind == CURSOR_KEY_NULL && d.desc == 0);
	c.kind = CURSOR_KEY_TEXT;
	c.sort = 4;
	snprintf(c.hex, sizeof(c.hex), "c3a9");
	CU_ASSERT_EQUAL_FATAL(cursor_key_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "k4a.42.tc3a9");
	CU_ASSERT_EQUAL_FATAL(cursor_key_parse(out, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.hex, "c3a9");
	/* The empty name is a key too. */
	CU_ASSERT_EQUAL(cursor_key_parse("k4d.7.t", &d), 0);
	CU_ASSERT(d.kind == CURSOR_KEY_TEXT && d.hex[0] == '\0' && d.desc);
	/* The longest name key fits CURSOR_KEY_SIZE; one byte more does not parse. */
	memset(c.hex, 'a', 2 * CURSOR_KEY_TXT);
	c.hex[2 * CURSOR_KEY_TXT] = '\0';
	c.fid = INT64_C(1) << 53;
	CU_ASSERT_EQUAL(cursor_key_format(&c, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(cursor_key_parse(out, &d), 0);
	snprintf(big, sizeof(big), "k4a.1.t%0*d", 2 * CURSOR_KEY_TXT + 2, 0);
	CU_ASSERT_EQUAL(cursor_key_parse(big, &d), -1);
	CU_ASSERT_EQUAL(cursor_key_format(&c, small, sizeof(small)), -1);
	CU_ASSERT_STRING_EQUAL(small, "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.fid = 5;
		CU_ASSERT_EQUAL(cursor_key_parse(bad[i], &d), -1);
		CU_ASSERT_EQUAL(d.fid, 5);	/* left alone */
	}
	CU_ASSERT_EQUAL(cursor_key_parse(NULL, &d), -1);
	c.fid = 0;
	CU_ASSERT_EQUAL(cursor_key_format(&c, out, sizeof(out)), -1);
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
	    CU_add_test(s, "priority cursor", test_prio) == NULL ||
	    CU_add_test(s, "people keyset cursor", test_key) == NULL)
		return -1;
	return 0;
}
