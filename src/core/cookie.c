#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cookie.h"

static const char *const cookie_names[2][COOKIE__MAX] = {
	{ "rc_at", "rc_rt", "rc_csrf", "rc_siwf" },
	{ "__Host-rc_at", "__Secure-rc_rt", "__Host-rc_csrf", "__Secure-rc_siwf" },
};

const char *
cookie_name(enum cookie_id id, int secure)
{
	return id < COOKIE__MAX ? cookie_names[secure != 0][id] : NULL;
}

static int
cookie_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* cookie-octet of RFC 6265: no CTL, space, DQUOTE, comma, ';' or '\'. */
static int
cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

static int
cookie_path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == ';')
			return 0;
	return 1;
}

static int
cookie_valid(const char *name, const char *value, const struct cookie_attr *a)
{
	const char	*p;

	if (*name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!cookie_tchar((unsigned char)*p))
			return 0;
	for (p = value; *p != '\0'; p++)
		if (!cookie_octet((unsigned char)*p))
			return 0;
	/* The browser drops a prefixed cookie without these attributes. */
	if (strncmp(name, "__Host-", 7) == 0 && (!a->secure ||
	    a->path == NULL || strcmp(a->path, "/") != 0))
		return 0;
	if (strncmp(name, "__Secure-", 9) == 0 && !a->secure)
		return 0;
	return a->path == NULL || cookie_path_ok(a->path);
}

int
cookie_build(struct buf *b, const char *name, const char *value,
    const struct cookie_attr *a)
{
	size_t	 len = b->len;

	if (!cookie_valid(name, value, a))
		return -1;
	if (buf_printf(b, "%s=%s", name, value) == -1 ||
	    (a->path != NULL && buf_printf(b, "; Path=%s", a->path) == -1) ||
	    (a->max_age >= 0 && buf_printf(b, "; Max-Age=%ld",
	    a->max_age) == -1) ||
	    (a->http_only && buf_puts(b, "; HttpOnly") == -1) ||
	    (a->secure && buf_puts(b, "; Secure") == -1) ||
	    buf_puts(b, "; SameSite=Strict") == -1) {
		b->len = len;
		if (b->ptr != NULL)
			b->ptr[len] = '\0';
		return -1;
	}
	return 0;
}

static int
cookie_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Which of our names p[0..n) is, or COOKIE__MAX. */
static enum cookie_id
cookie_which(const char *p, size_t n, int secure)
{
	enum cookie_id	 id;
	const char	*name;

	for (id = 0; id < COOKIE__MAX; id++) {
		name = cookie_names[secure != 0][id];
		if (strlen(name) == n && memcmp(name, p, n) == 0)
			return id;
	}
	return COOKIE__MAX;
}

/*
 * One "name=value" item, blanks trimmed.  A foreign name, or a value with
 * a byte outside cookie-octet, is ignored; seen[] counts our names.
 */
static int
cookie_item(struct arena *a, const char *p, size_t n, int secure,
    struct cookie_jar *j, unsigned seen[COOKIE__MAX])
{
	const char	*eq, *v;
	size_t		 kn, vn, i;
	enum cookie_id	 id;

	while (n > 0 && cookie_blank(*p)) {
		p++;
		n--;
	}
	while (n > 0 && cookie_blank(p[n - 1]))
		n--;
	if ((eq = memchr(p, '=', n)) == NULL)
		return 0;
	for (kn = (size_t)(eq - p); kn > 0 && cookie_blank(p[kn - 1]); kn--)
		;
	if ((id = cookie_which(p, kn, secure)) == COOKIE__MAX)
		return 0;
	for (v = eq + 1, vn = n - (size_t)(v - p); vn > 0 &&
	    cookie_blank(*v); v++, vn--)
		;
	for (i = 0; i < vn; i++)
		if (!cookie_octet((unsigned char)v[i]))
			return 0;
	if (seen[id]++ > 0)
		return 0;
	return (j->val[id] = arena_strndup(a, v, vn)) == NULL ? -1 : 0;
}

int
cookie_parse(struct arena *a, const char *s, size_t n, int secure,
    struct cookie_jar *j)
{
	unsigned	 seen[COOKIE__MAX] = { 0 };
	const char	*p, *end, *next;
	enum cookie_id	 id;

	memset(j, 0, sizeof(*j));
	if (s == NULL)
		return 0;
	end = s + n;
	for (p = s; p < end; p = next < end ? next + 1 : end) {
		if ((next = memchr(p, ';', (size_t)(end - p))) == NULL)
			next = end;
		if (cookie_item(a, p, (size_t)(next - p), secure, j,
		    seen) == -1)
			return -1;
	}
	for (id = 0; id < COOKIE__MAX; id++)
		if (seen[id] > 1)
			j->val[id] = NULL;
	return 0;
}
