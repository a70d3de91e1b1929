#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/cookie.h"
#include "tests.h"

static void
test_attrs(void)
{
	struct cookie_attr	 a = { "/", 900, 1, 1 };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(cookie_build(&b, "rc_at", "abc.def-_", &a), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "rc_at=abc.def-_; Path=/; "
	    "Max-Age=900; HttpOnly; Secure; SameSite=Strict");
	buf_free(&b);
}

static void
test_session_plain(void)
{
	struct cookie_attr	 a = { "/", -1, 0, 0 };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(cookie_build(&b, "rc_csrf", "tok", &a), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b),
	    "rc_csrf=tok; Path=/; SameSite=Strict");
	buf_free(&b);
}

static void
test_delete(void)
{
	struct cookie_attr	 a = { "/auth", 0, 1, 0 };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(cookie_build(&b, "rc_rt", "", &a), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b),
	    "rc_rt=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Strict");
	buf_free(&b);
}

/* Nothing that could end the value, add an attribute or split the header. */
static void
test_refused(void)
{
	struct cookie_attr	 a = { "/", 1, 0, 0 }, bad = { "/x;Domain=evil", 1, 0, 0 };
	struct buf		 b;
	const char *const	 vals[] = { "a;b", "a b", "a\r\nb", "a\"", "a,b",
	    "a\\b", "\x7f", "\xc3\xa9" };
	size_t			 i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		CU_ASSERT_EQUAL(cookie_build(&b, "n", vals[i], &a), -1);
	CU_ASSERT_EQUAL(cookie_build(&b, "", "v", &a), -1);
	CU_ASSERT_EQUAL(cookie_build(&b, "a=b", "v", &a), -1);
	CU_ASSERT_EQUAL(cookie_build(&b, "a b", "v", &a), -1);
	CU_ASSERT_EQUAL(cookie_build(&b, "n", "v", &bad), -1);
	bad.path = "relative";
	CU_ASSERT_EQUAL(cookie_build(&b, "n", "v", &bad), -1);
	/* Prefixes the browser would refuse. */
	CU_ASSERT_EQUAL(cookie_build(&b, "__Host-n", "v", &a), -1);
	a.secure = 1;
	a.path = "/auth";
	CU_ASSERT_EQUAL(cookie_build(&b, "__Host-n", "v", &a), -1);
	a.path = NULL;
	CU_ASSERT_EQUAL(cookie_build(&b, "__Host-n", "v", &a), -1);
	a.secure = 0;
	CU_ASSERT_EQUAL(cookie_build(&b, "__Secure-n", "v", &a), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	a.secure = 1;
	a.path = "/auth";
	CU_ASSERT_EQUAL(cookie_build(&b, "__Secure-n", "v", &a), 0);
	b.len = 0;
	a.path = "/";
	CU_ASSERT_EQUAL(cookie_build(&b, "__Host-n", "v", &a), 0);
	buf_free(&b);
}

/* A build that hits the buffer's limit leaves it as it was. */
static void
test_limit(void)
{
	struct cookie_attr	 a = { "/", 900, 1, 1 };
	struct buf		 b;

	buf_init(&b, 24);
	CU_ASSERT_EQUAL(buf_puts(&b, "x"), 0);
	CU_ASSERT_EQUAL(cookie_build(&b, "rc_at", "0123456789", &a), -1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "x");
	buf_free(&b);
}

static struct arena	*ca;

static int
cookie_suite_init(void)
{
	return (ca = arena_new(4096)) == NULL ? -1 : 0;
}

static int
cookie_suite_clean(void)
{
	arena_free(ca);
	ca = NULL;
	return 0;
}

static int
jar(const char *s, int secure, struct cookie_jar *j)
{
	return cookie_parse(ca, s, strlen(s), secure, j);
}

/* Plain names without RC_COOKIE_SECURE; prefixed ones with it. */
static void
test_names(void)
{
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_AT, 0), "rc_at");
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_RT, 0), "rc_rt");
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_CSRF, 0), "rc_csrf");
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_AT, 1), "__Host-rc_at");
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_RT, 1), "__Secure-rc_rt");
	CU_ASSERT_STRING_EQUAL(cookie_name(COOKIE_CSRF, 1), "__Host-rc_csrf");
	CU_ASSERT_PTR_NULL(cookie_name(COOKIE__MAX, 0));
}

