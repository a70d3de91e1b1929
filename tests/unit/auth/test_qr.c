#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <qrencode.h>

#include "auth/qr.h"
#include "core/buf.h"
#include "tests.h"

/* Sum of the run lengths in the path's "M x yhNv1h-Nz" squares. */
static long
dark_in_path(const char *svg)
{
	const char	*p = strstr(svg, " d=\"");
	long		 sum = 0;
	int		 x, y, n, m;

	if (p == NULL)
		return -1;
	for (p += 4; *p == 'M'; p = strchr(p, 'z') + 1) {
		if (sscanf(p, "M%d %dh%dv1h-%dz", &x, &y, &n, &m) != 4 || n != m)
			return -1;
		sum += n;
	}
	return *p == '"' ? sum : -1;
}

static void
test_svg(void)
{
	static const char text[] = "farcaster://connect?channelToken=abc&nonce=1";
	struct buf	 b;
	QRcode		*q;
	char		 box[64];
	long		 dark = 0;
	int		 i, n;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(qr_svg(&b, text, "a \"code\" <x>"), 0);
	q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	for (i = 0; i < q->width * q->width; i++)
		dark += q->data[i] & 1;
	n = q->width + 8;
	snprintf(box, sizeof(box), "viewBox=\"0 0 %d %d\"", n, n);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, box));
	CU_ASSERT_EQUAL(strncmp(b.ptr, "<svg class=\"qr\"", 15), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "aria-label=\"a &quot;code&quot; "
	    "&lt;x&gt;\""));
	/* Every dark module drawn once, each inside the quiet zone. */
	CU_ASSERT_EQUAL(dark_in_path(b.ptr), dark);
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "M0 "));
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "<script"));
	QRcode_free(q);
	buf_free(&b);
}

static void
test_refused(void)
{
	char		 big[QR_TEXT_MAX + 2];
	struct buf	 b;

	buf_init(&b, 0);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(qr_svg(&b, "", "x"), -1);
	CU_ASSERT_EQUAL(qr_svg(&b, NULL, "x"), -1);
	CU_ASSERT_EQUAL(qr_svg(&b, big, "x"), -1);
	buf_free(&b);
}

int
test_qr_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("qr", NULL, NULL)) == NULL ||
	    CU_add_test(s, "svg of a connect URL", test_svg) == NULL ||
	    CU_add_test(s, "refused texts", test_refused) == NULL)
		return -1;
	return 0;
}
