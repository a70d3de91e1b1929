# shellcheck shell=bash
# Bulk mode (--bulk): the same tables as a batch-by-batch load; kill -9 in
# the middle leaves whole batches only and a bulk under way, which the next
# run (with or without --bulk) finishes into the same tables as a clean
# load; a rerun changes nothing; a bad record is reported with its line.
gen=$T_OUT/bulk-gen.jsonl
as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" \
	--generate 30000 --seed 12 --anchor 1767225600 --dump >"$gen"
dbs="replycast_bulk_ref replycast_bulk_clean replycast_bulk_kill replycast_bulk_step"
fresh() {
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE $1 OWNER replycast" >/dev/null
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$1 user=replycast" \
		"$RC_PREFIX/bin/replycastctl" migrate >/dev/null
}
for db in $dbs; do fresh "$db"; done
loud() {
	local db=$1; shift
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" \
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
# Waits for the server side of a killed run: its statement runs on to its
# end (a step of the end of a bulk load may still commit).
settle() {
	local _
	for _ in $(seq 600); do
		[ "$(pg_psql -d "$1" -tAc "SELECT count(*) FROM pg_stat_activity
			WHERE datname = '$1' AND pid <> pg_backend_pid()")" = 0 ] && return
		sleep 0.05
	done
}
versions() { pg_psql -d "$1" -tAc "SELECT count(*) || ' ' || coalesce(sum(version), 0) FROM fid_versions"; }
bulk_rows() { pg_psql -d "$1" -tAc "SELECT count(*) FROM ingest_bulk"; }
# The tables with planner statistics, of those a bulk load rebuilds.
analyzed() {
	pg_psql -d "$1" -tAc "SELECT string_agg(DISTINCT tablename, ' ') FROM pg_stats
		WHERE schemaname = 'public' AND tablename IN ('casts', 'inbound')"
}
# The fids of casts and inbound without a data version: a cache would
# keep their figures from before the load.
unversioned() {
	pg_psql -d "$1" -tAc "SELECT count(*) FROM (SELECT fid FROM casts UNION SELECT fid FROM inbound) f
		WHERE NOT EXISTS (SELECT 1 FROM fid_versions v WHERE v.fid = f.fid)"
}
# The tables a bulk load keeps autovacuum off on (migrations/0023).
quiet() {
	pg_psql -d "$1" -tAc "SELECT coalesce(string_agg(relname, ' ' ORDER BY relname), '')
		FROM pg_class WHERE relname IN ('casts', 'inbound', 'inbound_next')
		  AND reloptions @> '{autovacuum_enabled=false}'"
}

into replycast_bulk_ref "$gen"
out=$(loud replycast_bulk_clean --bulk "$gen"); code=$?
check "a clean bulk load exits 0" 0 "$code"
check_match "a bulk load into an empty database derives the facts in the ingester" \
	"inbound facts derived by replycast-ingest" "$out"
ref=$(tables replycast_bulk_ref)
check_match "the reference holds all 30000 casts and their facts" "^30000:[0-9a-f]+ [1-9][0-9]*:" "$ref"
check "a bulk load stores the same rows as a batch-by-batch one" "$ref" "$(tables replycast_bulk_clean)"
check "a bulk load ends with every index" "$(indexes replycast_bulk_ref)" "$(indexes replycast_bulk_clean)"
check "a bulk load leaves no bulk under way" 0 "$(bulk_rows replycast_bulk_clean)"
check "a bulk load turns autovacuum back on" "" "$(quiet replycast_bulk_clean)"
check "a bulk load leaves casts and inbound analyzed" "casts inbound" "$(analyzed replycast_bulk_clean)"
check "a bulk load gives every fid of casts and inbound a data version" 0 "$(unversioned replycast_bulk_clean)"

# The ingester's facts are used only when nobody else wrote casts or
# removals during the load: a record stored meanwhile by someone else
# (here straight into the table, in a transaction held open until the load
# waits for it) sends the derivation back to the server, and the tables
# equal a plain load of the file and that record.
#   joined WHAT EXTRA_JSONL SQL: checks a load of $gen that SQL joined.
joined() {
	local what=$1 extra=$2 sql=$3 both=replycast_bulk_both_$1 take=replycast_bulk_take_$1 pid code
	[ "$(id -u)" -eq 0 ] && chown "$RC_RUN_USER:" "$extra"
	fresh "$both"
	into "$both" "$gen"
	into "$both" "$extra"
	fresh "$take"
	loud "$take" --bulk --batch 1500 "$gen" >"$T_OUT/bulk-$take.out" &
	pid=$!
	for _ in $(seq 600); do
		[ "$(bulk_rows "$take")" = 1 ] && break
		sleep 0.02
	done
	pg_psql -d "$take" -c "BEGIN; $sql; SELECT pg_sleep(2); COMMIT" >/dev/null
	wait "$pid"; code=$?
	check "a bulk load that another $what joined exits 0" 0 "$code"
	check "a bulk load that another $what joined: the server derived the facts" "" \
		"$(grep 'derived by replycast-ingest' "$T_OUT/bulk-$take.out")"
	check "a bulk load that another $what joined: every row equals a plain load of both" \
		"$(tables "$both")" "$(tables "$take")"
	check "a bulk load that another $what joined: casts and inbound analyzed" \
		"casts inbound" "$(analyzed "$take")"
	check "a bulk load that another $what joined: every fid has a data version" \
		0 "$(unversioned "$take")"
	dbs="$dbs $both $take"
}
extra=$T_OUT/bulk-extra.jsonl
printf '{"type":"cast","hash":"0x%040d","fid":1001,"time":1767225000,"text":"meanwhile","mentions":[1000]}\n' 7 >"$extra"
joined cast "$extra" "INSERT INTO casts (hash, fid, ts, text, mentions)
	VALUES ('\\x$(printf '%040d' 7)', 1001, to_timestamp(1767225000), 'meanwhile', '{1000}')"
# A removal of a reply of the file, which the ingester's facts would keep.
reply=$(jq -c 'select(.type == "cast" and .parent_hash != null and .parent_fid != .fid)' "$gen" | tail -1)
rmx=$T_OUT/bulk-extra-rm.jsonl
jq -c '{type: "remove", hash, fid, time: (.time + 60)}' <<<"$reply" >"$rmx"
joined removal "$rmx" "INSERT INTO removals (hash, fid, ts)
	SELECT decode(substr(r->>'hash', 3), 'hex'), (r->>'fid')::bigint,
		to_timestamp((r->>'time')::bigint) FROM (SELECT '$(cat "$rmx")'::jsonb AS r) x"
check "a bulk load that another removal joined: the reply's facts are removed" "t" \
	"$(pg_psql -d replycast_bulk_take_removal -tAc "SELECT count(*) > 0 AND bool_and(deleted)
		FROM inbound WHERE hash = decode('$(jq -r '.hash[2:]' "$rmx")', 'hex')")"

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
	settle replycast_bulk_kill
	part=$(pg_psql -d replycast_bulk_kill -tAc "SELECT count(*) FROM casts")
	# Killed once its end had begun: the first step (the casts' key) has
	# kept every cast once.
	if [ "$(pg_psql -d replycast_bulk_kill -tAc "SELECT count(*) FROM ingest_bulk WHERE keyed")" = 1 ]; then
		kills=$((kills + 1))
		check "killed at ${delay}s in the end of the load: every cast stored once" \
			"${ref%%:*}" "$part"
	elif [ "$(bulk_rows replycast_bulk_kill)" = 1 ]; then
		kills=$((kills + 1))
		check_match "killed at ${delay}s, $((part - before)) casts stored by that run: whole batches only" \
			" $((part - before)) " "$bounds"
		check "killed at ${delay}s, the load under way keeps autovacuum off casts" \
			casts "$(quiet replycast_bulk_kill)"
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
check "after kills and a rerun, autovacuum is back on" "" "$(quiet replycast_bulk_kill)"

v=$(versions replycast_bulk_kill)
into replycast_bulk_kill --bulk "$gen"
check "a bulk rerun changes no row" "$ref" "$(tables replycast_bulk_kill)"
check "a bulk rerun gives no fid a new data version" "$v" "$(versions replycast_bulk_kill)"
into replycast_bulk_kill "$gen"
check "a plain rerun changes no row" "$ref" "$(tables replycast_bulk_kill)"
check "a plain rerun gives no fid a new data version" "$v" "$(versions replycast_bulk_kill)"

# The end of a bulk load runs in steps, each its own transaction, on two
# connections (migrations/0008_bulk_steps.sql).  Cut off after any prefix
# of them, readers still see inbound as before the load, and the next run
# ends as a clean load: one with no batch (the end does what the steps did
# not) or a rerun of the file (its batches undo the steps).
empty=$T_OUT/bulk-empty.jsonl
: >"$empty"
[ "$(id -u)" -eq 0 ] && chown "$RC_RUN_USER:" "$empty"
# A bulk load of every record whose end has not begun: the run is held at
# the end's first lock and killed there (its backend too, so that the step
# never runs).
underway() {
	local db=$1 pid lock
	fresh "$db"
	pg_psql -U replycast -d "$db" -tAc "SELECT rc_bulk_begin()" >/dev/null
	pg_psql -d "$db" -c "BEGIN; LOCK TABLE ingest_bulk IN ROW SHARE MODE;
		SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 &
	lock=$!
	into "$db" "$gen" &
	pid=$!
	for _ in $(seq 600); do
		[ "$(pg_psql -d "$db" -tAc "SELECT count(*) FROM pg_stat_activity
			WHERE datname = '$db' AND wait_event_type = 'Lock'
			  AND query = 'SELECT rc_bulk_key()'")" = 1 ] && break
		sleep 0.05
	done
	kill_tree "$pid"
	wait "$pid" 2>/dev/null
	pg_psql -d "$db" -tAc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = '$db' AND query = 'SELECT rc_bulk_key()'" >/dev/null
	pg_psql -d "$db" -tAc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = '$db' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
	wait "$lock" 2>/dev/null
}
inbound_indexes() {
	pg_psql -d "$1" -tAc "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
		WHERE tablename = 'inbound'"
}
steps=("SELECT rc_bulk_key()" "SELECT rc_bulk_derive(0)" "SELECT rc_bulk_derive(1)"
	"SELECT rc_bulk_inbound_index('pkey')" "SELECT rc_bulk_casts_index()"
	"SELECT rc_bulk_inbound_index('fid_ts')" "SELECT rc_bulk_inbound_index('open')"
	"SELECT rc_bulk_inbound_index('analyze')")
for run in 1:empty 2:empty 4:file 8:empty 8:file; do
	cut=${run%:*}
	underway replycast_bulk_step
	check "held before its end, a bulk load has stored every cast" \
		"${ref%%:*} 1" "$(pg_psql -d replycast_bulk_step -tAc "SELECT count(*) FROM casts") $(bulk_rows replycast_bulk_step)"
	for sql in "${steps[@]:0:cut}"; do
		pg_psql -U replycast -d replycast_bulk_step -tAc "SET client_min_messages = warning; $sql" >/dev/null
	done
	check "cut off after $cut of ${#steps[@]} steps: readers see no fact of the load yet" \
		"0 $(inbound_indexes replycast_bulk_ref)" \
		"$(pg_psql -d replycast_bulk_step -tAc "SELECT count(*) FROM inbound") $(inbound_indexes replycast_bulk_step)"
	if [ "${run#*:}" = file ]; then
		what="a rerun of the file"; into replycast_bulk_step "$gen"
	else
		what="a run with no batch"; into replycast_bulk_step "$empty"
	fi
	check "cut off after $cut steps, then $what: every row equals a clean load's" \
		"$ref" "$(tables replycast_bulk_step)"
	check "cut off after $cut steps, then $what: every index, no bulk under way" \
		"$(indexes replycast_bulk_ref) 0 " \
		"$(indexes replycast_bulk_step) $(bulk_rows replycast_bulk_step) $(pg_psql -d replycast_bulk_step -tAc "SELECT to_regclass('inbound_next')")"
done

# kill -9 while the end of the load runs (its first step has committed).
underway replycast_bulk_step
into replycast_bulk_step "$empty" 2>/dev/null &
pid=$!
for _ in $(seq 200); do
	[ "$(pg_psql -d replycast_bulk_step -tAc "SELECT count(*) FROM ingest_bulk WHERE keyed")" = 1 ] && break
	sleep 0.02
done
kill_tree "$pid"
wait "$pid" 2>/dev/null
settle replycast_bulk_step
into replycast_bulk_step "$empty"
check "killed during the end of the load, then rerun: every row equals a clean load's" \
	"$ref" "$(tables replycast_bulk_step)"
check "killed during the end of the load, then rerun: every index is back" \
	"$(indexes replycast_bulk_ref)" "$(indexes replycast_bulk_step)"
check "killed during the end of the load, then rerun: autovacuum is back on" \
	"" "$(quiet replycast_bulk_step)"

# Two runs end the same load at once: each step runs once.
underway replycast_bulk_step
into replycast_bulk_step "$empty" &
pid=$!
into replycast_bulk_step "$empty"; code=$?
wait "$pid"; code2=$?
check "two runs ending one load at once both exit 0" "0 0" "$code $code2"
check "two runs ending one load at once: every row equals a clean load's" \
	"$ref" "$(tables replycast_bulk_step)"
check "two runs ending one load at once: every index, no bulk under way" \
	"$(indexes replycast_bulk_ref) 0" "$(indexes replycast_bulk_step) $(bulk_rows replycast_bulk_step)"

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
