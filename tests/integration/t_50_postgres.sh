# shellcheck shell=bash
# The same for PostgreSQL: stop it, /readyz says 503 naming PostgreSQL; start
# it, /readyz is 200 again with no handler restarted.
before=$(for p in $RC_POOLS; do pool_workers "$p"; done | sort | tr '\n' ' ')
pg_stop
for p in auth/ api/ ""; do
	req GET "$RC_HTTP/${p}readyz"
	check "/${p}readyz is 503 without PostgreSQL" 503 "$R_CODE"
	check "/${p}readyz names PostgreSQL" "postgresql is unavailable" "$(jget .detail)"
	check "/${p}readyz: redis still ok" ok "$(jget .checks.redis)"
done
pg_start
for p in api/ auth/ ""; do
	for _ in $(seq 50); do req GET "$RC_HTTP/${p}readyz"; [ "$R_CODE" = 200 ] && break; sleep 0.1; done
	check "/${p}readyz is 200 again once PostgreSQL is back" 200 "$R_CODE"
done
after=$(for p in $RC_POOLS; do pool_workers "$p"; done | sort | tr '\n' ' ')
check "no handler restarted across the PostgreSQL outage" "$before" "$after"
