# shellcheck shell=bash
# GET /metrics (the dash pool renders every pool's shared counters) and the
# monitoring files in docker/monitoring, linted with promtool and jq.
M=$RC_ROOT/docker/monitoring

# metric NAME{LABELS}: the value of one sample of a fresh scrape (0: none).
# Route labels hold a space: the value is the last field.
metric() {
	curl -s "$RC_HTTP/metrics" | awk -v k="$1" '
		{ v = $NF; sub(/ [^ ]*$/, "") } $0 == k { r = v } END { print r + 0 }'
}

for lint in "config prometheus.yml" "rules alerts.yml"; do
	out=$(promtool check "${lint% *}" "$M/${lint#* }" 2>&1); code=$?
	check "promtool check $lint" 0 "$code"
	[ "$code" = 0 ] || printf '%s\n' "$out"
done

req GET "$RC_HTTP/metrics"
check "GET /metrics from loopback: 200" 200 "$R_CODE"
check "the Prometheus text format 0.0.4" "text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"
printf '%s\n' "$R_BODY" >"$T_OUT/metrics.txt"
out=$(promtool check metrics <"$T_OUT/metrics.txt" 2>&1); code=$?
check "promtool check metrics accepts /metrics" "0 " "$code $out"
for fam in replycast_http_requests_total replycast_http_request_duration_seconds \
	replycast_http_in_flight replycast_pg_errors_total replycast_pg_reconnects_total \
	replycast_redis_errors_total replycast_redis_reconnects_total \
	replycast_cache_requests_total replycast_figures_total replycast_gate_checks_total \
	replycast_process_starts_total \
	replycast_ingest_records_total replycast_ingest_casts_total \
	replycast_ingest_last_run_timestamp_seconds; do
	grep -q "^# TYPE $fam " "$T_OUT/metrics.txt" && ok "/metrics has $fam" || nok "/metrics has $fam"
done
for p in auth api dash; do
	check "$p pool: live processes counted" "$(pool_size "$p")" \
		"$(metric "replycast_pool_processes{pool=\"$p\"}")"
done
check_match "the scrape itself is in flight in the dash pool" '^[1-9]' \
	"$(metric 'replycast_http_in_flight{pool="dash"}')"
[ "$(metric replycast_ingest_records_total)" -gt 0 ] && ok "ingest records counted (t_60 loaded some)" ||
	nok "ingest records counted"

# The api pool's count, summed over its processes: a process killed in the
# middle takes nothing with it.
H='replycast_http_requests_total{pool="api",route="GET /api/healthz",code_class="2xx"}'
S='replycast_process_starts_total{pool="api"}'
before=$(metric "$H"); starts=$(metric "$S")
for _ in 1 2 3 4 5; do curl -s -o /dev/null "$RC_HTTP/api/healthz"; done
mid=$(metric "$H")
victim=$(pool_workers api | head -1)
mw=$(ps -o ppid= -p "$victim" | tr -d ' ')
kill -9 "$victim"
for _ in $(seq 100); do
	new=$(pgrep -P "$mw")
	[ -n "$new" ] && [ "$new" != "$victim" ] && break
	sleep 0.01
done
after_kill=$(metric "$H")
[ "$after_kill" -ge "$mid" ] && ok "the count does not drop when a process dies ($mid, then $after_kill)" ||
	nok "the count does not drop when a process dies" "before the kill: $mid" "after: $after_kill"
for _ in 1 2 3 4 5; do curl -s -o /dev/null "$RC_HTTP/api/healthz"; done
now=$(metric "$H")
[ "$now" -ge $((before + 10)) ] && ok "10 GET /api/healthz counted for the pool ($before -> $now)" ||
	nok "10 GET /api/healthz counted for the pool" "before: $before" "after:  $now"
[ "$(metric "$S")" -gt "$starts" ] && ok "the restarted process counted a start" ||
	nok "the restarted process counted a start" "before: $starts" "after: $(metric "$S")"
check_match "latency histogram of the route" '^[1-9]' \
	"$(metric 'replycast_http_request_duration_seconds_count{pool="api",route="GET /api/healthz"}')"

# Cache: a window nobody asked for yet is a miss, then a hit.
T10=$(jwt_mint "$(jwt_claims 9001 10 user)")
hit=$(metric 'replycast_cache_requests_total{result="hit"}')
miss=$(metric 'replycast_cache_requests_total{result="miss"}')
u="$RC_HTTPS/api/v1/users/10/summary?from=2025-01-0$((RANDOM % 9 + 1))T00:00:00Z&to=2025-02-01T00:00:00Z&tz=UTC"
req GET "$u" -H "Authorization: Bearer $T10"; x1=$(header X-Cache)
req GET "$u" -H "Authorization: Bearer $T10"; x2=$(header X-Cache)
check "two reads: a miss, then a hit" "miss hit" "$x1 $x2"
[ "$(metric 'replycast_cache_requests_total{result="miss"}')" -gt "$miss" ] && ok "the cache miss was counted" ||
	nok "the cache miss was counted"
