# shellcheck shell=bash
# The auth pool: accounts made by replycastctl, login, access and refresh
# tokens, logout, forged tokens, API keys, throttling and the dashboard's
# form.  Fids 700-799, usernames t90*.
AU=$RC_HTTP/auth
PW90=t90-Correct-Horse-42
JSON=(-H 'Content-Type: application/json')
ADDR=127.0.0.1

kv() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
# Failures from this address add up across the file; forgive them between steps.
forgive() { kv DEL "lf:ip:$ADDR" "lk:ip:$ADDR" >/dev/null; }
creds() { jq -cn --arg u "$1" --arg p "$2" '{username: $u, password: $p}'; }
login() { req POST "$AU/login" "${JSON[@]}" -d "$(creds "$1" "$2")"; }
bearer() { printf 'Authorization: Bearer %s' "$1"; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
b64d() { local s; s=$(tr '_-' '/+'); while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done; printf '%s' "$s" | base64 -d; }
# mint HEADER_JSON PAYLOAD_JSON KEY: an HS256 JWT made here, not by the server.
mint() {
	local h p s
	h=$(printf '%s' "$1" | b64url)
	p=$(printf '%s' "$2" | b64url)
	s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -hmac "$3" -binary | b64url)
	printf '%s.%s.%s' "$h" "$p" "$s"
}
# both NAME TOKEN CODE: /auth/me and the api pool answer the same.
both() {
	req GET "$AU/me" -H "$(bearer "$2")"
	check "$1: /auth/me" "$3" "$R_CODE"
	req GET "$RC_HTTP/api/v1/me/summary" -H "$(bearer "$2")"
	check "$1: /api/v1/me/summary" "$3" "$R_CODE"
}
cookie_line() { printf '%s\n' "$R_HEADERS" | grep -i "^set-cookie: $1=" | head -1 | cut -d' ' -f2-; }
cookie_val() { cookie_line "$1" | sed 's/;.*//; s/^[^=]*=//'; }

# Accounts from the shell.
forgive
printf '%s\n' "$PW90" | rc_ctl user add t90alice --fid 700 --password-stdin >/dev/null 2>&1
check "user add" 0 "$?"
printf '%s\n' "$PW90" | rc_ctl user add t90admin --fid 701 --role admin --password-stdin >/dev/null 2>&1
check "user add --role admin" 0 "$?"
printf '%s\n' "$PW90" | rc_ctl user add t90bob --fid 702 --password-stdin >/dev/null 2>&1
printf '%s\n' "$PW90" | rc_ctl user add t90dave --fid 703 --password-stdin >/dev/null 2>&1
printf '%s\n' "$PW90" | rc_ctl user add t90alice --fid 700 --password-stdin >/dev/null 2>&1
check "user add: a taken name fails" 1 "$?"
printf 'short\n' | rc_ctl user add t90short --fid 704 --password-stdin >/dev/null 2>&1
check "user add: a short password fails" 1 "$?"
as_run env -S "$(rc_env_s)" RC_NEW_PASSWORD=t90-from-the-env \
	"$RC_PREFIX/bin/replycastctl" user add t90carol --fid 705 >/dev/null 2>&1
check "user add: password from RC_NEW_PASSWORD" 0 "$?"
out=$(rc_ctl user list 2>&1)
check_match "user list" 't90admin +admin +701 ' "$out"
check "user.add audited from the shell" 5 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND client_addr = 'shell' AND username LIKE 't90%'")"

