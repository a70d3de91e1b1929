#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "mention.h"

/* 0 when the positions can be used as they are; see mention_render. */
static int
mention_check(const char *text, size_t len, const int64_t *pos, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (pos[i] < 0 || (uint64_t)pos[i] > len ||
		    (i > 0 && pos[i] < pos[i - 1]))
			return -1;
		if ((size_t)pos[i] < len &&
		    ((unsigned char)text[pos[i]] & 0xc0) == 0x80)
			return -1;
	}
	return 0;
}

int
mention_render(const char *text, size_t len, const int64_t *pos,
    const char *const *names, size_t n, struct buf *out)
{
	size_t	 i, at = 0;

	if (mention_check(text, len, pos, n) == -1)
		return buf_put(out, text, len) == -1 ? -1 : 1;
	for (i = 0; i < n; i++) {
		if (buf_put(out, text + at, (size_t)pos[i] - at) == -1 ||
		    buf_putc(out, '@') == -1 || buf_puts(out, names[i]) == -1)
			return -1;
		at = (size_t)pos[i];
	}
	return buf_put(out, text + at, len - at) == -1 ? -1 : 0;
}
