#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "authn.h"
#include "db.h"
#include "req.h"
#include "sec.h"
#include "srv.h"

static const struct db_stmt authn_stmt_key = { "authn_key",
	"UPDATE api_keys k SET last_used_at = now()"
	" FROM accounts a WHERE k.key_hash = $1 AND a.id = k.account_id"
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
	memcpy(a->jti, c.jti, sizeof(a->jti));
	return 0;
}

/*
 * Browser requests that change something must echo the CSRF cookie, in
 * the X-CSRF-Token header or, from a plain HTML form, its csrf_token field.
 */
static int
authn_csrf_ok(struct req *rq)
{
	const char	*c, *h;

	if (rq->method == METHOD_GET || rq->method == METHOD_HEAD)
		return 1;
	c = req_cookie(rq, COOKIE_CSRF);
	h = req_csrf_given(rq);
	return c != NULL && h != NULL && *c != '\0' &&
	    sec_equal(c, strlen(c), h, strlen(h));
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
	if (!authn_csrf_ok(rq))
		return authn_fail(p, PROB_FORBIDDEN, detail, sz,
		    "missing or wrong X-CSRF-Token");
	a->kind = AUTHN_COOKIE;
	return authn_token(cookie, k, a, p, detail, sz);
}

int
authn_may_read(const struct authn *a, int64_t fid)
{
	return a->kind != AUTHN_NONE &&
	    (a->role == TOK_ROLE_ADMIN || a->fid == fid);
}
