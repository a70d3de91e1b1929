# shellcheck shell=bash
# Redis failover under load (issue 21, item 3): the api and auth pools find
# the Redis primary through three Sentinels (RC_REDIS_SENTINELS).  Under
# wrk and streams of sign-ins, refreshes and sign-outs, the primary is
# killed (kill -9); the sentinels promote the replica, the handlers follow
# within seconds, and no request fails: while there is no primary the
# documented fallbacks serve (revocation from PostgreSQL, no rate limit, no
# cache, sign-in throttling per process).  Fids 5501-5509, usernames t55*.
AU55=$RC_HTTP/auth
A55=$RC_HTTP/api/v1
PW55=t55-Correct-Horse-8
J55=(-H 'Content-Type: application/json')
W55="from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=UTC"
ha55() { as_run redis-cli -p "$1" "${@:2}"; }
for u in t55a:5501 t55b:5502; do
	printf '%s\n' "$PW55" | rc_ctl user add "${u%%:*}" --fid "${u##*:}" --password-stdin >/dev/null 2>&1
done

command -v wrk >/dev/null || rc_install wrk
redis_ha_start
P55=$(redis_ha_port 0) R55=$(redis_ha_port 1)
check "the sentinels name the first primary" "127.0.0.1:$P55" "$(redis_ha_primary)"
export RC_REDIS_SENTINELS RC_API_RATE=0
RC_REDIS_SENTINELS=$(redis_ha_sentinels)
pools_restart api auth

req POST "$AU55/login" "${J55[@]}" -d "{\"username\":\"t55a\",\"password\":\"$PW55\"}"
check "through Sentinel: sign-in" 200 "$R_CODE"
AT55=$(jget .access_token) RT55=$(jget .refresh_token)
req GET "$A55/me/summary?$W55" -H "Authorization: Bearer $AT55"
check "through Sentinel: a read" 200 "$R_CODE"
check "the handlers use the primary the sentinels name" 1 "$(ha55 "$P55" EXISTS v:5501)"

# Sign-in, a read, a refresh and a sign-out, over and over (each line: the
# four status codes), beside wrk on the summary.
flow=$T_OUT/t55.flow
: >"$flow"
(
	end=$((SECONDS + 9))
	while [ $SECONDS -lt $end ]; do
		c1=$(curl -sk -o "$T_OUT/t55.login" -w '%{http_code}' "${J55[@]}" -d "{\"username\":\"t55b\",\"password\":\"$PW55\"}" "$AU55/login")
		at=$(jq -r .access_token "$T_OUT/t55.login" 2>/dev/null) rt=$(jq -r .refresh_token "$T_OUT/t55.login" 2>/dev/null)
		c2=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $at" "$A55/me/settings")
		c3=$(curl -sk -o "$T_OUT/t55.refresh" -w '%{http_code}' "${J55[@]}" -d "{\"refresh_token\":\"$rt\"}" "$AU55/refresh")
		at=$(jq -r .access_token "$T_OUT/t55.refresh" 2>/dev/null)
		c4=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $at" -X POST "$AU55/logout")
		c5=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $at" "$A55/me/settings")
		echo "$c1 $c2 $c3 $c4 $c5" >>"$flow"
	done
) &
flows=$!
wrk -t2 -c8 -d10s -H "Authorization: Bearer $AT55" "$A55/me/summary?$W55" >"$T_OUT/t55.wrk" 2>&1 &
load=$!
sleep 2
kill -9 "$(cat "$RC_VAR/redis-ha/$P55/redis.pid")"
t0=$SECONDS
for _ in $(seq 150); do
	[ "$(redis_ha_primary)" = "127.0.0.1:$R55" ] && break
	sleep 0.1
done
check "the sentinels promote the replica" "127.0.0.1:$R55" "$(redis_ha_primary)"
for _ in $(seq 100); do
	[ "$(ha55 "$R55" EXISTS rc:mirror)" = 1 ] && break
	sleep 0.1
done
check "the handlers follow to the new primary and refill its revocations" 1 "$(ha55 "$R55" EXISTS rc:mirror)"
check_match "within seconds of the kill" '^([0-9]|1[0-4])$' "$((SECONDS - t0))"
wait "$load" "$flows"
reqs=$(awk '/requests in/ {print $1}' "$T_OUT/t55.wrk")
check_match "wrk ran through the failover" '^[0-9]{3,}$' "$reqs"
check "wrk: no request failed (no non-2xx, no socket errors)" "" "$(grep -E 'Non-2xx|Socket errors' "$T_OUT/t55.wrk")"
n=$(wc -l <"$flow")
check_match "sign-in flows ran through the failover" '^[1-9][0-9]*$' "$n"
check "every flow: sign-in 200, read 200, refresh 200, sign-out 204, then 401" "$n" "$(grep -c '^200 200 200 204 401$' "$flow")"
grep -v '^200 200 200 204 401$' "$flow" | head -3

# After the failover: a sign-out made on the new primary holds.
req POST "$AU55/logout" -H "Authorization: Bearer $AT55"
check "after the failover: sign-out" 204 "$R_CODE"
req GET "$A55/me/summary?$W55" -H "Authorization: Bearer $AT55"
check "after the failover: the signed-out token is refused" 401 "$R_CODE"
req POST "$AU55/refresh" "${J55[@]}" -d "{\"refresh_token\":\"$RT55\"}"
check "after the failover: its refresh token too" 401 "$R_CODE"

redis_ha_stop
unset RC_REDIS_SENTINELS
export RC_API_RATE=60
pools_restart api auth
req GET "$A55/me/summary?$W55" -H "Authorization: Bearer $(jwt_mint "$(jwt_claims 95501 5501 user 600)")"
check "back on the stack's Redis" 200 "$R_CODE"
