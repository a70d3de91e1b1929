# shellcheck shell=bash
# /readyz turns 503 naming Redis when it stops, and 200 again when it returns,
# without any handler restarting.  Without Redis, login throttling falls back
# to a table in each auth process.
printf 't40-Correct-Horse-42\n' | rc_ctl user add t40fb --fid 940 --password-stdin >/dev/null 2>&1
before=$(for p in $RC_POOLS; do pool_workers "$p"; done | sort | tr '\n' ' ')
redis_stop
for p in auth/ api/ ""; do
	req GET "$RC_HTTP/${p}readyz"
	check "/${p}readyz is 503 without Redis" 503 "$R_CODE"
	check "/${p}readyz names Redis" "redis is unavailable" "$(jget .detail)"
	check "/${p}readyz: postgresql still ok" ok "$(jget .checks.postgresql)"
done
req GET "$RC_HTTP/api/healthz"
check "/api/healthz stays 200 without Redis" 200 "$R_CODE"
# 20 wrong passwords at once: each auth process admits RC_LOGIN_FREE_FAILS.
n40=$(pool_size auth)
urls40=(); for _ in $(seq 1 20); do urls40+=(-o /dev/null "$RC_HTTP/auth/login"); done
codes40=$(curl -sk --parallel --parallel-immediate --parallel-max 20 -w '%{http_code}\n' \
	-H 'Content-Type: application/json' -d '{"username":"t40fb","password":"wrong-password"}' "${urls40[@]}" 2>/dev/null)
evaluated40=$(printf '%s\n' "$codes40" | grep -c '^401$')
refused40=$(printf '%s\n' "$codes40" | grep -c '^429$')
check "without Redis: 20 parallel wrong logins, 401 or 429 only" 20 "$((evaluated40 + refused40))"
if [ "$evaluated40" -le $((n40 * ${RC_LOGIN_FREE_FAILS:-3})) ] && [ "$refused40" -gt 0 ]; then
	ok "without Redis: at most $n40 x ${RC_LOGIN_FREE_FAILS:-3} evaluated ($evaluated40), the rest 429"
else
	nok "without Redis: at most $n40 x ${RC_LOGIN_FREE_FAILS:-3} evaluated" "401: $evaluated40, 429: $refused40"
fi
redis_start
code=""
for _ in $(seq 50); do
	req GET "$RC_HTTP/api/readyz"; code=$R_CODE
	[ "$code" = 200 ] && break
	sleep 0.1
done
check "/api/readyz is 200 again once Redis is back" 200 "$code"
for p in auth/ ""; do
	for _ in $(seq 20); do req GET "$RC_HTTP/${p}readyz"; [ "$R_CODE" = 200 ] && break; sleep 0.1; done
	check "/${p}readyz is 200 again" 200 "$R_CODE"
done
after=$(for p in $RC_POOLS; do pool_workers "$p"; done | sort | tr '\n' ' ')
check "no handler restarted across the Redis outage" "$before" "$after"
