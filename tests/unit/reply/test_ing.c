#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "reply/ing.h"
#include "tests.h"

#define MAXREC	32
#define MAXBAD	32

#define HA	"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HB	"0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HD	"0xdddddddddddddddddddddddddddddddddddddddd"
#define HE	"0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
#define H2	"0x2222222222222222222222222222222222222222"
#define H3	"0x3333333333333333333333333333333333333333"

/* What a parse handed to the sink. */
struct got {
	struct arena	*a;
	struct ing_rec	 rec[MAXREC];
	size_t		 nrec;
	char		 bad[MAXBAD][256];
	long		 badno[MAXBAD];
	size_t		 nbad;
	size_t		 stop_rec;	/* return -1 at this many records */
	size_t		 stop_bad;
	struct ing_page	 page;
	long		 recno;
};

static int
got_rec(void *arg, const struct ing_rec *r)
{
	struct got	*g = arg;

	CU_ASSERT_FATAL(g->nrec < MAXREC);
	g->rec[g->nrec++] = *r;
	return g->stop_rec != 0 && g->nrec >= g->stop_rec ? -1 : 0;
}

static int
got_bad(void *arg, long recno, const char *reason)
{
	struct got	*g = arg;
	int		 n;

	CU_ASSERT_FATAL(g->nbad < MAXBAD);
	n = snprintf(g->bad[g->nbad], sizeof(g->bad[0]), "%s", reason);
	CU_ASSERT(n > 0 && (size_t)n < sizeof(g->bad[0]));
	g->badno[g->nbad++] = recno;
	return g->stop_bad != 0 && g->nbad >= g->stop_bad ? -1 : 0;
}

static void
got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	g->a = arena_new(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->a);
}

static int
got_parse(struct got *g, const char *s, size_t len, enum ing_format f)
{
	struct ing_sink	 sink = { got_rec, got_bad, g };

	return ing_parse_doc(g->a, s, len, f, &sink, &g->recno, &g->page);
}

/* Reads tests/fixtures/<name> from $RC_FIXTURES; the caller frees. */
static char *
fixture(const char *name, size_t *len)
{
	const char	*dir;
	char		 path[1024];
	char		*buf = NULL;
	FILE		*f = NULL;
	long		 n;
	int		 rc;

	if ((dir = getenv("RC_FIXTURES")) == NULL)
		CU_FAIL_FATAL("RC_FIXTURES is not set: run the tests via make check");
	rc = snprintf(path, sizeof(path), "%s/%s", dir, name);
	CU_ASSERT_FATAL(rc > 0 && (size_t)rc < sizeof(path));
	if ((f = fopen(path, "rb")) == NULL)
		CU_FAIL_FATAL("cannot open a fixture file under $RC_FIXTURES");
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	return buf;
}

static int
got_fixture(struct got *g, const char *name, enum ing_format f)
{
	char	*buf;
	size_t	 len = 0;
	int	 rc;

	got_init(g);
	buf = fixture(name, &len);
	rc = got_parse(g, buf, len, f);
	free(buf);
	return rc;
}

static void
got_free(struct got *g)
{
	arena_free(g->a);
	g->a = NULL;
}

