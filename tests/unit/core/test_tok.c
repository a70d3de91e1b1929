#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <sodium.h>

#include "core/sec.h"
#include "core/tok.h"
#include "tests.h"

#define NOW		INT64_C(1700000000)
#define TTL		900
#define KEY		"test-key-0123456789abcdef0123456789"	/* 35 bytes */
#define OTHER_KEY	"another-key-0123456789abcdef01234567"
#define ISS		"replycast"
#define AUD		"replycast-api"
#define JTI		"0123456789abcdef0123456789abcdef"
#define BIG		(TOK_MAX * 2)

static const char	*hs256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static void
key_init(struct tok_key *k, const char *key)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->key, key, strlen(key));
	k->len = strlen(key);
	memcpy(k->iss, ISS, sizeof(ISS));
	memcpy(k->aud, AUD, sizeof(AUD));
	k->ttl = TTL;
}

static void
b64(const void *p, size_t len, char *out, size_t outsz)
{
	CU_ASSERT_FATAL(sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) <= outsz);
	sodium_bin2base64(out, outsz, p, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Decodes the base64url part [p, p + len) into a NUL-terminated out. */
static void
unb64(const char *p, size_t len, char *out, size_t outsz)
{
	size_t	 n = 0;

	CU_ASSERT_EQUAL_FATAL(sodium_base642bin((unsigned char *)out,
	    outsz - 1, p, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	out[n] = '\0';
}

/* The base64url character whose value differs from c's in the low bit. */
static char
b64_flip_low(char c)
{
	static const char	 a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	const char		*p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p = strchr(a, c));
	return a[(p - a) ^ 1];
}

static void
join(char *out, size_t outsz, const char *a, const char *b, const char *c)
{
	int	 n;

	n = snprintf(out, outsz, "%s.%s.%s", a, b, c);
	CU_ASSERT_FATAL(n >= 0 && (size_t)n < outsz);
}

/*
 * header.payload, then a signature: HMAC-SHA256 under key (any length,
 * hence init/update/final), HMAC-SHA512 when sha512, none when key is NULL.
 */
static void
make(char *out, size_t outsz, const char *hdr, const char *payload,
    const char *key, int sha512)
{
	crypto_auth_hmacsha256_state	 s256;
	crypto_auth_hmacsha512_state	 s512;
	unsigned char			 mac[crypto_auth_hmacsha512_BYTES];
	char				 h[BIG], p[BIG], s[256], msg[2 * BIG];
	size_t				 maclen;

	b64(hdr, strlen(hdr), h, sizeof(h));
	b64(payload, strlen(payload), p, sizeof(p));
	s[0] = '\0';
	if (key != NULL) {
		join(msg, sizeof(msg), h, p, "");
		msg[strlen(msg) - 1] = '\0';	/* the signing input: h.p */
		if (sha512) {
			crypto_auth_hmacsha512_init(&s512,
			    (const unsigned char *)key, strlen(key));
			crypto_auth_hmacsha512_update(&s512,
			    (unsigned char *)msg, strlen(msg));
			crypto_auth_hmacsha512_final(&s512, mac);
			maclen = crypto_auth_hmacsha512_BYTES;
		} else {
			crypto_auth_hmacsha256_init(&s256,
			    (const unsigned char *)key, strlen(key));
			crypto_auth_hmacsha256_update(&s256,
			    (unsigned char *)msg, strlen(msg));
			crypto_auth_hmacsha256_final(&s256, mac);
			maclen = crypto_auth_hmacsha256_BYTES;
		}
		b64(mac, maclen, s, sizeof(s));
	}
	join(out, outsz, h, p, s);
}

static struct json_object *
claims(void)
{
	struct json_object	*o;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o = json_object_new_object());
	json_object_object_add(o, "iss", json_object_new_string(ISS));
	json_object_object_add(o, "aud", json_object_new_string(AUD));
	json_object_object_add(o, "sub", json_object_new_string("42"));
	json_object_object_add(o, "fid", json_object_new_int64(1234));
	json_object_object_add(o, "role", json_object_new_string("user"));
	json_object_object_add(o, "iat", json_object_new_int64(NOW - 10));
	json_object_object_add(o, "exp", json_object_new_int64(NOW + 100));
	json_object_object_add(o, "jti", json_object_new_string(JTI));
	return o;
}

static void
set(struct json_object *o, const char *name, struct json_object *v)
{
	json_object_object_add(o, name, v);
}

/* Signs o (which it frees) with KEY under header hdr and verifies it. */
static enum tok_err
check_hdr(const char *hdr, struct json_object *o, struct tok_claims *c)
{
	struct tok_key	 k;
	char		 t[2 * BIG];

	key_init(&k, KEY);
	make(t, sizeof(t), hdr, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), KEY, 0);
	json_object_put(o);
	return tok_verify(&k, t, NOW, NULL, NULL, c);
}

