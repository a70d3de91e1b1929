# shellcheck shell=bash
# PostgreSQL failover (issue 21, item 2): the api pool's RC_PG_DSN lists the
# primary and a streaming replica with target_session_attrs=read-write, so a
# handler connects to whichever is the primary.  Under a stream of GETs the
# primary is killed (pg_ctl -m immediate) and the replica promoted: the GETs
# the read model serves keep answering; a write answers 503 problem+json
# with Retry-After while there is no primary, and succeeds once the replica
# is promoted; what was committed and replicated before the kill is there.
# Then the stack's own primary comes back, as it was at the kill.
A54=$RC_HTTPS/api/v1
W54="from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=UTC"
a54=(-H "Authorization: Bearer $(jwt_mint "$(jwt_claims 95401 5401 user 1800)")")
# The writes under another account of the fid: each account has its own
# rate limit (RC_API_RATE, burst 150), and the GETs below take up to 120.
w54=(-H "Authorization: Bearer $(jwt_mint "$(jwt_claims 95402 5401 user 1800)")")
j54=(-H 'Content-Type: application/json')
cast54() { t_cast $((0x54000)) "$1" "$2" "$(printf '2025-03-04T10:%02d:00Z' "$3")" 5401 ${4:+"$4" 5402}; }
{ cast54 1 5402 0; cast54 2 5401 10 1; cast54 3 5403 20; } | t_ingest

pg_replica_start
export RC_STACK_PG_DSN="host=$RC_SOCK,$RC_VAR/run-replica dbname=replycast user=replycast target_session_attrs=read-write"
pools_restart api
req GET "$A54/me/summary?$W54" "${a54[@]}"
check "before: the summary" 200 "$R_CODE"
req PUT "$A54/me/settings" "${w54[@]}" "${j54[@]}" --data-binary '{"goal_seconds":1500}'
check "before: a write" 200 "$R_CODE"
# The answer under the new data version, computed while there is a primary.
req GET "$A54/me/summary?$W54" "${a54[@]}"
check "before: the summary after the write" 200 "$R_CODE"
# Replicated before the kill (asynchronous replication: see README).
lsn=$(pg_psql -d postgres -tAc "SELECT pg_current_wal_lsn()")
for _ in $(seq 100); do
	[ "$(pg_replica_psql -d postgres -tAc "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
	sleep 0.1
done

# GETs all along: each line a status and whether the body was a summary
# (the writes below change its figures).
codes=$T_OUT/t54.codes
: >"$codes"
(
	end=$((SECONDS + 8)) n=0
	# At most 120: the rate limit (RC_API_RATE, burst 150) is per account.
	while [ $SECONDS -lt $end ] && [ $((n += 1)) -le 120 ]; do
		b=$(curl -sk -w '\n%{http_code}' "${a54[@]}" "$A54/me/summary?$W54")
		printf '%s %s\n' "${b##*$'\n'}" "$(case ${b%$'\n'*} in *'"reply_seconds"'*) echo summary ;; *) echo other ;; esac)" >>"$codes"
		sleep 0.03
	done
) &
gets=$!
sleep 1
as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" -m immediate -w stop >/dev/null 2>&1
req PUT "$A54/me/settings" "${w54[@]}" "${j54[@]}" --data-binary '{"goal_seconds":1600}'
check "no primary: a write answers 503" 503 "$R_CODE"
check "no primary: as problem+json" application/problem+json "$(header Content-Type)"
check_match "no primary: with Retry-After" '^[0-9]+$' "$(header Retry-After)"
as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg-replica" -w promote >/dev/null
for tries54 in $(seq 50); do
	req PUT "$A54/me/settings" "${w54[@]}" "${j54[@]}" --data-binary '{"goal_seconds":1700}'
	[ "$R_CODE" = 200 ] && break
	sleep 0.2
done
check "promoted: the write succeeds" 200 "$R_CODE"
echo "# failover: the write succeeded at try $tries54 after the promotion"
wait "$gets"
n=$(wc -l <"$codes")
check_match "GETs ran through the switch" '^[1-9][0-9]+$' "$n"
check "every GET answered 200 with a summary" "$n" \
	"$(grep -c '^200 summary$' "$codes")$(grep -v '^200 summary$' "$codes" | sort | uniq -c | tr -s ' \n' ' ')"
check "the new primary has the casts committed before the kill" 3 \
	"$(pg_replica_psql -d replycast -tAc "SELECT count(*) FROM casts WHERE text LIKE 'cast $((0x54000)) %'")"
check "the new primary has the write made after the promotion" 1 \
	"$(pg_replica_psql -d replycast -tAc "SELECT count(*) FROM user_settings WHERE fid = 5401 AND goal_seconds = 1700")"

# Back to the stack's own primary (as it was at the kill), the replica gone.
pg_replica_stop
pg_start
unset RC_STACK_PG_DSN
pools_restart api
req GET "$A54/me/summary?$W54" "${a54[@]}"
check "the stack's primary serves again" 200 "$R_CODE"
rm -rf "$RC_VAR/pg-replica" "$RC_VAR/run-replica"

# A statement past RC_PG_STATEMENT_TIMEOUT_MS (a lock held elsewhere, or a
# server too busy) answers 503 with Retry-After, not 500: asked again a
# moment later, the same request succeeds.
printf '%s\n' t54-Correct-Horse-1 | rc_ctl user add t54 --fid 5401 --password-stdin >/dev/null 2>&1
c54=(-H "Cookie: __Host-rc_at=$(jwt_mint "$(jwt_claims "$(pg_psql -d replycast -tAc "SELECT id FROM accounts WHERE username = 't54'")" 5401 user 600)")")
export RC_PG_STATEMENT_TIMEOUT_MS=300
pools_restart api dash
W54B="from=2025-02-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=UTC"
pg_psql -d replycast -c "BEGIN; LOCK TABLE inbound IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;" >/dev/null 2>&1 &
locker=$!
sleep 0.3
req GET "$A54/me/summary?$W54B" "${a54[@]}"
check "statement timeout: 503" 503 "$R_CODE"
check "statement timeout: as problem+json" application/problem+json "$(header Content-Type)"
check_match "statement timeout: with Retry-After" '^[0-9]+$' "$(header Retry-After)"
req GET "$RC_HTTP/inbox" "${c54[@]}"
check "statement timeout: the dashboard's inbox answers 503" 503 "$R_CODE"
check_match "statement timeout: a page that says the database is busy" 'too busy' "$R_BODY"
wait "$locker"
req GET "$A54/me/summary?$W54B" "${a54[@]}"
check "statement timeout: once the lock is gone, 200" 200 "$R_CODE"
req GET "$RC_HTTP/inbox" "${c54[@]}"
check "statement timeout: and the inbox, 200" 200 "$R_CODE"
unset RC_PG_STATEMENT_TIMEOUT_MS
pools_restart api dash
