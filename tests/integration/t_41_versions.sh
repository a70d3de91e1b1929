# shellcheck shell=bash
# An ingest publishes a new data version to Redis for every fid it touched,
# in batches of 256 fids per round trip (gate_bump): 300 fids here, so two
# batches, a known version counts up by one and a missing one starts from
# the clock (microseconds), never from 1.
v41() { as_run redis-cli -s "$RC_SOCK/redis.sock" GET "v:$1"; }
t41ingest() { as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$@"; }
f41=$T_OUT/t41.jsonl
: >"$f41"
for i in $(seq 1 300); do
	printf '{"type":"cast","hash":"0x%040x","fid":%d,"time":"2025-03-01T10:00:00Z","text":"root"}\n' \
		$((0x41000000 + i)) $((410000 + i)) >>"$f41"
	printf '{"type":"cast","hash":"0x%040x","fid":409999,"time":"2025-03-01T10:05:00Z","text":"hi","parent_hash":"0x%040x","parent_fid":%d}\n' \
		$((0x41100000 + i)) $((0x41000000 + i)) $((410000 + i)) >>"$f41"
done
as_run redis-cli -s "$RC_SOCK/redis.sock" SET v:410001 41 >/dev/null
as_run redis-cli -s "$RC_SOCK/redis.sock" DEL v:410300 >/dev/null
evals41() { as_run redis-cli -s "$RC_SOCK/redis.sock" INFO commandstats | sed -n 's/^cmdstat_eval:calls=\([0-9]*\),.*/\1/p'; }
e41=$(evals41)
out41=$(t41ingest "$f41" 2>&1)
check "t41: 600 casts ingest" 0 "$?"
check "300 fids: two EVALs (256 + 44), not one per fid" 2 "$(( $(evals41) - ${e41:-0} ))"
check "a known version counts up by one" 42 "$(v41 410001)"
check_match "a fid of the second batch (the 300th) has a version from the clock" '^[0-9]{16,}$' "$(v41 410300)"
missing41=0
for i in $(seq 2 300); do [ -n "$(v41 $((410000 + i)))" ] || missing41=$((missing41 + 1)); done
check "every one of the 300 fids touched has a version in Redis" 0 "$missing41"
[ "$missing41" -eq 0 ] || printf '%s\n' "$out41" | tail -3
