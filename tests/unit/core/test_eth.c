#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "core/eth.h"
#include "core/keccak.h"
#include "tests.h"

/* The well-known test key of web3.js's and ethers' documentation. */
static const unsigned char eth_key[32] = {
	0x4c, 0x08, 0x83, 0xa6, 0x91, 0x02, 0x93, 0x7d, 0x62, 0x31, 0x47,
	0x1b, 0x5d, 0xbb, 0x62, 0x04, 0xfe, 0x51, 0x29, 0x61, 0x70, 0x82,
	0x79, 0x2a, 0xe4, 0x68, 0xd0, 0x1a, 0x3f, 0x36, 0x23, 0x18,
};
#define ETH_KEY_ADDR	"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
#define ETH_KEY_LOWER	"0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"
/* web3.eth.accounts.sign('Some data', key).signature, as published. */
#define ETH_WEB3_SIG	"0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe" \
	"208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d43" \
	"00f8e1a0291c"

/* The curve order n, big-endian: a low s turns high as n - s. */
static const unsigned char eth_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
	0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
};

/* sig = personal_sign(msg) by eth_key, v 27/28. */
static void
sign(const char *msg, uint8_t sig[ETH_SIG_LEN])
{
	secp256k1_context			*ctx;
	secp256k1_ecdsa_recoverable_signature	 rs;
	uint8_t					 h[ETH_HASH_LEN];
	int					 recid;

	CU_ASSERT_FATAL((ctx = secp256k1_context_create(
	    SECP256K1_CONTEXT_NONE)) != NULL);
	eth_personal_hash(msg, strlen(msg), h);
	CU_ASSERT_FATAL(secp256k1_ecdsa_sign_recoverable(ctx, &rs, h, eth_key,
	    NULL, NULL) == 1);
	(void)secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig,
	    &recid, &rs);
	sig[64] = (uint8_t)(27 + recid);
	secp256k1_context_destroy(ctx);
}

/* Private key -> public key (libsecp256k1) -> keccak -> EIP-55 address. */
static void
test_key_to_address(void)
{
	secp256k1_context	*ctx;
	secp256k1_pubkey	 pk;
	unsigned char		 ser[65];
	size_t			 n = sizeof(ser);
	char			 low[ETH_ADDR_SIZE], sum[ETH_ADDR_SIZE];

	CU_ASSERT_FATAL((ctx = secp256k1_context_create(
	    SECP256K1_CONTEXT_NONE)) != NULL);
	CU_ASSERT_FATAL(secp256k1_ec_pubkey_create(ctx, &pk, eth_key) == 1);
	CU_ASSERT_FATAL(secp256k1_ec_pubkey_serialize(ctx, ser, &n, &pk,
	    SECP256K1_EC_UNCOMPRESSED) == 1);
	secp256k1_context_destroy(ctx);
	CU_ASSERT_EQUAL_FATAL(n, 65);
	eth_addr_from_pub(ser + 1, low);
	CU_ASSERT_STRING_EQUAL(low, ETH_KEY_LOWER);
	CU_ASSERT_EQUAL(eth_addr_checksum(low, sum), 0);
	CU_ASSERT_STRING_EQUAL(sum, ETH_KEY_ADDR);
}

/* EIP-191 framing, and web3.js's published hashMessage("Hello World"). */
static void
test_personal_hash(void)
{
	static const char	 framed[] =
	    "\x19" "Ethereum Signed Message:\n" "11" "Hello World";
	uint8_t			 got[ETH_HASH_LEN], want[ETH_HASH_LEN];
	uint8_t			 sig[ETH_SIG_LEN];

	eth_personal_hash("Hello World", 11, got);
	keccak256(framed, sizeof(framed) - 1, want);
	CU_ASSERT_EQUAL(memcmp(got, want, sizeof(got)), 0);
	/* 32 bytes of the published digest, read with the signature reader. */
	CU_ASSERT_EQUAL_FATAL(eth_sig_from_hex("a1de988600a42c4b4ab089b61929"
	    "7c17d53cffae5d5120d82d8a92d0bb3b78f2"
	    "00000000000000000000000000000000000000000000000000000000000000"
	    "0000", sig), ETH_OK);
	CU_ASSERT_EQUAL(memcmp(got, sig, sizeof(got)), 0);
}

static void
test_recover_published(void)
{
	uint8_t	 sig[ETH_SIG_LEN], h[ETH_HASH_LEN];
	char	 addr[ETH_ADDR_SIZE];

	CU_ASSERT_EQUAL_FATAL(eth_sig_from_hex(ETH_WEB3_SIG, sig), ETH_OK);
	eth_personal_hash("Some data", 9, h);
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_OK);
	CU_ASSERT_STRING_EQUAL(addr, ETH_KEY_LOWER);
	CU_ASSERT_TRUE(eth_addr_eq(addr, ETH_KEY_ADDR));
	/* Another message: another (valid) key, not ours. */
	eth_personal_hash("Some datb", 9, h);
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_OK);
	CU_ASSERT_FALSE(eth_addr_eq(addr, ETH_KEY_ADDR));
}

