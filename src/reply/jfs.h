#ifndef RC_JFS_H
#define RC_JFS_H
#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * JSON Farcaster Signatures, as a Farcaster client signs the events it
 * sends a mini app's webhook: {"header", "payload", "signature"}, each
 * base64url; the header is JSON {"fid", "type": "app_key", "key": "0x" and
 * 64 hex digits}, the signature an Ed25519 signature by that key over the
 * ASCII "header.payload" (the two base64url strings as sent).  jfs_verify
 * checks the form and the signature; whether the key is an active app key
 * of the fid is the Hub's to say (hubid_app_key).
 */
#define JFS_KEY_HEX	66		/* "0x" and 32 bytes in hex */
#define JFS_MAX		8192		/* longest part taken, base64url */

enum jfs_err {
	JFS_OK = 0,
	JFS_EFORM,		/* not {header, payload, signature} of strings */
	JFS_EB64,		/* a part is not base64url */
	JFS_EHEADER,		/* the header is not {fid, type, key} */
	JFS_ETYPE,		/* the header's type is not app_key */
	JFS_ESIG,		/* the signature does not verify */
	JFS_ENOMEM,
	JFS__MAX
};

/* What a verified signature says. */
struct jfs {
	int64_t			 fid;
	char			 key[JFS_KEY_HEX + 1];	/* lowercase */
	struct json_object	*payload;		/* the caller puts it */
};

/* A sentence for each error, for a problem's detail. */
const char	*jfs_strerror(enum jfs_err);

/*
 * Verifies the JFS object o; on JFS_OK out holds the fid, the key and the
 * decoded payload (a JSON object, owned by the caller).
 */
enum jfs_err	 jfs_verify(struct json_object *o, struct jfs *out);

#endif
