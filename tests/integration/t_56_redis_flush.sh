# shellcheck shell=bash
# Redis loses its data (issue 21, item 3): after FLUSHALL, sessions go on
# (refresh tokens are in PostgreSQL), a used refresh token presented again
# is still caught, a logged-out access token stays refused on every later
# request (Redis's copy of the revocations is refilled from PostgreSQL
# before it is trusted again), and rate limits start again.
# Fids 5601-5609, usernames t56*.
AU56=$RC_HTTP/auth
A56=$RC_HTTP/api/v1
PW56=t56-Correct-Horse-9
J56=(-H 'Content-Type: application/json')
kv56() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
login56() { req POST "$AU56/login" "${J56[@]}" -d "{\"username\":\"$1\",\"password\":\"$PW56\"}"; }
refresh56() { req POST "$AU56/refresh" "${J56[@]}" -d "{\"refresh_token\":\"$1\"}"; }
get56() { req GET "$A56/me/settings" -H "Authorization: Bearer $1"; }
jti56() { local s; s=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+'); while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done; printf '%s' "$s" | base64 -d | jq -r .jti; }
for u in t56a:5601 t56b:5602 t56c:5603; do
	printf '%s\n' "$PW56" | rc_ctl user add "${u%%:*}" --fid "${u##*:}" --password-stdin >/dev/null 2>&1
done
kv56 DEL "lf:ip:127.0.0.1" "lk:ip:127.0.0.1" >/dev/null

login56 t56a; AT_A=$(jget .access_token); RT_A=$(jget .refresh_token)
login56 t56b; AT_B=$(jget .access_token); RT_B=$(jget .refresh_token)
login56 t56c; AT_C=$(jget .access_token); RT_C=$(jget .refresh_token)
# b signs out; c rotates once, so c's first refresh token is a used one.
req POST "$AU56/logout" -H "Authorization: Bearer $AT_B" "${J56[@]}" -d "{\"refresh_token\":\"$RT_B\"}"
check "before: b signs out" 204 "$R_CODE"
refresh56 "$RT_C"; RT_C2=$(jget .refresh_token); AT_C2=$(jget .access_token)
check "before: c refreshes" 200 "$R_CODE"
W56="from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&tz=UTC"
for _ in 1 2 3 4 5; do req GET "$A56/me/summary?$W56" -H "Authorization: Bearer $AT_A"; done
left=$(header RateLimit-Remaining)
check_match "before: a has spent some of its rate limit" '^[0-9]+$' "$left"
check "before: Redis says the revocations are all there" 1 "$(kv56 EXISTS rc:mirror)"

kv56 FLUSHALL >/dev/null
check "Redis is empty" 0 "$(kv56 DBSIZE)"

req GET "$A56/me/summary?$W56" -H "Authorization: Bearer $AT_A"
check "after the flush: a's access token works" 200 "$R_CODE"
check "after the flush: a's rate limit starts again" 1 "$([ "$(header RateLimit-Remaining)" -gt "$left" ] && echo 1)"
refresh56 "$RT_A"
check "after the flush: a's session refreshes (no one is logged out)" 200 "$R_CODE"
RT_A2=$(jget .refresh_token)
get56 "$(jget .access_token)"
check "after the flush: a's new access token works" 200 "$R_CODE"
# The second and third requests are the ones a Redis trusted too early
# would let through: the first goes to PostgreSQL in any case.
for n in 1 2 3; do
	get56 "$AT_B"
	check "after the flush: b's logged-out access token refused ($n)" 401 "$R_CODE"
done
refresh56 "$RT_B"
check "after the flush: b's revoked refresh token refused" 401 "$R_CODE"
for _ in $(seq 50); do [ "$(kv56 EXISTS rc:mirror)" = 1 ] && break; sleep 0.1; done
check "the revocations were copied back to Redis" 1 "$(kv56 EXISTS rc:mirror)"
check "b's session is revoked in Redis again" 1 "$(kv56 EXISTS "rtfam:$(pg_psql -d replycast -tAc "SELECT family FROM refresh_tokens WHERE hash = encode(sha256('$RT_B'), 'hex')")")"
refresh56 "$RT_C"
check "after the flush: c's used refresh token is caught" 401 "$R_CODE"
check_match "after the flush: as reuse" 'already used' "$(jget .detail)"
refresh56 "$RT_C2"
check "after the reuse: c's newest refresh token is refused too" 401 "$R_CODE"
get56 "$AT_C2"
check "after the reuse: c's newest access token is refused" 401 "$R_CODE"
get56 "$AT_C"
check "after the reuse: c's first access token is refused" 401 "$R_CODE"
refresh56 "$RT_A2"
check "a's session is untouched by c's" 200 "$R_CODE"

# Redis restarts from a snapshot taken before a logout: the key that says
# its revocations are whole is in the snapshot, the logout is not.  Each
# handler distrusts Redis after reconnecting, until it is filled again.
login56 t56a; AT_D=$(jget .access_token)
get56 "$AT_D"
check "snapshot: a fresh token works" 200 "$R_CODE"
kv56 SAVE >/dev/null
req POST "$AU56/logout" -H "Authorization: Bearer $AT_D"
check "snapshot: logout after it" 204 "$R_CODE"
redis_stop
redis_start
check "snapshot: Redis came back with the key but without the logout" "1 0" "$(kv56 EXISTS rc:mirror) $(kv56 EXISTS "jti:$(jti56 "$AT_D")")"
for n in 1 2 3; do
	get56 "$AT_D"
	check "snapshot: the token logged out after it stays refused ($n)" 401 "$R_CODE"
done
rm -f "$RC_VAR/redis/dump.rdb"

# Redis down during a logout: PostgreSQL refuses the token, and so does
# Redis once it is back.
login56 t56a; AT_E=$(jget .access_token)
redis_stop
req POST "$AU56/logout" -H "Authorization: Bearer $AT_E"
check "Redis down: logout still answers 204" 204 "$R_CODE"
get56 "$AT_E"
check "Redis down: the token is refused (PostgreSQL)" 401 "$R_CODE"
redis_start
for n in 1 2; do
	get56 "$AT_E"
	check "Redis back: the token logged out while it was down stays refused ($n)" 401 "$R_CODE"
done

# The worker deletes refresh tokens and revocations past their expiry.
pg_psql -d replycast -tAc "UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE hash = encode(sha256('$RT_B'), 'hex')" >/dev/null
pg_psql -d replycast -tAc "INSERT INTO revoked_tokens VALUES ('t56-old', now() - interval '1 minute')" >/dev/null
live=$(pg_psql -d replycast -tAc "SELECT count(*) FROM refresh_tokens WHERE expires_at > now()")
out=$(as_run env -S "$(rc_env_s)" timeout 60 "$RC_PREFIX/bin/replycast-worker" --once --attempts 1 2>&1)
check_match "the worker prunes expired session rows" 'expired session rows deleted' "$out"
check "expired rows gone" "0 0" "$(pg_psql -d replycast -tAc "SELECT (SELECT count(*) FROM refresh_tokens WHERE expires_at < now()), (SELECT count(*) FROM revoked_tokens WHERE expires_at < now())" | tr '|' ' ')"
check "live refresh tokens kept" "$live" "$(pg_psql -d replycast -tAc "SELECT count(*) FROM refresh_tokens")"