static enum tok_err
check(struct json_object *o)
{
	struct tok_claims	 c;

	return check_hdr(hs256, o, &c);
}

static enum tok_err
check_set(const char *name, struct json_object *v)
{
	struct json_object	*o = claims();

	set(o, name, v);
	return check(o);
}

static enum tok_err
check_del(const char *name)
{
	struct json_object	*o = claims();

	json_object_object_del(o, name);
	return check(o);
}

static enum tok_err
verify(const char *token)
{
	struct tok_key		 k;
	struct tok_claims	 c;

	key_init(&k, KEY);
	return tok_verify(&k, token, NOW, NULL, NULL, &c);
}

static void
issue(const char *key, enum tok_role role, struct tok_claims *c, char *out,
    size_t outsz)
{
	struct tok_key	 k;

	key_init(&k, key);
	memset(c, 0, sizeof(*c));
	c->sub = 42;
	c->fid = 1234;
	c->role = role;
	CU_ASSERT_EQUAL_FATAL(tok_issue(&k, c, NOW, out, outsz), TOK_OK);
}

static int
suite_init(void)
{
	return sec_init();
}

static void
test_round_trip(void)
{
	struct tok_key		 k;
	struct tok_claims	 in, out;
	char			 t[TOK_MAX + 1];

	issue(KEY, TOK_ROLE_ADMIN, &in, t, sizeof(t));
	CU_ASSERT_EQUAL(in.iat, NOW);
	CU_ASSERT_EQUAL(in.exp, NOW + TTL);
	CU_ASSERT_EQUAL(strlen(in.jti), 32);
	CU_ASSERT_EQUAL(strspn(in.jti, "0123456789abcdef"), 32);

	key_init(&k, KEY);
	memset(&out, 0xa5, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(tok_verify(&k, t, NOW, NULL, NULL, &out),
	    TOK_OK);
	CU_ASSERT_EQUAL(out.sub, 42);
	CU_ASSERT_EQUAL(out.fid, 1234);
	CU_ASSERT_EQUAL(out.role, TOK_ROLE_ADMIN);
	CU_ASSERT_EQUAL(out.iat, NOW);
	CU_ASSERT_EQUAL(out.exp, NOW + TTL);
	CU_ASSERT_STRING_EQUAL(out.jti, in.jti);

	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + TTL - 1, NULL, NULL, &out),
	    TOK_OK);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + TTL, NULL, NULL, &out),
	    TOK_EEXPIRED);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW - 60, NULL, NULL, &out),
	    TOK_OK);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW - 61, NULL, NULL, &out),
	    TOK_ENOTYET);
}

static void
test_issue_fresh_jti(void)
{
	struct tok_claims	 a, b;
	char			 ta[TOK_MAX + 1], tb[TOK_MAX + 1];

	issue(KEY, TOK_ROLE_USER, &a, ta, sizeof(ta));
	issue(KEY, TOK_ROLE_USER, &b, tb, sizeof(tb));
	CU_ASSERT_NOT_EQUAL(strcmp(a.jti, b.jti), 0);
	CU_ASSERT_NOT_EQUAL(strcmp(ta, tb), 0);
}

static void
test_issue_errors(void)
{
	struct tok_key		 k;
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];

	key_init(&k, KEY);
	memset(&c, 0, sizeof(c));
	c.sub = 42;
	c.fid = 1234;
	c.role = TOK_ROLE_USER;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, 20), TOK_ESYS);	/* small */
	c.sub = 0;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ECLAIMS);
	c.sub = 42;
	c.fid = -1;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ECLAIMS);
	c.fid = 1234;
	c.role = TOK_ROLE__MAX;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ECLAIMS);
	c.role = TOK_ROLE_USER;
	k.len = TOK_MIN_KEY - 1;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ESYS);
	key_init(&k, KEY);
	k.aud[0] = '\0';
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ESYS);
	key_init(&k, KEY);
	k.ttl = 0;
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ESYS);
}

static void
test_good_handmade(void)
{
	struct tok_claims	 c;

	CU_ASSERT_EQUAL(check_hdr(hs256, claims(), &c), TOK_OK);
	CU_ASSERT_EQUAL(c.sub, 42);
	CU_ASSERT_STRING_EQUAL(c.jti, JTI);
	CU_ASSERT_EQUAL(check_hdr("{\"alg\":\"HS256\"}", claims(), &c),
	    TOK_OK);
	/* Claims we do not know are ignored. */
	CU_ASSERT_EQUAL(check_set("name", json_object_new_string("x")),
	    TOK_OK);
}

