#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "core/qs.h"
#include "tests.h"

static struct arena	*qa;

static int
qs_suite_init(void)
{
	return (qa = arena_new(4096)) == NULL ? -1 : 0;
}

static int
qs_suite_clean(void)
{
	arena_free(qa);
	qa = NULL;
	return 0;
}

static enum qs_err
parse(const char *s, struct qs_list *l)
{
	return qs_parse(qa, s, strlen(s), l);
}

/* Asserts pair i of l is exactly (k, v). */
static void
pair_is(const struct qs_list *l, size_t i, const char *k, const char *v)
{
	CU_ASSERT_FATAL(i < l->n);
	CU_ASSERT_STRING_EQUAL(l->v[i].key, k);
	CU_ASSERT_STRING_EQUAL(l->v[i].val, v);
}

static void
test_decode(void)
{
	char	 d[64];

	CU_ASSERT_EQUAL(qs_decode(d, "%41", 3, 1), 1);
	CU_ASSERT_STRING_EQUAL(d, "A");
	CU_ASSERT_EQUAL(qs_decode(d, "%e2%82%ac", 9, 1), 3);
	CU_ASSERT_STRING_EQUAL(d, "\xe2\x82\xac");
	CU_ASSERT_EQUAL(qs_decode(d, "%E2%82%AC", 9, 1), 3);
	CU_ASSERT_STRING_EQUAL(d, "\xe2\x82\xac");
	CU_ASSERT_EQUAL(qs_decode(d, "%eF", 3, 1), 1);
	CU_ASSERT_EQUAL((unsigned char)d[0], 0xef);
	CU_ASSERT_EQUAL(qs_decode(d, "a+b", 3, 1), 3);
	CU_ASSERT_STRING_EQUAL(d, "a b");
	CU_ASSERT_EQUAL(qs_decode(d, "a+b", 3, 0), 3);
	CU_ASSERT_STRING_EQUAL(d, "a+b");
	CU_ASSERT_EQUAL(qs_decode(d, "%2B", 3, 1), 1);	/* an encoded '+' stays */
	CU_ASSERT_STRING_EQUAL(d, "+");
	CU_ASSERT_EQUAL(qs_decode(d, "%25", 3, 1), 1);
	CU_ASSERT_STRING_EQUAL(d, "%");
	CU_ASSERT_EQUAL(qs_decode(d, "", 0, 1), 0);
	CU_ASSERT_STRING_EQUAL(d, "");
	/* Only n bytes are read. */
	CU_ASSERT_EQUAL(qs_decode(d, "abcdef", 2, 1), 2);
	CU_ASSERT_STRING_EQUAL(d, "ab");

	CU_ASSERT_EQUAL(qs_decode(d, "%zz", 3, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "%4z", 3, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "%z4", 3, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "%4", 2, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "%", 1, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "ab%", 3, 1), -1);
	/* "%41" cut to 2 bytes is truncated even if a '1' follows in memory. */
	CU_ASSERT_EQUAL(qs_decode(d, "%41", 2, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "% 41", 4, 1), -1);
	CU_ASSERT_EQUAL(qs_decode(d, "%00", 3, 1), -2);
	CU_ASSERT_EQUAL(qs_decode(d, "a\0b", 3, 1), -2);
}

