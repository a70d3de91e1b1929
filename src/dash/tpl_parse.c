/*
 * Loading templates: each text is parsed once into a node list; static
 * partials are resolved when every template of the set is there.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tpl.h"
#include "tpl_int.h"

#define TPL_EXT		".html"
#define TPL_EXTLEN	(sizeof(TPL_EXT) - 1)

struct tpl_parser {
	struct tpl	*t;
	size_t		 line;
	size_t		 open[TPL_MAX_NEST];	/* indexes of open sections */
	size_t		 nopen;
	const char	*tag;	/* the tag being parsed, for messages */
	size_t		 taglen;
	char		*err;
	size_t		 errsz;
};

/* Prefixes of {{prefix:name}}, indexed by enum tpl_filter. */
static const char *const tpl_filter_names[TPL_F__MAX] = {
	[TPL_F_NONE] = "",
	[TPL_F_URL] = "url",
	[TPL_F_DUR] = "dur",
	[TPL_F_PCT] = "pct",
	[TPL_F_NUM] = "num",
	[TPL_F_DATE] = "date",
	[TPL_F_SVG] = "svg",
};

static void	 tpl_err(char *, size_t, const char *, size_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

/*
 * Writes "file:line: message" into err.  A message cut short by errsz is
 * still a message: truncation is accepted here and only here.
 */
static void
tpl_err(char *err, size_t errsz, const char *file, size_t line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (err == NULL || errsz == 0)
		return;
	n = snprintf(err, errsz, "%s:%zu: ", file, line);
	if (n < 0 || (size_t)n >= errsz)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err + n, errsz - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
tpl_free_one(struct tpl *t)
{
	size_t	 i;

	for (i = 0; i < t->nnodes; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].path);
	}
	free(t->nodes);
	free(t->src);
	free(t->name);
	free(t->file);
}

void
tpl_free(struct tpl_set *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		tpl_free_one(&s->tpls[i]);
	free(s->tpls);
	free(s);
}

long
tpl_find(const struct tpl_set *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->tpls[i].name, name) == 0)
			return (long)i;
	return -1;
}

int
tpl_has(const struct tpl_set *s, const char *name)
{
	return s != NULL && name != NULL && tpl_find(s, name) >= 0;
}

/* Letters, digits, '_' and '-', in segments joined by single dots. */
static int
tpl_name_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-')
			return 0;
	}
	return 1;
}

/* A name in data: a dotted path, or "." for the context itself. */
static int
tpl_var_ok(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || tpl_name_ok(s, n);
}

/* Appends a zeroed node; its index in *idx.  -1 when memory runs out. */
static int
tpl_node_add(struct tpl *t, size_t *idx)
{
	struct tpl_node	*p;
	size_t		 ncap;

	if (t->nnodes == t->cap) {
		ncap = t->cap == 0 ? 16 : t->cap * 2;
		if (ncap > SIZE_MAX / sizeof(*p) ||
		    (p = realloc(t->nodes, ncap * sizeof(*p))) == NULL)
			return -1;
		t->nodes = p;
		t->cap = ncap;
	}
	*idx = t->nnodes++;
	memset(&t->nodes[*idx], 0, sizeof(t->nodes[*idx]));
	return 0;
}

/* Keeps name (n bytes) as written and split at its dots. */
static int
tpl_node_name(struct tpl_node *nd, const char *s, size_t n)
{
	size_t	 i;

	if ((nd->name = strndup(s, n)) == NULL ||
	    (nd->path = strndup(s, n)) == NULL)
		return -1;
	if (n == 1 && s[0] == '.')
		return 0;
	nd->nseg = 1;
	for (i = 0; i < n; i++)
		if (nd->path[i] == '.') {
			nd->path[i] = '\0';
			nd->nseg++;
		}
	return 0;
}

static int
tpl_oom(struct tpl_parser *ps)
{
	tpl_err(ps->err, ps->errsz, ps->t->file, ps->line, "out of memory");
	return -1;
}

/* Adds a node of kind with name s (n bytes); its index in *idx. */
static int
tpl_add_named(struct tpl_parser *ps, enum tpl_kind kind, enum tpl_filter f,
    const char *s, size_t n, size_t *idx)
{
	struct tpl_node	*nd;

	if (tpl_node_add(ps->t, idx) == -1)
		return tpl_oom(ps);
	nd = &ps->t->nodes[*idx];
	nd->kind = kind;
	nd->filter = f;
	nd->line = ps->line;
	if (tpl_node_name(nd, s, n) == -1)
		return tpl_oom(ps);
	return 0;
}

