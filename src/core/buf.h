#ifndef RC_BUF_H
#define RC_BUF_H
#include <stddef.h>

/*
 * A growable byte buffer that carries its length and a hard size limit.
 * ptr is always NUL-terminated after a successful put (the NUL is not
 * counted in len).  Every put returns 0, or -1 when the limit or memory
 * runs out, in which case the buffer is unchanged.
 */
struct buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

#define BUF_DEFAULT_MAX	(64u * 1024u * 1024u)

void	 buf_init(struct buf *, size_t max);	/* max 0: BUF_DEFAULT_MAX */
void	 buf_free(struct buf *);		/* accepts NULL */
void	 buf_reset(struct buf *);		/* len = 0, memory kept */
void	 buf_truncate(struct buf *, size_t len);	/* no longer than len */
int	 buf_put(struct buf *, const char *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc(struct buf *, char);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends s URL-encoded (RFC 3986 unreserved kept) to b; 0 or -1. */
int	 buf_urlenc(struct buf *, const char *s);
const char *buf_cstr(struct buf *);		/* "" when empty */

#endif
