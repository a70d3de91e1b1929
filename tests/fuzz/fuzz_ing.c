/*
 * libFuzzer target for the ingest parsers: the first byte picks the format
 * (auto, Hub, Neynar, JSON Lines), the rest is a document.  Every record
 * handed to the sink must satisfy the contract of ing.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/valid.h"
#include "reply/ing.h"

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
	if (data[0] % 4 == 3)
		(void)ing_parse_line(a, (const char *)data + 1, size - 1, 1, &sink);
	else
		(void)ing_parse_doc(a, (const char *)data + 1, size - 1,
		    (enum ing_format)(data[0] % 4 == 0 ? ING_FMT_AUTO :
		    data[0] % 4 == 1 ? ING_FMT_HUB : ING_FMT_NEYNAR), &sink,
		    &recno, &page);
	arena_free(a);
	return 0;
}