static void
str_eq(const char *got, const char *want)
{
	if (want == NULL) {
		CU_ASSERT_PTR_NULL(got);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

static void
cast_eq(const struct ing_rec *r, long recno, const char *hash, int64_t fid,
    int64_t t, const char *text, const char *phash, int64_t pfid,
    const char *purl, const char *root)
{
	CU_ASSERT_EQUAL_FATAL(r->kind, ING_CAST);
	CU_ASSERT_EQUAL(r->recno, recno);
	CU_ASSERT_STRING_EQUAL(r->u.cast.hash, hash);
	CU_ASSERT_EQUAL(r->u.cast.fid, fid);
	CU_ASSERT_EQUAL(r->u.cast.time, t);
	str_eq(r->u.cast.text, text);
	CU_ASSERT_STRING_EQUAL(r->u.cast.parent_hash, phash);
	CU_ASSERT_EQUAL(r->u.cast.parent_fid, pfid);
	str_eq(r->u.cast.parent_url, purl);
	CU_ASSERT_STRING_EQUAL(r->u.cast.root_hash, root);
}

static void
mentions_eq(const struct ing_rec *r, const int64_t *want, size_t n)
{
	size_t	 i;

	CU_ASSERT_EQUAL_FATAL(r->u.cast.nmentions, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(r->u.cast.mentions[i], want[i]);
}

static void
profile_eq(const struct ing_rec *r, long recno, int64_t fid, int64_t t,
    const char *user, const char *name, const char *pfp, const char *bio,
    const char *url)
{
	CU_ASSERT_EQUAL_FATAL(r->kind, ING_PROFILE);
	CU_ASSERT_EQUAL(r->recno, recno);
	CU_ASSERT_EQUAL(r->u.profile.fid, fid);
	CU_ASSERT_EQUAL(r->u.profile.time, t);
	str_eq(r->u.profile.username, user);
	str_eq(r->u.profile.display_name, name);
	str_eq(r->u.profile.pfp_url, pfp);
	str_eq(r->u.profile.bio, bio);
	str_eq(r->u.profile.url, url);
}

static void
link_eq(const struct ing_rec *r, enum ing_kind k, long recno, int64_t fid,
    int64_t target, int64_t t)
{
	CU_ASSERT_EQUAL_FATAL(r->kind, k);
	CU_ASSERT_EQUAL(r->recno, recno);
	CU_ASSERT_EQUAL(r->u.link.fid, fid);
	CU_ASSERT_EQUAL(r->u.link.target_fid, target);
	CU_ASSERT_EQUAL(r->u.link.time, t);
}

static void
page_eq(const struct got *g, long nrecords, long nbad, size_t nrec,
    const char *token, int64_t next_event)
{
	CU_ASSERT_EQUAL(g->page.nrecords, nrecords);
	CU_ASSERT_EQUAL(g->page.nbad, nbad);
	CU_ASSERT_EQUAL((long)g->nbad, nbad);
	CU_ASSERT_EQUAL_FATAL(g->nrec, nrec);
	CU_ASSERT_STRING_EQUAL(g->page.next_token, token);
	CU_ASSERT_EQUAL(g->page.next_event_id, next_event);
	CU_ASSERT_EQUAL(g->page.hub_error, 0);
	CU_ASSERT_STRING_EQUAL(g->page.error, "");
}

static void
bad_eq(const struct got *g, const char *const *want, size_t n)
{
	size_t	 i;

	CU_ASSERT_EQUAL_FATAL(g->nbad, n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(g->bad[i], want[i]);
		if (strcmp(g->bad[i], want[i]) != 0)
			fprintf(stderr, "\n  got  \"%s\"\n  want \"%s\"\n",
			    g->bad[i], want[i]);
	}
}

/* --- helpers ----------------------------------------------------------- */

static void
b64_ok(const char *s, const char *want, size_t wantlen)
{
	unsigned char	 out[64];

	CU_ASSERT_EQUAL_FATAL(ing_base64_decode(s, strlen(s), out,
	    sizeof(out)), (long)wantlen);
	CU_ASSERT(memcmp(out, want, wantlen) == 0);
}

static void
b64_bad(const char *s)
{
	unsigned char	 out[64];

	CU_ASSERT_EQUAL(ing_base64_decode(s, strlen(s), out, sizeof(out)), -1);
}

static void
test_base64(void)
{
	unsigned char	 out[4];

	b64_ok("", "", 0);
	b64_ok("QQ==", "A", 1);
	b64_ok("QQ", "A", 1);
	b64_ok("QUI=", "AB", 2);
	b64_ok("QUI", "AB", 2);
	b64_ok("QUJD", "ABC", 3);
	b64_ok("ASNFZ4mrze/+3LqYdlQyEA8eLTw=", "\x01\x23\x45\x67\x89\xab\xcd"
	    "\xef\xfe\xdc\xba\x98\x76\x54\x32\x10\x0f\x1e\x2d\x3c", 20);
	b64_ok("-_8AAQIDBAUGBwgJCgsMDQ4PEBE", "\xfb\xff\x00\x01\x02\x03\x04"
	    "\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11", 20);
	b64_bad("Q");			/* 6 bits cannot make a byte */
	b64_bad("QUJDQ");
	b64_bad("QQ=");			/* padding that does not fill */
	b64_bad("QUJD=");
	b64_bad("Q===");
	b64_bad("=");
	b64_bad("QR==");		/* non-zero unused bits */
	b64_bad("QUJ=");
	b64_bad("QU J");
	b64_bad("QUJ*");
	b64_bad("QU=I");
	CU_ASSERT_EQUAL(ing_base64_decode("QUJDRA==", 8, out, 3), -1);
	CU_ASSERT_EQUAL(ing_base64_decode("QUJDRA==", 8, out, 4), 4);
}

static void
test_formats(void)
{
	CU_ASSERT_STRING_EQUAL(ing_format_name(ING_FMT_AUTO), "auto");
	CU_ASSERT_STRING_EQUAL(ing_format_name(ING_FMT_HUB), "hub");
	CU_ASSERT_STRING_EQUAL(ing_format_name(ING_FMT_NEYNAR), "neynar");
	CU_ASSERT_STRING_EQUAL(ing_format_name(ING_FMT_JSONL), "jsonl");
	CU_ASSERT_STRING_EQUAL(ing_format_name(ING_FMT__MAX), "unknown");
	CU_ASSERT_EQUAL(ing_format_parse("auto"), ING_FMT_AUTO);
	CU_ASSERT_EQUAL(ing_format_parse("hub"), ING_FMT_HUB);
	CU_ASSERT_EQUAL(ing_format_parse("neynar"), ING_FMT_NEYNAR);
	CU_ASSERT_EQUAL(ing_format_parse("jsonl"), ING_FMT_JSONL);
	CU_ASSERT_EQUAL(ing_format_parse("JSONL"), -1);
	CU_ASSERT_EQUAL(ing_format_parse(""), -1);
	CU_ASSERT_EQUAL(ing_format_parse(NULL), -1);
}

static void
sniff_file(const char *name, enum ing_format want)
{
	char	*buf;
	size_t	 len = 0;

	buf = fixture(name, &len);
	CU_ASSERT_EQUAL(ing_sniff(buf, len), want);
	free(buf);
}

static void
sniff_str(const char *s, enum ing_format want)
{
	CU_ASSERT_EQUAL(ing_sniff(s, strlen(s)), want);
}

static void
test_sniff(void)
{
	sniff_file("hub/casts_by_fid.json", ING_FMT_HUB);
	sniff_file("hub/cast_by_id.json", ING_FMT_HUB);
	sniff_file("hub/events.json", ING_FMT_HUB);
	sniff_file("hub/error_errcode.json", ING_FMT_HUB);
	sniff_file("hub/error_error.json", ING_FMT_HUB);
	sniff_file("neynar/casts.json", ING_FMT_NEYNAR);
	sniff_file("neynar/cast.json", ING_FMT_NEYNAR);
	sniff_file("neynar/notifications.json", ING_FMT_NEYNAR);
	sniff_file("neynar/conversation.json", ING_FMT_NEYNAR);
	sniff_file("neynar/result.json", ING_FMT_NEYNAR);
	sniff_file("neynar/error.json", ING_FMT_NEYNAR);
	sniff_file("jsonl/good.jsonl", ING_FMT_JSONL);
	sniff_str("{\"hash\":\"" HA "\",\"fid\":1}\n", ING_FMT_JSONL);
	sniff_str("{\"type\":\"follow\"}", ING_FMT_JSONL);
	sniff_str("{\"data\":{},\"hash\":\"" HA "\",\"fid\":1}", ING_FMT_HUB);
	sniff_str("\xef\xbb\xbf \r\n\t{\"messages\":[]}\n\n", ING_FMT_HUB);
	sniff_str(" {\"casts\":[]}", ING_FMT_NEYNAR);
	sniff_str("{\"a\":1}\n{\"b\":2}\n", ING_FMT_JSONL);
	sniff_str("", ING_FMT_AUTO);
	sniff_str("   \n", ING_FMT_AUTO);
	sniff_str("[1]", ING_FMT_AUTO);
	sniff_str("{\"other\":1}", ING_FMT_AUTO);
	sniff_str("{\"messages\":", ING_FMT_AUTO);
	CU_ASSERT_EQUAL(ing_sniff(NULL, 0), ING_FMT_AUTO);
}

/* --- Hub --------------------------------------------------------------- */

static void
test_hub_casts_by_fid(void)
{
	static const int64_t	 m[] = { 5, 6 };
	struct got		 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/casts_by_fid.json",
	    ING_FMT_AUTO), 0);
	page_eq(&g, 5, 0, 5, "AuzO1V0DtaItCwwa10X6YsfStlynsGWT", 0);
	CU_ASSERT_EQUAL(g.recno, 5);
	cast_eq(&g.rec[0], 1, "0xabcdef0123456789abcdef0123456789abcdef01", 2,
	    1709459200, "hello world", "", 0, NULL, "");
	CU_ASSERT_EQUAL(g.rec[0].event_id, 0);
	mentions_eq(&g.rec[0], NULL, 0);
	cast_eq(&g.rec[1], 2, H2, 2, 1709459300,
	    "gm \xc3\xa9t\xc3\xa9 \xe2\x98\x83", H3, 3, NULL, "");
	cast_eq(&g.rec[2], 3, "0x4444444444444444444444444444444444444444", 2,
	    1709459400, " and  meet ", "", 0,
	    "https://warpcast.com/~/channel/dev", "");
	mentions_eq(&g.rec[2], m, 2);
	/* Record 4, a like (ReactionAdd of type like): fid 2 on a cast of 3. */
	CU_ASSERT_EQUAL_FATAL(g.rec[3].kind, ING_LIKE);
	CU_ASSERT_EQUAL(g.rec[3].recno, 4);
	CU_ASSERT_EQUAL(g.rec[3].u.like.fid, 2);
	CU_ASSERT_STRING_EQUAL(g.rec[3].u.like.target_hash,
	    "0x3333333333333333333333333333333333333333");
	CU_ASSERT_EQUAL(g.rec[3].u.like.time, 1709459450);
	CU_ASSERT_EQUAL_FATAL(g.rec[4].kind, ING_CAST_REMOVE);
	CU_ASSERT_EQUAL(g.rec[4].recno, 5);
	CU_ASSERT_STRING_EQUAL(g.rec[4].u.remove.hash,
	    "0x0123456789abcdeffedcba98765432100f1e2d3c");
	CU_ASSERT_EQUAL(g.rec[4].u.remove.fid, 2);
	CU_ASSERT_EQUAL(g.rec[4].u.remove.time, 1709459500);
	got_free(&g);
}

/* The mentions as listed (repeats kept) with their byte offsets. */
static void
mpos_eq(const struct ing_rec *r, const int64_t *fid, const int64_t *pos,
    size_t n)
{
	size_t	 i;

	CU_ASSERT_EQUAL_FATAL(r->u.cast.nmpos, n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(r->u.cast.mfid[i], fid[i]);
		CU_ASSERT_EQUAL(r->u.cast.mpos[i], pos[i]);
	}
}

/* mentionsPositions: kept as given; left out when they do not fit. */
static void
test_hub_mention_positions(void)
{
	static const int64_t	 f3[] = { 5, 6, 5 }, p3[] = { 0, 5, 5 };
	static const int64_t	 f1[] = { 5 }, p1[] = { 4 };
	static const char	 odd[] = "{\"messages\":[{\"data\":{\"type\":"
	    "\"MESSAGE_TYPE_CAST_ADD\",\"fid\":7,\"timestamp\":100000000,"
	    "\"network\":\"FARCASTER_NETWORK_MAINNET\",\"castAddBody\":{"
	    "\"mentions\":[5,6],\"text\":\"a  b\",\"mentionsPositions\":[1]}},"
	    "\"hash\":\"0x7777777777777777777777777777777777777777\"}]}";
	struct got		 g;

	CU_ASSERT_EQUAL_FATAL(got_fixture(&g, "hub/casts_by_fid.json",
	    ING_FMT_AUTO), 0);
	mpos_eq(&g.rec[0], NULL, NULL, 0);	/* empty lists: no positions */
	mpos_eq(&g.rec[2], f3, p3, 3);
	got_free(&g);
	CU_ASSERT_EQUAL_FATAL(got_fixture(&g, "hub/casts_by_mention.json",
	    ING_FMT_HUB), 0);
	mpos_eq(&g.rec[0], f1, p1, 1);
	mpos_eq(&g.rec[1], f1, (const int64_t[]){ 0 }, 1);
	got_free(&g);
	/* One position for two mentions: the cast stays, without them. */
	got_init(&g);
	CU_ASSERT_EQUAL(got_parse(&g, odd, sizeof(odd) - 1, ING_FMT_HUB), 0);
	CU_ASSERT_EQUAL_FATAL(g.nrec, 1);
	CU_ASSERT_EQUAL(g.rec[0].u.cast.nmentions, 2);
	mpos_eq(&g.rec[0], NULL, NULL, 0);
	got_free(&g);
}

static void
test_hub_casts_by_mention(void)
{
	static const int64_t	 m[] = { 5 };
	struct got		 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/casts_by_mention.json",
	    ING_FMT_HUB), 0);
	page_eq(&g, 2, 0, 2, "", 0);
	cast_eq(&g.rec[0], 1, "0x7777777777777777777777777777777777777777", 7,
	    1709460200, "hey  look", "", 0, NULL, "");
	mentions_eq(&g.rec[0], m, 1);
	/* Fids as decimal strings; text omitted means empty. */
	cast_eq(&g.rec[1], 2, "0x8888888888888888888888888888888888888888", 8,
	    1709460201, "", "", 0, NULL, "");
	mentions_eq(&g.rec[1], m, 1);
	got_free(&g);
}