static void
test_parse_basic(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL_FATAL(parse("a=1&b=two&c=%41%62", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 3);
	pair_is(&l, 0, "a", "1");
	pair_is(&l, 1, "b", "two");
	pair_is(&l, 2, "c", "Ab");
	CU_ASSERT_STRING_EQUAL(qs_get(&l, "b"), "two");
	CU_ASSERT_PTR_NULL(qs_get(&l, "d"));
	CU_ASSERT_PTR_NULL(qs_get(&l, "A"));	/* case-sensitive */
	CU_ASSERT_EQUAL(qs_count(&l, "a"), 1);
	CU_ASSERT_EQUAL(qs_count(&l, "d"), 0);

	/* Keys are decoded too; '=' only splits once. */
	CU_ASSERT_EQUAL_FATAL(parse("%6B%65y=a=b%3Dc", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	pair_is(&l, 0, "key", "a=b=c");
}

static void
test_parse_plus(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL_FATAL(parse("q=hello+world&x+y=%2B+", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	pair_is(&l, 0, "q", "hello world");
	pair_is(&l, 1, "x y", "+ ");
}

static void
test_parse_empty(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL_FATAL(parse("a=&b", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	pair_is(&l, 0, "a", "");
	pair_is(&l, 1, "b", "");

	CU_ASSERT_EQUAL_FATAL(parse("a", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	pair_is(&l, 0, "a", "");
	CU_ASSERT_STRING_EQUAL(qs_get(&l, "a"), "");

	CU_ASSERT_EQUAL_FATAL(parse("&&a=1&", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	pair_is(&l, 0, "a", "1");

	CU_ASSERT_EQUAL(parse("", &l), QS_OK);
	CU_ASSERT_EQUAL(l.n, 0);
	CU_ASSERT_PTR_NULL(qs_get(&l, "a"));
	CU_ASSERT_EQUAL(qs_count(&l, "a"), 0);

	CU_ASSERT_EQUAL(parse("&&&", &l), QS_OK);
	CU_ASSERT_EQUAL(l.n, 0);

	CU_ASSERT_EQUAL(qs_parse(qa, NULL, 0, &l), QS_OK);
	CU_ASSERT_EQUAL(l.n, 0);

	/* An empty key is still a pair. */
	CU_ASSERT_EQUAL_FATAL(parse("=x", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	pair_is(&l, 0, "", "x");
}

static void
test_parse_repeated(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL_FATAL(parse("t=1&u=x&t=2&t=3", &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 4);
	pair_is(&l, 0, "t", "1");
	pair_is(&l, 1, "u", "x");
	pair_is(&l, 2, "t", "2");
	pair_is(&l, 3, "t", "3");
	CU_ASSERT_STRING_EQUAL(qs_get(&l, "t"), "1");
	CU_ASSERT_EQUAL(qs_count(&l, "t"), 3);
	CU_ASSERT_EQUAL(qs_count(&l, "u"), 1);
}

/* Only the first n bytes count: the rest of the string is ignored. */
static void
test_parse_length(void)
{
	struct qs_list	 l;
	const char	*s = "a=12&b=3";

	CU_ASSERT_EQUAL_FATAL(qs_parse(qa, s, 3, &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	pair_is(&l, 0, "a", "1");
}

static void
test_parse_badenc(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL(parse("a=%zz", &l), QS_EBADENC);
	CU_ASSERT_EQUAL(parse("a=%4", &l), QS_EBADENC);
	CU_ASSERT_EQUAL(parse("a=%", &l), QS_EBADENC);
	CU_ASSERT_EQUAL(parse("a=%4&b=1", &l), QS_EBADENC);
	CU_ASSERT_EQUAL(parse("%g1=x", &l), QS_EBADENC);
	CU_ASSERT_EQUAL(parse("ok=1&k%=v", &l), QS_EBADENC);
}

static void
test_parse_nul(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL(parse("a=%00", &l), QS_ENUL);
	CU_ASSERT_EQUAL(parse("a%00b=1", &l), QS_ENUL);
	CU_ASSERT_EQUAL(parse("x=1&a=b%00", &l), QS_ENUL);
	CU_ASSERT_EQUAL(qs_parse(qa, "a=1\0b=2", 7, &l), QS_ENUL);
	CU_ASSERT_EQUAL(qs_parse(qa, "a=\0", 3, &l), QS_ENUL);
}

static void
test_parse_keylen(void)
{
	struct qs_list	 l;
	char		 s[3 * (QS_MAX_KEY + 1) + 8];
	size_t		 i;

	/* Exactly QS_MAX_KEY decoded bytes is fine. */
	memset(s, 'k', QS_MAX_KEY);
	memcpy(s + QS_MAX_KEY, "=v", 3);
	CU_ASSERT_EQUAL_FATAL(parse(s, &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_EQUAL(strlen(l.v[0].key), QS_MAX_KEY);
	CU_ASSERT_STRING_EQUAL(l.v[0].val, "v");

	/* One more is too long. */
	memset(s, 'k', QS_MAX_KEY + 1);
	memcpy(s + QS_MAX_KEY + 1, "=v", 3);
	CU_ASSERT_EQUAL(parse(s, &l), QS_ETOOLONG);
	/* Without a value, too. */
	s[QS_MAX_KEY + 1] = '\0';
	CU_ASSERT_EQUAL(parse(s, &l), QS_ETOOLONG);

	/* Encoded: QS_MAX_KEY "%41" escapes decode to QS_MAX_KEY bytes. */
	for (i = 0; i < QS_MAX_KEY; i++)
		memcpy(s + 3 * i, "%41", 3);
	memcpy(s + 3 * QS_MAX_KEY, "=v", 3);
	CU_ASSERT_EQUAL_FATAL(parse(s, &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_EQUAL(strlen(l.v[0].key), QS_MAX_KEY);
	CU_ASSERT_EQUAL(l.v[0].key[QS_MAX_KEY - 1], 'A');

	for (i = 0; i < QS_MAX_KEY + 1; i++)
		memcpy(s + 3 * i, "%41", 3);
	memcpy(s + 3 * (QS_MAX_KEY + 1), "=v", 3);
	CU_ASSERT_EQUAL(parse(s, &l), QS_ETOOLONG);

	/* Values have no such limit. */
	memset(s, 'v', sizeof(s) - 1);
	memcpy(s, "k=", 2);
	s[sizeof(s) - 1] = '\0';
	CU_ASSERT_EQUAL_FATAL(parse(s, &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 1);
	CU_ASSERT_EQUAL(strlen(l.v[0].val), sizeof(s) - 3);
}

/* Builds "k0=0&k1=1&..." with n pairs into s. */
static void
make_pairs(char *s, size_t sz, size_t n)
{
	size_t	 i, len = 0;
	int	 r;

	s[0] = '\0';
	for (i = 0; i < n; i++) {
		r = snprintf(s + len, sz - len, "%sk%zu=%zu", i ? "&" : "",
		    i, i);
		CU_ASSERT_FATAL(r > 0 && (size_t)r < sz - len);
		len += (size_t)r;
	}
}

static void
test_parse_toomany(void)
{
	struct qs_list	 l;
	char		 s[4096];

	make_pairs(s, sizeof(s), QS_MAX_PAIRS);
	CU_ASSERT_EQUAL_FATAL(parse(s, &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, QS_MAX_PAIRS);
	pair_is(&l, 0, "k0", "0");
	pair_is(&l, QS_MAX_PAIRS - 1, "k127", "127");
	CU_ASSERT_STRING_EQUAL(qs_get(&l, "k64"), "64");

	make_pairs(s, sizeof(s), QS_MAX_PAIRS + 1);
	CU_ASSERT_EQUAL(parse(s, &l), QS_ETOOMANY);

	/* Empty items do not count. */
	make_pairs(s, sizeof(s), QS_MAX_PAIRS);
	CU_ASSERT_FATAL(strlen(s) + 4 < sizeof(s));
	memcpy(s + strlen(s), "&&&", 4);
	CU_ASSERT_EQUAL(parse(s, &l), QS_OK);
	CU_ASSERT_EQUAL(l.n, QS_MAX_PAIRS);
}

static void
test_parse_utf8(void)
{
	struct qs_list	 l;

	CU_ASSERT_EQUAL_FATAL(parse("n=\xc3\xa9t\xc3\xa9&%C3%A9=%e2%82%ac",
	    &l), QS_OK);
	CU_ASSERT_EQUAL_FATAL(l.n, 2);
	pair_is(&l, 0, "n", "\xc3\xa9t\xc3\xa9");
	pair_is(&l, 1, "\xc3\xa9", "\xe2\x82\xac");
	CU_ASSERT_STRING_EQUAL(qs_get(&l, "\xc3\xa9"), "\xe2\x82\xac");
}

static void
test_strerror(void)
{
	const char	*s;
	int		 e, j;

	for (e = 0; e < QS__MAX; e++) {
		s = qs_strerror((enum qs_err)e);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		CU_ASSERT(s[0] != '\0');
		for (j = 0; j < e; j++)
			CU_ASSERT(strcmp(s, qs_strerror((enum qs_err)j)) != 0);
	}
	CU_ASSERT_STRING_EQUAL(qs_strerror(QS_OK), "ok");
	CU_ASSERT_STRING_EQUAL(qs_strerror(QS__MAX), "unknown error");
}

int
test_qs_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("qs", qs_suite_init, qs_suite_clean)) == NULL)
		return -1;
	if (CU_add_test(s, "decode", test_decode) == NULL ||
	    CU_add_test(s, "parse basic", test_parse_basic) == NULL ||
	    CU_add_test(s, "parse plus", test_parse_plus) == NULL ||
	    CU_add_test(s, "parse empty", test_parse_empty) == NULL ||
	    CU_add_test(s, "parse repeated", test_parse_repeated) == NULL ||
	    CU_add_test(s, "parse length", test_parse_length) == NULL ||
	    CU_add_test(s, "parse bad encoding", test_parse_badenc) == NULL ||
	    CU_add_test(s, "parse NUL", test_parse_nul) == NULL ||
	    CU_add_test(s, "parse key length", test_parse_keylen) == NULL ||
	    CU_add_test(s, "parse too many", test_parse_toomany) == NULL ||
	    CU_add_test(s, "parse UTF-8", test_parse_utf8) == NULL ||
	    CU_add_test(s, "strerror", test_strerror) == NULL)
		return -1;
	return 0;
}