static int
tpl_add_text(struct tpl_parser *ps, const char *s, size_t n)
{
	size_t	 idx;

	if (n == 0)
		return 0;
	if (tpl_node_add(ps->t, &idx) == -1)
		return tpl_oom(ps);
	ps->t->nodes[idx].kind = TPL_TEXT;
	ps->t->nodes[idx].text = s;
	ps->t->nodes[idx].text_len = n;
	ps->t->nodes[idx].line = ps->line;
	return 0;
}

static int
tpl_bad_tag(struct tpl_parser *ps)
{
	tpl_err(ps->err, ps->errsz, ps->t->file, ps->line, "bad tag {{%.*s}}",
	    ps->taglen > 64 ? 64 : (int)ps->taglen, ps->tag);
	return -1;
}

static int
tpl_open(struct tpl_parser *ps, enum tpl_kind kind, const char *s, size_t n)
{
	size_t	 idx;

	if (!tpl_var_ok(s, n))
		return tpl_bad_tag(ps);
	if (ps->nopen == TPL_MAX_NEST) {
		tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
		    "sections nested deeper than %d", TPL_MAX_NEST);
		return -1;
	}
	if (tpl_add_named(ps, kind, TPL_F_NONE, s, n, &idx) == -1)
		return -1;
	ps->open[ps->nopen++] = idx;
	return 0;
}

static int
tpl_close(struct tpl_parser *ps, const char *s, size_t n)
{
	struct tpl_node	*top;

	if (ps->nopen == 0) {
		tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
		    "{{/%.*s}} closes no section", n > 64 ? 64 : (int)n, s);
		return -1;
	}
	top = &ps->t->nodes[ps->open[ps->nopen - 1]];
	if (strlen(top->name) != n || memcmp(top->name, s, n) != 0) {
		tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
		    "{{/%.*s}} closes {{#%s}} (line %zu)",
		    n > 64 ? 64 : (int)n, s, top->name, top->line);
		return -1;
	}
	top->end = ps->t->nnodes;
	ps->nopen--;
	return 0;
}

static int
tpl_partial(struct tpl_parser *ps, const char *s, size_t n)
{
	size_t	 idx;

	if (n > 0 && s[0] == '$') {
		if (!tpl_var_ok(s + 1, n - 1))
			return tpl_bad_tag(ps);
		return tpl_add_named(ps, TPL_DYNPARTIAL, TPL_F_NONE, s + 1,
		    n - 1, &idx);
	}
	if (!tpl_name_ok(s, n))
		return tpl_bad_tag(ps);
	return tpl_add_named(ps, TPL_PARTIAL, TPL_F_NONE, s, n, &idx);
}

static int
tpl_var(struct tpl_parser *ps, const char *s, size_t n)
{
	const char	*colon, *name = s;
	size_t		 i, idx, flen, nlen = n;
	enum tpl_filter	 f = TPL_F_NONE;

	if ((colon = memchr(s, ':', n)) != NULL) {
		flen = (size_t)(colon - s);
		for (i = 1; i < TPL_F__MAX; i++)
			if (strlen(tpl_filter_names[i]) == flen &&
			    memcmp(tpl_filter_names[i], s, flen) == 0)
				break;
		if (i == TPL_F__MAX) {
			tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
			    "unknown filter '%.*s'",
			    flen > 64 ? 64 : (int)flen, s);
			return -1;
		}
		f = (enum tpl_filter)i;
		name = colon + 1;
		nlen = n - flen - 1;
	}
	if (f == TPL_F_SVG ? !tpl_name_ok(name, nlen) : !tpl_var_ok(name, nlen))
		return tpl_bad_tag(ps);
	return tpl_add_named(ps, TPL_VAR, f, name, nlen, &idx);
}

/* Strips white space from both ends of (*s, *n). */
static void
tpl_trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* One tag's content, between "{{" and "}}". */
static int
tpl_tag(struct tpl_parser *ps, const char *s, size_t n)
{
	const char	*rest;
	size_t		 rn;

	tpl_trim(&s, &n);
	ps->tag = s;
	ps->taglen = n;
	if (n == 0)
		return tpl_bad_tag(ps);
	rest = s + 1;
	rn = n - 1;
	tpl_trim(&rest, &rn);
	switch (s[0]) {
	case '!':
		return 0;
	case '#':
		return tpl_open(ps, TPL_SECTION, rest, rn);
	case '^':
		return tpl_open(ps, TPL_INVERTED, rest, rn);
	case '/':
		return tpl_close(ps, rest, rn);
	case '>':
		return tpl_partial(ps, rest, rn);
	default:
		return tpl_var(ps, s, n);
	}
}