static void
test_hub_cast_by_id(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/cast_by_id.json", ING_FMT_AUTO),
	    0);
	page_eq(&g, 1, 0, 1, "", 0);
	cast_eq(&g.rec[0], 1, "0x9999999999999999999999999999999999999999", 2,
	    1709459200, "single", HA, 3, NULL, "");
	got_free(&g);
}

static void
test_hub_user_data(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/user_data_by_fid.json",
	    ING_FMT_HUB), 0);
	page_eq(&g, 6, 0, 5, "", 0);
	profile_eq(&g.rec[0], 1, 2, 1699459200, NULL, NULL,
	    "https://i.example/p.png", NULL, NULL);
	profile_eq(&g.rec[1], 2, 2, 1699459201, NULL, "Varun Srinivasan",
	    NULL, NULL, NULL);
	profile_eq(&g.rec[2], 3, 2, 1699459202, NULL, NULL, NULL,
	    "Technowatermelon. Elder Millenial.", NULL);
	profile_eq(&g.rec[3], 4, 2, 1699459203, NULL, NULL, NULL, NULL, "");
	profile_eq(&g.rec[4], 5, 2, 1699459204, "v", NULL, NULL, NULL, NULL);
	got_free(&g);
}

static void
test_hub_links(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/links_by_fid.json", ING_FMT_HUB),
	    0);
	page_eq(&g, 3, 0, 2, "", 0);
	link_eq(&g.rec[0], ING_FOLLOW, 1, 2, 3, 1689459200);
	link_eq(&g.rec[1], ING_UNFOLLOW, 3, 2, 4, 1689459202);
	got_free(&g);
}

