# shellcheck shell=bash
# Sessions end, and revocation reaches every token (issue 15, items 2, 4, 5
# and the CSRF findings): logout in every pool, password/role/fid change,
# deletion and logout everywhere from the shell, refresh-token reuse, the
# absolute session lifetime, one account per fid, session-bound CSRF.
# Fids 910-929, usernames t91*.
AU=$RC_HTTP/auth
A=$RC_HTTP/api/v1
PW=t91-Battery-Staple-7
JSON=(-H 'Content-Type: application/json')
HASH=0x0000000000000000000000000000000000009100

kv() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
forgive() { kv DEL "lf:ip:127.0.0.1" "lk:ip:127.0.0.1" >/dev/null; }
login() { req POST "$AU/login" "${JSON[@]}" -d "$(jq -cn --arg u "$1" --arg p "$2" '{username: $u, password: $p}')"; }
bearer() { printf 'Authorization: Bearer %s' "$1"; }
refresh() { req POST "$AU/refresh" "${JSON[@]}" -d "{\"refresh_token\":\"$1\"}"; }
b64d() { local s; s=$(tr '_-' '/+'); while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done; printf '%s' "$s" | base64 -d; }
claim() { printf '%s' "$1" | cut -d. -f2 | b64d | jq -r ".$2"; }
rthash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
rtsql() { pg_psql -d replycast -tAc "$1"; }
cookie_val() { printf '%s\n' "$R_HEADERS" | grep -i "^set-cookie: $1=" | head -1 | cut -d' ' -f2- | sed 's/;.*//; s/^[^=]*=//'; }
# me NAME TOKEN CODE: the auth pool and the api pool answer the same.
me() {
	req GET "$AU/me" -H "$(bearer "$2")"
	check "$1: /auth/me" "$3" "$R_CODE"
	req GET "$A/me/settings" -H "$(bearer "$2")"
	check "$1: GET /api/v1/me/settings" "$3" "$R_CODE"
}
adduser() { printf '%s\n' "$PW" | rc_ctl user add "$@" --password-stdin >/dev/null 2>&1; }

forgive
adduser t91a --fid 910
adduser t91adm --fid 911 --role admin
adduser t91pw --fid 912
adduser t91del --fid 913
adduser t91role --fid 914
adduser t91out --fid 915
adduser t91reuse --fid 916
adduser t91age --fid 917
adduser t91csrf --fid 918

# --- Item 4: a logged-out access token writes nothing, in any pool. ---
login t91a "$PW"; AT=$(jget .access_token)
SETTINGS='{"tz":"UTC","goal_seconds":1200}'
req PUT "$A/me/settings" -H "$(bearer "$AT")" "${JSON[@]}" --data-binary "$SETTINGS"
check "live token: PUT settings 200" 200 "$R_CODE"
req PUT "$A/me/triage/$HASH" -H "$(bearer "$AT")" "${JSON[@]}" --data-binary '{"state":"done"}'
check "live token: PUT triage reaches the handler (404: no such cast)" 404 "$R_CODE"
req POST "$AU/logout" -H "$(bearer "$AT")"
check "logout with the access token only: 204" 204 "$R_CODE"
req PUT "$A/me/settings" -H "$(bearer "$AT")" "${JSON[@]}" --data-binary '{"tz":"UTC","goal_seconds":60}'
check "after logout: PUT settings 401" 401 "$R_CODE"
check "after logout: the settings did not change" 1200 "$(pg_psql -d replycast -tAc "SELECT goal_seconds FROM user_settings WHERE fid = 910")"
req PUT "$A/me/triage/$HASH" -H "$(bearer "$AT")" "${JSON[@]}" --data-binary '{"state":"done"}'
check "after logout: PUT triage 401" 401 "$R_CODE"
req DELETE "$A/me/triage/$HASH" -H "$(bearer "$AT")"
check "after logout: DELETE triage 401" 401 "$R_CODE"
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"t91 after logout"}'
check "after logout: key creation (auth pool) 401" 401 "$R_CODE"
login t91adm "$PW"; ADM=$(jget .access_token)
req POST "$A/ingest" -H "$(bearer "$ADM")" -H 'Content-Type: application/x-ndjson' --data-binary '{"type":"profile","fid":919,"username":"t91x","time":"2025-01-01T00:00:00Z"}'
check "live admin token: POST ingest 200" 200 "$R_CODE"
req POST "$AU/logout" -H "$(bearer "$ADM")"
req POST "$A/ingest" -H "$(bearer "$ADM")" -H 'Content-Type: application/x-ndjson' --data-binary '{"type":"profile","fid":919,"username":"t91y","time":"2025-01-01T00:00:00Z"}'
check "after logout: POST ingest 401" 401 "$R_CODE"

