#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "authn.h"
#include "db.h"
#include "gate.h"
#include "log.h"
#include "met.h"
#include "req.h"
#include "sec.h"
#include "srv.h"
#include "valid.h"

static const struct db_stmt authn_stmt_key = { "authn_key",
	"UPDATE api_keys k SET last_used_at = now()"
	" FROM accounts a WHERE k.key_hash = $1 AND a.id = k.account_id"
	" AND a.disabled_at IS NULL"
	" RETURNING k.id, a.id, a.fid, a.role, k.scope", 1, 0 };

static int
authn_fail(enum problem *p, enum problem what, char *detail, size_t sz,
    const char *why)
{
	*p = what;
	snprintf(detail, sz, "%s", why);
	return -1;
}

static int
authn_key(struct req *rq, const char *key, struct authn *a, enum problem *p,
    char *detail, size_t sz)
{
	char		 hash[SEC_SHA256_HEX + 1];
	const char	*params[1] = { hash };
	PGresult	*r;
	int		 rc = -1;

	sec_sha256_hex(key, strlen(key), hash);
	if ((r = db_exec(rq->srv->db, &authn_stmt_key, params, NULL)) == NULL)
		return authn_fail(p, PROB_UNAVAILABLE, detail, sz,
		    "cannot check the API key now");
	if (PQntuples(r) != 1) {
		authn_fail(p, PROB_UNAUTHORIZED, detail, sz, "unknown API key");
		goto out;
	}
	a->kind = AUTHN_KEY;
	a->key_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	a->account = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	a->fid = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	a->role = strcmp(PQgetvalue(r, 0, 3), "admin") == 0 ?
	    TOK_ROLE_ADMIN : TOK_ROLE_USER;
	/* A key reads what its account reads; it ingests only by scope. */
	a->can_ingest = strcmp(PQgetvalue(r, 0, 4), "ingest") == 0;
	rc = 0;
out:
	PQclear(r);
	return rc;
}

static int
authn_token(const char *tok, const struct tok_key *k, struct authn *a,
    enum problem *p, char *detail, size_t sz)
{
	struct tok_claims	 c;
	enum tok_err		 e;

	e = tok_verify(k, tok, (int64_t)time(NULL), NULL, NULL, &c);
	if (e != TOK_OK) {
		*p = e == TOK_ESYS ? PROB_INTERNAL : PROB_UNAUTHORIZED;
		snprintf(detail, sz, "access token rejected: %s",
		    tok_strerror(e));
		return -1;
	}
	a->account = c.sub;
	a->fid = c.fid;
	a->role = c.role;
	a->exp = c.exp;
	a->can_ingest = c.role == TOK_ROLE_ADMIN;
	a->gen = c.gen;
	memcpy(a->jti, c.jti, sizeof(a->jti));
	memcpy(a->sid, c.sid, sizeof(a->sid));
	return 0;
}

/*
 * Browser requests that change something must carry their session's CSRF
 * token, in the X-CSRF-Token header or, from a plain HTML form, its
 * csrf_token field.  A cookie proves nothing here: a sibling site can set
 * one, so the token is checked against the session, not the cookie.
 */
static int
authn_csrf_ok(struct req *rq, const struct tok_key *k, const struct authn *a)
{
	if (rq->method == METHOD_GET || rq->method == METHOD_HEAD)
		return 1;
	return authn_csrf_session_ok(k, a->sid, req_csrf_given(rq));
}

int
authn_request(struct req *rq, const struct tok_key *k, struct authn *a,
    enum problem *p, char *detail, size_t sz)
{
	const char	*h, *cookie;

	memset(a, 0, sizeof(*a));
	if ((h = req_header(rq, "Authorization")) != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
			return authn_fail(p, PROB_UNAUTHORIZED, detail, sz,
			    "Authorization must be \"Bearer <token or key>\"");
		h += 7;
		if (strncmp(h, AUTHN_KEY_PREFIX, strlen(AUTHN_KEY_PREFIX)) == 0)
			return authn_key(rq, h, a, p, detail, sz);
		a->kind = AUTHN_TOKEN;
		return authn_token(h, k, a, p, detail, sz);
	}
	if ((cookie = req_cookie(rq, COOKIE_AT)) == NULL)
		return 0;
	a->kind = AUTHN_COOKIE;
	if (authn_token(cookie, k, a, p, detail, sz) == -1)
		return -1;
	if (!authn_csrf_ok(rq, k, a))
		return authn_fail(p, PROB_FORBIDDEN, detail, sz,
		    "missing or wrong X-CSRF-Token");
	return 0;
}

