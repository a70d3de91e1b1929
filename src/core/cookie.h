#ifndef RC_COOKIE_H
#define RC_COOKIE_H

#include <stddef.h>

struct arena;
struct buf;

/*
 * The cookies replycast sets, and the only ones it reads.  Their names
 * depend on RC_COOKIE_SECURE: over HTTPS the session and CSRF cookies
 * carry the __Host- prefix (the browser keeps them to this host, Path=/,
 * Secure: no sibling subdomain and no plain-HTTP page can set them); the
 * refresh cookie has Path=/auth, so it can only be __Secure-.
 */
enum cookie_id {
	COOKIE_AT,		/* access token */
	COOKIE_RT,		/* refresh token */
	COOKIE_CSRF,		/* CSRF token */
	COOKIE_SIWF,		/* a browser sign-in with Farcaster (Path=/auth/siwf) */
	COOKIE__MAX
};

/* The name of cookie id for the secure setting (a static string). */
const char	*cookie_name(enum cookie_id, int secure);

/* Our cookies found in a Cookie header: val[id] is NULL when absent. */
struct cookie_jar {
	const char	*val[COOKIE__MAX];
};

/*
 * Reads our cookies (names for the secure setting) from a Cookie header
 * of n bytes.  Every other cookie is skipped unread, and so is one of ours
 * whose value holds a byte outside cookie-octet; a name of ours given more
 * than once is ambiguous (another site may have planted one) and counts as
 * absent.  Work is linear in n; values are copied to the arena.  Never
 * fails on input; -1 only when the arena is exhausted.
 */
int		 cookie_parse(struct arena *, const char *, size_t, int secure,
		    struct cookie_jar *);

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
 * ';' or a control byte, so no caller can smuggle an attribute or header;
 * also for a __Host- name without Secure and Path=/, or a __Secure- name
 * without Secure (a browser would drop them).
 */
int	 cookie_build(struct buf *b, const char *name, const char *value,
	    const struct cookie_attr *);

#endif
