#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "core/csv.h"
#include "tests.h"

/* The cell csv_text writes for s. */
static void
text_is(const char *s, const char *want)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(csv_text(&b, s, strlen(s)), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), want);
	buf_free(&b);
}

static void
int_is(int64_t v, const char *want)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(csv_int(&b, v), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), want);
	buf_free(&b);
}

/* OWASP: every text cell that starts a formula gets a leading quote. */
static void
test_formula(void)
{
	text_is("=1+1", "\"'=1+1\"");
	text_is("+1+1", "\"'+1+1\"");
	text_is("-1+1", "\"'-1+1\"");
	text_is("@SUM(A1)", "\"'@SUM(A1)\"");
	text_is("\tx", "\"'\tx\"");
	text_is("\r=1", "\"'\r=1\"");
	/* The bypass of the old guard: '-' and a digit. */
	text_is("-1+cmd|' /C calc'!A0", "\"'-1+cmd|' /C calc'!A0\"");
	text_is("-", "\"'-\"");
	text_is("-5", "\"'-5\"");		/* text that looks like a number */
	text_is("=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	/* Only the first character counts. */
	text_is("a=1", "a=1");
	text_is("1-2", "1-2");
	text_is(" =1", " =1");
}

/* RFC 4180: quoted when the cell holds , " CR or LF; quotes doubled. */
static void
test_quote(void)
{
	text_is("", "");
	text_is("plain text", "plain text");
	text_is("a,b", "\"a,b\"");
	text_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	text_is("\"", "\"\"\"\"");
	text_is("two\nlines", "\"two\nlines\"");
	text_is("cr\rhere", "\"cr\rhere\"");
	text_is("tab\tinside", "tab\tinside");
	text_is("caf\xc3\xa9", "caf\xc3\xa9");
}

/* Numbers come from typed values and are written as they are. */
static void
test_int(void)
{
	int_is(0, "0");
	int_is(42, "42");
	int_is(-1, "-1");
	int_is(-3600, "-3600");
	int_is(INT64_MAX, "9223372036854775807");
	int_is(INT64_MIN, "-9223372036854775808");
}

static void
test_row(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(csv_text(&b, "-2", 2), 0);
	CU_ASSERT_EQUAL(csv_end(&b, 0), 0);
	CU_ASSERT_EQUAL(csv_int(&b, -2), 0);
	CU_ASSERT_EQUAL(csv_end(&b, 0), 0);
	CU_ASSERT_EQUAL(csv_end(&b, 0), 0);	/* an empty cell */
	CU_ASSERT_EQUAL(csv_text(&b, "a,b", 3), 0);
	CU_ASSERT_EQUAL(csv_end(&b, 1), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "\"'-2\",-2,,\"a,b\"\n");
	buf_free(&b);
}

/* A buffer that cannot grow fails the cell. */
static void
test_full(void)
{
	struct buf	 b;

	buf_init(&b, 4);
	CU_ASSERT_EQUAL(csv_text(&b, "abc", 3), 0);
	CU_ASSERT_EQUAL(csv_text(&b, "=x", 2), -1);
	buf_reset(&b);
	CU_ASSERT_EQUAL(csv_text(&b, "a\"b", 3), -1);
	buf_reset(&b);
	CU_ASSERT_EQUAL(csv_int(&b, 123456), -1);
	buf_free(&b);
}

int
test_csv_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("csv", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "formula guard", test_formula) == NULL ||
	    CU_add_test(s, "quoting", test_quote) == NULL ||
	    CU_add_test(s, "numbers", test_int) == NULL ||
	    CU_add_test(s, "row", test_row) == NULL ||
	    CU_add_test(s, "buffer full", test_full) == NULL)
		return -1;
	return 0;
}
