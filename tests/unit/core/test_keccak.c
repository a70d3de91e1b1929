#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/keccak.h"
#include "tests.h"

/* The digest of n bytes at p as 64 lowercase hex digits in out. */
static void
digest_hex(const void *p, size_t n, char out[2 * KECCAK256_LEN + 1])
{
	uint8_t	 d[KECCAK256_LEN];
	size_t	 i;

	keccak256(p, n, d);
	for (i = 0; i < KECCAK256_LEN; i++)
		(void)snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
is(const char *s, size_t n, const char *want)
{
	char	 got[2 * KECCAK256_LEN + 1];

	digest_hex(s, n, got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* Published vectors; "" also tells Keccak from SHA3-256 (a7ffc6f8...). */
static void
test_published(void)
{
	char	 got[2 * KECCAK256_LEN + 1];

	is("", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	digest_hex(NULL, 0, got);
	CU_ASSERT_STRING_EQUAL(got,
	    "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	is("abc", 3,
	    "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
	is("The quick brown fox jumps over the lazy dog", 43,
	    "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

/*
 * Around the 136-byte rate: the padding alone in a block of its own (136),
 * one byte over (137), two blocks exactly (272).  Expected digests from an
 * independent implementation (pycryptodome 3.11's Keccak, Debian 12).
 */
static void
test_rate_boundary(void)
{
	static const struct {
		size_t		 n;
		const char	*want;
	} v[] = {
		{ 135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446" },
		{ 136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e" },
		{ 137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39" },
		{ 272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8" },
		{ 273, "5a7b8187d2778e614097fac3097573de1fee4d972304d3360796a857029bb176" },
	};
	char	 a[300];
	size_t	 i;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		is(a, v[i].n, v[i].want);
}

/* Fed in uneven pieces, the digest is the one-shot digest. */
static void
test_incremental(void)
{
	struct keccak_ctx	 c;
	uint8_t			 in[200], one[KECCAK256_LEN], inc[KECCAK256_LEN];
	size_t			 i, at, step;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	keccak256(in, sizeof(in), one);
	for (step = 1; step < 140; step += 17) {
		keccak256_init(&c);
		for (at = 0; at < sizeof(in); at += step)
			keccak256_update(&c, in + at, at + step > sizeof(in) ?
			    sizeof(in) - at : step);
		keccak256_final(&c, inc);
		CU_ASSERT_EQUAL(memcmp(one, inc, sizeof(one)), 0);
	}
	is((const char *)in, sizeof(in),
	    "bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890");
}

int
test_keccak_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("keccak", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "published vectors", test_published) == NULL ||
	    CU_add_test(s, "rate boundary", test_rate_boundary) == NULL ||
	    CU_add_test(s, "incremental", test_incremental) == NULL)
		return -1;
	return 0;
}
