/*
 * Keccak-256 (the sponge with Keccak-f[1600], rate 1088 bits, capacity
 * 512, pad10*1 with the domain byte 0x01), written here because Debian 12
 * ships no C library with it: OpenSSL 3.0 and libsodium have only SHA3 or
 * none, libtomcrypt 1.18 has SHA3 alone, and nettle exposes the
 * permutation but not the original padding.  Lanes are read and written
 * little-endian byte by byte, so the code does not depend on the host's
 * byte order.
 */
#include <string.h>

#include "keccak.h"

#define KECCAK_ROUNDS	24

static const uint64_t keccak_rc[KECCAK_ROUNDS] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offsets and lane order of the combined rho and pi steps. */
static const unsigned keccak_rho[24] = {
	1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
	27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
};
static const unsigned keccak_pi[24] = {
	10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static uint64_t
keccak_rotl(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static void
keccak_f1600(uint64_t st[25])
{
	uint64_t	 bc[5], t;
	unsigned	 r, i, j;

	for (r = 0; r < KECCAK_ROUNDS; r++) {
		for (i = 0; i < 5; i++)		/* theta */
			bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^
			    st[i + 20];
		for (i = 0; i < 5; i++) {
			t = bc[(i + 4) % 5] ^ keccak_rotl(bc[(i + 1) % 5], 1);
			for (j = 0; j < 25; j += 5)
				st[j + i] ^= t;
		}
		t = st[1];			/* rho and pi */
		for (i = 0; i < 24; i++) {
			j = keccak_pi[i];
			bc[0] = st[j];
			st[j] = keccak_rotl(t, keccak_rho[i]);
			t = bc[0];
		}
		for (j = 0; j < 25; j += 5) {	/* chi */
			for (i = 0; i < 5; i++)
				bc[i] = st[j + i];
			for (i = 0; i < 5; i++)
				st[j + i] ^= ~bc[(i + 1) % 5] & bc[(i + 2) % 5];
		}
		st[0] ^= keccak_rc[r];		/* iota */
	}
}

/* XORs byte b into position pos of the rate (little-endian lanes). */
static void
keccak_xor_byte(uint64_t st[25], size_t pos, uint8_t b)
{
	st[pos / 8] ^= (uint64_t)b << (8 * (pos % 8));
}

void
keccak256_init(struct keccak_ctx *c)
{
	memset(c, 0, sizeof(*c));
}

void
keccak256_update(struct keccak_ctx *c, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 i;

	for (i = 0; i < len; i++) {
		keccak_xor_byte(c->st, c->pos, p[i]);
		if (++c->pos == KECCAK256_RATE) {
			keccak_f1600(c->st);
			c->pos = 0;
		}
	}
}

void
keccak256_final(struct keccak_ctx *c, uint8_t out[KECCAK256_LEN])
{
	size_t	 i;

	keccak_xor_byte(c->st, c->pos, 0x01);
	keccak_xor_byte(c->st, KECCAK256_RATE - 1, 0x80);
	keccak_f1600(c->st);
	for (i = 0; i < KECCAK256_LEN; i++)
		out[i] = (uint8_t)(c->st[i / 8] >> (8 * (i % 8)));
	memset(c, 0, sizeof(*c));
}

void
keccak256(const void *data, size_t len, uint8_t out[KECCAK256_LEN])
{
	struct keccak_ctx	 c;

	keccak256_init(&c);
	keccak256_update(&c, data, len);
	keccak256_final(&c, out);
}
