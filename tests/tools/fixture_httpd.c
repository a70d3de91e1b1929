/*
 * fixture_httpd PORT DIR: a stand-in Farcaster Hub for the integration
 * tests.  Single-threaded, HTTP/1.0 and 1.1, every answer Connection: close,
 * bound to 127.0.0.1:PORT.  Prints "ready" on stdout once listening, one
 * line per request on stderr; exits 3 when the port is taken.
 *
 * GET /PATH?QUERY is answered from DIR/PATH/QUERY.json, where QUERY is the
 * query as sent (still URL-encoded) minus its pageSize parameter, e.g.
 *   /v1/castsByFid?fid=500&pageSize=100&pageToken=abc
 *     -> DIR/v1/castsByFid/fid=500&pageToken=abc.json
 * No query: DIR/PATH/index.json.  No file: 404 with a Hub error object.
 * Sidecar files next to NAME.json change the answer:
 *   NAME.fail   "STATUS COUNT [RETRY_AFTER]": the first COUNT requests get
 *               STATUS (e.g. 429, 500), with Retry-After when given
 *   NAME.cut    the first request gets only the first half of the body
 *   NAME.delay  "MS": every request waits MS milliseconds before answering
 *   NAME.type   a Content-Type for the answer instead of application/json
 *               (the avatar cache's pictures)
 * Counts live in memory: they start again with each server.
 *
 * It also stands in for a Farcaster relay (AuthKit's channel API):
 *   POST /v1/channel  {"nonce":...}: makes channel token chan-N, saves the
 *               request body as DIR/v1/channel/chan-N.req.json and answers
 *               201 {channelToken, url: farcaster://connect?..., nonce}
 *   GET /v1/channel/status with Authorization: Bearer chan-N: 200 with
 *               DIR/v1/channel/chan-N.json when the test wrote it (a
 *               completed channel), else 202 {"state":"pending"} for a
 *               channel it made, else 401
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fx_net.h"

#define FX_MAX_REQ	8192
#define FX_MAX_FILE	(16L * 1024 * 1024)
#define FX_MAX_SEEN	512

struct fx_seen {
	char	 name[PATH_MAX];
	long	 hits;
};

static struct fx_seen	 fx_seen[FX_MAX_SEEN];
static size_t		 fx_nseen;
static const char	*fx_dir;

/* How many requests for name came before this one. */
static long
fx_hit(const char *name)
{
	size_t	 i;

	for (i = 0; i < fx_nseen; i++)
		if (strcmp(fx_seen[i].name, name) == 0)
			return fx_seen[i].hits++;
	if (fx_nseen == FX_MAX_SEEN)
		return 0;
	snprintf(fx_seen[fx_nseen].name, sizeof(fx_seen[0].name), "%s", name);
	fx_seen[fx_nseen++].hits = 1;
	return 0;
}

