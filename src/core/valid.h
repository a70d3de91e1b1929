#ifndef RC_VALID_H
#define RC_VALID_H
#include <stddef.h>
#include <stdint.h>

#define VALID_HASH_LEN	42		/* "0x" + 40 hex: a cast hash */

/*
 * Validators turn one untrusted string into a typed value.  Each returns 0
 * and stores the value, or -1 and leaves *out alone.
 */
int	 valid_u64(const char *, uint64_t max, uint64_t *out);	/* digits only */
/* The canonical decimal of an id in [1, max]: no sign, space or leading 0. */
int	 valid_id(const char *, uint64_t max, uint64_t *out);
int	 valid_i64(const char *, int64_t min, int64_t max, int64_t *out);
int	 valid_size(const char *, uint64_t max, uint64_t *out);	/* 512, 64k, 1M */
int	 valid_printable(const char *, size_t maxlen);	/* no control bytes */
int	 valid_hex(const char *, size_t len);		/* exactly len hex digits */
/* A calendar date "YYYY-MM-DD" (years 1970 to 9999): days since 1970-01-01. */
int	 valid_date(const char *, int64_t *days);
/* Strict UTF-8 (RFC 3629) of len bytes; NUL counts as valid. */
int	 valid_utf8(const char *, size_t len);
/* ISO 8601 / RFC 3339 with a zone ("2024-05-01T12:00:00.000Z"): unix seconds. */
int	 valid_iso_time(const char *, int64_t *unix_seconds);
/* "0x" + 40 hex (any case): out gets the lowercase form. */
int	 valid_hash(const char *, char out[VALID_HASH_LEN + 1]);

#endif
