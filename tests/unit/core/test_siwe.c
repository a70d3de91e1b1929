#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/siwe.h"
#include "tests.h"

#define ADDR	"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
#define T0	1704067200		/* 2024-01-01T00:00:00Z */

/* What a Farcaster client sends (AuthKit's shape), for fid 1234. */
static const char	 base[] =
    "example.com wants you to sign in with your Ethereum account:\n"
    ADDR "\n"
    "\n"
    "Farcaster Auth\n"
    "\n"
    "URI: https://example.com/login\n"
    "Version: 1\n"
    "Chain ID: 10\n"
    "Nonce: abcdef1234567890\n"
    "Issued At: 2024-01-01T00:00:00.000Z\n"
    "Resources:\n"
    "- farcaster://fid/1234\n"
    "- farcaster://signer/type/custody";

/* base signed by the key of ADDR (tests/tools/siwf_sign, RFC 6979). */
#define BASE_SIG "0x40d7852634a0c9156477c5bf0071723397614693f04d4b6d9dfa0340e7" \
	"34cf614a1a71eff7b7f1700ac69c389a71eaeeb3d36d273684f36d4e81924ee1ab5" \
	"9b01c"

static struct siwe_msg	 m;
static char		 text[3 * SIWE_MSG_MAX];

static enum siwe_err
parse(const char *s)
{
	return siwe_parse(s, strlen(s), &m);
}

/* base with its first "from" replaced by "to", parsed. */
static enum siwe_err
mut(const char *from, const char *to)
{
	const char	*at = strstr(base, from);
	int		 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - base), base,
	    to, at + strlen(from));
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(text));
	return parse(text);
}

/* A string of n copies of ch, in buf of size > n. */
static const char *
rep(char *buf, char ch, size_t n)
{
	memset(buf, ch, n);
	buf[n] = '\0';
	return buf;
}

static void
test_parse_base(void)
{
	CU_ASSERT_EQUAL_FATAL(parse(base), SIWE_OK);
	CU_ASSERT_STRING_EQUAL(m.scheme, "");
	CU_ASSERT_STRING_EQUAL(m.domain, "example.com");
	CU_ASSERT_STRING_EQUAL(m.address, ADDR);
	CU_ASSERT_TRUE(m.has_statement);
	CU_ASSERT_STRING_EQUAL(m.statement, "Farcaster Auth");
	CU_ASSERT_STRING_EQUAL(m.uri, "https://example.com/login");
	CU_ASSERT_STRING_EQUAL(m.version, "1");
	CU_ASSERT_EQUAL(m.chain_id, 10);
	CU_ASSERT_STRING_EQUAL(m.nonce, "abcdef1234567890");
	CU_ASSERT_TRUE(m.issued_at.set);
	CU_ASSERT_EQUAL(m.issued_at.secs, T0);
	CU_ASSERT_STRING_EQUAL(m.issued_at.text, "2024-01-01T00:00:00.000Z");
	CU_ASSERT_FALSE(m.expiration_time.set);
	CU_ASSERT_FALSE(m.not_before.set);
	CU_ASSERT_FALSE(m.has_request_id);
	CU_ASSERT_TRUE(m.has_resources);
	CU_ASSERT_EQUAL_FATAL(m.nresources, 2);
	CU_ASSERT_STRING_EQUAL(m.resources[0], "farcaster://fid/1234");
	CU_ASSERT_STRING_EQUAL(m.resources[1], "farcaster://signer/type/custody");
}

