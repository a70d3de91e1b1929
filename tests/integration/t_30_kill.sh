# shellcheck shell=bash
# kill -9 of one api process while clients send GETs: no request fails and
# the pool is back to its size within a second.
size=$(pool_size api)
check "api pool has its configured size" "$size" "$(pool_workers api | wc -l)"

loop_gets() {
	local end=$((SECONDS + 3))
	while [ $SECONDS -lt $end ]; do
		curl -s -o /dev/null -w '%{http_code}\n' "$RC_HTTP/api/readyz"
	done >"$T_OUT/kill-$1.codes"
}
for c in 1 2 3 4; do loop_gets "$c" & done
sleep 1
victim=$(pool_workers api | head -1)
mw=$(ps -o ppid= -p "$victim" | tr -d ' ')
kill -9 "$victim"
t0=$(date +%s%N)
back=""
for _ in $(seq 100); do
	new=$(pgrep -P "$mw")
	if [ -n "$new" ] && [ "$new" != "$victim" ]; then back=$(( ($(date +%s%N) - t0) / 1000000 )); break; fi
	sleep 0.01
done
wait
total=$(cat "$T_OUT"/kill-*.codes | wc -l)
bad=$(grep -vc '^200$' "$T_OUT"/kill-*.codes | awk -F: '{s += $NF} END {print s + 0}')
check "no GET failed while a process was killed ($total sent)" 0 "$bad"
[ "$total" -gt 10 ] && ok "the GET loop ran ($total requests)" || nok "the GET loop ran" "only $total requests"
if [ -n "$back" ] && [ "$back" -lt 1000 ]; then ok "killed process replaced in ${back} ms"; else nok "killed process replaced within 1 s" "${back:-never}"; fi
check "api pool is back to $size processes" "$size" "$(pool_workers api | wc -l)"
