#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json.h>

#include "config.h"
#include "core/buf.h"
#include "core/jparse.h"
#include "hub.h"

#define HUB_RETRY_AFTER_MAX_MS	60000L

struct hub {
	CURL			*curl;
	char			*url;
	struct hub_cfg		 cfg;
	volatile sig_atomic_t	*stop;
	long			 retry_after_ms;	/* of the last response; -1 none */
	char			 curl_err[CURL_ERROR_SIZE];
};

/* One attempt's outcome. */
enum hub_try {
	TRY_OK = 0,
	TRY_RETRY,		/* worth another attempt */
	TRY_HUB,		/* the hub said no */
	TRY_FAIL		/* ours: not worth another attempt */
};

void
hub_cfg_default(struct hub_cfg *c)
{
	c->connect_ms = 5000;
	c->timeout_ms = 60000;
	c->attempts = 6;
	c->backoff_ms = 100;
	c->backoff_max_ms = 5000;
	c->max_body = HUB_MAX_BODY;
}

struct hub *
hub_new(const char *url, const struct hub_cfg *cfg,
    volatile sig_atomic_t *stop)
{
	struct hub	*h;
	size_t		 len;

	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->cfg = *cfg;
	h->stop = stop;
	if ((h->url = strdup(url)) == NULL || (h->curl = curl_easy_init()) == NULL) {
		hub_free(h);
		return NULL;
	}
	len = strlen(h->url);
	while (len > 0 && h->url[len - 1] == '/')
		h->url[--len] = '\0';
	return h;
}

void
hub_free(struct hub *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->url);
	free(h);
}

const char *
hub_url(const struct hub *h)
{
	return h->url;
}

int
hub_query(struct hub *h, struct buf *q, const char *name, const char *value)
{
	char	*e;
	int	 rc;

	if ((e = curl_easy_escape(h->curl, value, 0)) == NULL)
		return -1;
	rc = buf_printf(q, "%s%s=%s", q->len > 0 ? "&" : "", name, e);
	curl_free(e);
	return rc;
}

static size_t
hub_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (buf_put(b, p, size * n) == -1)
		return 0;		/* curl fails with CURLE_WRITE_ERROR */
	return size * n;
}

/* Only Retry-After in seconds; the HTTP-date form is rare from hubs. */
static size_t
hub_header(char *p, size_t size, size_t n, void *arg)
{
	struct hub	*h = arg;
	size_t		 len = size * n, i = 12;
	long		 v = 0;

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < len && isdigit((unsigned char)p[i])) {
			for (; i < len && isdigit((unsigned char)p[i]) &&
			    v <= HUB_RETRY_AFTER_MAX_MS; i++)
				v = v * 10 + (p[i] - '0');
			h->retry_after_ms = v * 1000 > HUB_RETRY_AFTER_MAX_MS ?
			    HUB_RETRY_AFTER_MAX_MS : v * 1000;
		}
	}
	return len;
}

/* Copies s into out with control bytes made visible: hub text goes to logs. */
static void
hub_clean(char *out, size_t outsz, const char *s)
{
	size_t	 i;

	for (i = 0; i + 1 < outsz && s[i] != '\0'; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
}

/* The message of a Hub error object ({"errCode",...} or {"error",...}). */
static void
hub_describe(const struct buf *b, long status, char *err, size_t errsz)
{
	struct json_object	*o, *e = NULL, *d = NULL;
	char			 ms[200] = "", ds[200] = "";

	/* An error answer is small and flat: a client's limit. */
	if (jparse_object(b->ptr, b->len, JPARSE_DEPTH, &o, NULL, 0) ==
	    JPARSE_OK) {
		if ((json_object_object_get_ex(o, "errCode", &e) &&
		    json_object_object_get_ex(o, "details", &d)) ||
		    (json_object_object_get_ex(o, "error", &e) &&
		    json_object_object_get_ex(o, "error_detail", &d)) ||
		    json_object_object_get_ex(o, "errCode", &e) ||
		    json_object_object_get_ex(o, "error", &e)) {
			hub_clean(ms, sizeof(ms), json_object_get_string(e));
			if (d != NULL)
				hub_clean(ds, sizeof(ds), json_object_get_string(d));
		}
	}
	json_object_put(o);
	if (ms[0] == '\0')
		snprintf(err, errsz, "HTTP %ld", status);
	else if (ds[0] == '\0')
		snprintf(err, errsz, "HTTP %ld: %s", status, ms);
	else
		snprintf(err, errsz, "HTTP %ld: %s: %s", status, ms, ds);
}

/* The whole body must be one JSON document: a cut page is not. */
static struct json_object *
hub_parse(const struct buf *b)
{
	struct json_object	*o;

	if (jparse(b->ptr, b->len, JPARSE_DEPTH_DOC, &o, NULL, 0) != JPARSE_OK)
		return NULL;
	return o;
}

static int
hub_setopts(struct hub *h, const char *url, struct buf *body)
{
	CURL	*c = h->curl;

	curl_easy_reset(c);
	return curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->cfg.connect_ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->cfg.timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->cfg.max_body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "-ingest/"
	    PACKAGE_VERSION) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curl_err) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, hub_write) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, hub_header) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERDATA, h) != CURLE_OK ? -1 : 0;
}