static void
test_parse_optional(void)
{
	CU_ASSERT_EQUAL_FATAL(mut("Resources:", "Expiration Time: "
	    "2024-01-01T00:10:00.5Z\nNot Before: 2024-01-01T00:59:00+01:00\n"
	    "Request ID: req-1%20:@!\nResources:"), SIWE_OK);
	CU_ASSERT_TRUE(m.expiration_time.set);
	CU_ASSERT_EQUAL(m.expiration_time.secs, T0 + 600);
	CU_ASSERT_TRUE(m.not_before.set);
	CU_ASSERT_EQUAL(m.not_before.secs, T0 - 60);
	CU_ASSERT_STRING_EQUAL(m.not_before.text, "2024-01-01T00:59:00+01:00");
	CU_ASSERT_TRUE(m.has_request_id);
	CU_ASSERT_STRING_EQUAL(m.request_id, "req-1%20:@!");
	CU_ASSERT_EQUAL(m.nresources, 2);
	/* Any subset, in order; an empty Request ID; no Resources at all. */
	CU_ASSERT_EQUAL(mut("\nResources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", "\nNot Before: "
	    "2023-12-31T19:00:00-05:00\nRequest ID: "), SIWE_OK);
	CU_ASSERT_EQUAL(m.not_before.secs, T0);
	CU_ASSERT_TRUE(m.has_request_id);
	CU_ASSERT_STRING_EQUAL(m.request_id, "");
	CU_ASSERT_FALSE(m.has_resources);
	CU_ASSERT_EQUAL(m.nresources, 0);
	/* "Resources:" with no resource under it. */
	CU_ASSERT_EQUAL(mut("Resources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", "Resources:"), SIWE_OK);
	CU_ASSERT_TRUE(m.has_resources);
	CU_ASSERT_EQUAL(m.nresources, 0);
}

static void
test_parse_forms(void)
{
	char	 big[SIWE_URI_MAX + 1];

	/* No statement: one blank line, as the siwe library writes it. */
	CU_ASSERT_EQUAL(mut("\nFarcaster Auth\n\n", "\n"), SIWE_OK);
	CU_ASSERT_FALSE(m.has_statement);
	CU_ASSERT_STRING_EQUAL(m.statement, "");
	CU_ASSERT_STRING_EQUAL(m.uri, "https://example.com/login");
	/* A statement that reads like the URI line is still the statement. */
	CU_ASSERT_EQUAL(mut("Farcaster Auth", "URI: https://evil.example/"),
	    SIWE_OK);
	CU_ASSERT_STRING_EQUAL(m.statement, "URI: https://evil.example/");
	CU_ASSERT_STRING_EQUAL(m.uri, "https://example.com/login");
	CU_ASSERT_EQUAL(mut("Farcaster Auth", "I accept the ToS: "
	    "https://example.com/tos?a=1&b=\"2\" {x} <y> 100%"), SIWE_OK);
	CU_ASSERT_EQUAL(mut("example.com wants", "https://example.com wants"),
	    SIWE_OK);
	CU_ASSERT_STRING_EQUAL(m.scheme, "https");
	CU_ASSERT_STRING_EQUAL(m.domain, "example.com");
	CU_ASSERT_EQUAL(mut("example.com wants", "localhost:21443 wants"),
	    SIWE_OK);
	CU_ASSERT_STRING_EQUAL(m.domain, "localhost:21443");
	CU_ASSERT_EQUAL(mut("example.com wants", "[::1]:8443 wants"), SIWE_OK);
	CU_ASSERT_STRING_EQUAL(m.domain, "[::1]:8443");
	CU_ASSERT_EQUAL(mut(ADDR, "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"),
	    SIWE_OK);
	CU_ASSERT_EQUAL(mut("https://example.com/login",
	    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"), SIWE_OK);
	CU_ASSERT_EQUAL(mut("https://example.com/login",
	    "https://[::1]:8443/a%2Fb?q=1#frag"), SIWE_OK);
	/* Times: no fraction, nine digits, lower-case t and z, an offset. */
	CU_ASSERT_EQUAL(mut(".000Z", "Z"), SIWE_OK);
	CU_ASSERT_EQUAL(m.issued_at.secs, T0);
	CU_ASSERT_EQUAL(mut(".000Z", ".999999999Z"), SIWE_OK);
	CU_ASSERT_EQUAL(m.issued_at.secs, T0);
	CU_ASSERT_EQUAL(mut("2024-01-01T00:00:00.000Z",
	    "2024-01-01t05:30:00.1+05:30"), SIWE_OK);
	CU_ASSERT_EQUAL(m.issued_at.secs, T0);
	CU_ASSERT_EQUAL(mut(".000Z", "z"), SIWE_OK);
	CU_ASSERT_EQUAL(mut("2024-01-01T00:00:00.000Z",
	    "2024-02-29T00:00:00Z"), SIWE_OK);
	CU_ASSERT_EQUAL(m.issued_at.secs, T0 + 59 * 86400);
	/* Fields at their bounds. */
	CU_ASSERT_EQUAL(mut("abcdef1234567890", "abcdefgh"), SIWE_OK);
	memcpy(big, "https://e/", 10);
	memset(big + 10, 'a', SIWE_URI_MAX - 10);
	big[SIWE_URI_MAX] = '\0';
	CU_ASSERT_EQUAL(mut("https://example.com/login", big), SIWE_OK);
	CU_ASSERT_EQUAL(strlen(m.uri), SIWE_URI_MAX);
}

static void
test_parse_header(void)
{
	char	 big[SIWE_DOMAIN_MAX + 2];

	CU_ASSERT_EQUAL(mut("account:\n", "account\n"), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "example.com  wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", " wants"), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "ex ample.com wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "user@example.com wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "1https://example.com wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "://example.com wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "example.com:80a wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "example.com:123456 wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "example.com: wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "[] wants"), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants", "example.com/x wants"),
	    SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("Ethereum", "ethereum"), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com wants you to sign in with your "
	    "Ethereum account:\n", ""), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(siwe_parse("", 0, &m), SIWE_BAD_HEADER);
	CU_ASSERT_EQUAL(mut("example.com", rep(big, 'a', SIWE_DOMAIN_MAX)),
	    SIWE_OK);
	CU_ASSERT_EQUAL(mut("example.com", rep(big, 'a', SIWE_DOMAIN_MAX + 1)),
	    SIWE_TOO_LONG);
}

static void
test_parse_address(void)
{
	/* One letter's case changed: not the EIP-55 checksum. */
	CU_ASSERT_EQUAL(mut(ADDR, "0x2c7536E3605D9C16a7a3D7b1898e529396a65C23"),
	    SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c2"),
	    SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c233"),
	    SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR, "0X2c7536E3605D9C16a7a3D7b1898e529396a65c23"),
	    SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR, "0x2c7536E3605D9C16a7a3D7b1898e529396a65cg3"),
	    SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR, " " ADDR), SIWE_BAD_ADDRESS);
	CU_ASSERT_EQUAL(mut(ADDR "\n", ""), SIWE_BAD_ADDRESS);
}

