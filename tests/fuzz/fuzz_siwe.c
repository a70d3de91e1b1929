/*
 * libFuzzer target for Sign In with Farcaster: an even first byte sends
 * the rest to siwe_parse (then, when it parses, to siwe_check, siwe_method
 * and siwe_verify_sig), an odd one takes the next 65 bytes as a signature
 * to recover over the personal_sign hash of what follows.  A parsed
 * message must keep every field NUL-terminated within its bound, and its
 * address valid; a recovered address must be valid and lowercase.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/eth.h"
#include "core/siwe.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_SIG "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a" \
	"4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e" \
	"1a0291c"

static void
bounded(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

static void
check_msg(const struct siwe_msg *m, const char *raw, size_t n)
{
	static const struct siwe_policy	 pol = { .domain = "example.com",
	    .uri = "https://example.com/login", .chain_id = 10, .skew = 60 };
	int64_t				 fid = 0;
	size_t				 i;

	bounded(m->domain, sizeof(m->domain));
	bounded(m->statement, sizeof(m->statement));
	bounded(m->uri, sizeof(m->uri));
	bounded(m->nonce, sizeof(m->nonce));
	bounded(m->request_id, sizeof(m->request_id));
	if (!eth_addr_checksum_ok(m->address) || m->nresources > SIWE_RES_MAX ||
	    strlen(m->nonce) < SIWE_NONCE_MIN || !m->issued_at.set)
		abort();
	for (i = 0; i < m->nresources; i++)
		bounded(m->resources[i], sizeof(m->resources[i]));
	if (siwe_check(m, &pol, 1704067200, &fid) == SIWE_CHECK_OK && fid < 1)
		abort();
	(void)siwe_method(m);
	(void)siwe_verify_sig(m, raw, n, FUZZ_SIG, NULL);
}

static void
recover(const uint8_t *data, size_t size)
{
	uint8_t	 h[ETH_HASH_LEN];
	char	 addr[ETH_ADDR_SIZE];

	if (size < ETH_SIG_LEN)
		return;
	eth_personal_hash((const char *)data + ETH_SIG_LEN, size - ETH_SIG_LEN,
	    h);
	if (eth_recover(h, data, addr) == ETH_OK &&
	    (!eth_addr_valid(addr) || !eth_addr_checksum_ok(addr)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct siwe_msg	*m;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		recover(data + 1, size - 1);
		return 0;
	}
	/* Heap, so ASan sees a read past any field. */
	if ((m = malloc(sizeof(*m))) == NULL)
		return 0;
	if (siwe_parse((const char *)data + 1, size - 1, m) == SIWE_OK)
		check_msg(m, (const char *)data + 1, size - 1);
	free(m);
	return 0;
}
