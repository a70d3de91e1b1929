/*
 * jfs_sign SEED FID TYPE PAYLOAD: prints the JSON Farcaster Signature a
 * Farcaster client would send a mini app's webhook, signed by the Ed25519
 * key made from SEED (64 hex digits): {"header", "payload", "signature"},
 * base64url, the header {"fid": FID, "type": TYPE, "key": "0x..."}.
 * jfs_sign SEED: prints the key ("0x" and 64 hex digits).
 * For tests/integration/t_88_alerts.sh; installed nowhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static void
b64(const unsigned char *p, size_t n, char *out, size_t outsz)
{
	sodium_bin2base64(out, outsz, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
main(int argc, char *argv[])
{
	unsigned char	 seed[32], pk[32], sk[64], sig[64];
	char		 key[67], hdr[512], h64[1024], p64[8192], s64[128];
	char		 msg[9300];
	size_t		 n;

	if ((argc != 2 && argc != 5) || sodium_init() == -1 ||
	    strlen(argv[1]) != 64 || sodium_hex2bin(seed, sizeof(seed), argv[1],
	    64, NULL, &n, NULL) != 0 || n != 32) {
		fprintf(stderr, "usage: jfs_sign SEED [FID TYPE PAYLOAD]\n");
		return 2;
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	key[0] = '0';
	key[1] = 'x';
	sodium_bin2hex(key + 2, sizeof(key) - 2, pk, sizeof(pk));
	if (argc == 2) {
		printf("%s\n", key);
		return 0;
	}
	if (strlen(argv[4]) > 6000)
		return 2;
	snprintf(hdr, sizeof(hdr), "{\"fid\":%s,\"type\":\"%s\",\"key\":\"%s\"}",
	    argv[2], argv[3], key);
	b64((const unsigned char *)hdr, strlen(hdr), h64, sizeof(h64));
	b64((const unsigned char *)argv[4], strlen(argv[4]), p64, sizeof(p64));
	snprintf(msg, sizeof(msg), "%s.%s", h64, p64);
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg),
	    sk);
	b64(sig, sizeof(sig), s64, sizeof(s64));
	printf("{\"header\":\"%s\",\"payload\":\"%s\",\"signature\":\"%s\"}\n",
	    h64, p64, s64);
	return 0;
}