static void
test_parse_statement(void)
{
	char	 big[SIWE_STATEMENT_MAX + 2];

	CU_ASSERT_EQUAL(mut(ADDR "\n\n", ADDR "\n"), SIWE_BAD_STATEMENT);
	/* The EIP's older form of "no statement": an empty one. */
	CU_ASSERT_EQUAL(mut("\nFarcaster Auth\n\n", "\n\n"),
	    SIWE_BAD_STATEMENT);
	CU_ASSERT_EQUAL(mut("\nFarcaster Auth\n\n", "\n\n\n"),
	    SIWE_BAD_STATEMENT);
	CU_ASSERT_EQUAL(mut("Farcaster Auth\n\n", "Farcaster Auth\n"),
	    SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Farcaster Auth\n\n", "Farcaster Auth\n\n\n"),
	    SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Farcaster Auth",
	    rep(big, 'x', SIWE_STATEMENT_MAX)), SIWE_OK);
	CU_ASSERT_EQUAL(mut("Farcaster Auth",
	    rep(big, 'x', SIWE_STATEMENT_MAX + 1)), SIWE_TOO_LONG);
}

static void
test_parse_values(void)
{
	char	 big[SIWE_URI_MAX + 2];

	CU_ASSERT_EQUAL(mut("https://example.com/login", "example.com/login"),
	    SIWE_BAD_URI);
	CU_ASSERT_EQUAL(mut("https://example.com/login", "https://exa mple"),
	    SIWE_BAD_URI);
	CU_ASSERT_EQUAL(mut("https://example.com/login", "https://e/%zz"),
	    SIWE_BAD_URI);
	CU_ASSERT_EQUAL(mut("https://example.com/login", "https://e/<x>"),
	    SIWE_BAD_URI);
	CU_ASSERT_EQUAL(mut("https://example.com/login", "1ab:x"), SIWE_BAD_URI);
	CU_ASSERT_EQUAL(mut("https://example.com/login", ""), SIWE_BAD_URI);
	memcpy(big, "https://e/", 10);
	memset(big + 10, 'a', SIWE_URI_MAX + 1 - 10);
	big[SIWE_URI_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(mut("https://example.com/login", big), SIWE_TOO_LONG);
	CU_ASSERT_EQUAL(mut("Version: 1", "Version: x"), SIWE_BAD_VERSION);
	CU_ASSERT_EQUAL(mut("Version: 1", "Version: "), SIWE_BAD_VERSION);
	CU_ASSERT_EQUAL(mut("Version: 1", "Version: 1 "), SIWE_BAD_VERSION);
	CU_ASSERT_EQUAL(mut("Version: 1", "Version: 2"), SIWE_OK);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: 010"), SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: 0"), SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: -1"), SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: +10"), SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: "), SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: 9223372036854775808"),
	    SIWE_BAD_CHAIN);
	CU_ASSERT_EQUAL(mut("Chain ID: 10", "Chain ID: 9223372036854775807"),
	    SIWE_OK);
	CU_ASSERT_EQUAL(mut("abcdef1234567890", "abc1234"), SIWE_BAD_NONCE);
	CU_ASSERT_EQUAL(mut("abcdef1234567890", "abcdef12-34567890"),
	    SIWE_BAD_NONCE);
	CU_ASSERT_EQUAL(mut("abcdef1234567890", rep(big, 'n',
	    SIWE_NONCE_MAX)), SIWE_OK);
	CU_ASSERT_EQUAL(mut("abcdef1234567890", rep(big, 'n',
	    SIWE_NONCE_MAX + 1)), SIWE_TOO_LONG);
	CU_ASSERT_EQUAL(mut("Resources:", "Request ID: a b\nResources:"),
	    SIWE_BAD_REQUEST_ID);
	CU_ASSERT_EQUAL(mut("Resources:", "Request ID: a/b\nResources:"),
	    SIWE_BAD_REQUEST_ID);
	CU_ASSERT_EQUAL(mut("Resources:", "Request ID: a%zz\nResources:"),
	    SIWE_BAD_REQUEST_ID);
	memcpy(big, "Request ID: ", 12);
	memset(big + 12, 'r', SIWE_REQID_MAX + 1);
	big[12 + SIWE_REQID_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(mut("Resources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", big), SIWE_TOO_LONG);
}