static void
test_sign_recover(void)
{
	uint8_t	 sig[ETH_SIG_LEN], h[ETH_HASH_LEN];
	char	 addr[ETH_ADDR_SIZE];
	size_t	 bit;
	int	 rc;

	sign("replycast signs in", sig);
	eth_personal_hash("replycast signs in", 18, h);
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_OK);
	CU_ASSERT_STRING_EQUAL(addr, ETH_KEY_LOWER);
	sig[64] -= 27;				/* v as 0/1 */
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_OK);
	CU_ASSERT_STRING_EQUAL(addr, ETH_KEY_LOWER);
	sig[64] += 27;
	/* Any one bit of r or s flipped: no key, or another one. */
	for (bit = 0; bit < 64 * 8; bit += 37) {
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = eth_recover(h, sig, addr);
		CU_ASSERT(rc == ETH_BAD_SIG || (rc == ETH_OK &&
		    !eth_addr_eq(addr, ETH_KEY_ADDR)));
		sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	sig[64] = (uint8_t)(55 - sig[64]);	/* the other recovery id */
	CU_ASSERT(eth_recover(h, sig, addr) == ETH_BAD_SIG ||
	    !eth_addr_eq(addr, ETH_KEY_ADDR));
}

static void
test_recover_rejects(void)
{
	static const uint8_t	 vs[] = { 2, 3, 26, 29, 30, 37, 38, 255 };
	uint8_t			 sig[ETH_SIG_LEN], h[ETH_HASH_LEN];
	char			 addr[ETH_ADDR_SIZE];
	size_t			 i;

	sign("reject me", sig);
	eth_personal_hash("reject me", 9, h);
	for (i = 0; i < sizeof(vs); i++) {
		sig[64] = vs[i];
		CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_BAD_SIG);
		CU_ASSERT_STRING_EQUAL(addr, "");
	}
	memset(sig, 0, 64);			/* r = s = 0 */
	sig[64] = 27;
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_BAD_SIG);
	memcpy(sig, eth_n, 32);			/* r = n: out of range */
	sig[63] = 1;
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_BAD_SIG);
}

/*
 * (r, n - s) with the other recovery id recovers the same key (ecrecover
 * and libsecp256k1's recovery take it); eth_recover refuses it, as eth.h
 * says.
 */
static void
test_high_s(void)
{
	secp256k1_ecdsa_recoverable_signature	 rs;
	secp256k1_pubkey			 pk;
	secp256k1_context			*ctx;
	uint8_t					 sig[ETH_SIG_LEN], h[ETH_HASH_LEN];
	unsigned char				 ser[65];
	size_t					 n = sizeof(ser);
	char					 addr[ETH_ADDR_SIZE];
	int					 i, borrow = 0, d;

	sign("malleable", sig);
	eth_personal_hash("malleable", 9, h);
	CU_ASSERT_EQUAL_FATAL(eth_recover(h, sig, addr), ETH_OK);
	for (i = 31; i >= 0; i--) {
		d = eth_n[i] - sig[32 + i] - borrow;
		borrow = d < 0;
		sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
	sig[64] = (uint8_t)(55 - sig[64]);
	CU_ASSERT_EQUAL(eth_recover(h, sig, addr), ETH_BAD_SIG);
	CU_ASSERT_FATAL((ctx = secp256k1_context_create(
	    SECP256K1_CONTEXT_NONE)) != NULL);
	CU_ASSERT(secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs,
	    sig, sig[64] - 27) == 1);
	CU_ASSERT(secp256k1_ecdsa_recover(ctx, &pk, &rs, h) == 1);
	CU_ASSERT(secp256k1_ec_pubkey_serialize(ctx, ser, &n, &pk,
	    SECP256K1_EC_UNCOMPRESSED) == 1);
	secp256k1_context_destroy(ctx);
	eth_addr_from_pub(ser + 1, addr);
	CU_ASSERT_STRING_EQUAL(addr, ETH_KEY_LOWER);
}

