# shellcheck shell=bash
# Browser-facing hardening: foreign and malformed cookies are skipped, the
# cookie names carry __Host-/__Secure- over HTTPS, a name of ours sent twice
# counts as absent.  Usernames t92*, fids 930-932 (one account per fid).
W=$RC_HTTPS
PW92=t92-Correct-Horse-42
W_JSON=(-H 'Content-Type: application/json')
printf '%s\n' "$PW92" | rc_ctl user add t92web --fid 930 --password-stdin >/dev/null 2>&1
w_kv() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
w_forgive() { w_kv DEL "lf:ip:127.0.0.1" "lk:ip:127.0.0.1" "lf:u:$1" "lk:u:$1" >/dev/null; }
w_creds() { jq -cn --arg u "$1" --arg p "$2" '{username: $u, password: $p}'; }
w_setcookie() { printf '%s\n' "$R_HEADERS" | grep -i "^set-cookie: $1=" | head -1 | cut -d' ' -f2-; }
w_forgive t92web

# The names over HTTPS, from the sign-in page and a form sign-in.
req GET "$W/login"
check "GET /login: 200" 200 "$R_CODE"
check_match "GET /login sets __Host-rc_csrf" '^__Host-rc_csrf=[^;]+; Path=/; Secure; SameSite=Strict$' "$(w_setcookie __Host-rc_csrf)"
check "GET /login sets no unprefixed rc_csrf" "" "$(w_setcookie rc_csrf)"
CS=$(w_setcookie __Host-rc_csrf | sed 's/;.*//; s/^[^=]*=//')
req POST "$W/auth/login" -H "Cookie: __Host-rc_csrf=$CS" --data-urlencode username=t92web \
	--data-urlencode "password=$PW92" --data-urlencode "csrf_token=$CS"
check "form sign-in over HTTPS: 303" 303 "$R_CODE"
check_match "session cookie: __Host-rc_at, Path=/, Secure, no Domain" '^__Host-rc_at=[^;]+; Path=/; Max-Age=[0-9]+; HttpOnly; Secure; SameSite=Strict$' "$(w_setcookie __Host-rc_at)"
check_match "refresh cookie: __Secure-rc_rt, Path=/auth" '^__Secure-rc_rt=[^;]+; Path=/auth; Max-Age=[0-9]+; HttpOnly; Secure; SameSite=Strict$' "$(w_setcookie __Secure-rc_rt)"
check "no unprefixed session cookie" "" "$(w_setcookie rc_at)$(w_setcookie rc_rt)"
AT=$(w_setcookie __Host-rc_at | sed 's/;.*//; s/^[^=]*=//')
CS=$(w_setcookie __Host-rc_csrf | sed 's/;.*//; s/^[^=]*=//')

# Foreign cookies: one that is not percent-encoding, and 200 others.
many=$(for i in $(seq 1 200); do printf 'f%d=v%d; ' "$i" "$i"; done)
for what in 'x=50%' "$many" 'x=%zz; y="quoted"; z=a,b'; do
	label=${what:0:12}
	req GET "$W/login" -H "Cookie: $what"
	check "/login with foreign cookies ($label...): 200" 200 "$R_CODE"
	req GET "$W/api/v1/me/summary" -H "Cookie: $what; __Host-rc_at=$AT"
	check "/api/v1/me/summary with foreign cookies ($label...) and ours: 200" 200 "$R_CODE"
	req GET "$W/inbox" -H "Cookie: $what; __Host-rc_at=$AT"
	check "/inbox with foreign cookies ($label...): 200" 200 "$R_CODE"
	req GET "$W/api/v1/me/summary" -H "Cookie: $what"
	check "/api/v1/me/summary with foreign cookies only: 401, not 400" 401 "$R_CODE"
done

# The unprefixed name is foreign over HTTPS; ours sent twice counts as absent.
req GET "$W/api/v1/me/summary" -H "Cookie: rc_at=$AT"
check "the unprefixed rc_at is not ours over HTTPS: 401" 401 "$R_CODE"
req GET "$W/api/v1/me/summary" -H "Cookie: __Host-rc_at=$AT; __Host-rc_at=$AT"
check "__Host-rc_at twice: not signed in (401)" 401 "$R_CODE"
# The form's token is checked against the session, not a cookie: a planted
# CSRF cookie with a field to match gets nowhere, and does not break the
# session's own form either.
req POST "$W/settings" -H "Cookie: __Host-rc_at=$AT; __Host-rc_csrf=planted; __Host-rc_csrf=$CS" \
	--data-urlencode "csrf_token=planted" -d 'tz=UTC&goal_minutes=60&work_start=09:00&work_end=17:00&muted='
check "a planted __Host-rc_csrf with a matching field: the form is refused (403)" 403 "$R_CODE"
req POST "$W/settings" -H "Cookie: __Host-rc_at=$AT; __Host-rc_csrf=planted; __Host-rc_csrf=$CS" \
	--data-urlencode "csrf_token=$CS" -d 'tz=UTC&goal_minutes=60&work_start=09:00&work_end=17:00&muted='
check "a planted second __Host-rc_csrf: the session's own form still saves (303)" 303 "$R_CODE"
req POST "$W/settings" -H "Cookie: x=50%; __Host-rc_at=$AT; __Host-rc_csrf=$CS" \
	--data-urlencode "csrf_token=$CS" -d 'tz=UTC&goal_minutes=60&work_start=09:00&work_end=17:00&muted='