static void
test_parse_times(void)
{
	static const char	*bad[] = {
		"2024-01-01 00:00:00Z", "2024-01-01T00:00:00",
		"2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z",
		"2024-01-01T00:00:00+0100", "2024-01-01T00:00:00+01",
		"2024-01-01T00:00:00,5Z", "2024-02-30T00:00:00Z",
		"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
		"2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
		"2024-01-01T00:00:00+24:00", "24-01-01T00:00:00Z",
		"2024-1-01T00:00:00Z", "2024-01-01T00:00:00ZZ",
		"2024-01-01T00:00:00Z ", "", "1704067200",
	};
	char	 line[96];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(mut("2024-01-01T00:00:00.000Z", bad[i]),
		    SIWE_BAD_TIME);
		(void)snprintf(line, sizeof(line), "Expiration Time: %s\n"
		    "Resources:", bad[i]);
		CU_ASSERT_EQUAL(mut("Resources:", line), SIWE_BAD_TIME);
		(void)snprintf(line, sizeof(line), "Not Before: %s\n"
		    "Resources:", bad[i]);
		CU_ASSERT_EQUAL(mut("Resources:", line), SIWE_BAD_TIME);
	}
}

static void
test_parse_resources(void)
{
	char	 many[16 * 32], *p = many;
	size_t	 i;

	CU_ASSERT_EQUAL(mut("- farcaster://fid/1234", "-farcaster://fid/1234"),
	    SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("- farcaster://fid/1234", "-  farcaster://fid/1"),
	    SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("- farcaster://fid/1234", "- not a uri"),
	    SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("- farcaster://fid/1234", "- "), SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("- farcaster://fid/1234", ""), SIWE_BAD_RESOURCE);
	for (i = 0; i < SIWE_RES_MAX - 1; i++)
		p += snprintf(p, 32, "\n- https://e/%zu", i);
	CU_ASSERT_EQUAL(mut("\n- farcaster://signer/type/custody", many),
	    SIWE_OK);
	CU_ASSERT_EQUAL(m.nresources, SIWE_RES_MAX);
	(void)snprintf(p, 32, "\n- https://e/x");
	CU_ASSERT_EQUAL(mut("\n- farcaster://signer/type/custody", many),
	    SIWE_TOO_LONG);
}

