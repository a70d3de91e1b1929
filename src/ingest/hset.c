#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fnv.h"
#include "reply/ing.h"
#include "hset.h"

/* Open addressing, linear probing, at most half full. */
struct hset {
	char	(*slot)[ING_HASH_LEN + 1];	/* "" is an empty slot */
	size_t	 cap;				/* a power of two */
	size_t	 n;
};

static size_t
hset_find(const struct hset *s, const char *hash)
{
	size_t	 i = (size_t)fnv_str(FNV_BASIS, hash) & (s->cap - 1);

	while (s->slot[i][0] != '\0' && strcmp(s->slot[i], hash) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

struct hset *
hset_new(void)
{
	struct hset	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->cap = 256;
	if ((s->slot = calloc(s->cap, sizeof(*s->slot))) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
hset_free(struct hset *s)
{
	if (s == NULL)
		return;
	free(s->slot);
	free(s);
}

void
hset_clear(struct hset *s)
{
	memset(s->slot, 0, s->cap * sizeof(*s->slot));
	s->n = 0;
}

size_t
hset_count(const struct hset *s)
{
	return s->n;
}

static int
hset_grow(struct hset *s)
{
	struct hset	 t;
	size_t		 i;

	if (s->cap > SIZE_MAX / 2 / sizeof(*s->slot))
		return -1;
	t.cap = s->cap * 2;
	t.n = s->n;
	if ((t.slot = calloc(t.cap, sizeof(*t.slot))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i][0] != '\0')
			memcpy(t.slot[hset_find(&t, s->slot[i])], s->slot[i],
			    sizeof(*t.slot));
	free(s->slot);
	*s = t;
	return 0;
}

int
hset_add(struct hset *s, const char *hash)
{
	size_t	 i;

	if (strlen(hash) != ING_HASH_LEN)
		return -1;
	if ((s->n + 1) * 2 > s->cap && hset_grow(s) == -1)
		return -1;
	i = hset_find(s, hash);
	if (s->slot[i][0] != '\0')
		return 0;
	memcpy(s->slot[i], hash, ING_HASH_LEN + 1);
	s->n++;
	return 1;
}

int
hset_has(const struct hset *s, const char *hash)
{
	return strlen(hash) == ING_HASH_LEN &&
	    s->slot[hset_find(s, hash)][0] != '\0';
}
