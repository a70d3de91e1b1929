# shellcheck shell=bash
# script/pool scale under load: wrk sends GETs (/api/healthz and
# /api/v1/openapi.json in turn) while the api pool goes 3 (its default) -> 5
# -> 3 -> 2.
# No response may be other than 2xx and no request may fail at the socket;
# after each step the pool has exactly N processes, nginx's upstream lists
# N sockets, and requests through nginx reach exactly those N processes.
#
# wrk sends "Connection: close": a graceful nginx reload closes client
# connections that are idle in keep-alive, and a client that sent its next
# request at that instant gets no answer; HTTP clients retry such a request
# on a new connection (RFC 9112, 9.3.1), wrk does not.  So the keep-alive
# case is covered by curl, which does retry, running alongside.

scale_lua=$T_OUT/scale.lua
cat >"$scale_lua" <<'LUA'
local paths = { "/api/healthz", "/api/v1/openapi.json" }
local n = 0
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
LUA

# Distinct pids of the api processes that answer through nginx, from 60
# requests on one keep-alive connection.
scale_pids_seen() {
	local args=() _
	for _ in $(seq 60); do args+=(-o - "$RC_HTTP/api/healthz"); done
	curl -s "${args[@]}" | grep -o '"pid":[0-9]*' | cut -d: -f2 | sort -u
}

# Keep-alive client: 100 GETs per connection until the file $1 exists.
scale_keepalive() {
	local args=() _
	for _ in $(seq 100); do args+=(-o /dev/null -w '%{http_code}\n' "$RC_HTTP/api/healthz"); done
	while [ ! -e "$1" ]; do curl -s "${args[@]}"; done >"$T_OUT/scale-keepalive.codes"
}

# scale_step N: scale the api pool to N and check the result.
scale_step() {
	local n=$1 out workers t0=$SECONDS
	# As an operator runs it: a shell that holds none of the stack's
	# settings (script/test exported RC_API_RATE, the ports, ...).
	if out=$(env -i PATH="$PATH" RC_MODE=test RC_VAR="$RC_VAR" \
	    "$RC_ROOT/script/pool" scale api "$n" 2>&1); then
		ok "script/pool scale api $n ($((SECONDS - t0)) s)"
	else
		nok "script/pool scale api $n" "$out"
	fi
	workers=$(pool_workers api | sort)
	check "api pool has $n processes" "$n" "$(grep -c . <<<"$workers")"
	check "nginx's api upstream lists $n sockets" "$n" "$(pool_listed api)"
	check "requests through nginx reach the $n processes" "$workers" "$(scale_pids_seen)"
	# The settings the handlers read (RC_*, the sanitizers'); the harness's
	# own variables differ between the tests that restarted processes.
	check "the $n processes run with the pool's settings" 1 \
		"$(for p in $workers; do grep -zE '^(RC_|[A-Z]+SAN_OPTIONS=)' "/proc/$p/environ" |
			sort -z | sha256sum; done | sort -u | wc -l)"
}

check "api pool starts with its size's processes" "$(pool_size api)" "$(pool_workers api | wc -l)"
rm -f "$T_OUT/scale-stop"
scale_alerts0=$(grep -c 'open socket .* left in connection' "$RC_VAR/log/nginx-error.log")
scale_keepalive "$T_OUT/scale-stop" &
scale_ka=$!
# wrk runs for at least 8 s and until 1.5 s after the last step (a step
# takes seconds on a loaded machine); SIGINT makes it print its summary.
wrk -t2 -c16 -d120s -H "Connection: close" -s "$scale_lua" "$RC_HTTP" >"$T_OUT/scale-wrk.txt" 2>&1 &
scale_wrk=$!
scale_t0=$SECONDS
for n in 5 3 2; do
	sleep 1.5
	scale_step "$n"
