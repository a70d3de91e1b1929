# shellcheck shell=bash
# Sign In with Farcaster (issue 18) against a fixture Hub and relay
# (tests/tools/fixture_httpd serving a copy of tests/fixtures/hub-server on
# RC_TEST_FIXTURE_PORT, where script/test points RC_HUB_URL and
# RC_SIWF_RELAY).  Messages are signed by tests/tools/siwf_sign with known
# keys.  POST /auth/siwf end to end, then each failed check on its own
# (401 problem+json naming it, and an audit row); account creation and
# reuse; the browser flow with curl and in Chromium; linking from Settings.
# Fids 890-899, usernames t89*.
S89_SIGN=$RC_ROOT/build/$RC_MODE/tests/tools/siwf_sign
S89_HTTPD=$RC_ROOT/build/$RC_MODE/tests/tools/fixture_httpd
S89_FX=$T_OUT/siwf-fixture
S89_PORT=${RC_TEST_FIXTURE_PORT:-$((RC_HTTP_PORT + 70))}
S89_DOMAIN=127.0.0.1:$RC_HTTPS_PORT
S89_URI=https://$S89_DOMAIN/login
# Keys: 890's custody (the published vector), 891's custody, an auth
# address of 890, 892's and 893's custody.
K890=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
K891=$(printf '%064x' 1)
K890AUTH=$(printf '%064x' 2)
K892=$(printf '%064x' 3)
K893=$(printf '%064x' 4)
S89_JSON=(-H 'Content-Type: application/json')
s89q() { pg_psql -d replycast -tAc "$1"; }
s89addr() { "$S89_SIGN" --address "$1"; }

rm -rf "$S89_FX"
cp -r "$RC_ROOT/tests/fixtures/hub-server" "$S89_FX"
mkdir -p "$S89_FX/v1/channel"
"$S89_HTTPD" "$S89_PORT" "$S89_FX" >"$T_OUT/siwf-httpd.out" 2>"$T_OUT/siwf-httpd.err" &
S89_PID=$!
for _ in $(seq 100); do grep -q ready "$T_OUT/siwf-httpd.out" 2>/dev/null && break; sleep 0.05; done
check "t_89: the fixture Hub and relay listen on $S89_PORT" ready "$(cat "$T_OUT/siwf-httpd.out")"

# s89msg ADDR NONCE [ISSUED] [EXPIRES] [RESOURCES...]: a message as AuthKit
# writes it, for this site unless S89_MDOMAIN says otherwise.
s89msg() {
	local addr=$1 nonce=$2 issued=${3:-$(date -u +%Y-%m-%dT%H:%M:%SZ)} exp=${4:-} r
	shift 4 2>/dev/null || shift $#
	printf '%s wants you to sign in with your Ethereum account:\n%s\n\nFarcaster Auth\n\n' \
		"${S89_MDOMAIN:-$S89_DOMAIN}" "$addr"
	printf 'URI: %s\nVersion: 1\nChain ID: 10\nNonce: %s\nIssued At: %s\n' "$S89_URI" "$nonce" "$issued"
	[ -n "$exp" ] && printf 'Expiration Time: %s\n' "$exp"
	printf 'Resources:'
	for r in "$@"; do printf '\n- %s' "$r"; done
}
s89sign() { printf '%s' "$2" | "$S89_SIGN" "$1"; }
s89nonce() {
	req POST "$RC_HTTP/auth/siwf/nonce"
	S89_NONCE=$(jget .nonce)
}
# s89post MESSAGE SIGNATURE: POST /auth/siwf.
s89post() {
	req POST "$RC_HTTP/auth/siwf" "${S89_JSON[@]}" \
		-d "$(jq -cn --arg m "$1" --arg s "$2" '{message: $m, signature: $s}')"
}
# s89refused NAME DETAIL-REGEX: a 401 problem naming the check, and its audit row.
s89refused() {
	local id
	check "t_89: $1: 401" 401 "$R_CODE"
	check "t_89: $1: problem+json" "application/problem+json" "$(header Content-Type)"
	check_match "t_89: $1: the detail names the check" "$2" "$(jget .detail)"
	id=$(jget .request_id)
	check_match "t_89: $1: audit row" "^siwf.failed\|${2#^}" \
		"$(s89q "SELECT action || '|' || detail FROM audit_log WHERE request_id = '$id'")"
}