# Login with JSON, then the token works on both pools.
login t90alice "$PW90"
check "login: 200" 200 "$R_CODE"
check "login: token type" Bearer "$(jget .token_type)"
check "login: expires_in is the access TTL" 900 "$(jget .expires_in)"
check "login: the account" "t90alice 700 user" "$(jget '"\(.account.username) \(.account.fid) \(.account.role)"')"
check "login: no-store" no-store "$(header Cache-Control)"
AT=$(jget .access_token); RT=$(jget .refresh_token); ALICE=$(jget .account.id)
check_match "login: a refresh token" '^[A-Za-z0-9_-]{43}$' "$RT"
check "refresh token stored only as its hash" "0 1" "$(pg_psql -d replycast -tAc "SELECT count(*) FILTER (WHERE hash = '$RT'), count(*) FILTER (WHERE hash = encode(sha256('$RT'), 'hex')) FROM refresh_tokens" | tr '|' ' ')"
check "and not in Redis" 0 "$(kv --scan --pattern "*$RT*" | wc -l)"
both "fresh token" "$AT" 200
req GET "$AU/me" -H "$(bearer "$AT")"
check "/auth/me: the account" "t90alice 700" "$(jget '"\(.username) \(.fid)"')"
out=$(as_run env -S "$(rc_env_s)" RC_NEW_PASSWORD=t90-from-the-env "$RC_PREFIX/bin/replycastctl" user passwd t90carol 2>&1)
check "user passwd" "password of t90carol changed; every session of t90carol ended" "$out"

# Wrong credentials and bad input.
login t90alice wrong-password-1
check "wrong password: 401" 401 "$R_CODE"
check "wrong password: problem+json" application/problem+json "$(header Content-Type)"
login t90nobody "$PW90"
check "unknown user: 401 as well" 401 "$R_CODE"
forgive
req POST "$AU/login" "${JSON[@]}" -d '{"username":"t90alice"}'
check "no password: 400" 400 "$R_CODE"
check_match "no password: names it" '^password' "$(jget .detail)"
req POST "$AU/login" "${JSON[@]}" -d '{"username":"t90 x","password":"whatever1"}'
check_match "bad username: 400 naming it" '400 username' "$R_CODE $(jget .detail)"
req POST "$AU/login" -H 'Content-Type: text/plain' -d 'hello'
check "login: another content type is 415" 415 "$R_CODE"
req POST "$AU/register" "${JSON[@]}" -d '{"username":"t90reg","password":"t90-password"}'
check "register: 403 unless RC_SELF_REGISTER=1" 403 "$R_CODE"

# Refresh: rotation, then reuse revokes the whole family.
req POST "$AU/refresh" "${JSON[@]}" -d "{\"refresh_token\":\"$RT\"}"
check "refresh: 200" 200 "$R_CODE"
RT2=$(jget .refresh_token); AT2=$(jget .access_token)
check "refresh: a new refresh token" 1 "$([ -n "$RT2" ] && [ "$RT2" != "$RT" ] && echo 1)"
both "refreshed access token" "$AT2" 200
req POST "$AU/refresh" "${JSON[@]}" -d "{\"refresh_token\":\"$RT\"}"
check "refresh: the old token is refused (reuse)" 401 "$R_CODE"
req POST "$AU/refresh" "${JSON[@]}" -d "{\"refresh_token\":\"$RT2\"}"
check "reuse revoked the family: the newest token fails too" 401 "$R_CODE"
both "reuse revoked the family's access tokens" "$AT2" 401
req POST "$AU/refresh" "${JSON[@]}" -d '{"refresh_token":"not-a-token"}'
check "refresh: an unknown token" 401 "$R_CODE"
login t90bob "$PW90"; RTC=$(jget .refresh_token)
{
	for _ in 1 2 3 4; do
		curl -s -o /dev/null -w '%{http_code}\n' -X POST "$AU/refresh" "${JSON[@]}" \
			-d "{\"refresh_token\":\"$RTC\"}" &
	done
	wait
} >"$T_OUT/concurrent"
check "four concurrent refreshes with one token: exactly one wins" 1 "$(grep -c '^200$' "$T_OUT/concurrent")"
check "refresh reuse audited" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action = 'refresh.reuse' AND account_id = $ALICE")"