check "the same form with our cookies once (and a foreign one): 303" 303 "$R_CODE"
req POST "$W/auth/logout" -H "Cookie: x=50%; __Host-rc_at=$AT; __Host-rc_csrf=$CS" -H "X-CSRF-Token: $CS"
check "sign-out with a malformed foreign cookie: 204" 204 "$R_CODE"

# Login throttling is one atomic step: 20 wrong passwords at once for one
# account, and exactly RC_LOGIN_FREE_FAILS of them reach the password check
# (the lock they set outlasts the burst: RC_LOGIN_BACKOFF_MS); the rest 429.
w_burst() {	# USER: 20 parallel JSON logins with a wrong password; the codes, sorted
	local urls=() i
	for i in $(seq 1 20); do urls+=(-o /dev/null "$RC_HTTP/auth/login"); done
	curl -sk --parallel --parallel-immediate --parallel-max 20 -w '%{http_code}\n' \
		"${W_JSON[@]}" -d "$(w_creds "$1" wrong-password)" "${urls[@]}" 2>/dev/null |
		sort | uniq -c | awk '{printf "%s:%s ", $2, $1}'
}
printf '%s\n' "$PW92" | rc_ctl user add t92race --fid 931 --password-stdin >/dev/null 2>&1
w_forgive t92race
FREE=${RC_LOGIN_FREE_FAILS:-3}
codes=$(w_burst t92race)
check "20 parallel wrong logins: $FREE evaluated (401), $((20 - FREE)) refused (429)" "401:$FREE 429:$((20 - FREE)) " "$codes"
check "audit: $FREE login.failed for the burst" "$FREE" \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action = 'login.failed' AND username = 't92race'")"
w_forgive t92race
req POST "$RC_HTTP/auth/login" "${W_JSON[@]}" -d "$(w_creds t92race "$PW92")"
check "once forgiven: the right password works" 200 "$R_CODE"
check "a right password gives the address its charge back" "" "$(w_kv GET lf:ip:127.0.0.1)"
w_forgive t92race

# At most RC_MAX_API_KEYS (20) keys per account, also when asked in parallel.
MAXK=${RC_MAX_API_KEYS:-20}
printf '%s\n' "$PW92" | rc_ctl user add t92keys --fid 932 --password-stdin >/dev/null 2>&1
w_forgive t92keys
req POST "$RC_HTTP/auth/login" "${W_JSON[@]}" -d "$(w_creds t92keys "$PW92")"
KT=$(jget .access_token)
urls=(); for _ in $(seq 1 $((MAXK + 10))); do urls+=(-o /dev/null "$RC_HTTP/auth/keys"); done
codes=$(curl -sk --parallel --parallel-immediate --parallel-max 30 -w '%{http_code}\n' \
	"${W_JSON[@]}" -H "Authorization: Bearer $KT" -d '{"name":"burst"}' "${urls[@]}" 2>/dev/null |
	sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
check "$((MAXK + 10)) parallel key requests: $MAXK made (201), 10 refused (409)" "201:$MAXK 409:10 " "$codes"
check "the account holds $MAXK keys" "$MAXK" \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE a.username = 't92keys'")"
req POST "$RC_HTTP/auth/keys" "${W_JSON[@]}" -H "Authorization: Bearer $KT" -d '{"name":"one more"}'
check "key $((MAXK + 1)): 409" 409 "$R_CODE"
check "409: problem+json" application/problem+json "$(header Content-Type)"
check_match "409: names the limit" "holds $MAXK API keys.*RC_MAX_API_KEYS" "$(jget .detail)"
# The dashboard's form counts the same keys.
req GET "$W/login"
CS=$(w_setcookie __Host-rc_csrf | sed 's/;.*//; s/^[^=]*=//')
req POST "$W/auth/login" -H "Cookie: __Host-rc_csrf=$CS" --data-urlencode username=t92keys \
	--data-urlencode "password=$PW92" --data-urlencode "csrf_token=$CS"
KAT=$(w_setcookie __Host-rc_at | sed 's/;.*//; s/^[^=]*=//')
KCS=$(w_setcookie __Host-rc_csrf | sed 's/;.*//; s/^[^=]*=//')
req POST "$W/settings/keys" -H "Cookie: __Host-rc_at=$KAT; __Host-rc_csrf=$KCS" \
	--data-urlencode "csrf_token=$KCS" -d 'name=from-the-page'
check "the settings form at the limit: 409" 409 "$R_CODE"
check_match "the settings page says why" 'role="alert">You already have '"$MAXK"' API keys, the most allowed\. Delete one to create another\.<' "$R_BODY"
KID=$(pg_psql -d replycast -tAc "SELECT min(k.id) FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE a.username = 't92keys'")
req DELETE "$RC_HTTP/auth/keys/$KID" -H "Authorization: Bearer $KT"
check "delete one key: 204" 204 "$R_CODE"
req POST "$W/settings/keys" -H "Cookie: __Host-rc_at=$KAT; __Host-rc_csrf=$KCS" \
	--data-urlencode "csrf_token=$KCS" -d 'name=from-the-page'
check "then the form makes one again: 200" 200 "$R_CODE"
req POST "$RC_HTTP/auth/keys" "${W_JSON[@]}" -H "Authorization: Bearer $KT" -d '{"name":"one more"}'
check "and the API is at the limit again: 409" 409 "$R_CODE"
