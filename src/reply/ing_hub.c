#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "core/valid.h"
#include "ing_fmt.h"
#include "ing_int.h"

/* What every Hub message carries in its data. */
struct hub_head {
	int64_t		 fid;
	int64_t		 time;
};

/* What a message type's reader says of the message. */
enum hub_verdict {
	HUB_BAD = -1,		/* the reason is in why */
	HUB_EMIT = 0,		/* r holds the record */
	HUB_SKIP = 1,		/* not one we keep: skipped silently */
};

typedef enum hub_verdict (*hub_fn)(struct ing_ctx *, struct json_object *msg,
    struct json_object *data, const struct hub_head *, struct ing_rec *,
    struct ing_why *);

static enum hub_verdict hub_cast_add(struct ing_ctx *,
		    struct json_object *, struct json_object *,
		    const struct hub_head *, struct ing_rec *, struct ing_why *);
static enum hub_verdict hub_cast_remove(struct ing_ctx *,
		    struct json_object *, struct json_object *,
		    const struct hub_head *, struct ing_rec *, struct ing_why *);
static enum hub_verdict hub_user_data(struct ing_ctx *,
		    struct json_object *, struct json_object *,
		    const struct hub_head *, struct ing_rec *, struct ing_why *);
static enum hub_verdict hub_link(struct ing_ctx *,
		    struct json_object *, struct json_object *,
		    const struct hub_head *, struct ing_rec *, struct ing_why *);
static enum hub_verdict hub_reaction(struct ing_ctx *,
		    struct json_object *, struct json_object *,
		    const struct hub_head *, struct ing_rec *, struct ing_why *);

/* Message types we read; all others (verifications...) skip. */
static const struct {
	const char	*type;
	enum ing_kind	 kind;
	hub_fn		 fn;
} hub_types[] = {
	{ "MESSAGE_TYPE_CAST_ADD", ING_CAST, hub_cast_add },
	{ "MESSAGE_TYPE_CAST_REMOVE", ING_CAST_REMOVE, hub_cast_remove },
	{ "MESSAGE_TYPE_USER_DATA_ADD", ING_PROFILE, hub_user_data },
	{ "MESSAGE_TYPE_LINK_ADD", ING_FOLLOW, hub_link },
	{ "MESSAGE_TYPE_LINK_REMOVE", ING_UNFOLLOW, hub_link },
	{ "MESSAGE_TYPE_REACTION_ADD", ING_LIKE, hub_reaction },
	{ "MESSAGE_TYPE_REACTION_REMOVE", ING_UNLIKE, hub_reaction },
};

static int
hub_mentions(struct ing_ctx *c, struct json_object *body, struct ing_cast *cc,
    struct ing_why *w)
{
	struct json_object	*arr;
	int64_t			 fid;
	size_t			 i, n;
	enum ing_got		 rc;

	if ((rc = ing_get_arr(body, "mentions", "castAddBody.mentions",
	    ING_OPT, &arr, w)) != ING_GOT)
		return rc == ING_ABSENT ? 0 : -1;
	if ((n = json_object_array_length(arr)) > ING_MAX_MENTIONS) {
		ing_why(w, "castAddBody.mentions", "more than 64 mentions");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (ing_val_fid(json_object_array_get_idx(arr, i),
		    "castAddBody.mentions", &fid, w) == -1 ||
		    ing_mention(c, cc, fid, "castAddBody.mentions", w) == -1)
			return -1;
	return ing_mention_pos(c, cc, arr, json_object_object_get(body,
	    "mentionsPositions"), w);
}

static enum hub_verdict
hub_cast_add(struct ing_ctx *c, struct json_object *m,
    struct json_object *data, const struct hub_head *h, struct ing_rec *r,
    struct ing_why *w)
{
	struct ing_cast		*cc = &r->u.cast;
	struct json_object	*body, *pc;

