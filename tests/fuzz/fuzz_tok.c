/*
 * libFuzzer target for the access-token parser (tok_verify).  The first
 * byte picks what the rest is: 0, a token as a client sends it; 1, a
 * header and a payload (split at the first newline) that the harness
 * signs with the key, so the claim checks past the signature get fuzzed
 * too.  The low bits of the second byte say what the revocation store
 * answers.  A token tok_verify accepts must hold claims in their ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/tok.h"

#define NOW	INT64_C(1700000000)
#define KEY	"fuzz-key-0123456789abcdef0123456789"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 answer;	/* the revocation store's answer */
static int	 asked;

static int
revoked(void *arg, const char *jti)
{
	(void)arg;
	if (jti == NULL || strlen(jti) >= sizeof(((struct tok_claims *)0)->jti))
		abort();
	asked = 1;
	return answer;
}

/* Appends the base64url form of (p, n) at out; returns its end. */
static char *
b64(char *out, char *end, const void *p, size_t n)
{
	if ((size_t)(end - out) < sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		abort();
	sodium_bin2base64(out, (size_t)(end - out), p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out + strlen(out);
}

/* header.payload.signature for the two parts, HS256 with KEY. */
static char *
sign(const uint8_t *d, size_t n)
{
	const uint8_t	*nl = memchr(d, '\n', n);
	size_t		 hn = nl != NULL ? (size_t)(nl - d) : 0;
	size_t		 cap = 2 * n + 128;
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char		*t, *p;

	if ((t = malloc(cap)) == NULL)
		return NULL;
	p = b64(t, t + cap, d, hn);
	*p++ = '.';
	p = nl != NULL ? b64(p, t + cap, nl + 1, n - hn - 1) : b64(p, t + cap, d, n);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)KEY, strlen(KEY));
	crypto_auth_hmacsha256_update(&st, (unsigned char *)t, (size_t)(p - t));
	crypto_auth_hmacsha256_final(&st, mac);
	*p++ = '.';
	b64(p, t + cap, mac, sizeof(mac));
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tok_key		 k;
	struct tok_claims	 c;
	enum tok_err		 e;
	char			*t;

	if (size < 2 || size > 3 * TOK_MAX)
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(k.key, KEY, strlen(KEY));
	k.len = strlen(KEY);
	memcpy(k.iss, "replycast", sizeof("replycast"));
	memcpy(k.aud, "replycast-api", sizeof("replycast-api"));
	k.ttl = 900;
	answer = data[1] % 4 == 3 ? 2 : data[1] % 4 == 2;	/* 0, 1 or 2 */
	asked = 0;
	if (data[0] % 2 == 0) {
		if ((t = malloc(size - 1)) == NULL)
			return 0;
		memcpy(t, data + 2, size - 2);
		t[size - 2] = '\0';
	} else if ((t = sign(data + 2, size - 2)) == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	e = tok_verify(&k, t, NOW, revoked, NULL, &c);
	if (e >= TOK__MAX || tok_strerror(e) == NULL)
		abort();
	if (e == TOK_OK && (!asked || answer != 0 || c.exp <= NOW ||
	    c.iat > NOW + 60 || (unsigned)c.role >= TOK_ROLE__MAX ||
	    tok_role_name(c.role) == NULL || c.sub <= 0 ||
	    strlen(c.jti) >= sizeof(c.jti)))
		abort();
	if (asked && ((answer == 1 && e != TOK_EREVOKED) ||
	    (answer == 2 && e != TOK_ESYS)))
		abort();
	free(t);
	return 0;
}