int
authn_may_read(const struct authn *a, int64_t fid)
{
	return a->kind != AUTHN_NONE &&
	    (a->role == TOK_ROLE_ADMIN || (a->fid > 0 && a->fid == fid));
}

void
authn_gate_in(const struct authn *a, struct gate_in *in)
{
	if (a->jti[0] == '\0')
		return;
	in->jti = a->jti;
	in->sid = a->sid[0] != '\0' ? a->sid : NULL;
	in->account = a->account;
	in->gen = a->gen;
}

int
authn_live(struct srv *s, const struct authn *a, const struct gate_out *g,
    enum problem *p, char *detail, size_t sz)
{
	struct gate_in	 in;
	struct gate_out	 own;
	int64_t		 cut = 0;
	int		 rev;

	if (a->kind == AUTHN_NONE || a->kind == AUTHN_KEY || a->jti[0] == '\0')
		return 0;
	memset(&in, 0, sizeof(in));
	authn_gate_in(a, &in);
	if (g == NULL) {
		memset(&own, 0, sizeof(own));
		if (gate_check(s->kv, &in, &own) == 0)
			g = &own;
		met_gate(s->met, gate_met(&own));
	}
	if (g != NULL && g->ok && g->revoked)
		return authn_fail(p, PROB_UNAUTHORIZED, detail, sz,
		    "access token revoked");
	if (g != NULL && g->ok && !g->gen_unknown)
		return 0;
	if (g == NULL || !g->ok)
		log_msg("warn", "redis unavailable: revocation from PostgreSQL");
	if ((rev = gate_revoked_db(s->db, &in, &cut)) == -1)
		return authn_fail(p, PROB_UNAVAILABLE, detail, sz,
		    "cannot check the token now");
	if (g != NULL && g->ok)
		gate_gen_set(s->kv, a->account, cut, 1);
	if (g != NULL && g->ok && g->mirror_lost)
		gate_mirror_fill(s->kv, s->db);
	if (rev == 1)
		return authn_fail(p, PROB_UNAUTHORIZED, detail, sz,
		    "access token revoked");
	return 0;
}

static const char *const authn_flag_names[] = {
	"user", "optional", "session", "bound", "no-key", "ingest", "admin",
	"gated",
};

int
authn_access_str(unsigned access, char *out, size_t sz)
{
	size_t	 i, len = 0;
	int	 r;

	if (sz == 0)
		return -1;
	r = snprintf(out, sz, "%s", access == AUTHN_PUBLIC ? "public" : "");
	for (i = 0; r >= 0 && (size_t)r < sz - len &&
	    i < sizeof(authn_flag_names) / sizeof(authn_flag_names[0]); i++) {
		len += (size_t)r;
		r = access & (1u << i) ? snprintf(out + len, sz - len, "%s%s",
		    len ? "," : "", authn_flag_names[i]) : 0;
	}
	return r < 0 || (size_t)r >= sz - len ? -1 : 0;
}

enum authn_deny
authn_admit(unsigned access, const struct authn *a)
{
	if (a->kind == AUTHN_NONE)
		return AUTHN_ABSENT;
	if ((access & AUTHN_SESSION) && a->kind != AUTHN_COOKIE)
		return AUTHN_INVALID;
	if ((access & AUTHN_BOUND) && a->fid == 0 &&
	    a->role != TOK_ROLE_ADMIN)
		return AUTHN_UNBOUND;
	if ((access & AUTHN_NO_KEY) && a->kind == AUTHN_KEY)
		return AUTHN_SCOPE;
	if ((access & AUTHN_INGEST) && !a->can_ingest)
		return AUTHN_SCOPE;
	if ((access & AUTHN_ADMIN) && a->role != TOK_ROLE_ADMIN)
		return AUTHN_ROLE;
	return AUTHN_ADMIT;
}

