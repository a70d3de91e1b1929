#ifndef RC_TOK_H
#define RC_TOK_H
#include <stddef.h>
#include <stdint.h>

/*
 * Access tokens: JWTs signed with HS256 (libjwt 1.10, which has no
 * jwt_valid_*: every claim is checked here, in the one function all pools
 * use).  Claims: sub (account id as a decimal string), fid (0: no fid bound
 * to the account yet), role ("user" or "admin"), iat, exp, iss, aud, jti;
 * sid (the session, i.e. refresh family, as hex) and gen (the account's
 * token generation at issue) when the token came from a session.
 */

#define TOK_MIN_KEY	32		/* bytes of signing key, at least */
#define TOK_MAX		2048		/* longest token accepted */

enum tok_role { TOK_ROLE_USER = 0, TOK_ROLE_ADMIN, TOK_ROLE__MAX };

struct tok_key {
	unsigned char	 key[256];
	size_t		 len;
	char		 iss[64];
	char		 aud[64];
	long		 ttl;		/* seconds an access token lives */
};

struct tok_claims {
	int64_t		 sub;		/* account id */
	int64_t		 fid;
	enum tok_role	 role;
	int64_t		 iat, exp;
	char		 jti[48];	/* random, hex */
	char		 sid[48];	/* session id, hex; "" for none */
	int64_t		 gen;		/* account token generation, >= 0 */
};

enum tok_err {
	TOK_OK = 0,
	TOK_EMALFORMED,		/* not a JWT, too long, bad base64/JSON */
	TOK_EALG,		/* alg other than HS256 (alg "none" included) */
	TOK_ESIG,		/* signature does not verify */
	TOK_EEXPIRED,		/* exp <= now */
	TOK_ENOTYET,		/* nbf or iat more than 60 s (skew) after now */
	TOK_EISS,
	TOK_EAUD,
	TOK_ECLAIMS,		/* a required claim missing or of the wrong type */
	TOK_EREVOKED,		/* the revoked() callback said so */
	TOK_ESYS,		/* out of memory, no randomness */
	TOK__MAX
};

/*
 * Loads the signing key from a file (all of its bytes, a trailing newline
 * dropped) or, when path is NULL or empty, from the string value.  Returns
 * -1 with a reason in err when neither gives at least TOK_MIN_KEY bytes
 * (a file that fails does not fall back to value).  Sets key and len only.
 */
int		 tok_key_load(struct tok_key *, const char *path, const char *value,
		    char *err, size_t errsz);

/*
 * Issues a token for c (iat/jti are filled in from now and a random jti;
 * the caller sets sub, fid, role, and sid and gen for a session).  exp is
 * now + ttl, or c->exp when the caller set an earlier one (a session's
 * absolute end; TOK_ECLAIMS when that is not after now).  Writes it NUL-terminated to out.
 * TOK_ECLAIMS when sub, fid, role, sid or gen is out of range; TOK_ESYS
 * when the key is unusable (short, no iss/aud/ttl) or out is too small.
 */
enum tok_err	 tok_issue(const struct tok_key *, struct tok_claims *c, int64_t now,
		    char *out, size_t outsz);

/*
 * Verifies a token: algorithm exactly HS256, signature, exp, nbf, iat (60 s
 * skew, nbf too), iss, aud, claim types; then revoked(jti) when given
 * (returns 1 when revoked, 0 when not; anything else is TOK_ESYS, so a
 * store that cannot answer lets nothing in).  Fills c on TOK_OK.
 */
enum tok_err	 tok_verify(const struct tok_key *, const char *token, int64_t now,
		    int (*revoked)(void *arg, const char *jti), void *arg,
		    struct tok_claims *c);

const char	*tok_strerror(enum tok_err);
const char	*tok_role_name(enum tok_role);
int		 tok_role_parse(const char *);	/* TOK_ROLE_* or -1 */

#endif
