#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "ing.h"

static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/*
 * Padding, when present, must complete the last quantum; the unused low
 * bits of the last symbol must be zero so that each byte string has one
 * encoding.  Returns the number of bytes written, or -1.
 */
long
ing_base64_decode(const char *s, size_t len, unsigned char *out, size_t outsz)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 acc = 0;
	size_t			 i, pad = 0, n = 0, bits = 0;
	int			 v;

	if (s == NULL && len > 0)
		return -1;
	while (pad < 2 && len > 0 && p[len - 1] == '=') {
		len--;
		pad++;
	}
	if (len % 4 == 1 || (pad > 0 && (len + pad) % 4 != 0))
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = b64_val(p[i])) < 0)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outsz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if ((acc & ((UINT32_C(1) << bits) - 1)) != 0)
		return -1;
	return (long)n;
}