/* The words of a refusal authn_admit found. */
static const char *
authn_admit_detail(enum authn_deny d, unsigned access)
{
	switch (d) {
	case AUTHN_ABSENT:
		return access & AUTHN_NO_KEY ? "sign in: send Authorization: "
		    "Bearer <access token>" : "sign in: send Authorization: "
		    "Bearer <access token or API key>";
	case AUTHN_INVALID:
		return "sign in: this needs the session cookie";
	case AUTHN_UNBOUND:
		return "no fid is bound to this account yet: an administrator "
		    "binds one (replycastctl user bind)";
	case AUTHN_SCOPE:
		return access & AUTHN_INGEST ? "ingesting needs the admin role "
		    "or an API key with the ingest scope" : "an API key cannot "
		    "do this; use an access token";
	case AUTHN_ROLE:
		return "this is for administrators";
	default:
		return "refused";
	}
}

static int
authn_deny(struct authn_verdict *v, enum authn_deny d, enum problem p,
    const char *detail)
{
	v->deny = d;
	v->prob = p;
	snprintf(v->detail, sizeof(v->detail), "%s", detail);
	return -1;
}

static int
authn_deny_admit(struct authn_verdict *v, enum authn_deny d, unsigned access)
{
	return authn_deny(v, d, d == AUTHN_ABSENT || d == AUTHN_INVALID ?
	    PROB_UNAUTHORIZED : PROB_FORBIDDEN, authn_admit_detail(d, access));
}

/* authn_live's refusal as a verdict. */
static int
authn_deny_live(struct authn_verdict *v, enum problem p)
{
	v->deny = p == PROB_UNAUTHORIZED ? AUTHN_REVOKED : AUTHN_DOWN;
	v->prob = p;
	return -1;
}

/* Who is asking and whether they may: -1 with v filled when not. */
static int
authn_check(struct req *rq, unsigned access, struct authn_verdict *v)
{
	struct srv	*s = rq->srv;
	struct authn	*a = &rq->who;
	enum authn_deny	 d;
	enum problem	 p;

	/* The dashboard's pages take the cookie alone: a header is not it. */
	if ((access & AUTHN_SESSION) && req_header(rq, "Authorization") != NULL)
		return authn_deny_admit(v, AUTHN_INVALID, access);
	if (authn_request(rq, &s->key, a, &p, v->detail,
	    sizeof(v->detail)) == -1) {
		v->prob = p;
		v->deny = p == PROB_FORBIDDEN ? AUTHN_FORGED :
		    p == PROB_UNAUTHORIZED ? AUTHN_INVALID : AUTHN_DOWN;
		return -1;
	}
	d = authn_admit(access, a);
	if (d == AUTHN_ABSENT || d == AUTHN_INVALID)
		return authn_deny_admit(v, d, access);
	/* Revoked before anything else is said about the caller. */
	if (!(access & AUTHN_GATED) && authn_live(s, a, NULL, &p, v->detail,
	    sizeof(v->detail)) == -1)
		return authn_deny_live(v, p);
	if (d != AUTHN_ADMIT)
		return authn_deny_admit(v, d, access);
	return 0;
}

int
authn_require(struct req *rq, unsigned access, struct authn_verdict *v)
{
	memset(&rq->who, 0, sizeof(rq->who));
	memset(v, 0, sizeof(*v));
	rq->authn_pending = 0;
	if (access == AUTHN_PUBLIC)
		return 0;
	if (authn_check(rq, access & ~(unsigned)AUTHN_OPTIONAL, v) == -1) {
		memset(&rq->who, 0, sizeof(rq->who));
		/* No one may be shown, and whoever is shown is checked. */
		return (access & AUTHN_OPTIONAL) ? 0 : -1;
	}
	rq->user_id = rq->who.account;
	rq->authn_pending = (access & AUTHN_GATED) != 0;
	return 0;
}