static void
test_expired(void)
{
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_int64(NOW)),
	    TOK_EEXPIRED);
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_int64(NOW - 1)),
	    TOK_EEXPIRED);
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_int64(0)),
	    TOK_EEXPIRED);
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_int64(NOW + 1)),
	    TOK_OK);
}

static void
test_not_yet(void)
{
	CU_ASSERT_EQUAL(check_set("nbf", json_object_new_int64(NOW + 3600)),
	    TOK_ENOTYET);
	CU_ASSERT_EQUAL(check_set("nbf", json_object_new_int64(NOW + 61)),
	    TOK_ENOTYET);
	CU_ASSERT_EQUAL(check_set("nbf", json_object_new_int64(NOW + 60)),
	    TOK_OK);	/* within the skew */
	CU_ASSERT_EQUAL(check_set("nbf", json_object_new_int64(NOW - 5)),
	    TOK_OK);
	CU_ASSERT_EQUAL(check_set("nbf", json_object_new_string("0")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_int64(NOW + 86400)),
	    TOK_ENOTYET);
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_int64(NOW + 61)),
	    TOK_ENOTYET);
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_int64(NOW + 60)),
	    TOK_OK);
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_int64(INT64_MAX)),
	    TOK_ENOTYET);
}

static void
test_iss_aud(void)
{
	struct json_object	*a;

	CU_ASSERT_EQUAL(check_set("iss", json_object_new_string("evil")),
	    TOK_EISS);
	CU_ASSERT_EQUAL(check_set("iss", json_object_new_string("replycas")),
	    TOK_EISS);
	CU_ASSERT_EQUAL(check_set("iss", json_object_new_string("")),
	    TOK_EISS);
	CU_ASSERT_EQUAL(check_set("aud", json_object_new_string("dash")),
	    TOK_EAUD);
	CU_ASSERT_EQUAL(check_set("aud",
	    json_object_new_string("replycast-api2")), TOK_EAUD);

	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string("dash"));
	json_object_array_add(a, json_object_new_string(AUD));
	CU_ASSERT_EQUAL(check_set("aud", a), TOK_OK);

	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string("dash"));
	json_object_array_add(a, json_object_new_string("auth"));
	CU_ASSERT_EQUAL(check_set("aud", a), TOK_EAUD);

	CU_ASSERT_EQUAL(check_set("aud", json_object_new_array()),
	    TOK_ECLAIMS);
	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string(AUD));
	json_object_array_add(a, json_object_new_int(1));
	CU_ASSERT_EQUAL(check_set("aud", a), TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("aud", json_object_new_int(1)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("iss", json_object_new_int(1)),
	    TOK_ECLAIMS);
}

/* sid and gen come together; fid 0 is an account with no fid bound yet. */
static void
test_session_claims(void)
{
	struct json_object	*o;
	struct tok_key		 k;
	struct tok_claims	 c, out;
	char			 t[TOK_MAX + 1];

	key_init(&k, KEY);
	memset(&c, 0, sizeof(c));
	c.sub = 42;
	c.role = TOK_ROLE_USER;
	snprintf(c.sid, sizeof(c.sid), "%s", "00112233445566778899aabbccddeeff");
	c.gen = 7;
	c.exp = NOW + 30;		/* the session ends before the ttl */
	CU_ASSERT_EQUAL_FATAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_OK);
	CU_ASSERT_EQUAL(c.exp, NOW + 30);
	CU_ASSERT_EQUAL_FATAL(tok_verify(&k, t, NOW, NULL, NULL, &out), TOK_OK);
	CU_ASSERT_EQUAL(out.fid, 0);
	CU_ASSERT_EQUAL(out.gen, 7);
	CU_ASSERT_STRING_EQUAL(out.sid, c.sid);
	CU_ASSERT_EQUAL(out.exp, NOW + 30);
	c.exp = NOW + TTL + 100;	/* never later than the ttl */
	CU_ASSERT_EQUAL_FATAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_OK);
	CU_ASSERT_EQUAL(c.exp, NOW + TTL);
	c.exp = NOW;			/* the session is over */
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ECLAIMS);
	c.exp = 0;
	snprintf(c.sid, sizeof(c.sid), "%s", "not-hex");
	CU_ASSERT_EQUAL(tok_issue(&k, &c, NOW, t, sizeof(t)), TOK_ECLAIMS);

	o = claims();
	set(o, "sid", json_object_new_string("00112233445566778899aabbccddeeff"));
	CU_ASSERT_EQUAL(check(o), TOK_ECLAIMS);		/* sid without gen */
	o = claims();
	set(o, "gen", json_object_new_int(1));
	CU_ASSERT_EQUAL(check(o), TOK_ECLAIMS);		/* gen without sid */
	o = claims();
	set(o, "sid", json_object_new_string("00112233445566778899aabbccddeeff"));
	set(o, "gen", json_object_new_int(-1));
	CU_ASSERT_EQUAL(check(o), TOK_ECLAIMS);
	o = claims();
	set(o, "sid", json_object_new_string("zz112233"));
	set(o, "gen", json_object_new_int(1));
	CU_ASSERT_EQUAL(check(o), TOK_ECLAIMS);
	o = claims();
	set(o, "sid", json_object_new_string("00112233445566778899aabbccddeeff"));
	set(o, "gen", json_object_new_int(3));
	CU_ASSERT_EQUAL(check(o), TOK_OK);
}

