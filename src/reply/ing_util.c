#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/jparse.h"
#include "ing_int.h"

/*
 * What ing.c and the format files (ing_hub.c, ing_neynar.c, ing_jsonl.c,
 * ing_field.c) share: the parse context, the record reporting and the
 * JSON reader.  Nothing here calls into ing.c or a format file, so the
 * calls go one way: ing.c -> formats -> ing_field.c -> ing_util.c.
 */

void
ing_why(struct ing_why *w, const char *path, const char *reason)
{
	int	 n;

	if (path == NULL)
		n = snprintf(w->msg, sizeof(w->msg), "%s", reason);
	else
		n = snprintf(w->msg, sizeof(w->msg), "%s: %s", path, reason);
	if (n < 0 || (size_t)n >= sizeof(w->msg))
		(void)snprintf(w->msg, sizeof(w->msg), "%s", reason);
}

void
ing_ctx_init(struct ing_ctx *c, struct arena *a, const struct ing_sink *sink,
    struct ing_page *page)
{
	time_t	 now;

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->sink = sink;
	c->page = page;
	/* Without a clock every time is "in the future": fail closed. */
	if ((now = time(NULL)) == (time_t)-1)
		now = 0;
	c->maxtime = (int64_t)now + ING_FUTURE;
}

void
ing_page_err(struct ing_page *p, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	if (n < 0)
		p->error[0] = '\0';
	else if ((size_t)n >= sizeof(p->error))	/* say it was cut */
		memcpy(p->error + sizeof(p->error) - 4, "...", 4);
}

void
ing_next(struct ing_ctx *c)
{
	c->recno++;
	if (c->page != NULL)
		c->page->nrecords++;
}

int
ing_emit(struct ing_ctx *c, struct ing_rec *r)
{
	r->recno = c->recno;
	r->event_id = c->event_id;
	if (c->sink != NULL && c->sink->rec != NULL &&
	    c->sink->rec(c->sink->arg, r) == -1)
		return -2;
	return 0;
}

int
ing_reject(struct ing_ctx *c, const struct ing_why *w)
{
	char	 msg[sizeof(w->msg) + 32];
	int	 n;

	if (c->page != NULL)
		c->page->nbad++;
	if (c->sink == NULL || c->sink->bad == NULL)
		return 0;
	n = snprintf(msg, sizeof(msg), "record %ld: %s", c->recno, w->msg);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -2;	/* cannot happen: msg is sized for it */
	return c->sink->bad(c->sink->arg, c->recno, msg) == -1 ? -2 : 0;
}

int
ing_blank(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

/*
 * Parses the first JSON value in s (core/jparse.h, JPARSE_DEPTH_DOC); *end
 * is where it stopped.  NULL with a reason in w.
 */
struct json_object *
ing_json_parse(const char *s, size_t len, size_t *end, struct ing_why *w)
{
	struct json_object	*o;
	enum jparse_err		 e;
	char			 why[128];

	e = jparse_first(s, len, JPARSE_DEPTH_DOC, &o, end, why, sizeof(why));
	if (e == JPARSE_ESIZE || e == JPARSE_ENOMEM)
		ing_why(w, "document", why);
	else if (e != JPARSE_OK)
		ing_why(w, "not JSON", why);
	else if (o == NULL)
		ing_why(w, NULL, "not a JSON object");	/* "null" */
	return o;
}


static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/*
 * Padding, when present, must complete the last quantum; the unused low
 * bits of the last symbol must be zero so that each byte string has one
 * encoding.  Returns the number of bytes written, or -1.
 */
long
ing_base64_decode(const char *s, size_t len, unsigned char *out, size_t outsz)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 acc = 0;
	size_t			 i, pad = 0, n = 0, bits = 0;
	int			 v;

	if (s == NULL && len > 0)
		return -1;
	while (pad < 2 && len > 0 && p[len - 1] == '=') {
		len--;
		pad++;
	}
	if (len % 4 == 1 || (pad > 0 && (len + pad) % 4 != 0))
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = b64_val(p[i])) < 0)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outsz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if ((acc & ((UINT32_C(1) << bits) - 1)) != 0)
		return -1;
	return (long)n;
}

/*
 * A lowercase hex digit's value plus one, 0 for any other byte: a table,
 * because the branches of a range test mispredict on random digits (a
 * sixth of the ingester's time on a bulk load, perf).
 */
static const uint8_t ing_hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int
ing_hash_raw(const char *hash, uint8_t out[ING_HASH_RAW])
{
	size_t	 i;
	unsigned hi, lo;

	if (hash[0] != '0' || hash[1] != 'x')
		return -1;
	/* A NUL is no digit: nothing past the string's end is read. */
	for (i = 0; i < ING_HASH_RAW; i++) {
		if ((hi = ing_hexval[(unsigned char)hash[2 + 2 * i]]) == 0 ||
		    (lo = ing_hexval[(unsigned char)hash[3 + 2 * i]]) == 0)
			return -1;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return hash[ING_HASH_LEN] == '\0' ? 0 : -1;
}
