#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <sodium.h>

#include "core/jparse.h"
#include "core/sec.h"
#include "jfs.h"

static const char *const jfs_msgs[JFS__MAX] = {
	"verified",
	"the body must be a JSON object with header, payload and signature "
	    "strings (a JSON Farcaster Signature)",
	"header, payload and signature must be base64url",
	"the header must be JSON {fid, type, key} with a fid above 0 and a "
	    "key of 0x and 64 hex digits",
	"the header's type must be app_key: only an app key signs mini-app "
	    "events",
	"the signature does not verify for this header and payload",
	"out of memory",
};

const char *
jfs_strerror(enum jfs_err e)
{
	return e < JFS__MAX ? jfs_msgs[e] : "?";
}

/* Member name of o as a string of at most JFS_MAX bytes, or NULL. */
static const char *
jfs_str(struct json_object *o, const char *name, size_t *len)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    (*len = (size_t)json_object_get_string_len(v)) == 0 ||
	    *len > JFS_MAX)
		return NULL;
	return json_object_get_string(v);
}

/* Decodes a base64url part as a JSON object. */
static enum jfs_err
jfs_json(const char *s, size_t len, struct json_object **out)
{
	unsigned char	 b[JFS_MAX];
	long		 n;
	enum jparse_err	 e;

	if ((n = sec_b64url_dec(s, len, b, sizeof(b))) < 0)
		return JFS_EB64;
	e = jparse_object((const char *)b, (size_t)n, JPARSE_DEPTH, out, NULL,
	    0);
	return e == JPARSE_OK ? JFS_OK : e == JPARSE_ENOMEM ? JFS_ENOMEM :
	    JFS_EHEADER;
}

/* The header's fid, type and key into out and pk. */
static enum jfs_err
jfs_header(struct json_object *h, struct jfs *out,
    unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	struct json_object	*v;
	const char		*key, *type;
	size_t			 n, i;

	if (!json_object_object_get_ex(h, "fid", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    (out->fid = json_object_get_int64(v)) <= 0 ||
	    (type = jfs_str(h, "type", &n)) == NULL ||
	    (key = jfs_str(h, "key", &n)) == NULL || n != JFS_KEY_HEX ||
	    key[0] != '0' || (key[1] != 'x' && key[1] != 'X') ||
	    sodium_hex2bin(pk, crypto_sign_PUBLICKEYBYTES, key + 2, n - 2,
	    NULL, &i, NULL) != 0 || i != crypto_sign_PUBLICKEYBYTES)
		return JFS_EHEADER;
	if (strcmp(type, "app_key") != 0)
		return JFS_ETYPE;
	out->key[0] = '0';
	out->key[1] = 'x';
	sodium_bin2hex(out->key + 2, sizeof(out->key) - 2, pk,
	    crypto_sign_PUBLICKEYBYTES);
	return JFS_OK;
}

/* The signature over "header.payload". */
static enum jfs_err
jfs_sig(const char *h, size_t hl, const char *p, size_t pl, const char *s,
    size_t sl, const unsigned char *pk)
{
	unsigned char	 sig[crypto_sign_BYTES + 1], *m;
	long		 n;
	int		 ok;

	if ((n = sec_b64url_dec(s, sl, sig, sizeof(sig))) < 0)
		return JFS_EB64;
	if (n != crypto_sign_BYTES)
		return JFS_ESIG;
	if ((m = malloc(hl + 1 + pl)) == NULL)
		return JFS_ENOMEM;
	memcpy(m, h, hl);
	m[hl] = '.';
	memcpy(m + hl + 1, p, pl);
	ok = crypto_sign_verify_detached(sig, m, hl + 1 + pl, pk) == 0;
	free(m);
	return ok ? JFS_OK : JFS_ESIG;
}

enum jfs_err
jfs_verify(struct json_object *o, struct jfs *out)
{
	struct json_object	*hdr = NULL, *pay = NULL;
	unsigned char		 pk[crypto_sign_PUBLICKEYBYTES];
	const char		*h, *p, *s;
	size_t			 hl, pl, sl;
	enum jfs_err		 e;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(o, json_type_object) ||
	    (h = jfs_str(o, "header", &hl)) == NULL ||
	    (p = jfs_str(o, "payload", &pl)) == NULL ||
	    (s = jfs_str(o, "signature", &sl)) == NULL)
		return JFS_EFORM;
	if ((e = jfs_json(h, hl, &hdr)) != JFS_OK ||
	    (e = jfs_header(hdr, out, pk)) != JFS_OK)
		goto out;
	if ((e = jfs_sig(h, hl, p, pl, s, sl, pk)) != JFS_OK)
		goto out;
	if ((e = jfs_json(p, pl, &pay)) == JFS_EHEADER)
		e = JFS_EFORM;
	if (e == JFS_OK) {
		out->payload = pay;
		pay = NULL;
	}
out:
	json_object_put(hdr);
	json_object_put(pay);
	return e;
}
