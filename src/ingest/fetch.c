#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/valid.h"
#include "hset.h"
#include "hub.h"
#include "ingest.h"

/*
 * --hub URL --fid N: the user's casts, mentions, replies to them, the
 * profiles involved and the user's likes (acknowledgements, issue 19).
 * Snapchain pages castsByMention and castsByParent per
 * shard: a page may hold more than pageSize messages, nextPageToken is never
 * empty and later pages repeat earlier messages.  So an endpoint stops at
 * the first page that brings no message hash this endpoint has not already
 * seen, or at an empty token, whichever comes first; the page count is
 * never trusted, but FETCH_MAX_PAGES bounds a hub that loops forever.
 *
 * Cursors (source "hub-fid"): key "URL fid=N ENDPOINT".  castsByFid and
 * castsByMention store the next page token; castsByParent and
 * userDataByFid walk a list (the user's casts by hash, the fids involved
 * by number) and store "ITEM TOKEN" inside an item, "ITEM" once it is
 * done.  A finished endpoint stores NULL, so the next run starts over and
 * picks up what is new (what it had is counted as already stored).
 */

#define FETCH_MAX_PAGES	10000
#define FETCH_SOURCE	"hub-fid"

static const char *const sql_track =
    "INSERT INTO tracked (fid) VALUES ($1) ON CONFLICT DO NOTHING";
/* The user's casts, in the order castsByParent walks them. */
static const char *const sql_own_casts =
    "SELECT '0x' || encode(hash, 'hex') FROM casts"
    " WHERE fid = $1 AND NOT deleted ORDER BY hash";
/* The user and everyone whose replies or mentions reached them. */
static const char *const sql_people =
    "SELECT $1::bigint UNION SELECT author_fid FROM inbound WHERE fid = $1"
    " ORDER BY 1";

struct fetch {
	struct ingest	*in;
	struct hub	*hub;
	int64_t		 fid;
	char		 fidstr[24];
	long		 page_size;
	struct buf	 body;
	struct buf	 query;
	long		 recno;
};

/* Counts the messages of doc whose hash seen did not hold yet; -1 ENOMEM. */
static long
fetch_new(struct hset *seen, struct json_object *doc)
{
	struct json_object	*arr, *m, *h;
	char			 hash[ING_HASH_LEN + 1];
	size_t			 i, n;
	long			 nnew = 0;
	int			 r;

	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "messages", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return 0;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		m = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(m, json_type_object) ||
		    !json_object_object_get_ex(m, "hash", &h) ||
		    !json_object_is_type(h, json_type_string) ||
		    valid_hash(json_object_get_string(h), hash) == -1)
			continue;
		if ((r = hset_add(seen, hash)) == -1)
			return -1;
		nnew += r;
	}
	return nnew;
}

static int
fetch_key(const struct fetch *f, const char *endpoint, char *key, size_t keysz)
{
	int	 n;

	n = snprintf(key, keysz, "%s fid=%s %s", hub_url(f->hub), f->fidstr,
	    endpoint);
	return n < 0 || (size_t)n >= keysz ? -1 : 0;
}

/*
 * The query of one page: base, pageSize, pageToken; reactionsByFid asks
 * for likes only (reaction_type=Like, as Snapchain and Hubble spell it).
 */
static int
fetch_query(struct fetch *f, const char *endpoint, const char *item_param,
    const char *item, const char *token)
{
	char	 ps[24];

	buf_reset(&f->query);
	snprintf(ps, sizeof(ps), "%ld", f->page_size);
	if (strcmp(item_param, "fid") == 0)
		return hub_query(f->hub, &f->query, "fid", item) == -1 ||
		    (strcmp(endpoint, "reactionsByFid") == 0 &&
		    hub_query(f->hub, &f->query, "reaction_type", "Like") == -1) ||
		    hub_query(f->hub, &f->query, "pageSize", ps) == -1 ||
		    (token[0] != '\0' && hub_query(f->hub, &f->query,
		    "pageToken", token) == -1) ? -1 : 0;
	return hub_query(f->hub, &f->query, "fid", f->fidstr) == -1 ||
	    hub_query(f->hub, &f->query, item_param, item) == -1 ||
	    hub_query(f->hub, &f->query, "pageSize", ps) == -1 ||
	    (token[0] != '\0' && hub_query(f->hub, &f->query, "pageToken",
	    token) == -1) ? -1 : 0;
}

