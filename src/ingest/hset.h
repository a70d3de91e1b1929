#ifndef RC_HSET_H
#define RC_HSET_H
#include <stddef.h>

/*
 * A set of normalized cast hashes ("0x" + 40 lowercase hex digits, see
 * valid_hash): the messages one paging run has seen, the casts one
 * events page kept.  Strings are copied.
 */
struct hset;

struct hset	*hset_new(void);			/* NULL on ENOMEM */
void		 hset_free(struct hset *);		/* accepts NULL */
void		 hset_clear(struct hset *);
size_t		 hset_count(const struct hset *);
/* 1 when added, 0 when already there, -1 on ENOMEM or a bad hash. */
int		 hset_add(struct hset *, const char *hash);
int		 hset_has(const struct hset *, const char *hash);

#endif
