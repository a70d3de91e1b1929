#include <ctype.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/sec.h"
#include "tests.h"

/* RFC 4231, test case 2. */
#define RFC2_KEY	"Jefe"
#define RFC2_DATA	"what do ya want for nothing?"
#define RFC2_MAC	"164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610" \
			"270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1" \
			"a34d4a6b4b636e070a38bce737"
/* RFC 4231, test case 6: a 131-byte key, longer than the block. */
#define RFC6_DATA	"Test Using Larger Than Block-Size Key - Hash Key First"
#define RFC6_MAC	"80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec112" \
			"1b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f" \
			"73f63f0aec8b915a985d786598"

static int
suite_init(void)
{
	return sec_init();
}

static int
rfc2_ok(const char *sig)
{
	return sec_hmac_sha512_ok(RFC2_KEY, strlen(RFC2_KEY), RFC2_DATA,
	    strlen(RFC2_DATA), sig);
}

static void
test_pw(void)
{
	char	 h[SEC_PWHASH_LEN], h2[SEC_PWHASH_LEN];

	CU_ASSERT_EQUAL_FATAL(sec_pw_hash("correct horse", 13, h), 0);
	CU_ASSERT_EQUAL(strncmp(h, "$argon2id$", 10), 0);
	CU_ASSERT(strlen(h) < SEC_PWHASH_LEN);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "correct horse", 13), 1);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "correct horsE", 13), 0);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "correct hors", 12), 0);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "", 0), 0);
	/* Bytes past len are not part of the password. */
	CU_ASSERT_EQUAL(sec_pw_verify(h, "correct horse!", 13), 1);

	CU_ASSERT_EQUAL_FATAL(sec_pw_hash("correct horse", 13, h2), 0);
	CU_ASSERT_NOT_EQUAL(strcmp(h, h2), 0);	/* salted */
	CU_ASSERT_EQUAL(sec_pw_verify(h2, "correct horse", 13), 1);
}

static void
test_pw_empty(void)
{
	char	 h[SEC_PWHASH_LEN];

	CU_ASSERT_EQUAL_FATAL(sec_pw_hash("", 0, h), 0);
	CU_ASSERT_EQUAL(strncmp(h, "$argon2id$", 10), 0);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "", 0), 1);
	CU_ASSERT_EQUAL(sec_pw_verify(h, "a", 1), 0);
}

