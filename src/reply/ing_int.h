#ifndef RC_ING_INT_H
#define RC_ING_INT_H
#include <stddef.h>
#include <stdint.h>

/*
 * Shared by the ing_*.c files only: the parse context, the record
 * reporting helpers (ing_util.c) and the typed JSON field readers
 * (ing_field.c).  Not a public API.  What ing.c calls in the format files
 * is in ing_fmt.h, so no file here needs ing.c.
 */

#include "ing.h"

struct json_object;

#define ING_MAX_STR	1024		/* bytes of a URL or profile string */
#define ING_MAX_FID	(INT64_C(1) << 53)
#define ING_FUTURE	86400		/* how far ahead of now a time may be */

/* One parse: where records go and what is counted. */
struct ing_ctx {
	struct arena		*a;
	const struct ing_sink	*sink;
	struct ing_page		*page;		/* NULL for ing_parse_line */
	int64_t			 maxtime;	/* now + ING_FUTURE */
	long			 recno;		/* the record being read */
	int64_t			 event_id;	/* of the Hub event being read */
};

/* Why a record is bad, as "field: reason". */
struct ing_why {
	char	 msg[192];
};

/* Field presence for the readers below. */
#define ING_OPT	0
#define ING_REQ	1

void	 ing_ctx_init(struct ing_ctx *, struct arena *,
	    const struct ing_sink *, struct ing_page *);
void	 ing_why(struct ing_why *, const char *path, const char *reason);
void	 ing_page_err(struct ing_page *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Start a record: counts it and sets ctx->recno. */
void	 ing_next(struct ing_ctx *);
/* Hand a record or a rejection to the sink; -2 when it asks to stop. */
int	 ing_emit(struct ing_ctx *, struct ing_rec *);
int	 ing_reject(struct ing_ctx *, const struct ing_why *);

/*
 * Readers of one field: *out set, or absent (null counts as absent, *out
 * left zero/NULL; with ING_REQ that is ING_BAD), or bad with the reason
 * in why.  Strings are copied into the arena.
 */
enum ing_got {
	ING_BAD = -1,
	ING_GOT = 0,
	ING_ABSENT = 1,
};

enum ing_got ing_get_obj(struct json_object *, const char *key,
	    const char *path, int req, struct json_object **out,
	    struct ing_why *);
enum ing_got ing_get_arr(struct json_object *, const char *key,
	    const char *path, int req, struct json_object **out,
	    struct ing_why *);
enum ing_got ing_get_str(struct ing_ctx *, struct json_object *,
	    const char *key, const char *path, int req, size_t max,
	    const char **out, struct ing_why *);
enum ing_got ing_get_fid(struct json_object *, const char *key,
	    const char *path, int req, int64_t *out, struct ing_why *);
enum ing_got ing_get_i64(struct json_object *, const char *key,
	    const char *path, int req, int64_t *out, struct ing_why *);
enum ing_got ing_get_hash(struct json_object *, const char *key,
	    const char *path, int req, char out[], struct ing_why *);
int	 ing_get_itime(struct ing_ctx *, struct json_object *, const char *key,
	    const char *path, int64_t *out, struct ing_why *);
int	 ing_val_fid(struct json_object *, const char *path, int64_t *out,
	    struct ing_why *);
int	 ing_check_time(const struct ing_ctx *, int64_t, const char *path,
	    struct ing_why *);
int	 ing_get_token(struct ing_ctx *, struct json_object *, const char *key,
	    const char *path);
/*
 * The mentions' positions (mentionsPositions): kept with fids, the list as
 * given (already checked), when pos is an array as long as it of offsets
 * in [0, ING_MAX_TEXT]; else left out, the cast kept (positions only place
 * names in the text).  -1 when memory ran out.
 */
int	 ing_mention_pos(struct ing_ctx *, struct ing_cast *,
	    struct json_object *fids, struct json_object *pos,
	    struct ing_why *);
/* Appends fid to the cast's mentions unless already there. */
int	 ing_mention(struct ing_ctx *, struct ing_cast *, int64_t fid,
	    const char *path, struct ing_why *);

/* Parse JSON with the depth limit; NULL with the reason in page. */
struct json_object *ing_json_parse(const char *, size_t, size_t *end,
	    struct ing_why *);
int	 ing_blank(const char *, size_t);

/*
 * The fast path for one JSON Lines line (ing_fast.c): 1 with the record in
 * r when the line is a cast record it reads (and the json-c path,
 * ing_jsonl_slow(), would give the same record); 0 for anything else, with
 * r zeroed.  It never rejects: bad lines go to the json-c path.
 */
int	 ing_jsonl_fast(struct ing_ctx *, const char *, size_t,
	    struct ing_rec *);
/* The json-c path for one line: ing_jsonl_line() without the fast path. */
int	 ing_jsonl_slow(struct ing_ctx *, const char *, size_t);
/* 1 when two casts hold the same values (the tests compare the paths). */
int	 ing_cast_same(const struct ing_cast *, const struct ing_cast *);

#endif
