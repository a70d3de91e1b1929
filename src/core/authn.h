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
 * session's CSRF token in X-CSRF-Token or the csrf_token field).  The
 * token's signature and claims are checked here, in-process; whether it
 * was revoked is authn_live's answer, which every authenticated route
 * asks (reads pipeline it with their other Redis work through gate_check).
 */
enum authn_kind { AUTHN_NONE = 0, AUTHN_TOKEN, AUTHN_COOKIE, AUTHN_KEY };

#define AUTHN_KEY_PREFIX	"rck_"		/* API keys start with this */

struct authn {
	enum authn_kind	 kind;
	int64_t		 account;
	int64_t		 fid;
	enum tok_role	 role;
	char		 jti[48];	/* tokens only */
	char		 sid[48];	/* tokens of a session only; "" otherwise */
	int64_t		 gen;		/* tokens only: the account's generation */
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

struct gate_in;
struct gate_out;
struct srv;

/* The revocation part of a gate_in for a (jti, session, generation). */
void	 authn_gate_in(const struct authn *a, struct gate_in *in);

/*
 * The one revocation check of every authenticated route, in every pool.
 * A token is refused when its jti was logged out, its session (refresh
 * family) was revoked, or its account's token generation moved past the
 * token's (password, role or fid change, deletion, logout everywhere).
 * g: what gate_check answered for authn_gate_in(a) (reads run it with
 * their rate limit and cache in one round trip); NULL: asked here.  Redis
 * first; PostgreSQL when Redis is down or lacks the generation.  Returns
 * 0 when a may act (API keys always: they are looked up in PostgreSQL on
 * every use), else -1 with *p PROB_UNAUTHORIZED (revoked) or
 * PROB_UNAVAILABLE (neither store could answer: nothing is let in).
 */
int	 authn_live(struct srv *, const struct authn *a,
	    const struct gate_out *g, enum problem *p, char *detail,
	    size_t detailsz);

/*
 * The one gate.  A route declares who may call it (struct route's access,
 * a mask of these flags); srv checks it with authn_require before the
 * handler runs, and the handler reads the caller from rq->who.
 */
#define AUTHN_PUBLIC	0u		/* no one is identified */
#define AUTHN_USER	(1u << 0)	/* a live token, session cookie or key */
#define AUTHN_OPTIONAL	(1u << 1)	/* a live caller if one is shown, else
					   none: never refused */
#define AUTHN_SESSION	(1u << 2)	/* the browser's session cookie only */
#define AUTHN_BOUND	(1u << 3)	/* a fid is bound (admins need none) */
#define AUTHN_NO_KEY	(1u << 4)	/* no API key: writes, keys, logout */
#define AUTHN_INGEST	(1u << 5)	/* admin, or a key with ingest scope */
#define AUTHN_ADMIN	(1u << 6)	/* the admin role */
/*
 * Revocation is asked in the handler's own gate_check (with its rate limit
 * and cache: one Redis round trip); the handler passes that answer to
 * authn_settle before it answers.  srv refuses (500) a success answered
 * without it.
 */
#define AUTHN_GATED	(1u << 7)

/* "public" or the flags' names, "user,bound,gated"; -1 when it won't fit. */
int	 authn_access_str(unsigned access, char *out, size_t sz);

/* Why the gate refused; AUTHN_ADMIT: it did not. */
enum authn_deny {
	AUTHN_ADMIT = 0,
	AUTHN_ABSENT,		/* nothing presented: 401 */
	AUTHN_INVALID,		/* a bad or expired token, an unknown key,
				   a credential of the wrong kind: 401 */
	AUTHN_FORGED,		/* a cookie without its CSRF token: 403 */
	AUTHN_REVOKED,		/* logged out, session or generation: 401 */
	AUTHN_DOWN,		/* neither store could answer: 503 (500) */
	AUTHN_UNBOUND,		/* no fid bound yet: 403 */
	AUTHN_SCOPE,		/* a key where none may go, no ingest: 403 */
	AUTHN_ROLE		/* not an admin: 403 */
};

struct authn_verdict {
	enum authn_deny	 deny;
	enum problem	 prob;
	char		 detail[200];
};

/*
 * The flag logic alone, for a caller authn_request identified (kind
 * AUTHN_NONE: nothing presented), revocation aside.  Pure.
 */
enum authn_deny	 authn_admit(unsigned access, const struct authn *a);

/*
 * Checks the route's access for rq: fills rq->who and rq->user_id, or v
 * and returns -1 (the caller answers with authn_refuse).  Revocation is
 * asked through authn_live unless AUTHN_GATED.
 */
int	 authn_require(struct req *, unsigned access, struct authn_verdict *v);
/*
 * Finishes an AUTHN_GATED check with the handler's gate_check answer g
 * (NULL or !g->ok: Redis did not answer).  0, or -1 after answering the
 * refusal.  0 at once when nothing is pending.
 */
int	 authn_settle(struct req *, const struct gate_out *g);
/* Answers a refusal: the pool's srv refuse hook, else authn_problem. */
int	 authn_refuse(struct req *, const struct authn_verdict *);
/* The refusal as problem+json, with WWW-Authenticate on a 401. */
int	 authn_problem(struct req *, const struct authn_verdict *);

/*
 * CSRF tokens.  A session's token is an HMAC of its sid under a key
 * derived from the signing key: the same in every tab and across access
 * token refreshes, and no one without the key can make one.  Before a
 * session exists (the sign-in form) the token is a random nonce and its
 * HMAC, kept in the rc_csrf cookie and echoed by the form.
 */
#define AUTHN_CSRF_LEN		64	/* a session's token, hex */
#define AUTHN_CSRF_PRE_LEN	97	/* nonce "." mac, hex */

/* The CSRF token of session sid into out; -1 when sid is empty. */
int	 authn_csrf_session(const struct tok_key *, const char *sid,
	    char out[AUTHN_CSRF_PRE_LEN + 1]);
/* 1 when given is sid's token (constant time), else 0. */
int	 authn_csrf_session_ok(const struct tok_key *, const char *sid,
	    const char *given);
/*
 * 1 when given is the token of the session the rc_at cookie names (its
 * signature and claims checked, not its revocation: the sign-in form).
 */
int	 authn_csrf_cookie_ok(struct req *, const struct tok_key *,
	    const char *given);
/* A new pre-session token into out; 0 or -1 (no randomness). */
int	 authn_csrf_pre_new(const struct tok_key *,
	    char out[AUTHN_CSRF_PRE_LEN + 1]);
/* 1 when v is a pre-session token this server made, else 0. */
int	 authn_csrf_pre_valid(const struct tok_key *, const char *v);

#endif
