#ifndef RC_TPL_H
#define RC_TPL_H
#include <stddef.h>

struct buf;
struct json_object;

/*
 * The dashboard's templates: a small mustache-like language, loaded and
 * parsed once at start; a template error is found then, with file and line.
 *
 *   {{name}}            the value of name (dotted paths: {{a.b.c}}), HTML-escaped
 *                       (& < > " ' all escaped: safe in text and quoted attributes)
 *   {{url:name}}        a URL for href/src: only http:, https:, mailto: or a
 *                       relative URL pass (anything else, e.g. javascript:,
 *                       becomes "#"), then HTML-escaped
 *   {{dur:name}}        seconds as a short duration: "45 s", "12 min", "3 h 5 min", "2 d 4 h"
 *   {{pct:name}}        a ratio 0..1 as a percentage: "43.9 %"
 *   {{num:name}}        a number with thousands separators: "12,345"
 *   {{date:name}}       unix seconds as "2025-01-06 10:00 UTC"
 *   {{svg:name}}        trusted markup given to tpl_render in raw[] (our own
 *                       chart code's SVG); the only way to emit unescaped text
 *   {{#name}}..{{/name}} a section: once per array element (the element is the
 *                       context; {{.}} is the element itself), once for a true
 *                       value or an object (which becomes the context), never
 *                       for false, null, 0, "", an empty array or a missing name
 *   {{^name}}..{{/name}} an inverted section: once when the section would not run
 *   {{> partial}}       another template of the set, by file name without .html
 *   {{> $name}}         the template whose name is the string value of name
 *                       (must be a loaded template, else an error at render)
 *   {{! comment }}
 * Lookup climbs the context stack (inner sections first, then outer).  A
 * missing name renders as nothing.
 */
struct tpl_set;

struct tpl_raw {
	const char	*name;
	const char	*markup;
	size_t		 len;
};

/*
 * Loads and parses every *.html in dir.  NULL on error, with "file:line:
 * message" in err (unknown tag, unbalanced or mismatched section, unknown
 * partial, unknown filter, a template over 1 MiB, nesting deeper than 32).
 */
struct tpl_set	*tpl_load_dir(const char *dir, char *err, size_t errsz);
/* The same from memory, for tests: names[i] is the template name of texts[i]. */
struct tpl_set	*tpl_load_mem(const char *const *names, const char *const *texts,
		    size_t n, char *err, size_t errsz);
void		 tpl_free(struct tpl_set *);	/* accepts NULL */
int		 tpl_has(const struct tpl_set *, const char *name);

/*
 * Renders template name with data (an object) into out.  Returns 0, or -1
 * with a reason in err (unknown template, dynamic partial not found, output
 * over the buffer's limit, recursion deeper than 32).
 */
int		 tpl_render(const struct tpl_set *, const char *name,
		    struct json_object *data, const struct tpl_raw *raw, size_t nraw,
		    struct buf *out, char *err, size_t errsz);

#endif
