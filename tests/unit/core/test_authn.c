#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <time.h>

#include "core/arena.h"
#include "core/authn.h"
#include "core/gate.h"
#include "core/req.h"
#include "core/sec.h"
#include "core/srv.h"
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

/* A request with one optional header, as req_parse sees FastCGI's. */
struct greq {
	struct req	 rq;
	struct resp	 resp;
	struct srv	 srv;
	char		 hdr[TOK_MAX + 64];
	char		*env[4];	/* rq.env points here */
};

static void
greq_new(struct greq *g, const char *authorization)
{
	enum problem	 p;

	memset(g, 0, sizeof(*g));
	g->env[0] = "REQUEST_METHOD=GET";
	g->env[1] = "REQUEST_URI=/api/v1/me/summary";
	resp_init(&g->resp);
	key(&g->srv.key, KEY);
	snprintf(g->srv.key.iss, sizeof(g->srv.key.iss), "replycast");
	snprintf(g->srv.key.aud, sizeof(g->srv.key.aud), "replycast-api");
	g->srv.key.ttl = 900;
	g->rq.arena = arena_new(4096);
	g->rq.resp = &g->resp;
	g->rq.srv = &g->srv;
	if (authorization != NULL) {
		snprintf(g->hdr, sizeof(g->hdr), "HTTP_AUTHORIZATION=%s",
		    authorization);
		g->env[2] = g->hdr;
	}
	CU_ASSERT_EQUAL_FATAL(req_parse(&g->rq, g->env, &p), 0);
}

static void
greq_free(struct greq *g)
{
	arena_free(g->rq.arena);
	resp_free(&g->resp);
}

/* "Bearer <a token for account 7, fid, role>", signed with KEY. */
static void
bearer_for(int64_t fid, enum tok_role role, char *out, size_t sz)
{
	struct tok_key		 k;
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];

	key(&k, KEY);
	snprintf(k.iss, sizeof(k.iss), "replycast");
	snprintf(k.aud, sizeof(k.aud), "replycast-api");
	k.ttl = 900;
	memset(&c, 0, sizeof(c));
	c.sub = 7;
	c.fid = fid;
	c.role = role;
	CU_ASSERT_EQUAL_FATAL(tok_issue(&k, &c, (int64_t)time(NULL), t,
	    sizeof(t)), TOK_OK);
	snprintf(out, sz, "Bearer %s", t);
}

/*
 * The gate before a handler, where it needs neither PostgreSQL nor Redis:
 * what is refused without a credential, a header where only the cookie
 * goes, a role; a gated read is let through pending, and its own
 * gate_check answer settles it.
 */
static void
test_require(void)
{
	struct greq		 g;
	struct authn_verdict	 v;
	struct gate_out		 out;
	char			 b[TOK_MAX + 16];

	greq_new(&g, NULL);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_PUBLIC, &v), 0);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_OPTIONAL, &v), 0);
	CU_ASSERT_EQUAL(g.rq.who.kind, AUTHN_NONE);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER, &v), -1);
	CU_ASSERT_EQUAL(v.deny, AUTHN_ABSENT);
	CU_ASSERT_EQUAL(v.prob, PROB_UNAUTHORIZED);
	greq_free(&g);

	greq_new(&g, "Bearer not.a.token");
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER, &v), -1);
	CU_ASSERT_EQUAL(v.deny, AUTHN_INVALID);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_OPTIONAL, &v), 0);
	CU_ASSERT_EQUAL(g.rq.who.kind, AUTHN_NONE);
	greq_free(&g);

	bearer_for(10, TOK_ROLE_USER, b, sizeof(b));
	greq_new(&g, b);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER | AUTHN_SESSION, &v),
	    -1);
	CU_ASSERT_EQUAL(v.deny, AUTHN_INVALID);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER | AUTHN_GATED |
	    AUTHN_ADMIN, &v), -1);
	CU_ASSERT_EQUAL(v.deny, AUTHN_ROLE);
	CU_ASSERT_EQUAL(v.prob, PROB_FORBIDDEN);
	CU_ASSERT_EQUAL(g.rq.who.kind, AUTHN_NONE);

	/* Gated and live: the handler's gate_check says so. */
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER | AUTHN_BOUND |
	    AUTHN_GATED, &v), 0);
	CU_ASSERT_EQUAL(g.rq.who.fid, 10);
	CU_ASSERT_EQUAL(g.rq.user_id, 7);
	CU_ASSERT_TRUE(g.rq.authn_pending);
	memset(&out, 0, sizeof(out));
	out.ok = 1;
	CU_ASSERT_EQUAL(authn_settle(&g.rq, &out), 0);
	CU_ASSERT_FALSE(g.rq.authn_pending);
	CU_ASSERT_EQUAL(authn_settle(&g.rq, NULL), 0);	/* nothing pending */

	/* Gated and revoked: 401 with invalid_token, from the same answer. */
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER | AUTHN_BOUND |
	    AUTHN_GATED, &v), 0);
	out.revoked = 1;
	CU_ASSERT_EQUAL(authn_settle(&g.rq, &out), -1);
	CU_ASSERT_EQUAL(g.resp.status, 401);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&g.resp.hdrs),
	    "WWW-Authenticate: Bearer realm=\"replycast\", "
	    "error=\"invalid_token\""));
	greq_free(&g);

	/* A user with no fid bound: refused where the route needs one. */
	bearer_for(0, TOK_ROLE_USER, b, sizeof(b));
	greq_new(&g, b);
	CU_ASSERT_EQUAL(authn_require(&g.rq, AUTHN_USER | AUTHN_BOUND |
	    AUTHN_GATED, &v), -1);
	CU_ASSERT_EQUAL(v.deny, AUTHN_UNBOUND);
	greq_free(&g);
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
	    CU_add_test(s, "route access names", test_access_str) == NULL ||
	    CU_add_test(s, "the gate before the handler", test_require) == NULL)
		return -1;
	return 0;
}