static void
test_missing(void)
{
	static const char *const names[] = {
		"exp", "iat", "iss", "aud", "sub", "fid", "role", "jti",
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CU_ASSERT_EQUAL(check_del(names[i]), TOK_ECLAIMS);
}

static void
test_types(void)
{
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_string("1700000100")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("exp", json_object_new_double(1.7e9 + 100)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("exp", NULL), TOK_ECLAIMS);	/* null */
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_string("1")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("iat", json_object_new_int64(-1)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("fid", json_object_new_string("1234")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("fid", json_object_new_int(-1)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("fid", json_object_new_boolean(1)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("role", json_object_new_string("root")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("role", json_object_new_string("Admin")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("role", json_object_new_int(1)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_int(42)),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_string("0")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_string("-1")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_string("042")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_string("4x")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("sub",
	    json_object_new_string("9223372036854775808")), TOK_ECLAIMS);
	/* libjwt's jansson refuses \u0000 before the signature is judged. */
	CU_ASSERT_EQUAL(check_set("sub", json_object_new_string_len("42\0", 3)),
	    TOK_ESIG);
	CU_ASSERT_EQUAL(check_set("sub",
	    json_object_new_string("9223372036854775807")), TOK_OK);
}

static void
test_jti(void)
{
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_string("0123456")),
	    TOK_ECLAIMS);	/* 7 */
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_string("01234567")),
	    TOK_OK);	/* 8 */
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_string(
	    JTI "0123456789abcde")), TOK_OK);	/* 47 */
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_string(
	    JTI "0123456789abcdef")), TOK_ECLAIMS);	/* 48 */
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_string("0123456z")),
	    TOK_ECLAIMS);
	CU_ASSERT_EQUAL(check_set("jti", json_object_new_int(12345678)),
	    TOK_ECLAIMS);
}

/* Each base64url character of the payload changed in turn. */
static void
test_tamper_flip(void)
{
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];
	char			*p, *q, was;
	enum tok_err		 e;

	issue(KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = strchr(t, '.'));
	CU_ASSERT_PTR_NOT_NULL_FATAL(q = strchr(p + 1, '.'));
	for (p++; p < q; p++) {
		was = *p;
		*p = was == 'A' ? 'B' : 'A';
		e = verify(t);
		CU_ASSERT(e == TOK_ESIG || e == TOK_EMALFORMED);
		*p = was;
	}
	CU_ASSERT_EQUAL(verify(t), TOK_OK);
}

/* The payload re-encoded with role admin, the old signature kept. */
static void
test_tamper_role(void)
{
	struct tok_claims	 c;
	struct json_object	*o;
	char			 t[TOK_MAX + 1], pl[TOK_MAX], p64[TOK_MAX];
	char			 hdr[TOK_MAX], forged[2 * TOK_MAX];
	char			*dot1, *dot2;

	issue(KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	dot1 = strchr(t, '.');
	dot2 = dot1 == NULL ? NULL : strchr(dot1 + 1, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot2);
	unb64(dot1 + 1, (size_t)(dot2 - dot1 - 1), pl, sizeof(pl));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o = json_tokener_parse(pl));
	set(o, "role", json_object_new_string("admin"));
	b64(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    strlen(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)),
	    p64, sizeof(p64));
	json_object_put(o);
	memcpy(hdr, t, (size_t)(dot1 - t));
	hdr[dot1 - t] = '\0';
	join(forged, sizeof(forged), hdr, p64, dot2 + 1);
	CU_ASSERT_EQUAL(verify(forged), TOK_ESIG);
}

