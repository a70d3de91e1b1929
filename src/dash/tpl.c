/*
 * Rendering a parsed template: walks the node list with a stack of
 * contexts kept on the C stack, every value escaped but {{svg:}}.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "tpl.h"
#include "tpl_int.h"

/* One context: inner sections point up to outer ones. */
struct tpl_frame {
	struct json_object	*obj;
	const struct tpl_frame	*up;
};

struct tpl_run {
	const struct tpl_set	*set;
	const struct tpl_raw	*raw;
	size_t			 nraw;
	struct buf		*out;
	char			*err;
	size_t			 errsz;
	size_t			 steps;
	unsigned		 depth;
};

typedef int	(*tpl_fmt_fn)(struct buf *, struct json_object *);

static const tpl_fmt_fn tpl_fmts[TPL_F__MAX] = {
	[TPL_F_NONE] = tpl_fmt_plain,
	[TPL_F_URL] = tpl_fmt_url,
	[TPL_F_DUR] = tpl_fmt_dur,
	[TPL_F_PCT] = tpl_fmt_pct,
	[TPL_F_NUM] = tpl_fmt_num,
	[TPL_F_DATE] = tpl_fmt_date,
	[TPL_F_SVG] = NULL,		/* not a value: see tpl_svg() */
};

static int	 tpl_nodes(struct tpl_run *, const struct tpl *, size_t, size_t,
		    const struct tpl_frame *);
static int	 tpl_fail(struct tpl_run *, const struct tpl *,
		    const struct tpl_node *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/* Sets "template:line: message"; a message cut at errsz is kept as is. */
static int
tpl_fail(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (r->err == NULL || r->errsz == 0)
		return -1;
	n = snprintf(r->err, r->errsz, "%s:%zu: ", t->name, nd->line);
	if (n < 0 || (size_t)n >= r->errsz)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(r->err + n, r->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
tpl_full(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd)
{
	return tpl_fail(r, t, nd, "output over the buffer's limit");
}

/* The value of nd's name: the first context holding its first segment. */
static struct json_object *
tpl_lookup(const struct tpl_node *nd, const struct tpl_frame *f)
{
	struct json_object	*v = NULL;
	const char		*seg;
	size_t			 i;

	if (nd->nseg == 0)
		return f->obj;
	for (; f != NULL; f = f->up)
		if (json_object_is_type(f->obj, json_type_object) &&
		    json_object_object_get_ex(f->obj, nd->path, &v))
			break;
	if (f == NULL)
		return NULL;
	seg = nd->path;
	for (i = 1; i < nd->nseg; i++) {
		seg += strlen(seg) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, seg, &v))
			return NULL;
	}
	return v;
}

/* Whether a section over v runs: not for false, null, 0, "" or []. */
static int
tpl_truthy(struct json_object *v)
{
	double	 d;

	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		d = json_object_get_double(v);
		return d != 0 && !isnan(d);
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_object:
		return 1;
	default:
		return 0;
	}
}

static int
tpl_section(struct tpl_run *r, const struct tpl *t, size_t i,
    const struct tpl_frame *f)
{
	const struct tpl_node	*nd = &t->nodes[i];
	struct json_object	*v;
	struct tpl_frame	 in;
	size_t			 k, n;
	int			 yes;

	v = tpl_lookup(nd, f);
	yes = tpl_truthy(v);
	if (nd->kind == TPL_INVERTED)
		return yes ? 0 : tpl_nodes(r, t, i + 1, nd->end, f);
	if (!yes)
		return 0;
	in.up = f;
	in.obj = v;
	if (!json_object_is_type(v, json_type_array))
		return tpl_nodes(r, t, i + 1, nd->end, &in);
	n = json_object_array_length(v);
	for (k = 0; k < n; k++) {
		in.obj = json_object_array_get_idx(v, k);
		if (tpl_nodes(r, t, i + 1, nd->end, &in) == -1)
			return -1;
	}
	return 0;
}

