#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/valid.h"
#include "ing_int.h"

/*
 * The fast path for the common JSON Lines record: one flat cast object
 * whose keys are all known (docs/jsonl.md), each at most once, with
 * strings, integers, null and arrays of integers as values.  It builds no
 * JSON tree and allocates only what the record keeps: json-c's tokenizer
 * (with its locale set-up per call) and its per-value mallocs were about
 * half of the ingester's parse time (docs/ingest.md, "Fourth round").
 *
 * It accepts only what it can prove good; anything else (another type,
 * an unknown or repeated key, a string with \u0000 or a surrogate, a
 * float, a string where an integer is expected, a value out of range, a
 * syntax error) makes it answer "not handled", and the json-c path reads
 * the line with its own validation and messages.  So a bad record is
 * always reported by the json-c path.  tests/unit/reply/test_ing_fast.c
 * and tests/fuzz/fuzz_ing.c check that both paths give the same record.
 */

enum fk {
	FK_TYPE, FK_HASH, FK_FID, FK_TIME, FK_TEXT, FK_PARENT_HASH,
	FK_PARENT_FID, FK_PARENT_URL, FK_ROOT_HASH, FK_MENTIONS, FK_MPOS,
	FK__MAX
};

static const char *const fk_names[FK__MAX] = {
	"type", "hash", "fid", "time", "text", "parent_hash", "parent_fid",
	"parent_url", "root_hash", "mentions", "mentions_positions",
};

/* The scanner's position in one line; e is one past its end. */
struct fs {
	const char	*p, *e;
};

/* A decoded string: NUL-terminated, len bytes. */
struct fstr {
	char	 s[ING_MAX_TEXT + 8];
	size_t	 len;
	int	 null;		/* the value was null */
};

/* A list of integers as given. */
struct flist {
	int64_t	 v[ING_MAX_MENTIONS];
	size_t	 n;
	int	 null;
};

static void
fs_ws(struct fs *f)
{
	while (f->p < f->e && (*f->p == ' ' || *f->p == '\t' ||
	    *f->p == '\r' || *f->p == '\n'))
		f->p++;
}

