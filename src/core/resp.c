#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>
#include <json.h>

#include "resp.h"

#define RESP_MAXHDRS	(16u * 1024u)
#define RESP_KEEP	(256u * 1024u)	/* body bytes kept for the next response */

void
resp_init(struct resp *r)
{
	buf_init(&r->hdrs, RESP_MAXHDRS);
	buf_init(&r->body, 0);
	resp_reset(r);
}

void
resp_free(struct resp *r)
{
	if (r == NULL)
		return;
	buf_free(&r->hdrs);
	buf_free(&r->body);
}

void
resp_reset(struct resp *r)
{
	r->status = 200;
	r->streamed = 0;
	r->ctype[0] = '\0';
	buf_reset(&r->hdrs);
	/* A large body's memory goes with it: the next is most likely small. */
	if (r->body.cap > RESP_KEEP)
		buf_free(&r->body);
	buf_reset(&r->body);
}

static int
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

int
resp_header(struct resp *r, const char *name, const char *value)
{
	const char	*p;

	if (*name == '\0')
		return -1;
	for (p = name; *p != '\0'; p++)
		if (!is_tchar((unsigned char)*p))
			return -1;
	if (strpbrk(value, "\r\n") != NULL)
		return -1;
	if (buf_printf(&r->hdrs, "%s: %s\r\n", name, value) == -1)
		return -1;
	return 0;
}

int
resp_ctype(struct resp *r, const char *ct)
{
	size_t	 n = strlen(ct);

	if (n >= sizeof(r->ctype) || strpbrk(ct, "\r\n") != NULL)
		return -1;
	memcpy(r->ctype, ct, n + 1);
	return 0;
}

int
resp_json(struct resp *r, int status, struct json_object *obj)
{
	const char	*s;
	int		 rc = -1;

	if (obj == NULL)
		return -1;
	buf_reset(&r->body);
	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL && buf_puts(&r->body, s) == 0 &&
	    buf_putc(&r->body, '\n') == 0) {
		r->status = status;
		rc = resp_ctype(r, "application/json");
	}
	json_object_put(obj);
	return rc;
}

int
resp_problem(struct resp *r, enum problem p, const char *detail,
    const char *request_id, struct json_object *ext)
{
	buf_reset(&r->body);
	r->status = problem_status(p);
	/* A database or Redis that is away: a failover takes seconds. */
	if (p == PROB_UNAVAILABLE && resp_header(r, "Retry-After", "2") == -1)
		return -1;
	if (problem_json(&r->body, p, detail, NULL, request_id, ext) == -1 ||
	    buf_putc(&r->body, '\n') == -1)
		return -1;
	return resp_ctype(r, "application/problem+json");
}

const char *
resp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/*
 * libfcgi's FCGX_FPrintF does not know %zu, so every line is formatted with
 * snprintf and written with FCGX_PutStr.
 */
static int
put(FCGX_Stream *out, const char *p, size_t n)
{
	while (n > 0) {
		int	 chunk = n > 65536 ? 65536 : (int)n;

		if (FCGX_PutStr(p, chunk, out) != chunk)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int
resp_write(struct resp *r, FCGX_Stream *out, int head_only)
{
	char	 head[256];
	int	 n;
	int	 nobody = r->status == 204 || r->status == 304;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\n", r->status,
	    resp_reason(r->status));
	if (n < 0 || (size_t)n >= sizeof(head) || put(out, head, (size_t)n))
		return -1;
	if (!nobody) {
		n = snprintf(head, sizeof(head),
		    "Content-Type: %s\r\nContent-Length: %lu\r\n",
		    r->ctype[0] ? r->ctype : "text/plain; charset=utf-8",
		    (unsigned long)r->body.len);
		if (n < 0 || (size_t)n >= sizeof(head) ||
		    put(out, head, (size_t)n))
			return -1;
	}
	if (put(out, r->hdrs.ptr == NULL ? "" : r->hdrs.ptr, r->hdrs.len) ||
	    put(out, "\r\n", 2))
		return -1;
	if (!head_only && !nobody && put(out, buf_cstr(&r->body), r->body.len))
		return -1;
	return 0;
}

int
resp_stream_begin(struct resp *r, FCGX_Stream *out)
{
	char	 head[256];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\nContent-Type: %s\r\n",
	    r->status, resp_reason(r->status),
	    r->ctype[0] ? r->ctype : "text/plain; charset=utf-8");
	if (n < 0 || (size_t)n >= sizeof(head) || put(out, head, (size_t)n) ||
	    put(out, r->hdrs.ptr == NULL ? "" : r->hdrs.ptr, r->hdrs.len) ||
	    put(out, "\r\n", 2))
		return -1;
	r->streamed = 1;
	return 0;
}

int
resp_stream_put(FCGX_Stream *out, const char *p, size_t n)
{
	return put(out, p, n);
}
