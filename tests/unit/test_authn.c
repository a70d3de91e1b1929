#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/authn.h"
#include "core/sec.h"
#include "core/tok.h"
#include "tests.h"

#define KEY	"test-key-0123456789abcdef0123456789"
#define SID	"00112233445566778899aabbccddeeff"

static void
key(struct tok_key *k, const char *s)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->key, s, strlen(s));
	k->len = strlen(s);
}

static int
suite_init(void)
{
	return sec_init();
}

/* A session's token: stable for its sid, someone else's for another. */
static void
test_csrf_session(void)
{
	struct tok_key	 k, other;
	char		 a[AUTHN_CSRF_PRE_LEN + 1], b[AUTHN_CSRF_PRE_LEN + 1];

	key(&k, KEY);
	key(&other, "another-key-0123456789abcdef01234567");
	CU_ASSERT_EQUAL_FATAL(authn_csrf_session(&k, SID, a), 0);
	CU_ASSERT_EQUAL(strlen(a), AUTHN_CSRF_LEN);
	CU_ASSERT_EQUAL(authn_csrf_session(&k, SID, b), 0);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_TRUE(authn_csrf_session_ok(&k, SID, a));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, "ffeeddccbbaa99887766554433221100", a));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&other, SID, a));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, SID, ""));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, SID, NULL));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, "", a));	/* no session */
	CU_ASSERT_EQUAL(authn_csrf_session(&k, "", b), -1);
	memcpy(b, a, sizeof(b));
	b[0] = b[0] == 'a' ? 'b' : 'a';
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, SID, b));
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, SID, "0"));
}

/* A pre-session token is valid only as this server made it. */
static void
test_csrf_pre(void)
{
	struct tok_key	 k, other;
	char		 t[AUTHN_CSRF_PRE_LEN + 1], u[AUTHN_CSRF_PRE_LEN + 1],
			 bad[AUTHN_CSRF_PRE_LEN + 1];

	key(&k, KEY);
	key(&other, "another-key-0123456789abcdef01234567");
	CU_ASSERT_EQUAL_FATAL(authn_csrf_pre_new(&k, t), 0);
	CU_ASSERT_EQUAL(strlen(t), AUTHN_CSRF_PRE_LEN);
	CU_ASSERT_EQUAL(t[32], '.');
	CU_ASSERT_TRUE(authn_csrf_pre_valid(&k, t));
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&other, t));
	CU_ASSERT_EQUAL_FATAL(authn_csrf_pre_new(&k, u), 0);
	CU_ASSERT_NOT_EQUAL(strcmp(t, u), 0);
	memcpy(bad, t, sizeof(bad));
	bad[5] = bad[5] == '0' ? '1' : '0';		/* another nonce */
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, bad));
	memcpy(bad, t, sizeof(bad));
	bad[90] = bad[90] == '0' ? '1' : '0';		/* another mac */
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, bad));
	snprintf(bad, sizeof(bad), "%032x.%064x", 1, 2);
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, bad));
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, "attacker-chosen"));
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, ""));
	CU_ASSERT_FALSE(authn_csrf_pre_valid(&k, NULL));
	/* Neither kind passes for the other. */
	CU_ASSERT_FALSE(authn_csrf_session_ok(&k, SID, t));
}

/* An account without a fid reads no one's data, fid 0 included. */
static void
test_may_read(void)
{
	struct authn	 a;

	memset(&a, 0, sizeof(a));
	a.kind = AUTHN_TOKEN;
	a.fid = 10;
	CU_ASSERT_TRUE(authn_may_read(&a, 10));
	CU_ASSERT_FALSE(authn_may_read(&a, 11));
	a.fid = 0;
	CU_ASSERT_FALSE(authn_may_read(&a, 0));
	CU_ASSERT_FALSE(authn_may_read(&a, 10));
	a.role = TOK_ROLE_ADMIN;
	CU_ASSERT_TRUE(authn_may_read(&a, 10));
	a.kind = AUTHN_NONE;
	CU_ASSERT_FALSE(authn_may_read(&a, 10));
}

/* A caller of kind, role, fid and scope. */
static struct authn
caller(enum authn_kind kind, enum tok_role role, int64_t fid, int ingest)
{
	struct authn	 a;

	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.role = role;
	a.fid = fid;
	a.can_ingest = ingest;
	return a;
}