static size_t
tpl_lines(const char *s, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	return k;
}

/* Offset of the first "cc" in s[from..n), or n. */
static size_t
tpl_find2(const char *s, size_t from, size_t n, char c)
{
	const char	*p;

	while (from + 1 < n) {
		if ((p = memchr(s + from, c, n - from - 1)) == NULL)
			return n;
		from = (size_t)(p - s);
		if (s[from + 1] == c)
			return from;
		from++;
	}
	return n;
}

static int
tpl_parse(struct tpl_parser *ps, const char *src, size_t len)
{
	size_t	 pos = 0, o, c;

	while (pos < len) {
		o = tpl_find2(src, pos, len, '{');
		if (tpl_add_text(ps, src + pos, o - pos) == -1)
			return -1;
		ps->line += tpl_lines(src + pos, o - pos);
		if (o == len)
			break;
		if ((c = tpl_find2(src, o + 2, len, '}')) == len) {
			tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
			    "unterminated tag");
			return -1;
		}
		if (tpl_tag(ps, src + o + 2, c - o - 2) == -1)
			return -1;
		ps->line += tpl_lines(src + o, c - o);
		pos = c + 2;
	}
	if (ps->nopen > 0) {
		ps->line = ps->t->nodes[ps->open[ps->nopen - 1]].line;
		tpl_err(ps->err, ps->errsz, ps->t->file, ps->line,
		    "unclosed section {{#%s}}",
		    ps->t->nodes[ps->open[ps->nopen - 1]].name);
		return -1;
	}
	return 0;
}

/* A new empty template in s, named name, errors reported against file. */
static struct tpl *
tpl_new(struct tpl_set *s, const char *name, const char *file,
    char *err, size_t errsz)
{
	struct tpl	*p, *t;
	size_t		 ncap;

	if (!tpl_name_ok(name, strlen(name)) || tpl_find(s, name) >= 0) {
		tpl_err(err, errsz, file, 1, "bad or duplicate template name");
		return NULL;
	}
	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 8 : s->cap * 2;
		if (ncap > SIZE_MAX / sizeof(*p) ||
		    (p = realloc(s->tpls, ncap * sizeof(*p))) == NULL)
			goto oom;
		s->tpls = p;
		s->cap = ncap;
	}
	t = &s->tpls[s->n];
	memset(t, 0, sizeof(*t));
	if ((t->name = strdup(name)) == NULL ||
	    (t->file = strdup(file)) == NULL) {
		tpl_free_one(t);
		goto oom;
	}
	s->n++;
	return t;
oom:
	tpl_err(err, errsz, file, 1, "out of memory");
	return NULL;
}

/* Parses text (len bytes) as template name into s. */
static int
tpl_add(struct tpl_set *s, const char *name, const char *file,
    const char *text, size_t len, char *err, size_t errsz)
{
	struct tpl_parser	 ps;
	struct tpl		*t;

	if (len > TPL_MAX_SIZE) {
		tpl_err(err, errsz, file, 1, "template over %u bytes",
		    TPL_MAX_SIZE);
		return -1;
	}
	if ((t = tpl_new(s, name, file, err, errsz)) == NULL)
		return -1;
	memset(&ps, 0, sizeof(ps));
	ps.t = t;
	ps.line = 1;
	ps.err = err;
	ps.errsz = errsz;
	if ((t->src = malloc(len + 1)) == NULL)
		return tpl_oom(&ps);
	if (len > 0)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	return tpl_parse(&ps, t->src, len);
}

/* Points every {{> name}} at its template: a name not loaded is an error. */
static int
tpl_resolve(struct tpl_set *s, char *err, size_t errsz)
{
	struct tpl_node	*nd;
	size_t		 i, k;
	long		 idx;

	for (i = 0; i < s->n; i++)
		for (k = 0; k < s->tpls[i].nnodes; k++) {
			nd = &s->tpls[i].nodes[k];
			if (nd->kind != TPL_PARTIAL)
				continue;
			if ((idx = tpl_find(s, nd->name)) < 0) {
				tpl_err(err, errsz, s->tpls[i].file, nd->line,
				    "unknown partial '%s'", nd->name);
				return -1;
			}
			nd->partial = (size_t)idx;
		}
	return 0;
}

