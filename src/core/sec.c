#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "sec.h"

#define SEC_TOKEN_BYTES	32		/* 256 bits */
#define SEC_HMAC_HEX	(2 * crypto_auth_hmacsha512_BYTES)
#define SEC_HEX_CHUNK	32		/* random bytes drawn per round */

_Static_assert(SEC_PWHASH_LEN == crypto_pwhash_STRBYTES,
    "SEC_PWHASH_LEN must be crypto_pwhash_STRBYTES");
_Static_assert(SEC_TOKEN_LEN + 1 == sodium_base64_ENCODED_LEN(SEC_TOKEN_BYTES,
    sodium_base64_VARIANT_URLSAFE_NO_PADDING),
    "SEC_TOKEN_LEN must be 32 bytes in unpadded base64url");
_Static_assert(SEC_SHA256_HEX == 2 * crypto_hash_sha256_BYTES,
    "SEC_SHA256_HEX must be a SHA-256 in hex");

int
sec_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int
sec_pw_hash(const char *pw, size_t len, char out[SEC_PWHASH_LEN])
{
	if (pw == NULL && len > 0)
		return -1;
	if (crypto_pwhash_str(out, pw == NULL ? "" : pw, len,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1;	/* out of memory */
	return 0;
}

/*
 * crypto_pwhash_str_verify says -1 both for a wrong password and for a
 * string it cannot read; needs_rehash decodes the whole string without
 * hashing, so it tells the two apart cheaply.
 */
static int
sec_pw_readable(const char *stored)
{
	if (stored == NULL || strnlen(stored, SEC_PWHASH_LEN) == SEC_PWHASH_LEN)
		return 0;
	return crypto_pwhash_str_needs_rehash(stored,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != -1;
}

int
sec_pw_verify(const char *stored, const char *pw, size_t len)
{
	if (!sec_pw_readable(stored))
		return -1;
	if (pw == NULL && len > 0)
		return 0;
	return crypto_pwhash_str_verify(stored, pw == NULL ? "" : pw,
	    len) == 0;
}

int
sec_pw_needs_rehash(const char *stored)
{
	if (!sec_pw_readable(stored))
		return -1;
	return crypto_pwhash_str_needs_rehash(stored,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 1;
}

int
sec_token(char out[SEC_TOKEN_LEN + 1])
{
	unsigned char	 b[SEC_TOKEN_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, SEC_TOKEN_LEN + 1, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
	return 0;
}

void
sec_sha256_hex(const char *s, size_t len, char out[SEC_SHA256_HEX + 1])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, len);
	sodium_bin2hex(out, SEC_SHA256_HEX + 1, h, sizeof(h));
}

int
sec_random_hex(char *out, size_t n)
{
	unsigned char	 b[SEC_HEX_CHUNK];
	size_t		 off, k;

	if (out == NULL || n > (SIZE_MAX - 1) / 2)
		return -1;
	out[0] = '\0';
	for (off = 0; off < n; off += k) {
		k = n - off < sizeof(b) ? n - off : sizeof(b);
		randombytes_buf(b, k);
		sodium_bin2hex(out + 2 * off, 2 * k + 1, b, k);
	}
	sodium_memzero(b, sizeof(b));
	return 0;
}

int
sec_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return 0;
	if (alen == 0)
		return 1;
	if (a == NULL || b == NULL)
		return 0;
	return sodium_memcmp(a, b, alen) == 0;
}

/* Exactly 128 hex digits, either case, into sig; -1 otherwise. */
static int
sec_hmac_parse(const char *hex, unsigned char sig[crypto_auth_hmacsha512_BYTES])
{
	const char	*end = NULL;
	size_t		 n = 0;

	if (hex == NULL || strnlen(hex, SEC_HMAC_HEX + 1) != SEC_HMAC_HEX)
		return -1;
	if (sodium_hex2bin(sig, crypto_auth_hmacsha512_BYTES, hex,
	    SEC_HMAC_HEX, NULL, &n, &end) != 0)
		return -1;
	if (n != crypto_auth_hmacsha512_BYTES || end != hex + SEC_HMAC_HEX)
		return -1;
	return 0;
}

/* The init/update/final form takes a key of any length (RFC 2104). */
int
sec_hmac_sha512_ok(const char *key, size_t keylen, const char *body,
    size_t bodylen, const char *sig_hex)
{
	crypto_auth_hmacsha512_state	 st;
	unsigned char			 sig[crypto_auth_hmacsha512_BYTES];
	unsigned char			 mac[crypto_auth_hmacsha512_BYTES];
	int				 ok = 0;

	if ((key == NULL && keylen > 0) || (body == NULL && bodylen > 0))
		return 0;
	if (sec_hmac_parse(sig_hex, sig) != 0)
		return 0;
	if (crypto_auth_hmacsha512_init(&st, (const unsigned char *)key,
	    keylen) != 0 ||
	    crypto_auth_hmacsha512_update(&st, (const unsigned char *)body,
	    bodylen) != 0 ||
	    crypto_auth_hmacsha512_final(&st, mac) != 0)
		goto out;
	ok = sodium_memcmp(mac, sig, sizeof(mac)) == 0;
out:
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
	return ok;
}

void
sec_hmac_sha256_hex(const char *key, size_t keylen, const char *a,
    size_t alen, const char *b, size_t blen, char out[SEC_SHA256_HEX + 1])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)a, alen);
	if (blen > 0)
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)b,
		    blen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, SEC_SHA256_HEX + 1, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

long
sec_b64url_dec(const char *src, size_t len, unsigned char *out, size_t outsz)
{
	size_t	 n;

	while (len > 0 && src[len - 1] == '=')
		len--;
	if (sodium_base642bin(out, outsz, src, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	return (long)n;
}
