#ifndef RC_AVATAR_H
#define RC_AVATAR_H
#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;

/*
 * The avatar cache (migrations/0018_people.sql): profile pictures that
 * replycast-worker fetched from stored profiles' pfp_url, served by the
 * dashboard from its own origin.  Pictures are small (AVATAR_MAX_BYTES)
 * and one of four image types, told by their first bytes.
 */
#define AVATAR_MAX_BYTES	(128u * 1024u)

/*
 * The image type of p[0..n) by its signature: "image/png", "image/jpeg",
 * "image/webp" or "image/gif", else NULL.
 */
const char	*avatar_sniff(const unsigned char *p, size_t n);

/*
 * Up to max profiles whose picture is due (never fetched, URL changed, or
 * failed a day ago), among the people who wrote to an account's fid:
 * fids[i] and urls (NUL-separated, in order) in *urls.  The count, or -1
 * on a database error.
 */
int		 avatar_due(struct db *, int max, int64_t *fids, struct buf *urls);
/* Stores a fetched picture (ctype from avatar_sniff): 0 or -1. */
int		 avatar_put(struct db *, int64_t fid, const char *url,
		    const char *ctype, const unsigned char *p, size_t n);
/* Records a failed fetch, with why: 0 or -1. */
int		 avatar_fail(struct db *, int64_t fid, const char *url,
		    const char *why);
/*
 * The cached picture of fid into body, its type into ctype: 1, 0 when
 * there is none, -1 on a database error.
 */
int		 avatar_get(struct db *, int64_t fid, struct buf *body,
		    char *ctype, size_t ctypesz);

#endif
