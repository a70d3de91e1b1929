#ifndef RC_SIWE_H
#define RC_SIWE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eth.h"

/*
 * Sign In with Farcaster: EIP-4361 ("Sign-In with Ethereum") messages with
 * Farcaster's conventions (statement "Farcaster Auth", Chain ID 10, one
 * farcaster://fid/N resource).  siwe_parse checks the text strictly,
 * siwe_check checks the parsed values against a policy and the clock, and
 * siwe_verify_sig checks the signature.  All three are pure: no I/O, no
 * allocation; the nonce store and the Hub lookups are the caller's.
 */
#define SIWE_MSG_MAX		8192	/* whole message, bytes */
#define SIWE_SCHEME_MAX		32
#define SIWE_DOMAIN_MAX		255
#define SIWE_STATEMENT_MAX	512
#define SIWE_URI_MAX		1024	/* uri and each resource */
#define SIWE_VERSION_MAX	8
#define SIWE_NONCE_MIN		8
#define SIWE_NONCE_MAX		128
#define SIWE_TIME_MAX		40	/* RFC 3339 text */
#define SIWE_REQID_MAX		256
#define SIWE_RES_MAX		8	/* resources kept; more is SIWE_TOO_LONG */

#define SIWE_FARCASTER_CHAIN	10	/* OP Mainnet, where the fid registry is */

enum siwe_err {
	SIWE_OK,
	SIWE_TOO_LONG,		/* the message, a field or the resource count */
	SIWE_BAD_CHAR,		/* NUL, CR, a control byte or non-ASCII */
	SIWE_BAD_HEADER,	/* "[scheme://]domain wants you to sign in ..." */
	SIWE_BAD_ADDRESS,	/* not 0x + 40 hex, or mixed case not EIP-55 */
	SIWE_BAD_STATEMENT,	/* the blank lines around the statement */
	SIWE_BAD_URI,
	SIWE_BAD_VERSION,
	SIWE_BAD_CHAIN,		/* Chain ID: not a canonical decimal in int64 */
	SIWE_BAD_NONCE,		/* not 8 or more letters and digits */
	SIWE_BAD_TIME,		/* Issued At, Expiration Time, Not Before */
	SIWE_BAD_REQUEST_ID,
	SIWE_BAD_RESOURCE,
	SIWE_BAD_FIELD,		/* a missing, unknown, repeated or misplaced line */
	SIWE_ERR__MAX
};

/* An RFC 3339 time: the text as signed, and unix seconds (fraction cut). */
struct siwe_time {
	bool		 set;
	int64_t		 secs;
	char		 text[SIWE_TIME_MAX + 1];
};

/* Every string is NUL-terminated; absent optional strings are "". */
struct siwe_msg {
	char		 scheme[SIWE_SCHEME_MAX + 1];	/* "" when absent */
	char		 domain[SIWE_DOMAIN_MAX + 1];
	char		 address[ETH_ADDR_SIZE];	/* as written */
	bool		 has_statement;
	char		 statement[SIWE_STATEMENT_MAX + 1];
	char		 uri[SIWE_URI_MAX + 1];
	char		 version[SIWE_VERSION_MAX + 1];
	int64_t		 chain_id;
	char		 nonce[SIWE_NONCE_MAX + 1];
	struct siwe_time issued_at;
	struct siwe_time expiration_time;
	struct siwe_time not_before;
	bool		 has_request_id;
	char		 request_id[SIWE_REQID_MAX + 1];
	bool		 has_resources;			/* a "Resources:" line */
	size_t		 nresources;
	char		 resources[SIWE_RES_MAX][SIWE_URI_MAX + 1];
};

/*
 * Parses len bytes of msg (not NUL-terminated; a NUL inside is refused)
 * into *out.  On an error *out holds what was parsed so far: use none of it.
 */
enum siwe_err	 siwe_parse(const char *msg, size_t len, struct siwe_msg *out);
const char	*siwe_err_str(enum siwe_err);	/* a short English phrase */

struct siwe_policy {
	const char	*domain;	/* exact, ASCII case ignored */
	const char	*scheme;	/* a scheme in the message must be this;
					   NULL means "https" */
	const char	*uri;		/* exact bytes */
	int64_t		 chain_id;	/* SIWE_FARCASTER_CHAIN */
	int64_t		 skew;		/* seconds of clock skew allowed, >= 0 */
	int64_t		 max_age;	/* Issued At no older than this; 0: any */
};

enum siwe_check {
	SIWE_CHECK_OK,
	SIWE_CHECK_VERSION,		/* Version is not "1" */
	SIWE_CHECK_CHAIN,
	SIWE_CHECK_DOMAIN,		/* domain or scheme */
	SIWE_CHECK_URI,
	SIWE_CHECK_STATEMENT,		/* not "Farcaster Auth" ("Farcaster
					   Connect", its old name, passes) */
	SIWE_CHECK_ISSUED_FUTURE,	/* Issued At after now + skew */
	SIWE_CHECK_EXPIRED,		/* Expiration Time, or max_age, passed */
	SIWE_CHECK_NOT_YET,		/* Not Before still ahead */
	SIWE_CHECK_NO_FID,
	SIWE_CHECK_MANY_FIDS,
	SIWE_CHECK_BAD_FID,		/* farcaster://fid/ not followed by 1..2^63-1 */
	SIWE_CHECK_METHOD,		/* farcaster://signer/type/ repeated or unknown */
	SIWE_CHECK__MAX
};

/*
 * Checks a parsed message against the policy at unix time now, in the
 * order of the enum, and returns the first failure.  On SIWE_CHECK_OK
 * *fid_out (if not NULL) gets the fid of the one farcaster://fid/N
 * resource (an optional trailing "/" is allowed, as Farcaster's clients
 * allow it).  Resources other than farcaster:// ones are ignored.
 */
enum siwe_check	 siwe_check(const struct siwe_msg *, const struct siwe_policy *,
		    int64_t now, int64_t *fid_out);
const char	*siwe_check_str(enum siwe_check);

/* Which key the user claims signed: farcaster://signer/type/... */
enum siwe_method {
	SIWE_METHOD_CUSTODY,		/* "custody", or no such resource */
	SIWE_METHOD_AUTH_ADDRESS,	/* "authAddress" */
	SIWE_METHOD_BAD
};
enum siwe_method siwe_method(const struct siwe_msg *);

enum siwe_sig {
	SIWE_SIG_OK,
	SIWE_SIG_BAD_HEX,	/* not 0x + 130 hex digits */
	SIWE_SIG_BAD,		/* no key recovers from it (eth_recover) */
	SIWE_SIG_MISMATCH,	/* it recovers another address */
	SIWE_SIG__MAX
};

/*
 * Verifies that sig_hex is a personal_sign signature of exactly the len
 * bytes at raw (the text m was parsed from) by m->address.  signer (may be
 * NULL) gets the recovered lowercase address, or "" when none.
 */
enum siwe_sig	 siwe_verify_sig(const struct siwe_msg *m, const char *raw,
		    size_t len, const char *sig_hex, char signer[ETH_ADDR_SIZE]);
const char	*siwe_sig_str(enum siwe_sig);

#endif
