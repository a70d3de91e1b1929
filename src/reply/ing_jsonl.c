#include <stdint.h>
#include <string.h>

#include <json.h>

#include "ing_fmt.h"
#include "ing_int.h"

/* Our JSON Lines shape: docs/jsonl.md.  Unknown keys are ignored. */

static int
jsonl_mentions(struct ing_ctx *c, struct json_object *o, struct ing_cast *cc,
    struct ing_why *w)
{
	struct json_object	*arr;
	int64_t			 fid;
	size_t			 i, n;
	enum ing_got		 rc;

	if ((rc = ing_get_arr(o, "mentions", "mentions", ING_OPT, &arr,
	    w)) != ING_GOT)
		return rc == ING_ABSENT ? 0 : -1;
	if ((n = json_object_array_length(arr)) > ING_MAX_MENTIONS) {
		ing_why(w, "mentions", "more than 64 mentions");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (ing_val_fid(json_object_array_get_idx(arr, i), "mentions",
		    &fid, w) == -1 ||
		    ing_mention(c, cc, fid, "mentions", w) == -1)
			return -1;
	return ing_mention_pos(c, cc, arr, json_object_object_get(o,
	    "mentions_positions"), w);
}

static int
jsonl_cast(struct ing_ctx *c, struct json_object *o, struct ing_rec *r,
    struct ing_why *w)
{
	struct ing_cast	*cc = &r->u.cast;

	if (ing_get_hash(o, "hash", "hash", ING_REQ, cc->hash, w) == -1 ||
	    ing_get_fid(o, "fid", "fid", ING_REQ, &cc->fid, w) == -1 ||
	    ing_get_itime(c, o, "time", "time", &cc->time, w) == -1 ||
	    ing_get_str(c, o, "text", "text", ING_OPT, ING_MAX_TEXT,
	    &cc->text, w) == -1 ||
	    ing_get_hash(o, "parent_hash", "parent_hash", ING_OPT,
	    cc->parent_hash, w) == -1 ||
	    ing_get_fid(o, "parent_fid", "parent_fid", ING_OPT,
	    &cc->parent_fid, w) == -1 ||
	    ing_get_str(c, o, "parent_url", "parent_url", ING_OPT,
	    ING_MAX_STR, &cc->parent_url, w) == -1 ||
	    ing_get_hash(o, "root_hash", "root_hash", ING_OPT, cc->root_hash,
	    w) == -1 ||
	    jsonl_mentions(c, o, cc, w) == -1)
		return -1;
	if (cc->text == NULL)
		cc->text = "";
	if (cc->parent_hash[0] == '\0')
		cc->parent_fid = 0;	/* a parent fid means nothing alone */
	return 0;
}

static int
jsonl_remove(struct ing_ctx *c, struct json_object *o, struct ing_rec *r,
    struct ing_why *w)
{
	if (ing_get_hash(o, "hash", "hash", ING_REQ, r->u.remove.hash,
	    w) == -1 ||
	    ing_get_fid(o, "fid", "fid", ING_REQ, &r->u.remove.fid, w) == -1 ||
	    ing_get_itime(c, o, "time", "time", &r->u.remove.time, w) == -1)
		return -1;
	return 0;
}

static int
jsonl_profile(struct ing_ctx *c, struct json_object *o, struct ing_rec *r,
    struct ing_why *w)
{
	struct ing_profile	*p = &r->u.profile;

