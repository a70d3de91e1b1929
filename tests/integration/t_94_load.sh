# shellcheck shell=bash
# Load and faults under load, bounded in time: wrk against cached and
# uncached API routes and the overview page; then kill -9 a process of each
# pool, stop Redis, and restart PostgreSQL while requests run, and report
# the failed requests of each.
command -v wrk >/dev/null || rc_install wrk
TA=$(jwt_mint "$(jwt_claims 9500 10 admin 3600)")
cat >"$T_OUT/uncached.lua" <<'LUA'
request = function()
  return wrk.format("GET", "/api/v1/users/10/summary?to=" .. (1700000000 + math.random(0, 60000000)))
end
LUA
# Non-2xx responses plus socket errors in a wrk report.
wrk_failed() {
	awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$1"
}
# wrk NAME SECONDS ARGS...: sets W_RPS and W_BAD (non-2xx + socket errors).
load() {
	local name=$1 d=$2 f=$T_OUT/wrk-$1.txt; shift 2
	wrk -t2 -c8 -d"${d}s" --latency "$@" >"$f" 2>&1
	W_RPS=$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$f")
	W_BAD=$(wrk_failed "$f")
	printf '    %-22s %6s req/s  p50 %-9s p99 %-9s failed %s\n' "$name" "$W_RPS" \
		"$(awk '$1 == "50%" {print $2}' "$f")" "$(awk '$1 == "99%" {print $2}' "$f")" "$W_BAD"
}
auth=(-H "Authorization: Bearer $TA")
load healthz 3 "$RC_HTTP/api/healthz"
check "load: /api/healthz without a failure" 0 "$W_BAD"
load summary-cached 3 "${auth[@]}" "$RC_HTTP/api/v1/users/10/summary"
check "load: cached summary without a failure" 0 "$W_BAD"
load summary-uncached 3 "${auth[@]}" -s "$T_OUT/uncached.lua" "$RC_HTTP"
check "load: uncached summary without a failure" 0 "$W_BAD"
load overview 3 -H "Cookie: __Host-rc_at=$TA" "$RC_HTTP/?range=90"
check "load: the overview page without a failure" 0 "$W_BAD"

# Faults under load.
fault() {	# NAME ACTION...: runs wrk on healthz and the cached summary meanwhile
	local name=$1; shift
	wrk -t1 -c4 -d5s "$RC_HTTP/api/healthz" >"$T_OUT/f-$name-h.txt" 2>&1 &
	wrk -t1 -c4 -d5s "${auth[@]}" "$RC_HTTP/api/v1/users/10/summary" >"$T_OUT/f-$name-s.txt" 2>&1 &
	sleep 1
	"$@"
	wait
	F_BAD=0
	for f in "$T_OUT/f-$name-h.txt" "$T_OUT/f-$name-s.txt"; do
		F_BAD=$((F_BAD + $(wrk_failed "$f")))
	done
	printf '    %-28s %s requests failed of %s\n' "$name" "$F_BAD" \
		"$(cat "$T_OUT/f-$name-h.txt" "$T_OUT/f-$name-s.txt" | awk '/requests in/ {s += $1} END {print s}')"
}
kill_each() { for p in $RC_POOLS; do kill -9 "$(pool_workers "$p" | head -1)"; sleep 0.3; done; }
fault "kill -9 one of each pool" kill_each
check "kill -9 under load: no failed GET" 0 "$F_BAD"
redis_bounce() { redis_stop; sleep 1.5; redis_start; }
fault "Redis stopped for 1.5 s" redis_bounce
check "Redis down under load: no failed GET" 0 "$F_BAD"
pg_bounce() { pg_stop; pg_start; }
fault "PostgreSQL restarted" pg_bounce
ok "PostgreSQL restart under load: $F_BAD failed requests (reported, cached answers need no PostgreSQL)"
for _ in $(seq 50); do req GET "$RC_HTTP/api/readyz"; [ "$R_CODE" = 200 ] && break; sleep 0.1; done
check "after the faults /api/readyz is 200" 200 "$R_CODE"
for p in $RC_POOLS; do
	check "pool $p is whole again" "$(pool_size "$p")" "$(pool_workers "$p" | wc -l)"
done