static void
test_sig_from_hex(void)
{
	uint8_t	 sig[ETH_SIG_LEN];
	char	 hex[2 + 2 * ETH_SIG_LEN + 2];

	CU_ASSERT_EQUAL(eth_sig_from_hex(ETH_WEB3_SIG, sig), ETH_OK);
	CU_ASSERT_EQUAL(sig[0], 0xb9);
	CU_ASSERT_EQUAL(sig[64], 0x1c);
	CU_ASSERT_EQUAL(eth_sig_from_hex(ETH_WEB3_SIG + 2, sig), ETH_OK);
	(void)snprintf(hex, sizeof(hex), "%s", ETH_WEB3_SIG);
	hex[2] = 'B';				/* upper-case digits */
	CU_ASSERT_EQUAL(eth_sig_from_hex(hex, sig), ETH_OK);
	CU_ASSERT_EQUAL(sig[0], 0xb9);
	hex[2] = 'g';
	CU_ASSERT_EQUAL(eth_sig_from_hex(hex, sig), ETH_BAD_HEX);
	(void)snprintf(hex, sizeof(hex), "%s0", ETH_WEB3_SIG);	/* 131 */
	CU_ASSERT_EQUAL(eth_sig_from_hex(hex, sig), ETH_BAD_HEX);
	hex[strlen(hex) - 2] = '\0';				/* 129 */
	CU_ASSERT_EQUAL(eth_sig_from_hex(hex, sig), ETH_BAD_HEX);
	CU_ASSERT_EQUAL(eth_sig_from_hex("", sig), ETH_BAD_HEX);
	CU_ASSERT_EQUAL(eth_sig_from_hex("0x", sig), ETH_BAD_HEX);
	CU_ASSERT_EQUAL(eth_sig_from_hex(NULL, sig), ETH_BAD_HEX);
	(void)snprintf(hex, sizeof(hex), " %s", ETH_WEB3_SIG + 2);
	hex[strlen(hex) - 1] = '\0';
	CU_ASSERT_EQUAL(eth_sig_from_hex(hex, sig), ETH_BAD_HEX);
	CU_ASSERT_STRING_EQUAL(eth_err_str(ETH_BAD_HEX),
	    "the signature is not 65 bytes of hex");
}

static void
test_addr_valid(void)
{
	CU_ASSERT_TRUE(eth_addr_valid(ETH_KEY_ADDR));
	CU_ASSERT_TRUE(eth_addr_valid(ETH_KEY_LOWER));
	CU_ASSERT_FALSE(eth_addr_valid(ETH_KEY_LOWER + 2));
	CU_ASSERT_FALSE(eth_addr_valid("0X2c7536e3605d9c16a7a3d7b1898e529396a65c23"));
	CU_ASSERT_FALSE(eth_addr_valid("0x2c7536e3605d9c16a7a3d7b1898e529396a65c2"));
	CU_ASSERT_FALSE(eth_addr_valid("0x2c7536e3605d9c16a7a3d7b1898e529396a65c233"));
	CU_ASSERT_FALSE(eth_addr_valid("0x2c7536e3605d9c16a7a3d7b1898e529396a65c2g"));
	CU_ASSERT_FALSE(eth_addr_valid("0x"));
	CU_ASSERT_FALSE(eth_addr_valid(""));
	CU_ASSERT_FALSE(eth_addr_valid(NULL));
}

/* EIP-55's own examples, and what the checksum refuses. */
static void
test_addr_checksum(void)
{
	static const char	*good[] = {
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
		ETH_KEY_ADDR,
	};
	char	 sum[ETH_ADDR_SIZE], low[ETH_ADDR_SIZE];
	size_t	 i, j;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CU_ASSERT_TRUE(eth_addr_checksum_ok(good[i]));
		for (j = 0; good[i][j] != '\0'; j++)
			low[j] = j < 2 ? good[i][j] :
			    (char)(good[i][j] | 0x20);	/* hex: lower case */
		low[j] = '\0';
		CU_ASSERT_EQUAL(eth_addr_checksum(low, sum), 0);
		CU_ASSERT_STRING_EQUAL(sum, good[i]);
		CU_ASSERT_TRUE(eth_addr_checksum_ok(low));
		CU_ASSERT_TRUE(eth_addr_eq(low, good[i]));
	}
	CU_ASSERT_TRUE(eth_addr_checksum_ok("0x2C7536E3605D9C16A7A3D7B1898E529396A65C23"));
	/* One letter's case changed: mixed case that is not the checksum. */
	CU_ASSERT_FALSE(eth_addr_checksum_ok("0x2c7536E3605D9C16a7a3D7b1898e529396a65C23"));
	CU_ASSERT_FALSE(eth_addr_checksum_ok("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
	CU_ASSERT_FALSE(eth_addr_checksum_ok("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"));
	CU_ASSERT_EQUAL(eth_addr_checksum("0x5aAeb6053F", sum), -1);
	CU_ASSERT_FALSE(eth_addr_eq(ETH_KEY_ADDR, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
	CU_ASSERT_FALSE(eth_addr_eq(ETH_KEY_ADDR, ETH_KEY_ADDR + 2));
}

int
test_eth_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("eth", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "key to address", test_key_to_address) == NULL ||
	    CU_add_test(s, "personal hash", test_personal_hash) == NULL ||
	    CU_add_test(s, "recover published", test_recover_published) == NULL ||
	    CU_add_test(s, "sign and recover", test_sign_recover) == NULL ||
	    CU_add_test(s, "recover rejects", test_recover_rejects) == NULL ||
	    CU_add_test(s, "high s", test_high_s) == NULL ||
	    CU_add_test(s, "sig from hex", test_sig_from_hex) == NULL ||
	    CU_add_test(s, "addr valid", test_addr_valid) == NULL ||
	    CU_add_test(s, "addr checksum", test_addr_checksum) == NULL)
		return -1;
	return 0;
}
