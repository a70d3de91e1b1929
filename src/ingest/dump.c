#include <stdio.h>

#include <json.h>

#include "reply/ing.h"
#include "dump.h"

static void
put_str(struct json_object *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void
dump_cast(struct json_object *o, const struct ing_cast *c)
{
	struct json_object	*m, *p;
	size_t			 i;

	put_str(o, "type", "cast");
	put_str(o, "hash", c->hash);
	json_object_object_add(o, "fid", json_object_new_int64(c->fid));
	json_object_object_add(o, "time", json_object_new_int64(c->time));
	put_str(o, "text", c->text);
	if (c->parent_hash[0] != '\0') {
		put_str(o, "parent_hash", c->parent_hash);
		if (c->parent_fid > 0)
			json_object_object_add(o, "parent_fid",
			    json_object_new_int64(c->parent_fid));
	}
	put_str(o, "parent_url", c->parent_url);
	if (c->root_hash[0] != '\0')
		put_str(o, "root_hash", c->root_hash);
	/* With positions, the list as the cast gave it, repeats kept. */
	if (c->nmpos > 0) {
		m = json_object_new_array();
		p = json_object_new_array();
		for (i = 0; i < c->nmpos; i++) {
			json_object_array_add(m, json_object_new_int64(c->mfid[i]));
			json_object_array_add(p, json_object_new_int64(c->mpos[i]));
		}
		json_object_object_add(o, "mentions", m);
		json_object_object_add(o, "mentions_positions", p);
	} else if (c->nmentions > 0) {
		m = json_object_new_array();
		for (i = 0; i < c->nmentions; i++)
			json_object_array_add(m,
			    json_object_new_int64(c->mentions[i]));
		json_object_object_add(o, "mentions", m);
	}
}

static void
dump_other(struct json_object *o, const struct ing_rec *r)
{
	const struct ing_profile *p = &r->u.profile;

	switch (r->kind) {
	case ING_CAST_REMOVE:
		put_str(o, "type", "remove");
		put_str(o, "hash", r->u.remove.hash);
		json_object_object_add(o, "fid",
		    json_object_new_int64(r->u.remove.fid));
		json_object_object_add(o, "time",
		    json_object_new_int64(r->u.remove.time));
		break;
	case ING_PROFILE:
		put_str(o, "type", "profile");
		json_object_object_add(o, "fid", json_object_new_int64(p->fid));
		json_object_object_add(o, "time", json_object_new_int64(p->time));
		put_str(o, "username", p->username);
		put_str(o, "display_name", p->display_name);
		put_str(o, "pfp_url", p->pfp_url);
		put_str(o, "bio", p->bio);
		put_str(o, "url", p->url);
		break;
	case ING_LIKE:
	case ING_UNLIKE:
		put_str(o, "type", r->kind == ING_LIKE ? "like" : "unlike");
		json_object_object_add(o, "fid",
		    json_object_new_int64(r->u.like.fid));
		put_str(o, "target_hash", r->u.like.target_hash);
		json_object_object_add(o, "time",
		    json_object_new_int64(r->u.like.time));
		break;
	default:
		put_str(o, "type", r->kind == ING_FOLLOW ? "follow" : "unfollow");
		json_object_object_add(o, "fid",
		    json_object_new_int64(r->u.link.fid));
		json_object_object_add(o, "target_fid",
		    json_object_new_int64(r->u.link.target_fid));
		json_object_object_add(o, "time",
		    json_object_new_int64(r->u.link.time));
		break;
	}
}

static int
dump_rec(void *arg, const struct ing_rec *r)
{
	struct json_object	*o;
	int			 rc;

	(void)arg;
	if ((o = json_object_new_object()) == NULL)
		return -1;
	if (r->kind == ING_CAST)
		dump_cast(o, &r->u.cast);
	else
		dump_other(o, r);
	rc = puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ? -1 : 0;
	json_object_put(o);
	return rc;
}

const struct ing_sink dump_sink = { dump_rec, NULL, NULL };
