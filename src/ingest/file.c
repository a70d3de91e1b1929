#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/gate.h"
#include "core/jparse.h"
#include "core/met.h"
#include "ingest.h"

#define INGEST_MAX_DOC	(512u * 1024u * 1024u)

long long
ingest_now_us(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

void
ingest_progress(struct ingest *in, int final)
{
	long long	 now = ingest_now_us();
	double		 secs = (double)(now - in->started_us) / 1e6;
	long long	 n = in->counts.records + (long long)store_pending(in->store);

	if (!in->progress || in->quiet)
		return;
	if (!final && now - in->last_progress_us < 500000)
		return;
	in->last_progress_us = now;
	fprintf(stderr, "\r%lld records, %.0f records/s, %ld bad%s", n,
	    secs > 0 ? (double)n / secs : 0.0, in->bad, final ? "\n" : "");
}

void
ingest_publish(struct ingest *in)
{
	struct store_counts	*c = &in->counts, *p = &in->published;

	met_ing_add(in->met, MET_ING_RECORDS,
	    (uint64_t)(c->records - p->records));
	met_ing_add(in->met, MET_ING_CASTS,
	    (uint64_t)(c->casts_new - p->casts_new));
	met_ing_add(in->met, MET_ING_REMOVALS,
	    (uint64_t)(c->removed - p->removed));
	met_ing_add(in->met, MET_ING_BAD, (uint64_t)(in->bad - in->published_bad));
	*p = *c;
	in->published_bad = in->bad;
}

int
ingest_flush(struct ingest *in, const struct store_cursor *cur)
{
	if (store_flush(in->store, in->conn, cur, &in->counts, in->err,
	    sizeof(in->err)) == -1) {
		fprintf(stderr, "replycast-ingest: %s: batch rolled back: %s\n",
		    in->name, in->err);
		return -1;
	}
	met_ing_add(in->met, MET_ING_BATCHES, 1);
	met_ing_last_run(in->met, (int64_t)time(NULL));
	ingest_publish(in);
	ingest_bump(in, NULL);
	return 0;
}

int
ingest_wait(struct ingest *in)
{
	if (store_wait(in->store, in->conn, &in->counts, in->err,
	    sizeof(in->err)) == -1) {
		fprintf(stderr, "replycast-ingest: %s: batch rolled back: %s\n",
		    in->name, in->err);
		return -1;
	}
	ingest_publish(in);
	ingest_bump(in, NULL);
	return 0;
}

void
ingest_bump(struct ingest *in, const char *fids)
{
	struct buf	 b;

	buf_init(&b, 0);
	if (fids == NULL) {
		if (store_take_fids(in->store, &b) == -1)
			goto fail;
		fids = buf_cstr(&b);
	}
	if (in->kv == NULL || *fids == '\0')
		goto out;
	if (gate_bump(in->kv, fids) == 0)
		goto out;
fail:
	if (!in->kv_warned)
		fprintf(stderr, "replycast-ingest: data versions not published "
		    "to Redis: cached figures may stay stale until they "
		    "expire\n");
	in->kv_warned = 1;
out:
	buf_free(&b);
}

static int
sink_rec(void *arg, const struct ing_rec *r)
{
	struct ingest	*in = arg;

	if (store_add(in->store, r) == -1) {
		fprintf(stderr, "replycast-ingest: %s: record %ld: out of "
		    "memory\n", in->name, r->recno);
		return -1;
	}
	if ((long)store_pending(in->store) >= in->batch &&
	    ingest_flush(in, NULL) == -1)
		return -1;
	ingest_progress(in, 0);
	return 0;
}

static int
sink_bad(void *arg, long recno, const char *reason)
{
	struct ingest	*in = arg;

	in->bad++;
	if (!in->quiet || in->strict)
		fprintf(stderr, "%s%s:%ld: %s\n", in->progress ? "\r" : "",
		    in->name, recno, reason);
	if (in->strict) {
		in->stopped = 1;
		return -1;
	}
	return 0;
}

const struct ing_sink ingest_sink = { sink_rec, sink_bad, NULL };

static int
sink_page_rec(void *arg, const struct ing_rec *r)
{
	struct ingest	*in = arg;

	if (store_add(in->store, r) == -1) {
		fprintf(stderr, "replycast-ingest: %s: record %ld: out of "
		    "memory\n", in->name, r->recno);
		return -1;
	}
	return 0;
}

const struct ing_sink ingest_page_sink = { sink_page_rec, sink_bad, NULL };

/* JSON Lines: complete lines are parsed as they arrive, in chunks. */
static int
ingest_lines(struct ingest *in, FILE *f, struct buf *b)
{
	struct ing_sink	 sink = ingest_sink;
	char		 chunk[65536], *nl;
	size_t		 off = 0, n;
	long		 lineno = 0;
	int		 rc = 0, eof = 0;

	sink.arg = in;
	while (rc == 0) {
		while (rc == 0 && off < b->len &&
		    (nl = memchr(b->ptr + off, '\n', b->len - off)) != NULL) {
			rc = ing_parse_line(in->arena, b->ptr + off,
			    (size_t)(nl - (b->ptr + off)), ++lineno, &sink);
			off = (size_t)(nl - b->ptr) + 1;
			arena_reset(in->arena);
		}
		if (rc != 0)
			break;
		memmove(b->ptr, b->ptr + off, b->len - off);
		b->len -= off;
		off = 0;
		if (eof) {
			if (b->len > 0)
				rc = ing_parse_line(in->arena, b->ptr, b->len,
				    ++lineno, &sink);
			break;
		}
		if ((n = fread(chunk, 1, sizeof(chunk), f)) == 0)
			eof = 1;
		else if (buf_put(b, chunk, n) == -1)
			rc = -1;
	}
	if (ferror(f)) {
		fprintf(stderr, "replycast-ingest: %s: read error\n", in->name);
		return -1;
	}
	return rc == 0 ? 0 : -1;
}

/* Hub or Neynar JSON: one document or several, one after another. */
static int
ingest_docs(struct ingest *in, FILE *f, struct buf *b, enum ing_format fmt)
{
	struct ing_sink		 sink = ingest_sink;
	struct ing_page		 page;
	struct json_object	*o;
	char			 chunk[65536], why[128];
	size_t			 n, off = 0, end;
	long			 recno = 0, ndoc = 0;
	enum jparse_err		 e;
	int			 rc = 0;

	sink.arg = in;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_put(b, chunk, n) == -1) {
			fprintf(stderr, "replycast-ingest: %s: larger than "
			    "%u bytes\n", in->name, INGEST_MAX_DOC);
			return -1;
		}
	while (rc == 0) {
		while (off < b->len && strchr(" \t\r\n", b->ptr[off]) != NULL)
			off++;
		if (off >= b->len)
			break;
		/* Where this document ends; ing_parse_doc reads it. */
		e = jparse_first(b->ptr + off, b->len - off, JPARSE_DEPTH_DOC,
		    &o, &end, why, sizeof(why));
		json_object_put(o);
		end += off;
		ndoc++;
		if (e != JPARSE_OK) {
			fprintf(stderr, "%s: document %ld: not JSON: %s\n",
			    in->name, ndoc, why);
			in->bad++;
			rc = -1;
			break;
		}
		memset(&page, 0, sizeof(page));
		rc = ing_parse_doc(in->arena, b->ptr + off, end - off, fmt,
		    &sink, &recno, &page);
		if (rc == -1) {
			fprintf(stderr, "%s: document %ld: %s\n", in->name,
			    ndoc, page.error);
			in->bad++;
			rc = in->strict ? -1 : 0;
			in->stopped = in->strict;
		}
		arena_reset(in->arena);
		off = end;
	}
	return rc == 0 ? 0 : -1;
}

int
ingest_file(struct ingest *in, const char *path)
{
	struct buf	 b;
	FILE		*f;
	char		 chunk[4096];
	size_t		 n;
	enum ing_format	 fmt;
	int		 rc;

	in->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		fprintf(stderr, "replycast-ingest: %s: cannot open\n", path);
		return -1;
	}
	buf_init(&b, INGEST_MAX_DOC);
	n = fread(chunk, 1, sizeof(chunk), f);
	rc = buf_put(&b, chunk, n);
	fmt = in->format != ING_FMT_AUTO ? in->format : ing_sniff(chunk, n);
	if (rc == 0 && fmt == ING_FMT_JSONL)
		rc = ingest_lines(in, f, &b);
	else if (rc == 0)
		rc = ingest_docs(in, f, &b, fmt);
	buf_free(&b);
	if (f != stdin)
		fclose(f);
	return rc;
}