/* {{> name}} or {{> $name}}: the whole template, in the same context. */
static int
tpl_partial(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd,
    const struct tpl_frame *f)
{
	struct json_object	*v;
	const char		*s;
	long			 idx = (long)nd->partial;
	int			 rc;

	if (nd->kind == TPL_DYNPARTIAL) {
		v = tpl_lookup(nd, f);
		s = json_object_get_string(v);
		if (!json_object_is_type(v, json_type_string) ||
		    strlen(s) != (size_t)json_object_get_string_len(v) ||
		    (idx = tpl_find(r->set, s)) < 0)
			return tpl_fail(r, t, nd,
			    "{{> $%s}}: not a loaded template", nd->name);
	}
	if (r->depth >= TPL_MAX_DEPTH)
		return tpl_fail(r, t, nd, "partials nested deeper than %d",
		    TPL_MAX_DEPTH);
	r->depth++;
	rc = tpl_nodes(r, &r->set->tpls[idx], 0, r->set->tpls[idx].nnodes, f);
	r->depth--;
	return rc;
}

/* {{svg:name}}: trusted markup from raw[], the only unescaped output. */
static int
tpl_svg(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd)
{
	size_t	 i;

	for (i = 0; i < r->nraw; i++)
		if (r->raw[i].name != NULL &&
		    strcmp(r->raw[i].name, nd->name) == 0)
			break;
	if (i == r->nraw)
		return tpl_fail(r, t, nd, "{{svg:%s}}: no such markup",
		    nd->name);
	if (r->raw[i].len > 0 &&
	    buf_put(r->out, r->raw[i].markup, r->raw[i].len) == -1)
		return tpl_full(r, t, nd);
	return 0;
}

static int
tpl_var(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd,
    const struct tpl_frame *f)
{
	if (nd->filter == TPL_F_SVG)
		return tpl_svg(r, t, nd);
	if (tpl_fmts[nd->filter](r->out, tpl_lookup(nd, f)) == -1)
		return tpl_full(r, t, nd);
	return 0;
}

static int
tpl_node(struct tpl_run *r, const struct tpl *t, const struct tpl_node *nd,
    const struct tpl_frame *f)
{
	switch (nd->kind) {
	case TPL_TEXT:
		if (buf_put(r->out, nd->text, nd->text_len) == -1)
			return tpl_full(r, t, nd);
		return 0;
	case TPL_VAR:
		return tpl_var(r, t, nd, f);
	case TPL_PARTIAL:
	case TPL_DYNPARTIAL:
		return tpl_partial(r, t, nd, f);
	default:
		return tpl_fail(r, t, nd, "bad node");
	}
}

/* Nodes [from, to) of t; a section consumes its body. */
static int
tpl_nodes(struct tpl_run *r, const struct tpl *t, size_t from, size_t to,
    const struct tpl_frame *f)
{
	const struct tpl_node	*nd;
	size_t			 i = from;
	int			 rc;

	while (i < to) {
		nd = &t->nodes[i];
		/* Nested loops over small arrays must not run for ever. */
		if (++r->steps > TPL_MAX_STEPS)
			return tpl_fail(r, t, nd, "over %u steps",
			    TPL_MAX_STEPS);
		if (nd->kind == TPL_SECTION || nd->kind == TPL_INVERTED) {
			rc = tpl_section(r, t, i, f);
			i = nd->end;
		} else {
			rc = tpl_node(r, t, nd, f);
			i++;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

int
tpl_render(const struct tpl_set *s, const char *name, struct json_object *data,
    const struct tpl_raw *raw, size_t nraw, struct buf *out, char *err,
    size_t errsz)
{
	struct tpl_run		 r;
	struct tpl_frame	 root;
	size_t			 start = out->len;
	long			 idx;
	int			 n;

	if (s == NULL || name == NULL || (idx = tpl_find(s, name)) < 0) {
		n = snprintf(err, errsz, "unknown template '%s'",
		    name == NULL ? "(null)" : name);
		(void)n;	/* a cut message is still a message */
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.set = s;
	r.raw = raw;
	r.nraw = raw == NULL ? 0 : nraw;
	r.out = out;
	r.err = err;
	r.errsz = errsz;
	root.obj = data;
	root.up = NULL;
	if (tpl_nodes(&r, &s->tpls[idx], 0, s->tpls[idx].nnodes, &root) == 0)
		return 0;
	/* Nothing of a failed render stays in out. */
	out->len = start;
	if (out->ptr != NULL)
		out->ptr[start] = '\0';
	return -1;
}
