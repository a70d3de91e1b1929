/*
 * fixture_recv PORT DIR: a receiver of webhooks and mini-app notifications
 * for the alert tests.  Single-threaded, bound to 127.0.0.1:PORT, every
 * answer Connection: close.  Prints "ready" on stdout once listening.
 *
 * Each request is kept as DIR/N.head (request line and headers) and
 * DIR/N.body (the body, byte for byte), N counting from 1, and logged as
 * "N METHOD PATH" on stderr.  The answer for /NAME comes from sidecar
 * files the test writes:
 *   DIR/NAME.status  "STATUS [COUNT]": the first COUNT requests (all when
 *                    no COUNT) get STATUS; default 200
 *   DIR/NAME.answer  the body of a 2xx answer; default {}
 *   DIR/NAME.answer.K  the body for the K-th request for /NAME (from 1)
 *                    instead, when it exists
 *   DIR/NAME.delay   "MS": wait MS milliseconds before answering
 * The request is kept before the wait, so a test sees it arrive.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fx_net.h"

#define RX_MAX_HEAD	16384
#define RX_MAX_BODY	(1024L * 1024)

static const char	*rx_dir;
static long		 rx_n;
static long		 rx_hits[64];
static char		 rx_names[64][64];

/* A sidecar DIR/NAME.EXT into out (at most outsz - 1 bytes); -1 absent. */
static int
rx_side(const char *name, const char *ext, char *out, size_t outsz)
{
	char	 p[PATH_MAX];
	FILE	*f;
	size_t	 n;

	snprintf(p, sizeof(p), "%s/%s.%s", rx_dir, name, ext);
	if ((f = fopen(p, "rb")) == NULL)
		return -1;
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	fclose(f);
	return 0;
}

/* How many requests for name came before this one. */
static long
rx_hit(const char *name)
{
	size_t	 i;

	for (i = 0; i < 64 && rx_names[i][0] != '\0'; i++)
		if (strcmp(rx_names[i], name) == 0)
			return rx_hits[i]++;
	if (i < 64) {
		snprintf(rx_names[i], sizeof(rx_names[i]), "%s", name);
		rx_hits[i] = 1;
	}
	return 0;
}

static void
rx_keep(const char *ext, const char *p, size_t n)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%ld.%s", rx_dir, rx_n, ext);
	if ((f = fopen(path, "wb")) == NULL)
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

/* The answer for /name, after its delay. */
static void
rx_answer(int fd, const char *name)
{
	char		 v[64], body[8192], head[256], ext[32];
	long		 hit = rx_hit(name), count = -1, ms = 0;
	int		 status = 200, n;
	struct timespec	 ts;

	if (rx_side(name, "delay", v, sizeof(v)) == 0 &&
	    (ms = strtol(v, NULL, 10)) > 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
	}
	if (rx_side(name, "status", v, sizeof(v)) == 0 &&
	    sscanf(v, "%d %ld", &status, &count) >= 1 && count >= 0 &&
	    hit >= count)
		status = 200;
	snprintf(ext, sizeof(ext), "answer.%ld", hit + 1);
	if (status / 100 != 2 || (rx_side(name, ext, body, sizeof(body)) == -1 &&
	    rx_side(name, "answer", body, sizeof(body)) == -1))
		snprintf(body, sizeof(body), "{}");
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\nConnection: close\r\n"
	    "\r\n", status, strlen(body));
	if (n > 0 && (size_t)n < sizeof(head) &&
	    fx_write(fd, head, (size_t)n) == 0)
		(void)fx_write(fd, body, strlen(body));
}

/* The Content-Length of the headers in h, or 0. */
static long
rx_length(const char *h)
{
	const char	*p = h;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			return strtol(p + 15, NULL, 10);
	}
	return 0;
}

static void
rx_conn(int fd)
{
	char		 head[RX_MAX_HEAD + 1], method[16], path[256], name[64];
	char		*body = NULL, *end;
	size_t		 len = 0, have, hl;
	long		 want;
	ssize_t		 r;

	while (len < RX_MAX_HEAD) {
		if ((r = read(fd, head + len, RX_MAX_HEAD - len)) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			break;
		}
		len += (size_t)r;
		head[len] = '\0';
		if (strstr(head, "\r\n\r\n") != NULL)
			break;
	}
	head[len] = '\0';
	if ((end = strstr(head, "\r\n\r\n")) == NULL ||
	    sscanf(head, "%15s %255s", method, path) != 2)
		return;
	hl = (size_t)(end - head) + 4;
	want = rx_length(head);
	if (want < 0 || want > RX_MAX_BODY || (body = malloc((size_t)want +
	    1)) == NULL)
		return;
	have = len - hl < (size_t)want ? len - hl : (size_t)want;
	memcpy(body, head + hl, have);
	while (have < (size_t)want && (r = read(fd, body + have,
	    (size_t)want - have)) > 0)
		have += (size_t)r;
	rx_n++;
	rx_keep("head", head, hl);
	rx_keep("body", body, have);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(path + 1, "/?"),
	    path + 1);
	fprintf(stderr, "%ld %s %s\n", rx_n, method, path);
	rx_answer(fd, name[0] != '\0' ? name : "index");
	free(body);
}

int
main(int argc, char *argv[])
{
	char	*e;
	long	 p;

	if (argc != 3 || (p = strtol(argv[1], &e, 10)) < 1 || p > 65535 ||
	    *e != '\0') {
		fprintf(stderr, "usage: fixture_recv PORT DIR\n");
		return 2;
	}
	rx_dir = argv[2];
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	return fx_run("fixture_recv", argv[1], rx_conn);
}
