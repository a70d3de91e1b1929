#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	max_align_t	 data[];
};

struct arena {
	struct chunk	*head;
	size_t		 chunk;
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk	*c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *
arena_new(size_t chunk)
{
	struct arena	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->chunk = chunk < 1024 ? 1024 : chunk;
	if ((a->head = chunk_new(a->chunk)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
arena_reset(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	/* The first chunk allocated is last in the list: keep it. */
	for (c = a->head; c != NULL && c->next != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = c;
	if (c != NULL)
		c->used = 0;
}

void
arena_free(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	const size_t	 align = sizeof(max_align_t);
	struct chunk	*c;
	size_t		 need;
	void		*p;

	if (n > SIZE_MAX - align)
		return NULL;
	need = (n + align - 1) / align * align;
	if (need == 0)
		need = align;
	c = a->head;
	if (c == NULL || c->size - c->used < need) {
		if ((c = chunk_new(need > a->chunk ? need : a->chunk)) == NULL)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
