#ifndef RC_MENTION_H
#define RC_MENTION_H
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * A cast's text with its mentions put back.  Farcaster keeps a mention
 * out of the text: the cast carries the fid and the byte offset where it
 * stood (mentionsPositions), in ascending order.  Writes text[0..len) to
 * out with "@" names[i] inserted at byte pos[i].  When a position is out
 * of order, past the end, or inside a UTF-8 character, writes the text as
 * it is and returns 1 (nothing is guessed); 0 when rendered; -1 when out
 * ran out of room.  The result is text: escaping is the caller's.
 */
int	 mention_render(const char *text, size_t len, const int64_t *pos,
	    const char *const *names, size_t n, struct buf *out);

#endif