	cc->fid = h->fid;
	cc->time = h->time;
	if (ing_get_hash(m, "hash", "hash", ING_REQ, cc->hash, w) == -1 ||
	    ing_get_obj(data, "castAddBody", "data.castAddBody", ING_REQ,
	    &body, w) == -1 ||
	    ing_get_str(c, body, "text", "castAddBody.text", ING_OPT,
	    ING_MAX_TEXT, &cc->text, w) == -1 ||
	    ing_get_obj(body, "parentCastId", "castAddBody.parentCastId",
	    ING_OPT, &pc, w) == -1 ||
	    ing_get_str(c, body, "parentUrl", "castAddBody.parentUrl",
	    ING_OPT, ING_MAX_STR, &cc->parent_url, w) == -1)
		return HUB_BAD;
	if (cc->text == NULL)
		cc->text = "";		/* protobuf JSON omits empty strings */
	if (pc != NULL && (ing_get_hash(pc, "hash",
	    "castAddBody.parentCastId.hash", ING_REQ, cc->parent_hash,
	    w) == -1 || ing_get_fid(pc, "fid", "castAddBody.parentCastId.fid",
	    ING_REQ, &cc->parent_fid, w) == -1))
		return HUB_BAD;
	return hub_mentions(c, body, cc, w) == -1 ? HUB_BAD : HUB_EMIT;
}

/* targetHash is base64 of the raw 20 bytes; a 0x-hex one is accepted too. */
static int
hub_target_hash(struct json_object *body, char out[], struct ing_why *w)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*path = "castRemoveBody.targetHash";
	struct json_object	*v;
	unsigned char		 raw[32];
	const char		*s;
	size_t			 i, len;

	if (!json_object_object_get_ex(body, "targetHash", &v) || v == NULL) {
		ing_why(w, path, "missing");
		return -1;
	}
	if (!json_object_is_type(v, json_type_string)) {
		ing_why(w, path, "not a string");
		return -1;
	}
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len == ING_HASH_LEN && valid_hash(s, out) == 0)
		return 0;
	if (ing_base64_decode(s, len, raw, sizeof(raw)) != 20) {
		ing_why(w, path, "not base64 of 20 bytes nor 0x + 40 hex digits");
		return -1;
	}
	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < 20; i++) {
		out[2 + 2 * i] = hex[raw[i] >> 4];
		out[3 + 2 * i] = hex[raw[i] & 0xf];
	}
	out[ING_HASH_LEN] = '\0';
	return 0;
}

static enum hub_verdict
hub_cast_remove(struct ing_ctx *c, struct json_object *m,
    struct json_object *data, const struct hub_head *h, struct ing_rec *r,
    struct ing_why *w)
{
	struct json_object	*body;

	(void)c;
	(void)m;
	r->u.remove.fid = h->fid;
	r->u.remove.time = h->time;
	if (ing_get_obj(data, "castRemoveBody", "data.castRemoveBody",
	    ING_REQ, &body, w) == -1)
		return HUB_BAD;
	return hub_target_hash(body, r->u.remove.hash, w) == -1 ? HUB_BAD :
	    HUB_EMIT;
}

/* The profile field a USER_DATA_TYPE_* sets; NULL for types we skip. */
static const char **
user_data_field(struct ing_profile *p, const char *type)
{
	if (strcmp(type, "USER_DATA_TYPE_PFP") == 0)
		return &p->pfp_url;
	if (strcmp(type, "USER_DATA_TYPE_DISPLAY") == 0)
		return &p->display_name;
	if (strcmp(type, "USER_DATA_TYPE_BIO") == 0)
		return &p->bio;
	if (strcmp(type, "USER_DATA_TYPE_URL") == 0)
		return &p->url;
	if (strcmp(type, "USER_DATA_TYPE_USERNAME") == 0)
		return &p->username;
	return NULL;
}

static enum hub_verdict
hub_user_data(struct ing_ctx *c, struct json_object *m,
    struct json_object *data, const struct hub_head *h, struct ing_rec *r,
    struct ing_why *w)
{
	struct json_object	*body;
	const char		*type, **f;

	(void)m;
	r->u.profile.fid = h->fid;
	r->u.profile.time = h->time;
	if (ing_get_obj(data, "userDataBody", "data.userDataBody", ING_REQ,
	    &body, w) == -1 ||
	    ing_get_str(c, body, "type", "userDataBody.type", ING_REQ,
	    ING_MAX_STR, &type, w) == -1)
		return HUB_BAD;
	if ((f = user_data_field(&r->u.profile, type)) == NULL)
		return HUB_SKIP;
	if (ing_get_str(c, body, "value", "userDataBody.value", ING_OPT,
	    ING_MAX_STR, f, w) == -1)
		return HUB_BAD;
	if (*f == NULL)
		*f = "";		/* an empty value clears the field */
	return HUB_EMIT;
}