# The nonce.
s89nonce
check "t_89: POST /auth/siwf/nonce: 200" 200 "$R_CODE"
check_match "t_89: the nonce is 16 or more letters and digits" '^[A-Za-z0-9]{16,}$' "$S89_NONCE"
check "t_89: the nonce's domain and URI are this site's" "$S89_DOMAIN $S89_URI" "$(jget '.domain + " " + .uri')"
check_match "t_89: the nonce expires in the future" '^20[0-9]{2}-' "$(jget .expires_at)"
first=$S89_NONCE
s89nonce
check "t_89: every nonce is new" 1 "$([ "$first" != "$S89_NONCE" ] && echo 1)"

# A good sign-in: the first one makes the account, bound to the fid, named
# after the Hub's username.
A890=$(s89addr "$K890")
s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890)
sig=$(s89sign "$K890" "$m")
s89post "$m" "$sig"
check "t_89: a good sign-in: 200" 200 "$R_CODE"
check "t_89: it signs into a new account bound to fid 890, named from the Hub" "890 alice890 user" \
	"$(jget '"\(.account.fid) \(.account.username) \(.account.role)"')"
tok=$(jget .access_token)
id890=$(jget .account.id)
check_match "t_89: and a refresh token, as a password login gives" '^[A-Za-z0-9_-]{43}$' "$(jget .refresh_token)"
req GET "$RC_HTTP/auth/me" -H "Authorization: Bearer $tok"
check "t_89: its access token works like a password login's" "200 890" "$R_CODE $(jget .fid)"
check "t_89: the sign-in has an audit row" 1 "$(s89q "SELECT count(*) FROM audit_log WHERE action = 'login' AND detail = 'siwf' AND account_id = $id890")"

# The same message again: its nonce is used up.
s89post "$m" "$sig"
s89refused "a reused nonce" '^nonce: was used already'

# A second sign-in of the same fid: the same account.
s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890" "$m")"
check "t_89: a second sign-in: the same account" "200 $id890" "$R_CODE $(jget .account.id)"
check "t_89: one account holds fid 890" 1 "$(s89q "SELECT count(*) FROM accounts WHERE fid = 890")"

# Onboarding with no command typed: the first sign-in queued fid 890's Hub
# backfill, the second nothing; the worker, as script/server runs it, takes
# it from the fixture Hub and the figures appear.  890 writes c1, and c2 in
# answer to 895's mention m1 ten minutes after it; 896 replies to c1.
check "t_89: the first sign-in queued fid 890's backfill, the second nothing" "1 queued" \
	"$(s89q "SELECT count(*) || ' ' || min(state) FROM jobs WHERE fid = 890")"
