#include <stdint.h>
#include <string.h>

#include <json.h>

#include "ing_fmt.h"
#include "ing_int.h"

#define NEYNAR_MAX_REPLIES	32	/* levels of direct_replies followed */

static int	 neynar_cast(struct ing_ctx *, struct json_object *, int depth);

/* author{fid,username,display_name,pfp_url,profile{bio{text}}}. */
static int
neynar_author(struct ing_ctx *c, struct json_object *cast,
    struct ing_profile *p, struct ing_why *w)
{
	struct json_object	*a, *prof, *bio;

	if (ing_get_obj(cast, "author", "author", ING_REQ, &a, w) == -1 ||
	    ing_get_fid(a, "fid", "author.fid", ING_REQ, &p->fid, w) == -1 ||
	    ing_get_str(c, a, "username", "author.username", ING_OPT,
	    ING_MAX_STR, &p->username, w) == -1 ||
	    ing_get_str(c, a, "display_name", "author.display_name", ING_OPT,
	    ING_MAX_STR, &p->display_name, w) == -1 ||
	    ing_get_str(c, a, "pfp_url", "author.pfp_url", ING_OPT,
	    ING_MAX_STR, &p->pfp_url, w) == -1 ||
	    ing_get_obj(a, "profile", "author.profile", ING_OPT, &prof,
	    w) == -1 ||
	    ing_get_obj(prof, "bio", "author.profile.bio", ING_OPT, &bio,
	    w) == -1 ||
	    ing_get_str(c, bio, "text", "author.profile.bio.text", ING_OPT,
	    ING_MAX_STR, &p->bio, w) == -1)
		return -1;
	return 0;
}

static int
neynar_mentions(struct ing_ctx *c, struct json_object *cast,
    struct ing_cast *cc, struct ing_why *w)
{
	const char		*path = "mentioned_profiles";
	struct json_object	*arr, *m;
	int64_t			 fid;
	size_t			 i, n;
	enum ing_got		 rc;

	if ((rc = ing_get_arr(cast, path, path, ING_OPT, &arr, w)) != ING_GOT)
		return rc == ING_ABSENT ? 0 : -1;
	if ((n = json_object_array_length(arr)) > ING_MAX_MENTIONS) {
		ing_why(w, path, "more than 64 mentions");
		return -1;
	}
	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(m, json_type_object)) {
			ing_why(w, path, "not an array of objects");
			return -1;
		}
		if (ing_get_fid(m, "fid", "mentioned_profiles.fid", ING_REQ,
		    &fid, w) == -1 || ing_mention(c, cc, fid, path, w) == -1)
			return -1;
	}
	return 0;
}

static int
neynar_parent(struct ing_ctx *c, struct json_object *cast,
    struct ing_cast *cc, struct ing_why *w)
{
	struct json_object	*pa;

	if (ing_get_hash(cast, "parent_hash", "parent_hash", ING_OPT,
	    cc->parent_hash, w) == -1 ||
	    ing_get_str(c, cast, "parent_url", "parent_url", ING_OPT,
	    ING_MAX_STR, &cc->parent_url, w) == -1 ||
	    ing_get_obj(cast, "parent_author", "parent_author", ING_OPT, &pa,
	    w) == -1 ||
	    ing_get_fid(pa, "fid", "parent_author.fid", ING_OPT,
	    &cc->parent_fid, w) == -1)
		return -1;
	if (cc->parent_hash[0] == '\0')
		cc->parent_fid = 0;	/* a parent fid means nothing alone */
	return 0;
}

static int
neynar_fields(struct ing_ctx *c, struct json_object *cast,
    struct ing_rec *prof, struct ing_rec *r, struct ing_why *w)
{
	struct ing_cast		*cc = &r->u.cast;
	struct json_object	*replies;

	if (!json_object_is_type(cast, json_type_object)) {
		ing_why(w, "cast", "not an object");
		return -1;
	}
	if (ing_get_hash(cast, "hash", "hash", ING_REQ, cc->hash, w) == -1 ||
	    neynar_author(c, cast, &prof->u.profile, w) == -1 ||
	    ing_get_itime(c, cast, "timestamp", "timestamp", &cc->time,
	    w) == -1 ||
	    ing_get_str(c, cast, "text", "text", ING_OPT, ING_MAX_TEXT,
	    &cc->text, w) == -1 ||
	    neynar_parent(c, cast, cc, w) == -1 ||
	    ing_get_hash(cast, "thread_hash", "thread_hash", ING_OPT,
	    cc->root_hash, w) == -1 ||
	    neynar_mentions(c, cast, cc, w) == -1 ||
	    ing_get_arr(cast, "direct_replies", "direct_replies", ING_OPT,
	    &replies, w) == -1)
		return -1;
	if (cc->text == NULL)
		cc->text = "";
	cc->fid = prof->u.profile.fid;
	prof->u.profile.time = cc->time;
	return 0;
}

