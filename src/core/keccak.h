#ifndef RC_KECCAK_H
#define RC_KECCAK_H
#include <stddef.h>
#include <stdint.h>

/*
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not
 * FIPS 202 SHA3-256 (0x06), so the digests differ from OpenSSL's SHA3.
 */
#define KECCAK256_LEN	32
#define KECCAK256_RATE	136		/* bytes absorbed per permutation */

/* Incremental state; lives on the caller's stack, nothing to free. */
struct keccak_ctx {
	uint64_t	 st[25];
	size_t		 pos;		/* bytes absorbed into the current block */
};

void	 keccak256_init(struct keccak_ctx *);
void	 keccak256_update(struct keccak_ctx *, const void *, size_t);
/* Writes the digest; the context must be initialised again before reuse. */
void	 keccak256_final(struct keccak_ctx *, uint8_t out[KECCAK256_LEN]);
/* One shot: the digest of len bytes at data (data may be NULL if len is 0). */
void	 keccak256(const void *data, size_t len, uint8_t out[KECCAK256_LEN]);

#endif
