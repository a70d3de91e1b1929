# shellcheck shell=bash
# /readyz turns 503 naming Redis when it stops, and 200 again when it returns,
# without any handler restarting.
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