static enum hub_try
hub_try(struct hub *h, const char *url, struct buf *body,
    struct json_object **doc, char *err, size_t errsz)
{
	CURLcode	 cc;
	long		 status = 0;

	buf_reset(body);
	h->retry_after_ms = -1;
	h->curl_err[0] = '\0';
	if (hub_setopts(h, url, body) == -1) {
		snprintf(err, errsz, "curl_easy_setopt failed");
		return TRY_FAIL;
	}
	if ((cc = curl_easy_perform(h->curl)) != CURLE_OK) {
		snprintf(err, errsz, "%s", h->curl_err[0] != '\0' ?
		    h->curl_err : curl_easy_strerror(cc));
		if (cc == CURLE_WRITE_ERROR || cc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(err, errsz, "response larger than %zu bytes",
			    h->cfg.max_body);
			return TRY_FAIL;
		}
		return cc == CURLE_OUT_OF_MEMORY || cc == CURLE_URL_MALFORMAT ||
		    cc == CURLE_UNSUPPORTED_PROTOCOL ? TRY_FAIL : TRY_RETRY;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 429 || status >= 500) {
		hub_describe(body, status, err, errsz);
		return TRY_RETRY;
	}
	if (status != 200) {
		hub_describe(body, status, err, errsz);
		return TRY_HUB;
	}
	if ((*doc = hub_parse(body)) == NULL) {
		snprintf(err, errsz, "not one complete JSON document "
		    "(%zu bytes)", body->len);
		return TRY_RETRY;
	}
	return TRY_OK;
}

/* Full jitter on the upper half: [w/2, w]; Retry-After wins when longer. */
static long
hub_backoff(const struct hub *h, int attempt)
{
	long	 w = h->cfg.backoff_ms;
	int	 i;

	for (i = 1; i < attempt && w < h->cfg.backoff_max_ms; i++)
		w *= 2;
	if (w > h->cfg.backoff_max_ms)
		w = h->cfg.backoff_max_ms;
	w = w / 2 + (w > 1 ? random() % (w / 2 + 1) : 0);
	if (h->retry_after_ms > w)
		w = h->retry_after_ms;
	return w;
}

/* Sleeps ms in small steps; 0, or -1 when *stop was set. */
static int
hub_sleep(const struct hub *h, long ms)
{
	struct timespec	 ts;
	long		 step;

	while (ms > 0) {
		if (h->stop != NULL && *h->stop)
			return -1;
		step = ms > 50 ? 50 : ms;
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		if (nanosleep(&ts, NULL) == -1 && errno != EINTR)
			return -1;
		ms -= step;
	}
	return 0;
}

enum hub_rc
hub_get(struct hub *h, const char *path, const char *query, struct buf *body,
    struct json_object **doc, char *err, size_t errsz)
{
	struct buf		 url;
	struct json_object	*o = NULL;
	enum hub_try		 t = TRY_FAIL;
	enum hub_rc		 rc = HUB_EFAIL;
	long			 wait;
	int			 attempt;

	buf_init(&url, 16384);
	if (buf_printf(&url, "%s%s%s%s", h->url, path, query[0] != '\0' ?
	    "?" : "", query) == -1) {
		snprintf(err, errsz, "URL too long");
		goto out;
	}
	for (attempt = 1; attempt <= h->cfg.attempts; attempt++) {
		if ((t = hub_try(h, url.ptr, body, &o, err, errsz)) != TRY_RETRY ||
		    attempt == h->cfg.attempts)
			break;
		wait = hub_backoff(h, attempt);
		fprintf(stderr, "replycast-ingest: GET %s: %s; attempt %d of %d "
		    "in %ld ms\n", url.ptr, err, attempt + 1, h->cfg.attempts,
		    wait);
		if (hub_sleep(h, wait) == -1) {
			rc = HUB_ESTOP;
			goto out;
		}
	}
	rc = t == TRY_OK ? HUB_OK : t == TRY_HUB ? HUB_EHUB : HUB_EFAIL;
	if (t == TRY_RETRY) {
		size_t	 n = strlen(err);

		snprintf(err + n, errsz - n, " (after %d attempts)",
		    h->cfg.attempts);
	}
out:
	if (rc == HUB_OK && doc != NULL)
		*doc = o;
	else
		json_object_put(o);
	buf_free(&url);
	return rc;
}