static void
test_parse_ours(void)
{
	struct cookie_jar	 j;

	CU_ASSERT_EQUAL_FATAL(jar("a=1; rc_at=x.y-z;rc_csrf=Tok_1;\trc_rt=r ",
	    0, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "x.y-z");
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_CSRF], "Tok_1");
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_RT], "r");
	/* Secure names only under RC_COOKIE_SECURE, and the other way round. */
	CU_ASSERT_EQUAL_FATAL(jar("rc_at=plain; __Host-rc_at=host; "
	    "__Secure-rc_rt=r; rc_csrf=c", 1, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "host");
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_RT], "r");
	CU_ASSERT_PTR_NULL(j.val[COOKIE_CSRF]);
	CU_ASSERT_EQUAL_FATAL(jar("__Host-rc_at=host", 0, &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_AT]);
	/* Names match exactly: case, prefixes and suffixes count. */
	CU_ASSERT_EQUAL_FATAL(jar("RC_AT=1; xrc_at=2; rc_at2=3; rc_at", 0,
	    &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_AT]);
	/* Empty values are values; base64 padding stays. */
	CU_ASSERT_EQUAL_FATAL(jar("rc_at=; rc_csrf=YWJj==", 0, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "");
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_CSRF], "YWJj==");
	CU_ASSERT_EQUAL(jar("", 0, &j), 0);
	CU_ASSERT_EQUAL(cookie_parse(ca, NULL, 0, 0, &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_AT]);
}

/* What made every request a 400 before: now skipped. */
static void
test_parse_foreign(void)
{
	struct cookie_jar	 j;
	struct buf		 b;
	int			 i;

	CU_ASSERT_EQUAL_FATAL(jar("x=50%; y=%zz; z=%00; rc_at=tok", 0, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "tok");
	buf_init(&b, 0);
	for (i = 0; i < 200; i++)
		CU_ASSERT_EQUAL(buf_printf(&b, "c%d=v%d; ", i, i), 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "rc_csrf=last"), 0);
	CU_ASSERT_EQUAL_FATAL(jar(buf_cstr(&b), 0, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_CSRF], "last");
	buf_free(&b);
	/* A value of ours outside cookie-octet is skipped, not decoded. */
	CU_ASSERT_EQUAL_FATAL(jar("rc_at=a%20b; rc_csrf=\"q\"; rc_rt=a,b",
	    0, &j), 0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "a%20b");
	CU_ASSERT_PTR_NULL(j.val[COOKIE_CSRF]);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_RT]);
	CU_ASSERT_EQUAL_FATAL(jar("rc_at=\xc3\xa9; rc_csrf=a\x7f", 0, &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_AT]);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_CSRF]);
}

/* Two of one name: we cannot tell ours from a planted one. */
static void
test_parse_duplicate(void)
{
	struct cookie_jar	 j;

	CU_ASSERT_EQUAL_FATAL(jar("rc_csrf=planted; rc_at=t; rc_csrf=mine", 0,
	    &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_CSRF]);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_AT], "t");
	CU_ASSERT_EQUAL_FATAL(jar("__Host-rc_csrf=a; __Host-rc_csrf=a", 1,
	    &j), 0);
	CU_ASSERT_PTR_NULL(j.val[COOKIE_CSRF]);
	/* A foreign name twice, or a malformed one of ours, changes nothing. */
	CU_ASSERT_EQUAL_FATAL(jar("x=1; x=2; rc_csrf=c; rc_csrf=b,d", 0, &j),
	    0);
	CU_ASSERT_STRING_EQUAL(j.val[COOKIE_CSRF], "c");
}

int
test_cookie_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("cookie", cookie_suite_init,
	    cookie_suite_clean)) == NULL)
		return -1;
	if (CU_add_test(s, "attributes", test_attrs) == NULL ||
	    CU_add_test(s, "session, not HttpOnly", test_session_plain) == NULL ||
	    CU_add_test(s, "delete", test_delete) == NULL ||
	    CU_add_test(s, "refused", test_refused) == NULL ||
	    CU_add_test(s, "limit", test_limit) == NULL ||
	    CU_add_test(s, "names", test_names) == NULL ||
	    CU_add_test(s, "parse: ours", test_parse_ours) == NULL ||
	    CU_add_test(s, "parse: foreign skipped", test_parse_foreign) == NULL ||
	    CU_add_test(s, "parse: duplicates", test_parse_duplicate) == NULL)
		return -1;
	return 0;
}
