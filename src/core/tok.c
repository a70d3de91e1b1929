#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <jwt.h>
#include <sodium.h>

#include "fnv.h"
#include "jparse.h"
#include "sec.h"
#include "tok.h"
#include "valid.h"

#define TOK_SKEW	60		/* seconds a clock may run ahead */
#define TOK_JTI_BYTES	16		/* 128 random bits, 32 hex digits */
#define TOK_JTI_MIN	8
#define TOK_JTI_MAX	47		/* sizeof(struct tok_claims.jti) - 1 */
#define TOK_FILE_MAX	4096		/* longest key file read */
/*
 * JSON nesting in a header or payload: below JPARSE_DEPTH, because both
 * are parsed before the signature is checked, and every part we issue or
 * accept is a flat object of strings and numbers.
 */
#define TOK_DEPTH	8

/* jwt_add_grant_int takes a long: it must hold an int64_t. */
_Static_assert(sizeof(long) >= sizeof(int64_t), "long narrower than int64_t");
_Static_assert(TOK_JTI_MAX + 1 == sizeof(((struct tok_claims *)0)->jti),
    "TOK_JTI_MAX follows struct tok_claims");

static const char *const tok_errs[TOK__MAX] = {
	"ok",
	"malformed token",
	"algorithm is not HS256",
	"bad signature",
	"token expired",
	"token not valid yet",
	"wrong issuer",
	"wrong audience",
	"claim missing or of the wrong type",
	"token revoked",
	"system error",
};

static const char *const tok_roles[TOK_ROLE__MAX] = {
	"user",
	"admin",
};

/* One base64url part of a token: not NUL-terminated. */
struct tok_part {
	const char	*p;
	size_t		 len;
};

/* Claims as read from a payload, before iss/aud/time are checked. */
struct tok_raw {
	struct tok_claims	 c;
	int64_t			 nbf;
	int			 has_nbf;
	const char		*iss;
	struct json_object	*aud;
};

const char *
tok_strerror(enum tok_err e)
{
	return e < TOK__MAX ? tok_errs[e] : "unknown error";
}

const char *
tok_role_name(enum tok_role r)
{
	return r < TOK_ROLE__MAX ? tok_roles[r] : NULL;
}

int
tok_role_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < TOK_ROLE__MAX; i++)
		if (strcmp(s, tok_roles[i]) == 0)
			return i;
	return -1;
}

/* A cut reason is still a reason: truncation is harmless here. */
static int __attribute__((format(printf, 3, 4)))
tok_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errsz > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
tok_key_set(struct tok_key *k, const char *src, const unsigned char *b,
    size_t len, char *err, size_t errsz)
{
	if (len < TOK_MIN_KEY)
		return tok_fail(err, errsz, "%s: key shorter than %d bytes",
		    src, TOK_MIN_KEY);
	if (len > sizeof(k->key))
		return tok_fail(err, errsz, "%s: key longer than %zu bytes",
		    src, sizeof(k->key));
	sodium_memzero(k->key, sizeof(k->key));
	memcpy(k->key, b, len);
	k->len = len;
	return 0;
}