# The dashboard: a form posted with the old cookie changes nothing.
PRE=$(curl -sk -c - -o /dev/null "$RC_HTTP/login" | awk '$6 == "__Host-rc_csrf" {print $7}')
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$PRE" --data-urlencode username=t91a \
	--data-urlencode "password=$PW" --data-urlencode "csrf_token=$PRE"
check "form sign-in with the pre-session token: 303" 303 "$R_CODE"
C_AT=$(cookie_val __Host-rc_at); C_CSRF=$(cookie_val __Host-rc_csrf)
FORM=(--data-urlencode "csrf_token=$C_CSRF" -d 'tz=UTC&goal_minutes=25&work_start=09:00&work_end=17:00&muted=')
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT" "${FORM[@]}"
check_match "live cookie: the settings form saves" '^303 .*/settings\?saved=1$' "$R_CODE $(header Location)"
req POST "$AU/logout" -H "Cookie: __Host-rc_at=$C_AT" -H "X-CSRF-Token: $C_CSRF"
check "cookie logout: 204" 204 "$R_CODE"
FORM=(--data-urlencode "csrf_token=$C_CSRF" -d 'tz=UTC&goal_minutes=5&work_start=09:00&work_end=17:00&muted=')
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT" "${FORM[@]}"
check_match "after logout: the dashboard form goes to sign-in" '^303 /login\?next=' "$R_CODE $(header Location)"
check "after logout: the dashboard form changed nothing" 1500 "$(pg_psql -d replycast -tAc "SELECT goal_seconds FROM user_settings WHERE fid = 910")"

# --- CSRF: bound to the session, not to whatever cookie comes along. ---
PRE2=$(curl -sk -c - -o /dev/null "$RC_HTTP/login" -b "__Host-rc_csrf=$PRE" | awk '$6 == "__Host-rc_csrf" {print $7}')
check "GET /login keeps a valid pre-session token (no new cookie)" "" "$PRE2"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=attacker-chosen" --data-urlencode username=t91csrf \
	--data-urlencode "password=$PW" --data-urlencode "csrf_token=attacker-chosen"
check "sign-in: a cookie and field the attacker chose are refused" 403 "$R_CODE"
FAKE=$(printf '%032x.%064x' 1 2)
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$FAKE" --data-urlencode username=t91csrf \
	--data-urlencode "password=$PW" --data-urlencode "csrf_token=$FAKE"
check "sign-in: a well-formed token this server did not make is refused" 403 "$R_CODE"
req POST "$AU/login" -H "Cookie: __Host-rc_csrf=$PRE" --data-urlencode username=t91csrf \
	--data-urlencode "password=$PW" --data-urlencode "csrf_token=$PRE"
