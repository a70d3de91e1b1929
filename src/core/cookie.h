#ifndef RC_COOKIE_H
#define RC_COOKIE_H

struct buf;

/*
 * Set-Cookie values.  Every cookie replycast sets is SameSite=Strict; the
 * other attributes are chosen per cookie.
 */
struct cookie_attr {
	const char	*path;		/* "/" or "/auth"; NULL: none */
	long		 max_age;	/* seconds; 0 deletes; < 0: a session cookie */
	int		 http_only;
	int		 secure;
};

/*
 * Appends "name=value; Path=...; Max-Age=...; HttpOnly; Secure;
 * SameSite=Strict" to b.  Returns -1 (b unchanged) when name is not an
 * RFC 6265 token, value holds a byte outside cookie-octet, or path holds
 * ';' or a control byte, so no caller can smuggle an attribute or header.
 */
int	 cookie_build(struct buf *b, const char *name, const char *value,
	    const struct cookie_attr *);

#endif
