#ifndef RC_AUTHN_H
#define RC_AUTHN_H
#include <stddef.h>
#include <stdint.h>

#include "problem.h"
#include "tok.h"

struct req;

/*
 * Who is asking: from "Authorization: Bearer <access token | API key>" or,
 * for the browser, the rc_at cookie (then unsafe methods also need the
 * X-CSRF-Token header to match the rc_csrf cookie).  The token's signature
 * and claims are checked here, in-process; whether its jti was revoked is
 * asked by the caller (gate_check pipelines it with the other Redis work).
 */
enum authn_kind { AUTHN_NONE = 0, AUTHN_TOKEN, AUTHN_COOKIE, AUTHN_KEY };

#define AUTHN_KEY_PREFIX	"rck_"		/* API keys start with this */

struct authn {
	enum authn_kind	 kind;
	int64_t		 account;
	int64_t		 fid;
	enum tok_role	 role;
	char		 jti[48];	/* tokens only */
	int64_t		 exp;		/* tokens only */
	int64_t		 key_id;	/* API keys only */
	int		 can_ingest;	/* admin, or a key with the ingest scope */
};

/*
 * Fills a from the request.  Returns 0 (kind AUTHN_NONE when nothing was
 * presented), or -1 with *p and a reason in detail (a bad token, an
 * unknown key, a missing CSRF token); the reason names no secret.
 */
int	 authn_request(struct req *, const struct tok_key *, struct authn *a,
	    enum problem *p, char *detail, size_t detailsz);

/* 1 when a may read fid's data: its own fid, or any as admin. */
int	 authn_may_read(const struct authn *a, int64_t fid);

#endif