struct tpl_set *
tpl_load_mem(const char *const *names, const char *const *texts, size_t n,
    char *err, size_t errsz)
{
	struct tpl_set	*s;
	size_t		 i;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		tpl_err(err, errsz, "(templates)", 0, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (tpl_add(s, names[i], names[i], texts[i],
		    strnlen(texts[i], TPL_MAX_SIZE + 1), err, errsz) == -1)
			goto fail;
	if (tpl_resolve(s, err, errsz) == -1)
		goto fail;
	return s;
fail:
	tpl_free(s);
	return NULL;
}

/* Reads a regular file of at most TPL_MAX_SIZE bytes; *len holds its size. */
static char *
tpl_read(const char *path, size_t *len, char *err, size_t errsz,
    const char *file)
{
	struct stat	 st;
	char		*p = NULL;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		tpl_err(err, errsz, file, 1, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		tpl_err(err, errsz, file, 1, "not a regular file");
		goto out;
	}
	if (st.st_size > (off_t)TPL_MAX_SIZE) {
		tpl_err(err, errsz, file, 1, "template over %u bytes",
		    TPL_MAX_SIZE);
		goto out;
	}
	/* One byte more than allowed shows a file that grew meanwhile. */
	if ((p = malloc(TPL_MAX_SIZE + 1)) == NULL) {
		tpl_err(err, errsz, file, 1, "out of memory");
		goto out;
	}
	*len = 0;
	while (*len <= TPL_MAX_SIZE &&
	    (r = read(fd, p + *len, TPL_MAX_SIZE + 1 - *len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			tpl_err(err, errsz, file, 1, "%s", strerror(errno));
			goto fail;
		}
		*len += (size_t)r;
	}
	if (*len > TPL_MAX_SIZE) {
		tpl_err(err, errsz, file, 1, "template over %u bytes",
		    TPL_MAX_SIZE);
		goto fail;
	}
	goto out;
fail:
	free(p);
	p = NULL;
out:
	(void)close(fd);
	return p;
}

static int
tpl_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.html file names in dir, sorted; NULL on error. */
static char **
tpl_list(const char *dir, size_t *n, char *err, size_t errsz)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv;
	size_t		 len, cap = 0;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		tpl_err(err, errsz, dir, 0, "%s", strerror(errno));
		return NULL;
	}
	cap = 16;
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		goto oom;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= TPL_EXTLEN || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - TPL_EXTLEN, TPL_EXT) != 0)
			continue;
		if (*n == cap) {
			cap *= 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto oom;
		(*n)++;
	}
	(void)closedir(d);
	qsort(v, *n, sizeof(*v), tpl_cmp);
	return v;
oom:
	tpl_err(err, errsz, dir, 0, "out of memory");
	(void)closedir(d);
	while (*n > 0)
		free(v[--(*n)]);
	free(v);
	return NULL;
}

static int
tpl_load_file(struct tpl_set *s, const char *dir, const char *file,
    char *err, size_t errsz)
{
	char	 path[4096], name[256];
	char	*text;
	size_t	 len, nlen = strlen(file) - TPL_EXTLEN;
	int	 n, rc;

	n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path) || nlen >= sizeof(name)) {
		tpl_err(err, errsz, file, 1, "path too long");
		return -1;
	}
	memcpy(name, file, nlen);
	name[nlen] = '\0';
	if ((text = tpl_read(path, &len, err, errsz, file)) == NULL)
		return -1;
	rc = tpl_add(s, name, file, text, len, err, errsz);
	free(text);
	return rc;
}

struct tpl_set *
tpl_load_dir(const char *dir, char *err, size_t errsz)
{
	struct tpl_set	*s = NULL;
	char		**files;
	size_t		 i, n;
	int		 ok = 0;

	if ((files = tpl_list(dir, &n, err, errsz)) == NULL)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		tpl_err(err, errsz, dir, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (tpl_load_file(s, dir, files[i], err, errsz) == -1)
			goto out;
	ok = tpl_resolve(s, err, errsz) == 0;
out:
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	if (!ok) {
		tpl_free(s);
		s = NULL;
	}
	return s;
}
