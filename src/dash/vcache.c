#include <string.h>

#include <json.h>

#include "vcache.h"

struct vc_ent {
	struct vc_key	 key;
	struct vc_view	 view;
	uint64_t	 used;		/* 0: empty */
};

static struct vc_ent	 vc_ents[VC_ENTRIES];
static uint64_t		 vc_tick;

static int
vc_same(const struct vc_key *a, const struct vc_key *b)
{
	return a->fid == b->fid && a->version == b->version &&
	    a->from == b->from && a->to == b->to;
}

const struct vc_view *
vc_get(const struct vc_key *k)
{
	size_t	 i;

	if (k->version == 0)
		return NULL;
	for (i = 0; i < VC_ENTRIES; i++)
		if (vc_ents[i].used != 0 && vc_same(&vc_ents[i].key, k)) {
			vc_ents[i].used = ++vc_tick;
			return &vc_ents[i].view;
		}
	return NULL;
}

void
vc_view_free(struct vc_view *v)
{
	size_t	 i;

	for (i = 0; i < VC_FIGS; i++) {
		json_object_put(v->fig[i]);
		v->fig[i] = NULL;
	}
	for (i = 0; i < VC_SVGS; i++)
		buf_free(&v->svg[i]);
}

void
vc_put(const struct vc_key *k, struct vc_view *v)
{
	struct vc_ent	*e = &vc_ents[0];
	size_t		 i;

	if (k->version == 0)
		return;
	for (i = 0; i < VC_ENTRIES; i++) {
		if (vc_ents[i].used != 0 && vc_same(&vc_ents[i].key, k)) {
			e = &vc_ents[i];
			break;
		}
		if (vc_ents[i].used < e->used)
			e = &vc_ents[i];
	}
	vc_view_free(&e->view);
	e->key = *k;
	e->view = *v;
	e->used = ++vc_tick;
	memset(v, 0, sizeof(*v));
}

void
vc_clear(void)
{
	size_t	 i;

	for (i = 0; i < VC_ENTRIES; i++) {
		vc_view_free(&vc_ents[i].view);
		vc_ents[i].used = 0;
	}
}