[ "$(metric 'replycast_cache_requests_total{result="hit"}')" -gt "$hit" ] && ok "the cache hit was counted" ||
	nok "the cache hit was counted"
# Figures: the miss above came from the read model; the dashboard's overview
# computes four, counted under the same family.
mem=$(metric 'replycast_figures_total{engine="memory"}')
u="$RC_HTTPS/api/v1/users/10/summary?from=2025-01-0$((RANDOM % 9 + 1))T01:00:00Z&to=2025-02-01T00:00:00Z&tz=UTC"
req GET "$u" -H "Authorization: Bearer $T10"
check "a cache miss computed in memory: X-Engine" memory "$(header X-Engine)"
[ "$(metric 'replycast_figures_total{engine="memory"}')" -gt "$mem" ] && ok "the figure from memory was counted" ||
	nok "the figure from memory was counted"
grep -q '^replycast_figures_total{engine="sql"} ' "$T_OUT/metrics.txt" && ok "/metrics counts figures PostgreSQL served" ||
	nok "/metrics counts figures PostgreSQL served"

# Access: a forwarding header takes loopback's trust away; an admin gets in.
req GET "$RC_HTTP/metrics" -H "X-Forwarded-For: 203.0.113.9"
check "behind another proxy: 403" 403 "$R_CODE"
check "403 is problem+json" "application/problem+json urn:replycast:problem:forbidden" \
	"$(header Content-Type) $(jget .type)"
req GET "$RC_HTTP/metrics" -H "X-Forwarded-For: 203.0.113.9" -H "Authorization: Bearer $T10"
check "behind another proxy with a user's token: 403" 403 "$R_CODE"
TADM=$(jwt_mint "$(jwt_claims 9002 99 admin)")
req GET "$RC_HTTP/metrics" -H "X-Forwarded-For: 203.0.113.9" -H "Authorization: Bearer $TADM"
check "behind another proxy with an admin's token: 200" 200 "$R_CODE"

# The dashboard and the rules use only names /metrics exposes.
sed -n 's/^\([a-z_:][a-zA-Z0-9_:]*\).*/\1/p' "$T_OUT/metrics.txt" | sort -u >"$T_OUT/metric-names"
if jq -e '(.panels | length) > 0 and all(.panels[]; (.targets | length) > 0 and
	all(.targets[]; (.expr | type) == "string" and (.expr | length) > 0))' \
	"$M/grafana-dashboard.json" >/dev/null; then
	ok "grafana-dashboard.json: panels, each with a target expr"
else
	nok "grafana-dashboard.json: panels, each with a target expr"
fi
unknown=$( { jq -r '.panels[].targets[].expr' "$M/grafana-dashboard.json"; grep 'expr' "$M/alerts.yml"; } |
	grep -o 'replycast_[a-z0-9_]*' | sort -u | comm -23 - "$T_OUT/metric-names" | tr '\n' ' ')
check "dashboard and alerts use only exposed metric names" "" "$unknown"

# Raw FastCGI to a dash socket (no nginx): claiming REMOTE_ADDR=127.0.0.1
# is not enough; only nginx's front secret makes loopback count.
raw_metrics() {	# [VAR=VALUE...]: the Status line of GET /metrics
	env -i PATH=/usr/bin:/bin REQUEST_METHOD=GET REQUEST_URI=/metrics \
		SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 "$@" \
		timeout 2 cgi-fcgi -bind -connect "$RC_SOCK/dash-1.sock" 2>/dev/null | head -1 | cut -d' ' -f1,2
}
check "raw FastCGI claiming REMOTE_ADDR=127.0.0.1: 403" "Status: 403" "$(raw_metrics)"
check "... with a wrong front secret: 403" "Status: 403" "$(raw_metrics RC_FRONT_SECRET=guess)"
check "... with an admin's token: 200" "Status: 200" "$(raw_metrics HTTP_AUTHORIZATION="Bearer $TADM")"
check "... with nginx's front secret: 200" "Status: 200" \
	"$(raw_metrics RC_FRONT_SECRET="$(cat "$RC_VAR/secrets/front.secret")")"
req GET "$RC_HTTP_PLAIN/metrics"
check "through nginx, plain HTTP from loopback: 200" 200 "$R_CODE"
