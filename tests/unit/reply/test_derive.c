#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/derive.h"
#include "reply/ing.h"
#include "tests.h"

#define T0	1700000000

/* "0x" + 40 hex digits whose first byte is b and last byte is z. */
static void
hexhash(char *out, unsigned b, unsigned z)
{
	snprintf(out, ING_HASH_LEN + 1, "0x%02x%036d%02x", b & 0xffu, 0, z & 0xffu);
}

static void
cast(struct derive *d, unsigned h, int64_t fid, int64_t t, unsigned ph,
    int64_t pfid, int64_t *m, size_t nm)
{
	struct ing_cast	 c;

	memset(&c, 0, sizeof(c));
	hexhash(c.hash, h, h);
	c.fid = fid;
	c.time = T0 + t;
	if (ph != 0)
		hexhash(c.parent_hash, ph, ph);
	c.parent_fid = pfid;
	c.mentions = m;
	c.nmentions = nm;
	derive_cast(d, &c);
}

static void
removal(struct derive *d, unsigned h, int64_t fid)
{
	struct ing_remove	 r;

	memset(&r, 0, sizeof(r));
	hexhash(r.hash, h, h);
	r.fid = fid;
	r.time = T0 + 1000;
	derive_remove(d, &r);
}

/* Every fact derive_next hands out, at most max: how many. */
static size_t
facts(struct derive *d, struct derive_fact *out, size_t max)
{
	size_t	 n = 0;

	while (n < max && derive_next(d, &out[n]) == 1)
		n++;
	return n;
}

/* The fact of (fid, cast h) among f[0..n), or NULL. */
static const struct derive_fact *
fact(const struct derive_fact *f, size_t n, int64_t fid, unsigned h)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (f[i].fid == fid && f[i].hash[0] == h && f[i].hash[19] == h)
			return &f[i];
	return NULL;
}

static void
test_facts_and_answers(void)
{
	struct derive		*d = derive_new(0);
	struct derive_fact	 all[16];
	const struct derive_fact *f;
	int64_t			 m2[] = { 10, 30, 20 };
	int64_t			 m6[] = { 40 };
	int64_t			*fids;
	size_t			 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	cast(d, 1, 10, 0, 0, 0, NULL, 0);		/* 10's cast */
	cast(d, 2, 20, 100, 1, 10, m2, 3);		/* 20 replies, mentions 10, 30, self */
	cast(d, 3, 10, 500, 2, 20, NULL, 0);		/* 10 answers at 500 */
	cast(d, 4, 10, 50, 2, 20, NULL, 0);		/* before the cast: no answer */
	cast(d, 5, 10, 500, 2, 20, NULL, 0);		/* same time, larger hash */
	cast(d, 6, 20, 200, 0, 0, m6, 1);		/* a mention of 40 */
	cast(d, 2, 99, 9, 0, 0, NULL, 0);		/* a duplicate: the first stays */
	removal(d, 3, 10);				/* 10 removes its answer */
	removal(d, 3, 10);				/* twice: one removal */
	removal(d, 5, 77);				/* not the author: nothing */
	CU_ASSERT_EQUAL_FATAL(derive_finish(d), 0);

	n = facts(d, all, 16);
	/* 2 for cast 2, one each for 3, 4, 5 (replies to 20) and 6. */
	CU_ASSERT_EQUAL(n, 6);
	/* Cast 2: a reply to 10 that also mentions 10, a mention of 30. */
	CU_ASSERT_PTR_NOT_NULL_FATAL((f = fact(all, n, 10, 2)));
	CU_ASSERT_EQUAL(f->kind, 3);
	CU_ASSERT_EQUAL(f->author, 20);
	CU_ASSERT_EQUAL(f->ts, T0 + 100);
	CU_ASSERT_EQUAL(f->deleted, 0);
	/* 3 is removed, 4 came before the cast: 5 answers, 400 s later. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->answer);
	CU_ASSERT_EQUAL(f->answer[0], 5);
	CU_ASSERT_EQUAL(f->answered_at, T0 + 500);
	CU_ASSERT_EQUAL(f->rt, 400);
	CU_ASSERT_PTR_NOT_NULL_FATAL((f = fact(all, n, 30, 2)));
	CU_ASSERT_EQUAL(f->kind, 2);
	CU_ASSERT_PTR_NULL(f->answer);
	CU_ASSERT_PTR_NULL(fact(all, n, 20, 2));	/* its own author */
	/* Replies of 10 to 20's cast are facts of 20, removed or not. */
	CU_ASSERT_PTR_NOT_NULL_FATAL((f = fact(all, n, 20, 3)));
	CU_ASSERT_EQUAL(f->kind, 1);
	CU_ASSERT_EQUAL(f->deleted, 1);
	CU_ASSERT_PTR_NOT_NULL(fact(all, n, 20, 4));
	CU_ASSERT_PTR_NOT_NULL(fact(all, n, 40, 6));
	CU_ASSERT_PTR_NULL(fact(all, n, 99, 2));	/* the duplicate */
	/* Authors and facts' fids, once each, ascending; not the duplicate's. */
	CU_ASSERT_EQUAL_FATAL(derive_fids(d, &fids), 4);
	CU_ASSERT_EQUAL(fids[0], 10);
	CU_ASSERT_EQUAL(fids[1], 20);
	CU_ASSERT_EQUAL(fids[2], 30);
	CU_ASSERT_EQUAL(fids[3], 40);
	free(fids);
	derive_free(d);
}

