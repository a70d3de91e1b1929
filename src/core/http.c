#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "config.h"
#include "buf.h"
#include "http.h"

/* Process-wide by design: curl keeps its connection cache in the handle. */
static CURL	*http_curl;

static size_t
http_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (buf_put(b, p, size * n) == -1)
		return 0;		/* curl fails with CURLE_WRITE_ERROR */
	return size * n;
}

static int
http_setopts(CURL *c, const struct http_req *r, struct curl_slist *h,
    struct buf *out, char *cerr)
{
	int	 post = strcmp(r->method, "POST") == 0;

	return curl_easy_setopt(c, CURLOPT_URL, r->url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, HTTP_TIMEOUT_MS) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, HTTP_TIMEOUT_MS) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_MAX_BODY) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/"
	    PACKAGE_VERSION) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, out) != CURLE_OK ||
	    (post && curl_easy_setopt(c, CURLOPT_POSTFIELDS,
	    r->json != NULL ? r->json : "") != CURLE_OK) ? -1 : 0;
}

/* The request's headers; NULL when memory ran out. */
static struct curl_slist *
http_headers(const struct http_req *r, struct buf *auth)
{
	struct curl_slist	*h = NULL, *n;
	size_t			 i;

	if ((n = curl_slist_append(h, "Accept: application/json")) == NULL)
		return NULL;
	h = n;
	/* No "Expect: 100-continue": a receiver answers a body it has whole. */
	if (r->json != NULL) {
		if ((n = curl_slist_append(h, "Content-Type: application/json")) ==
		    NULL)
			goto fail;
		h = n;
		if ((n = curl_slist_append(h, "Expect:")) == NULL)
			goto fail;
		h = n;
	}
	if (r->bearer != NULL) {
		if (buf_printf(auth, "Authorization: Bearer %s", r->bearer) == -1 ||
		    (n = curl_slist_append(h, buf_cstr(auth))) == NULL)
			goto fail;
		h = n;
	}
	for (i = 0; r->headers != NULL && r->headers[i] != NULL; i++) {
		if ((n = curl_slist_append(h, r->headers[i])) == NULL)
			goto fail;
		h = n;
	}
	return h;
fail:
	curl_slist_free_all(h);
	return NULL;
}

enum http_rc
http_do(const struct http_req *r, long *status, struct buf *out, char *err,
    size_t errsz)
{
	struct curl_slist	*h = NULL;
	struct buf		 auth;
	char			 cerr[CURL_ERROR_SIZE] = "";
	char			*ct = NULL;
	CURLcode		 cc;
	enum http_rc		 rc = HTTP_EFAIL;

	*status = 0;
	buf_init(&auth, 1024);
	snprintf(err, errsz, "out of memory");
	if (http_curl == NULL && (http_curl = curl_easy_init()) == NULL)
		goto out;
	curl_easy_reset(http_curl);
	if ((h = http_headers(r, &auth)) == NULL ||
	    http_setopts(http_curl, r, h, out, cerr) == -1)
		goto out;
	if ((cc = curl_easy_perform(http_curl)) != CURLE_OK) {
		snprintf(err, errsz, "%s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(http_curl, CURLINFO_RESPONSE_CODE, status);
	if (r->ctype != NULL && r->ctypesz > 0) {
		if (curl_easy_getinfo(http_curl, CURLINFO_CONTENT_TYPE, &ct) !=
		    CURLE_OK || ct == NULL)
			ct = "";
		snprintf(r->ctype, r->ctypesz, "%s", ct);
	}
	err[0] = '\0';
	rc = HTTP_OK;
out:
	curl_slist_free_all(h);
	buf_free(&auth);
	return rc;
}

int
http_urlenc(struct buf *b, const char *s)
{
	return buf_urlenc(b, s);
}

void
http_free(void)
{
	curl_easy_cleanup(http_curl);
	http_curl = NULL;
}