static void
test_hub_events(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/events.json", ING_FMT_AUTO), 0);
	page_eq(&g, 4, 0, 2, "", INT64_C(350000000000005));
	cast_eq(&g.rec[0], 1, "0x2020202020202020202020202020202020202020", 9,
	    1709461200, "from the stream", H2, 2, NULL, "");
	CU_ASSERT_EQUAL(g.rec[0].event_id, INT64_C(350000000000001));
	link_eq(&g.rec[1], ING_FOLLOW, 4, 9, 2, 1709461201);
	CU_ASSERT_EQUAL(g.rec[1].event_id, INT64_C(350000000000004));
	got_free(&g);
}

static void
test_hub_errors(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/error_errcode.json",
	    ING_FMT_AUTO), -1);
	CU_ASSERT_EQUAL(g.page.hub_error, 1);
	CU_ASSERT_STRING_EQUAL(g.page.error,
	    "bad_request.validation_failure: fid is required");
	CU_ASSERT_EQUAL(g.nrec + g.nbad, 0);
	got_free(&g);

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/error_error.json", ING_FMT_HUB),
	    -1);
	CU_ASSERT_EQUAL(g.page.hub_error, 1);
	CU_ASSERT_STRING_EQUAL(g.page.error,
	    "Not Found: no such route: /v1/castsByFoo");
	got_free(&g);
}

static void
test_hub_bad_records(void)
{
	static const char *const want[] = {
		"record 1: hash: not 0x + 40 hex digits",
		"record 2: data.fid: not an integer",
		"record 3: data.timestamp: negative",
		"record 4: data.timestamp: more than a day in the future",
		"record 5: castAddBody.text: longer than 1024 bytes",
		"record 6: castAddBody.mentions: more than 64 mentions",
		"record 7: castAddBody.parentCastId.hash: not 0x + 40 hex digits",
		"record 8: castAddBody.text: not a string",
		"record 9: data.fid: out of range 1..2^53",
		"record 10: castAddBody.text: contains a NUL byte",
		"record 11: castRemoveBody.targetHash: not base64 of 20 bytes "
		    "nor 0x + 40 hex digits",
		"record 12: castAddBody.text: not valid UTF-8",
	};
	struct got	 g;
	size_t		 i;

	CU_ASSERT_EQUAL(got_fixture(&g, "hub/bad_records.json", ING_FMT_HUB),
	    0);
	CU_ASSERT_EQUAL(g.page.nrecords, 13);
	CU_ASSERT_EQUAL(g.page.nbad, 12);
	bad_eq(&g, want, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < g.nbad; i++)
		CU_ASSERT_EQUAL(g.badno[i], (long)i + 1);
	CU_ASSERT_EQUAL_FATAL(g.nrec, 1);
	cast_eq(&g.rec[0], 13, "0x1111111111111111111111111111111111111111", 2,
	    1709459200, "fine", "", 0, NULL, "");
	got_free(&g);
}

/* --- Neynar ------------------------------------------------------------ */

