#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "core/http.h"
#include "tests.h"

static void
test_urlenc(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(http_urlenc(&b, "0xAbC-._~"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "0xAbC-._~");
	buf_reset(&b);
	CU_ASSERT_EQUAL(http_urlenc(&b, "a b&c=d/\xc3\xa9"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "a%20b%26c%3Dd%2F%C3%A9");
	buf_free(&b);
	buf_init(&b, 4);
	CU_ASSERT_EQUAL(http_urlenc(&b, "&&&"), -1);
	buf_free(&b);
}

static void
test_refused_scheme(void)
{
	struct http_req	 r = { "GET", "file:///etc/passwd", NULL, NULL, NULL,
	    NULL, 0 };
	struct buf	 b;
	char		 err[128];
	long		 st;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(http_do(&r, &st, &b, err, sizeof(err)), HTTP_EFAIL);
	CU_ASSERT_EQUAL(b.len, 0);
	buf_free(&b);
}

int
test_http_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("http", NULL, NULL)) == NULL ||
	    CU_add_test(s, "URL encoding", test_urlenc) == NULL ||
	    CU_add_test(s, "only http and https", test_refused_scheme) == NULL)
		return -1;
	return 0;
}