C_AT=$(cookie_val __Host-rc_at); C_RT=$(cookie_val __Secure-rc_rt); C_CSRF=$(cookie_val __Host-rc_csrf)
body=$(curl -sk -H "Cookie: __Host-rc_at=$C_AT" "$RC_HTTP/settings")
TOK=$(printf '%s' "$body" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
check "a page without the rc_csrf cookie still renders the session's token" "$C_CSRF" "$TOK"
# Another tab opens the sign-in page: the session's forms keep working.
curl -sk -o /dev/null -H "Cookie: __Host-rc_at=$C_AT; __Host-rc_csrf=$C_CSRF" "$RC_HTTP/login"
FORM=(-d 'tz=UTC&goal_minutes=30&work_start=09:00&work_end=17:00&muted=')
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT" "${FORM[@]}" --data-urlencode "csrf_token=$TOK"
check_match "after GET /login in another tab, without the cookie: the form saves" '^303 .*/settings\?saved=1$' "$R_CODE $(header Location)"
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT; __Host-rc_csrf=attacker-chosen" "${FORM[@]}" --data-urlencode "csrf_token=attacker-chosen"
check "a cookie and field the attacker chose: 403" 403 "$R_CODE"
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT; __Host-rc_csrf=$PRE" "${FORM[@]}" --data-urlencode "csrf_token=$PRE"
check "a pre-session token on a session's form: 403" 403 "$R_CODE"
req POST "$AU/refresh" -H "Cookie: __Secure-rc_rt=$C_RT" -H "X-CSRF-Token: $C_CSRF"
check "cookie refresh with the session's token (no rc_csrf cookie): 200" 200 "$R_CODE"
check "the CSRF token survives a refresh" "$C_CSRF" "$(cookie_val __Host-rc_csrf)"
C_AT=$(cookie_val __Host-rc_at)
req POST "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$C_AT" "${FORM[@]}" --data-urlencode "csrf_token=$TOK"
check_match "the refreshed session takes the same form token" '^303 .*/settings\?saved=1$' "$R_CODE $(header Location)"
req GET "$AU/csrf" -H "Cookie: __Host-rc_at=$C_AT"
check "GET /auth/csrf signed in: the session's token, no new cookie" "$C_CSRF " "$(jget .csrf_token) $(cookie_val __Host-rc_csrf)"

# --- Item 5: every trigger ends every session of the account. ---
# Password change from the shell.
login t91pw "$PW"; AT=$(jget .access_token); RT=$(jget .refresh_token); ID=$(jget .account.id)
login t91pw "$PW"; ATB=$(jget .access_token)
me "before passwd" "$AT" 200
printf '%s\n' "$PW-new" | rc_ctl user passwd t91pw --password-stdin >/dev/null 2>&1
check "user passwd" 0 "$?"
me "after passwd: the old access token" "$AT" 401
refresh "$RT"
check "after passwd: the old refresh token is refused" 401 "$R_CODE"
login t91pw "$PW-new"; AT2=$(jget .access_token)
me "after passwd: a login in the same second works" "$AT2" 200
kv DEL "agen:$ID" >/dev/null
me "Redis without the generation: PostgreSQL refuses an old token" "$ATB" 401
check "the generation is mirrored in Redis again" 1 "$(kv EXISTS "agen:$ID")"
me "and the new one passes" "$AT2" 200

# Deletion.
login t91del "$PW"; AT=$(jget .access_token); RT=$(jget .refresh_token)
rc_ctl user del t91del >/dev/null 2>&1
me "after user del" "$AT" 401
refresh "$RT"
check "after user del: the refresh token is refused" 401 "$R_CODE"

# Role change.
login t91role "$PW"; AT=$(jget .access_token); RT=$(jget .refresh_token)
out=$(rc_ctl user role t91role admin 2>&1)
check_match "user role" 'role of t91role set to admin; every session of t91role ended' "$out"
me "after a role change" "$AT" 401
refresh "$RT"
check "after a role change: the refresh token is refused" 401 "$R_CODE"
login t91role "$PW"
check "after a role change: the new login has the new role" admin "$(jget .account.role)"

# Logout everywhere, by an operator.
login t91out "$PW"; AT1=$(jget .access_token); RT1=$(jget .refresh_token)
login t91out "$PW"; AT2=$(jget .access_token); RT2=$(jget .refresh_token)
out=$(rc_ctl user logout t91out 2>&1)
check "user logout" "signed t91out out; every session of t91out ended" "$out"
me "user logout: session 1" "$AT1" 401
me "user logout: session 2" "$AT2" 401
refresh "$RT1"; check "user logout: refresh token 1 refused" 401 "$R_CODE"
refresh "$RT2"; check "user logout: refresh token 2 refused" 401 "$R_CODE"
rc_ctl user logout t91nobody >/dev/null 2>&1
check "user logout: an unknown name fails" 1 "$?"
check "user.logout audited" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log WHERE action = 'user.logout' AND username = 't91out' AND client_addr = 'shell'")"

# Logout everywhere, by the user.
login t91out "$PW"; AT1=$(jget .access_token); RT1=$(jget .refresh_token)
login t91out "$PW"; AT2=$(jget .access_token); RT2=$(jget .refresh_token)
req POST "$AU/logout?everywhere=1" -H "$(bearer "$AT1")"
check "logout?everywhere=1: 204" 204 "$R_CODE"
me "logout everywhere: the other session" "$AT2" 401
refresh "$RT2"; check "logout everywhere: the other session's refresh token" 401 "$R_CODE"
refresh "$RT1"; check "logout everywhere: this session's refresh token" 401 "$R_CODE"
login t91out "$PW"; me "logout everywhere: a new sign-in works" "$(jget .access_token)" 200

# Reuse of a refresh token ends the session's access tokens too.
login t91reuse "$PW"; AT1=$(jget .access_token); RT1=$(jget .refresh_token)
login t91reuse "$PW"; OTHER=$(jget .access_token)
refresh "$RT1"; AT2=$(jget .access_token); RT2=$(jget .refresh_token)
check "a refreshed token keeps its session id" "$(claim "$AT1" sid)" "$(claim "$AT2" sid)"
me "before reuse: the refreshed access token" "$AT2" 200
refresh "$RT1"
check "reuse: 401" 401 "$R_CODE"
me "reuse: the first access token of the session" "$AT1" 401
me "reuse: the newest access token of the session" "$AT2" 401
refresh "$RT2"; check "reuse: the newest refresh token too" 401 "$R_CODE"
check "reuse: kept in PostgreSQL for when Redis is down" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM revoked_sessions WHERE sid = '$(claim "$AT1" sid)' AND expires_at > now()")"
me "reuse: another session of the account is untouched" "$OTHER" 200

# A session begun before refresh tokens moved to PostgreSQL: its token is
# in Redis only (rt:<sha256> = "account family live gen start").  Its first
# rotation moves it over; it is then used, and presenting it again is reuse.
adduser t91old --fid 919
OLDID=$(pg_psql -d replycast -tAc "SELECT id FROM accounts WHERE username = 't91old'")
OLDRT=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')
OLDFAM=$(openssl rand -hex 16)
kv SET "rt:$(rthash "$OLDRT")" "$OLDID $OLDFAM live 0 $(date +%s)" EX 3600 >/dev/null
refresh "$OLDRT"
check "a refresh token from before the upgrade still rotates" 200 "$R_CODE"
check "its session goes on under the same id" "$OLDFAM" "$(claim "$(jget .access_token)" sid)"
check "it is now in PostgreSQL, as used, and gone from Redis" "t 0" "$(rtsql "SELECT used FROM refresh_tokens WHERE hash = '$(rthash "$OLDRT")'") $(kv EXISTS "rt:$(rthash "$OLDRT")")"
refresh "$OLDRT"
check "presented again, it is a reuse" 401 "$R_CODE"
kv SET "rt:$(rthash "x$OLDRT")" "999999999 $OLDFAM live 0 $(date +%s)" EX 3600 >/dev/null
refresh "x$OLDRT"
check "an old token of an account that no longer exists is refused" 401 "$R_CODE"

# Absolute lifetime: a session started RC_SESSION_MAX_AGE (30 days) ago
# cannot be refreshed; one near its end gets tokens that end with it.
login t91age "$PW"; RT=$(jget .refresh_token); AT=$(jget .access_token)
K=$(rthash "$RT")
check "a refresh token records its session's start" "$(claim "$AT" iat)" "$(rtsql "SELECT started_at FROM refresh_tokens WHERE hash = '$K'")"
NOW=$(date +%s)
rtsql "UPDATE refresh_tokens SET started_at = $((NOW - 2592000 + 100)) WHERE hash = '$K'" >/dev/null
refresh "$RT"
check "near the end: refresh works" 200 "$R_CODE"
AT2=$(jget .access_token); RT2=$(jget .refresh_token)
check "near the end: the access token ends with the session" 1 "$([ "$(claim "$AT2" exp)" -le $((NOW + 100)) ] && echo 1)"
K=$(rthash "$RT2")
check "near the end: so does the refresh token" 1 "$(t=$(rtsql "SELECT extract(epoch FROM expires_at - now())::int FROM refresh_tokens WHERE hash = '$K'"); [ "$t" -ge 1 ] && [ "$t" -le 100 ] && echo 1)"
check "the new refresh token keeps the first start" "$((NOW - 2592000 + 100))" "$(rtsql "SELECT started_at FROM refresh_tokens WHERE hash = '$K'")"
rtsql "UPDATE refresh_tokens SET started_at = $((NOW - 2592000 - 1)) WHERE hash = '$K'" >/dev/null
refresh "$RT2"
check "past RC_SESSION_MAX_AGE: refresh refused" 401 "$R_CODE"
check_match "past RC_SESSION_MAX_AGE: says so" 'maximum age' "$(jget .detail)"

# --- Item 2: one account per fid; only an operator binds one. ---
adduser t91dup --fid 910
check "user add: a fid bound to another account fails" 1 "$?"
out=$(printf '%s\n' "$PW" | rc_ctl user add t91dup --fid 910 --password-stdin 2>&1)
check_match "user add: says the fid is taken" 'fid 910 is bound to another account' "$out"
adduser t91dup --fid 920
out=$(rc_ctl user bind t91dup 911 2>&1)
check "user bind: a taken fid fails" 1 "$?"
check_match "user bind: says the fid is taken" 'fid 911 is bound to another account' "$out"
check "user bind: the account keeps its fid" 920 "$(pg_psql -d replycast -tAc "SELECT fid FROM accounts WHERE username = 't91dup'")"
check "the schema refuses a second account on a fid" 23505 "$(pg_psql -d replycast -tAc "INSERT INTO accounts (username, pw_hash, fid) VALUES ('t91sql', 'x', 910)" 2>&1 | grep -o 'duplicate key' | sed 's/duplicate key/23505/')"
login t91dup "$PW"; AT=$(jget .access_token)
rc_ctl user bind t91dup 921 >/dev/null 2>&1
check "user bind: a free fid" "0 921" "$? $(pg_psql -d replycast -tAc "SELECT fid FROM accounts WHERE username = 't91dup'")"
me "user bind ends the sessions (the old token names the old fid)" "$AT" 401

# Self-registration (RC_SELF_REGISTER=1): a handler of its own, spoken to
# over FastCGI, since the stack runs with self-registration off.
T91_SOCKET=$RC_SOCK/t91-reg.sock T91_PIDFILE=$RC_SOCK/t91-reg.pid
rm -f "$T91_SOCKET"
as_run env -S "$(rc_env_s)" RC_SELF_REGISTER=1 RC_LOG_FILE="$RC_VAR/log/t91-reg.log" \
	spawn-fcgi -s "$T91_SOCKET" -M 0600 -P "$T91_PIDFILE" -- "$RC_PREFIX/bin/replycast-auth" >/dev/null 2>&1
# shellcheck disable=SC2034  # jget reads R_BODY
register() {	# BODY: sets R_CODE and R_BODY
	local out
	out=$(printf '%s' "$1" | as_run env -i PATH=/usr/bin:/bin REQUEST_METHOD=POST \
		REQUEST_URI=/auth/register SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 \
		CONTENT_TYPE=application/json CONTENT_LENGTH=${#1} \
		timeout 5 cgi-fcgi -bind -connect "$T91_SOCKET" 2>/dev/null | tr -d '\r')
	R_CODE=$(printf '%s\n' "$out" | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -1)
	R_BODY=$(printf '%s\n' "$out" | sed '1,/^$/d')
}
for _ in $(seq 100); do [ -S "$T91_SOCKET" ] && break; sleep 0.05; done
register '{"username":"t91reg","password":"t91-password-x","fid":922}'
check "register with a fid: 400" 400 "$R_CODE"
check_match "register with a fid: names the field and who binds it" '^fid: .*administrator' "$(jget .detail)"
check "register with a fid: no account made" 0 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM accounts WHERE username = 't91reg'")"
register '{"username":"t91reg","password":"t91-password-x"}'
check "register without a fid: 201" 201 "$R_CODE"
check "register without a fid: the account has none" "0 user" "$(jget '"\(.account.fid) \(.account.role)"')"
RAT=$(jget .access_token)
req GET "$A/me/summary" -H "$(bearer "$RAT")"
check_match "no fid bound: the API says so" '^403 no fid is bound' "$R_CODE $(jget .detail)"
req GET "$A/users/910/summary" -H "$(bearer "$RAT")"
check "no fid bound: nobody else's data" 403 "$R_CODE"
req GET "$AU/me" -H "$(bearer "$RAT")"
check "no fid bound: the account itself answers" "200 0" "$R_CODE $(jget .fid)"
rc_ctl user bind t91reg 922 >/dev/null 2>&1
check "an operator binds the fid" 922 "$(pg_psql -d replycast -tAc "SELECT fid FROM accounts WHERE username = 't91reg'")"
if [ -f "$T91_PIDFILE" ]; then kill "$(cat "$T91_PIDFILE")" 2>/dev/null; rm -f "$T91_PIDFILE" "$T91_SOCKET"; fi

# The migration that makes fids unique stops, naming them, when accounts
# already share a fid, and changes nothing; once they do not, it applies.
pg_psql -d postgres -c "DROP DATABASE IF EXISTS t91mig" -c "CREATE DATABASE t91mig OWNER replycast" >/dev/null
rm -rf "$T_OUT/mig5" && mkdir -p "$T_OUT/mig5" && cp "$RC_DATA"/migrations/000[1-5]_*.sql "$T_OUT/mig5/"
chmod -R a+rX "$T_OUT/mig5"
# The stack's DSN with the scratch database in it.
migrate_t91() {
	as_run env -S "$(rc_env_s | sed 's/dbname=replycast/dbname=t91mig/')" \
		"$RC_PREFIX/bin/replycastctl" migrate "$@" 2>&1
}
migrate_t91 --dir "$T_OUT/mig5" >/dev/null
pg_psql -d t91mig -c "INSERT INTO accounts (username, pw_hash, fid) VALUES ('m1', 'x', 5), ('m2', 'x', 5), ('m3', 'x', 6)" >/dev/null
out=$(migrate_t91)
check "migration with accounts sharing a fid: fails" 1 "$?"
check_match "migration with accounts sharing a fid: names them" 'fid 5: m1, m2' "$out"
check "migration with accounts sharing a fid: nothing lost, not recorded" "3 0" \
	"$(pg_psql -d t91mig -tAc "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM schema_migrations WHERE version LIKE '0006%')" | tr '|' ' ')"
pg_psql -d t91mig -c "DELETE FROM accounts WHERE username = 'm2'" >/dev/null
migrate_t91 >/dev/null
check "migration once the fids are unique: applied" 1 "$(pg_psql -d t91mig -tAc "SELECT count(*) FROM schema_migrations WHERE version LIKE '0006%'")"
pg_psql -d postgres -c "DROP DATABASE t91mig" >/dev/null

# Outages: PostgreSQL answers for Redis; with neither, nothing is let in.
adduser t91down --fid 924
login t91down "$PW"; LIVE=$(jget .access_token)
login t91down "$PW"; GONE=$(jget .access_token)
req POST "$AU/logout" -H "$(bearer "$GONE")"
login t91a "$PW"; DASH=$(jget .access_token)
redis_stop
req PUT "$A/me/settings" -H "$(bearer "$GONE")" "${JSON[@]}" --data-binary "$SETTINGS"
check "Redis down: a logged-out token is refused (PostgreSQL)" 401 "$R_CODE"
req PUT "$A/me/settings" -H "$(bearer "$LIVE")" "${JSON[@]}" --data-binary "$SETTINGS"
check "Redis down: a live token works" 200 "$R_CODE"
out=$(printf '%s\n' "$PW-2" | rc_ctl user passwd t91down --password-stdin 2>&1)
check_match "Redis down: user passwd says Redis was not updated" 'Redis not updated' "$out"
req PUT "$A/me/settings" -H "$(bearer "$LIVE")" "${JSON[@]}" --data-binary "$SETTINGS"
check "Redis down: passwd from the shell ended the session (PostgreSQL)" 401 "$R_CODE"
pg_stop
req GET "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$DASH"
check "Redis and PostgreSQL down: the dashboard admits no one" 503 "$R_CODE"
check_match "Redis and PostgreSQL down: the page says why" 'cannot be checked now' "$R_BODY"
req PUT "$A/me/settings" -H "$(bearer "$DASH")" "${JSON[@]}" --data-binary "$SETTINGS"
check "Redis and PostgreSQL down: the api pool admits no one" 503 "$R_CODE"
req GET "$AU/me" -H "$(bearer "$DASH")"
check "Redis and PostgreSQL down: the auth pool admits no one" 503 "$R_CODE"
pg_start
redis_start
for p in api/ auth/ ""; do
	for _ in $(seq 50); do req GET "$RC_HTTP/${p}readyz"; [ "$R_CODE" = 200 ] && break; sleep 0.1; done
	check "/${p}readyz is 200 again after the outage" 200 "$R_CODE"
done
