/*
 * libFuzzer target for the ingest parsers: the first byte picks the format
 * (auto, Hub, Neynar, JSON Lines), the rest is a document.  Every record
 * handed to the sink must satisfy the contract of ing.h, and a line the
 * JSON Lines fast path reads must give the record the json-c path gives.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/valid.h"
#include "reply/ing_int.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
rec(void *arg, const struct ing_rec *r)
{
	(void)arg;
	if (r->kind == ING_CAST) {
		if (strlen(r->u.cast.hash) != ING_HASH_LEN ||
		    r->u.cast.text == NULL ||
		    strlen(r->u.cast.text) > ING_MAX_TEXT ||
		    valid_utf8(r->u.cast.text, strlen(r->u.cast.text)) != 0 ||
		    r->u.cast.time < ING_MIN_TIME || r->u.cast.fid <= 0 ||
		    r->u.cast.nmentions > ING_MAX_MENTIONS)
			abort();
	}
	return 0;
}

static int
bad(void *arg, long recno, const char *reason)
{
	(void)arg;
	(void)recno;
	if (reason == NULL || *reason == '\0')
		abort();
	return 0;
}

/* The last record the json-c path gave, and how many. */
struct slow_got {
	struct ing_rec	 rec;
	int		 n;
};

static int
slow_rec(void *arg, const struct ing_rec *r)
{
	struct slow_got	*g = arg;

	g->rec = *r;
	g->n++;
	return 0;
}

static void
fast_vs_slow(struct arena *a, const char *line, size_t len)
{
	struct slow_got	 g;
	const struct ing_sink sink = { slow_rec, NULL, &g };
	struct ing_ctx	 c;
	struct ing_rec	 r;

	memset(&g, 0, sizeof(g));
	ing_ctx_init(&c, a, &sink, NULL);
	c.recno = 1;
	if (ing_jsonl_fast(&c, line, len, &r) != 1)
		return;
	(void)ing_jsonl_slow(&c, line, len);
	if (g.n != 1 || g.rec.kind != ING_CAST ||
	    !ing_cast_same(&r.u.cast, &g.rec.u.cast))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ing_sink	 sink = { rec, bad, NULL };
	struct ing_page		 page;
	struct arena		*a;
	long			 recno = 0;

	if (size < 1 || (a = arena_new(16384)) == NULL)
		return 0;
	memset(&page, 0, sizeof(page));
	if (data[0] % 4 == 3) {
		(void)ing_parse_line(a, (const char *)data + 1, size - 1, 1, &sink);
		fast_vs_slow(a, (const char *)data + 1, size - 1);
	} else
		(void)ing_parse_doc(a, (const char *)data + 1, size - 1,
		    (enum ing_format)(data[0] % 4 == 0 ? ING_FMT_AUTO :
		    data[0] % 4 == 1 ? ING_FMT_HUB : ING_FMT_NEYNAR), &sink,
		    &recno, &page);
	arena_free(a);
	return 0;
}
