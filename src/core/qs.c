#include <string.h>

#include "arena.h"
#include "qs.h"

static const char *const qs_errs[QS__MAX] = {
	"ok",
	"malformed percent-encoding",
	"NUL byte in input",
	"parameter name too long",
	"too many parameters",
	"out of memory",
};

const char *
qs_strerror(enum qs_err e)
{
	return e < QS__MAX ? qs_errs[e] : "unknown error";
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
qs_decode(char *dst, const char *src, size_t n, int plus)
{
	size_t	 i, o = 0;
	int	 hi, lo;
	char	 c;

	for (i = 0; i < n; i++) {
		c = src[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == '\0')
			return -2;
		dst[o++] = c;
	}
	dst[o] = '\0';
	return (long)o;
}

static enum qs_err
qs_grow(struct arena *a, struct qs_list *l, size_t *cap)
{
	struct qs_pair	*nv;
	size_t		 ncap;

	if (l->n < *cap)
		return QS_OK;
	if (l->n >= QS_MAX_PAIRS)
		return QS_ETOOMANY;
	ncap = *cap == 0 ? 8 : *cap * 2;
	if (ncap > QS_MAX_PAIRS)
		ncap = QS_MAX_PAIRS;
	if ((nv = arena_alloc(a, ncap * sizeof(*nv))) == NULL)
		return QS_ENOMEM;
	if (l->n > 0)
		memcpy(nv, l->v, l->n * sizeof(*nv));
	l->v = nv;
	*cap = ncap;
	return QS_OK;
}

static enum qs_err
qs_decode_err(long r)
{
	return r == -2 ? QS_ENUL : QS_EBADENC;
}

/* Decodes one key=value item; an item without '=' has an empty value. */
static enum qs_err
qs_item(struct arena *a, const char *p, size_t n, struct qs_list *l,
    size_t *cap)
{
	const char	*eq;
	size_t		 kn, vn;
	char		*k, *v;
	long		 r;
	enum qs_err	 e;

	eq = memchr(p, '=', n);
	kn = eq == NULL ? n : (size_t)(eq - p);
	vn = eq == NULL ? 0 : n - kn - 1;
	if (kn > QS_MAX_KEY * 3)
		return QS_ETOOLONG;
	if ((e = qs_grow(a, l, cap)) != QS_OK)
		return e;
	if ((k = arena_alloc(a, kn + 1)) == NULL ||
	    (v = arena_alloc(a, vn + 1)) == NULL)
		return QS_ENOMEM;
	if ((r = qs_decode(k, p, kn, 1)) < 0)
		return qs_decode_err(r);
	if ((size_t)r > QS_MAX_KEY)
		return QS_ETOOLONG;
	v[0] = '\0';
	if (eq != NULL && (r = qs_decode(v, eq + 1, vn, 1)) < 0)
		return qs_decode_err(r);
	l->v[l->n].key = k;
	l->v[l->n].val = v;
	l->n++;
	return QS_OK;
}

static enum qs_err
qs_split(struct arena *a, const char *s, size_t n, struct qs_list *out)
{
	const char	*p, *end, *next;
	size_t		 cap = 0, len;
	enum qs_err	 e;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return QS_OK;
	if (memchr(s, '\0', n) != NULL)
		return QS_ENUL;
	end = s + n;
	for (p = s; p < end; p = next) {
		if ((next = memchr(p, '&', (size_t)(end - p))) == NULL)
			next = end;
		len = (size_t)(next - p);
		if (next < end)
			next++;
		if (len == 0)
			continue;
		if ((e = qs_item(a, p, len, out, &cap)) != QS_OK)
			return e;
	}
	return QS_OK;
}

enum qs_err
qs_parse(struct arena *a, const char *s, size_t n, struct qs_list *out)
{
	return qs_split(a, s, n, out);
}

const char *
qs_get(const struct qs_list *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

size_t
qs_count(const struct qs_list *l, const char *key)
{
	size_t	 i, c = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			c++;
	return c;
}
