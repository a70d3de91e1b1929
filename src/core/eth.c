/*
 * Ethereum signature recovery through libsecp256k1 (Debian's
 * libsecp256k1-dev, with its recovery module): constant-time, reviewed
 * elliptic-curve code is not something to write here.  Only the static
 * context is used, so the module holds no state of its own.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "eth.h"
#include "keccak.h"
#include "valid.h"

#define ETH_PREFIX	"\x19" "Ethereum Signed Message:\n"

static const char	 eth_hexdig[] = "0123456789abcdef";

static const char	*eth_err_strs[ETH_ERR__MAX] = {
	[ETH_OK] = "ok",
	[ETH_BAD_SIG] = "the signature does not recover a key",
	[ETH_BAD_HEX] = "the signature is not 65 bytes of hex",
};

const char *
eth_err_str(enum eth_err e)
{
	return (unsigned)e < ETH_ERR__MAX ? eth_err_strs[e] : "unknown";
}

void
eth_personal_hash(const char *msg, size_t len, uint8_t out[ETH_HASH_LEN])
{
	struct keccak_ctx	 c;
	char			 n[24];
	int			 nl;

	nl = snprintf(n, sizeof(n), "%zu", len);	/* 20 digits at most */
	keccak256_init(&c);
	keccak256_update(&c, ETH_PREFIX, sizeof(ETH_PREFIX) - 1);
	keccak256_update(&c, n, (size_t)nl);
	keccak256_update(&c, msg, len);
	keccak256_final(&c, out);
}

/* The value of a hex digit valid_hex has already accepted. */
static uint8_t
eth_nibble(char ch)
{
	return (uint8_t)((ch & 0xf) + (ch >> 6) * 9);
}

enum eth_err
eth_sig_from_hex(const char *hex, uint8_t sig[ETH_SIG_LEN])
{
	size_t	 i;

	if (hex == NULL)
		return ETH_BAD_HEX;
	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	if (valid_hex(hex, 2 * ETH_SIG_LEN) == -1)
		return ETH_BAD_HEX;
	for (i = 0; i < ETH_SIG_LEN; i++)
		sig[i] = (uint8_t)(eth_nibble(hex[2 * i]) << 4 |
		    eth_nibble(hex[2 * i + 1]));
	return ETH_OK;
}

void
eth_addr_from_pub(const uint8_t pub[64], char addr[ETH_ADDR_SIZE])
{
	uint8_t	 h[KECCAK256_LEN];
	size_t	 i;

	keccak256(pub, 64, h);
	addr[0] = '0';
	addr[1] = 'x';
	for (i = 0; i < 20; i++) {
		addr[2 + 2 * i] = eth_hexdig[h[12 + i] >> 4];
		addr[3 + 2 * i] = eth_hexdig[h[12 + i] & 0xf];
	}
	addr[ETH_ADDR_LEN] = '\0';
}

/* The recovery id of v (27/28 or 0/1), or -1. */
static int
eth_recid(uint8_t v)
{
	if (v == 27 || v == 28)
		return v - 27;
	return v <= 1 ? v : -1;
}

enum eth_err
eth_recover(const uint8_t hash[ETH_HASH_LEN], const uint8_t sig[ETH_SIG_LEN],
    char addr[ETH_ADDR_SIZE])
{
	const secp256k1_context			*ctx = secp256k1_context_static;
	secp256k1_ecdsa_recoverable_signature	 rs;
	secp256k1_ecdsa_signature		 plain;
	secp256k1_pubkey			 pk;
	uint8_t					 ser[65];
	size_t					 serlen = sizeof(ser);
	int					 recid;

	addr[0] = '\0';
	secp256k1_selftest();
	if ((recid = eth_recid(sig[64])) < 0 ||
	    !secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs,
	    sig, recid))
		return ETH_BAD_SIG;
	/* normalize returns 1 when s was high: see eth.h. */
	(void)secp256k1_ecdsa_recoverable_signature_convert(ctx, &plain, &rs);
	if (secp256k1_ecdsa_signature_normalize(ctx, NULL, &plain))
		return ETH_BAD_SIG;
	if (!secp256k1_ecdsa_recover(ctx, &pk, &rs, hash) ||
	    !secp256k1_ec_pubkey_serialize(ctx, ser, &serlen, &pk,
	    SECP256K1_EC_UNCOMPRESSED) || serlen != 65)
		return ETH_BAD_SIG;
	eth_addr_from_pub(ser + 1, addr);
	return ETH_OK;
}

bool
eth_addr_valid(const char *s)
{
	return s != NULL && s[0] == '0' && s[1] == 'x' &&
	    valid_hex(s + 2, ETH_ADDR_LEN - 2) == 0;
}

int
eth_addr_checksum(const char *addr, char out[ETH_ADDR_SIZE])
{
	char	 low[ETH_ADDR_LEN];
	uint8_t	 h[KECCAK256_LEN];
	size_t	 i;
	int	 nib;

	if (!eth_addr_valid(addr))
		return -1;
	for (i = 0; i < ETH_ADDR_LEN - 2; i++)
		low[i] = (char)tolower((unsigned char)addr[2 + i]);
	/* EIP-55: upper-case a letter where its nibble of the hash is >= 8. */
	keccak256(low, ETH_ADDR_LEN - 2, h);
	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < ETH_ADDR_LEN - 2; i++) {
		nib = i % 2 == 0 ? h[i / 2] >> 4 : h[i / 2] & 0xf;
		out[2 + i] = nib >= 8 ? (char)toupper((unsigned char)low[i]) :
		    low[i];
	}
	out[ETH_ADDR_LEN] = '\0';
	return 0;
}

bool
eth_addr_checksum_ok(const char *s)
{
	char	 sum[ETH_ADDR_SIZE];
	bool	 lower = false, upper = false;
	size_t	 i;

	if (eth_addr_checksum(s, sum) == -1)
		return false;
	for (i = 2; i < ETH_ADDR_LEN; i++) {
		lower |= islower((unsigned char)s[i]) != 0;
		upper |= isupper((unsigned char)s[i]) != 0;
	}
	return !(lower && upper) || strcmp(s, sum) == 0;
}

bool
eth_addr_eq(const char *a, const char *b)
{
	return eth_addr_valid(a) && eth_addr_valid(b) &&
	    strncasecmp(a, b, ETH_ADDR_LEN) == 0;
}
