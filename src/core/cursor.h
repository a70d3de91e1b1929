#ifndef RC_CURSOR_H
#define RC_CURSOR_H
#include <stddef.h>
#include <stdint.h>

/*
 * The inbox cursor, "<unix time>-<cast hash>" of the last item of a page,
 * as the API (next_cursor, ?cursor=) and the dashboard (?after=) give it
 * out and take it back.  Pure functions: no I/O, no state.
 */
#define CURSOR_HASH_LEN		42		/* "0x" + 40 hex: a cast hash */
#define CURSOR_MAX_TIME		INT64_C(4102444800)	/* 2100-01-01 */
/* Room for any cursor cursor_format writes, with its NUL. */
#define CURSOR_SIZE		(20 + 1 + CURSOR_HASH_LEN + 1)

struct cursor {
	int64_t		 ts;			/* [0, CURSOR_MAX_TIME] */
	char		 hash[CURSOR_HASH_LEN + 1];	/* lower case */
};

/*
 * Parses s: decimal digits for the time (no sign or space) up to
 * CURSOR_MAX_TIME, '-', a cast hash in either case.  0 and *c (hash in
 * lower case), or -1 with *c left alone.
 */
int	 cursor_parse(const char *s, struct cursor *c);
/*
 * Writes the cursor of (ts, hash) into out; -1 (out "") when ts or hash
 * would not parse back, or out is too small (CURSOR_SIZE is enough).
 */
int	 cursor_format(int64_t ts, const char *hash, char *out, size_t outsz);

#endif
