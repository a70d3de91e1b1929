#ifndef RC_QS_H
#define RC_QS_H
#include <stddef.h>

struct arena;

/*
 * Parsers for application/x-www-form-urlencoded strings (query strings and
 * form bodies); Cookie headers are read by cookie_parse.  Keys and values are decoded into
 * the arena and are NUL-terminated; a decoded NUL byte is refused, so they
 * are safe as C strings.  Repeated keys are kept in order.
 */
enum qs_err {
	QS_OK = 0,
	QS_EBADENC,	/* '%' not followed by two hex digits */
	QS_ENUL,	/* a NUL byte, raw or %00 */
	QS_ETOOLONG,	/* a key longer than QS_MAX_KEY */
	QS_ETOOMANY,	/* more than QS_MAX_PAIRS pairs */
	QS_ENOMEM,
	QS__MAX
};

#define QS_MAX_KEY	128
#define QS_MAX_PAIRS	128

struct qs_pair {
	const char	*key;
	const char	*val;
};

struct qs_list {
	struct qs_pair	*v;
	size_t		 n;
};

enum qs_err	 qs_parse(struct arena *, const char *, size_t, struct qs_list *);
const char	*qs_get(const struct qs_list *, const char *);	/* first, or NULL */
size_t		 qs_count(const struct qs_list *, const char *);
const char	*qs_strerror(enum qs_err);

/*
 * Percent-decodes src[0..n) into dst (which has room for n + 1 bytes);
 * plus != 0 turns '+' into ' '.  Returns the decoded length, -1 on a bad
 * escape, -2 on a NUL byte (raw or %00).
 */
long		 qs_decode(char *dst, const char *src, size_t n, int plus);

#endif