# Logout revokes the access token (both pools) and the refresh token.
login t90alice "$PW90"
AT2=$(jget .access_token)
login t90alice "$PW90"
AT3=$(jget .access_token); RT3=$(jget .refresh_token)
req POST "$AU/logout" -H "$(bearer "$AT3")" "${JSON[@]}" -d "{\"refresh_token\":\"$RT3\"}"
check "logout: 204" 204 "$R_CODE"
check_match "logout clears __Host-rc_at" '^__Host-rc_at=; Path=/; Max-Age=0' "$(cookie_line __Host-rc_at)"
both "after logout" "$AT3" 401
req POST "$AU/refresh" "${JSON[@]}" -d "{\"refresh_token\":\"$RT3\"}"
check "after logout: the refresh token fails" 401 "$R_CODE"
JTI=$(printf '%s' "$AT3" | cut -d. -f2 | b64d | jq -r .jti)
check "logout: revoked_tokens row" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM revoked_tokens WHERE jti = '$JTI' AND expires_at > now()")"
check "logout: Redis jti key" 1 "$(kv EXISTS "jti:$JTI")"
both "another session is untouched" "$AT2" 200

# Forged tokens: each refused by both pools.
KEY=$(cat "$RC_VAR/secrets/jwt.key")
NOW=$(date +%s)
HS='{"alg":"HS256","typ":"JWT"}'
claims() { # AUD IAT EXP
	jq -cn --arg sub "$ALICE" --arg aud "$1" --argjson iat "$2" --argjson exp "$3" \
		--arg jti "$(openssl rand -hex 16)" \
		'{sub: $sub, fid: 700, role: "user", iat: $iat, exp: $exp, iss: "replycast", aud: $aud, jti: $jti}'
}
GOOD=$(mint "$HS" "$(claims replycast-api "$NOW" $((NOW + 300)))" "$KEY")
both "a token minted here with the server's key (sanity)" "$GOOD" 200
P=$(printf '%s' "$AT2" | cut -d. -f2)
c=${P:10:1}; [ "$c" = A ] && r=B || r=A
TAMPERED=$(printf '%s' "$AT2" | cut -d. -f1).${P:0:10}$r${P:11}.$(printf '%s' "$AT2" | cut -d. -f3)
both "tampered payload" "$TAMPERED" 401
both "expired" "$(mint "$HS" "$(claims replycast-api $((NOW - 1000)) $((NOW - 100)))" "$KEY")" 401
NONE_H=$(printf '%s' '{"alg":"none","typ":"JWT"}' | b64url)
NONE_P=$(claims replycast-api "$NOW" $((NOW + 300)) | b64url)
both "alg none" "$NONE_H.$NONE_P." 401
both "wrong key" "$(mint "$HS" "$(claims replycast-api "$NOW" $((NOW + 300)))" "another-key-of-at-least-32-bytes-long!!")" 401
both "wrong audience" "$(mint "$HS" "$(claims someone-else "$NOW" $((NOW + 300)))" "$KEY")" 401

