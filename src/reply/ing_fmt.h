#ifndef RC_ING_FMT_H
#define RC_ING_FMT_H
#include <stddef.h>

/*
 * The format parsers ing.c dispatches to, one file each (ing_hub.c,
 * ing_neynar.c, ing_jsonl.c).  Each reads one decoded document or line
 * into records through the ing_int.h helpers; 0, -1 when the document is
 * unusable (reason in ctx->page), -2 when the sink asked to stop.
 */

struct ing_ctx;
struct json_object;

int	 ing_hub_doc(struct ing_ctx *, struct json_object *);
int	 ing_neynar_doc(struct ing_ctx *, struct json_object *);
int	 ing_jsonl_obj(struct ing_ctx *, struct json_object *);
int	 ing_jsonl_line(struct ing_ctx *, const char *, size_t);

#endif