/* Lines missing, unknown, repeated, out of order, or after the end. */
static void
test_parse_fields(void)
{
	CU_ASSERT_EQUAL(mut("Version: 1\n", ""), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Version: 1\nChain ID: 10\n",
	    "Chain ID: 10\nVersion: 1\n"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Chain ID: 10\nNonce: abcdef1234567890\n",
	    "Nonce: abcdef1234567890\nChain ID: 10\n"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("URI: ", "Uri: "), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("URI: ", "URI:"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Nonce: ", "Nonce:  "), SIWE_BAD_NONCE);
	CU_ASSERT_EQUAL(mut("Resources:", "Foo: bar\nResources:"),
	    SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Resources:", "Not Before: 2024-01-01T00:00:00Z\n"
	    "Expiration Time: 2024-01-01T00:10:00Z\nResources:"),
	    SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Resources:", "Not Before: 2024-01-01T00:00:00Z\n"
	    "Not Before: 2024-01-01T00:00:00Z\nResources:"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Resources:", "Resources: x"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("Resources:", "\nResources:"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("\nIssued At: 2024-01-01T00:00:00.000Z", ""),
	    SIWE_BAD_FIELD);
	/* Cut short after any line: a required field is missing. */
	CU_ASSERT_EQUAL(parse("example.com wants you to sign in with your "
	    "Ethereum account:"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(siwe_parse(base, (size_t)(strstr(base, "\nIssued") -
	    base), &m), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(siwe_parse(base, (size_t)(strstr(base, "\nIssued") -
	    base) + 1, &m), SIWE_BAD_FIELD);
	/* A trailing LF, a trailing line, a Resources line repeated. */
	CU_ASSERT_EQUAL(mut("custody", "custody\n"), SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("custody", "custody\nx"), SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("custody", "custody\nResources:"),
	    SIWE_BAD_RESOURCE);
	CU_ASSERT_EQUAL(mut("\nResources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", "\n"), SIWE_BAD_FIELD);
	CU_ASSERT_EQUAL(mut("\nResources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", "x"), SIWE_BAD_TIME);
}

static void
test_parse_chars(void)
{
	char	 buf[sizeof(base) + 16];
	size_t	 n;

	CU_ASSERT_EQUAL(mut("Farcaster Auth", "Farcaster\tAuth"), SIWE_BAD_CHAR);
	CU_ASSERT_EQUAL(mut("Farcaster Auth", "Farcaster Au\xc3\xa9th"),
	    SIWE_BAD_CHAR);
	CU_ASSERT_EQUAL(mut("Farcaster Auth", "Farcaster Auth\x7f"),
	    SIWE_BAD_CHAR);
	CU_ASSERT_EQUAL(mut("example.com", "ex\xc3\xa4mple.com"), SIWE_BAD_CHAR);
	CU_ASSERT_EQUAL(mut("Version: 1\n", "Version: 1\r\n"), SIWE_BAD_CHAR);
	CU_ASSERT_EQUAL(mut("custody", "custody\r"), SIWE_BAD_CHAR);
	/* A NUL inside the given length. */
	n = strlen(base);
	memcpy(buf, base, n);
	buf[20] = '\0';
	CU_ASSERT_EQUAL(siwe_parse(buf, n, &m), SIWE_BAD_CHAR);
}

static void
test_parse_too_long(void)
{
	static char	 big[SIWE_MSG_MAX + 64];
	size_t		 n = strlen(base);

	memcpy(big, base, n);
	memset(big + n, '\n', sizeof(big) - n);
	CU_ASSERT_EQUAL(siwe_parse(big, SIWE_MSG_MAX + 1, &m), SIWE_TOO_LONG);
	/* At the limit the length is no objection (the blank lines are). */
	CU_ASSERT_EQUAL(siwe_parse(big, SIWE_MSG_MAX, &m), SIWE_BAD_RESOURCE);
}

static void
test_strings(void)
{
	size_t	 i;

	for (i = 0; i < SIWE_ERR__MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(siwe_err_str((enum siwe_err)i),
		    "unknown");
	for (i = 0; i < SIWE_CHECK__MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(siwe_check_str((enum siwe_check)i),
		    "unknown");
	for (i = 0; i < SIWE_SIG__MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(siwe_sig_str((enum siwe_sig)i),
		    "unknown");
	CU_ASSERT_STRING_EQUAL(siwe_err_str(SIWE_ERR__MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(siwe_check_str(SIWE_CHECK_MANY_FIDS),
	    "the message names more than one fid");
}

static const struct siwe_policy	 pol = {
	.domain = "example.com",
	.uri = "https://example.com/login",
	.chain_id = SIWE_FARCASTER_CHAIN,
	.skew = 60,
};

/* base changed as mut() does, parsed (it must parse), then checked. */
static enum siwe_check
chk(const char *from, const char *to, const struct siwe_policy *p,
    int64_t now, int64_t *fid)
{
	CU_ASSERT_EQUAL_FATAL(from != NULL ? mut(from, to) : parse(base),
	    SIWE_OK);
	return siwe_check(&m, p, now, fid);
}

static void
test_check_ok(void)
{
	struct siwe_policy	 p = pol;
	int64_t			 fid = 0;

	CU_ASSERT_EQUAL(chk(NULL, NULL, &pol, T0 + 10, &fid), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(fid, 1234);
	CU_ASSERT_EQUAL(chk(NULL, NULL, &pol, T0 + 10, NULL), SIWE_CHECK_OK);
	p.domain = "EXAMPLE.com";
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0, NULL), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk("Farcaster Auth", "Farcaster Connect", &pol, T0,
	    NULL), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk("example.com wants", "https://example.com wants",
	    &pol, T0, NULL), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk("fid/1234", "fid/1234/", &pol, T0, &fid),
	    SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(fid, 1234);
	CU_ASSERT_EQUAL(chk("fid/1234", "fid/9223372036854775807", &pol, T0,
	    &fid), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(fid, INT64_MAX);
	/* Other resources are no concern of ours. */
	CU_ASSERT_EQUAL(chk("- farcaster://signer/type/custody",
	    "- https://example.com/tos", &pol, T0, &fid), SIWE_CHECK_OK);
}

/* Each check failing alone; *fid is left alone on failure. */
static void
test_check_fails(void)
{
	struct siwe_policy	 p = pol;
	int64_t			 fid = -7;

	CU_ASSERT_EQUAL(chk("Version: 1", "Version: 2", &pol, T0, &fid),
	    SIWE_CHECK_VERSION);
	CU_ASSERT_EQUAL(chk("Chain ID: 10", "Chain ID: 1", &pol, T0, &fid),
	    SIWE_CHECK_CHAIN);
	CU_ASSERT_EQUAL(chk("example.com wants", "example.org wants", &pol, T0,
	    &fid), SIWE_CHECK_DOMAIN);
	CU_ASSERT_EQUAL(chk("example.com wants", "example.com:443 wants", &pol,
	    T0, &fid), SIWE_CHECK_DOMAIN);
	CU_ASSERT_EQUAL(chk("example.com wants", "http://example.com wants",
	    &pol, T0, &fid), SIWE_CHECK_DOMAIN);
	p.scheme = "http";
	CU_ASSERT_EQUAL(chk("example.com wants", "http://example.com wants",
	    &p, T0, &fid), SIWE_CHECK_OK);
	p = pol;
	p.domain = NULL;
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0, &fid), SIWE_CHECK_DOMAIN);
	p = pol;
	p.uri = "https://example.com/login/";
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0, &fid), SIWE_CHECK_URI);
	p.uri = NULL;
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0, &fid), SIWE_CHECK_URI);
	CU_ASSERT_EQUAL(chk("Farcaster Auth", "Farcaster auth", &pol, T0, &fid),
	    SIWE_CHECK_STATEMENT);
	CU_ASSERT_EQUAL(chk("\nFarcaster Auth\n\n", "\n", &pol, T0, &fid),
	    SIWE_CHECK_STATEMENT);
	fid = -7;
	CU_ASSERT_EQUAL(chk("- farcaster://fid/1234\n", "", &pol, T0, &fid),
	    SIWE_CHECK_NO_FID);
	CU_ASSERT_EQUAL(chk("\nResources:\n- farcaster://fid/1234\n"
	    "- farcaster://signer/type/custody", "", &pol, T0, &fid),
	    SIWE_CHECK_NO_FID);
	CU_ASSERT_EQUAL(chk("- farcaster://fid/1234", "- farcaster://fid/1234"
	    "\n- farcaster://fid/1234", &pol, T0, &fid), SIWE_CHECK_MANY_FIDS);
	CU_ASSERT_EQUAL(chk("- farcaster://fid/1234", "- farcaster://fid/1"
	    "\n- farcaster://fid/x", &pol, T0, &fid), SIWE_CHECK_MANY_FIDS);
	CU_ASSERT_EQUAL(chk("- farcaster://signer/type/custody",
	    "- farcaster://signer/type/foo", &pol, T0, &fid), SIWE_CHECK_METHOD);
	CU_ASSERT_EQUAL(chk("- farcaster://signer/type/custody",
	    "- farcaster://signer/type/custody\n"
	    "- farcaster://signer/type/authAddress", &pol, T0, &fid),
	    SIWE_CHECK_METHOD);
	CU_ASSERT_EQUAL(fid, -7);
}

static void
test_check_fid(void)
{
	static const char	*bad[] = { "0", "01", "-1", "+1", "12a", "",
	    "//", "1//", "9223372036854775808", "99999999999999999999999",
	    "1 ", "1%30" };
	char			 res[64];
	size_t			 i;
	int64_t			 fid = -7;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		(void)snprintf(res, sizeof(res), "fid/%s", bad[i]);
		if (mut("fid/1234", res) != SIWE_OK)
			continue;		/* not a URI: the parser's */
		CU_ASSERT_EQUAL(siwe_check(&m, &pol, T0, &fid),
		    SIWE_CHECK_BAD_FID);
	}
	CU_ASSERT_EQUAL(fid, -7);
	/* The prefix is exact: these are not fid resources at all. */
	CU_ASSERT_EQUAL(chk("farcaster://fid/1234", "farcaster://FID/1234",
	    &pol, T0, &fid), SIWE_CHECK_NO_FID);
	CU_ASSERT_EQUAL(chk("farcaster://fid/1234", "farcaster://fid1234",
	    &pol, T0, &fid), SIWE_CHECK_NO_FID);
}

static void
test_check_times(void)
{
	struct siwe_policy	 p = pol;
	static const char	 exp[] = "Expiration Time: 2024-01-01T00:10:00Z\n"
	    "Resources:";
	static const char	 nbf[] = "Not Before: 2024-01-01T00:05:00Z\n"
	    "Resources:";

	/* Issued At may be up to skew ahead of our clock. */
	CU_ASSERT_EQUAL(chk(NULL, NULL, &pol, T0 - 60, NULL), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk(NULL, NULL, &pol, T0 - 61, NULL),
	    SIWE_CHECK_ISSUED_FUTURE);
	/* Valid while now < Expiration Time (+ skew). */
	CU_ASSERT_EQUAL(chk("Resources:", exp, &pol, T0 + 600 + 59, NULL),
	    SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk("Resources:", exp, &pol, T0 + 600 + 60, NULL),
	    SIWE_CHECK_EXPIRED);
	CU_ASSERT_EQUAL(chk("Resources:", nbf, &pol, T0 + 300 - 60, NULL),
	    SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk("Resources:", nbf, &pol, T0 + 300 - 61, NULL),
	    SIWE_CHECK_NOT_YET);
	/* max_age bounds a message that names no expiry. */
	p.max_age = 300;
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0 + 360, NULL), SIWE_CHECK_OK);
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0 + 361, NULL),
	    SIWE_CHECK_EXPIRED);
	CU_ASSERT_EQUAL(chk(NULL, NULL, &pol, T0 + 86400 * 365, NULL),
	    SIWE_CHECK_OK);
	/* No skew; a negative skew counts as none. */
	p = pol;
	p.skew = -5;
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, T0 - 1, NULL),
	    SIWE_CHECK_ISSUED_FUTURE);
	CU_ASSERT_EQUAL(chk("Resources:", exp, &p, T0 + 600, NULL),
	    SIWE_CHECK_EXPIRED);
	CU_ASSERT_EQUAL(chk("Resources:", exp, &p, T0 + 599, NULL),
	    SIWE_CHECK_OK);
	/* A clock or skew far out of range does not overflow. */
	p.skew = INT64_MAX;
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, INT64_MAX, NULL),
	    SIWE_CHECK_EXPIRED);
	CU_ASSERT_EQUAL(chk(NULL, NULL, &p, INT64_MIN, NULL),
	    SIWE_CHECK_EXPIRED);
}