# API keys.
login t90alice "$PW90"; AT=$(jget .access_token)
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"t90 ci","scope":"read"}'
check "key create: 201" 201 "$R_CODE"
APIKEY=$(jget .key); KID=$(jget .id)
check_match "key: rck_ + 43 characters" '^rck_[A-Za-z0-9_-]{43}$' "$APIKEY"
check "key: prefix is the 8 characters after rck_" "${APIKEY:4:8}" "$(jget .prefix)"
check "key: only its SHA-256 is stored" "1 0" "$(pg_psql -d replycast -tAc "SELECT count(*) FILTER (WHERE key_hash = encode(sha256('$APIKEY'::bytea), 'hex')), count(*) FILTER (WHERE key_hash LIKE '%$APIKEY%') FROM api_keys WHERE id = $KID" | tr '|' ' ')"
req GET "$RC_HTTP/api/v1/me/summary" -H "$(bearer "$APIKEY")"
check "key works on the api pool" 200 "$R_CODE"
req GET "$AU/keys" -H "$(bearer "$AT")"
check "key list" "t90 ci ${APIKEY:4:8} read" "$(jget '.keys[] | "\(.name) \(.prefix) \(.scope)"')"
check "key list: no key, no hash" "0" "$(printf '%s' "$R_BODY" | grep -c -e "$APIKEY" -e key_hash)"
check_match "key list: last_used_at set" '^20' "$(jget '.keys[0].last_used_at')"
req GET "$AU/keys" -H "$(bearer "$APIKEY")"
check "a key cannot list keys" 403 "$R_CODE"
req POST "$AU/keys" -H "$(bearer "$APIKEY")" "${JSON[@]}" -d '{"name":"t90 x"}'
check "a key cannot make keys" 403 "$R_CODE"
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"t90 ing","scope":"ingest"}'
check "ingest scope: users get 403" 403 "$R_CODE"
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"","scope":"read"}'
check_match "key name: 400 naming it" '400 name' "$R_CODE $(jget .detail)"
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"t90","scope":"write"}'
check_match "key scope: 400 naming it" '400 scope' "$R_CODE $(jget .detail)"
login t90admin "$PW90"; ADM=$(jget .access_token)
req POST "$AU/keys" -H "$(bearer "$ADM")" "${JSON[@]}" -d '{"name":"t90 ing","scope":"ingest"}'
check "ingest scope: admins may" "201 ingest" "$R_CODE $(jget .scope)"
login t90bob "$PW90"; BOB=$(jget .access_token)
req DELETE "$AU/keys/$KID" -H "$(bearer "$BOB")"
check "someone else's key: 404" 404 "$R_CODE"
req DELETE "$AU/keys/$KID" -H "$(bearer "$AT")"
check "key delete: 204" 204 "$R_CODE"
req GET "$RC_HTTP/api/v1/me/summary" -H "$(bearer "$APIKEY")"
check "a deleted key is refused" 401 "$R_CODE"
req DELETE "$AU/keys/$KID" -H "$(bearer "$AT")"
check "key delete again: 404" 404 "$R_CODE"
req DELETE "$AU/keys/x1" -H "$(bearer "$AT")"
check "key delete: a bad id is 400" 400 "$R_CODE"

# The dashboard's form: double-submit CSRF, cookies, redirects.
req GET "$AU/csrf"
CSRF=$(jget .csrf_token)
check "csrf: the cookie holds the token" "$CSRF" "$(cookie_val __Host-rc_csrf)"
check_match "csrf cookie: readable by the page, Strict, Secure" '^__Host-rc_csrf=[^;]+; Path=/; Secure; SameSite=Strict$' "$(cookie_line __Host-rc_csrf)"
FORM=(--data-urlencode username=t90alice --data-urlencode "password=$PW90")
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$CSRF" "${FORM[@]}" --data-urlencode "csrf_token=$CSRF" --data-urlencode next=/inbox
check "form login: 303" 303 "$R_CODE"
check "form login: to next" /inbox "$(header Location)"
check_match "form: __Host-rc_at" '^__Host-rc_at=[^;]+; Path=/; Max-Age=900; HttpOnly; Secure; SameSite=Strict$' "$(cookie_line __Host-rc_at)"
check_match "form: __Secure-rc_rt" '^__Secure-rc_rt=[^;]+; Path=/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict$' "$(cookie_line __Secure-rc_rt)"
check_match "form: a new __Host-rc_csrf" '^__Host-rc_csrf=[^;]+; Path=/; Secure; SameSite=Strict$' "$(cookie_line __Host-rc_csrf)"
C_AT=$(cookie_val __Host-rc_at); C_RT=$(cookie_val __Secure-rc_rt); C_CSRF=$(cookie_val __Host-rc_csrf)
check "form: the CSRF token changed" 1 "$([ "$C_CSRF" != "$CSRF" ] && echo 1)"
req GET "$AU/me" -H "Cookie: __Host-rc_at=$C_AT"
check "cookie session: /auth/me" "200 cookie" "$R_CODE $(jget .auth)"
req POST "$AU/refresh" -H "Cookie: __Secure-rc_rt=$C_RT; __Host-rc_csrf=$C_CSRF"
check "cookie refresh without X-CSRF-Token: 403" 403 "$R_CODE"
req POST "$AU/refresh" -H "Cookie: __Secure-rc_rt=$C_RT; __Host-rc_csrf=$C_CSRF" -H "X-CSRF-Token: $C_CSRF"
check "cookie refresh: 200" 200 "$R_CODE"
check "cookie refresh: tokens only in cookies" "null null" "$(jget '"\(.access_token) \(.refresh_token)"')"
C_AT=$(cookie_val __Host-rc_at); C_RT=$(cookie_val __Secure-rc_rt); C_CSRF=$(cookie_val __Host-rc_csrf)
req POST "$AU/logout" -H "Cookie: __Host-rc_at=$C_AT; __Secure-rc_rt=$C_RT; __Host-rc_csrf=$C_CSRF"
check "cookie logout without X-CSRF-Token: 403" 403 "$R_CODE"
req POST "$AU/logout" -H "Cookie: __Host-rc_at=$C_AT; __Secure-rc_rt=$C_RT; __Host-rc_csrf=$C_CSRF" -H "X-CSRF-Token: $C_CSRF"
check "cookie logout: 204" 204 "$R_CODE"
check_match "cookie logout clears __Secure-rc_rt" '^__Secure-rc_rt=; Path=/auth; Max-Age=0' "$(cookie_line __Secure-rc_rt)"
req GET "$AU/me" -H "Cookie: __Host-rc_at=$C_AT"
check "after cookie logout: 401" 401 "$R_CODE"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$CSRF" "${FORM[@]}"
check "form without csrf_token: refused" 403 "$R_CODE"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$CSRF" "${FORM[@]}" --data-urlencode "csrf_token=x$CSRF"
check "form with a wrong csrf_token: refused" 403 "$R_CODE"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$CSRF" "${FORM[@]}" --data-urlencode "csrf_token=$CSRF" --data-urlencode next=//evil.example/
check "form: next=//host falls back to /" "303 /" "$R_CODE $(header Location)"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$CSRF" --data-urlencode username=t90alice --data-urlencode password=wrong-password-2 --data-urlencode "csrf_token=$CSRF"
check "form: wrong password goes back to the form" "303 /login?error=1" "$R_CODE $(header Location)"
forgive

