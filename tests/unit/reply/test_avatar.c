#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/avatar.h"
#include "tests.h"

#define SNIFF(s)	avatar_sniff((const unsigned char *)(s), sizeof(s) - 1)

/* The four image types by their first bytes; anything else is refused. */
static void
test_sniff(void)
{
	CU_ASSERT_STRING_EQUAL(SNIFF("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
	CU_ASSERT_STRING_EQUAL(SNIFF("\xff\xd8\xff\xe0\0\x10JFIF"), "image/jpeg");
	CU_ASSERT_STRING_EQUAL(SNIFF("RIFF\x24\0\0\0WEBPVP8 "), "image/webp");
	CU_ASSERT_STRING_EQUAL(SNIFF("GIF89a\x01\0\x01\0"), "image/gif");
	CU_ASSERT_STRING_EQUAL(SNIFF("GIF87a"), "image/gif");
	/* Text, SVG (script in an image), HTML, short and empty input. */
	CU_ASSERT_PTR_NULL(SNIFF("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
	CU_ASSERT_PTR_NULL(SNIFF("<!doctype html><img src=x>"));
	CU_ASSERT_PTR_NULL(SNIFF("\x89PNG\r\n\x1a"));
	CU_ASSERT_PTR_NULL(SNIFF("RIFF\x24\0\0\0WAVEfmt "));
	CU_ASSERT_PTR_NULL(SNIFF("\xff\xd8"));
	CU_ASSERT_PTR_NULL(SNIFF("GIF88a"));
	CU_ASSERT_PTR_NULL(avatar_sniff((const unsigned char *)"", 0));
}

int
test_avatar_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("avatar", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "sniff", test_sniff) == NULL)
		return -1;
	return 0;
}