/* More fids than the set's first size: it grows; none is lost or repeated. */
static void
test_many_fids(void)
{
	struct derive	*d = derive_new(0);
	int64_t		 m[64], *fids;
	unsigned	 h, k;
	long		 n, i;
	int		 sorted = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (h = 1; h <= 255; h++) {
		for (k = 0; k < 64; k++)
			m[k] = 100000 + h * 64 + k;
		cast(d, h, h, h, 0, 0, m, 64);
	}
	CU_ASSERT_EQUAL_FATAL(derive_finish(d), 0);
	n = derive_fids(d, &fids);
	CU_ASSERT_EQUAL_FATAL(n, 255 + 255 * 64);
	for (i = 1; i < n; i++)
		sorted &= fids[i - 1] < fids[i];
	CU_ASSERT(sorted);
	CU_ASSERT_EQUAL(fids[0], 1);
	CU_ASSERT_EQUAL(fids[254], 255);
	CU_ASSERT_EQUAL(fids[255], 100000 + 64);
	CU_ASSERT_EQUAL(fids[n - 1], 100000 + 255 * 64 + 63);
	free(fids);
	derive_free(d);
}

static void
test_limits(void)
{
	struct derive		*d = derive_new(2);
	struct ing_cast		 c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	cast(d, 1, 10, 0, 0, 0, NULL, 0);
	cast(d, 2, 10, 0, 0, 0, NULL, 0);
	CU_ASSERT_EQUAL(derive_on(d), 1);
	cast(d, 3, 10, 0, 0, 0, NULL, 0);		/* past the limit */
	CU_ASSERT_EQUAL(derive_on(d), 0);
	CU_ASSERT_EQUAL(derive_finish(d), -1);
	derive_free(d);

	/* A hash the parser would not pass turns it off too. */
	d = derive_new(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memset(&c, 0, sizeof(c));
	snprintf(c.hash, sizeof(c.hash), "0xZZ");
	c.fid = 1;
	c.time = T0;
	derive_cast(d, &c);
	CU_ASSERT_EQUAL(derive_on(d), 0);
	derive_free(d);
	CU_ASSERT_EQUAL(derive_on(NULL), 0);
	derive_free(NULL);
}

/* ing_hash_raw: every digit's value, and no string it should not take. */
static void
test_hash_raw(void)
{
	static const char	 digits[] = "0123456789abcdef";
	uint8_t			 raw[ING_HASH_RAW];
	char			 h[ING_HASH_LEN + 2];
	size_t			 i;

	for (i = 0; i < 16; i++) {
		memset(h, digits[i], ING_HASH_LEN);
		h[0] = '0';
		h[1] = 'x';
		h[ING_HASH_LEN] = '\0';
		CU_ASSERT_EQUAL_FATAL(ing_hash_raw(h, raw), 0);
		CU_ASSERT_EQUAL(raw[0], i << 4 | i);
		CU_ASSERT_EQUAL(raw[ING_HASH_RAW - 1], i << 4 | i);
	}
	snprintf(h, sizeof(h), "0x00112233445566778899aabbccddeeff0a1b2c3d");
	CU_ASSERT_EQUAL_FATAL(ing_hash_raw(h, raw), 0);
	CU_ASSERT_EQUAL(raw[1], 0x11);
	CU_ASSERT_EQUAL(raw[15], 0xff);
	CU_ASSERT_EQUAL(raw[19], 0x3d);
	h[ING_HASH_LEN] = '0';			/* one digit too many */
	h[ING_HASH_LEN + 1] = '\0';
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);
	h[ING_HASH_LEN - 1] = '\0';		/* one too few */
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);
	CU_ASSERT_EQUAL(ing_hash_raw("", raw), -1);
	CU_ASSERT_EQUAL(ing_hash_raw("0", raw), -1);
	CU_ASSERT_EQUAL(ing_hash_raw("0x", raw), -1);
	snprintf(h, sizeof(h), "0x00112233445566778899AABBCCDDEEFF0A1B2C3D");
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);	/* the parser lowercases */
	snprintf(h, sizeof(h), "0X00112233445566778899aabbccddeeff0a1b2c3d");
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);
	snprintf(h, sizeof(h), "0x0011223344556677889 aabbccddeeff0a1b2c3d");
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);
	snprintf(h, sizeof(h), "0x00112233445566778899aabbccddeeff0a1b2c3g");
	CU_ASSERT_EQUAL(ing_hash_raw(h, raw), -1);
}

int
test_derive_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("derive", NULL, NULL)) == NULL ||
	    CU_add_test(s, "facts and answers", test_facts_and_answers) == NULL ||
	    CU_add_test(s, "limits", test_limits) == NULL ||
	    CU_add_test(s, "many fids", test_many_fids) == NULL ||
	    CU_add_test(s, "hash to bytes", test_hash_raw) == NULL)
		return -1;
	return 0;
}
