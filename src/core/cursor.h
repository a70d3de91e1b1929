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

/*
 * The priority order's cursor, "<now>.<score>.<ts>-<hash>": the evaluation
 * time of the first page (so every page scores as it did), then the score
 * (it may be negative), time and hash of the last item of a page.
 */
#define CURSOR_PRIO_SIZE	(20 + 1 + 21 + 1 + CURSOR_SIZE)
#define CURSOR_MAX_SCORE	INT64_C(1000000)

struct cursor_prio {
	int64_t		 now;		/* [1, CURSOR_MAX_TIME] */
	int64_t		 score;		/* [-CURSOR_MAX_SCORE, CURSOR_MAX_SCORE] */
	struct cursor	 at;
};

/* As cursor_parse, for a priority cursor: 0 and *c, or -1. */
int	 cursor_prio_parse(const char *s, struct cursor_prio *c);
/* As cursor_format, for a priority cursor: 0, or -1 with out "". */
int	 cursor_prio_format(const struct cursor_prio *c, char *out,
	    size_t outsz);

/*
 * A keyset position in a sorted list of people (the counterparts),
 * "k<sort><a|d>.<fid>.<key>" with key "n" (no value: sorted last), "f"
 * and a decimal number as PostgreSQL writes a float8, or "t" and the hex
 * of a name's sort bytes.  sort and dir are those of the list that gave
 * it out, so a position is never read under another order.
 */
#define CURSOR_KEY_NUM		40	/* a float8's text, with NUL */
#define CURSOR_KEY_TXT		128	/* bytes of a name key */
#define CURSOR_KEY_SORTS	5
#define CURSOR_KEY_SIZE		(4 + 21 + 1 + 1 + 2 * CURSOR_KEY_TXT + 1)

enum cursor_key_kind { CURSOR_KEY_NULL, CURSOR_KEY_FLOAT, CURSOR_KEY_TEXT };

struct cursor_key {
	int			 sort;		/* [0, CURSOR_KEY_SORTS) */
	int			 desc;		/* 0 ascending, 1 descending */
	int64_t			 fid;		/* [1, 2^53] */
	enum cursor_key_kind	 kind;
	char			 num[CURSOR_KEY_NUM];	/* FLOAT */
	char			 hex[2 * CURSOR_KEY_TXT + 1];	/* TEXT */
};

/* 0 and *c, or -1 (c left alone) when s is not such a cursor. */
int	 cursor_key_parse(const char *s, struct cursor_key *c);
/* Writes c into out (CURSOR_KEY_SIZE is enough): 0, or -1 with out "". */
int	 cursor_key_format(const struct cursor_key *c, char *out, size_t outsz);

#endif