static void
test_method(void)
{
	CU_ASSERT_EQUAL_FATAL(parse(base), SIWE_OK);
	CU_ASSERT_EQUAL(siwe_method(&m), SIWE_METHOD_CUSTODY);
	CU_ASSERT_EQUAL_FATAL(mut("custody", "authAddress"), SIWE_OK);
	CU_ASSERT_EQUAL(siwe_method(&m), SIWE_METHOD_AUTH_ADDRESS);
	CU_ASSERT_EQUAL_FATAL(mut("custody", "authAddress/"), SIWE_OK);
	CU_ASSERT_EQUAL(siwe_method(&m), SIWE_METHOD_AUTH_ADDRESS);
	CU_ASSERT_EQUAL_FATAL(mut("custody", "Custody"), SIWE_OK);
	CU_ASSERT_EQUAL(siwe_method(&m), SIWE_METHOD_BAD);
	CU_ASSERT_EQUAL_FATAL(mut("\n- farcaster://signer/type/custody", ""),
	    SIWE_OK);
	CU_ASSERT_EQUAL(siwe_method(&m), SIWE_METHOD_CUSTODY);
}

static void
test_verify_sig(void)
{
	char	 signer[ETH_ADDR_SIZE], sig[sizeof(BASE_SIG)];

	CU_ASSERT_EQUAL_FATAL(parse(base), SIWE_OK);
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), BASE_SIG,
	    signer), SIWE_SIG_OK);
	CU_ASSERT_STRING_EQUAL(signer, "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), BASE_SIG + 2,
	    NULL), SIWE_SIG_OK);
	/* One byte less of the text: another hash, another signer. */
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base) - 1, BASE_SIG,
	    signer), SIWE_SIG_MISMATCH);
	CU_ASSERT_STRING_NOT_EQUAL(signer, "");
	/* The message names another address than the key's. */
	CU_ASSERT_EQUAL_FATAL(mut(ADDR, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
	    SIWE_OK);
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), BASE_SIG,
	    NULL), SIWE_SIG_MISMATCH);
	CU_ASSERT_EQUAL_FATAL(parse(base), SIWE_OK);
	memcpy(sig, BASE_SIG, sizeof(sig));
	sig[sizeof(sig) - 2] = 'd';			/* v = 0x1d */
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), sig, signer),
	    SIWE_SIG_BAD);
	CU_ASSERT_STRING_EQUAL(signer, "");
	sig[sizeof(sig) - 2] = '\0';
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), sig, signer),
	    SIWE_SIG_BAD_HEX);
	CU_ASSERT_EQUAL(siwe_verify_sig(&m, base, strlen(base), NULL, signer),
	    SIWE_SIG_BAD_HEX);
}

