#ifndef RC_CSV_H
#define RC_CSV_H
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * CSV cells (RFC 4180) that a spreadsheet opens without running anything.
 * A text cell starting with = + - @ TAB or CR gets a leading ' (OWASP's
 * CSV-injection rule, with no exception for "-1" and the like: a number is
 * written by csv_int from a typed value, never as text).  A cell holding
 * , " CR or LF is quoted, with " doubled.  Each returns 0, or -1 when b
 * cannot grow (b then holds a partial cell).
 */
int	 csv_text(struct buf *b, const char *s, size_t len);
int	 csv_int(struct buf *b, int64_t v);
/* Ends a cell: ',' or, after the last cell of a row, '\n'. */
int	 csv_end(struct buf *b, int last);

#endif
