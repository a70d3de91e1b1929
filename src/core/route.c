#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "qs.h"
#include "route.h"

static const char *const route_names[METHOD__MAX] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
};

int
route_method(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < METHOD__MAX; i++)
		if (strcmp(s, route_names[i]) == 0)
			return i;
	return -1;
}

const char *
route_method_name(enum route_method m)
{
	return m < METHOD__MAX ? route_names[m] : "?";
}

int
route_split(struct arena *a, const char *path, char **segs, size_t maxsegs,
    size_t *nsegs)
{
	const char	*p, *slash;
	size_t		 len, n = 0;
	char		*seg;

	if (path == NULL || path[0] != '/')
		return -1;
	*nsegs = 0;
	if (path[1] == '\0')
		return 0;	/* the root: the only path that ends in '/' */
	for (p = path + 1;; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		len = (size_t)(slash - p);
		if (n == maxsegs)
			return -1;
		if ((seg = arena_alloc(a, len + 1)) == NULL ||
		    qs_decode(seg, p, len, 0) < 0)
			return -1;
		segs[n++] = seg;
		if (*slash == '\0')
			break;
	}
	*nsegs = n;
	return 0;
}

/* Matches one pattern against the segments, filling captures into m. */
static int
route_match_one(const char *pat, char *const *segs, size_t nsegs,
    struct route_match *m)
{
	const char	*p, *end;
	size_t		 i = 0, len;

	m->ncap = 0;
	for (p = pat + 1; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		if ((end = strchr(p, '/')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0)
			continue;
		/* An empty segment ("//", a trailing '/') matches nothing. */
		if (i == nsegs || segs[i][0] == '\0')
			return 0;
		if (p[0] == '{' && p[len - 1] == '}') {
			if (m->ncap == ROUTE_MAXCAPS)
				return 0;
			m->capname[m->ncap] = p + 1;
			m->capnamelen[m->ncap] = len - 2;
			m->cap[m->ncap++] = segs[i];
		} else if (strlen(segs[i]) != len ||
		    memcmp(segs[i], p, len) != 0)
			return 0;
		i++;
	}
	return i == nsegs;
}

enum route_res
route_find(const struct route *tab, size_t n, enum route_method meth,
    char *const *segs, size_t nsegs, struct route_match *m)
{
	struct route_match	 tmp = { 0 };
	size_t			 i;
	int			 found = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (!route_match_one(tab[i].pattern, segs, nsegs, &tmp))
			continue;
		found = 1;
		m->allow |= 1u << tab[i].method;
		if (tab[i].method == METHOD_GET)
			m->allow |= 1u << METHOD_HEAD;
		if (m->route == NULL && (tab[i].method == meth ||
		    (meth == METHOD_HEAD && tab[i].method == METHOD_GET))) {
			tmp.allow = m->allow;
			tmp.route = &tab[i];
			*m = tmp;
		}
	}
	if (!found)
		return ROUTE_NOTFOUND;
	return m->route == NULL ? ROUTE_BADMETHOD : ROUTE_OK;
}

int
route_allow_str(unsigned allow, char *out, size_t sz)
{
	size_t	 len = 0;
	int	 i, r;

	if (sz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < METHOD__MAX; i++) {
		if (!(allow & (1u << i)))
			continue;
		r = snprintf(out + len, sz - len, "%s%s", len ? ", " : "",
		    route_names[i]);
		if (r < 0 || (size_t)r >= sz - len)
			return -1;
		len += (size_t)r;
	}
	return 0;
}