static enum hub_verdict
hub_link(struct ing_ctx *c, struct json_object *m, struct json_object *data,
    const struct hub_head *h, struct ing_rec *r, struct ing_why *w)
{
	struct json_object	*body;
	const char		*type;

	(void)m;
	r->u.link.fid = h->fid;
	r->u.link.time = h->time;
	if (ing_get_obj(data, "linkBody", "data.linkBody", ING_REQ, &body,
	    w) == -1 ||
	    ing_get_str(c, body, "type", "linkBody.type", ING_REQ,
	    ING_MAX_STR, &type, w) == -1)
		return HUB_BAD;
	if (strcmp(type, "follow") != 0)
		return HUB_SKIP;
	return ing_get_fid(body, "targetFid", "linkBody.targetFid", ING_REQ,
	    &r->u.link.target_fid, w) == ING_GOT ? HUB_EMIT : HUB_BAD;
}

/* Likes of a cast; recasts and reactions to a URL are skipped. */
static enum hub_verdict
hub_reaction(struct ing_ctx *c, struct json_object *m,
    struct json_object *data, const struct hub_head *h, struct ing_rec *r,
    struct ing_why *w)
{
	struct json_object	*body, *tc;
	const char		*type;

	(void)m;
	r->u.like.fid = h->fid;
	r->u.like.time = h->time;
	if (ing_get_obj(data, "reactionBody", "data.reactionBody", ING_REQ,
	    &body, w) == -1 ||
	    ing_get_str(c, body, "type", "reactionBody.type", ING_REQ,
	    ING_MAX_STR, &type, w) == -1 ||
	    ing_get_obj(body, "targetCastId", "reactionBody.targetCastId",
	    ING_OPT, &tc, w) == -1)
		return HUB_BAD;
	if (strcmp(type, "REACTION_TYPE_LIKE") != 0 || tc == NULL)
		return HUB_SKIP;
	return ing_get_hash(tc, "hash", "reactionBody.targetCastId.hash",
	    ING_REQ, r->u.like.target_hash, w) == -1 ? HUB_BAD : HUB_EMIT;
}

/* data.timestamp: seconds since the Farcaster epoch. */
static int
hub_head(struct ing_ctx *c, struct json_object *data, struct hub_head *h,
    struct ing_why *w)
{
	int64_t	 ts;

	if (ing_get_fid(data, "fid", "data.fid", ING_REQ, &h->fid, w) == -1 ||
	    ing_get_i64(data, "timestamp", "data.timestamp", ING_REQ, &ts,
	    w) == -1)
		return -1;
	if (ts < 0) {
		ing_why(w, "data.timestamp", "negative");
		return -1;
	}
	if (ts > c->maxtime - ING_FARCASTER_EPOCH) {
		ing_why(w, "data.timestamp", "more than a day in the future");
		return -1;
	}
	h->time = ts + ING_FARCASTER_EPOCH;
	return ing_check_time(c, h->time, "data.timestamp", w);
}

/* One message; the caller has counted it.  0, or -2 to stop. */
static int
hub_msg(struct ing_ctx *c, struct json_object *m)
{
	struct ing_rec		 r;
	struct ing_why		 w;
	struct hub_head		 h;
	struct json_object	*data, *tv;
	size_t			 i;
	enum hub_verdict	 v;

	memset(&r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	if (!json_object_is_type(m, json_type_object)) {
		ing_why(&w, "message", "not an object");
		return ing_reject(c, &w);
	}
	if (ing_get_obj(m, "data", "data", ING_REQ, &data, &w) == -1)
		return ing_reject(c, &w);
	if (!json_object_object_get_ex(data, "type", &tv) ||
	    !json_object_is_type(tv, json_type_string)) {
		ing_why(&w, "data.type", "missing or not a string");
		return ing_reject(c, &w);
	}
	for (i = 0; i < sizeof(hub_types) / sizeof(hub_types[0]); i++)
		if (strcmp(json_object_get_string(tv), hub_types[i].type) == 0)
			break;
	if (i == sizeof(hub_types) / sizeof(hub_types[0]))
		return 0;
	r.kind = hub_types[i].kind;
	if (hub_head(c, data, &h, &w) == -1)
		return ing_reject(c, &w);
	if ((v = hub_types[i].fn(c, m, data, &h, &r, &w)) == HUB_BAD)
		return ing_reject(c, &w);
	return v == HUB_SKIP ? 0 : ing_emit(c, &r);
}

static int
hub_messages(struct ing_ctx *c, struct json_object *arr)
{
	size_t	 i, n;

	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		ing_next(c);
		if (hub_msg(c, json_object_array_get_idx(arr, i)) == -2)
			return -2;
	}
	return 0;
}

