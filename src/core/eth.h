#ifndef RC_ETH_H
#define RC_ETH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Ethereum signatures as Sign In with Farcaster uses them: EIP-191
 * personal_sign hashes, secp256k1 public-key recovery (libsecp256k1's
 * recovery module) and addresses with their EIP-55 checksum.
 */
#define ETH_HASH_LEN	32
#define ETH_SIG_LEN	65		/* r || s || v */
#define ETH_ADDR_LEN	42		/* "0x" + 40 hex digits */
#define ETH_ADDR_SIZE	(ETH_ADDR_LEN + 1)

enum eth_err {
	ETH_OK,
	ETH_BAD_SIG,	/* v not 0/1/27/28, r or s out of range, high s, no key */
	ETH_BAD_HEX,	/* not "0x"? + exactly 130 hex digits */
	ETH_ERR__MAX
};

const char	*eth_err_str(enum eth_err);

/* EIP-191: keccak256("\x19Ethereum Signed Message:\n" + decimal len + msg). */
void		 eth_personal_hash(const char *msg, size_t len,
		    uint8_t out[ETH_HASH_LEN]);
/*
 * The address that signed hash: sig is r || s || v with v 27/28 (or 0/1).
 * A high s (above n/2) is refused with ETH_BAD_SIG although ecrecover
 * accepts it: every personal_sign signer emits low s, and refusing the
 * other half makes signatures non-malleable.  addr gets the lowercase
 * "0x" form; on error addr is the empty string.
 */
enum eth_err	 eth_recover(const uint8_t hash[ETH_HASH_LEN],
		    const uint8_t sig[ETH_SIG_LEN], char addr[ETH_ADDR_SIZE]);
/* "0x" (optional) + exactly 130 hex digits of any case into sig. */
enum eth_err	 eth_sig_from_hex(const char *hex, uint8_t sig[ETH_SIG_LEN]);
/* The address of a 64-byte uncompressed public key (x || y, no 0x04). */
void		 eth_addr_from_pub(const uint8_t pub[64], char addr[ETH_ADDR_SIZE]);

/* "0x" + exactly 40 hex digits of any case, then the end of the string. */
bool		 eth_addr_valid(const char *);
/*
 * A valid address whose case is all lower, all upper, or the EIP-55
 * checksum: mixed case that is not the checksum is a typo or a forgery.
 */
bool		 eth_addr_checksum_ok(const char *);
/* Two valid addresses naming the same account (case ignored); else false. */
bool		 eth_addr_eq(const char *, const char *);
/* The EIP-55 form of a valid address into out; -1 when addr is not valid. */
int		 eth_addr_checksum(const char *addr, char out[ETH_ADDR_SIZE]);

#endif