int
test_siwe_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("siwe", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "parse base", test_parse_base) == NULL ||
	    CU_add_test(s, "parse optional", test_parse_optional) == NULL ||
	    CU_add_test(s, "parse forms", test_parse_forms) == NULL ||
	    CU_add_test(s, "parse header", test_parse_header) == NULL ||
	    CU_add_test(s, "parse address", test_parse_address) == NULL ||
	    CU_add_test(s, "parse statement", test_parse_statement) == NULL ||
	    CU_add_test(s, "parse values", test_parse_values) == NULL ||
	    CU_add_test(s, "parse times", test_parse_times) == NULL ||
	    CU_add_test(s, "parse resources", test_parse_resources) == NULL ||
	    CU_add_test(s, "parse fields", test_parse_fields) == NULL ||
	    CU_add_test(s, "parse chars", test_parse_chars) == NULL ||
	    CU_add_test(s, "parse too long", test_parse_too_long) == NULL ||
	    CU_add_test(s, "strings", test_strings) == NULL ||
	    CU_add_test(s, "check ok", test_check_ok) == NULL ||
	    CU_add_test(s, "check fails", test_check_fails) == NULL ||
	    CU_add_test(s, "check fid", test_check_fid) == NULL ||
	    CU_add_test(s, "check times", test_check_times) == NULL ||
	    CU_add_test(s, "method", test_method) == NULL ||
	    CU_add_test(s, "verify sig", test_verify_sig) == NULL)
		return -1;
	return 0;
}
