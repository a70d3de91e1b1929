#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

/* What a spreadsheet reads as the start of a formula. */
static int
csv_formula(const char *s, size_t len)
{
	return len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
}

int
csv_text(struct buf *b, const char *s, size_t len)
{
	size_t	 i;
	int	 guard = csv_formula(s, len);

	if (!guard && memchr(s, ',', len) == NULL &&
	    memchr(s, '"', len) == NULL && memchr(s, '\r', len) == NULL &&
	    memchr(s, '\n', len) == NULL)
		return buf_put(b, s, len);
	/* Quoted whenever guarded, so the ' is plainly part of the text. */
	if (buf_putc(b, '"') == -1 || (guard && buf_putc(b, '\'') == -1))
		return -1;
	for (i = 0; i < len; i++)
		if ((s[i] == '"' && buf_putc(b, '"') == -1) ||
		    buf_putc(b, s[i]) == -1)
			return -1;
	return buf_putc(b, '"');
}

int
csv_int(struct buf *b, int64_t v)
{
	return buf_printf(b, "%" PRId64, v);
}

int
csv_end(struct buf *b, int last)
{
	return buf_putc(b, last ? '\n' : ',');
}
