#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "reply/ing_int.h"
#include "tests.h"

/*
 * The JSON Lines fast path (src/reply/ing_fast.c) against the json-c path:
 * over generated lines and edge cases, ing_parse_line() (fast path first)
 * must hand the sink exactly what the json-c path alone hands it: the same
 * record, or the same rejection with the same line.
 */

#define LINE_MAX_LEN	4096
#define NGEN		20000

/* What one parse handed to the sink. */
struct seen {
	int		 nrec, nbad;
	struct ing_rec	 rec;
	long		 badno;
	char		 bad[256];
};

static int
seen_rec(void *arg, const struct ing_rec *r)
{
	struct seen	*s = arg;

	s->nrec++;
	s->rec = *r;
	return 0;
}

static int
seen_bad(void *arg, long recno, const char *reason)
{
	struct seen	*s = arg;

	s->nbad++;
	s->badno = recno;
	(void)snprintf(s->bad, sizeof(s->bad), "%s", reason);
	return 0;
}

static int
seen_same(const struct seen *x, const struct seen *y)
{
	if (x->nrec != y->nrec || x->nbad != y->nbad)
		return 0;
	if (x->nbad > 0 && (x->badno != y->badno ||
	    strcmp(x->bad, y->bad) != 0))
		return 0;
	if (x->nrec == 0)
		return 1;
	if (x->rec.kind != y->rec.kind || x->rec.recno != y->rec.recno)
		return 0;
	return x->rec.kind != ING_CAST ||
	    ing_cast_same(&x->rec.u.cast, &y->rec.u.cast);
}

/*
 * Parses line both ways; returns 1 if the fast path read it itself, 0 if
 * it went to json-c, and fails the test when the two differ.
 */
static int
both_ways(const char *line, size_t len)
{
	struct seen	 fast, slow;
	struct ing_sink	 sf = { seen_rec, seen_bad, &fast };
	struct ing_sink	 ss = { seen_rec, seen_bad, &slow };
	struct ing_ctx	 c;
	struct ing_rec	 r;
	struct arena	*a;
	int		 took;

	memset(&fast, 0, sizeof(fast));
	memset(&slow, 0, sizeof(slow));
	a = arena_new(8192);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(ing_parse_line(a, line, len, 7, &sf), 0);
	ing_ctx_init(&c, a, &ss, NULL);
	c.recno = 7;
	took = ing_jsonl_fast(&c, line, len, &r);
	if (!ing_blank(line, len))
		CU_ASSERT_EQUAL(ing_jsonl_slow(&c, line, len), 0);
	if (!seen_same(&fast, &slow)) {
		CU_FAIL("the fast path and json-c differ");
		fprintf(stderr, "\ndiffer on: %.*s\n", (int)len, line);
	}
	if (took)
		CU_ASSERT(slow.nrec == 1 && slow.nbad == 0);
	arena_free(a);
	return took;
}

