/*
 * libFuzzer target for the inbox cursors (core/cursor.c), oldest first and
 * by priority: whatever parses formats back to a cursor that parses to the
 * same values, and the two forms never both accept one input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cursor.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor		 c, c2;
	struct cursor_prio	 p, p2;
	char			 s[256], out[CURSOR_PRIO_SIZE];
	int			 a, b;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	a = cursor_parse(s, &c) == 0;
	b = cursor_prio_parse(s, &p) == 0;
	if (a && b)
		abort();
	if (a && (cursor_format(c.ts, c.hash, out, sizeof(out)) != 0 ||
	    cursor_parse(out, &c2) != 0 || c2.ts != c.ts ||
	    strcmp(c2.hash, c.hash) != 0))
		abort();
	if (b && (cursor_prio_format(&p, out, sizeof(out)) != 0 ||
	    cursor_prio_parse(out, &p2) != 0 || p2.now != p.now ||
	    p2.score != p.score || p2.at.ts != p.at.ts ||
	    strcmp(p2.at.hash, p.at.hash) != 0))
		abort();
	return 0;
}
