#ifndef RC_HUBID_H
#define RC_HUBID_H
#include <stdint.h>
#include <stddef.h>

struct kv;

/*
 * Who controls a fid, according to a Farcaster Hub's HTTP API: its custody
 * address (the ID registry's last register or transfer "to") or one of its
 * auth addresses (key registry keys of keyType 2).  Sign In with Farcaster
 * asks this of every signer.  Addresses are "0x" and 40 hex digits, any
 * case; they are compared case-insensitively.
 */
#define HUBID_ADDR_LEN	42
#define HUBID_NAME_MAX	64

enum hubid_rc {
	HUBID_CUSTODY = 0,	/* the fid's custody address */
	HUBID_AUTH,		/* one of the fid's auth addresses */
	HUBID_NONE,		/* neither */
	HUBID_EHUB,		/* the Hub did not answer usably (err says) */
	HUBID__MAX
};

const char	*hubid_name(enum hubid_rc);	/* "custody", "auth", ... */

/*
 * The parsers of the three answers, pure for the unit tests: json is the
 * body, len its length.
 */
/* onChainIdRegistryEventByAddress: 1 when the event gives addr fid. */
int		 hubid_custody_parse(const char *json, size_t len,
		    const char *addr, int64_t fid);
/* onChainSignersByFid: 1 when addr is an added auth address (keyType 2). */
int		 hubid_signers_parse(const char *json, size_t len,
		    const char *addr);
/*
 * onChainSignersByFid: 1 when key ("0x" and 64 hex digits, any case) is an
 * app key (keyType 1) added and not removed since.
 */
int		 hubid_app_key_parse(const char *json, size_t len,
		    const char *key);
/*
 * userDataByFid: copies the latest USER_DATA_TYPE_USERNAME value into
 * name (size HUBID_NAME_MAX + 1); 0 found, -1 none.
 */
int		 hubid_username_parse(const char *json, size_t len,
		    char name[HUBID_NAME_MAX + 1]);

/*
 * Asks hub (a base URL) whether addr controls fid: custody first, then
 * auth addresses.  A definite answer is kept in Redis for ttl_s seconds
 * (kv may be NULL or down: the Hub is asked every time).
 */
enum hubid_rc	 hubid_check(struct kv *, const char *hub, long ttl_s,
		    int64_t fid, const char *addr, char *err, size_t errsz);
/*
 * Asks hub whether key is an active app key of fid (the signer of a
 * mini-app event): 1 yes, 0 no, -1 no usable answer (err says).  A definite
 * answer is kept in Redis for ttl_s seconds, as hubid_check does.
 */
int		 hubid_app_key(struct kv *, const char *hub, long ttl_s,
		    int64_t fid, const char *key, char *err, size_t errsz);
/* The fid's username from the Hub; 0 found, -1 none or no answer. */
int		 hubid_username(const char *hub, int64_t fid,
		    char name[HUBID_NAME_MAX + 1]);

#endif
