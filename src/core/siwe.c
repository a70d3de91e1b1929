/*
 * EIP-4361 messages, parsed line by line in the order the EIP's ABNF
 * fixes.  The grammar followed is the EIP's current one: the statement
 * section is "statement LF LF" or a lone LF (what the siwe library, and so
 * every Farcaster client, writes), the domain is host [":" port] without
 * userinfo, a statement is printable ASCII.  Nothing is allocated: every
 * field has a bound and a longer one is SIWE_TOO_LONG.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "siwe.h"
#include "valid.h"

#define SIWE_HEADER_TAIL " wants you to sign in with your Ethereum account:"
#define SIWE_FID_PREFIX	"farcaster://fid/"
#define SIWE_METHOD_PREFIX "farcaster://signer/type/"
#define SIWE_SKEW_CAP	((int64_t)1 << 40)	/* keeps now +- skew in range */

/* The unread rest of the message; done once the last line was taken. */
struct siwe_cur {
	const char	*p, *end;
	int		 done;
};

/* One line, without its LF. */
struct siwe_line {
	const char	*s;
	size_t		 n;
};

static const char	*siwe_err_strs[SIWE_ERR__MAX] = {
	[SIWE_OK] = "ok",
	[SIWE_TOO_LONG] = "the message or one of its fields is too long",
	[SIWE_BAD_CHAR] = "the message holds a byte other than printable ASCII and LF",
	[SIWE_BAD_HEADER] = "the first line is not \"DOMAIN wants you to sign in with your Ethereum account:\"",
	[SIWE_BAD_ADDRESS] = "the address is not 0x and 40 hex digits with its EIP-55 checksum",
	[SIWE_BAD_STATEMENT] = "the statement or the blank lines around it are malformed",
	[SIWE_BAD_URI] = "the URI is malformed",
	[SIWE_BAD_VERSION] = "the version is malformed",
	[SIWE_BAD_CHAIN] = "the chain ID is malformed",
	[SIWE_BAD_NONCE] = "the nonce is not 8 or more letters and digits",
	[SIWE_BAD_TIME] = "a time is not an RFC 3339 date-time",
	[SIWE_BAD_REQUEST_ID] = "the request ID is malformed",
	[SIWE_BAD_RESOURCE] = "a resource is not \"- \" and a URI",
	[SIWE_BAD_FIELD] = "a line is missing, unknown, repeated or out of order",
};

static const char	*siwe_check_strs[SIWE_CHECK__MAX] = {
	[SIWE_CHECK_OK] = "ok",
	[SIWE_CHECK_VERSION] = "the message version is not 1",
	[SIWE_CHECK_CHAIN] = "the chain ID is not the expected one",
	[SIWE_CHECK_DOMAIN] = "the domain is not this site",
	[SIWE_CHECK_URI] = "the URI is not this site's sign-in URI",
	[SIWE_CHECK_STATEMENT] = "the statement is not \"Farcaster Auth\"",
	[SIWE_CHECK_ISSUED_FUTURE] = "the message is issued in the future",
	[SIWE_CHECK_EXPIRED] = "the message has expired",
	[SIWE_CHECK_NOT_YET] = "the message is not valid yet",
	[SIWE_CHECK_NO_FID] = "the message names no farcaster://fid/ resource",
	[SIWE_CHECK_MANY_FIDS] = "the message names more than one fid",
	[SIWE_CHECK_BAD_FID] = "the fid resource is not farcaster://fid/N",
	[SIWE_CHECK_METHOD] = "the farcaster://signer/type/ resource is unknown or repeated",
};

static const char	*siwe_sig_strs[SIWE_SIG__MAX] = {
	[SIWE_SIG_OK] = "ok",
	[SIWE_SIG_BAD_HEX] = "the signature is not 0x and 130 hex digits",
	[SIWE_SIG_BAD] = "the signature is invalid",
	[SIWE_SIG_MISMATCH] = "the signature is not by the message's address",
};

const char *
siwe_err_str(enum siwe_err e)
{
	return (unsigned)e < SIWE_ERR__MAX ? siwe_err_strs[e] : "unknown";
}

