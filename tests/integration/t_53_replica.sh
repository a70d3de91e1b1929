# shellcheck shell=bash
# Reads from a replica (issue 21, item 1): a second cluster made with
# pg_basebackup -R streams from the first; the api and dash pools get
# RC_PG_READ_DSN.  Figures read there equal the primary's, also right after
# an ingest (a replica that has not replayed the primary's position is not
# read); a replica whose replay is paused is left for the primary, saying
# "behind", then "lagging" past RC_PG_READ_MAX_LAG_MS; a stopped one "down";
# /readyz and /metrics say so, and /readyz stays 200 all along.
A53=$RC_HTTPS/api/v1
W53="from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=UTC"
a53=(-H "Authorization: Bearer $(jwt_mint "$(jwt_claims 95301 5301 user 1800)")")
# cast53 N FID MINUTE [PARENT_N]: a cast of 2025-03-03 at 10:MINUTE, to fid 5301.
cast53() { t_cast $((0x53000)) "$1" "$2" "$(printf '2025-03-03T10:%02d:00Z' "$3")" 5301 ${4:+"$4" 5302}; }
primary53() { rc_ctl stats 5301 --from 2025-03-01T00:00:00Z --to 2025-04-01T00:00:00Z --tz UTC | jq -cS .; }
api53() { req GET "$A53/me/summary?$W53" "${a53[@]}"; printf '%s' "$R_BODY" | jq -cS .; }
reads53() { curl -s "$RC_HTTP/metrics" | awk -v to="$1" '$1 == "replycast_pg_reads_total{to=\"" to "\"}" { print $2 }'; }
# Sets R53 to where /api/readyz says reads go (R_CODE, R_BODY: its answer).
ready53() { req GET "$RC_HTTP/api/readyz"; R53=$(jget .checks.postgresql_replica); }

{ cast53 1 5302 0; cast53 2 5301 10 1; cast53 3 5303 20; } | t_ingest
pg_replica_start
check "the replica streams from the primary" 1 "$(pg_psql -d postgres -tAc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")"
check "the replica is in recovery" t "$(pg_replica_psql -d postgres -tAc 'SELECT pg_is_in_recovery()')"
export RC_PG_READ_DSN="host=$RC_VAR/run-replica dbname=replycast user=replycast" RC_PG_READ_MAX_LAG_MS=1000
pools_restart api dash

check "through the replica: the summary equals the primary's figures" "$(primary53)" "$(api53)"
# The primary writes WAL of its own now and then (checkpoints, snapshots),
# and a replica a moment behind it is not read: the first probe may say
# behind on a busy machine.  Each time zone below is a load of the read
# model, a SQL read that probes.
for _ in $(seq 50); do ready53; [ "$R53" = replica ] && break; sleep 0.1; done
check "/api/readyz: reads go to the replica" replica "$R53"
check "/api/readyz: 200 with a replica" 200 "$R_CODE"
check_match "/api/readyz: the replica's lag" '^[0-9.]+$' "$(jget .checks.postgresql_replica_lag_seconds)"
for h in $(seq 1 12); do
	[ "$(reads53 replica)" -gt 0 ] && break
	req GET "$A53/me/summary?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=Etc/GMT-$h" "${a53[@]}"
done
check_match "/metrics: reads on the replica counted" '^[1-9][0-9]*$' "$(reads53 replica)"
check_match "/metrics: the replica's lag" '^replycast_pg_replica_lag_seconds [0-9.]+$' \
	"$(curl -s "$RC_HTTP/metrics" | grep '^replycast_pg_replica_lag_seconds')"

# Right after an ingest: the replica has replayed it, or is not read.
{ cast53 4 5304 30; cast53 5 5301 31 4; cast53 6 5301 45 3; } | t_ingest
check "right after an ingest: the summary equals the primary's" "$(primary53)" "$(api53)"
for _ in $(seq 50); do
	[ "$(pg_replica_psql -d replycast -tAc "SELECT count(*) FROM casts WHERE text LIKE 'cast $((0x53000)) %'")" = 6 ] && break
	sleep 0.1
done
check "the replica has the new casts" 6 "$(pg_replica_psql -d replycast -tAc "SELECT count(*) FROM casts WHERE text LIKE 'cast $((0x53000)) %'")"
for _ in $(seq 50); do ready53; [ "$R53" = replica ] && break; sleep 0.1; done
check "once caught up: reads go to the replica again" replica "$R53"

# Replay paused: an ingest the replica has not replayed sends reads to the primary.
# Paused while replaying a relation's AccessExclusiveLock (autovacuum
# truncating a table), the replica would hold that lock until replay
# resumes and every read of the table would wait: pause again until no
# such lock is held.
for _ in $(seq 50); do
	pg_replica_psql -d postgres -c "SELECT pg_wal_replay_pause()" >/dev/null
	[ "$(pg_replica_psql -d postgres -tAc "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock'")" = 0 ] && break
	pg_replica_psql -d postgres -c "SELECT pg_wal_replay_resume()" >/dev/null
	sleep 0.2
done
b0=$(reads53 behind); l0=$(reads53 lagging)
{ cast53 7 5305 50; cast53 8 5301 52 7; } | t_ingest
check "replay paused: the summary still equals the primary's" "$(primary53)" "$(api53)"
ready53
check_match "replay paused: /api/readyz says behind or lagging" '^(behind|lagging)$' "$R53"
check "replay paused: /api/readyz stays 200" 200 "$R_CODE"
check "replay paused: the replica lacks the new casts" 6 \
	"$(pg_replica_psql -d replycast -tAc "SELECT count(*) FROM casts WHERE text LIKE 'cast $((0x53000)) %'")"
check "/metrics: reads sent to the primary because of it counted" 1 \
	"$([ $(($(reads53 behind) + $(reads53 lagging))) -gt $((b0 + l0)) ] && echo 1)"
sleep 1.2
ready53
check "past RC_PG_READ_MAX_LAG_MS: lagging" lagging "$R53"
pg_replica_psql -d postgres -c "SELECT pg_wal_replay_resume()" >/dev/null
for _ in $(seq 50); do ready53; [ "$R53" = replica ] && break; sleep 0.1; done
ready53
check "replay resumed: reads go to the replica again" replica "$R53"

# The replica stopped: the primary serves, and /readyz says so.
pg_replica_stop
check "replica down: the summary equals the primary's" "$(primary53)" "$(api53)"
ready53
check "replica down: /api/readyz says down" down "$R53"
check "replica down: /api/readyz stays 200" 200 "$R_CODE"

unset RC_PG_READ_DSN RC_PG_READ_MAX_LAG_MS
pools_restart api dash
ready53
check "without RC_PG_READ_DSN: no replica in /api/readyz" null "$R53"
rm -rf "$RC_VAR/pg-replica" "$RC_VAR/run-replica"