/* Reads a whole file; NULL when missing or too large. */
static char *
fx_read(const char *path, size_t *len)
{
	FILE	*f;
	char	*p = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n <= FX_MAX_FILE && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		if (fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

/* The query minus pageSize, into out; -1 when it does not fit. */
static int
fx_query(const char *q, char *out, size_t outsz)
{
	const char	*amp;
	size_t		 n, o = 0;

	out[0] = '\0';
	while (q != NULL && *q != '\0') {
		amp = strchr(q, '&');
		n = amp != NULL ? (size_t)(amp - q) : strlen(q);
		if (n > 0 && strncmp(q, "pageSize=", 9) != 0) {
			if (o + n + 2 > outsz)
				return -1;
			if (o > 0)
				out[o++] = '&';
			memcpy(out + o, q, n);
			o += n;
			out[o] = '\0';
		}
		q = amp != NULL ? amp + 1 : NULL;
	}
	return 0;
}

/* DIR/PATH/QUERY.json from the request target; -1 when refused. */
static int
fx_name(char *target, char *name, size_t namesz)
{
	char	 q[PATH_MAX], *qs;
	int	 n;

	if (target[0] != '/' || strstr(target, "..") != NULL)
		return -1;
	if ((qs = strchr(target, '?')) != NULL)
		*qs++ = '\0';
	if (fx_query(qs, q, sizeof(q)) == -1 || strchr(q, '/') != NULL)
		return -1;
	n = snprintf(name, namesz, "%s%s/%s.json", fx_dir, target,
	    q[0] != '\0' ? q : "index");
	return n < 0 || (size_t)n >= namesz ? -1 : 0;
}


/* The Content-Type of the next answer ("": JSON); set by fx_serve. */
static char	 fx_type[128];

static void
fx_answer(int fd, int status, long retry_after, const char *body, size_t len)
{
	char	 head[512], ra[64] = "";
	int	 n;

	if (retry_after >= 0)
		snprintf(ra, sizeof(ra), "Retry-After: %ld\r\n", retry_after);
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "%sConnection: close\r\n\r\n", status,
	    status == 200 ? "OK" : status == 201 ? "Created" :
	    status == 202 ? "Accepted" : status == 401 ? "Unauthorized" :
	    status == 404 ? "Not Found" :
	    status == 429 ? "Too Many Requests" : "Error",
	    fx_type[0] != '\0' ? fx_type : "application/json", len, ra);
	if (n > 0 && (size_t)n < sizeof(head) &&
	    fx_write(fd, head, (size_t)n) == 0)
		(void)fx_write(fd, body, len);
}

/* Reads a sidecar "NAME.ext" of at most a line; 0 when present. */
static int
fx_side(const char *name, const char *ext, char *out, size_t outsz)
{
	char	 p[PATH_MAX + 16], *s;
	size_t	 len;
	int	 n;

	n = snprintf(p, sizeof(p), "%.*s.%s", (int)(strlen(name) - 5), name, ext);
	if (n < 0 || (size_t)n >= sizeof(p) || (s = fx_read(p, &len)) == NULL)
		return -1;
	snprintf(out, outsz, "%s", s);
	free(s);
	return 0;
}

static void
fx_delay(const char *name)
{
	struct timespec	 ts;
	char		 v[64];
	long		 ms;

	if (fx_side(name, "delay", v, sizeof(v)) == -1 ||
	    (ms = strtol(v, NULL, 10)) <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Answers one request for the file name; returns the status sent. */
static int
fx_serve(int fd, const char *name)
{
	static const char	 nf[] = "{\"errCode\":\"not_found\","
				    "\"details\":\"no fixture for this request\"}";
	static const char	 err[] = "{\"errCode\":\"unavailable\","
				    "\"details\":\"fixture failure\"}";
	char			 v[64], *body;
	long			 hit = fx_hit(name), count = 0, ra = -1;
	int			 status = 0;
	size_t			 len;

	fx_delay(name);
	if (fx_side(name, "fail", v, sizeof(v)) == 0 &&
	    sscanf(v, "%d %ld %ld", &status, &count, &ra) >= 2 && hit < count) {
		fx_answer(fd, status, ra, err, sizeof(err) - 1);
		return status;
	}
	if ((body = fx_read(name, &len)) == NULL) {
		fx_answer(fd, 404, -1, nf, sizeof(nf) - 1);
		return 404;
	}
	if (fx_side(name, "cut", v, sizeof(v)) == 0 && hit == 0)
		len /= 2;
	if (fx_side(name, "type", fx_type, sizeof(fx_type)) == -1)
		fx_type[0] = '\0';
	fx_type[strcspn(fx_type, "\r\n")] = '\0';
	fx_answer(fd, 200, -1, body, len);
	fx_type[0] = '\0';
	free(body);
	return 200;
}

static long	 fx_channels;

/* The value of a header line "Name: value" in req into out; -1 when absent. */
static int
fx_header(const char *req, const char *name, char *out, size_t outsz)
{
	const char	*p = req;
	size_t		 n = strlen(name), v;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			v = strcspn(p, "\r\n");
			if (v >= outsz)
				return -1;
			memcpy(out, p, v);
			out[v] = '\0';
			return 0;
		}
	}
	return -1;
}

/* Letters, digits and '-' only: safe in a file name and in JSON. */
static int
fx_word(const char *s, size_t max)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (i == max || !(isalnum((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return i > 0;
}

/* POST /v1/channel: the body follows the headers already read. */
static int
fx_channel_open(int fd, char *req, size_t len)
{
	char		 cl[24], body[FX_MAX_REQ + 1], nonce[129] = "", tok[32];
	char		 path[PATH_MAX], ans[1024];
	const char	*b, *q;
	size_t		 have, want, n;
	ssize_t		 r;
	FILE		*f;

	if ((b = strstr(req, "\r\n\r\n")) == NULL ||
	    fx_header(req, "Content-Length", cl, sizeof(cl)) == -1 ||
	    (want = strtoul(cl, NULL, 10)) > FX_MAX_REQ)
		return 400;
	b += 4;
	have = len - (size_t)(b - req);
	memcpy(body, b, have > want ? want : have);
	while (have < want && (r = read(fd, body + have, want - have)) > 0)
		have += (size_t)r;
	body[want] = '\0';
	if ((q = strstr(body, "\"nonce\":\"")) != NULL) {
		q += 9;
		n = strcspn(q, "\"");
		if (n < sizeof(nonce)) {
			memcpy(nonce, q, n);
			nonce[n] = '\0';
		}
	}
	if (!fx_word(nonce, 128))
		return 400;
	snprintf(tok, sizeof(tok), "chan-%ld", ++fx_channels);
	snprintf(path, sizeof(path), "%s/v1/channel/%s.req.json", fx_dir, tok);
	if ((f = fopen(path, "w")) == NULL)
		return 500;
	fputs(body, f);
	fclose(f);
	n = (size_t)snprintf(ans, sizeof(ans), "{\"channelToken\":\"%s\","
	    "\"url\":\"farcaster://connect?channelToken=%s&nonce=%s\","
	    "\"nonce\":\"%s\"}", tok, tok, nonce, nonce);
	fx_answer(fd, 201, -1, ans, n);
	return 201;
}

/* GET /v1/channel/status: the test's file when it wrote one. */
static int
fx_channel_status(int fd, const char *req)
{
	static const char	 pending[] = "{\"state\":\"pending\"}";
	static const char	 unauth[] = "{\"error\":\"unauthorized\"}";
	char			 auth[160], path[PATH_MAX], *body;
	const char		*tok;
	size_t			 len;

	if (fx_header(req, "Authorization", auth, sizeof(auth)) == -1 ||
	    strncmp(auth, "Bearer ", 7) != 0 || !fx_word(tok = auth + 7, 64)) {
		fx_answer(fd, 401, -1, unauth, sizeof(unauth) - 1);
		return 401;
	}
	snprintf(path, sizeof(path), "%s/v1/channel/%s.json", fx_dir, tok);
	if ((body = fx_read(path, &len)) != NULL) {
		fx_answer(fd, 200, -1, body, len);
		free(body);
		return 200;
	}
	snprintf(path, sizeof(path), "%s/v1/channel/%s.req.json", fx_dir, tok);
	if (access(path, R_OK) == 0) {
		fx_answer(fd, 202, -1, pending, sizeof(pending) - 1);
		return 202;
	}
	fx_answer(fd, 401, -1, unauth, sizeof(unauth) - 1);
	return 401;
}

/* One connection: the request line matters, the headers are read and dropped. */
static void
fx_conn(int fd)
{
	static const char	 bad[] = "{\"errCode\":\"bad_request\"}";
	char			 req[FX_MAX_REQ + 1], target[FX_MAX_REQ];
	char			 name[PATH_MAX];
	size_t			 len = 0;
	ssize_t			 n;
	int			 status;

	while (len < FX_MAX_REQ) {
		if ((n = read(fd, req + len, FX_MAX_REQ - len)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL || strstr(req, "\n\n") != NULL)
			break;
	}
	req[len] = '\0';
	if (strncmp(req, "POST /v1/channel ", 17) == 0) {
		if ((status = fx_channel_open(fd, req, len)) != 201)
			fx_answer(fd, status, -1, bad, sizeof(bad) - 1);
		fprintf(stderr, "POST /v1/channel %d\n", status);
		return;
	}
	if (strncmp(req, "GET /v1/channel/status ", 23) == 0) {
		fprintf(stderr, "GET /v1/channel/status %d\n",
		    fx_channel_status(fd, req));
		return;
	}
	if (sscanf(req, "GET %8191s HTTP/1.", target) != 1 ||
	    fx_name(target, name, sizeof(name)) == -1) {
		fx_answer(fd, 400, -1, bad, sizeof(bad) - 1);
		fprintf(stderr, "bad request 400\n");
		return;
	}
	status = fx_serve(fd, name);
	fprintf(stderr, "GET %s %d\n", name + strlen(fx_dir), status);
}


int
main(int argc, char *argv[])
{
	if (argc != 3) {
		fprintf(stderr, "usage: fixture_httpd PORT DIR\n");
		return 2;
	}
	fx_dir = argv[2];
	signal(SIGPIPE, SIG_IGN);
	return fx_run("fixture_httpd", argv[1], fx_conn);
}
