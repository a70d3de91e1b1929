#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"

#define API_MAX_TIME	4102444800LL
#define API_EXPORT_NCOL	10

/*
 * Rows are sent as they come (single-row mode), never held whole.  The
 * answer is the one the user's definition counts (direct or thread).
 */
static const char api_sql_export[] =
	"WITH s AS (SELECT" ENG_DEF_COLS
	" FROM (SELECT 1) AS one LEFT JOIN user_settings u ON u.fid = $1::bigint)"
	" SELECT '0x' || encode(i.hash, 'hex'), i.author_fid, p.username,"
	" to_char(i.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" CASE i.kind WHEN 1 THEN 'reply' WHEN 2 THEN 'mention'"
	"  ELSE 'reply+mention' END,"
	" coalesce('0x' || encode(CASE WHEN s.thr THEN ta.answer_hash"
	"  ELSE i.answer_hash END, 'hex'), ''),"
	" coalesce(to_char((" ENG_DEF_AAT("i", "s") ") AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), " ENG_DEF_RT("i", "s") ","
	" CASE WHEN i.deleted THEN 'true' ELSE 'false' END, c.text"
	" FROM s CROSS JOIN inbound i" ENG_DEF_JOIN("i", "s")
	" JOIN casts c ON c.hash = i.hash"
	" LEFT JOIN profiles p ON p.fid = i.author_fid"
	" WHERE i.fid = $1::bigint AND i.ts >= to_timestamp($2::float8)"
	" AND i.ts < to_timestamp($3::float8) ORDER BY i.ts, i.hash";

enum export_key { EXP_FROM, EXP_TO, EXP__MAX };

static const struct param_spec spec_export[EXP__MAX] = {
	[EXP_FROM] = { "from", PARAM_TIME, 0, API_MAX_TIME, NULL, 0, 0 },
	[EXP_TO] = { "to", PARAM_TIME, 0, API_MAX_TIME, NULL, 0, 0 },
};

/* Columns that hold numbers (NULL: an empty cell); the rest are text. */
static const int api_export_num[API_EXPORT_NCOL] = {
	0, 1, 0, 0, 0, 0, 0, 1, 0, 0,
};

/* One row of the result as CSV cells, each by its column's type. */
static int
api_export_row(struct buf *b, const PGresult *r)
{
	int64_t	 v;
	int	 i, rc;

	for (i = 0; i < API_EXPORT_NCOL; i++) {
		if (PQgetisnull(r, 0, i))
			rc = 0;
		else if (api_export_num[i]) {
			if (valid_i64(PQgetvalue(r, 0, i), INT64_MIN, INT64_MAX,
			    &v) == -1)
				return -1;
			rc = csv_int(b, v);
		} else
			rc = csv_text(b, PQgetvalue(r, 0, i),
			    (size_t)PQgetlength(r, 0, i));
		if (rc == -1 || csv_end(b, i == API_EXPORT_NCOL - 1) == -1)
			return -1;
	}
	return 0;
}