/* Lines each path must take, and what the two give on them. */
static void
test_fast_cases(void)
{
#define H "\"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd\""
#define P "\"0x1111111111111111111111111111111111111111\""
	static const struct {
		const char	*line;
		int		 fast;
	} cases[] = {
		{ "{\"type\":\"cast\",\"hash\":" H ",\"fid\":3,\"time\":1714568400,"
		  "\"text\":\"gm\",\"parent_hash\":" P ",\"parent_fid\":2,"
		  "\"root_hash\":" P ",\"mentions\":[2,5,2],"
		  "\"mentions_positions\":[0,3,9]}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400}", 1 },
		{ " \t{ \"fid\" : 3 , \"hash\" : " H " , \"time\" : 1714568400 } \r", 1 },
		{ "{\"hash\":\"0xABCDEFabcdefabcdefabcdefabcdefabcdefabcd\",\"fid\":3,\"time\":1714568400}", 1 },
		{ "{\"type\":null,\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":null,"
		  "\"parent_hash\":null,\"parent_fid\":null,\"parent_url\":null,"
		  "\"root_hash\":null,\"mentions\":null,\"mentions_positions\":null}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"parent_fid\":9}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"a\\n\\\"\\\\\\/\\b\\f\\r\\t\\u00e9\\u2603\"}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}", 1 },
		{ "{\"hash\":" H ",\"fid\":9007199254740992,\"time\":1714568400}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[]}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[4],\"mentions_positions\":[2000]}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[4],\"mentions_positions\":[1,2]}", 1 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions_positions\":[1]}", 1 },
		{ "{\"type\":\"c\\u0061st\",\"hash\":" H ",\"fid\":3,\"time\":1714568400}", 1 },
		/* to json-c: */
		{ "{\"hash\":" H ",\"fid\":9007199254740993,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":0,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":-1,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":03,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":3.0,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":3e0,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":\"3\",\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":9223372036854775807,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":99999999999999999999,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1609459199}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":4102444800}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":\"2024-05-01T12:00:00Z\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"fid\":4,\"time\":1714568400}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"extra\":{\"a\":[1]}}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"a\\u0000b\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"\\ud83d\\ude00\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"\\ud83d\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"\\x\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"a\x01\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":\"\xff\"}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"text\":5}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[0]}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[[1]]}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,\"mentions\":[1,]}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400,}", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":17145", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400} x", 0 },
		{ "{\"hash\":" H ",\"fid\":3,\"time\":1714568400}{}", 0 },
		{ "{\"type\":\"remove\",\"hash\":" H ",\"fid\":3,\"time\":1714568400}", 0 },
		{ "{\"type\":\"profile\",\"fid\":3,\"time\":1714568400}", 0 },
		{ "{\"hash\":\"0xabc\",\"fid\":3,\"time\":1714568400}", 0 },
		{ "{\"hash\":null,\"fid\":3,\"time\":1714568400}", 0 },
		{ "{\"fid\":3,\"time\":1714568400}", 0 },
		{ "{}", 0 },
		{ "[1]", 0 },
		{ "null", 0 },
		{ "{\"h\\u0061sh\":" H ",\"fid\":3,\"time\":1714568400}", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (both_ways(cases[i].line, strlen(cases[i].line)) !=
		    cases[i].fast) {
			CU_FAIL("a case took the other path");
			fprintf(stderr, "\ncase %zu: %s\n", i, cases[i].line);
		}
	}
#undef H
#undef P
}

/* The generator's state: xorshift64, fixed seed. */
static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Half the lines are drawn without the odd values: most input is good. */
static int	 clean;

static unsigned
odd(unsigned n)
{
	return clean ? n - 1 : rnd(n);
}

struct line {
	char	 s[LINE_MAX_LEN];
	size_t	 len;
};

static void
put(struct line *l, const char *s)
{
	size_t	 n = strlen(s);

	if (l->len + n < sizeof(l->s)) {
		memcpy(l->s + l->len, s, n);
		l->len += n;
	}
}

static void
ws(struct line *l)
{
	static const char *const w[] = { "", "", "", " ", "\t", " \r" };

	put(l, w[rnd(6)]);
}

static void
hash_val(struct line *l)
{
	static const char *const hx = "0123456789abcdefABCDEF";
	char	 h[64];
	size_t	 i;

	switch (odd(12)) {
	case 0: put(l, "null"); return;
	case 1: put(l, "\"0x12\""); return;
	case 2: put(l, "\"0xggggggggggggggggggggggggggggggggggggggg1\""); return;
	case 3: put(l, "\"\\u0030x1234567890123456789012345678901234567890\""); return;
	case 4: put(l, "42"); return;
	default: break;
	}
	h[0] = '"';
	h[1] = '0';
	h[2] = 'x';
	for (i = 0; i < 40; i++)
		h[3 + i] = hx[rnd(rnd(8) == 0 ? 22 : 16)];
	h[43] = '"';
	h[44] = '\0';
	put(l, h);
}

static void
int_val(struct line *l, int kind)
{
	static const char *const odds[] = {
		"0", "-1", "01", "1.0", "1e3", "9007199254740992",
		"9007199254740993", "9223372036854775807",
		"99999999999999999999", "\"17\"", "null", "true", "[1]", "1024",
		"1025", "1609459199", "1609459200", "4102444800",
		"\"2024-05-01T12:00:00Z\"", "-0",
	};
	char	 n[32];

	if (odd(10) == 0) {
		put(l, odds[rnd(sizeof(odds) / sizeof(odds[0]))]);
		return;
	}
	(void)snprintf(n, sizeof(n), "%u", kind == 't' ?
	    1700000000u + rnd(50000000) : kind == 'p' ? rnd(1100) :
	    1 + rnd(100000));
	put(l, n);
}