/* Reads up to sizeof(b) bytes of fd; -1 on a read error. */
static ssize_t
tok_read_all(int fd, unsigned char *b, size_t bsz)
{
	size_t	 len = 0;
	ssize_t	 n;

	while (len < bsz) {
		n = read(fd, b + len, bsz - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

static int
tok_key_file(struct tok_key *k, const char *path, char *err, size_t errsz)
{
	unsigned char	 b[TOK_FILE_MAX + 1];
	char		 why[128];
	ssize_t		 n;
	size_t		 len;
	int		 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (strerror_r(errno, why, sizeof(why)) != 0)
			why[0] = '\0';
		return tok_fail(err, errsz, "RC_JWT_KEY_FILE: %s: %s", path,
		    why);
	}
	if ((n = tok_read_all(fd, b, sizeof(b))) == -1) {
		if (strerror_r(errno, why, sizeof(why)) != 0)
			why[0] = '\0';
		tok_fail(err, errsz, "RC_JWT_KEY_FILE: %s: %s", path, why);
		goto out;
	}
	len = (size_t)n;
	if (len > TOK_FILE_MAX) {
		tok_fail(err, errsz, "RC_JWT_KEY_FILE: %s: longer than %d "
		    "bytes", path, TOK_FILE_MAX);
		goto out;
	}
	if (len > 0 && b[len - 1] == '\n') {
		len--;
		if (len > 0 && b[len - 1] == '\r')
			len--;
	}
	rc = tok_key_set(k, "RC_JWT_KEY_FILE", b, len, err, errsz);
out:
	sodium_memzero(b, sizeof(b));
	close(fd);
	return rc;
}

int
tok_key_load(struct tok_key *k, const char *path, const char *value,
    char *err, size_t errsz)
{
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (path != NULL && path[0] != '\0')
		return tok_key_file(k, path, err, errsz);
	if (value == NULL || value[0] == '\0')
		return tok_fail(err, errsz, "RC_JWT_KEY: not set (nor "
		    "RC_JWT_KEY_FILE)");
	return tok_key_set(k, "RC_JWT_KEY", (const unsigned char *)value,
	    strlen(value), err, errsz);
}

/* Key and limits usable for signing and verifying. */
static int
tok_key_ok(const struct tok_key *k)
{
	return k != NULL && k->len >= TOK_MIN_KEY && k->len <= sizeof(k->key) &&
	    k->iss[0] != '\0' && strnlen(k->iss, sizeof(k->iss)) < sizeof(k->iss) &&
	    k->aud[0] != '\0' && strnlen(k->aud, sizeof(k->aud)) < sizeof(k->aud);
}

/* A usable key and claims fit to sign; ESYS blames the key, ECLAIMS c. */
static enum tok_err
tok_issue_check(const struct tok_key *k, const struct tok_claims *c,
    int64_t now)
{
	if (!tok_key_ok(k) || k->ttl <= 0)
		return TOK_ESYS;
	if (c == NULL || c->sub <= 0 || c->fid < 0 || c->gen < 0 ||
	    tok_role_name(c->role) == NULL)
		return TOK_ECLAIMS;
	if (c->sid[0] != '\0' && (strnlen(c->sid, sizeof(c->sid)) >
	    TOK_JTI_MAX || valid_hex(c->sid, strlen(c->sid)) != 0))
		return TOK_ECLAIMS;
	if (now < 0 || now > INT64_MAX - k->ttl)
		return TOK_ECLAIMS;
	if (c->exp != 0 && c->exp <= now)	/* the session is over */
		return TOK_ECLAIMS;
	return TOK_OK;
}

static int
tok_grants(jwt_t *jwt, const struct tok_key *k, const struct tok_claims *c)
{
	char	 sub[24];
	int	 n;

	n = snprintf(sub, sizeof(sub), "%" PRId64, c->sub);
	if (n < 0 || (size_t)n >= sizeof(sub))
		return -1;
	if (jwt_add_grant(jwt, "iss", k->iss) != 0 ||
	    jwt_add_grant(jwt, "aud", k->aud) != 0 ||
	    jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant_int(jwt, "fid", c->fid) != 0 ||
	    jwt_add_grant(jwt, "role", tok_role_name(c->role)) != 0 ||
	    jwt_add_grant_int(jwt, "iat", c->iat) != 0 ||
	    jwt_add_grant_int(jwt, "exp", c->exp) != 0 ||
	    jwt_add_grant(jwt, "jti", c->jti) != 0)
		return -1;
	if (c->sid[0] != '\0' && (jwt_add_grant(jwt, "sid", c->sid) != 0 ||
	    jwt_add_grant_int(jwt, "gen", c->gen) != 0))
		return -1;
	return 0;
}

enum tok_err
tok_issue(const struct tok_key *k, struct tok_claims *c, int64_t now,
    char *out, size_t outsz)
{
	jwt_t		*jwt = NULL;
	char		*s = NULL;
	size_t		 len;
	enum tok_err	 e;

	if ((e = tok_issue_check(k, c, now)) != TOK_OK)
		return e;
	if (out == NULL || outsz == 0)
		return TOK_ESYS;
	out[0] = '\0';
	e = TOK_ESYS;
	if (sec_random_hex(c->jti, TOK_JTI_BYTES) != 0)
		goto out;
	c->iat = now;
	if (c->exp == 0 || c->exp > now + k->ttl)
		c->exp = now + k->ttl;
	if (jwt_new(&jwt) != 0)
		goto out;
	if (jwt_set_alg(jwt, JWT_ALG_HS256, k->key, (int)k->len) != 0 ||
	    tok_grants(jwt, k, c) != 0)
		goto out;
	if ((s = jwt_encode_str(jwt)) == NULL)
		goto out;
	len = strlen(s);
	if (len > TOK_MAX || len >= outsz)
		goto out;
	memcpy(out, s, len + 1);
	e = TOK_OK;
out:
	free(s);
	jwt_free(jwt);
	return e;
}

static int
tok_b64c(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/*
 * Splits t into header, payload and signature, all base64url; the
 * signature may be empty (alg "none" is then refused by name).
 */
static int
tok_split(const char *t, struct tok_part part[3])
{
	size_t	 len, i, start = 0, n = 0;

	if (t == NULL || (len = strnlen(t, TOK_MAX + 1)) > TOK_MAX)
		return -1;
	for (i = 0; i <= len; i++) {
		if (i < len && t[i] != '.') {
			if (!tok_b64c(t[i]))
				return -1;
			continue;
		}
		if (n == 3)
			return -1;
		part[n].p = t + start;
		part[n].len = i - start;
		n++;
		start = i + 1;
	}
	if (n != 3 || part[0].len == 0 || part[1].len == 0)
		return -1;
	return 0;
}

/* Decodes one part to a JSON object (canonical base64url, strict JSON). */
static struct json_object *
tok_json(const struct tok_part *pt)
{
	char			 b[TOK_MAX];
	const char		*end = NULL;
	struct json_object	*o = NULL;
	size_t			 n = 0;

	if (sodium_base642bin((unsigned char *)b, sizeof(b) - 1, pt->p,
	    pt->len, NULL, &n, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != pt->p + pt->len)
		return NULL;
	b[n] = '\0';
	if (strlen(b) != n)
		return NULL;
	(void)jparse_object(b, n, TOK_DEPTH, &o, NULL, 0);
	return o;
}

/* The string value of o, with no NUL inside it; NULL for anything else. */
static const char *
tok_str(struct json_object *o)
{
	const char	*s;

	if (!json_object_is_type(o, json_type_string))
		return NULL;
	s = json_object_get_string(o);
	if (s == NULL || strlen(s) != (size_t)json_object_get_string_len(o))
		return NULL;
	return s;
}

/* 1 when o is the string want exactly. */
static int
tok_str_is(struct json_object *o, const char *want)
{
	const char	*s;

	return (s = tok_str(o)) != NULL && strcmp(s, want) == 0;
}

/*
 * The header is read before libjwt sees the token: only {"alg":"HS256"}
 * passes, with typ "JWT" if any and no crit extensions we would ignore.
 */
static enum tok_err
tok_header(const struct tok_part *pt)
{
	struct json_object	*h, *v;
	enum tok_err		 e = TOK_OK;

	if ((h = tok_json(pt)) == NULL)
		return TOK_EMALFORMED;
	if (!json_object_object_get_ex(h, "alg", &v) || !tok_str_is(v, "HS256"))
		e = TOK_EALG;
	else if (json_object_object_get_ex(h, "typ", &v) &&
	    !tok_str_is(v, "JWT"))
		e = TOK_EMALFORMED;
	else if (json_object_object_get_ex(h, "crit", NULL))
		e = TOK_EMALFORMED;
	json_object_put(h);
	return e;
}

/* 1 with *v when name is a JSON integer, 0 when absent, -1 otherwise. */
static int
tok_int(struct json_object *o, const char *name, int64_t *v)
{
	struct json_object	*x;

	if (!json_object_object_get_ex(o, name, &x))
		return 0;
	if (!json_object_is_type(x, json_type_int))
		return -1;
	errno = 0;
	*v = json_object_get_int64(x);
	return errno == 0 ? 1 : -1;
}

/* The string claim name, or NULL when absent or not a string. */
static const char *
tok_get_str(struct json_object *o, const char *name)
{
	struct json_object	*x;

	if (!json_object_object_get_ex(o, name, &x))
		return NULL;
	return tok_str(x);
}

/* aud: one string, or a non-empty array of strings. */
static int
tok_aud_ok(struct json_object *aud)
{
	size_t	 i, n;

	if (tok_str(aud) != NULL)
		return 1;
	if (!json_object_is_type(aud, json_type_array))
		return 0;
	if ((n = json_object_array_length(aud)) == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (tok_str(json_object_array_get_idx(aud, i)) == NULL)
			return 0;
	return 1;
}

/* sid and gen: both absent (a token made outside a session) or both valid. */
static int
tok_session(struct json_object *o, struct tok_claims *c)
{
	const char	*s;
	size_t		 len;
	int		 g;

	c->sid[0] = '\0';
	c->gen = 0;
	g = tok_int(o, "gen", &c->gen);
	if (!json_object_object_get_ex(o, "sid", NULL))
		return g == 0 ? 0 : -1;
	if ((s = tok_get_str(o, "sid")) == NULL || g != 1 || c->gen < 0)
		return -1;
	len = strlen(s);
	if (len < TOK_JTI_MIN || len > TOK_JTI_MAX || valid_hex(s, len) != 0)
		return -1;
	memcpy(c->sid, s, len + 1);
	return 0;
}

static int
tok_ids(struct json_object *o, struct tok_claims *c)
{
	const char	*s;
	size_t		 len;
	int		 role;

	if ((s = tok_get_str(o, "sub")) == NULL || s[0] == '0' ||
	    valid_i64(s, 1, INT64_MAX, &c->sub) != 0)
		return -1;
	if (tok_int(o, "fid", &c->fid) != 1 || c->fid < 0)
		return -1;
	if ((role = tok_role_parse(tok_get_str(o, "role"))) == -1)
		return -1;
	c->role = (enum tok_role)role;
	if ((s = tok_get_str(o, "jti")) == NULL)
		return -1;
	len = strlen(s);
	if (len < TOK_JTI_MIN || len > TOK_JTI_MAX || valid_hex(s, len) != 0)
		return -1;
	memcpy(c->jti, s, len + 1);
	return tok_session(o, c);
}

/* Every claim present and of its type; iss, aud and times not judged yet. */
static enum tok_err
tok_claims_read(struct json_object *o, struct tok_raw *r)
{
	memset(r, 0, sizeof(*r));
	if (tok_int(o, "exp", &r->c.exp) != 1 ||
	    tok_int(o, "iat", &r->c.iat) != 1 ||
	    (r->has_nbf = tok_int(o, "nbf", &r->nbf)) == -1)
		return TOK_ECLAIMS;
	if (r->c.exp < 0 || r->c.iat < 0 || (r->has_nbf && r->nbf < 0))
		return TOK_ECLAIMS;
	if ((r->iss = tok_get_str(o, "iss")) == NULL)
		return TOK_ECLAIMS;
	if (!json_object_object_get_ex(o, "aud", &r->aud) ||
	    !tok_aud_ok(r->aud))
		return TOK_ECLAIMS;
	if (tok_ids(o, &r->c) != 0)
		return TOK_ECLAIMS;
	return TOK_OK;
}

/* t later than now by more than the skew (no signed overflow). */
static int
tok_ahead(int64_t t, int64_t now)
{
	return t > now && (uint64_t)t - (uint64_t)now > TOK_SKEW;
}

static int
tok_aud_has(struct json_object *aud, const char *want)
{
	size_t	 i, n;

	if (!json_object_is_type(aud, json_type_array))
		return tok_str_is(aud, want);
	n = json_object_array_length(aud);
	for (i = 0; i < n; i++)
		if (tok_str_is(json_object_array_get_idx(aud, i), want))
			return 1;
	return 0;
}

static enum tok_err
tok_claims_judge(const struct tok_key *k, const struct tok_raw *r,
    int64_t now)
{
	if (r->c.exp <= now)
		return TOK_EEXPIRED;
	if ((r->has_nbf && tok_ahead(r->nbf, now)) || tok_ahead(r->c.iat, now))
		return TOK_ENOTYET;
	if (strcmp(r->iss, k->iss) != 0)
		return TOK_EISS;
	if (!tok_aud_has(r->aud, k->aud))
		return TOK_EAUD;
	return TOK_OK;
}

/*
 * An HS256 signature is 32 bytes in canonical base64url: libjwt never sees
 * another, so a signature has one spelling only.
 */
static int
tok_sig_shape(const struct tok_part *pt)
{
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES + 1];
	const char	*end = NULL;
	size_t		 n = 0;

	if (pt->len != sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
		return 0;
	if (sodium_base642bin(mac, sizeof(mac), pt->p, pt->len, NULL, &n, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return 0;
	return end == pt->p + pt->len && n == crypto_auth_hmacsha256_BYTES;
}

/* libjwt checks the signature; the alg it saw must be ours too. */
static enum tok_err
tok_signature(const struct tok_key *k, const char *token,
    const struct tok_part *sig)
{
	jwt_t		*jwt = NULL;
	enum tok_err	 e;
	int		 rc;

	if (!tok_sig_shape(sig))
		return TOK_ESIG;
	rc = jwt_decode(&jwt, token, k->key, (int)k->len);
	if (rc == ENOMEM)
		e = TOK_ESYS;
	else if (rc != 0 || jwt == NULL)
		e = TOK_ESIG;
	else if (jwt_get_alg(jwt) != JWT_ALG_HS256)
		e = TOK_EALG;
	else
		e = TOK_OK;
	jwt_free(jwt);
	return e;
}

/*
 * The tokens verified last, each under its whole text: a client sends the
 * same access token with every request until it expires, and checking it
 * again (libjwt's JSON, base64 and HMAC) was about 14 % of an api
 * process's time on a cached summary (perf).  An entry answers only for
 * the same bytes under the same key, issuer and audience (any other key
 * empties the cache), while its exp is ahead and the clock has not gone
 * back since it was checked: then nbf and iat, which passed then, pass
 * now.  Revocation is asked on every request, as before.  Direct-mapped
 * (a collision replaces the entry); the handlers call this from one
 * thread only.
 */
#define TOK_CACHE_SLOTS	256
#define TOK_CACHE_LEN	512		/* longer tokens are not kept */

struct tok_cached {
	size_t			 len;		/* 0: empty */
	int64_t			 at;		/* when it was verified */
	struct tok_claims	 c;
	char			 token[TOK_CACHE_LEN];
};

/* The key the entries were verified under, hashed (BLAKE2b): no copy of it. */
static unsigned char		 tok_cache_fp[crypto_generichash_BYTES];
static struct tok_cached	 tok_cache[TOK_CACHE_SLOTS];

static void
tok_key_fp(const struct tok_key *k, unsigned char fp[crypto_generichash_BYTES])
{
	crypto_generichash(fp, crypto_generichash_BYTES,
	    (const unsigned char *)k, sizeof(*k), NULL, 0);
}

static struct tok_cached *
tok_cache_slot(const char *token, size_t len)
{
	return &tok_cache[fnv_bytes(FNV_BASIS, token, len) % TOK_CACHE_SLOTS];
}

/* The claims of a token verified before under k, or NULL. */
static const struct tok_cached *
tok_cache_get(const struct tok_key *k, const char *token, int64_t now)
{
	const struct tok_cached	*e;
	unsigned char		 fp[crypto_generichash_BYTES];
	size_t			 len = strnlen(token, TOK_CACHE_LEN);

	if (len == TOK_CACHE_LEN)
		return NULL;
	tok_key_fp(k, fp);
	if (sodium_memcmp(fp, tok_cache_fp, sizeof(fp)) != 0)
		return NULL;
	e = tok_cache_slot(token, len);
	/* In constant time, as a signature check would be: no timing tells
	 * how much of another client's token a guess got right. */
	if (e->len != len || sodium_memcmp(e->token, token, len) != 0 ||
	    now < e->at)
		return NULL;
	return e;
}

static void
tok_cache_put(const struct tok_key *k, const char *token,
    const struct tok_claims *c, int64_t now)
{
	struct tok_cached	*e;
	unsigned char		 fp[crypto_generichash_BYTES];
	size_t			 len = strnlen(token, TOK_CACHE_LEN);

	if (len == TOK_CACHE_LEN)
		return;
	tok_key_fp(k, fp);
	if (sodium_memcmp(fp, tok_cache_fp, sizeof(fp)) != 0) {
		memset(tok_cache, 0, sizeof(tok_cache));
		memcpy(tok_cache_fp, fp, sizeof(fp));
	}
	e = tok_cache_slot(token, len);
	memcpy(e->token, token, len);
	e->len = len;
	e->at = now;
	e->c = *c;
}

enum tok_err
tok_verify(const struct tok_key *k, const char *token, int64_t now,
    int (*revoked)(void *arg, const char *jti), void *arg,
    struct tok_claims *c)
{
	const struct tok_cached	*hit;
	struct tok_part		 part[3];
	struct tok_raw		 r;
	struct json_object	*o = NULL;
	enum tok_err		 e;
	int			 rv;

	if (!tok_key_ok(k))
		return TOK_ESYS;	/* a zero-length key skips the check */
	if (tok_split(token, part) != 0)
		return TOK_EMALFORMED;
	if ((hit = tok_cache_get(k, token, now)) != NULL) {
		r.c = hit->c;
		e = r.c.exp <= now ? TOK_EEXPIRED : TOK_OK;
		goto checked;
	}
	if ((e = tok_header(&part[0])) != TOK_OK)
		return e;
	if ((o = tok_json(&part[1])) == NULL)
		return TOK_EMALFORMED;
	if ((e = tok_signature(k, token, &part[2])) != TOK_OK ||
	    (e = tok_claims_read(o, &r)) != TOK_OK ||
	    (e = tok_claims_judge(k, &r, now)) != TOK_OK)
		goto out;
	tok_cache_put(k, token, &r.c, now);
checked:
	if (e != TOK_OK)
		goto out;
	if (revoked != NULL && (rv = revoked(arg, r.c.jti)) != 0) {
		/* Fail closed: any answer but 0 or 1 (no store) lets nothing in. */
		e = rv == 1 ? TOK_EREVOKED : TOK_ESYS;
		goto out;
	}
	if (c != NULL)
		*c = r.c;
out:
	json_object_put(o);
	return e;
}