/* Each flag refuses what it names and nothing else. */
static void
test_admit(void)
{
	static const struct {
		unsigned	 access;
		enum authn_kind	 kind;
		enum tok_role	 role;
		int64_t		 fid;
		int		 ingest;
		enum authn_deny	 want;
	} t[] = {
		{ AUTHN_USER, AUTHN_NONE, TOK_ROLE_USER, 0, 0, AUTHN_ABSENT },
		{ AUTHN_USER, AUTHN_TOKEN, TOK_ROLE_USER, 0, 0, AUTHN_ADMIT },
		{ AUTHN_USER, AUTHN_KEY, TOK_ROLE_USER, 0, 0, AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_BOUND, AUTHN_TOKEN, TOK_ROLE_USER, 0, 0,
		    AUTHN_UNBOUND },
		{ AUTHN_USER | AUTHN_BOUND, AUTHN_TOKEN, TOK_ROLE_USER, 7, 0,
		    AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_BOUND, AUTHN_TOKEN, TOK_ROLE_ADMIN, 0, 1,
		    AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_NO_KEY, AUTHN_KEY, TOK_ROLE_ADMIN, 7, 1,
		    AUTHN_SCOPE },
		{ AUTHN_USER | AUTHN_NO_KEY, AUTHN_COOKIE, TOK_ROLE_USER, 7, 0,
		    AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_INGEST, AUTHN_KEY, TOK_ROLE_USER, 7, 0,
		    AUTHN_SCOPE },
		{ AUTHN_USER | AUTHN_INGEST, AUTHN_KEY, TOK_ROLE_USER, 7, 1,
		    AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_ADMIN, AUTHN_TOKEN, TOK_ROLE_USER, 7, 0,
		    AUTHN_ROLE },
		{ AUTHN_USER | AUTHN_ADMIN, AUTHN_KEY, TOK_ROLE_ADMIN, 7, 0,
		    AUTHN_ADMIT },
		{ AUTHN_USER | AUTHN_SESSION, AUTHN_TOKEN, TOK_ROLE_ADMIN, 7, 1,
		    AUTHN_INVALID },
		{ AUTHN_USER | AUTHN_SESSION, AUTHN_KEY, TOK_ROLE_ADMIN, 7, 1,
		    AUTHN_INVALID },
		{ AUTHN_USER | AUTHN_SESSION, AUTHN_COOKIE, TOK_ROLE_USER, 7, 0,
		    AUTHN_ADMIT },
		/* Unbound is said before the scope, the scope before the role. */
		{ AUTHN_USER | AUTHN_BOUND | AUTHN_NO_KEY, AUTHN_KEY,
		    TOK_ROLE_USER, 0, 0, AUTHN_UNBOUND },
		{ AUTHN_USER | AUTHN_NO_KEY | AUTHN_ADMIN, AUTHN_KEY,
		    TOK_ROLE_USER, 7, 0, AUTHN_SCOPE },
		/* No one is shown: absent, whatever else the route wants. */
		{ AUTHN_USER | AUTHN_SESSION | AUTHN_ADMIN, AUTHN_NONE,
		    TOK_ROLE_ADMIN, 7, 1, AUTHN_ABSENT },
	};
	struct authn	 a;
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = caller(t[i].kind, t[i].role, t[i].fid, t[i].ingest);
		if (authn_admit(t[i].access, &a) != t[i].want)
			fprintf(stderr, "admit row %zu\n", i);
		CU_ASSERT_EQUAL(authn_admit(t[i].access, &a), t[i].want);
	}
}

/* The words --access prints; a buffer too small says so. */
static void
test_access_str(void)
{
	char	 b[64];

	CU_ASSERT_EQUAL(authn_access_str(AUTHN_PUBLIC, b, sizeof(b)), 0);
	CU_ASSERT_STRING_EQUAL(b, "public");
	CU_ASSERT_EQUAL(authn_access_str(AUTHN_USER | AUTHN_BOUND |
	    AUTHN_GATED, b, sizeof(b)), 0);
	CU_ASSERT_STRING_EQUAL(b, "user,bound,gated");
	CU_ASSERT_EQUAL(authn_access_str(AUTHN_OPTIONAL, b, sizeof(b)), 0);
	CU_ASSERT_STRING_EQUAL(b, "optional");
	CU_ASSERT_EQUAL(authn_access_str(AUTHN_USER | AUTHN_NO_KEY, b, 8), -1);
	CU_ASSERT_EQUAL(authn_access_str(AUTHN_USER | AUTHN_SESSION |
	    AUTHN_ADMIN, b, sizeof(b)), 0);
	CU_ASSERT_STRING_EQUAL(b, "user,session,admin");
}

int
test_authn_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("authn", suite_init, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "session CSRF token", test_csrf_session) == NULL ||
	    CU_add_test(s, "pre-session CSRF token", test_csrf_pre) == NULL ||
	    CU_add_test(s, "fid-less accounts read nothing", test_may_read) == NULL ||
	    CU_add_test(s, "route access flags", test_admit) == NULL ||
	    CU_add_test(s, "route access names", test_access_str) == NULL)
		return -1;
	return 0;
}
