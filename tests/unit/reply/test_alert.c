#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json.h>
#include <sodium.h>

#include "core/sec.h"
#include "reply/alert.h"
#include "reply/hubid.h"
#include "reply/jfs.h"
#include "tests.h"

/* RFC 4231, test case 2: key "Jefe". */
static void
test_hmac_vector(void)
{
	static const char	 msg[] = "what do ya want for nothing?";
	char			 hex[SEC_SHA256_HEX + 1];

	sec_hmac_sha256_hex("Jefe", 4, msg, 10, msg + 10, strlen(msg) - 10,
	    hex);
	CU_ASSERT_STRING_EQUAL(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	sec_hmac_sha256_hex("Jefe", 4, msg, strlen(msg), NULL, 0, hex);
	CU_ASSERT_STRING_EQUAL(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
}

/* The webhook signature covers "timestamp.body": either changed, it differs. */
static void
test_sign(void)
{
	static const char	 body[] = "{\"id\":\"goal-1-0xab\"}";
	char			 a[80], b[80], want[SEC_SHA256_HEX + 1];

	alert_sign("rcwh_secret", 1700000000, body, strlen(body), a, sizeof(a));
	sec_hmac_sha256_hex("rcwh_secret", 11, "1700000000.", 11, body,
	    strlen(body), want);
	CU_ASSERT_EQUAL(strncmp(a, "v1=", 3), 0);
	CU_ASSERT_STRING_EQUAL(a + 3, want);
	alert_sign("rcwh_secret", 1700000001, body, strlen(body), b, sizeof(b));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	alert_sign("rcwh_secret", 1700000000, body, strlen(body) - 1, b,
	    sizeof(b));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	alert_sign("rcwh_other", 1700000000, body, strlen(body), b, sizeof(b));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
}

static void
test_url(void)
{
	char	 e[200];

	CU_ASSERT_EQUAL(alert_url_ok("https://hooks.example.com/x?a=1", 0, e,
	    sizeof(e)), 0);
	CU_ASSERT_EQUAL(alert_url_ok("http://hooks.example.com/x", 0, e,
	    sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("http://127.0.0.1:9/x", 0, e, sizeof(e)),
	    -1);
	CU_ASSERT_EQUAL(alert_url_ok("http://127.0.0.1:9/x", 1, e, sizeof(e)),
	    0);
	CU_ASSERT_EQUAL(alert_url_ok("http://localhost/x", 1, e, sizeof(e)), 0);
	CU_ASSERT_EQUAL(alert_url_ok("http://[::1]:80/", 1, e, sizeof(e)), 0);
	/* A loopback name as a prefix of another host is not loopback. */
	CU_ASSERT_EQUAL(alert_url_ok("http://127.0.0.1.evil.com/", 1, e,
	    sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("http://localhost@evil.com/", 1, e,
	    sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("https://user:pw@example.com/", 0, e,
	    sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("https://", 0, e, sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("https://a b/", 0, e, sizeof(e)), -1);
	CU_ASSERT_EQUAL(alert_url_ok("ftp://example.com/", 1, e, sizeof(e)), -1);
}

/* A JFS as a client makes it: key pair from seed, header, payload, sign. */
static struct json_object *
jfs_make(const unsigned char seed[32], const char *type, const char *payload,
    int tamper)
{
	unsigned char	 pk[32], sk[64], sig[64];
	char		 hdr[256], key[67], h[512], p[1024], s[128], m[1600];
	struct json_object *o;

	crypto_sign_seed_keypair(pk, sk, seed);
	key[0] = '0';
	key[1] = 'x';
	sodium_bin2hex(key + 2, 65, pk, 32);
	snprintf(hdr, sizeof(hdr), "{\"fid\":977,\"type\":\"%s\",\"key\":\"%s\"}",
	    type, key);
	sodium_bin2base64(h, sizeof(h), (const unsigned char *)hdr, strlen(hdr),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(p, sizeof(p), (const unsigned char *)payload,
	    strlen(payload), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(m, sizeof(m), "%s.%s", h, p);
	crypto_sign_detached(sig, NULL, (unsigned char *)m, strlen(m), sk);
	if (tamper)		/* the payload changed after signing */
		sodium_bin2base64(p, sizeof(p), (const unsigned char *)
		    "{\"event\":\"miniapp_removed\"}", 27,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(s, sizeof(s), sig, 64,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	o = json_object_new_object();
	json_object_object_add(o, "header", json_object_new_string(h));
	json_object_object_add(o, "payload", json_object_new_string(p));
	json_object_object_add(o, "signature", json_object_new_string(s));
	return o;
}

static void
test_jfs(void)
{
	static const char	 pay[] = "{\"event\":\"notifications_enabled\","
	    "\"notificationDetails\":{\"url\":\"https://api.example.com/n\","
	    "\"token\":\"tok-1\"}}";
	unsigned char		 seed[32], pk[32], sk[64];
	char			 key[67];
	struct json_object	*o, *v;
	struct jfs		 j;

	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	key[0] = '0';
	key[1] = 'x';
	sodium_bin2hex(key + 2, 65, pk, 32);
	o = jfs_make(seed, "app_key", pay, 0);
	CU_ASSERT_EQUAL_FATAL(jfs_verify(o, &j), JFS_OK);
	CU_ASSERT_EQUAL(j.fid, 977);
	CU_ASSERT_STRING_EQUAL(j.key, key);
	CU_ASSERT(json_object_object_get_ex(j.payload, "event", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v),
	    "notifications_enabled");
	json_object_put(j.payload);
	json_object_put(o);
	o = jfs_make(seed, "app_key", pay, 1);
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_ESIG);
	CU_ASSERT_PTR_NULL(j.payload);
	json_object_put(o);
	o = jfs_make(seed, "custody", pay, 0);
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_ETYPE);
	json_object_put(o);
	/* Signed by another key than the header names. */
	o = jfs_make(seed, "app_key", pay, 0);
	seed[0] ^= 1;
	v = jfs_make(seed, "app_key", pay, 0);
	json_object_object_add(o, "header", json_object_get(
	    json_object_object_get(v, "header")));
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_ESIG);
	json_object_put(v);
	json_object_put(o);
}

static void
test_jfs_form(void)
{
	struct json_object	*o;
	struct jfs		 j;

	o = json_tokener_parse("{\"header\":\"e30\",\"payload\":\"e30\"}");
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_EFORM);
	json_object_put(o);
	o = json_tokener_parse("{\"header\":\"!!\",\"payload\":\"e30\","
	    "\"signature\":\"e30\"}");
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_EB64);
	json_object_put(o);
	/* {} as the header: no fid, type or key. */
	o = json_tokener_parse("{\"header\":\"e30\",\"payload\":\"e30\","
	    "\"signature\":\"e30\"}");
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_EHEADER);
	json_object_put(o);
	o = json_tokener_parse("[1]");
	CU_ASSERT_EQUAL(jfs_verify(o, &j), JFS_EFORM);
	json_object_put(o);
}

/* The Hub's onChainSignersByFid: an app key is keyType 1, added, not removed. */
static void
test_app_key(void)
{
#define K1 "0x0852c07b5695ff94138b025e3f9b4788e06133f04e254f0ea0eb85a06e999cdd"
#define K2 "0x1111111111111111111111111111111111111111111111111111111111111111"
	static const char s[] = "{\"events\":["
	    "{\"signerEventBody\":{\"key\":\"" K1 "\",\"keyType\":1,"
	    "\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}},"
	    "{\"signerEventBody\":{\"key\":\"" K2 "\",\"keyType\":1,"
	    "\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}},"
	    "{\"signerEventBody\":{\"key\":\"" K2 "\",\"keyType\":1,"
	    "\"eventType\":\"SIGNER_EVENT_TYPE_REMOVE\"}}]}";
	static const char t2[] = "{\"events\":[{\"signerEventBody\":{\"key\":\""
	    K1 "\",\"keyType\":2,\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}}]}";

	CU_ASSERT_EQUAL(hubid_app_key_parse(s, strlen(s), K1), 1);
	CU_ASSERT_EQUAL(hubid_app_key_parse(s, strlen(s), K2), 0);
	CU_ASSERT_EQUAL(hubid_app_key_parse(t2, strlen(t2), K1), 0);
	CU_ASSERT_EQUAL(hubid_app_key_parse("{}", 2, K1), 0);
}

int
test_alert_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("alert", NULL, NULL)) == NULL ||
	    CU_add_test(s, "HMAC-SHA256 (RFC 4231)", test_hmac_vector) == NULL ||
	    CU_add_test(s, "webhook signature", test_sign) == NULL ||
	    CU_add_test(s, "webhook URL", test_url) == NULL ||
	    CU_add_test(s, "JFS verify", test_jfs) == NULL ||
	    CU_add_test(s, "JFS form", test_jfs_form) == NULL ||
	    CU_add_test(s, "Hub app key", test_app_key) == NULL)
		return -1;
	return 0;
}