/* Only merges carry records; prunes, revokes and the rest are skipped. */
static int
hub_event(struct ing_ctx *c, struct json_object *ev)
{
	struct json_object	*tv, *body, *msg;
	struct ing_why		 w;
	int			 rc;

	memset(&w, 0, sizeof(w));
	if (!json_object_is_type(ev, json_type_object)) {
		ing_why(&w, "event", "not an object");
		return ing_reject(c, &w);
	}
	if (!json_object_object_get_ex(ev, "type", &tv) ||
	    !json_object_is_type(tv, json_type_string)) {
		ing_why(&w, "type", "missing or not a string");
		return ing_reject(c, &w);
	}
	if (strcmp(json_object_get_string(tv),
	    "HUB_EVENT_TYPE_MERGE_MESSAGE") != 0)
		return 0;
	if (ing_get_i64(ev, "id", "id", ING_REQ, &c->event_id, &w) == -1 ||
	    ing_get_obj(ev, "mergeMessageBody", "mergeMessageBody", ING_REQ,
	    &body, &w) == -1 ||
	    ing_get_obj(body, "message", "mergeMessageBody.message", ING_REQ,
	    &msg, &w) == -1)
		rc = ing_reject(c, &w);
	else if (c->event_id < 1) {
		ing_why(&w, "id", "not a positive integer");
		rc = ing_reject(c, &w);
	} else
		rc = hub_msg(c, msg);
	c->event_id = 0;
	return rc;
}

static int
hub_events(struct ing_ctx *c, struct json_object *doc, struct json_object *arr)
{
	struct ing_why	 w;
	size_t		 i, n;

	if (ing_get_i64(doc, "nextPageEventId", "nextPageEventId", ING_OPT,
	    &c->page->next_event_id, &w) == -1 || c->page->next_event_id < 0) {
		ing_page_err(c->page, "nextPageEventId: not a positive integer");
		c->page->next_event_id = 0;
		return -1;
	}
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		ing_next(c);
		if (hub_event(c, json_object_array_get_idx(arr, i)) == -2)
			return -2;
	}
	return 0;
}

/* {"errCode","code","details"} (Hubble) or {"error","error_detail"}. */
static int
hub_error(struct ing_ctx *c, struct json_object *o)
{
	struct json_object	*e, *d = NULL;
	const char		*ek = "errCode", *dk = "details";

	if (!json_object_object_get_ex(o, ek, &e)) {
		ek = "error";
		dk = "error_detail";
		if (!json_object_object_get_ex(o, ek, &e))
			return 0;
	}
	if (!json_object_is_type(e, json_type_string))
		return 0;
	c->page->hub_error = 1;
	if (json_object_object_get_ex(o, dk, &d) &&
	    json_object_is_type(d, json_type_string))
		ing_page_err(c->page, "%s: %s", json_object_get_string(e),
		    json_object_get_string(d));
	else
		ing_page_err(c->page, "%s", json_object_get_string(e));
	return -1;
}

int
ing_hub_doc(struct ing_ctx *c, struct json_object *o)
{
	struct json_object	*v;

	if (json_object_object_get_ex(o, "messages", &v)) {
		if (!json_object_is_type(v, json_type_array)) {
			ing_page_err(c->page, "messages: not an array");
			return -1;
		}
		if (ing_get_token(c, o, "nextPageToken", "nextPageToken") == -1)
			return -1;
		return hub_messages(c, v);
	}
	if (json_object_object_get_ex(o, "events", &v)) {
		if (!json_object_is_type(v, json_type_array)) {
			ing_page_err(c->page, "events: not an array");
			return -1;
		}
		return hub_events(c, o, v);
	}
	if (json_object_object_get_ex(o, "data", NULL)) {
		ing_next(c);
		return hub_msg(c, o);
	}
	if (hub_error(c, o) == -1)
		return -1;
	ing_page_err(c->page, "not a Hub document (no messages, events or data)");
	return -1;
}