done
sleep 1.5
while [ $((SECONDS - scale_t0)) -lt 8 ]; do sleep 0.2; done
if kill -INT "$scale_wrk" 2>/dev/null; then
	ok "the scaling steps ran while wrk ran ($((SECONDS - scale_t0)) s)"
else
	nok "the scaling steps ran while wrk ran" "wrk had stopped"
fi
wait "$scale_wrk"
touch "$T_OUT/scale-stop"
wait "$scale_ka"

scale_reqs=$(awk '/requests in/ {print $1}' "$T_OUT/scale-wrk.txt")
echo "# wrk while scaling: $(grep -E 'requests in|Requests/sec' "$T_OUT/scale-wrk.txt" | tr -s ' ' | paste -sd ';')"
check_match "wrk ran" '^[0-9]+$' "${scale_reqs:-none}"
check "no non-2xx response while scaling (${scale_reqs:-0} requests)" "" \
	"$(grep 'Non-2xx or 3xx responses' "$T_OUT/scale-wrk.txt")"
scale_alerts=$(( $(grep -c 'open socket .* left in connection' "$RC_VAR/log/nginx-error.log") - scale_alerts0 ))
# An old nginx worker that exits with a request still open (its "open
# socket left" alert) cut that response: nginx 1.22's lost read timer,
# which nginx/fastcgi.conf's buffer sizes keep from happening.
check "no wrk connection error while scaling" "" "$(grep 'Socket errors' "$T_OUT/scale-wrk.txt")"
check "no old nginx worker left with a request open" 0 "$scale_alerts"
scale_ka_n=$(grep -c . "$T_OUT/scale-keepalive.codes")
check "no keep-alive GET failed while scaling ($scale_ka_n requests)" 0 \
	"$(grep -vc '^200$' "$T_OUT/scale-keepalive.codes")"
check "api size stored for later starts" 2 "$(cat "$RC_VAR/pools/api.size")"

# Reloads while large responses stream from the handlers: three clients
# fetch openapi.json (115 KB) for 12 s while nginx reloads every 0.5 s.
# With nginx's default 8 KB FastCGI buffers, about one response in twenty
# was cut off by a reload here.
storm_alerts0=$(grep -c 'open socket .* left in connection' "$RC_VAR/log/nginx-error.log")
storm_end=$((SECONDS + 12))
for k in 1 2 3; do
	(
		while [ $SECONDS -lt $storm_end ]; do
			curl -s -o /dev/null -w '%{http_code} %{exitcode} %{size_download}\n' "$RC_HTTP/api/v1/openapi.json"
		done >"$T_OUT/storm.$k"
	) &
done
storm_reloads=0
while [ $SECONDS -lt $storm_end ]; do
	sleep 0.5
	as_run nginx -p "$RC_VAR/nginx/" -c "$RC_VAR/nginx/nginx.conf" -s reload 2>>"$RC_VAR/log/nginx-signal.log" &&
		storm_reloads=$((storm_reloads + 1))
done
wait
storm_n=$(cat "$T_OUT"/storm.* | grep -c .)
check_match "reloads while large responses stream ($storm_reloads reloads)" '^[1-9][0-9]+$' "$storm_reloads"
check "every response whole across the reloads ($storm_n requests)" "$storm_n" \
	"$(cat "$T_OUT"/storm.* | grep -c "^200 0 $(stat -c %s "$RC_ROOT/docs/openapi.json")$")"
check "no old nginx worker left with a request open" 0 \
	"$(( $(grep -c 'open socket .* left in connection' "$RC_VAR/log/nginx-error.log") - storm_alerts0 ))"
nginx_reload

# A start whose environment cannot be made (a setting unset under set -u)
# must fail, not run the program without its settings (rc_env_s).
out96=$( (unset RC_SOCK; env -S "$(rc_env_s)" true) 2>&1 ); code96=$?
check "rc_env failing: env -S \"\$(rc_env_s)\" starts nothing (127)" 127 "$code96"
check_match "  and says why" 'rc_env failed' "$out96"