static void
test_neynar_casts(void)
{
	static const int64_t	 m[] = { 5, 6 };
	struct got		 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/casts.json", ING_FMT_AUTO), 0);
	page_eq(&g, 3, 0, 6, "eyJ0aW1lc3RhbXAiOiIyMDI0LTA1LTAxIDEyOjAwOjAwLj"
	    "AwMDAwMDAifQ%3D%3D", 0);
	profile_eq(&g.rec[0], 1, 194, 1714566896, "rish", "Rish",
	    "https://i.example/rish.png", "building neynar", NULL);
	cast_eq(&g.rec[1], 1, HA, 194, 1714566896, "first cast", "", 0, NULL,
	    HA);
	mentions_eq(&g.rec[1], NULL, 0);
	profile_eq(&g.rec[2], 2, 3, 1714566896, "dwr", "Dwr",
	    "https://i.example/dwr.png", NULL, NULL);
	cast_eq(&g.rec[3], 2, HB, 3, 1714566896, "reply with @m5 and @m6", HA,
	    194, NULL, HA);
	mentions_eq(&g.rec[3], m, 2);
	profile_eq(&g.rec[4], 3, 3, 1714564800, "dwr", "Dwr",
	    "https://i.example/dwr.png", NULL, NULL);
	cast_eq(&g.rec[5], 3, "0xcccccccccccccccccccccccccccccccccccccccc", 3,
	    1714564800, "", "", 0, "https://warpcast.com/~/channel/dev",
	    "0xcccccccccccccccccccccccccccccccccccccccc");
	got_free(&g);
}

static void
test_neynar_notifications(void)
{
	static const int64_t	 m[] = { 194 };
	struct got		 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/notifications.json",
	    ING_FMT_NEYNAR), 0);
	page_eq(&g, 4, 0, 4, "eyJ0aW1lc3RhbXAiOiIyMDI0LTA1LTAyIn0", 0);
	profile_eq(&g.rec[0], 1, 10, 1714608000, "alice", "Alice",
	    "https://i.example/alice.png", NULL, NULL);
	cast_eq(&g.rec[1], 1, HD, 10, 1714608000, "nice", HA, 194, NULL, HA);
	/* 2 (likes) and 4 (follows) are skipped. */
	profile_eq(&g.rec[2], 3, 12, 1714608002, "carol", "Carol",
	    "https://i.example/carol.png", NULL, NULL);
	cast_eq(&g.rec[3], 3, HE, 12, 1714608002, "hey @rish", "", 0, NULL,
	    HE);
	mentions_eq(&g.rec[3], m, 1);
	got_free(&g);
}

static void
test_neynar_conversation(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/conversation.json",
	    ING_FMT_AUTO), 0);
	page_eq(&g, 4, 0, 8, "", 0);
	CU_ASSERT_EQUAL(g.rec[0].kind, ING_PROFILE);
	cast_eq(&g.rec[1], 1, HA, 194, 1714566896, "root", "", 0, NULL, HA);
	profile_eq(&g.rec[2], 2, 3, 1714567200, "dwr", "Dwr",
	    "https://i.example/dwr.png", NULL, NULL);
	cast_eq(&g.rec[3], 2, HB, 3, 1714567200, "level 1a", HA, 194, NULL,
	    HA);
	cast_eq(&g.rec[5], 3, HD, 10, 1714567500, "level 2", HB, 3, NULL, HA);
	cast_eq(&g.rec[7], 4, HE, 12, 1714567800, "level 1b", HA, 194, NULL,
	    HA);
	got_free(&g);
}

static void
test_neynar_single(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/cast.json", ING_FMT_AUTO), 0);
	page_eq(&g, 1, 0, 2, "", 0);
	profile_eq(&g.rec[0], 1, 2, 1709270999, "v", "V",
	    "https://i.example/v.png", NULL, NULL);
	/* -05:30 carries the leap day over into March in UTC. */
	cast_eq(&g.rec[1], 1, "0xffffffffffffffffffffffffffffffffffffffff", 2,
	    1709270999, "leap day", HA, 0, NULL,
	    "0xffffffffffffffffffffffffffffffffffffffff");
	got_free(&g);

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/result.json", ING_FMT_AUTO), 0);
	page_eq(&g, 1, 0, 2, "", 0);
	cast_eq(&g.rec[1], 1, "0x1111111111111111111111111111111111111111", 2,
	    1672531200, "from result", "", 0, NULL,
	    "0x1111111111111111111111111111111111111111");
	got_free(&g);
}

static void
test_neynar_error(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/error.json", ING_FMT_AUTO), -1);
	CU_ASSERT_EQUAL(g.page.hub_error, 1);
	CU_ASSERT_STRING_EQUAL(g.page.error,
	    "InvalidField: fid must be a positive integer");
	CU_ASSERT_EQUAL(g.nrec + g.nbad, 0);
	got_free(&g);
}

static void
test_neynar_bad_records(void)
{
	static const char *const want[] = {
		"record 1: hash: not 0x + 40 hex digits",
		"record 2: timestamp: not an ISO 8601 time with a zone",
		"record 3: timestamp: before 2021-01-01, the Farcaster epoch",
		"record 4: author.fid: not an integer",
	};
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "neynar/bad_records.json",
	    ING_FMT_NEYNAR), 0);
	CU_ASSERT_EQUAL(g.page.nrecords, 5);
	CU_ASSERT_EQUAL(g.page.nbad, 4);
	bad_eq(&g, want, sizeof(want) / sizeof(want[0]));
	CU_ASSERT_EQUAL_FATAL(g.nrec, 2);
	cast_eq(&g.rec[1], 5, "0x4444444444444444444444444444444444444444", 2,
	    1714564800, "fine", "", 0, NULL,
	    "0x4444444444444444444444444444444444444444");
	got_free(&g);
}