static void
test_pw_malformed(void)
{
	char	 h[SEC_PWHASH_LEN], bad[SEC_PWHASH_LEN + 8];

	CU_ASSERT_EQUAL(sec_pw_verify("", "x", 1), -1);
	CU_ASSERT_EQUAL(sec_pw_verify("$argon2id$", "x", 1), -1);
	CU_ASSERT_EQUAL(sec_pw_verify("plain text", "x", 1), -1);
	CU_ASSERT_EQUAL(sec_pw_verify(NULL, "x", 1), -1);
	memset(bad, 'a', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	CU_ASSERT_EQUAL(sec_pw_verify(bad, "x", 1), -1);
	CU_ASSERT_EQUAL(sec_pw_needs_rehash("nope"), -1);

	CU_ASSERT_EQUAL_FATAL(sec_pw_hash("pw", 2, h), 0);
	h[strlen(h) - 3] = '\0';	/* a cut hash */
	CU_ASSERT_NOT_EQUAL(sec_pw_verify(h, "pw", 2), 1);
}

static void
test_pw_rehash(void)
{
	char		 h[SEC_PWHASH_LEN];
	const char	*p;

	CU_ASSERT_EQUAL_FATAL(sec_pw_hash("pw", 2, h), 0);
	CU_ASSERT_EQUAL(sec_pw_needs_rehash(h), 0);
	/* Same hash with t=3 instead of today's t=2: redo it. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = strstr(h, ",t="));
	CU_ASSERT_EQUAL_FATAL(p[3], '2');
	h[p - h + 3] = '3';
	CU_ASSERT_EQUAL(sec_pw_needs_rehash(h), 1);
}

static void
test_token(void)
{
	char	 a[SEC_TOKEN_LEN + 1], b[SEC_TOKEN_LEN + 1];
	size_t	 i;

	memset(a, 'x', sizeof(a));
	CU_ASSERT_EQUAL_FATAL(sec_token(a), 0);
	CU_ASSERT_EQUAL_FATAL(sec_token(b), 0);
	CU_ASSERT_EQUAL(strlen(a), 43);
	CU_ASSERT_EQUAL(strlen(b), 43);
	for (i = 0; i < SEC_TOKEN_LEN; i++)
		CU_ASSERT(isalnum((unsigned char)a[i]) || a[i] == '-' ||
		    a[i] == '_');
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
}

static void
test_sha256(void)
{
	char	 h[SEC_SHA256_HEX + 1];

	sec_sha256_hex("abc", 3, h);
	CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a3"
	    "96177a9cb410ff61f20015ad");
	sec_sha256_hex("", 0, h);
	CU_ASSERT_STRING_EQUAL(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
	    "649b934ca495991b7852b855");
}

static void
test_random_hex(void)
{
	char	 a[2 * 40 + 1], b[2 * 40 + 1];
	size_t	 i;

	CU_ASSERT_EQUAL_FATAL(sec_random_hex(a, 40), 0);	/* two rounds */
	CU_ASSERT_EQUAL_FATAL(sec_random_hex(b, 40), 0);
	CU_ASSERT_EQUAL(strlen(a), 80);
	for (i = 0; i < 80; i++)
		CU_ASSERT(strchr("0123456789abcdef", a[i]) != NULL);
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
	CU_ASSERT_EQUAL(sec_random_hex(a, 0), 0);
	CU_ASSERT_STRING_EQUAL(a, "");
}

static void
test_equal(void)
{
	CU_ASSERT_EQUAL(sec_equal("abc", 3, "abc", 3), 1);
	CU_ASSERT_EQUAL(sec_equal("abc", 3, "abd", 3), 0);
	CU_ASSERT_EQUAL(sec_equal("abc", 3, "abcd", 4), 0);
	CU_ASSERT_EQUAL(sec_equal("abcd", 3, "abce", 3), 1);	/* lengths rule */
	CU_ASSERT_EQUAL(sec_equal("", 0, "", 0), 1);
	CU_ASSERT_EQUAL(sec_equal("a\0b", 3, "a\0c", 3), 0);
}

static void
test_hmac_rfc(void)
{
	char	 up[sizeof(RFC2_MAC)], key[131];
	size_t	 i;

	CU_ASSERT_EQUAL(rfc2_ok(RFC2_MAC), 1);
	for (i = 0; i < sizeof(up); i++)
		up[i] = (char)toupper((unsigned char)RFC2_MAC[i]);
	CU_ASSERT_EQUAL(rfc2_ok(up), 1);
	memset(key, 0xaa, sizeof(key));
	CU_ASSERT_EQUAL(sec_hmac_sha512_ok(key, sizeof(key), RFC6_DATA,
	    strlen(RFC6_DATA), RFC6_MAC), 1);
	CU_ASSERT_EQUAL(sec_hmac_sha512_ok(key, sizeof(key) - 1, RFC6_DATA,
	    strlen(RFC6_DATA), RFC6_MAC), 0);
	CU_ASSERT_EQUAL(sec_hmac_sha512_ok(RFC2_KEY, 4, RFC2_DATA,
	    strlen(RFC2_DATA) - 1, RFC2_MAC), 0);	/* body cut */
}

static void
test_hmac_bad(void)
{
	char	 sig[sizeof(RFC2_MAC) + 2];

	memcpy(sig, RFC2_MAC, sizeof(RFC2_MAC));
	sig[50] = sig[50] == '0' ? '1' : '0';		/* one wrong digit */
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);

	memcpy(sig, RFC2_MAC, sizeof(RFC2_MAC));
	sig[127] = '\0';				/* 127 digits */
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);
	sig[126] = '\0';				/* 126: whole bytes */
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);

	memcpy(sig, RFC2_MAC, sizeof(RFC2_MAC));
	sig[128] = '0';					/* 129 digits */
	sig[129] = '\0';
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);
	sig[128] = ' ';
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);

	memcpy(sig, RFC2_MAC, sizeof(RFC2_MAC));
	sig[10] = 'g';					/* not hex */
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);
	memcpy(sig, RFC2_MAC, sizeof(RFC2_MAC));
	sig[0] = ':';
	CU_ASSERT_EQUAL(rfc2_ok(sig), 0);

	CU_ASSERT_EQUAL(rfc2_ok(""), 0);
	CU_ASSERT_EQUAL(rfc2_ok(NULL), 0);
	CU_ASSERT_EQUAL(rfc2_ok("sha512=" RFC2_MAC), 0);
}

int
test_sec_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("sec", suite_init, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "password hash and verify", test_pw) == NULL ||
	    CU_add_test(s, "empty password", test_pw_empty) == NULL ||
	    CU_add_test(s, "malformed hash", test_pw_malformed) == NULL ||
	    CU_add_test(s, "needs rehash", test_pw_rehash) == NULL ||
	    CU_add_test(s, "opaque token", test_token) == NULL ||
	    CU_add_test(s, "sha256 hex", test_sha256) == NULL ||
	    CU_add_test(s, "random hex", test_random_hex) == NULL ||
	    CU_add_test(s, "constant-time equal", test_equal) == NULL ||
	    CU_add_test(s, "hmac-sha512 RFC 4231", test_hmac_rfc) == NULL ||
	    CU_add_test(s, "hmac-sha512 bad signatures", test_hmac_bad) == NULL)
		return -1;
	return 0;
}
