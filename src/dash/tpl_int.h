#ifndef RC_TPL_INT_H
#define RC_TPL_INT_H
#include <stddef.h>

/*
 * Private to tpl*.c: a template parsed once into a flat node list.  A
 * section's body is the nodes from its index + 1 up to (not including)
 * its end; everything is owned by the tpl_set and read-only after load.
 */
#define TPL_MAX_SIZE	(1024u * 1024u)	/* bytes in one template */
#define TPL_MAX_NEST	32		/* sections open at once, at load */
#define TPL_MAX_DEPTH	32		/* partials within partials, at render */
#define TPL_MAX_STEPS	(4u * 1024u * 1024u)	/* nodes visited by one render */

enum tpl_kind {
	TPL_TEXT,
	TPL_VAR,
	TPL_SECTION,
	TPL_INVERTED,
	TPL_PARTIAL,
	TPL_DYNPARTIAL,
	TPL_KIND__MAX
};

enum tpl_filter {
	TPL_F_NONE,
	TPL_F_URL,
	TPL_F_DUR,
	TPL_F_PCT,
	TPL_F_NUM,
	TPL_F_DATE,
	TPL_F_SVG,
	TPL_F__MAX
};

struct tpl_node {
	enum tpl_kind	 kind;
	enum tpl_filter	 filter;
	const char	*text;	/* TPL_TEXT: into tpl.src, text_len bytes */
	size_t		 text_len;
	char		*name;	/* the name as written: "a.b", ".", "row" */
	char		*path;	/* name with each '.' made a NUL; nseg segments */
	size_t		 nseg;	/* 0 for "." (the context itself) */
	size_t		 line;
	size_t		 end;	/* sections: index past the body */
	size_t		 partial;	/* TPL_PARTIAL: index in tpl_set.tpls */
};

struct tpl {
	char		*name;
	char		*file;	/* as named in load errors: "home.html" */
	char		*src;	/* a copy of the text; text nodes point into it */
	struct tpl_node	*nodes;
	size_t		 nnodes;
	size_t		 cap;
};

struct tpl_set {
	struct tpl	*tpls;
	size_t		 n;
	size_t		 cap;
};

struct buf;
struct json_object;

/* Index of template name in s, or -1. */
long	 tpl_find(const struct tpl_set *, const char *name);

/* Formatting filters (tpl_fmt.c): append v formatted; 0 or -1 (buf full). */
int	 tpl_fmt_plain(struct buf *, struct json_object *);
int	 tpl_fmt_url(struct buf *, struct json_object *);
int	 tpl_fmt_dur(struct buf *, struct json_object *);
int	 tpl_fmt_pct(struct buf *, struct json_object *);
int	 tpl_fmt_num(struct buf *, struct json_object *);
int	 tpl_fmt_date(struct buf *, struct json_object *);

#endif
