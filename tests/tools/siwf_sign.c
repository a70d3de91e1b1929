/*
 * Test-only Ethereum signer for the Sign In with Farcaster tests; installed
 * nowhere.
 *   siwf_sign KEY < message	prints the personal_sign signature (0x + 130
 *				hex, v 27/28) of stdin's exact bytes
 *   siwf_sign --address KEY	prints the key's EIP-55 address
 * KEY is 32 bytes of hex, "0x" optional.  Signatures are deterministic
 * (RFC 6979), so a test can compare them with published vectors.
 */
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "core/eth.h"
#include "core/siwe.h"
#include "core/valid.h"

#define SIGN_MSG_MAX	(4 * SIWE_MSG_MAX)

static int
usage(void)
{
	fprintf(stderr, "usage: siwf_sign KEY < message\n"
	    "       siwf_sign --address KEY\n");
	return 2;
}

static int
key_from_hex(const char *s, unsigned char key[32])
{
	unsigned int	 b;
	size_t		 i;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (valid_hex(s, 64) == -1)
		return -1;
	for (i = 0; i < 32; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return -1;
		key[i] = (unsigned char)b;
	}
	return 0;
}

static int
print_address(const secp256k1_context *ctx, const unsigned char key[32])
{
	secp256k1_pubkey	 pk;
	unsigned char		 ser[65];
	size_t			 n = sizeof(ser);
	char			 low[ETH_ADDR_SIZE], sum[ETH_ADDR_SIZE];

	if (!secp256k1_ec_pubkey_create(ctx, &pk, key) ||
	    !secp256k1_ec_pubkey_serialize(ctx, ser, &n, &pk,
	    SECP256K1_EC_UNCOMPRESSED))
		return -1;
	eth_addr_from_pub(ser + 1, low);
	if (eth_addr_checksum(low, sum) == -1)
		return -1;
	printf("%s\n", sum);
	return 0;
}

static int
print_signature(const secp256k1_context *ctx, const unsigned char key[32])
{
	static char				 msg[SIGN_MSG_MAX + 1];
	secp256k1_ecdsa_recoverable_signature	 sig;
	unsigned char				 h[ETH_HASH_LEN], rs[64];
	size_t					 len, i;
	int					 recid;

	len = fread(msg, 1, sizeof(msg), stdin);
	if (ferror(stdin) || len > SIGN_MSG_MAX) {
		fprintf(stderr, "siwf_sign: message unreadable or over %d bytes\n",
		    SIGN_MSG_MAX);
		return -1;
	}
	eth_personal_hash(msg, len, h);
	if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, h, key, NULL, NULL))
		return -1;
	(void)secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, rs,
	    &recid, &sig);
	printf("0x");
	for (i = 0; i < sizeof(rs); i++)
		printf("%02x", rs[i]);
	printf("%02x\n", 27 + recid);
	return 0;
}

int
main(int argc, char *argv[])
{
	secp256k1_context	*ctx;
	unsigned char		 key[32];
	int			 addr, rc;

	addr = argc == 3 && strcmp(argv[1], "--address") == 0;
	if (argc != 2 + addr || key_from_hex(argv[1 + addr], key) == -1)
		return usage();
	if ((ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE)) == NULL)
		return 1;
	rc = addr ? print_address(ctx, key) : print_signature(ctx, key);
	secp256k1_context_destroy(ctx);
	if (rc == -1)
		fprintf(stderr, "siwf_sign: the key is not a valid secp256k1 key\n");
	return rc == -1 ? 1 : 0;
}
