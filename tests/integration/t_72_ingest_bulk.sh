# shellcheck shell=bash
# Bulk mode (--bulk): the same tables as a batch-by-batch load; kill -9 in
# the middle leaves whole batches only and a bulk under way, which the next
# run (with or without --bulk) finishes into the same tables as a clean
# load; a rerun changes nothing; a bad record is reported with its line.
gen=$T_OUT/bulk-gen.jsonl
# shellcheck disable=SC2046  # rc_env's VAR=value lines become env's arguments
as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycast-ingest" \
	--generate 30000 --seed 12 --anchor 1767225600 --dump >"$gen"
dbs="replycast_bulk_ref replycast_bulk_clean replycast_bulk_kill"
for db in $dbs; do
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE $db OWNER replycast" >/dev/null
	# shellcheck disable=SC2046  # rc_env's VAR=value lines become env's arguments
	as_run env $(rc_env | tr '\n' ' ') RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" \
		"$RC_PREFIX/bin/replycastctl" migrate >/dev/null
done
loud() {
	local db=$1; shift
	# shellcheck disable=SC2046  # rc_env's VAR=value lines become env's arguments
	as_run env $(rc_env | tr '\n' ' ') RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" \
		"$RC_PREFIX/bin/replycast-ingest" "$@"
}
into() { local db=$1; shift; loud "$db" -q "$@"; }
# Row counts and a checksum of every row of the stored and derived tables.
tables() {
	pg_psql -d "$1" -tAc "SELECT concat_ws(' ',
		(SELECT count(*) || ':' || md5(string_agg(c::text, ',' ORDER BY hash)) FROM casts c),
		(SELECT count(*) || ':' || md5(string_agg(i::text, ',' ORDER BY fid, hash)) FROM inbound i),
		(SELECT count(*) || ':' || md5(string_agg(r::text, ',' ORDER BY hash, fid)) FROM removals r),
		(SELECT count(*) || ':' || md5(string_agg((p.fid, p.username, p.display_name, p.bio)::text, ',' ORDER BY fid)) FROM profiles p))"
}
indexes() {
	pg_psql -d "$1" -tAc "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
		WHERE tablename IN ('casts', 'inbound')"
}
# kill -9 of a process and its descendants, deepest first: the ingester
# runs under a subshell and, as root, under runuser.
kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do kill_tree "$c"; done
	kill -9 "$1" 2>/dev/null
}
versions() { pg_psql -d "$1" -tAc "SELECT count(*) || ' ' || coalesce(sum(version), 0) FROM fid_versions"; }
bulk_rows() { pg_psql -d "$1" -tAc "SELECT count(*) FROM ingest_bulk"; }

into replycast_bulk_ref "$gen"
into replycast_bulk_clean --bulk "$gen"; code=$?
check "a clean bulk load exits 0" 0 "$code"
ref=$(tables replycast_bulk_ref)
check_match "the reference holds all 30000 casts and their facts" "^30000:[0-9a-f]+ [1-9][0-9]*:" "$ref"
check "a bulk load stores the same rows as a batch-by-batch one" "$ref" "$(tables replycast_bulk_clean)"
check "a bulk load ends with every index" "$(indexes replycast_bulk_ref)" "$(indexes replycast_bulk_clean)"
check "a bulk load leaves no bulk under way" 0 "$(bulk_rows replycast_bulk_clean)"

# The casts a run stores by the end of each whole batch of 1500 records.  A
# run after a cut-off bulk load reads the file from its start: its copies
# of casts already there go when the load is finished.
bounds=" 0 $(awk -v b=1500 '/"type":"cast"/ { n++ } NR % b == 0 { printf "%d ", n } END { print n }' "$gen") "
kills=0
before=0
for delay in 0.3 0.6 0.9; do
	into replycast_bulk_kill --bulk --batch 1500 "$gen" 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill_tree "$pid"
	wait "$pid" 2>/dev/null
	part=$(pg_psql -d replycast_bulk_kill -tAc "SELECT count(*) FROM casts")
	if [ "$(bulk_rows replycast_bulk_kill)" = 1 ]; then
		kills=$((kills + 1))
		check_match "killed at ${delay}s, $((part - before)) casts stored by that run: whole batches only" \
			" $((part - before)) " "$bounds"
	fi
	before=$part
done
[ "$kills" -ge 1 ] && ok "the bulk load was killed while under way ($kills times)" ||
	nok "the bulk load was killed while under way" "it finished before every kill"
into replycast_bulk_kill "$gen"; code=$?
check "a plain rerun finishes the bulk load cut off" 0 "$code"
check "after kills and a rerun, every row equals a clean load's" "$ref" "$(tables replycast_bulk_kill)"
check "after kills and a rerun, every index is back" "$(indexes replycast_bulk_ref)" "$(indexes replycast_bulk_kill)"
check "no bulk is left under way" 0 "$(bulk_rows replycast_bulk_kill)"

v=$(versions replycast_bulk_kill)
into replycast_bulk_kill --bulk "$gen"
check "a bulk rerun changes no row" "$ref" "$(tables replycast_bulk_kill)"
check "a bulk rerun gives no fid a new data version" "$v" "$(versions replycast_bulk_kill)"
into replycast_bulk_kill "$gen"
check "a plain rerun changes no row" "$ref" "$(tables replycast_bulk_kill)"
check "a plain rerun gives no fid a new data version" "$v" "$(versions replycast_bulk_kill)"

bad=$T_OUT/bulk-bad.jsonl
{ head -3 "$gen"; echo '{"type":"cast","hash":"0xnothex","fid":1}'; sed -n 4,5p "$gen"; } >"$bad"
[ "$(id -u)" -eq 0 ] && chown "$RC_RUN_USER:" "$bad"
err=$(loud replycast_bulk_kill --bulk "$bad" 2>&1 >/dev/null); code=$?
check "a bad record in a bulk load: exit 3 (skipped and reported)" 3 "$code"
check_match "the bad record is reported with its line" "bulk-bad.jsonl:4: " "$err"
check "a bulk load with a skipped record still finishes" 0 "$(bulk_rows replycast_bulk_kill)"
for db in $dbs; do
	pg_psql -d postgres -c "DROP DATABASE $db" >/dev/null
done