static void
test_tamper_sig(void)
{
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];
	char			*s, was;
	size_t			 len;

	issue(KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s = strrchr(t, '.'));
	s++;
	len = strlen(s);
	CU_ASSERT_EQUAL(len, 43);
	was = s[0];
	s[0] = was == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);
	s[0] = was;
	/* The last character carries 4 bits and 2 unused ones: flip those. */
	was = s[len - 1];
	s[len - 1] = b64_flip_low(was);
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);
	s[len - 1] = was;
	CU_ASSERT_EQUAL(verify(t), TOK_OK);
	s[len - 1] = '\0';
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);
	s[0] = '\0';
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);	/* HS256, no signature */
}

static void
test_other_key(void)
{
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];
	struct json_object	*o = claims();

	issue(OTHER_KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);

	make(t, sizeof(t), hs256, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), OTHER_KEY, 0);
	json_object_put(o);
	CU_ASSERT_EQUAL(verify(t), TOK_ESIG);
}

static int
revoke_all(void *arg, const char *jti)
{
	(void)arg;
	(void)jti;
	return 1;
}

/*
 * A token verified once is known by its whole text afterwards: only the
 * same bytes, under the same key, issuer and audience, while exp is ahead
 * and the clock has not gone back, skip the check; revocation is asked
 * every time.
 */
static void
test_cache(void)
{
	struct tok_key		 k, other, aud;
	struct tok_claims	 in, out;
	char			 t[TOK_MAX + 1], forged[2 * TOK_MAX];
	char			 hdr[TOK_MAX], p64[TOK_MAX];
	char			*dot1, *dot2;

	issue(KEY, TOK_ROLE_USER, &in, t, sizeof(t));
	key_init(&k, KEY);
	key_init(&other, OTHER_KEY);
	key_init(&aud, KEY);
	snprintf(aud.aud, sizeof(aud.aud), "another-audience");
	CU_ASSERT_EQUAL_FATAL(tok_verify(&k, t, NOW, NULL, NULL, &out), TOK_OK);
	memset(&out, 0, sizeof(out));
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + 1, NULL, NULL, &out), TOK_OK);
	CU_ASSERT_EQUAL(out.sub, 42);
	CU_ASSERT_EQUAL(out.fid, 1234);
	CU_ASSERT_EQUAL(out.role, TOK_ROLE_USER);
	CU_ASSERT_STRING_EQUAL(out.jti, in.jti);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + 2, revoke_all, NULL, &out),
	    TOK_EREVOKED);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + TTL, NULL, NULL, &out),
	    TOK_EEXPIRED);

	/* Its signature on another payload (a user's, same length). */
	dot1 = strchr(t, '.');
	dot2 = dot1 == NULL ? NULL : strchr(dot1 + 1, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot2);
	memcpy(hdr, t, (size_t)(dot1 - t));
	hdr[dot1 - t] = '\0';
	memcpy(p64, dot1 + 1, (size_t)(dot2 - dot1 - 1));
	p64[dot2 - dot1 - 1] = '\0';
	p64[0] = p64[0] == 'A' ? 'B' : 'A';
	join(forged, sizeof(forged), hdr, p64, dot2 + 1);
	CU_ASSERT_NOT_EQUAL(tok_verify(&k, forged, NOW + 3, NULL, NULL, &out),
	    TOK_OK);

	/* The same bytes under another key or audience. */
	CU_ASSERT_EQUAL(tok_verify(&other, t, NOW + 4, NULL, NULL, &out),
	    TOK_ESIG);
	CU_ASSERT_EQUAL(tok_verify(&aud, t, NOW + 5, NULL, NULL, &out),
	    TOK_EAUD);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + 6, NULL, NULL, &out), TOK_OK);

	/* The clock gone back past iat's allowance: checked again. */
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW - 61, NULL, NULL, &out),
	    TOK_ENOTYET);
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + 7, NULL, NULL, &out), TOK_OK);
}

static enum tok_err
check_alg(const char *hdr, const char *key, int sha512)
{
	struct json_object	*o = claims();
	char			 t[2 * TOK_MAX];

	make(t, sizeof(t), hdr, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), key, sha512);
	json_object_put(o);
	return verify(t);
}