static void
text_val(struct line *l, size_t max)
{
	static const char *const bits[] = {
		"a", "b", "gm ", " ", "\xc3\xa9", "\xf0\x9f\x98\x80", "\\n",
		"\\\"", "\\\\", "\\/", "\\t", "\\u00e9", "\\u2603", "\\u0041",
		"\\ud83d\\ude00", "\\u0000", "\\x", "\x01", "\xff", "\\ud800",
		"\\u12", "\x7f",
	};
	size_t	 i, n;

	switch (odd(10)) {
	case 0: put(l, "null"); return;
	case 1: put(l, "7"); return;
	default: break;
	}
	put(l, "\"");
	n = rnd(8) == 0 ? max - 8 + rnd(16) : rnd(40);
	for (i = 0; i < n; i++)
		put(l, bits[odd(20) < 17 ? rnd(4) : clean ? rnd(14) :
		    rnd(sizeof(bits) / sizeof(bits[0]))]);
	put(l, "\"");
}

static void
list_val(struct line *l, int kind, unsigned n)
{
	unsigned	 i;

	switch (odd(12)) {
	case 0: put(l, "null"); return;
	case 1: put(l, "{}"); return;
	case 2: n = 65; break;
	default: break;
	}
	put(l, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(l, ",");
		ws(l);
		int_val(l, kind);
	}
	put(l, "]");
}

/* One field of a cast, by number; the key first. */
static void
field(struct line *l, unsigned k, unsigned nm)
{
	static const char *const keys[] = {
		"type", "hash", "fid", "time", "text", "parent_hash",
		"parent_fid", "parent_url", "root_hash", "mentions",
		"mentions_positions", "extra",
	};

	put(l, "\"");
	put(l, keys[k]);
	put(l, "\"");
	ws(l);
	put(l, ":");
	ws(l);
	switch (k) {
	case 0: put(l, odd(10) == 0 ? "\"remove\"" : rnd(2) ? "\"cast\"" : "null"); break;
	case 1: case 5: case 8: hash_val(l); break;
	case 2: case 6: int_val(l, 'f'); break;
	case 3: int_val(l, 't'); break;
	case 4: text_val(l, ING_MAX_TEXT); break;
	case 7: text_val(l, ING_MAX_STR); break;
	case 9: list_val(l, 'f', nm); break;
	case 10: list_val(l, 'p', rnd(4) == 0 ? rnd(5) : nm); break;
	default: put(l, rnd(2) ? "{\"a\":[1,{\"b\":null}]}" : "\"x\""); break;
	}
}

static void
gen_line(struct line *l)
{
	unsigned	 order[16], n = 0, i, j, t, nm = rnd(6);

	l->len = 0;
	clean = rnd(2);
	for (i = 0; i < 12; i++)	/* required fields nearly always */
		if ((i >= 1 && i <= 3) ? odd(30) != 0 : i == 11 ?
		    odd(3) == 0 : rnd(3) != 0)
			order[n++] = i;
	if (odd(10) == 0 && n > 0) {
		order[n] = order[rnd(n)];	/* a repeated key */
		n++;
	}
	for (i = n; i > 1; i--) {
		j = rnd(i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	ws(l);
	put(l, "{");
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(l, ",");
		ws(l);
		field(l, order[i], nm);
		ws(l);
	}
	put(l, "}");
	ws(l);
	if (odd(15) == 0)
		l->len = rnd((unsigned)l->len + 1);	/* truncated */
}

static void
test_fast_generated(void)
{
	struct line	 l;
	int		 i, fast = 0;

	for (i = 0; i < NGEN; i++) {
		gen_line(&l);
		fast += both_ways(l.s, l.len);
	}
	/* Both paths were exercised. */
	CU_ASSERT(fast > NGEN / 5);
	CU_ASSERT(fast < NGEN - NGEN / 5);
}

int
test_ing_fast_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("ing_fast", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "fast path cases", test_fast_cases) == NULL ||
	    CU_add_test(s, "fast path = json-c, generated",
	    test_fast_generated) == NULL)
		return -1;
	return 0;
}
