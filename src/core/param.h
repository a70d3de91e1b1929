#ifndef RC_PARAM_H
#define RC_PARAM_H
#include <stddef.h>
#include <stdint.h>

struct qs_list;

/*
 * Declared parameters: a handler lists what it takes, param_parse checks
 * the query (or form) against the list and gives typed values.  Unknown
 * and repeated parameters are errors too, so a typo never passes silently.
 */
enum param_type {
	PARAM_INT,		/* decimal integer in [min, max] */
	PARAM_TIME,		/* unix seconds or ISO 8601, in [min, max];
				   or a bare date YYYY-MM-DD: see date */
	PARAM_ENUM,		/* one of choices; value is its index */
	PARAM_TZ,		/* shaped like an IANA time zone name; whether
				   the server knows it is the caller's check
				   (settings_tz_valid), failing with
				   PARAM_TZ_UNKNOWN */
	PARAM_STR,		/* printable UTF-8, at most max bytes */
	PARAM__MAX
};

struct param_spec {
	const char		*name;
	enum param_type		 type;
	int64_t			 min, max;
	const char *const	*choices;	/* PARAM_ENUM, NULL-terminated */
	int			 required;
	int			 repeat;	/* may be given more than once
						   (a form's checkboxes): each
						   value is checked, the first
						   kept */
};

struct param_val {
	int		 present;
	int64_t		 i;		/* INT, TIME; ENUM: the choice index */
	const char	*s;		/* the raw (decoded) value */
	int		 date;		/* TIME given as a bare date: i is days
					   since 1970-01-01, for the caller to
					   place in a time zone */
	size_t		 n;		/* times given */
};

#define PARAM_TZ_UNKNOWN "not a known IANA time zone name (e.g. Europe/Berlin)"

/*
 * Returns 0, or -1 with a message naming the parameter in err, e.g.
 * "limit: must be an integer from 1 to 500".
 */
int		 param_parse(const struct qs_list *, const struct param_spec *,
		    size_t nspecs, struct param_val *out, char *err, size_t errsz);

#endif
