#ifndef RC_SEC_H
#define RC_SEC_H
#include <stddef.h>

/*
 * Secrets and their hashes, over libsodium (initialized by sec_init, which
 * every program calls once at start).
 */

#define SEC_PWHASH_LEN	128		/* crypto_pwhash_STRBYTES */
#define SEC_TOKEN_LEN	43		/* 256 random bits, base64url, no padding */
#define SEC_SHA256_HEX	64

int	 sec_init(void);			/* 0, or -1 when libsodium fails */

/* Argon2id (crypto_pwhash_str, interactive limits by default). */
int	 sec_pw_hash(const char *pw, size_t len, char out[SEC_PWHASH_LEN]);
/* 1 when pw matches the stored hash, 0 when not, -1 on a malformed hash. */
int	 sec_pw_verify(const char *stored, const char *pw, size_t len);
/*
 * 1 when the stored hash uses other limits than today's and should be
 * redone, 0 when not, -1 on a malformed hash.
 */
int	 sec_pw_needs_rehash(const char *stored);

/* A new opaque secret: 256 random bits as base64url (refresh tokens, API keys, CSRF). */
int	 sec_token(char out[SEC_TOKEN_LEN + 1]);
/* Lowercase hex SHA-256 of s: what is stored instead of a token. */
void	 sec_sha256_hex(const char *s, size_t len, char out[SEC_SHA256_HEX + 1]);
/* Random bytes as lowercase hex (2 * n characters + NUL in out). */
int	 sec_random_hex(char *out, size_t n);

/* Constant-time equality of two byte strings (different lengths: unequal). */
int	 sec_equal(const void *, size_t, const void *, size_t);

/*
 * 1 when sig_hex (any case) is the hex HMAC-SHA512 of body under key, in
 * constant time; 0 otherwise (a malformed signature included).
 */
int	 sec_hmac_sha512_ok(const char *key, size_t keylen, const char *body,
	    size_t bodylen, const char *sig_hex);

/*
 * The lowercase hex HMAC-SHA256 of the concatenation a || b under key
 * (the alert webhooks sign "timestamp.body" this way); b may be NULL when
 * blen is 0.
 */
void	 sec_hmac_sha256_hex(const char *key, size_t keylen, const char *a,
	    size_t alen, const char *b, size_t blen,
	    char out[SEC_SHA256_HEX + 1]);

/*
 * Decodes base64url without padding (a trailing '=' padding is accepted)
 * into out (at most outsz bytes); the decoded length, or -1 when src is
 * not base64url or does not fit.
 */
long	 sec_b64url_dec(const char *src, size_t len, unsigned char *out,
	    size_t outsz);

#endif
