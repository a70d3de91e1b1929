#ifndef RC_ARENA_H
#define RC_ARENA_H
#include <stddef.h>

/*
 * Per-request memory: everything allocated here lives until arena_reset(),
 * which the server loop calls after each FCGX_Finish_r().
 */
struct arena;

struct arena	*arena_new(size_t chunk);		/* NULL on ENOMEM */
void		 arena_free(struct arena *);		/* accepts NULL */
void		 arena_reset(struct arena *);		/* keeps the first chunk */
void		*arena_alloc(struct arena *, size_t);	/* NULL on overflow/ENOMEM */
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);

#endif
