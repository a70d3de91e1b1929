#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/acct.h"
#include "tests.h"

static void
test_username(void)
{
	char	 u[ACCT_USER_MAX + 2];

	CU_ASSERT_TRUE(acct_username_ok("alice"));
	CU_ASSERT_TRUE(acct_username_ok("a"));
	CU_ASSERT_TRUE(acct_username_ok("first.last+tag@example.org"));
	CU_ASSERT_TRUE(acct_username_ok("A_b-9"));
	CU_ASSERT_FALSE(acct_username_ok(""));
	CU_ASSERT_FALSE(acct_username_ok("a b"));
	CU_ASSERT_FALSE(acct_username_ok("a:b"));
	CU_ASSERT_FALSE(acct_username_ok("a\nb"));
	CU_ASSERT_FALSE(acct_username_ok("\xc3\xa9"));
	memset(u, 'x', sizeof(u));
	u[ACCT_USER_MAX] = '\0';
	CU_ASSERT_TRUE(acct_username_ok(u));
	u[ACCT_USER_MAX] = 'x';
	u[ACCT_USER_MAX + 1] = '\0';
	CU_ASSERT_FALSE(acct_username_ok(u));
}

static void
test_password(void)
{
	char	 pw[ACCT_PW_MAX + 1];

	CU_ASSERT_TRUE(acct_password_ok("12345678", 8));
	CU_ASSERT_FALSE(acct_password_ok("1234567", 7));
	CU_ASSERT_FALSE(acct_password_ok(NULL, 8));
	CU_ASSERT_FALSE(acct_password_ok("1234\0" "5678", 9));
	memset(pw, 'p', sizeof(pw));
	CU_ASSERT_TRUE(acct_password_ok(pw, ACCT_PW_MAX));
	CU_ASSERT_FALSE(acct_password_ok(pw, ACCT_PW_MAX + 1));
}

int
test_acct_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("acct", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "username", test_username) == NULL ||
	    CU_add_test(s, "password", test_password) == NULL)
		return -1;
	return 0;
}
