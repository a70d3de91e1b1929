#include <string.h>

#include <qrencode.h>

#include "qr.h"
#include "core/buf.h"
#include "core/html.h"

#define QR_QUIET	4

/* One path: "M x y h1v1h-1z" per dark module, runs merged along a row. */
static int
qr_path(struct buf *b, const QRcode *q)
{
	int	 x, y, run;

	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x += run > 0 ? run : 1) {
			run = 0;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run > 0 && buf_printf(b, "M%d %dh%dv1h-%dz",
			    x + QR_QUIET, y + QR_QUIET, run, run) == -1)
				return -1;
		}
	}
	return 0;
}

int
qr_svg(struct buf *b, const char *text, const char *label)
{
	QRcode	*q;
	int	 n, rc = -1;

	if (text == NULL || *text == '\0' || strlen(text) > QR_TEXT_MAX)
		return -1;
	if ((q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M)) == NULL)
		return -1;
	n = q->width + 2 * QR_QUIET;
	if (buf_printf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
	    " aria-label=\"", n, n, n * 6, n * 6) == -1 ||
	    html_escape(b, label, strlen(label)) == -1 ||
	    buf_printf(b, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\""
	    " height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", n, n) == -1 ||
	    qr_path(b, q) == -1 || buf_puts(b, "\"/></svg>") == -1)
		goto out;
	rc = 0;
out:
	QRcode_free(q);
	return rc;
}
