#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "cookie.h"

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
