#include <string.h>

#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "core/html.h"
#include "tests.h"

/* Escapes s (all of it) into a fresh buffer and compares with want. */
static void
escape_is(const char *s, const char *want)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(html_escape(&b, s, strlen(s)), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), want);
	CU_ASSERT_EQUAL(b.len, strlen(want));
	buf_free(&b);
}

/* The five characters that end text or a quoted attribute, and only those. */
static void
test_five(void)
{
	escape_is("&", "&amp;");
	escape_is("<", "&lt;");
	escape_is(">", "&gt;");
	escape_is("\"", "&quot;");
	escape_is("'", "&#39;");
	escape_is("<a href=\"x\" title='y'>&amp;</a>",
	    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
	escape_is("<<>>", "&lt;&lt;&gt;&gt;");
}

/* Everything else passes as it is: text, UTF-8, controls, `, =, /. */
static void
test_passthrough(void)
{
	escape_is("", "");
	escape_is("plain text 123", "plain text 123");
	escape_is("caf\xc3\xa9 \xf0\x9f\x91\x8b", "caf\xc3\xa9 \xf0\x9f\x91\x8b");
	escape_is("a\tb\nc\rd`e=f/g;h", "a\tb\nc\rd`e=f/g;h");
	escape_is("&amp", "&amp;amp");
}

/* Only n bytes are read: a NUL inside is data, bytes past n are not. */
static void
test_length(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(html_escape(&b, "a\0<b", 4), 0);
	CU_ASSERT_EQUAL(b.len, 7);
	CU_ASSERT_EQUAL(memcmp(b.ptr, "a\0&lt;b", 8), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(html_escape(&b, "ab<script>", 2), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "ab");
	buf_reset(&b);
	CU_ASSERT_EQUAL(html_escape(&b, "<", 0), 0);
	CU_ASSERT_EQUAL(b.len, 0);
	buf_free(&b);
}

/* Appends after what the buffer holds. */
static void
test_appends(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "<p>"), 0);
	CU_ASSERT_EQUAL(html_escape(&b, "1 < 2", 5), 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "</p>"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "<p>1 &lt; 2</p>");
	buf_free(&b);
}

/* The escaped form counts against the buffer's limit, not the input. */
static void
test_limit(void)
{
	struct buf	 b;

	buf_init(&b, 8);
	CU_ASSERT_EQUAL(html_escape(&b, "12345678", 8), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "12345678");
	buf_free(&b);
	buf_init(&b, 8);
	CU_ASSERT_EQUAL(html_escape(&b, "<<", 2), 0);	/* 8 bytes out */
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "&lt;&lt;");
	buf_reset(&b);
	CU_ASSERT_EQUAL(html_escape(&b, "<<<", 3), -1);	/* 12 bytes out */
	CU_ASSERT(b.len <= 8);
	buf_free(&b);
	buf_init(&b, 8);
	CU_ASSERT_EQUAL(html_escape(&b, "abc<", 4), 0);	/* 7 bytes out */
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "abc&lt;");
	buf_free(&b);
}

int
test_html_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("html", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "the five escaped characters", test_five) == NULL ||
	    CU_add_test(s, "everything else passes", test_passthrough) == NULL ||
	    CU_add_test(s, "exactly n bytes, NULs included", test_length) == NULL ||
	    CU_add_test(s, "appends to the buffer", test_appends) == NULL ||
	    CU_add_test(s, "the buffer limit counts escaped bytes", test_limit) == NULL)
		return -1;
	return 0;
}