const char *
siwe_check_str(enum siwe_check c)
{
	return (unsigned)c < SIWE_CHECK__MAX ? siwe_check_strs[c] : "unknown";
}

const char *
siwe_sig_str(enum siwe_sig s)
{
	return (unsigned)s < SIWE_SIG__MAX ? siwe_sig_strs[s] : "unknown";
}

/* Takes the next line; -1 when the message has no more. */
static int
siwe_next(struct siwe_cur *c, struct siwe_line *l)
{
	const char	*nl;

	if (c->done)
		return -1;
	l->s = c->p;
	if ((nl = memchr(c->p, '\n', (size_t)(c->end - c->p))) == NULL) {
		l->n = (size_t)(c->end - c->p);
		c->p = c->end;
		c->done = 1;
	} else {
		l->n = (size_t)(nl - c->p);
		c->p = nl + 1;
	}
	return 0;
}

/* The line starts with prefix: l is moved past it. */
static int
siwe_prefix(struct siwe_line *l, const char *prefix)
{
	size_t	 n = strlen(prefix);

	if (l->n < n || memcmp(l->s, prefix, n) != 0)
		return 0;
	l->s += n;
	l->n -= n;
	return 1;
}

/* n bytes at s into dst of size sz, NUL-terminated; -1 when too long. */
static int
siwe_copy(char *dst, size_t sz, const char *s, size_t n)
{
	if (n >= sz)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int
siwe_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9');
}

static int
siwe_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
siwe_hexdig(char ch)
{
	return siwe_digit(ch) || (ch >= 'a' && ch <= 'f') ||
	    (ch >= 'A' && ch <= 'F');
}

/* RFC 3986 unreserved, sub-delims, ":" and "@": the pchar set less '%'. */
static int
siwe_pchar(char ch)
{
	return siwe_alnum(ch) || strchr("-._~!$&'()*+,;=:@", ch) != NULL;
}

/* pct-encoded at s[i] (s holds n bytes): its length 3, or 0. */
static size_t
siwe_pct(const char *s, size_t n, size_t i)
{
	return s[i] == '%' && i + 2 < n && siwe_hexdig(s[i + 1]) &&
	    siwe_hexdig(s[i + 2]) ? 3 : 0;
}

/* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static int
siwe_scheme_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || siwe_digit(s[0]) || !siwe_alnum(s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!siwe_alnum(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.')
			return 0;
	return 1;
}

/*
 * An absolute URI: a scheme, ":", then characters RFC 3986 allows in a
 * URI (the pchar set, "/", "?", "#", "[" and "]", and %XX escapes).  The
 * parts after the scheme are not told apart: comparing the URI is the
 * checker's work.
 */