static void
test_alg(void)
{
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"none\",\"typ\":\"JWT\"}", NULL,
	    0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"none\",\"typ\":\"JWT\"}", KEY,
	    0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"None\"}", NULL, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"typ\":\"JWT\"}", NULL, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"typ\":\"JWT\"}", KEY, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":null}", KEY, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"hs256\"}", KEY, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256 \"}", KEY, 0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\\u0000\"}", KEY, 0),
	    TOK_EALG);
	/* Well signed with HMAC-SHA512 under our key: still refused. */
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", KEY,
	    1), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", KEY,
	    1), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", KEY,
	    0), TOK_EALG);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", NULL,
	    0), TOK_EALG);
	/* The last of two alg members is the one json-c keeps. */
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\",\"alg\":\"none\"}", KEY,
	    0), TOK_EALG);
}

static void
test_header(void)
{
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", KEY,
	    0), TOK_EMALFORMED);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}",
	    KEY, 0), TOK_EMALFORMED);
	CU_ASSERT_EQUAL(check_alg("[\"HS256\"]", KEY, 0), TOK_EMALFORMED);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\"", KEY, 0),
	    TOK_EMALFORMED);
	CU_ASSERT_EQUAL(check_alg("{\"alg\":\"HS256\"} x", KEY, 0),
	    TOK_EMALFORMED);
	CU_ASSERT_EQUAL(check_alg("not json", KEY, 0), TOK_EMALFORMED);
}

static void
test_payload_not_json(void)
{
	char	 t[TOK_MAX];

	make(t, sizeof(t), hs256, "{\"sub\":\"42\"", KEY, 0);
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);
	make(t, sizeof(t), hs256, "[1,2]", KEY, 0);
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);
	make(t, sizeof(t), hs256, "", KEY, 0);
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);
	make(t, sizeof(t), hs256, "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", KEY, 0);
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);	/* too deep */
}

static void
test_too_long(void)
{
	struct json_object	*o = claims();
	char			 pad[TOK_MAX], t[2 * BIG];

	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	set(o, "pad", json_object_new_string(pad));
	make(t, sizeof(t), hs256, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), KEY, 0);
	json_object_put(o);
	CU_ASSERT(strlen(t) > TOK_MAX);
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);	/* well signed */

	memset(t, 'a', TOK_MAX + 1);
	t[10] = '.';
	t[20] = '.';
	t[TOK_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(verify(t), TOK_EMALFORMED);
}

static void
test_shape(void)
{
	static const char *const bad[] = {
		"", "abc", "a.b", "a.b.c.d", "..", "...", ".b.c", "a..c",
		"eyJh+bGc.eyJ.sig", "eyJh/bGc.eyJ.sig", "eyJhbGc=.eyJ.sig",
		"eyJ hbGc.eyJ.sig", "eyJhbGc.eyJ.si\ng", "a.b.c ",
		"e.e.e",			/* one base64 character */
		"eyJhbGciOiJIUzI1NiJ9.eyB9.sig",	/* "{ }": fine, but */
	};
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1], bigger[TOK_MAX + 4];
	size_t			 i;

	for (i = 0; i + 1 < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(verify(bad[i]), TOK_EMALFORMED);
	CU_ASSERT_EQUAL(verify(bad[i]), TOK_ESIG);	/* ... not signed */
	CU_ASSERT_EQUAL(verify(NULL), TOK_EMALFORMED);

	issue(KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	CU_ASSERT_EQUAL(snprintf(bigger, sizeof(bigger), "%s.", t),
	    (int)strlen(t) + 1);
	CU_ASSERT_EQUAL(verify(bigger), TOK_EMALFORMED);
	CU_ASSERT_EQUAL(snprintf(bigger, sizeof(bigger), ".%s", t),
	    (int)strlen(t) + 1);
	CU_ASSERT_EQUAL(verify(bigger), TOK_EMALFORMED);
}

struct seen {
	int	 answer;
	int	 calls;
	char	 jti[64];
};

static int
revoked(void *arg, const char *jti)
{
	struct seen	*s = arg;

	s->calls++;
	CU_ASSERT_EQUAL(snprintf(s->jti, sizeof(s->jti), "%s", jti),
	    (int)strlen(jti));
	return s->answer;
}

static void
test_revoked(void)
{
	struct tok_key		 k;
	struct tok_claims	 in, out;
	struct seen		 s;
	char			 t[TOK_MAX + 1];

	key_init(&k, KEY);
	issue(KEY, TOK_ROLE_USER, &in, t, sizeof(t));
	memset(&s, 0, sizeof(s));
	s.answer = 1;
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW, revoked, &s, &out),
	    TOK_EREVOKED);
	CU_ASSERT_EQUAL(s.calls, 1);
	CU_ASSERT_STRING_EQUAL(s.jti, in.jti);

	s.answer = 0;
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW, revoked, &s, &out), TOK_OK);
	CU_ASSERT_EQUAL(s.calls, 2);
	CU_ASSERT_STRING_EQUAL(out.jti, in.jti);

	s.answer = -1;	/* the store could not say: fail closed */
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW, revoked, &s, &out), TOK_ESYS);

	/* Not asked about tokens that fail before. */
	s.calls = 0;
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW + TTL, revoked, &s, &out),
	    TOK_EEXPIRED);
	t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW, revoked, &s, &out), TOK_ESIG);
	CU_ASSERT_EQUAL(s.calls, 0);
}

