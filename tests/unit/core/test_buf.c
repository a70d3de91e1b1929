#include <sys/types.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "tests.h"

static void
test_init(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_PTR_NULL(b.ptr);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(b.cap, 0);
	CU_ASSERT_EQUAL(b.max, BUF_DEFAULT_MAX);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	buf_free(&b);

	buf_init(&b, 100);
	CU_ASSERT_EQUAL(b.max, 100);
	buf_free(&b);
	buf_free(NULL);		/* must not crash */
}

static void
test_put(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_put(&b, "abcdef", 3), 0);
	CU_ASSERT_EQUAL(b.len, 3);
	CU_ASSERT_NSTRING_EQUAL(b.ptr, "abc", 4);	/* NUL-terminated */
	CU_ASSERT_EQUAL(b.ptr[3], '\0');
	CU_ASSERT_EQUAL(buf_puts(&b, "de"), 0);
	CU_ASSERT_EQUAL(buf_putc(&b, 'f'), 0);
	CU_ASSERT_EQUAL(b.len, 6);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abcdef");
	CU_ASSERT_EQUAL(buf_put(&b, NULL, 0), 0);
	CU_ASSERT_EQUAL(buf_puts(&b, ""), 0);
	CU_ASSERT_EQUAL(b.len, 6);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abcdef");
	CU_ASSERT(b.cap > b.len);
	buf_free(&b);
	CU_ASSERT_PTR_NULL(b.ptr);
	CU_ASSERT_EQUAL(b.len, 0);
}

/* Bytes after an embedded NUL are kept and counted. */
static void
test_put_binary(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_put(&b, "a\0b", 3), 0);
	CU_ASSERT_EQUAL(b.len, 3);
	CU_ASSERT_EQUAL(memcmp(b.ptr, "a\0b\0", 4), 0);
	CU_ASSERT_EQUAL(buf_putc(&b, '\0'), 0);
	CU_ASSERT_EQUAL(b.len, 4);
	buf_free(&b);
}

static void
test_printf(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_printf(&b, "%d-%s", 42, "x"), 0);
	CU_ASSERT_EQUAL(b.len, 4);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "42-x");
	CU_ASSERT_EQUAL(buf_printf(&b, "[%05u]", 7u), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "42-x[00007]");
	CU_ASSERT_EQUAL(b.len, strlen("42-x[00007]"));
	CU_ASSERT_EQUAL(buf_printf(&b, "%s", ""), 0);
	CU_ASSERT_EQUAL(b.len, strlen("42-x[00007]"));
	buf_free(&b);

	/* An empty printf on a fresh buffer still yields a C string. */
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_printf(&b, "%s", ""), 0);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_PTR_NOT_NULL(b.ptr);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	buf_free(&b);
}

static void
test_printf_long(void)
{
	struct buf	 b;
	char		*big, *want;
	size_t		 i, n = 10000;

	big = malloc(n + 1);
	want = malloc(n + 32);
	CU_ASSERT_FATAL(big != NULL && want != NULL);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	memcpy(want, "<", 1);
	memcpy(want + 1, big, n);
	memcpy(want + 1 + n, ">12345", 7);

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "<"), 0);
	CU_ASSERT_EQUAL(buf_printf(&b, "%s>%d", big + 1, 12345), 0);
	/* "<" (1) + big[1..n) (n - 1) + ">12345" (6) */
	CU_ASSERT_EQUAL(b.len, n + 6);
	CU_ASSERT_EQUAL(memcmp(b.ptr, "<", 1), 0);
	CU_ASSERT_EQUAL(memcmp(b.ptr + 1, big + 1, n - 1), 0);
	CU_ASSERT_STRING_EQUAL(b.ptr + n, ">12345");
	buf_reset(&b);
	CU_ASSERT_EQUAL(buf_printf(&b, "<%s>%d", big, 12345), 0);
	CU_ASSERT_EQUAL(b.len, n + 7);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), want);
	CU_ASSERT_EQUAL(buf_printf(&b, "%*d", 3000, 1), 0);
	CU_ASSERT_EQUAL(b.len, n + 7 + 3000);
	CU_ASSERT_EQUAL(b.ptr[n + 7], ' ');
	CU_ASSERT_EQUAL(b.ptr[n + 7 + 2998], ' ');
	CU_ASSERT_EQUAL(b.ptr[n + 7 + 2999], '1');
	CU_ASSERT_EQUAL(b.ptr[n + 7 + 3000], '\0');
	buf_free(&b);
	free(big);
	free(want);
}

static void
test_reset(void)
{
	struct buf	 b;
	size_t		 cap;

	buf_init(&b, 0);
	buf_reset(&b);		/* on an empty buffer */
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	CU_ASSERT_EQUAL(buf_puts(&b, "hello"), 0);
	cap = b.cap;
	buf_reset(&b);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(b.cap, cap);	/* memory kept */
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	CU_ASSERT_EQUAL(buf_puts(&b, "xy"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "xy");
	buf_free(&b);
}

/* Truncating keeps the first len bytes, NUL-terminated; never lengthens. */
static void
test_truncate(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_truncate(&b, 3);		/* empty: nothing to cut */
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "header\nrow"), 0);
	buf_truncate(&b, 20);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "header\nrow");
	buf_truncate(&b, 7);
	CU_ASSERT_EQUAL(b.len, 7);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "header\n");
	CU_ASSERT_EQUAL(buf_puts(&b, "again"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "header\nagain");
	buf_free(&b);
}

