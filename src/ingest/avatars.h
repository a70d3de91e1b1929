#ifndef RC_INGEST_AVATARS_H
#define RC_INGEST_AVATARS_H
#include <signal.h>

struct cfg;
struct db;

/*
 * The worker's avatar round (reply/avatar.h): fetches up to
 * RC_AVATAR_BATCH due profile pictures, https:// only (http:// to
 * loopback with RC_AVATAR_HTTP_LOOPBACK), AVATAR_MAX_BYTES at most,
 * HTTP_TIMEOUT_MS each, kept only when both the Content-Type and the
 * first bytes say PNG, JPEG, WebP or GIF.  A refusal is stored with why
 * (tried again a day later).  -1 when PostgreSQL failed.
 */
int	 avatars_tick(struct db *, const struct cfg *,
	    volatile sig_atomic_t *stop);

#endif