static int
api_export_rows(struct req *rq, PGconn *c)
{
	static const char head[] = "hash,author_fid,author_username,time,kind,"
	    "answer_hash,answered_at,reply_seconds,removed,text\n";
	PGresult	*r;
	struct buf	 b;
	int		 rc = 0;

	buf_init(&b, 0);
	if (resp_stream_put(rq->out, head, sizeof(head) - 1) == -1)
		rc = -1;
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE && rc == 0) {
			buf_reset(&b);
			if (api_export_row(&b, r) == -1) {
				log_msg("error", "export %s: a row did not "
				    "convert", rq->id);
				rc = -1;
			} else if (resp_stream_put(rq->out, b.ptr, b.len) == -1)
				rc = -1;	/* client gone: drain the rest */
		} else if (PQresultStatus(r) != PGRES_TUPLES_OK &&
		    PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
			log_msg("error", "export %s: %s", rq->id,
			    PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	buf_free(&b);
	return rc;
}

/* Bare dates are days in the user's own zone (the export has no tz). */
static enum step
api_export_prep(struct req *rq, int64_t fid, struct param_val *v, void *arg)
{
	(void)arg;
	return api_dates(rq, fid, NULL, &v[EXP_FROM], &v[EXP_TO]);
}

int
api_export(struct req *rq)
{
	struct api_read		 ar;
	struct param_val	 v[EXP__MAX];
	char			 f[24], from[24], to[24], name[64];
	const char		*p[3] = { f, from, to };
	int64_t			 fid, now = (int64_t)time(NULL);
	PGconn			*c;
	PGresult		*r;
	enum step		 st;

	if ((fid = api_path_fid(rq)) == 0)
		return 0;
	if ((st = api_read_begin(rq, &ar, fid, NULL, spec_export, EXP__MAX, v,
	    api_export_prep, NULL)) != STEP_GO)
		return step_end(st);
	snprintf(f, sizeof(f), "%" PRId64, fid);
	snprintf(from, sizeof(from), "%" PRId64,
	    v[EXP_FROM].present ? v[EXP_FROM].i : 0);
	snprintf(to, sizeof(to), "%" PRId64,
	    v[EXP_TO].present ? v[EXP_TO].i : now + 1);
	if ((c = db_conn(rq->srv->db)) == NULL ||
	    !PQsendQueryParams(c, api_sql_export, 3, NULL, p, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c))
		return resp_problem(rq->resp, PROB_UNAVAILABLE, "the database "
		    "is unavailable", rq->id, NULL);
	resp_ctype(rq->resp, "text/csv; charset=utf-8");
	snprintf(name, sizeof(name), "attachment; filename=\"replycast-%s.csv\"",
	    f);
	resp_header(rq->resp, "Content-Disposition", name);
	resp_header(rq->resp, "Cache-Control", "no-store");
	if (req_stream_begin(rq) == -1) {
		while ((r = PQgetResult(c)) != NULL)
			PQclear(r);
		return -1;
	}
	return api_export_rows(rq, c) == -1 ? -1 : 0;
}

/*
 * The owed replies of one page (eng_unreplied_each) as CSV, in the page's
 * order: the 48-hour list is unreplied.csv?min_hours=48.  Whole in the
 * body: a page holds at most API_OWED_CSV_MAX rows.
 */
static const char *const api_owed_cols[] = {
	"hash", "author_fid", "author_username", "time", "kind",
	"waiting_seconds", "goal_seconds", "goal_state", "score", "why", "text",
	NULL
};

/* One cell from member k of item e: integers by csv_int, else text. */
static int
api_owed_cell(struct buf *b, struct json_object *e, const char *k)
{
	struct json_object	*v = NULL;
	struct tm		 tm;
	time_t			 t;
	char			 iso[32];

	if (strcmp(k, "goal_state") == 0 || strcmp(k, "score") == 0)
		json_object_object_get_ex(json_object_object_get(e, "priority"),
		    k, &v);
	else
		json_object_object_get_ex(e, strcmp(k, "author_username") == 0 ?
		    "username" : k, &v);
	if (v == NULL)
		return 0;
	if (strcmp(k, "time") == 0) {
		t = (time_t)json_object_get_int64(v);
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			return -1;
		return csv_text(b, iso, strlen(iso));
	}
	if (json_object_is_type(v, json_type_int))
		return csv_int(b, json_object_get_int64(v));
	return csv_text(b, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
}

/* The body api_owed_row writes to, and the length of its header row. */
struct api_owed_out {
	struct buf	*b;
	size_t		 head;
};

/* One item's row (eng_item_fn); NULL: back to the header row. */
static int
api_owed_row(void *arg, struct json_object *e)
{
	struct api_owed_out	*out = arg;
	struct buf		*b = out->b;
	size_t			 k;

	if (e == NULL) {
		buf_truncate(b, out->head);
		return 0;
	}
	for (k = 0; api_owed_cols[k] != NULL; k++)
		if (api_owed_cell(b, e, api_owed_cols[k]) == -1 ||
		    csv_end(b, api_owed_cols[k + 1] == NULL) == -1)
			return -1;
	return 0;
}

int
api_owed_csv(struct req *rq, int64_t fid, const struct eng_owed_q *q)
{
	struct json_object	*page, *next;
	struct api_owed_out	 out;
	struct buf		*b = &rq->resp->body;
	char			 name[80];
	size_t			 k;

	for (k = 0; api_owed_cols[k] != NULL; k++)
		if (csv_text(b, api_owed_cols[k], strlen(api_owed_cols[k])) ==
		    -1 || csv_end(b, api_owed_cols[k + 1] == NULL) == -1)
			return -1;
	out.b = b;
	out.head = b->len;
	if ((page = eng_unreplied_each(rq->srv->db_read, q, api_owed_row,
	    &out)) == NULL)
		return -1;
	resp_ctype(rq->resp, "text/csv; charset=utf-8");
	snprintf(name, sizeof(name), "attachment; filename=\"replycast-%"
	    PRId64 "-owed.csv\"", fid);
	resp_header(rq->resp, "Content-Disposition", name);
	resp_header(rq->resp, "Cache-Control", "no-store");
	if (json_object_object_get_ex(page, "next_cursor", &next))
		resp_header(rq->resp, "X-Next-Cursor",
		    json_object_get_string(next));
	json_object_put(page);
	return 0;
}
