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

/* Ids in paths: one spelling per id, so one path per resource. */
static void
test_id(void)
{
	static const char *const bad[] = {
		"0", "00", "01000", "+1000", "-1000", " 1000", "1000 ", "1e3",
		"0x10", "", "1001", "18446744073709551616", "1000\n",
	};
	uint64_t	 v = SENTINEL_U;
	size_t		 i;

	CU_ASSERT_EQUAL(valid_id("1000", 1000, &v), 0);
	CU_ASSERT_EQUAL(v, 1000);
	CU_ASSERT_EQUAL(valid_id("1", 1000, &v), 0);
	CU_ASSERT_EQUAL(v, 1);
	CU_ASSERT_EQUAL(valid_id("10", 1000, &v), 0);
	CU_ASSERT_EQUAL(v, 10);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = SENTINEL_U;
		CU_ASSERT_EQUAL(valid_id(bad[i], 1000, &v), -1);
		CU_ASSERT_EQUAL(v, SENTINEL_U);
	}
	CU_ASSERT_EQUAL(valid_id(NULL, 1000, &v), -1);
}

static void
test_date(void)
{
	static const char *const bad[] = {
		"2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "2024-00-10",
		"2024-13-01", "2024-01-00", "2024-01-32", "2023-02-29",
		"1900-02-29", "2100-02-29", "1969-12-31", "2024-01-01T00:00:00Z",
		"2024-01-01 ", " 2024-01-01", "+024-01-01", "2024-04-31", "",
		"2024-0a-01", "20240101",
	};
	int64_t		 d = SENTINEL_I;
	size_t		 i;

	CU_ASSERT_EQUAL(valid_date("1970-01-01", &d), 0);
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_EQUAL(valid_date("1970-01-02", &d), 0);
	CU_ASSERT_EQUAL(d, 1);
	CU_ASSERT_EQUAL(valid_date("1970-03-01", &d), 0);
	CU_ASSERT_EQUAL(d, 59);
	/* 1704067200 is 2024-01-01T00:00:00Z. */
	CU_ASSERT_EQUAL(valid_date("2024-01-01", &d), 0);
	CU_ASSERT_EQUAL(d * 86400, INT64_C(1704067200));
	CU_ASSERT_EQUAL(valid_date("2024-01-31", &d), 0);
	CU_ASSERT_EQUAL(d * 86400, INT64_C(1704067200) + 30 * 86400);
	CU_ASSERT_EQUAL(valid_date("2024-02-29", &d), 0);	/* leap year */
	CU_ASSERT_EQUAL(d * 86400, INT64_C(1709164800));
	CU_ASSERT_EQUAL(valid_date("2000-02-29", &d), 0);	/* 400-year rule */
	CU_ASSERT_EQUAL(d * 86400, INT64_C(951782400));
	CU_ASSERT_EQUAL(valid_date("2023-12-31", &d), 0);
	CU_ASSERT_EQUAL(d * 86400, INT64_C(1703980800));
	CU_ASSERT_EQUAL(valid_date("2099-12-31", &d), 0);
	CU_ASSERT_EQUAL(d * 86400, INT64_C(4102358400));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = SENTINEL_I;
		CU_ASSERT_EQUAL(valid_date(bad[i], &d), -1);
		CU_ASSERT_EQUAL(d, SENTINEL_I);
	}
	CU_ASSERT_EQUAL(valid_date(NULL, &d), -1);
}