static void
test_bad_key(void)
{
	struct tok_key		 k;
	struct tok_claims	 c;
	char			 t[TOK_MAX + 1];

	issue(KEY, TOK_ROLE_USER, &c, t, sizeof(t));
	key_init(&k, KEY);
	k.len = 0;	/* libjwt would skip the signature */
	CU_ASSERT_EQUAL(tok_verify(&k, t, NOW, NULL, NULL, &c), TOK_ESYS);
	CU_ASSERT_EQUAL(tok_verify(NULL, t, NOW, NULL, NULL, &c), TOK_ESYS);
}

/* Writes len bytes of s to a new temporary file; its path in path. */
static void
tmpfile_with(char *path, size_t pathsz, const char *s, size_t len)
{
	int	 fd;

	CU_ASSERT_FATAL(snprintf(path, pathsz, "/tmp/rc-tok-XXXXXX") <
	    (int)pathsz);
	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	CU_ASSERT_FATAL(write(fd, s, len) == (ssize_t)len);
	CU_ASSERT_FATAL(close(fd) == 0);
}

static int
load_file(struct tok_key *k, const char *s, size_t len, char *err,
    size_t errsz)
{
	char	 path[64];
	int	 rc;

	tmpfile_with(path, sizeof(path), s, len);
	rc = tok_key_load(k, path, "fallback-value-not-used-0123456789abc",
	    err, errsz);
	CU_ASSERT_EQUAL(unlink(path), 0);
	return rc;
}