static void
test_growth(void)
{
	struct buf	 b;
	size_t		 i, bad = 0;

	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		if (buf_putc(&b, (char)('0' + i % 10)) != 0)
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(b.len, 100000);
	CU_ASSERT(b.cap >= 100001);
	CU_ASSERT_EQUAL(b.ptr[100000], '\0');
	CU_ASSERT_EQUAL(strlen(b.ptr), 100000);
	for (i = 0; i < 100000; i++)
		if (b.ptr[i] != (char)('0' + i % 10))
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	buf_free(&b);

	/* Chunked puts of 7 bytes across many reallocations. */
	buf_init(&b, 0);
	for (i = 0; i < 20000; i++)
		if (buf_put(&b, "abcdefg", 7) != 0)
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(b.len, 140000);
	CU_ASSERT_EQUAL(memcmp(b.ptr + 139993, "abcdefg", 8), 0);
	buf_free(&b);
}

static void
test_max(void)
{
	struct buf	 b;

	buf_init(&b, 10);
	CU_ASSERT_EQUAL(buf_puts(&b, "0123456"), 0);
	/* 7 + 4 > 10: refused, and nothing changes. */
	CU_ASSERT_EQUAL(buf_puts(&b, "789a"), -1);
	CU_ASSERT_EQUAL(b.len, 7);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "0123456");
	CU_ASSERT_EQUAL(buf_printf(&b, "%d", 1234), -1);
	CU_ASSERT_EQUAL(b.len, 7);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "0123456");
	/* Exactly max bytes fit. */
	CU_ASSERT_EQUAL(buf_printf(&b, "%d", 789), 0);
	CU_ASSERT_EQUAL(b.len, 10);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "0123456789");
	CU_ASSERT_EQUAL(buf_putc(&b, 'x'), -1);
	CU_ASSERT_EQUAL(buf_put(&b, "x", 1), -1);
	CU_ASSERT_EQUAL(b.len, 10);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "0123456789");
	CU_ASSERT_EQUAL(buf_put(&b, "", 0), 0);
	buf_free(&b);

	/* A single put larger than max on an empty buffer. */
	buf_init(&b, 4);
	CU_ASSERT_EQUAL(buf_puts(&b, "abcde"), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	CU_ASSERT_EQUAL(buf_put(&b, "x", SIZE_MAX), -1);	/* no overflow */
	CU_ASSERT_EQUAL(b.len, 0);
	buf_free(&b);
}

/* A larger max across several reallocations stops at exactly max. */
static void
test_max_growth(void)
{
	struct buf	 b;
	size_t		 i, ok = 0;

	buf_init(&b, 1000);
	for (i = 0; i < 1100; i++)
		if (buf_putc(&b, 'z') == 0)
			ok++;
	CU_ASSERT_EQUAL(ok, 1000);
	CU_ASSERT_EQUAL(b.len, 1000);
	CU_ASSERT(b.cap <= 1001);
	CU_ASSERT_EQUAL(b.ptr[1000], '\0');
	buf_free(&b);
}

/*
 * max = SIZE_MAX reads as "no limit".  Run in a child with an alarm so
 * that a hang in buf_grow fails the test instead of stalling the run.
 */
static void
test_max_sizemax(void)
{
	struct buf	 b;
	char		 big[1000];
	pid_t		 pid;
	int		 st;

	if ((pid = fork()) == -1) {
		CU_FAIL("fork");
		return;
	}
	if (pid == 0) {
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		alarm(2);
		buf_init(&b, SIZE_MAX);
		/* More than the first 256-byte allocation. */
		if (buf_puts(&b, big) != 0 || b.len != sizeof(big) - 1 ||
		    strcmp(b.ptr, big) != 0)
			_exit(1);
		buf_free(&b);
		_exit(0);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	/* Killed by SIGALRM: buf_grow never returned. */
	CU_ASSERT_FALSE(WIFSIGNALED(st));
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int
test_buf_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("buf", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "init", test_init) == NULL ||
	    CU_add_test(s, "put/puts/putc", test_put) == NULL ||
	    CU_add_test(s, "put binary", test_put_binary) == NULL ||
	    CU_add_test(s, "printf", test_printf) == NULL ||
	    CU_add_test(s, "printf long", test_printf_long) == NULL ||
	    CU_add_test(s, "reset", test_reset) == NULL ||
	    CU_add_test(s, "truncate", test_truncate) == NULL ||
	    CU_add_test(s, "growth", test_growth) == NULL ||
	    CU_add_test(s, "max", test_max) == NULL ||
	    CU_add_test(s, "max growth", test_max_growth) == NULL ||
	    CU_add_test(s, "max SIZE_MAX", test_max_sizemax) == NULL)
		return -1;
	return 0;
}
