/*
 * libFuzzer target for the request parsers: the input's first byte picks
 * the parser (query string, form body, Cookie header, path split), the
 * rest is its text.  Every decoded value must be a NUL-free C string no
 * longer than its input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/cookie.h"
#include "core/qs.h"
#include "core/route.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct qs_list *l, size_t n)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].key) > n || strlen(l->v[i].val) > n)
			abort();
}

/* Only our cookies, each a cookie-octet string no longer than the input. */
static void
check_jar(const struct cookie_jar *j, size_t n)
{
	size_t	 i;

	for (i = 0; i < COOKIE__MAX; i++)
		if (j->val[i] != NULL && (strlen(j->val[i]) > n ||
		    strpbrk(j->val[i], " ;,\"\\") != NULL))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	struct qs_list	 l;
	struct cookie_jar jar;
	char		*s, *segs[ROUTE_MAXSEGS];
	size_t		 n, nseg;

	if (size < 1 || (a = arena_new(4096)) == NULL)
		return 0;
	n = size - 1;
	switch (data[0] % 3) {
	case 0:
		if (qs_parse(a, (const char *)data + 1, n, &l) == QS_OK)
			check(&l, n);
		break;
	case 1:
		if (cookie_parse(a, (const char *)data + 1, n, data[0] & 4,
		    &jar) == 0)
			check_jar(&jar, n);
		break;
	default:
		if ((s = arena_strndup(a, (const char *)data + 1, n)) != NULL &&
		    strlen(s) == n)
			(void)route_split(a, s, segs, ROUTE_MAXSEGS, &nseg);
		break;
	}
	arena_free(a);
	return 0;
}