/* --- JSON Lines -------------------------------------------------------- */

static void
jsonl_good_eq(const struct got *g)
{
	static const int64_t	 m[] = { 3, 4 };

	page_eq(g, 6, 0, 6, "", 0);
	CU_ASSERT_EQUAL(g->recno, 7);
	cast_eq(&g->rec[0], 1, HA, 1, 1714564800, "hello", HB, 2, NULL, HB);
	mentions_eq(&g->rec[0], m, 2);
	/* A parent fid without a parent hash is dropped. */
	cast_eq(&g->rec[1], 2, "0xcccccccccccccccccccccccccccccccccccccccc", 5,
	    1714564800, "", "", 0, NULL, "");
	mentions_eq(&g->rec[1], NULL, 0);
	CU_ASSERT_EQUAL_FATAL(g->rec[2].kind, ING_CAST_REMOVE);
	CU_ASSERT_EQUAL(g->rec[2].recno, 4);
	CU_ASSERT_STRING_EQUAL(g->rec[2].u.remove.hash, HA);
	CU_ASSERT_EQUAL(g->rec[2].u.remove.fid, 1);
	CU_ASSERT_EQUAL(g->rec[2].u.remove.time, 1714568400);
	profile_eq(&g->rec[3], 5, 1, 1714564800, "alice", "Alice",
	    "https://i.example/a.png", "", NULL);
	link_eq(&g->rec[4], ING_FOLLOW, 6, 1, 2, 1714564800);
	link_eq(&g->rec[5], ING_UNFOLLOW, 7, 1, 2, 1714568400);
}

static void
test_jsonl_good(void)
{
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "jsonl/good.jsonl", ING_FMT_JSONL), 0);
	jsonl_good_eq(&g);
	got_free(&g);
	CU_ASSERT_EQUAL(got_fixture(&g, "jsonl/good.jsonl", ING_FMT_AUTO), 0);
	jsonl_good_eq(&g);
	got_free(&g);
}

static void
test_jsonl_bad(void)
{
	static const char *const want[] = {
		"record 1: hash: not 0x + 40 hex digits",
		"record 2: fid: not an integer",
		"record 3: time: negative",
		"record 4: time: before 2021-01-01, the Farcaster epoch",
		"record 5: time: more than a day in the future",
		"record 6: text: not valid UTF-8",
		"record 7: text: longer than 1024 bytes",
		"record 8: mentions: more than 64 mentions",
		"record 9: not JSON: unexpected character",
		"record 10: type: not one of cast, remove, profile, follow, "
		    "unfollow, like, unlike",
		"record 11: target_fid: out of range 1..2^53",
		"record 12: not a JSON object",
		"record 13: bio: not valid UTF-8",
		"record 14: time: not an ISO 8601 time with a zone",
		"record 15: time: not a time (ISO 8601 string or integer)",
	};
	struct got	 g;

	CU_ASSERT_EQUAL(got_fixture(&g, "jsonl/bad.jsonl", ING_FMT_JSONL), 0);
	CU_ASSERT_EQUAL(g.page.nrecords, 16);
	CU_ASSERT_EQUAL(g.page.nbad, 15);
	bad_eq(&g, want, sizeof(want) / sizeof(want[0]));
	CU_ASSERT_EQUAL_FATAL(g.nrec, 1);
	CU_ASSERT_EQUAL(g.rec[0].kind, ING_CAST_REMOVE);
	CU_ASSERT_EQUAL(g.rec[0].recno, 16);
	got_free(&g);
}

