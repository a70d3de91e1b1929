# shellcheck shell=bash
# kill -9 in the middle of an ingest leaves the database as it was before
# the batch in flight; a rerun finishes the job with exact counts.  Compared
# with a clean run of the same file into a second database.
gen=$T_OUT/kill-gen.jsonl
as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" \
	--generate 30000 --seed 11 --anchor 1767225600 --dump >"$gen"
ncast=$(grep -c '"type":"cast"' "$gen")
check "the generator wrote 30000 casts" 30000 "$ncast"

for db in replycast_kill replycast_ref; do
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE $db OWNER replycast" >/dev/null
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" \
		"$RC_PREFIX/bin/replycastctl" migrate >/dev/null
done
into() {
	local db=$1; shift
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" \
		"$RC_PREFIX/bin/replycast-ingest" -q "$@"
}
figures() {
	pg_psql -d "$1" -tAc "SELECT (SELECT count(*) FROM casts) || ' ' ||
		(SELECT count(*) FROM casts WHERE deleted) || ' ' ||
		(SELECT count(*) FROM inbound) || ' ' ||
		(SELECT count(*) FROM inbound WHERE answered_at IS NOT NULL) || ' ' ||
		(SELECT coalesce(sum(extract(epoch FROM answered_at - ts)), 0)::bigint FROM inbound) || ' ' ||
		(SELECT count(*) FROM removals) || ' ' || (SELECT count(*) FROM profiles)"
}

into replycast_ref "$gen"
kills=0
for delay in 0.4 0.7 1.0; do
	into replycast_kill --batch 700 "$gen" 2>/dev/null &
	sleep "$delay"
	if pkill -9 -f "replycast-ingest -q --batch 700"; then kills=$((kills + 1)); fi
	wait 2>/dev/null || true
	part=$(pg_psql -d replycast_kill -tAc "SELECT count(*) FROM casts")
	# A half-applied batch would leave casts without their inbound facts.
	orphans=$(pg_psql -d replycast_kill -tAc "SELECT count(*) FROM casts c
		WHERE c.parent_fid IS NOT NULL AND c.parent_fid <> c.fid
		AND NOT EXISTS (SELECT 1 FROM inbound i
			WHERE i.hash = c.hash AND i.fid = c.parent_fid)")
	check "after a kill at ${delay}s ($part casts stored): no half-written batch" 0 "$orphans"
done
[ "$kills" -ge 1 ] && ok "the ingester was killed mid-run ($kills times)" || nok "the ingester was killed mid-run" "it finished before every kill"
into replycast_kill "$gen"; code=$?
check "the rerun finishes cleanly" 0 "$code"
ref=$(figures replycast_ref)
check "after kills and a rerun, every figure equals a clean run" "$ref" "$(figures replycast_kill)"
check_match "all 30000 casts are there" "^30000 " "$ref"
for db in replycast_kill replycast_ref; do
	pg_psql -d postgres -c "DROP DATABASE $db" >/dev/null
done
