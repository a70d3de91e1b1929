#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "reply/mention.h"
#include "tests.h"

/* Renders text with n mentions; the result in a static-free buffer. */
static int
render(const char *text, const int64_t *pos, const char *const *names,
    size_t n, struct buf *b)
{
	buf_reset(b);
	return mention_render(text, strlen(text), pos, names, n, b);
}

static void
test_positions(void)
{
	/* As the Hub sends "hey @dwr look" and "@v what do you think, @dwr?" */
	static const int64_t	 p1[] = { 4 }, p2[] = { 0, 20 }, p3[] = { 3, 3 };
	static const char *const n1[] = { "dwr" }, *n2[] = { "v", "dwr" },
				 *n3[] = { "a", "b" };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(render("hey  look", p1, n1, 1, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "hey @dwr look");
	CU_ASSERT_EQUAL(render(" what do you think, ?", p2, n2, 2, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "@v what do you think, @dwr?");
	/* Two mentions side by side; one at the very end. */
	CU_ASSERT_EQUAL(render("hi  ", p3, n3, 2, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "hi @a@b ");
	CU_ASSERT_EQUAL(render("to ", (const int64_t[]){ 3 }, n1, 1, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "to @dwr");
	/* No mentions: the text as it is. */
	CU_ASSERT_EQUAL(render("plain", NULL, NULL, 0, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "plain");
	/* Names are text: markup stays as it is, for the template to escape. */
	CU_ASSERT_EQUAL(render("x ", (const int64_t[]){ 2 },
	    (const char *const[]){ "<b>" }, 1, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "x @<b>");
	buf_free(&b);
}

/* Positions count bytes of UTF-8, not characters. */
static void
test_multibyte(void)
{
	/* "café  ok": é is two bytes, so the gap after "café " is byte 6. */
	static const char *const n[] = { "ana" };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(render("caf\xc3\xa9  ok", (const int64_t[]){ 6 }, n, 1,
	    &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "caf\xc3\xa9 @ana ok");
	/* An emoji (four bytes) before the mention. */
	CU_ASSERT_EQUAL(render("\xf0\x9f\x91\x8b ", (const int64_t[]){ 5 }, n, 1,
	    &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "\xf0\x9f\x91\x8b @ana");
	/* Inside a character (byte 4 is é's second byte): nothing guessed. */
	CU_ASSERT_EQUAL(render("caf\xc3\xa9 ", (const int64_t[]){ 4 }, n, 1,
	    &b), 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "caf\xc3\xa9 ");
	buf_free(&b);
}

/* Out of range or out of order: the text as stored, no insertion. */
static void
test_out_of_range(void)
{
	static const char *const n[] = { "a", "b" };
	struct buf		 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(render("abc", (const int64_t[]){ 4 }, n, 1, &b), 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abc");
	CU_ASSERT_EQUAL(render("abc", (const int64_t[]){ -1 }, n, 1, &b), 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abc");
	CU_ASSERT_EQUAL(render("abc", (const int64_t[]){ 2, 1 }, n, 2, &b), 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abc");
	CU_ASSERT_EQUAL(render("", (const int64_t[]){ 0 }, n, 1, &b), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "@a");
	CU_ASSERT_EQUAL(render("", (const int64_t[]){ 1 }, n, 1, &b), 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	buf_free(&b);
}

int
test_mention_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("mention", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "positions", test_positions) == NULL ||
	    CU_add_test(s, "multibyte", test_multibyte) == NULL ||
	    CU_add_test(s, "out of range", test_out_of_range) == NULL)
		return -1;
	return 0;
}
