#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cfg.h"
#include "core/db.h"
#include "core/http.h"
#include "reply/alert.h"
#include "reply/avatar.h"
#include "avatars.h"

/* The media type of a Content-Type, lower-cased, parameters cut. */
static void
av_media(const char *ct, char *out, size_t outsz)
{
	size_t	 i;

	for (i = 0; i + 1 < outsz && ct[i] != '\0' && ct[i] != ';' &&
	    ct[i] != ' '; i++)
		out[i] = (char)tolower((unsigned char)ct[i]);
	out[i] = '\0';
}

/*
 * One picture: NULL and the image's type in *ctype, or why it was
 * refused.
 */
static const char *
av_fetch(const struct cfg *c, const char *url, struct buf *body,
    const char **ctype, char *err, size_t errsz)
{
	struct http_req	 r;
	char		 ct[128], media[64];
	long		 status;

	if (alert_url_ok(url, (int)c->avatar_http_loopback, err, errsz) == -1)
		return "not an https:// URL with a host";
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.url = url;
	r.ctype = ct;
	r.ctypesz = sizeof(ct);
	if (http_do(&r, &status, body, err, errsz) != HTTP_OK)
		return err;
	if (body->len > AVATAR_MAX_BYTES)
		return "larger than 128 KiB";
	if (status != 200) {
		snprintf(err, errsz, "the server answered HTTP %ld", status);
		return err;
	}
	av_media(ct, media, sizeof(media));
	*ctype = avatar_sniff((const unsigned char *)body->ptr, body->len);
	if (*ctype == NULL || strcmp(*ctype, media) != 0) {
		snprintf(err, errsz, "not a PNG, JPEG, WebP or GIF image "
		    "(Content-Type \"%.60s\")", media);
		return err;
	}
	return NULL;
}

int
avatars_tick(struct db *db, const struct cfg *c, volatile sig_atomic_t *stop)
{
	int64_t		 fids[1000];
	struct buf	 urls, body;
	const char	*url, *why, *ctype;
	char		 err[256];
	int		 n, i, rc = 0, got = 0;

	if (c->avatar_batch == 0)
		return 0;
	buf_init(&urls, 0);
	/* Bounded by http_do's limit; the picture's own is checked after. */
	buf_init(&body, HTTP_MAX_BODY);
	if ((n = avatar_due(db, (int)c->avatar_batch, fids, &urls)) == -1) {
		rc = -1;
		goto out;
	}
	url = urls.ptr;
	for (i = 0; i < n && !*stop && rc == 0; i++, url += strlen(url) + 1) {
		buf_reset(&body);
		ctype = NULL;
		if ((why = av_fetch(c, url, &body, &ctype, err, sizeof(err))) !=
		    NULL) {
			rc = avatar_fail(db, fids[i], url, why);
			continue;
		}
		rc = avatar_put(db, fids[i], url, ctype,
		    (const unsigned char *)body.ptr, body.len);
		got++;
	}
	if (n > 0)
		fprintf(stderr, "replycast-worker: avatars: %d of %d pictures "
		    "cached\n", got, n);
out:
	buf_free(&urls);
	buf_free(&body);
	return rc;
}