S89_F0=126700000	# Farcaster time: 2025-01-06T10:26:40Z
s89hash() { printf '0x%040x' "$1"; }
# s89cast FID N [PARENT_FID PARENT_N] [MENTION]: a CastAdd at F0 + 60 N, hash FID*256+N.
s89cast() {
	local parent="" mention="[]" pos="[]"
	[ -n "${3:-}" ] && parent=",\"parentCastId\":{\"fid\":$3,\"hash\":\"$(s89hash $(($3 * 256 + $4)))\"}"
	[ -n "${5:-}" ] && mention="[$5]" pos="[0]"
	printf '{"data":{"type":"MESSAGE_TYPE_CAST_ADD","fid":%s,"timestamp":%s,"network":"FARCASTER_NETWORK_MAINNET","castAddBody":{"text":"t89 %s","mentions":%s,"mentionsPositions":%s,"embeds":[]%s}},"hash":"%s","hashScheme":"HASH_SCHEME_BLAKE3","signature":"c3Nz","signatureScheme":"SIGNATURE_SCHEME_ED25519","signer":"0xab"}' \
		"$1" $((S89_F0 + 60 * $2)) "$2" "$mention" "$pos" "$parent" "$(s89hash $(($1 * 256 + $2)))"
}
s89hubpage() { printf '{"messages":[%s],"nextPageToken":""}\n' "$1"; }
v89=$S89_FX/v1
mkdir -p "$v89/castsByFid" "$v89/castsByMention" "$v89/castsByParent" "$v89/reactionsByFid"
s89hubpage "" >"$v89/reactionsByFid/fid=890&reaction_type=Like.json"
s89hubpage "$(s89cast 890 1),$(s89cast 890 30 895 20)" >"$v89/castsByFid/fid=890.json"
s89hubpage "$(s89cast 895 20 "" "" 890)" >"$v89/castsByMention/fid=890.json"
s89hubpage "$(s89cast 896 40 890 1)" >"$v89/castsByParent/fid=890&hash=$(s89hash $((890 * 256 + 1))).json"
s89hubpage "" >"$v89/castsByParent/fid=890&hash=$(s89hash $((890 * 256 + 30))).json"
for f in 895 896; do
	printf '{"messages":[{"data":{"type":"MESSAGE_TYPE_USER_DATA_ADD","fid":%s,"timestamp":%s,"network":"FARCASTER_NETWORK_MAINNET","userDataBody":{"type":"USER_DATA_TYPE_USERNAME","value":"t89u%s"}},"hash":"%s","hashScheme":"HASH_SCHEME_BLAKE3","signature":"c3Nz","signatureScheme":"SIGNATURE_SCHEME_ED25519","signer":"0xab"}],"nextPageToken":""}\n' \
		"$f" "$S89_F0" "$f" "$(s89hash $((f * 256 + 255)))" >"$v89/userDataByFid/fid=$f.json"
done
RC_JOB_POLL_MS=200 svc_start worker "$RC_PREFIX/bin/replycast-worker"
for _ in $(seq 150); do
	[ "$(s89q "SELECT state FROM jobs WHERE fid = 890")" = "done" ] && break
	sleep 0.2
done
check "t_89: the worker finished the backfill (4 casts), with no command typed" "done 4" \
	"$(s89q "SELECT state || ' ' || casts FROM jobs WHERE fid = 890")"
svc_stop worker
check "t_89: the signed-in user's figures: 2 inbound, 1 answered in 600 s" "2 1 600" \
	"$(rc_ctl stats 890 --from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z --tz UTC |
		jq -r '"\(.inbound) \(.answered) \(.reply_seconds.median)"')"