static void
test_key_file(void)
{
	struct tok_key	 k;
	char		 err[256];

	memset(&k, 0, sizeof(k));
	CU_ASSERT_EQUAL(load_file(&k, KEY "\n", sizeof(KEY), err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(KEY));
	CU_ASSERT_EQUAL(memcmp(k.key, KEY, k.len), 0);

	CU_ASSERT_EQUAL(load_file(&k, KEY "\r\n", sizeof(KEY) + 1, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(KEY));

	CU_ASSERT_EQUAL(load_file(&k, KEY, strlen(KEY), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(KEY));
	CU_ASSERT_EQUAL(memcmp(k.key, KEY, k.len), 0);

	/* Only one newline goes; a second one is key. */
	CU_ASSERT_EQUAL(load_file(&k, KEY "\n\n", sizeof(KEY) + 1, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(KEY) + 1);

	/* Binary keys are fine: all of the bytes count. */
	CU_ASSERT_EQUAL(load_file(&k, "\0" KEY, sizeof(KEY), err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, sizeof(KEY));
}

static void
test_key_file_bad(void)
{
	struct tok_key	 k;
	char		 err[256], big[5000];

	memset(&k, 0, sizeof(k));
	/* 31 bytes and a newline: short. */
	CU_ASSERT_EQUAL(load_file(&k, "0123456789abcdef0123456789abcde\n",
	    32, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(strncmp(err, "RC_JWT_KEY_FILE: ", 17), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "shorter than 32 bytes"));
	CU_ASSERT_PTR_NULL(strstr(err, "0123456789abcde"));	/* no secret */
	CU_ASSERT_EQUAL(load_file(&k, "", 0, err, sizeof(err)), -1);

	memset(big, 'k', sizeof(big));
	CU_ASSERT_EQUAL(load_file(&k, big, sizeof(big), err, sizeof(err)),
	    -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer than 4096 bytes"));
	CU_ASSERT_EQUAL(load_file(&k, big, 257, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer than 256 bytes"));
	CU_ASSERT_EQUAL(load_file(&k, big, 256, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, 256);

	CU_ASSERT_EQUAL(tok_key_load(&k, "/nonexistent/rc-key", KEY, err,
	    sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "RC_JWT_KEY_FILE: /nonexistent/rc-key: "
	    "No such file or directory");
}

static void
test_key_value(void)
{
	struct tok_key	 k;
	char		 err[256];

	memset(&k, 0, sizeof(k));
	CU_ASSERT_EQUAL(tok_key_load(&k, NULL, KEY, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(KEY));
	CU_ASSERT_EQUAL(memcmp(k.key, KEY, k.len), 0);
	CU_ASSERT_EQUAL(tok_key_load(&k, "", OTHER_KEY, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(k.len, strlen(OTHER_KEY));
	CU_ASSERT_EQUAL(memcmp(k.key, OTHER_KEY, k.len), 0);

	CU_ASSERT_EQUAL(tok_key_load(&k, NULL, "short-secret", err,
	    sizeof(err)), -1);
	CU_ASSERT_EQUAL(strncmp(err, "RC_JWT_KEY: ", 12), 0);
	CU_ASSERT_PTR_NULL(strstr(err, "short-secret"));
	CU_ASSERT_EQUAL(tok_key_load(&k, NULL, NULL, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(strncmp(err, "RC_JWT_KEY: ", 12), 0);
	CU_ASSERT_EQUAL(tok_key_load(&k, "", "", err, sizeof(err)), -1);
	/* A tiny err buffer still gets a NUL-terminated reason. */
	CU_ASSERT_EQUAL(tok_key_load(&k, NULL, NULL, err, 5), -1);
	CU_ASSERT_STRING_EQUAL(err, "RC_J");
}

static void
test_names(void)
{
	int	 e;

	CU_ASSERT_STRING_EQUAL(tok_role_name(TOK_ROLE_USER), "user");
	CU_ASSERT_STRING_EQUAL(tok_role_name(TOK_ROLE_ADMIN), "admin");
	CU_ASSERT_PTR_NULL(tok_role_name(TOK_ROLE__MAX));
	CU_ASSERT_EQUAL(tok_role_parse("user"), TOK_ROLE_USER);
	CU_ASSERT_EQUAL(tok_role_parse("admin"), TOK_ROLE_ADMIN);
	CU_ASSERT_EQUAL(tok_role_parse("root"), -1);
	CU_ASSERT_EQUAL(tok_role_parse(""), -1);
	CU_ASSERT_EQUAL(tok_role_parse(NULL), -1);
	for (e = 0; e < TOK__MAX; e++)
		CU_ASSERT_PTR_NOT_NULL(tok_strerror((enum tok_err)e));
	CU_ASSERT_STRING_EQUAL(tok_strerror(TOK_OK), "ok");
	CU_ASSERT_STRING_EQUAL(tok_strerror(TOK__MAX), "unknown error");
}

int
test_tok_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("tok", suite_init, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "issue and verify", test_round_trip) == NULL ||
	    CU_add_test(s, "fresh jti", test_issue_fresh_jti) == NULL ||
	    CU_add_test(s, "issue errors", test_issue_errors) == NULL ||
	    CU_add_test(s, "hand-made token", test_good_handmade) == NULL ||
	    CU_add_test(s, "expired", test_expired) == NULL ||
	    CU_add_test(s, "not yet", test_not_yet) == NULL ||
	    CU_add_test(s, "iss and aud", test_iss_aud) == NULL ||
	    CU_add_test(s, "missing claims", test_missing) == NULL ||
	    CU_add_test(s, "session claims", test_session_claims) == NULL ||
	    CU_add_test(s, "claim types", test_types) == NULL ||
	    CU_add_test(s, "jti", test_jti) == NULL ||
	    CU_add_test(s, "payload flipped", test_tamper_flip) == NULL ||
	    CU_add_test(s, "payload forged", test_tamper_role) == NULL ||
	    CU_add_test(s, "signature tampered", test_tamper_sig) == NULL ||
	    CU_add_test(s, "other key", test_other_key) == NULL ||
	    CU_add_test(s, "algorithms", test_alg) == NULL ||
	    CU_add_test(s, "header", test_header) == NULL ||
	    CU_add_test(s, "payload not JSON", test_payload_not_json) == NULL ||
	    CU_add_test(s, "too long", test_too_long) == NULL ||
	    CU_add_test(s, "shape", test_shape) == NULL ||
	    CU_add_test(s, "revoked", test_revoked) == NULL ||
	    CU_add_test(s, "bad key", test_bad_key) == NULL ||
	    CU_add_test(s, "key file", test_key_file) == NULL ||
	    CU_add_test(s, "key file errors", test_key_file_bad) == NULL ||
	    CU_add_test(s, "key value", test_key_value) == NULL ||
	    CU_add_test(s, "names", test_names) == NULL ||
	    CU_add_test(s, "verified tokens kept", test_cache) == NULL)
		return -1;
	return 0;
}