static int
neynar_replies(struct ing_ctx *c, struct json_object *cast, int depth)
{
	struct json_object	*arr;
	size_t			 i, n;

	if (!json_object_object_get_ex(cast, "direct_replies", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return 0;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++)
		if (neynar_cast(c, json_object_array_get_idx(arr, i),
		    depth + 1) == -2)
			return -2;
	return 0;
}

/* One cast object: its author's profile, then the cast, then replies. */
static int
neynar_cast(struct ing_ctx *c, struct json_object *cast, int depth)
{
	struct ing_rec	 prof, r;
	struct ing_why	 w;

	memset(&prof, 0, sizeof(prof));
	memset(&r, 0, sizeof(r));
	prof.kind = ING_PROFILE;
	r.kind = ING_CAST;
	ing_next(c);
	if (depth > NEYNAR_MAX_REPLIES) {
		ing_why(&w, "direct_replies", "nested deeper than 32");
		return ing_reject(c, &w);
	}
	if (neynar_fields(c, cast, &prof, &r, &w) == -1)
		return ing_reject(c, &w);
	if (ing_emit(c, &prof) == -2 || ing_emit(c, &r) == -2)
		return -2;
	return neynar_replies(c, cast, depth);
}

static int
neynar_casts(struct ing_ctx *c, struct json_object *arr)
{
	size_t	 i, n;

	n = json_object_array_length(arr);
	for (i = 0; i < n; i++)
		if (neynar_cast(c, json_object_array_get_idx(arr, i), 0) == -2)
			return -2;
	return 0;
}

/* Only replies and mentions carry a cast of interest; others skip. */
static int
neynar_notification(struct ing_ctx *c, struct json_object *n)
{
	struct json_object	*cast;
	struct ing_why		 w;
	const char		*type;

	if (!json_object_is_type(n, json_type_object)) {
		ing_next(c);
		ing_why(&w, "notification", "not an object");
		return ing_reject(c, &w);
	}
	if (ing_get_str(c, n, "type", "type", ING_REQ, ING_MAX_STR, &type,
	    &w) == -1) {
		ing_next(c);
		return ing_reject(c, &w);
	}
	if (strcmp(type, "reply") != 0 && strcmp(type, "mention") != 0) {
		ing_next(c);
		return 0;
	}
	if (ing_get_obj(n, "cast", "cast", ING_REQ, &cast, &w) == -1) {
		ing_next(c);
		return ing_reject(c, &w);
	}
	return neynar_cast(c, cast, 0);
}

static int
neynar_notifications(struct ing_ctx *c, struct json_object *arr)
{
	size_t	 i, n;

	n = json_object_array_length(arr);
	for (i = 0; i < n; i++)
		if (neynar_notification(c, json_object_array_get_idx(arr,
		    i)) == -2)
			return -2;
	return 0;
}

/* The ancestors first (when given), then the tree from its root cast. */
static int
neynar_conversation(struct ing_ctx *c, struct json_object *conv)
{
	struct json_object	*cast, *up;
	struct ing_why		 w;

	if (ing_get_obj(conv, "cast", "conversation.cast", ING_REQ, &cast,
	    &w) == -1 ||
	    ing_get_arr(conv, "chronological_parent_casts",
	    "conversation.chronological_parent_casts", ING_OPT, &up,
	    &w) == -1) {
		ing_page_err(c->page, "%s", w.msg);
		return -1;
	}
	if (up != NULL && neynar_casts(c, up) == -2)
		return -2;
	return neynar_cast(c, cast, 0);
}

static int
neynar_next(struct ing_ctx *c, struct json_object *o)
{
	struct json_object	*next;
	struct ing_why		 w;

	if (ing_get_obj(o, "next", "next", ING_OPT, &next, &w) == -1) {
		ing_page_err(c->page, "%s", w.msg);
		return -1;
	}
	return ing_get_token(c, next, "cursor", "next.cursor");
}

/* {"message","code"} with nothing else of ours. */
static int
neynar_error(struct ing_ctx *c, struct json_object *o)
{
	struct json_object	*m, *code;

	if (!json_object_object_get_ex(o, "message", &m) ||
	    !json_object_is_type(m, json_type_string)) {
		ing_page_err(c->page, "not a Neynar document");
		return -1;
	}
	c->page->hub_error = 1;
	if (json_object_object_get_ex(o, "code", &code) &&
	    json_object_is_type(code, json_type_string))
		ing_page_err(c->page, "%s: %s", json_object_get_string(code),
		    json_object_get_string(m));
	else
		ing_page_err(c->page, "%s", json_object_get_string(m));
	return -1;
}

static int
neynar_doc(struct ing_ctx *c, struct json_object *o, int nested)
{
	struct json_object	*v;

	if (!nested && json_object_object_get_ex(o, "result", &v) &&
	    json_object_is_type(v, json_type_object))
		return neynar_doc(c, v, 1);
	if (json_object_object_get_ex(o, "cast", &v) &&
	    json_object_is_type(v, json_type_object))
		return neynar_cast(c, v, 0);
	if (neynar_next(c, o) == -1)
		return -1;
	if (json_object_object_get_ex(o, "casts", &v) &&
	    json_object_is_type(v, json_type_array))
		return neynar_casts(c, v);
	if (json_object_object_get_ex(o, "notifications", &v) &&
	    json_object_is_type(v, json_type_array))
		return neynar_notifications(c, v);
	if (json_object_object_get_ex(o, "conversation", &v) &&
	    json_object_is_type(v, json_type_object))
		return neynar_conversation(c, v);
	return neynar_error(c, o);
}

int
ing_neynar_doc(struct ing_ctx *c, struct json_object *o)
{
	return neynar_doc(c, o, 0);
}
