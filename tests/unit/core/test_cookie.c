#include <string.h>

#include <CUnit/CUnit.h>

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
	CU_ASSERT_EQUAL(b.len, 0);
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

int
test_cookie_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("cookie", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "attributes", test_attrs) == NULL ||
	    CU_add_test(s, "session, not HttpOnly", test_session_plain) == NULL ||
	    CU_add_test(s, "delete", test_delete) == NULL ||
	    CU_add_test(s, "refused", test_refused) == NULL ||
	    CU_add_test(s, "limit", test_limit) == NULL)
		return -1;
	return 0;
}