#define HA	"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void
test_utf8(void)
{
	static const char *const good[] = {
		"", "abc", "\xc3\xa9", "\xe2\x98\x83", "\xf0\x9f\x98\x80",
		"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
		"\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf",
	};
	static const char *const bad[] = {
		"\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf",
		"\xf0\x8f\xbf\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", "\x80",
		"\xbf", "\xc3", "\xe2\x98", "\xf0\x9f\x98", "\xc3\x28",
		"a\xe2\x28\xa1", "\xf8\x88\x80\x80\x80",
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT_EQUAL(valid_utf8(good[i], strlen(good[i])), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(valid_utf8(bad[i], strlen(bad[i])), -1);
	CU_ASSERT_EQUAL(valid_utf8("a\0b", 3), 0);
	/* The length bounds the check: a cut sequence is invalid. */
	CU_ASSERT_EQUAL(valid_utf8("\xe2\x98\x83", 2), -1);
	CU_ASSERT_EQUAL(valid_utf8(NULL, 0), 0);
}

static void
test_hash(void)
{
	char	 out[VALID_HASH_LEN + 1];

	CU_ASSERT_EQUAL(valid_hash(
	    "0xAbCdEf0123456789abcdef0123456789ABCDEF01", out), 0);
	CU_ASSERT_STRING_EQUAL(out, "0xabcdef0123456789abcdef0123456789abcdef01");
	CU_ASSERT_EQUAL(valid_hash(HA, out), 0);
	CU_ASSERT_STRING_EQUAL(out, HA);
	CU_ASSERT_EQUAL(valid_hash(NULL, out), -1);
	CU_ASSERT_EQUAL(valid_hash("", out), -1);
	CU_ASSERT_EQUAL(valid_hash("0x", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    "0XAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaag", out), -1);
	CU_ASSERT_EQUAL(valid_hash(
	    " 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out), -1);
}

static void
iso_ok(const char *s, int64_t want)
{
	int64_t	 t = -42;

	CU_ASSERT_EQUAL(valid_iso_time(s, &t), 0);
	CU_ASSERT_EQUAL(t, want);
}

static void
iso_bad(const char *s)
{
	int64_t	 t = -42;

	CU_ASSERT_EQUAL(valid_iso_time(s, &t), -1);
	CU_ASSERT_EQUAL(t, -42);
}

static void
test_iso_time(void)
{
	iso_ok("2024-05-01T12:34:56.000Z", 1714566896);
	iso_ok("2024-05-01T12:34:56Z", 1714566896);
	iso_ok("2024-05-01T12:34:56.999999z", 1714566896);
	iso_ok("2024-05-01t12:34:56Z", 1714566896);
	iso_ok("2024-05-01 12:34:56Z", 1714566896);
	iso_ok("2024-05-01T14:34:56+02:00", 1714566896);
	iso_ok("2024-05-01T14:34:56.5+0200", 1714566896);
	iso_ok("2024-05-01T10:04:56-02:30", 1714566896);
	iso_ok("2024-05-01T12:34:56-00:00", 1714566896);
	iso_ok("1970-01-01T00:00:00Z", 0);
	iso_ok("1969-12-31T23:59:59Z", -1);
	iso_ok("2021-01-01T00:00:00Z", 1609459200);	/* the Farcaster epoch */
	iso_ok("2024-02-29T00:00:00Z", 1709164800);
	iso_ok("2000-02-29T00:00:00Z", 951782400);
	iso_ok("2016-12-31T23:59:60Z", 1483228800);	/* leap second */
	iso_ok("9999-12-31T23:59:59Z", INT64_C(253402300799));
	iso_bad(NULL);
	iso_bad("");
	iso_bad("2024-05-01");
	iso_bad("2024-05-01T12:34:56");			/* no zone */
	iso_bad("2024-05-01T12:34Z");
	iso_bad("2024-5-01T12:34:56Z");
	iso_bad("2024-05-01X12:34:56Z");
	iso_bad("2023-02-29T00:00:00Z");
	iso_bad("1900-02-29T00:00:00Z");
	iso_bad("2024-04-31T00:00:00Z");
	iso_bad("2024-00-01T00:00:00Z");
	iso_bad("2024-13-01T00:00:00Z");
	iso_bad("2024-05-00T00:00:00Z");
	iso_bad("2024-05-01T24:00:00Z");
	iso_bad("2024-05-01T12:60:00Z");
	iso_bad("2024-05-01T12:34:61Z");
	iso_bad("2024-05-01T12:34:56.Z");
	iso_bad("2024-05-01T12:34:56+2:00");
	iso_bad("2024-05-01T12:34:56+24:00");
	iso_bad("2024-05-01T12:34:56+02:60");
	iso_bad("2024-05-01T12:34:56+02:00x");
	iso_bad("2024-05-01T12:34:56ZZ");
	iso_bad("2024-05-01T12:34:56 Z");
	iso_bad("+2024-05-01T12:34:56Z");
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
	    CU_add_test(s, "hex", test_hex) == NULL ||
	    CU_add_test(s, "id", test_id) == NULL ||
	    CU_add_test(s, "date", test_date) == NULL ||
	    CU_add_test(s, "utf8", test_utf8) == NULL ||
	    CU_add_test(s, "hash", test_hash) == NULL ||
	    CU_add_test(s, "iso_time", test_iso_time) == NULL)
		return -1;
	return 0;
}