int
authn_settle(struct req *rq, const struct gate_out *g)
{
	struct authn_verdict	 v;
	enum problem		 p;

	if (!rq->authn_pending)
		return 0;
	rq->authn_pending = 0;
	memset(&v, 0, sizeof(v));
	if (authn_live(rq->srv, &rq->who, g, &p, v.detail,
	    sizeof(v.detail)) == 0)
		return 0;
	authn_deny_live(&v, p);
	authn_refuse(rq, &v);
	return -1;
}

int
authn_problem(struct req *rq, const struct authn_verdict *v)
{
	if (v->prob == PROB_UNAUTHORIZED)
		resp_header(rq->resp, "WWW-Authenticate", v->deny ==
		    AUTHN_ABSENT ? "Bearer realm=\"replycast\"" :
		    "Bearer realm=\"replycast\", error=\"invalid_token\"");
	return resp_problem(rq->resp, v->prob, v->detail, rq->id, NULL);
}

int
authn_refuse(struct req *rq, const struct authn_verdict *v)
{
	if (rq->srv->refuse != NULL)
		return rq->srv->refuse(rq, v);
	return authn_problem(rq, v);
}

/* The CSRF key: HMAC-SHA256(signing key, label), so it signs nothing else. */
static void
authn_csrf_key(const struct tok_key *k, unsigned char key[32])
{
	static const char		 label[] = "replycast csrf v1";
	crypto_auth_hmacsha256_state	 st;

	crypto_auth_hmacsha256_init(&st, k->key, k->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label,
	    sizeof(label) - 1);
	crypto_auth_hmacsha256_final(&st, key);
	sodium_memzero(&st, sizeof(st));
}

/* Hex HMAC of "kind:msg" under the CSRF key, into out (65 bytes). */
static void
authn_csrf_mac(const struct tok_key *k, char kind, const char *msg,
    char out[AUTHN_CSRF_LEN + 1])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 key[32], mac[32];
	const unsigned char		 pre[2] = { (unsigned char)kind, ':' };

	authn_csrf_key(k, key);
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	crypto_auth_hmacsha256_update(&st, pre, sizeof(pre));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
	    strlen(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, AUTHN_CSRF_LEN + 1, mac, sizeof(mac));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
}

int
authn_csrf_session(const struct tok_key *k, const char *sid,
    char out[AUTHN_CSRF_PRE_LEN + 1])
{
	out[0] = '\0';
	if (sid == NULL || sid[0] == '\0')
		return -1;
	authn_csrf_mac(k, 's', sid, out);
	return 0;
}

int
authn_csrf_session_ok(const struct tok_key *k, const char *sid,
    const char *given)
{
	char	 want[AUTHN_CSRF_PRE_LEN + 1];

	if (given == NULL || authn_csrf_session(k, sid, want) == -1)
		return 0;
	return sec_equal(want, strlen(want), given, strlen(given));
}

int
authn_csrf_cookie_ok(struct req *rq, const struct tok_key *k,
    const char *given)
{
	struct authn	 a;
	const char	*at = req_cookie(rq, COOKIE_AT);
	char		 detail[8];
	enum problem	 p;

	memset(&a, 0, sizeof(a));
	if (at == NULL || authn_token(at, k, &a, &p, detail,
	    sizeof(detail)) == -1)
		return 0;
	return authn_csrf_session_ok(k, a.sid, given);
}

int
authn_csrf_pre_new(const struct tok_key *k, char out[AUTHN_CSRF_PRE_LEN + 1])
{
	char	 nonce[33];

	if (sec_random_hex(nonce, 16) == -1)
		return -1;
	memcpy(out, nonce, 32);
	out[32] = '.';
	authn_csrf_mac(k, 'p', nonce, out + 33);
	return 0;
}

int
authn_csrf_pre_valid(const struct tok_key *k, const char *v)
{
	char	 nonce[33], want[AUTHN_CSRF_LEN + 1];

	if (v == NULL || strlen(v) != AUTHN_CSRF_PRE_LEN || v[32] != '.')
		return 0;
	memcpy(nonce, v, 32);
	nonce[32] = '\0';
	if (valid_hex(nonce, 32) != 0)
		return 0;
	authn_csrf_mac(k, 'p', nonce, want);
	return sec_equal(want, AUTHN_CSRF_LEN, v + 33, AUTHN_CSRF_LEN);
}