/* Stores one parsed page with its cursor; *done when the endpoint ended. */
static int
fetch_store(struct fetch *f, const char *key, const char *item,
    const struct ing_page *pg, long nnew, int *done)
{
	struct store_cursor	 cur = { FETCH_SOURCE, key, NULL, 0 };
	char			 c[1024];
	int			 n;

	*done = pg->next_token[0] == '\0' || nnew == 0;
	if (*done)
		cur.cursor = item;
	else if (item == NULL)
		cur.cursor = pg->next_token;
	else {
		n = snprintf(c, sizeof(c), "%s %s", item, pg->next_token);
		if (n < 0 || (size_t)n >= sizeof(c)) {
			ingest_errf(f->in, "%s: page token too long", key);
			return -1;
		}
		cur.cursor = c;
	}
	if (ingest_flush(f->in, &cur) == -1)
		return -1;
	/* The hook says why it stops (ingest_errf). */
	if (f->in->on_page != NULL &&
	    f->in->on_page(f->in, f->in->page_arg) == -1)
		return -1;
	return 0;
}

/* One page: 1 more to come, 0 the endpoint ended, -1 failed (message). */
static int
fetch_page(struct fetch *f, const char *path, const char *key,
    const char *item, struct hset *seen, char *token, size_t tokensz)
{
	struct ing_sink		 sink = ingest_page_sink;
	struct ing_page		 pg;
	struct json_object	*doc = NULL;
	char			 err[512];
	long			 nnew;
	int			 rc, done;

	sink.arg = f->in;
	if (hub_get(f->hub, path, f->query.ptr, &f->body, &doc, err,
	    sizeof(err)) != HUB_OK) {
		ingest_errf(f->in, "GET %s%s?%s: %s", hub_url(f->hub), path,
		    f->query.ptr, err);
		return -1;
	}
	nnew = fetch_new(seen, doc);
	json_object_put(doc);
	if (nnew == -1)
		return -1;
	memset(&pg, 0, sizeof(pg));
	arena_reset(f->in->arena);
	rc = ing_parse_doc(f->in->arena, f->body.ptr, f->body.len, ING_FMT_HUB,
	    &sink, &f->recno, &pg);
	if (rc == -1)
		ingest_errf(f->in, "GET %s%s?%s: %s", hub_url(f->hub), path,
		    f->query.ptr, pg.error);
	if (rc != 0 || fetch_store(f, key, item, &pg, nnew, &done) == -1)
		return -1;
	snprintf(token, tokensz, "%s", pg.next_token);
	return done ? 0 : 1;
}

/* Pages one endpoint (for one item) from token ("": the first page). */
static int
fetch_pages(struct fetch *f, const char *endpoint, const char *key,
    const char *item_param, const char *item, const char *token0)
{
	struct hset	*seen;
	char		 path[64], token[512];
	long		 page;
	int		 rc = -1;

	if ((seen = hset_new()) == NULL)
		return -1;
	snprintf(path, sizeof(path), "/v1/%s", endpoint);
	snprintf(token, sizeof(token), "%s", token0);
	for (page = 0; page < FETCH_MAX_PAGES; page++) {
		if (fetch_query(f, endpoint, item_param,
		    item != NULL ? item : f->fidstr,
		    token) == -1)
			goto out;
		if ((rc = fetch_page(f, path, key, item, seen, token,
		    sizeof(token))) != 1)
			goto out;
	}
	fprintf(stderr, "replycast-ingest: %s: stopped after %d pages; the "
	    "next run goes on from there\n", key, FETCH_MAX_PAGES);
	page--;
	rc = 0;
out:
	if (rc == 0 && !f->in->quiet)
		fprintf(stderr, "replycast-ingest: %s%s%s: %ld pages, %zu "
		    "messages\n", key, item != NULL ? " " : "",
		    item != NULL ? item : "", page + 1, hset_count(seen));
	hset_free(seen);
	return rc < 0 ? -1 : 0;
}