static int
siwe_uri_ok(const char *s, size_t n)
{
	const char	*colon;
	size_t		 i, k;

	if ((colon = memchr(s, ':', n)) == NULL ||
	    !siwe_scheme_ok(s, (size_t)(colon - s)))
		return 0;
	for (i = (size_t)(colon - s) + 1; i < n; i++) {
		if ((k = siwe_pct(s, n, i)) != 0)
			i += k - 1;
		else if (!siwe_pchar(s[i]) && strchr("/?#[]", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* host [":" port]: a reg-name (no '%') or an [IPv6] literal, port digits. */
static int
siwe_domain_ok(const char *s, size_t n)
{
	size_t	 i = 0;

	if (n > 0 && s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			if (!siwe_hexdig(s[i]) && s[i] != ':' && s[i] != '.')
				return 0;
		if (i == n || i == 1)
			return 0;
		i++;
	} else {
		while (i < n && (siwe_alnum(s[i]) || strchr("-._~", s[i])))
			i++;
		if (i == 0)
			return 0;
	}
	if (i == n)
		return 1;
	if (s[i++] != ':' || i == n || n - i > 5)
		return 0;
	for (; i < n; i++)
		if (!siwe_digit(s[i]))
			return 0;
	return 1;
}

static enum siwe_err
siwe_header(struct siwe_line l, struct siwe_msg *m)
{
	size_t		 tail = sizeof(SIWE_HEADER_TAIL) - 1;
	const char	*sep;

	if (l.n < tail || memcmp(l.s + l.n - tail, SIWE_HEADER_TAIL, tail) != 0)
		return SIWE_BAD_HEADER;
	l.n -= tail;
	if (l.n >= 3 && (sep = memchr(l.s, ':', l.n)) != NULL &&
	    (size_t)(sep - l.s) + 3 <= l.n && memcmp(sep, "://", 3) == 0) {
		if (!siwe_scheme_ok(l.s, (size_t)(sep - l.s)))
			return SIWE_BAD_HEADER;
		if (siwe_copy(m->scheme, sizeof(m->scheme), l.s,
		    (size_t)(sep - l.s)) == -1)
			return SIWE_TOO_LONG;
		l.n -= (size_t)(sep - l.s) + 3;
		l.s = sep + 3;
	}
	if (!siwe_domain_ok(l.s, l.n))
		return SIWE_BAD_HEADER;
	return siwe_copy(m->domain, sizeof(m->domain), l.s, l.n) == -1 ?
	    SIWE_TOO_LONG : SIWE_OK;
}

static enum siwe_err
siwe_address(struct siwe_line l, struct siwe_msg *m)
{
	if (l.n != ETH_ADDR_LEN)
		return SIWE_BAD_ADDRESS;
	memcpy(m->address, l.s, l.n);
	m->address[l.n] = '\0';
	return eth_addr_checksum_ok(m->address) ? SIWE_OK : SIWE_BAD_ADDRESS;
}

/*
 * After the address: LF, then either "statement LF LF" or a lone LF.  *l
 * gets the line after, which should be the URI line.  A statement that
 * reads "URI: ..." is told from the URI line by the blank line after it.
 */
static enum siwe_err
siwe_statement(struct siwe_cur *c, struct siwe_line *l, struct siwe_msg *m)
{
	struct siwe_line	 next;
	struct siwe_cur		 peek;

	if (siwe_next(c, l) == -1)
		return SIWE_BAD_FIELD;
	if (l->n != 0)
		return SIWE_BAD_STATEMENT;
	if (siwe_next(c, l) == -1)
		return SIWE_BAD_FIELD;
	if (l->n == 0)
		return SIWE_BAD_STATEMENT;
	peek = *c;
	if (siwe_next(&peek, &next) == -1 || next.n != 0)
		return SIWE_OK;			/* no statement: l is URI */
	if (siwe_copy(m->statement, sizeof(m->statement), l->s, l->n) == -1)
		return SIWE_TOO_LONG;
	m->has_statement = true;
	*c = peek;
	return siwe_next(c, l) == -1 ? SIWE_BAD_FIELD : SIWE_OK;
}

/* The strict RFC 3339 shape valid_iso_time does not insist on. */
static int
siwe_time_shape(const char *s, size_t n)
{
	static const char	 pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t			 i, f;

	if (n < sizeof(pat))
		return 0;
	for (i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? !siwe_digit(s[i]) : pat[i] == 'T' ?
		    s[i] != 'T' && s[i] != 't' : s[i] != pat[i])
			return 0;
	if (s[i] == '.') {
		for (f = ++i; i < n && siwe_digit(s[i]); i++)
			;
		if (i == f || i - f > 9)
			return 0;
	}
	if (n - i == 1)
		return s[i] == 'Z' || s[i] == 'z';
	return n - i == 6 && (s[i] == '+' || s[i] == '-') &&
	    siwe_digit(s[i + 1]) && siwe_digit(s[i + 2]) && s[i + 3] == ':' &&
	    siwe_digit(s[i + 4]) && siwe_digit(s[i + 5]);
}

static enum siwe_err
siwe_time(struct siwe_line l, struct siwe_time *t)
{
	if (!siwe_time_shape(l.s, l.n) ||
	    siwe_copy(t->text, sizeof(t->text), l.s, l.n) == -1 ||
	    valid_iso_time(t->text, &t->secs) == -1)
		return SIWE_BAD_TIME;
	t->set = true;
	return SIWE_OK;
}

static enum siwe_err
siwe_uri(struct siwe_line l, char *dst, size_t sz, enum siwe_err bad)
{
	if (l.n >= sz)
		return SIWE_TOO_LONG;
	if (!siwe_uri_ok(l.s, l.n))
		return bad;
	(void)siwe_copy(dst, sz, l.s, l.n);
	return SIWE_OK;
}

static enum siwe_err
siwe_version(struct siwe_line l, struct siwe_msg *m)
{
	size_t	 i;

	if (l.n == 0 || l.n >= sizeof(m->version))
		return SIWE_BAD_VERSION;
	for (i = 0; i < l.n; i++)
		if (!siwe_digit(l.s[i]))
			return SIWE_BAD_VERSION;
	(void)siwe_copy(m->version, sizeof(m->version), l.s, l.n);
	return SIWE_OK;
}

/* A canonical decimal in [1, INT64_MAX] (no sign, no leading zero). */
static int
siwe_id(const char *s, size_t n, int64_t *out)
{
	char		 buf[24];
	uint64_t	 v;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (!siwe_digit(s[i]))
			return -1;
	if (siwe_copy(buf, sizeof(buf), s, n) == -1 ||
	    valid_id(buf, INT64_MAX, &v) == -1)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static enum siwe_err
siwe_nonce(struct siwe_line l, struct siwe_msg *m)
{
	size_t	 i;

	if (l.n >= sizeof(m->nonce))
		return SIWE_TOO_LONG;
	if (l.n < SIWE_NONCE_MIN)
		return SIWE_BAD_NONCE;
	for (i = 0; i < l.n; i++)
		if (!siwe_alnum(l.s[i]))
			return SIWE_BAD_NONCE;
	(void)siwe_copy(m->nonce, sizeof(m->nonce), l.s, l.n);
	return SIWE_OK;
}

static enum siwe_err
siwe_request_id(struct siwe_line l, struct siwe_msg *m)
{
	size_t	 i, k;

	if (l.n >= sizeof(m->request_id))
		return SIWE_TOO_LONG;
	for (i = 0; i < l.n; i++) {
		if ((k = siwe_pct(l.s, l.n, i)) != 0)
			i += k - 1;
		else if (!siwe_pchar(l.s[i]))
			return SIWE_BAD_REQUEST_ID;
	}
	(void)siwe_copy(m->request_id, sizeof(m->request_id), l.s, l.n);
	m->has_request_id = true;
	return SIWE_OK;
}

/* The lines after "Resources:": each "- " URI, to the end. */
static enum siwe_err
siwe_resources(struct siwe_cur *c, struct siwe_msg *m)
{
	struct siwe_line	 l;
	enum siwe_err		 e;

	m->has_resources = true;
	while (siwe_next(c, &l) == 0) {
		if (!siwe_prefix(&l, "- "))
			return SIWE_BAD_RESOURCE;
		if (m->nresources == SIWE_RES_MAX)
			return SIWE_TOO_LONG;
		if ((e = siwe_uri(l, m->resources[m->nresources],
		    sizeof(m->resources[0]), SIWE_BAD_RESOURCE)) != SIWE_OK)
			return e;
		m->nresources++;
	}
	return SIWE_OK;
}

/* The required lines from URI to Issued At; l is the URI line. */
static enum siwe_err
siwe_required(struct siwe_cur *c, struct siwe_line l, struct siwe_msg *m)
{
	enum siwe_err	 e;

	if (!siwe_prefix(&l, "URI: "))
		return SIWE_BAD_FIELD;
	if ((e = siwe_uri(l, m->uri, sizeof(m->uri), SIWE_BAD_URI)) != SIWE_OK)
		return e;
	if (siwe_next(c, &l) == -1 || !siwe_prefix(&l, "Version: "))
		return SIWE_BAD_FIELD;
	if ((e = siwe_version(l, m)) != SIWE_OK)
		return e;
	if (siwe_next(c, &l) == -1 || !siwe_prefix(&l, "Chain ID: "))
		return SIWE_BAD_FIELD;
	if (siwe_id(l.s, l.n, &m->chain_id) == -1)
		return SIWE_BAD_CHAIN;
	if (siwe_next(c, &l) == -1 || !siwe_prefix(&l, "Nonce: "))
		return SIWE_BAD_FIELD;
	if ((e = siwe_nonce(l, m)) != SIWE_OK)
		return e;
	if (siwe_next(c, &l) == -1 || !siwe_prefix(&l, "Issued At: "))
		return SIWE_BAD_FIELD;
	return siwe_time(l, &m->issued_at);
}

/* The optional lines, each at most once and in the EIP's order. */
static enum siwe_err
siwe_optional(struct siwe_cur *c, struct siwe_msg *m)
{
	static const char	*const names[] = { "Expiration Time: ",
	    "Not Before: ", "Request ID: ", "Resources:" };
	struct siwe_line	 l;
	enum siwe_err		 e;
	size_t			 k, next = 0;

	while (siwe_next(c, &l) == 0) {
		for (k = next; k < 4 && !siwe_prefix(&l, names[k]); k++)
			;
		if (k == 4)
			return SIWE_BAD_FIELD;
		next = k + 1;
		if (k == 0)
			e = siwe_time(l, &m->expiration_time);
		else if (k == 1)
			e = siwe_time(l, &m->not_before);
		else if (k == 2)
			e = siwe_request_id(l, m);
		else
			return l.n != 0 ? SIWE_BAD_FIELD : siwe_resources(c, m);
		if (e != SIWE_OK)
			return e;
	}
	return SIWE_OK;
}

enum siwe_err
siwe_parse(const char *msg, size_t len, struct siwe_msg *m)
{
	struct siwe_cur		 c;
	struct siwe_line	 l;
	enum siwe_err		 e;
	size_t			 i;

	memset(m, 0, sizeof(*m));
	if (len > SIWE_MSG_MAX)
		return SIWE_TOO_LONG;
	for (i = 0; i < len; i++)
		if (msg[i] != '\n' && (msg[i] < 0x20 || msg[i] > 0x7e))
			return SIWE_BAD_CHAR;
	c.p = msg;
	c.end = msg + len;
	c.done = 0;
	(void)siwe_next(&c, &l);	/* the first line is always there */
	if ((e = siwe_header(l, m)) != SIWE_OK)
		return e;
	if (siwe_next(&c, &l) == -1)
		return SIWE_BAD_FIELD;
	if ((e = siwe_address(l, m)) != SIWE_OK ||
	    (e = siwe_statement(&c, &l, m)) != SIWE_OK ||
	    (e = siwe_required(&c, l, m)) != SIWE_OK)
		return e;
	return siwe_optional(&c, m);
}

/* The value after prefix with one optional trailing "/", or NULL. */
static const char *
siwe_res_value(const char *res, const char *prefix, size_t *n)
{
	size_t	 pl = strlen(prefix);

	if (strncmp(res, prefix, pl) != 0)
		return NULL;
	res += pl;
	*n = strlen(res);
	if (*n > 0 && res[*n - 1] == '/')
		(*n)--;
	return res;
}

static enum siwe_check
siwe_fid(const struct siwe_msg *m, int64_t *fid)
{
	const char	*v, *one = NULL;
	size_t		 i, n, vn = 0, count = 0;

	for (i = 0; i < m->nresources; i++)
		if ((v = siwe_res_value(m->resources[i], SIWE_FID_PREFIX,
		    &n)) != NULL) {
			one = v;
			vn = n;
			count++;
		}
	if (count == 0)
		return SIWE_CHECK_NO_FID;
	if (count > 1)
		return SIWE_CHECK_MANY_FIDS;
	return siwe_id(one, vn, fid) == -1 ? SIWE_CHECK_BAD_FID : SIWE_CHECK_OK;
}

enum siwe_method
siwe_method(const struct siwe_msg *m)
{
	enum siwe_method	 r = SIWE_METHOD_CUSTODY;
	const char		*v;
	size_t			 i, n, count = 0;

	for (i = 0; i < m->nresources; i++) {
		if ((v = siwe_res_value(m->resources[i], SIWE_METHOD_PREFIX,
		    &n)) == NULL)
			continue;
		if (++count > 1)
			return SIWE_METHOD_BAD;
		if (n == 7 && memcmp(v, "custody", 7) == 0)
			r = SIWE_METHOD_CUSTODY;
		else if (n == 11 && memcmp(v, "authAddress", 11) == 0)
			r = SIWE_METHOD_AUTH_ADDRESS;
		else
			return SIWE_METHOD_BAD;
	}
	return r;
}

static int64_t
siwe_cap(int64_t v)
{
	return v < 0 ? 0 : v > SIWE_SKEW_CAP ? SIWE_SKEW_CAP : v;
}

/* Times against now; parsed times lie within years 0000 to 9999. */
static enum siwe_check
siwe_times(const struct siwe_msg *m, const struct siwe_policy *p, int64_t now)
{
	int64_t	 skew = siwe_cap(p->skew), age = siwe_cap(p->max_age);

	if (now > SIWE_SKEW_CAP || now < -SIWE_SKEW_CAP)
		return SIWE_CHECK_EXPIRED;
	if (m->issued_at.secs > now + skew)
		return SIWE_CHECK_ISSUED_FUTURE;
	if (m->expiration_time.set && now - skew >= m->expiration_time.secs)
		return SIWE_CHECK_EXPIRED;
	if (age > 0 && now - skew > m->issued_at.secs + age)
		return SIWE_CHECK_EXPIRED;
	if (m->not_before.set && now + skew < m->not_before.secs)
		return SIWE_CHECK_NOT_YET;
	return SIWE_CHECK_OK;
}

enum siwe_check
siwe_check(const struct siwe_msg *m, const struct siwe_policy *p, int64_t now,
    int64_t *fid_out)
{
	enum siwe_check	 r;
	int64_t		 fid;

	if (strcmp(m->version, "1") != 0)
		return SIWE_CHECK_VERSION;
	if (m->chain_id != p->chain_id)
		return SIWE_CHECK_CHAIN;
	if (p->domain == NULL || strcasecmp(m->domain, p->domain) != 0 ||
	    (m->scheme[0] != '\0' && strcasecmp(m->scheme,
	    p->scheme != NULL ? p->scheme : "https") != 0))
		return SIWE_CHECK_DOMAIN;
	if (p->uri == NULL || strcmp(m->uri, p->uri) != 0)
		return SIWE_CHECK_URI;
	if (!m->has_statement || (strcmp(m->statement, "Farcaster Auth") != 0 &&
	    strcmp(m->statement, "Farcaster Connect") != 0))
		return SIWE_CHECK_STATEMENT;
	if ((r = siwe_times(m, p, now)) != SIWE_CHECK_OK)
		return r;
	if ((r = siwe_fid(m, &fid)) != SIWE_CHECK_OK)
		return r;
	if (siwe_method(m) == SIWE_METHOD_BAD)
		return SIWE_CHECK_METHOD;
	if (fid_out != NULL)
		*fid_out = fid;
	return SIWE_CHECK_OK;
}

enum siwe_sig
siwe_verify_sig(const struct siwe_msg *m, const char *raw, size_t len,
    const char *sig_hex, char signer[ETH_ADDR_SIZE])
{
	uint8_t	 sig[ETH_SIG_LEN], h[ETH_HASH_LEN];
	char	 rec[ETH_ADDR_SIZE];

	if (signer != NULL)
		signer[0] = '\0';
	if (eth_sig_from_hex(sig_hex, sig) != ETH_OK)
		return SIWE_SIG_BAD_HEX;
	eth_personal_hash(raw, len, h);
	if (eth_recover(h, sig, rec) != ETH_OK)
		return SIWE_SIG_BAD;
	if (signer != NULL)
		memcpy(signer, rec, sizeof(rec));
	return eth_addr_eq(rec, m->address) ? SIWE_SIG_OK : SIWE_SIG_MISMATCH;
}
