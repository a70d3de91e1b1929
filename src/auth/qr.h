#ifndef RC_AUTH_QR_H
#define RC_AUTH_QR_H
#include <stddef.h>

struct buf;

/*
 * A QR code drawn on the server (libqrencode) as an inline SVG element:
 * one path of unit squares, a 4-module quiet zone, scaled by the page.
 * No script, no image request: the CSP stays as it is.
 */
#define QR_TEXT_MAX	1024

/* Appends <svg ...> for text (1..QR_TEXT_MAX bytes) to b; 0 or -1. */
int	 qr_svg(struct buf *b, const char *text, const char *label);

#endif
