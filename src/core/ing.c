#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "ing_int.h"
#include "jparse.h"

static const char *const fmt_names[ING_FMT__MAX] = {
	"auto", "hub", "neynar", "jsonl",
};

/* Top-level keys that decide a document's shape, first match wins. */
static const struct {
	const char	*key;
	enum ing_format	 fmt;
} shape_keys[] = {
	{ "messages", ING_FMT_HUB },
	{ "events", ING_FMT_HUB },
	{ "data", ING_FMT_HUB },
	{ "errCode", ING_FMT_HUB },
	{ "error", ING_FMT_HUB },
	{ "casts", ING_FMT_NEYNAR },
	{ "cast", ING_FMT_NEYNAR },
	{ "notifications", ING_FMT_NEYNAR },
	{ "conversation", ING_FMT_NEYNAR },
	{ "result", ING_FMT_NEYNAR },
	{ "message", ING_FMT_NEYNAR },		/* a Neynar error */
	{ "type", ING_FMT_JSONL },
	{ "hash", ING_FMT_JSONL },
	{ "fid", ING_FMT_JSONL },
};

const char *
ing_format_name(enum ing_format f)
{
	if ((int)f < 0 || f >= ING_FMT__MAX)
		return "unknown";
	return fmt_names[f];
}

int
ing_format_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < ING_FMT__MAX; i++)
		if (strcmp(s, fmt_names[i]) == 0)
			return i;
	return -1;
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

static enum ing_format
shape(struct json_object *o)
{
	size_t	 i;

	if (!json_object_is_type(o, json_type_object))
		return ING_FMT_AUTO;
	for (i = 0; i < sizeof(shape_keys) / sizeof(shape_keys[0]); i++)
		if (json_object_object_get_ex(o, shape_keys[i].key, NULL))
			return shape_keys[i].fmt;
	return ING_FMT_AUTO;
}

/*
 * Skips a UTF-8 BOM and blanks.  A first line that is a whole JSON object
 * followed by more lines means JSON Lines; otherwise the top-level keys of
 * the one document decide (see shape_keys).  ING_FMT_AUTO: cannot tell.
 */
enum ing_format
ing_sniff(const char *buf, size_t len)
{
	struct json_object	*o;
	struct ing_why		 w;
	const char		*nl;
	size_t			 end, first;
	enum ing_format		 f = ING_FMT_AUTO;

	if (buf == NULL)
		return ING_FMT_AUTO;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	while (len > 0 && ing_blank(buf, 1)) {
		buf++;
		len--;
	}
	if (len == 0 || *buf != '{')
		return ING_FMT_AUTO;
	nl = memchr(buf, '\n', len);
	first = nl == NULL ? len : (size_t)(nl - buf);
	if ((o = ing_json_parse(buf, first, &end, &w)) != NULL &&
	    ing_blank(buf + end, first - end) && !ing_blank(nl == NULL ?
	    buf : nl, nl == NULL ? 0 : len - first)) {
		json_object_put(o);
		return ING_FMT_JSONL;
	}
	json_object_put(o);
	if ((o = ing_json_parse(buf, len, &end, &w)) == NULL)
		return ING_FMT_AUTO;
	if (ing_blank(buf + end, len - end))
		f = shape(o);
	json_object_put(o);
	return f;
}

/* Each line one record; recno counts lines, blank ones too. */
static int
jsonl_doc(struct ing_ctx *c, const char *s, size_t len)
{
	const char	*nl;
	size_t		 n;

	while (len > 0) {
		nl = memchr(s, '\n', len);
		n = nl == NULL ? len : (size_t)(nl - s);
		c->recno++;
		if (!ing_blank(s, n)) {
			if (c->page != NULL)
				c->page->nrecords++;
			if (ing_jsonl_line(c, s, n) == -2)
				return -2;
		}
		if (nl == NULL)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return 0;
}

static int
json_doc(struct ing_ctx *c, const char *s, size_t len, enum ing_format f)
{
	struct json_object	*o;
	struct ing_why		 w;
	size_t			 end;
	int			 rc = -1;

	if ((o = ing_json_parse(s, len, &end, &w)) == NULL) {
		ing_page_err(c->page, "%s", w.msg);
		return -1;
	}
	if (!ing_blank(s + end, len - end)) {
		if (f == ING_FMT_AUTO && ing_sniff(s, len) == ING_FMT_JSONL) {
			rc = jsonl_doc(c, s, len);
			goto out;
		}
		ing_page_err(c->page, "trailing data after the JSON document");
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		ing_page_err(c->page, "not a JSON object");
		goto out;
	}
	if (f == ING_FMT_AUTO)
		f = shape(o);
	switch (f) {
	case ING_FMT_HUB:
		rc = ing_hub_doc(c, o);
		break;
	case ING_FMT_NEYNAR:
		rc = ing_neynar_doc(c, o);
		break;
	case ING_FMT_JSONL:
		ing_next(c);
		rc = ing_jsonl_obj(c, o);
		break;
	default:
		ing_page_err(c->page, "unknown document shape");
		break;
	}
out:
	json_object_put(o);
	return rc;
}

int
ing_parse_doc(struct arena *a, const char *json, size_t len,
    enum ing_format f, const struct ing_sink *sink, long *recno,
    struct ing_page *page)
{
	struct ing_page	 lpage;
	struct ing_ctx	 c;
	long		 lrecno = 0;
	int		 rc;

	if (page == NULL)
		page = &lpage;
	if (recno == NULL)
		recno = &lrecno;
	memset(page, 0, sizeof(*page));
	ing_ctx_init(&c, a, sink, page);
	c.recno = *recno;
	if (json == NULL || (int)f < 0 || f >= ING_FMT__MAX) {
		ing_page_err(page, "no document");
		return -1;
	}
	if (f == ING_FMT_JSONL)
		rc = jsonl_doc(&c, json, len);
	else
		rc = json_doc(&c, json, len, f);
	*recno = c.recno;
	return rc;
}

int
ing_parse_line(struct arena *a, const char *line, size_t len, long recno,
    const struct ing_sink *sink)
{
	struct ing_ctx	 c;

	if (line == NULL || ing_blank(line, len))
		return 0;
	ing_ctx_init(&c, a, sink, NULL);
	c.recno = recno;
	return ing_jsonl_line(&c, line, len);
}