# An auth address of the fid (the Hub's key registry, keyType 2) signs in too.
s89nonce
m=$(s89msg "$(s89addr "$K890AUTH")" "$S89_NONCE" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890AUTH" "$m")"
check "t_89: an auth address of the fid signs into its account" "200 $id890" "$R_CODE $(jget .account.id)"

# Each failed check on its own.
s89nonce
m=$(S89_MDOMAIN=evil.example s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "a wrong domain" '^domain: '

s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)" \
	"$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "an expired message" '^expiration_time: '
nonce_expired=$S89_NONCE

s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K891" "$m")"
s89refused "a signature by another key" '^signature: '
s89post "$m" "$(s89sign "$K890" "$m")"
check "t_89: a refused signature spends no nonce" 200 "$R_CODE"

s89nonce
A891=$(s89addr "$K891")
m=$(s89msg "$A891" "$S89_NONCE" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K891" "$m")"
s89refused "an address that is not the fid's custody address" "^address: ${A891,,} is neither the custody address nor an auth address of fid 890"

s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890 farcaster://fid/891)
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "two fid resources" '^resources: '

s89nonce
m=$(s89msg "$A890" "$S89_NONCE" "" "" farcaster://fid/890)
m=${m/Version: 1/Version: 1
Version: 1}
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "a malformed message" '^message: not a valid Sign In with Farcaster message'

m=$(s89msg "$A890" "0123456789abcdefXYZ" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "a nonce this server never issued" '^nonce: was not issued by this server'

s89q "UPDATE siwf_nonces SET expires_at = now() - interval '1 s' WHERE nonce = '$nonce_expired'" >/dev/null
m=$(s89msg "$A890" "$nonce_expired" "" "" farcaster://fid/890)
s89post "$m" "$(s89sign "$K890" "$m")"
s89refused "an expired nonce" '^nonce: has expired'

req POST "$RC_HTTP/auth/siwf" "${S89_JSON[@]}" -d '{"message": "x"}'
check "t_89: no signature: 400" 400 "$R_CODE"

# The browser flow with curl: login page, channel, the relay completes it.
CJ=$T_OUT/siwf-cookies
rm -f "$CJ"
# s89page METHOD PATH [curl args]: through the cookie jar.
s89page() { local m=$1 p=$2; shift 2; req "$m" "$RC_HTTP$p" -b "$CJ" -c "$CJ" "$@"; }
s89csrf() { awk '$6 ~ /rc_csrf$/ { v = $7 } END { print v }' "$CJ"; }
# The request the fixture relay saved for the channel it opened last.
s89newest() {
	find "$S89_FX/v1/channel" -name '*.req.json' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-
}
# s89complete KEY FID USERNAME: the newest channel signed as the Farcaster app would.
s89complete() {
	local f tok nonce addr msg
	f=$(s89newest)
	tok=$(basename "$f" .req.json)
	nonce=$(jq -r .nonce "$f")
	addr=$(s89addr "$1")
	msg=$(s89msg "$addr" "$nonce" "" "" "farcaster://fid/$2")
	jq -n --arg m "$msg" --arg s "$(s89sign "$1" "$msg")" --arg n "$nonce" --argjson f "$2" \
		--arg u "$3" --arg a "$addr" \
		'{state: "completed", nonce: $n, message: $m, signature: $s, fid: $f,
		  username: $u, custody: $a, authMethod: "custody"}' >"$S89_FX/v1/channel/$tok.json"
}
s89page GET /login
check "t_89: the login page offers Sign in with Farcaster" 1 \
	"$(grep -c 'action="/auth/siwf/channel"' <<<"$R_BODY")"
s89page POST /auth/siwf/channel --data-urlencode "csrf_token=$(s89csrf)"
check "t_89: opening a channel sends the browser to its page" "303 /auth/siwf/channel" "$R_CODE $(header Location)"
check_match "t_89: the channel is the browser's opaque cookie, HttpOnly, Path=/auth/siwf" \
	'rc_siwf=[A-Za-z0-9_-]{43}; Path=/auth/siwf; Max-Age=[0-9]+; HttpOnly' \
	"$(printf '%s\n' "$R_HEADERS" | grep -i '^set-cookie: .*rc_siwf=')"
chan_nonce=$(jq -r .nonce "$(s89newest)")
check "t_89: the channel carries a nonce the server issued" 1 \
	"$(s89q "SELECT count(*) FROM siwf_nonces WHERE nonce = '$chan_nonce' AND used_at IS NULL")"
s89page GET /auth/siwf/channel
check "t_89: the waiting page: 200" 200 "$R_CODE"
check "t_89: it refreshes itself every 2 s, without a script" "1 0" \
	"$(grep -c '<meta http-equiv="refresh" content="2">' <<<"$R_BODY") $(grep -c '<script' <<<"$R_BODY")"
check "t_89: it shows the connect link" 1 "$(grep -c 'href="farcaster://connect?channelToken=chan-[0-9]*&amp;nonce='"$chan_nonce"'"' <<<"$R_BODY")"
check "t_89: and the QR code, drawn on the server" 1 "$(grep -c '<svg class="qr"[^>]*role="img"' <<<"$R_BODY")"
s89complete "$K892" 892 bob892
s89page GET /auth/siwf/channel
check "t_89: once the app approved, the refresh signs in and goes to the overview" "303 /" "$R_CODE $(header Location)"
check "t_89: with the cookies of a password login" 3 \
	"$(printf '%s\n' "$R_HEADERS" | grep -ciE '^set-cookie: (__host-|__secure-)?rc_(at|rt|csrf)=[^;]')"
s89page GET /
check "t_89: the overview, signed in" 200 "$R_CODE"
check "t_89: the first browser sign-in made the account, named by the relay" "bob892 user" \
	"$(s89q "SELECT username || ' ' || role FROM accounts WHERE fid = 892")"
s89page GET /auth/siwf/channel
check "t_89: a used channel: a readable page with a retry link" "410 1" \
	"$R_CODE $(grep -c 'href="/login">Try again' <<<"$R_BODY")"

# The browser flow in Chromium: the second sign-in of fid 892.
if [ ! -d "$RC_ROOT/tests/browser/node_modules/playwright-core" ] ||
	[ "$RC_ROOT/tests/browser/package-lock.json" -nt "$RC_ROOT/tests/browser/node_modules/.package-lock.json" ]; then
	(cd "$RC_ROOT/tests/browser" && npm ci --no-audit --no-fund >/dev/null 2>&1) || nok "t_89: npm ci in tests/browser"
fi
if [ -d "$RC_ROOT/tests/browser/node_modules/playwright-core" ]; then
	BASE=$RC_HTTP FX=$S89_FX SIGN=$S89_SIGN KEY=$K892 FID=892 DOMAIN=$S89_DOMAIN URI=$S89_URI \
		timeout 90 node "$RC_ROOT/tests/browser/siwf.mjs" >"$T_OUT/siwf-browser.out" 2>&1
	code=$?
	checks_from "t_89: browser: " "$T_OUT/siwf-browser.out"
	check "t_89: the browser test exited cleanly" 0 "$code"
	check "t_89: the browser's second sign-in reused the account" 1 \
		"$(s89q "SELECT count(*) FROM accounts WHERE fid = 892")"
else
	nok "t_89: browser: tests/browser/node_modules missing (npm ci in tests/browser)"
fi

# Linking from Settings: a password account proves its fid.  Accounts
# without a fid, as self-registration makes them.
for u in t89link:898 t89other:899; do
	rc_ctl user del "${u%:*}" >/dev/null 2>&1
	printf 'link-password-89\n' | rc_ctl user add "${u%:*}" --fid "${u#*:}" --password-stdin >/dev/null 2>&1
done
s89q "UPDATE accounts SET fid = NULL WHERE username IN ('t89link', 't89other')" >/dev/null
s89signin() {
	rm -f "$CJ"
	s89page GET /login
	s89page POST /auth/login --data-urlencode "csrf_token=$(s89csrf)" \
		--data-urlencode "username=$1" --data-urlencode "password=link-password-89"
}
s89signin t89link
s89page GET /settings
check "t_89: Settings of an account with no fid offers the link" "200 1" \
	"$R_CODE $(grep -c 'id="siwf-link"' <<<"$R_BODY")"
s89page POST /auth/siwf/channel --data-urlencode "csrf_token=$(s89csrf)" --data-urlencode link=1
check "t_89: linking opens a channel" "303 /auth/siwf/channel" "$R_CODE $(header Location)"
check "t_89: the channel remembers the account" 1 \
	"$(s89q "SELECT count(*) FROM siwf_nonces n JOIN accounts a ON a.id = n.link_account WHERE a.username = 't89link'")"
s89complete "$K893" 893 someone-else
s89page GET /auth/siwf/channel
check "t_89: the approved link goes back to Settings" "303 /settings" "$R_CODE $(header Location)"
check "t_89: the account is bound to the proven fid, its name kept" "t89link" \
	"$(s89q "SELECT username FROM accounts WHERE fid = 893")"
s89page GET /settings
check "t_89: Settings shows the linked fid, with a fresh session" "200 1" \
	"$R_CODE $(grep -c 'id="linked-fid">893<' <<<"$R_BODY")"

s89signin t89other
s89page POST /auth/siwf/channel --data-urlencode "csrf_token=$(s89csrf)" --data-urlencode link=1
s89complete "$K893" 893 someone-else
s89page GET /auth/siwf/channel
check "t_89: a fid another account holds is refused, saying so" "409 1" \
	"$R_CODE $(grep -c 'belongs to another replycast account' <<<"$R_BODY")"
check "t_89: the other account exists and stays unbound" "1 " \
	"$(s89q "SELECT count(*) || ' ' || COALESCE(max(fid)::text, '') FROM accounts WHERE username = 't89other'")"

kill "$S89_PID" 2>/dev/null
wait "$S89_PID" 2>/dev/null