/* castsByFid, castsByMention: one list of pages for the user. */
static int
fetch_one(struct fetch *f, const char *endpoint)
{
	char	 key[1024], token[512] = "";
	int64_t	 ev;

	if (fetch_key(f, endpoint, key, sizeof(key)) == -1 ||
	    store_cursor_get(f->in->conn, FETCH_SOURCE, key, token,
	    sizeof(token), &ev) == -1) {
		ingest_errf(f->in, "%s: cannot read the cursor: %s", endpoint,
		    PQerrorMessage(f->in->conn));
		return -1;
	}
	return fetch_pages(f, endpoint, key, "fid", NULL, token);
}

/* Decimal fids and fixed-length hashes both order by length, then bytes. */
static int
fetch_item_cmp(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* Walks the items sql lists, resuming after the stored "ITEM[ TOKEN]". */
static int
fetch_walk(struct fetch *f, const char *key, const char *endpoint,
    const char *item_param, PGresult *r, const char *resume)
{
	struct store_cursor	 cur = { FETCH_SOURCE, key, NULL, 0 };
	char			 item[128] = "";
	const char		*tok = "", *sp, *v;
	size_t			 n;
	int			 i, c;

	sp = strchr(resume, ' ');
	n = sp != NULL ? (size_t)(sp - resume) : strlen(resume);
	if (n >= sizeof(item)) {
		ingest_errf(f->in, "%s: bad cursor", key);
		return -1;
	}
	memcpy(item, resume, n);
	item[n] = '\0';
	if (sp != NULL)
		tok = sp + 1;
	for (i = 0; i < PQntuples(r); i++) {
		v = PQgetvalue(r, i, 0);
		c = item[0] == '\0' ? 1 : fetch_item_cmp(v, item);
		if (c < 0 || (c == 0 && tok[0] == '\0'))
			continue;	/* done in an earlier run */
		if (fetch_pages(f, endpoint, key, item_param, v,
		    c == 0 ? tok : "") == -1)
			return -1;
	}
	return ingest_flush(f->in, &cur);
}

/* castsByParent per own cast, userDataByFid per fid involved. */
static int
fetch_list(struct fetch *f, const char *endpoint, const char *item_param,
    const char *sql)
{
	const char	*p[1] = { f->fidstr };
	PGresult	*r = NULL;
	char		 key[1024], resume[1024] = "";
	int64_t		 ev;
	int		 rc = -1;

	if (fetch_key(f, endpoint, key, sizeof(key)) == -1 ||
	    store_cursor_get(f->in->conn, FETCH_SOURCE, key, resume,
	    sizeof(resume), &ev) == -1)
		goto dberr;
	r = PQexecParams(f->in->conn, sql, 1, NULL, p, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		goto dberr;
	rc = fetch_walk(f, key, endpoint, item_param, r, resume);
	PQclear(r);
	return rc;
dberr:
	ingest_errf(f->in, "%s: %s", endpoint, PQerrorMessage(f->in->conn));
	PQclear(r);
	return -1;
}

static int
fetch_track(struct fetch *f)
{
	const char	*p[1] = { f->fidstr };
	PGresult	*r;
	int		 rc;

	r = PQexecParams(f->in->conn, sql_track, 1, NULL, p, NULL, NULL, 0);
	rc = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc == -1)
		ingest_errf(f->in, "tracked: %s", PQerrorMessage(f->in->conn));
	PQclear(r);
	return rc;
}

int
ingest_hub_fid(struct ingest *in, struct hub *hub, int64_t fid,
    long page_size)
{
	struct fetch	 f;
	int		 rc = -1;

	memset(&f, 0, sizeof(f));
	f.in = in;
	f.hub = hub;
	f.fid = fid;
	f.page_size = page_size;
	snprintf(f.fidstr, sizeof(f.fidstr), "%" PRId64, fid);
	buf_init(&f.body, HUB_MAX_BODY);
	buf_init(&f.query, 8192);
	in->name = hub_url(hub);
	if (fetch_track(&f) == -1 ||
	    fetch_one(&f, "castsByFid") == -1 ||
	    fetch_one(&f, "castsByMention") == -1 ||
	    fetch_list(&f, "castsByParent", "hash", sql_own_casts) == -1 ||
	    fetch_list(&f, "userDataByFid", "fid", sql_people) == -1 ||
	    fetch_one(&f, "reactionsByFid") == -1)
		goto out;
	rc = 0;
out:
	buf_free(&f.body);
	buf_free(&f.query);
	return rc;
}