	if (ing_get_fid(o, "fid", "fid", ING_REQ, &p->fid, w) == -1 ||
	    ing_get_itime(c, o, "time", "time", &p->time, w) == -1 ||
	    ing_get_str(c, o, "username", "username", ING_OPT, ING_MAX_STR,
	    &p->username, w) == -1 ||
	    ing_get_str(c, o, "display_name", "display_name", ING_OPT,
	    ING_MAX_STR, &p->display_name, w) == -1 ||
	    ing_get_str(c, o, "pfp_url", "pfp_url", ING_OPT, ING_MAX_STR,
	    &p->pfp_url, w) == -1 ||
	    ing_get_str(c, o, "bio", "bio", ING_OPT, ING_MAX_STR, &p->bio,
	    w) == -1 ||
	    ing_get_str(c, o, "url", "url", ING_OPT, ING_MAX_STR, &p->url,
	    w) == -1)
		return -1;
	return 0;
}

static int
jsonl_link(struct ing_ctx *c, struct json_object *o, struct ing_rec *r,
    struct ing_why *w)
{
	if (ing_get_fid(o, "fid", "fid", ING_REQ, &r->u.link.fid, w) == -1 ||
	    ing_get_fid(o, "target_fid", "target_fid", ING_REQ,
	    &r->u.link.target_fid, w) == -1 ||
	    ing_get_itime(c, o, "time", "time", &r->u.link.time, w) == -1)
		return -1;
	return 0;
}

static int
jsonl_like(struct ing_ctx *c, struct json_object *o, struct ing_rec *r,
    struct ing_why *w)
{
	if (ing_get_fid(o, "fid", "fid", ING_REQ, &r->u.like.fid, w) == -1 ||
	    ing_get_hash(o, "target_hash", "target_hash", ING_REQ,
	    r->u.like.target_hash, w) == -1 ||
	    ing_get_itime(c, o, "time", "time", &r->u.like.time, w) == -1)
		return -1;
	return 0;
}

static const struct {
	const char	*type;
	enum ing_kind	 kind;
	int		(*fn)(struct ing_ctx *, struct json_object *,
			    struct ing_rec *, struct ing_why *);
} jsonl_types[] = {
	{ "cast", ING_CAST, jsonl_cast },
	{ "remove", ING_CAST_REMOVE, jsonl_remove },
	{ "profile", ING_PROFILE, jsonl_profile },
	{ "follow", ING_FOLLOW, jsonl_link },
	{ "unfollow", ING_UNFOLLOW, jsonl_link },
	{ "like", ING_LIKE, jsonl_like },
	{ "unlike", ING_UNLIKE, jsonl_like },
};

/* One record object; the caller has counted it.  0, or -2 to stop. */
int
ing_jsonl_obj(struct ing_ctx *c, struct json_object *o)
{
	struct ing_rec	 r;
	struct ing_why	 w;
	const char	*type;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	if (ing_get_str(c, o, "type", "type", ING_OPT, ING_MAX_STR, &type,
	    &w) == -1)
		return ing_reject(c, &w);
	if (type == NULL)
		type = "cast";
	for (i = 0; i < sizeof(jsonl_types) / sizeof(jsonl_types[0]); i++)
		if (strcmp(type, jsonl_types[i].type) == 0)
			break;
	if (i == sizeof(jsonl_types) / sizeof(jsonl_types[0])) {
		ing_why(&w, "type", "not one of cast, remove, profile, "
		    "follow, unfollow, like, unlike");
		return ing_reject(c, &w);
	}
	r.kind = jsonl_types[i].kind;
	if (jsonl_types[i].fn(c, o, &r, &w) == -1)
		return ing_reject(c, &w);
	return ing_emit(c, &r);
}

int
ing_jsonl_line(struct ing_ctx *c, const char *line, size_t len)
{
	struct ing_rec	 r;

	if (ing_jsonl_fast(c, line, len, &r) == 1)
		return ing_emit(c, &r);
	return ing_jsonl_slow(c, line, len);
}

int
ing_jsonl_slow(struct ing_ctx *c, const char *line, size_t len)
{
	struct json_object	*o;
	struct ing_why		 w;
	size_t			 end;
	int			 rc;

	if ((o = ing_json_parse(line, len, &end, &w)) == NULL)
		return ing_reject(c, &w);
	if (!ing_blank(line + end, len - end))
		ing_why(&w, "not JSON", "more than one value on the line");
	else if (!json_object_is_type(o, json_type_object))
		ing_why(&w, NULL, "not a JSON object");
	else {
		rc = ing_jsonl_obj(c, o);
		json_object_put(o);
		return rc;
	}
	json_object_put(o);
	return ing_reject(c, &w);
}
