#ifndef RC_ING_H
#define RC_ING_H
#include <stddef.h>
#include <stdint.h>

#include "core/valid.h"

struct arena;

/*
 * Parsers for the three input shapes replycast reads: Farcaster Hub HTTP
 * API JSON (pages of messages and of events), Neynar v2 JSON (casts,
 * notification pages, conversation trees) and our own JSON Lines.  Each
 * turns a document into normalized records handed one by one to a sink;
 * nothing here touches the database.
 *
 * Every string in a record lives in the arena passed to the parser.
 * Hashes are normalized to "0x" + 40 lowercase hex digits (castRemoveBody
 * targetHash arrives as base64 and is converted).  Times are unix seconds
 * (the Hub's Farcaster-epoch seconds + 1609459200; Neynar's ISO 8601).
 */

#define ING_HASH_LEN	VALID_HASH_LEN	/* "0x" + 40 hex */
#define ING_HASH_RAW	20		/* its bytes */
#define ING_MAX_TEXT	1024		/* bytes of cast text */
#define ING_MAX_MENTIONS 64
#define ING_MIN_TIME	1609459200	/* 2021-01-01T00:00:00Z, the Farcaster epoch */
#define ING_FARCASTER_EPOCH 1609459200

enum ing_kind {
	ING_CAST = 0,		/* a cast add */
	ING_CAST_REMOVE,	/* a cast removal */
	ING_PROFILE,		/* one or more profile fields */
	ING_FOLLOW,		/* a follow link added */
	ING_UNFOLLOW,		/* a follow link removed */
	ING_LIKE,		/* a like (ReactionAdd, type like) */
	ING_UNLIKE,		/* a like removed (ReactionRemove) */
	ING__MAX
};

struct ing_cast {
	char		 hash[ING_HASH_LEN + 1];
	int64_t		 fid;
	int64_t		 time;
	const char	*text;		/* valid UTF-8, <= ING_MAX_TEXT bytes */
	char		 parent_hash[ING_HASH_LEN + 1];	/* "" when none */
	int64_t		 parent_fid;	/* 0 when unknown or none */
	const char	*parent_url;	/* NULL when none */
	char		 root_hash[ING_HASH_LEN + 1];	/* "" when unknown */
	int64_t		*mentions;	/* distinct fids, in first-seen order */
	size_t		 nmentions;
	/*
	 * The mentions as the cast lists them, repeats kept, with the byte
	 * offset in text where each stood (Farcaster keeps them out of the
	 * text); nmpos 0 when the source gives no positions.
	 */
	int64_t		*mfid, *mpos;
	size_t		 nmpos;
};

struct ing_remove {
	char		 hash[ING_HASH_LEN + 1];	/* the removed cast */
	int64_t		 fid;		/* who removed it */
	int64_t		 time;
};

/* NULL fields are unchanged; "" clears a field. */
struct ing_profile {
	int64_t		 fid;
	int64_t		 time;
	const char	*username;
	const char	*display_name;
	const char	*pfp_url;
	const char	*bio;
	const char	*url;
};

struct ing_link {
	int64_t		 fid;
	int64_t		 target_fid;
	int64_t		 time;
};

/* A like by fid on the cast target_hash, or its removal. */
struct ing_like {
	int64_t		 fid;
	char		 target_hash[ING_HASH_LEN + 1];
	int64_t		 time;
};

struct ing_rec {
	enum ing_kind		 kind;
	long			 recno;		/* 1-based record number in the input */
	int64_t			 event_id;	/* Hub event id, 0 when not from events */
	union {
		struct ing_cast		 cast;
		struct ing_remove	 remove;
		struct ing_profile	 profile;
		struct ing_link		 link;
		struct ing_like		 like;
	} u;
};

enum ing_format {
	ING_FMT_AUTO = 0,	/* decided from the document's shape */
	ING_FMT_HUB,
	ING_FMT_NEYNAR,
	ING_FMT_JSONL,
	ING_FMT__MAX
};

/*
 * The sink: rec() gets each good record (return -1 to stop parsing),
 * bad() each rejected one with its record number and a one-line reason
 * (return -1 to stop, e.g. for --strict).  Either may be NULL.
 */
struct ing_sink {
	int	(*rec)(void *arg, const struct ing_rec *);
	int	(*bad)(void *arg, long recno, const char *reason);
	void	*arg;
};

/* What a page says about the next one. */
struct ing_page {
	char		 next_token[512];	/* Hub nextPageToken / Neynar next.cursor; "" if none */
	int64_t		 next_event_id;		/* Hub events: nextPageEventId, 0 if none */
	long		 nrecords;		/* records seen in this page, good or bad */
	long		 nbad;
	int		 hub_error;		/* the document was a Hub/Neynar error object */
	char		 error[256];		/* its message, or why the document was rejected */
};

/*
 * Parses one JSON document (a Hub page, a Hub event page, a single Hub
 * message, or a Neynar response) of len bytes.  Record numbers continue
 * from *recno, which is advanced.  Returns 0 when the document was read
 * (bad records inside it are reported through sink->bad and counted),
 * -1 when the whole document is unusable (not JSON, nesting deeper than 64,
 * an error object, an unknown shape), with the reason in page->error, or
 * -2 when a sink callback asked to stop.
 */
int		 ing_parse_doc(struct arena *, const char *json, size_t len,
		    enum ing_format, const struct ing_sink *, long *recno,
		    struct ing_page *page);

/*
 * Parses one line of our JSON Lines shape (see docs/jsonl.md); recno is
 * that line's number.  Returns 0 (record given to the sink or rejected via
 * sink->bad), or -2 when a callback asked to stop.  Blank lines are skipped.
 */
int		 ing_parse_line(struct arena *, const char *line, size_t len,
		    long recno, const struct ing_sink *);

/* Guesses the format from the first bytes of the input. */
enum ing_format	 ing_sniff(const char *buf, size_t len);

const char	*ing_format_name(enum ing_format);
/* A record's "0x" + 40 lowercase hex hash as its bytes: 0, or -1 if not. */
int		 ing_hash_raw(const char *hash, uint8_t out[ING_HASH_RAW]);
int		 ing_format_parse(const char *);	/* "hub", "neynar", "jsonl", "auto"; -1 */

/* Decodes base64 (standard or URL alphabet, padding optional) into out. */
long		 ing_base64_decode(const char *, size_t, unsigned char *out, size_t outsz);

#endif