# Throttling: RC_LOGIN_FREE_FAILS (3) failures are free, then a lock.
for i in 1 2 3; do login t90dave "wrong-password-$i"; done
check "three failures: still 401" 401 "$R_CODE"
login t90dave "$PW90"
check "then: 429 even with the right password" 429 "$R_CODE"
RA=$(header Retry-After)
check_match "429: Retry-After in seconds" '^[1-9][0-9]*$' "$RA"
check "429: problem+json" application/problem+json "$(header Content-Type)"
sleep "${RA:-1}"
login t90dave "$PW90"
check "after Retry-After: the right password works" 200 "$R_CODE"
check "success cleared the account's counter" 0 "$(kv EXISTS lf:u:t90dave)"
forgive

# The audit trail: every kind of event, never the password.
check "audit: login, login.failed, login.throttled, logout, key.create, key.delete" 6 \
	"$(pg_psql -d replycast -tAc "SELECT count(DISTINCT action) FROM audit_log WHERE action IN ('login', 'login.failed', 'login.throttled', 'logout', 'key.create', 'key.delete') AND (username LIKE 't90%' OR account_id IN (SELECT id FROM accounts WHERE username LIKE 't90%'))")"
check "audit: rows carry the address and the request id" 0 \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action LIKE 'login%' AND (client_addr IS NULL OR request_id IS NULL)")"
check "audit: no password anywhere" 0 \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE concat_ws(' ', username, action, client_addr, request_id, detail) ~ '(Correct-Horse|wrong-password|from-the-env)'")"
check "logs: no password, no refresh token" 0 "$(cat "$RC_VAR"/log/*.log | grep -c -e "$PW90" -e wrong-password -e "$RT2")"

rc_ctl user del t90carol >/dev/null 2>&1
check "user del" "0 0" "$? $(rc_ctl user list | grep -c t90carol)"
check "user.del audited" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action = 'user.del' AND username = 't90carol' AND client_addr = 'shell'")"