static int
fs_lit(struct fs *f, const char *lit, size_t n)
{
	if ((size_t)(f->e - f->p) < n || memcmp(f->p, lit, n) != 0)
		return -1;
	f->p += n;
	return 0;
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned	 v = 0;
	int		 i, d;

	for (i = 0; i < 4; i++) {
		d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' :
		    p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 :
		    p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

/* One escape after the backslash at f->p; appends to out.  -1: not handled. */
static int
fs_escape(struct fs *f, struct fstr *out)
{
	static const char	 from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*k;
	unsigned		 u;

	if (f->e - f->p < 2)
		return -1;
	if (f->p[1] != 'u') {
		if (f->p[1] == '\0' || (k = strchr(from, f->p[1])) == NULL)
			return -1;
		out->s[out->len++] = to[k - from];
		f->p += 2;
		return 0;
	}
	/* No NUL, no surrogates: those go to json-c. */
	if (f->e - f->p < 6 || hex4(f->p + 2, &u) == -1 || u == 0 ||
	    (u >= 0xd800 && u <= 0xdfff))
		return -1;
	if (u < 0x80)
		out->s[out->len++] = (char)u;
	else if (u < 0x800) {
		out->s[out->len++] = (char)(0xc0 | u >> 6);
		out->s[out->len++] = (char)(0x80 | (u & 0x3f));
	} else {
		out->s[out->len++] = (char)(0xe0 | u >> 12);
		out->s[out->len++] = (char)(0x80 | (u >> 6 & 0x3f));
		out->s[out->len++] = (char)(0x80 | (u & 0x3f));
	}
	f->p += 6;
	return 0;
}

/* A string at f->p ('"'), decoded into out; at most max bytes.  -1: not handled. */
static int
fs_str(struct fs *f, struct fstr *out, size_t max)
{
	const char	*q;
	unsigned char	 ch;
	size_t		 n;

	out->len = 0;
	out->null = 0;
	if (f->p >= f->e || *f->p != '"')
		return -1;
	f->p++;
	while (f->p < f->e) {
		ch = (unsigned char)*f->p;
		if (ch == '"') {
			f->p++;
			out->s[out->len] = '\0';
			return 0;
		}
		if (out->len + 3 > max)	/* room for one more character */
			return -1;
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (fs_escape(f, out) == -1)
				return -1;
			continue;
		}
		/* A run of plain bytes at once: room for each, as above. */
		for (q = f->p + 1; q < f->e && (unsigned char)*q >= 0x20 &&
		    *q != '"' && *q != '\\'; q++)
			;
		n = (size_t)(q - f->p);
		if (out->len + n + 2 > max)
			return -1;
		memcpy(out->s + out->len, f->p, n);
		out->len += n;
		f->p = q;
	}
	return -1;
}

/* A string or null. */
static int
fs_str_or_null(struct fs *f, struct fstr *out, size_t max)
{
	if (fs_lit(f, "null", 4) == 0) {
		out->len = 0;
		out->s[0] = '\0';
		out->null = 1;
		return 0;
	}
	return fs_str(f, out, max);
}

/* A non-negative JSON integer of at most 18 digits, no leading zero. */
static int
fs_int(struct fs *f, int64_t *out)
{
	int64_t	 v = 0;
	int	 n = 0;

	if (f->p < f->e && *f->p == '0' && f->e - f->p > 1 &&
	    f->p[1] >= '0' && f->p[1] <= '9')
		return -1;
	while (f->p < f->e && *f->p >= '0' && *f->p <= '9') {
		if (++n > 18)
			return -1;
		v = v * 10 + (*f->p++ - '0');
	}
	if (n == 0 || (f->p < f->e && (*f->p == '.' || *f->p == 'e' ||
	    *f->p == 'E')))
		return -1;
	*out = v;
	return 0;
}

/* An integer or null (*isnull set). */
static int
fs_int_or_null(struct fs *f, int64_t *out, int *isnull)
{
	*isnull = 0;
	*out = 0;
	if (fs_lit(f, "null", 4) == 0) {
		*isnull = 1;
		return 0;
	}
	return fs_int(f, out);
}

/* An array of at most ING_MAX_MENTIONS integers, or null. */
static int
fs_list(struct fs *f, struct flist *l)
{
	l->n = 0;
	l->null = 0;
	if (fs_lit(f, "null", 4) == 0) {
		l->null = 1;
		return 0;
	}
	if (fs_lit(f, "[", 1) == -1)
		return -1;
	fs_ws(f);
	if (fs_lit(f, "]", 1) == 0)
		return 0;
	for (;;) {
		if (l->n >= ING_MAX_MENTIONS || fs_int(f, &l->v[l->n++]) == -1)
			return -1;
		fs_ws(f);
		if (fs_lit(f, "]", 1) == 0)
			return 0;
		if (fs_lit(f, ",", 1) == -1)
			return -1;
		fs_ws(f);
	}
}

/* What the scan found, before the checks. */
struct fvals {
	unsigned	 seen;		/* bit per enum fk */
	struct fstr	 type, hash, text, phash, purl, rhash;
	int64_t		 fid, time, pfid;
	int		 fid_null, time_null, pfid_null;
	struct flist	 mentions, mpos;
};

static int
fs_value(struct fs *f, enum fk k, struct fvals *v)
{
	switch (k) {
	case FK_TYPE:
		return fs_str_or_null(f, &v->type, 16);
	case FK_HASH:
		return fs_str_or_null(f, &v->hash, 64);
	case FK_PARENT_HASH:
		return fs_str_or_null(f, &v->phash, 64);
	case FK_ROOT_HASH:
		return fs_str_or_null(f, &v->rhash, 64);
	case FK_TEXT:
		return fs_str_or_null(f, &v->text, ING_MAX_TEXT);
	case FK_PARENT_URL:
		return fs_str_or_null(f, &v->purl, ING_MAX_STR);
	case FK_FID:
		return fs_int_or_null(f, &v->fid, &v->fid_null);
	case FK_TIME:
		return fs_int_or_null(f, &v->time, &v->time_null);
	case FK_PARENT_FID:
		return fs_int_or_null(f, &v->pfid, &v->pfid_null);
	case FK_MENTIONS:
		return fs_list(f, &v->mentions);
	case FK_MPOS:
		return fs_list(f, &v->mpos);
	default:
		return -1;
	}
}

/* A key at f->p: which one, or -1 (unknown, escaped, repeated). */
static int
fs_key(struct fs *f, unsigned seen)
{
	const char	*q;
	size_t		 n;
	int		 k;

	if (fs_lit(f, "\"", 1) == -1 ||
	    (q = memchr(f->p, '"', (size_t)(f->e - f->p))) == NULL)
		return -1;
	n = (size_t)(q - f->p);
	for (k = 0; k < FK__MAX; k++)
		if (strlen(fk_names[k]) == n &&
		    memcmp(fk_names[k], f->p, n) == 0)
			break;
	if (k == FK__MAX || (seen & 1u << k) != 0)
		return -1;
	f->p = q + 1;
	return k;
}

/* The whole line into v.  -1: not handled. */
static int
fs_scan(const char *line, size_t len, struct fvals *v)
{
	struct fs	 f = { line, line + len };
	int		 k;

	fs_ws(&f);
	if (fs_lit(&f, "{", 1) == -1)
		return -1;
	fs_ws(&f);
	if (fs_lit(&f, "}", 1) == 0)
		return -1;	/* {}: json-c reports what is missing */
	for (;;) {
		if ((k = fs_key(&f, v->seen)) == -1)
			return -1;
		v->seen |= 1u << k;
		fs_ws(&f);
		if (fs_lit(&f, ":", 1) == -1)
			return -1;
		fs_ws(&f);
		if (fs_value(&f, (enum fk)k, v) == -1)
			return -1;
		fs_ws(&f);
		if (fs_lit(&f, "}", 1) == 0)
			break;
		if (fs_lit(&f, ",", 1) == -1)
			return -1;
		fs_ws(&f);
	}
	fs_ws(&f);
	return f.p == f.e ? 0 : -1;
}

/* A hash value present or null; out "" when absent.  -1: not handled. */
static int
fs_hash(const struct fvals *v, enum fk k, const struct fstr *s, int req,
    char out[])
{
	out[0] = '\0';
	if ((v->seen & 1u << k) == 0 || s->null)
		return req ? -1 : 0;
	if (s->len != ING_HASH_LEN || valid_hash(s->s, out) == -1)
		return -1;
	return 0;
}

/* An optional string kept in the arena; NULL when absent. */
static int
fs_keep(struct ing_ctx *c, const struct fvals *v, enum fk k,
    const struct fstr *s, const char **out)
{
	*out = NULL;
	if ((v->seen & 1u << k) == 0 || s->null)
		return 0;
	if (valid_utf8(s->s, s->len) == -1 ||
	    (*out = arena_strndup(c->a, s->s, s->len)) == NULL)
		return -1;
	return 0;
}

static int
fs_fid_ok(int64_t fid)
{
	return fid >= 1 && fid <= ING_MAX_FID;
}

/* The mentions and their positions, as jsonl_mentions() keeps them. */
static int
fs_mentions(struct ing_ctx *c, const struct fvals *v, struct ing_cast *cc)
{
	struct ing_why	 w;
	size_t		 i, n = v->mentions.n;

	if ((v->seen & 1u << FK_MENTIONS) == 0 || v->mentions.null)
		return 0;
	for (i = 0; i < n; i++)
		if (!fs_fid_ok(v->mentions.v[i]) ||
		    ing_mention(c, cc, v->mentions.v[i], "mentions", &w) == -1)
			return -1;
	if ((v->seen & 1u << FK_MPOS) == 0 || v->mpos.null || n == 0 ||
	    v->mpos.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (v->mpos.v[i] > ING_MAX_TEXT)
			return 0;
	if ((cc->mfid = arena_alloc(c->a, n * sizeof(*cc->mfid))) == NULL ||
	    (cc->mpos = arena_alloc(c->a, n * sizeof(*cc->mpos))) == NULL)
		return -1;
	memcpy(cc->mfid, v->mentions.v, n * sizeof(*cc->mfid));
	memcpy(cc->mpos, v->mpos.v, n * sizeof(*cc->mpos));
	cc->nmpos = n;
	return 0;
}

/* The checks of jsonl_cast(), on values the scan found. */
static int
fs_cast(struct ing_ctx *c, const struct fvals *v, struct ing_cast *cc)
{
	struct ing_why	 w;

	if ((v->seen & 1u << FK_TYPE) != 0 && !v->type.null &&
	    strcmp(v->type.s, "cast") != 0)
		return -1;
	if ((v->seen & 1u << FK_FID) == 0 || v->fid_null ||
	    !fs_fid_ok(v->fid) || (v->seen & 1u << FK_TIME) == 0 ||
	    v->time_null || ing_check_time(c, v->time, "time", &w) == -1)
		return -1;
	if ((v->seen & 1u << FK_PARENT_FID) != 0 && !v->pfid_null &&
	    !fs_fid_ok(v->pfid))
		return -1;
	if (fs_hash(v, FK_HASH, &v->hash, 1, cc->hash) == -1 ||
	    fs_hash(v, FK_PARENT_HASH, &v->phash, 0, cc->parent_hash) == -1 ||
	    fs_hash(v, FK_ROOT_HASH, &v->rhash, 0, cc->root_hash) == -1 ||
	    fs_keep(c, v, FK_TEXT, &v->text, &cc->text) == -1 ||
	    fs_keep(c, v, FK_PARENT_URL, &v->purl, &cc->parent_url) == -1 ||
	    fs_mentions(c, v, cc) == -1)
		return -1;
	cc->fid = v->fid;
	cc->time = v->time;
	cc->parent_fid = cc->parent_hash[0] == '\0' ? 0 : v->pfid;
	if (cc->text == NULL)
		cc->text = "";
	return 0;
}

int
ing_jsonl_fast(struct ing_ctx *c, const char *line, size_t len,
    struct ing_rec *r)
{
	struct fvals	 v;

	memset(r, 0, sizeof(*r));
	v.seen = 0;
	v.fid = v.time = v.pfid = 0;
	v.fid_null = v.time_null = v.pfid_null = 0;
	if (fs_scan(line, len, &v) == -1 ||
	    fs_cast(c, &v, &r->u.cast) == -1) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	r->kind = ING_CAST;
	return 1;
}

static int
same_str(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

static int
same_i64(const int64_t *x, const int64_t *y, size_t n)
{
	return n == 0 || (x != NULL && y != NULL &&
	    memcmp(x, y, n * sizeof(*x)) == 0);
}

int
ing_cast_same(const struct ing_cast *x, const struct ing_cast *y)
{
	return strcmp(x->hash, y->hash) == 0 && x->fid == y->fid &&
	    x->time == y->time && same_str(x->text, y->text) &&
	    strcmp(x->parent_hash, y->parent_hash) == 0 &&
	    x->parent_fid == y->parent_fid &&
	    same_str(x->parent_url, y->parent_url) &&
	    strcmp(x->root_hash, y->root_hash) == 0 &&
	    x->nmentions == y->nmentions &&
	    same_i64(x->mentions, y->mentions, x->nmentions) &&
	    x->nmpos == y->nmpos && same_i64(x->mfid, y->mfid, x->nmpos) &&
	    same_i64(x->mpos, y->mpos, x->nmpos);
}