/* Likes: JSON Lines like/unlike, Hub ReactionAdd/ReactionRemove. */
static void
test_likes(void)
{
	static const char *const lines[] = {
		"{\"type\":\"like\",\"fid\":7,\"target_hash\":"
		    "\"0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		    "\"time\":1714564800}",
		"{\"type\":\"unlike\",\"fid\":7,\"target_hash\":"
		    "\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
		    "\"time\":\"2024-05-01T13:00:00Z\"}",
		"{\"type\":\"like\",\"fid\":7,\"time\":1714564800}",
		"{\"type\":\"like\",\"fid\":7,\"target_hash\":\"0x12\","
		    "\"time\":1714564800}",
		"{\"type\":\"unlike\",\"target_hash\":"
		    "\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
		    "\"time\":1714564800}",
	};
	static const char hub[] = "{\"messages\":["
	    "{\"data\":{\"type\":\"MESSAGE_TYPE_REACTION_REMOVE\",\"fid\":9,"
	    "\"timestamp\":105105600,\"reactionBody\":{\"type\":"
	    "\"REACTION_TYPE_LIKE\",\"targetCastId\":{\"fid\":3,\"hash\":"
	    "\"0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}}},\"hash\":\"0x01\"},"
	    "{\"data\":{\"type\":\"MESSAGE_TYPE_REACTION_ADD\",\"fid\":9,"
	    "\"timestamp\":105105600,\"reactionBody\":{\"type\":"
	    "\"REACTION_TYPE_RECAST\",\"targetCastId\":{\"fid\":3,\"hash\":"
	    "\"0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}}}},"
	    "{\"data\":{\"type\":\"MESSAGE_TYPE_REACTION_ADD\",\"fid\":9,"
	    "\"timestamp\":105105600,\"reactionBody\":{\"type\":"
	    "\"REACTION_TYPE_LIKE\",\"targetUrl\":\"https://example.com\"}}},"
	    "{\"data\":{\"type\":\"MESSAGE_TYPE_REACTION_ADD\",\"fid\":9,"
	    "\"timestamp\":105105600,\"reactionBody\":{\"type\":"
	    "\"REACTION_TYPE_LIKE\",\"targetCastId\":{\"fid\":3,\"hash\":"
	    "\"nope\"}}}}],\"nextPageToken\":\"\"}";
	struct ing_sink		 sink;
	struct got		 g;
	size_t			 i;

	got_init(&g);
	sink.rec = got_rec;
	sink.bad = got_bad;
	sink.arg = &g;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		CU_ASSERT_EQUAL(ing_parse_line(g.a, lines[i], strlen(lines[i]),
		    (long)i + 1, &sink), 0);
	CU_ASSERT_EQUAL_FATAL(g.nrec, 2);
	CU_ASSERT_EQUAL(g.rec[0].kind, ING_LIKE);
	CU_ASSERT_EQUAL(g.rec[0].u.like.fid, 7);
	CU_ASSERT_STRING_EQUAL(g.rec[0].u.like.target_hash,
	    "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	CU_ASSERT_EQUAL(g.rec[0].u.like.time, 1714564800);
	CU_ASSERT_EQUAL(g.rec[1].kind, ING_UNLIKE);
	CU_ASSERT_EQUAL(g.rec[1].u.like.time, 1714568400);
	CU_ASSERT_EQUAL_FATAL(g.nbad, 3);
	CU_ASSERT_STRING_EQUAL(g.bad[0], "record 3: target_hash: missing");
	CU_ASSERT_STRING_EQUAL(g.bad[1],
	    "record 4: target_hash: not 0x + 40 hex digits");
	CU_ASSERT_STRING_EQUAL(g.bad[2], "record 5: fid: missing");
	got_free(&g);

	got_init(&g);
	CU_ASSERT_EQUAL(got_parse(&g, hub, sizeof(hub) - 1, ING_FMT_HUB), 0);
	/* A recast and a like of a URL are skipped; a bad hash is reported. */
	CU_ASSERT_EQUAL_FATAL(g.nrec, 1);
	CU_ASSERT_EQUAL(g.rec[0].kind, ING_UNLIKE);
	CU_ASSERT_EQUAL(g.rec[0].u.like.fid, 9);
	CU_ASSERT_STRING_EQUAL(g.rec[0].u.like.target_hash,
	    "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	CU_ASSERT_EQUAL(g.rec[0].u.like.time, 105105600 + 1609459200);
	CU_ASSERT_EQUAL_FATAL(g.nbad, 1);
	CU_ASSERT_STRING_EQUAL(g.bad[0], "record 4: "
	    "reactionBody.targetCastId.hash: not 0x + 40 hex digits");
	got_free(&g);
}

static void
test_parse_line(void)
{
	static const char	 line[] = "{\"type\":\"follow\",\"fid\":7,"
	    "\"target_fid\":8,\"time\":\"2024-05-01T12:00:00Z\"}\r";
	struct ing_sink		 sink;
	struct got		 g;
	char			 long_line[1200];
	int			 n;

	n = snprintf(long_line, sizeof(long_line), "{\"type\":\"profile\","
	    "\"fid\":1,\"time\":1714564800,\"username\":\"%01025d\"}", 7);
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(long_line));
	got_init(&g);
	sink.rec = got_rec;
	sink.bad = got_bad;
	sink.arg = &g;
	CU_ASSERT_EQUAL(ing_parse_line(g.a, " \t\r", 3, 1, &sink), 0);
	CU_ASSERT_EQUAL(ing_parse_line(g.a, "", 0, 2, &sink), 0);
	CU_ASSERT_EQUAL(g.nrec + g.nbad, 0);
	CU_ASSERT_EQUAL(ing_parse_line(g.a, line, sizeof(line) - 1, 41,
	    &sink), 0);
	CU_ASSERT_EQUAL_FATAL(g.nrec, 1);
	link_eq(&g.rec[0], ING_FOLLOW, 41, 7, 8, 1714564800);
	CU_ASSERT_EQUAL(ing_parse_line(g.a, "{} {}", 5, 42, &sink), 0);
	CU_ASSERT_EQUAL_FATAL(g.nbad, 1);
	CU_ASSERT_STRING_EQUAL(g.bad[0],
	    "record 42: not JSON: more than one value on the line");
	CU_ASSERT_EQUAL(g.badno[0], 42);
	CU_ASSERT_EQUAL(ing_parse_line(g.a, long_line, strlen(long_line), 43,
	    &sink), 0);
	CU_ASSERT_EQUAL_FATAL(g.nbad, 2);
	CU_ASSERT_STRING_EQUAL(g.bad[1],
	    "record 43: username: longer than 1024 bytes");
	/* Without callbacks records are simply dropped. */
	CU_ASSERT_EQUAL(ing_parse_line(g.a, line, sizeof(line) - 1, 43, NULL),
	    0);
	g.stop_rec = 2;
	CU_ASSERT_EQUAL(ing_parse_line(g.a, line, sizeof(line) - 1, 44,
	    &sink), -2);
	g.stop_bad = 2;
	CU_ASSERT_EQUAL(ing_parse_line(g.a, "nope", 4, 45, &sink), -2);
	got_free(&g);
}

static void
test_sink_stop(void)
{
	struct got	 g;
	char		*buf;
	size_t		 len = 0;

	got_init(&g);
	g.stop_rec = 2;
	buf = fixture("hub/casts_by_fid.json", &len);
	CU_ASSERT_EQUAL(got_parse(&g, buf, len, ING_FMT_HUB), -2);
	CU_ASSERT_EQUAL(g.nrec, 2);
	CU_ASSERT_EQUAL(g.recno, 2);
	free(buf);
	buf = fixture("jsonl/bad.jsonl", &len);
	g.stop_bad = 3;
	g.recno = 0;
	CU_ASSERT_EQUAL(got_parse(&g, buf, len, ING_FMT_JSONL), -2);
	CU_ASSERT_EQUAL(g.nbad, 3);
	CU_ASSERT_EQUAL(g.recno, 3);
	CU_ASSERT_EQUAL(g.page.nbad, 3);
	free(buf);
	got_free(&g);
}

static void
doc_bad(const char *s, size_t len, enum ing_format f, const char *err)
{
	struct got	 g;

	got_init(&g);
	CU_ASSERT_EQUAL(got_parse(&g, s, len, f), -1);
	CU_ASSERT_STRING_EQUAL(g.page.error, err);
	if (strcmp(g.page.error, err) != 0)
		fprintf(stderr, "\n  got  \"%s\"\n  want \"%s\"\n",
		    g.page.error, err);
	CU_ASSERT_EQUAL(g.page.hub_error, 0);
	CU_ASSERT_EQUAL(g.nrec + g.nbad, 0);
	got_free(&g);
}

static void
test_doc_rejects(void)
{
	char	 deep[256], ok[256];
	size_t	 i;

	doc_bad("<html>", 6, ING_FMT_AUTO, "not JSON: unexpected character");
	doc_bad("<html>", 6, ING_FMT_HUB, "not JSON: unexpected character");
	doc_bad("{\"messages\":[]", 14, ING_FMT_HUB, "not JSON: truncated");
	doc_bad("42", 2, ING_FMT_HUB, "not a JSON object");
	doc_bad("", 0, ING_FMT_AUTO, "not JSON: truncated");
	doc_bad("{\"messages\":[", 13, ING_FMT_HUB, "not JSON: truncated");
	doc_bad("{\"messages\":[]} x", 17, ING_FMT_HUB,
	    "trailing data after the JSON document");
	doc_bad("[1,2]", 5, ING_FMT_AUTO, "not a JSON object");
	doc_bad("null", 4, ING_FMT_NEYNAR, "not a JSON object");
	doc_bad("{\"other\":1}", 11, ING_FMT_AUTO, "unknown document shape");
	doc_bad("{\"casts\":[]}", 12, ING_FMT_HUB,
	    "not a Hub document (no messages, events or data)");
	doc_bad("{\"messages\":[]}", 15, ING_FMT_NEYNAR, "not a Neynar document");
	doc_bad("{\"messages\":{}}", 15, ING_FMT_HUB, "messages: not an array");
	doc_bad("{\"messages\":[],\"nextPageToken\":7}", 33, ING_FMT_HUB,
	    "nextPageToken: not a string");
	doc_bad("{\"casts\":[],\"next\":{\"cursor\":\"a b\"}}", 36,
	    ING_FMT_NEYNAR, "next.cursor: not printable ASCII");
	doc_bad("{\"events\":[],\"nextPageEventId\":\"x\"}", 35, ING_FMT_HUB,
	    "nextPageEventId: not a positive integer");
	/* 100 nested arrays inside an object: deeper than json-c's 64. */
	deep[0] = '{';
	memcpy(deep + 1, "\"messages\":", 11);
	for (i = 0; i < 100; i++) {
		deep[12 + i] = '[';
		deep[112 + i] = ']';
	}
	deep[212] = '}';
	doc_bad(deep, 213, ING_FMT_AUTO, "not JSON: nesting deeper than 64");
	doc_bad(deep, 213, ING_FMT_HUB, "not JSON: nesting deeper than 64");
	/* 60 levels is within the limit: the shape is what is wrong. */
	for (i = 0; i < 60; i++) {
		ok[i] = '[';
		ok[60 + i] = ']';
	}
	doc_bad(ok, 120, ING_FMT_AUTO, "not a JSON object");
}

int
test_ing_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("ing", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "base64", test_base64) == NULL ||
	    CU_add_test(s, "formats", test_formats) == NULL ||
	    CU_add_test(s, "sniff", test_sniff) == NULL ||
	    CU_add_test(s, "hub castsByFid", test_hub_casts_by_fid) == NULL ||
	    CU_add_test(s, "hub castsByMention",
	    test_hub_casts_by_mention) == NULL ||
	    CU_add_test(s, "hub mention positions",
	    test_hub_mention_positions) == NULL ||
	    CU_add_test(s, "hub castById", test_hub_cast_by_id) == NULL ||
	    CU_add_test(s, "hub userDataByFid", test_hub_user_data) == NULL ||
	    CU_add_test(s, "hub linksByFid", test_hub_links) == NULL ||
	    CU_add_test(s, "hub events", test_hub_events) == NULL ||
	    CU_add_test(s, "hub errors", test_hub_errors) == NULL ||
	    CU_add_test(s, "hub bad records", test_hub_bad_records) == NULL ||
	    CU_add_test(s, "neynar casts", test_neynar_casts) == NULL ||
	    CU_add_test(s, "neynar notifications",
	    test_neynar_notifications) == NULL ||
	    CU_add_test(s, "neynar conversation",
	    test_neynar_conversation) == NULL ||
	    CU_add_test(s, "neynar cast and result", test_neynar_single) == NULL ||
	    CU_add_test(s, "neynar error", test_neynar_error) == NULL ||
	    CU_add_test(s, "neynar bad records",
	    test_neynar_bad_records) == NULL ||
	    CU_add_test(s, "jsonl good", test_jsonl_good) == NULL ||
	    CU_add_test(s, "jsonl bad", test_jsonl_bad) == NULL ||
	    CU_add_test(s, "likes", test_likes) == NULL ||
	    CU_add_test(s, "parse_line", test_parse_line) == NULL ||
	    CU_add_test(s, "sink stop", test_sink_stop) == NULL ||
	    CU_add_test(s, "document rejects", test_doc_rejects) == NULL)
		return -1;
	return test_ing_fast_register();
}
