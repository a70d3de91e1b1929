#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/valid.h"
#include "tests.h"

/* A value no validator would produce, to see that *out is left alone. */
#define SENTINEL_U	UINT64_C(0xdeadbeef)
#define SENTINEL_I	INT64_C(-424242)

static void
u64_ok(const char *s, uint64_t max, uint64_t want)
{
	uint64_t	 v = SENTINEL_U;

	CU_ASSERT_EQUAL(valid_u64(s, max, &v), 0);
	CU_ASSERT_EQUAL(v, want);
}

static void
u64_bad(const char *s, uint64_t max)
{
	uint64_t	 v = SENTINEL_U;

	CU_ASSERT_EQUAL(valid_u64(s, max, &v), -1);
	CU_ASSERT_EQUAL(v, SENTINEL_U);
}

static void
test_u64_accepts(void)
{
	u64_ok("0", 10, 0);
	u64_ok("7", 10, 7);
	u64_ok("10", 10, 10);
	u64_ok("007", 10, 7);
	u64_ok("18446744073709551615", UINT64_MAX, UINT64_MAX);
}

static void
test_u64_rejects(void)
{
	u64_bad(NULL, 100);
	u64_bad("", 100);
	u64_bad("-1", 100);
	u64_bad("+1", 100);
	u64_bad(" 1", 100);
	u64_bad("1 ", 100);
	u64_bad("1a", 100);
	u64_bad("0x10", 100);
	u64_bad("1.5", 100);
	u64_bad("11", 10);		/* above max */
	u64_bad("99999999999999999999", UINT64_MAX);	/* overflow */
	u64_bad("18446744073709551616", UINT64_MAX);	/* UINT64_MAX + 1 */
}

static void
i64_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t	 v = SENTINEL_I;

	CU_ASSERT_EQUAL(valid_i64(s, min, max, &v), 0);
	CU_ASSERT_EQUAL(v, want);
}

static void
i64_bad(const char *s, int64_t min, int64_t max)
{
	int64_t	 v = SENTINEL_I;

	CU_ASSERT_EQUAL(valid_i64(s, min, max, &v), -1);
	CU_ASSERT_EQUAL(v, SENTINEL_I);
}

static void
test_i64(void)
{
	i64_ok("0", -10, 10, 0);
	i64_ok("-10", -10, 10, -10);
	i64_ok("10", -10, 10, 10);
	i64_ok("-3", -10, 10, -3);
	i64_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	i64_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);

	i64_bad(NULL, -10, 10);
	i64_bad("", -10, 10);
	i64_bad("-", -10, 10);
	i64_bad("+1", -10, 10);
	i64_bad(" 1", -10, 10);
	i64_bad("- 1", -10, 10);
	i64_bad("--1", -10, 10);
	i64_bad("1x", -10, 10);
	i64_bad("-11", -10, 10);	/* below min */
	i64_bad("11", -10, 10);		/* above max */
	i64_bad("5", 6, 10);
	i64_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	i64_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
}

static void
size_ok(const char *s, uint64_t max, uint64_t want)
{
	uint64_t	 v = SENTINEL_U;

	CU_ASSERT_EQUAL(valid_size(s, max, &v), 0);
	CU_ASSERT_EQUAL(v, want);
}

static void
size_bad(const char *s, uint64_t max)
{
	uint64_t	 v = SENTINEL_U;

	CU_ASSERT_EQUAL(valid_size(s, max, &v), -1);
	CU_ASSERT_EQUAL(v, SENTINEL_U);
}

static void
test_size(void)
{
	size_ok("0", 100, 0);
	size_ok("512", 1000, 512);
	size_ok("64k", UINT64_MAX, 65536);
	size_ok("64K", UINT64_MAX, 65536);
	size_ok("2m", UINT64_MAX, 2097152);
	size_ok("2M", UINT64_MAX, 2097152);
	size_ok("1k", 1024, 1024);		/* exactly max */
	size_ok("1M", 1048576, 1048576);

	size_bad(NULL, 100);
	size_bad("", 100);
	size_bad("k", UINT64_MAX);
	size_bad("-1", UINT64_MAX);
	size_bad(" 1", UINT64_MAX);
	size_bad("1G", UINT64_MAX);
	size_bad("1kb", UINT64_MAX);
	size_bad("1kk", UINT64_MAX);
	size_bad("1 k", UINT64_MAX);
	size_bad("1025", 1024);
	size_bad("2k", 2047);
	size_bad("2M", 2097151);
	/* v * mul would wrap around 2^64. */
	size_bad("17592186044416M", UINT64_MAX);
	size_bad("18014398509481984k", UINT64_MAX);
	size_bad("99999999999999999999", UINT64_MAX);
}

static void
test_printable(void)
{
	CU_ASSERT_EQUAL(valid_printable("", 0), 0);
	CU_ASSERT_EQUAL(valid_printable("hello world", 11), 0);
	CU_ASSERT_EQUAL(valid_printable("hello world", 100), 0);
	CU_ASSERT_EQUAL(valid_printable("caf\xc3\xa9", 5), 0);	/* UTF-8 */
	CU_ASSERT_EQUAL(valid_printable("~!@#$%^&*()", 20), 0);

	CU_ASSERT_EQUAL(valid_printable(NULL, 10), -1);
	CU_ASSERT_EQUAL(valid_printable("hello world", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("a", 0), -1);
	CU_ASSERT_EQUAL(valid_printable("a\nb", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("a\rb", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("a\tb", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("\x01", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("\x1f", 10), -1);
	CU_ASSERT_EQUAL(valid_printable("a\x7f", 10), -1);
	CU_ASSERT_EQUAL(valid_printable(" ", 10), 0);		/* 0x20 is fine */
}

static void
test_hex(void)
{
	CU_ASSERT_EQUAL(valid_hex("", 0), 0);
	CU_ASSERT_EQUAL(valid_hex("0123456789abcdef", 16), 0);
	CU_ASSERT_EQUAL(valid_hex("ABCDEF", 6), 0);
	CU_ASSERT_EQUAL(valid_hex("aBcD", 4), 0);

	CU_ASSERT_EQUAL(valid_hex(NULL, 0), -1);
	CU_ASSERT_EQUAL(valid_hex("abc", 4), -1);	/* too short */
	CU_ASSERT_EQUAL(valid_hex("abcde", 4), -1);	/* too long */
	CU_ASSERT_EQUAL(valid_hex("abcg", 4), -1);
	CU_ASSERT_EQUAL(valid_hex("0x12", 4), -1);
	CU_ASSERT_EQUAL(valid_hex("ab d", 4), -1);
	CU_ASSERT_EQUAL(valid_hex("", 1), -1);
}

int
test_valid_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("valid", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "u64 accepts", test_u64_accepts) == NULL ||
	    CU_add_test(s, "u64 rejects", test_u64_rejects) == NULL ||
	    CU_add_test(s, "i64", test_i64) == NULL ||
	    CU_add_test(s, "size", test_size) == NULL ||
	    CU_add_test(s, "printable", test_printable) == NULL ||
	    CU_add_test(s, "hex", test_hex) == NULL)
		return -1;
	return 0;
}
