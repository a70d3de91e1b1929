# shellcheck shell=bash
# The read model (src/reply/facts.c) against the SQL engine, its reference:
# tests/diff/facts_diff over the demo data generator's output, in a scratch
# database of the test cluster (it ingests and changes settings there).
# Two 90-day sets so that the windows cross the 2025 daylight-saving
# switches both ways.  RC_FACTS_SEED repeats a run; the seed is printed.
FD_DB=replycast_facts_diff
FD_BIN=$RC_ROOT/build/$RC_MODE/tests/diff/facts_diff
fd_env() {
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$FD_DB user=replycast" "$@"
}
pg_psql -d postgres -c "DROP DATABASE IF EXISTS $FD_DB" >/dev/null 2>&1
pg_psql -d postgres -c "CREATE DATABASE $FD_DB OWNER replycast" >/dev/null
fd_env "$RC_PREFIX/bin/replycastctl" migrate >/dev/null 2>&1
fd_load=0
fd_env "$RC_PREFIX/bin/replycast-ingest" -q --generate 8000 --seed 42 --anchor 1744675200 >/dev/null 2>&1 || fd_load=1
fd_env "$RC_PREFIX/bin/replycast-ingest" -q --generate 8000 --seed 43 --anchor 1763164800 >/dev/null 2>&1 || fd_load=1
check "facts diff: two demo sets load (spring and autumn 2025)" 0 "$fd_load"

fd_seed=${RC_FACTS_SEED:-$(date +%s)}
fd_out=$(fd_env "$FD_BIN" -s "$fd_seed" -n 300 2>&1); fd_code=$?
printf '%s\n' "$fd_out" | grep -E '^(facts_diff|FAIL)' | head -20 | sed 's/^/# /'
check "facts diff: every figure from memory equals SQL (seed $fd_seed, 300 cases)" 0 "$fd_code"
check_match "facts diff: figures were compared" ' [1-9][0-9]+ figures, 0 failed' "$fd_out"
check_match "facts diff: the speed trend's sentences were compared" ' [1-9][0-9]* speed sentences compared' "$fd_out"

# A budget of 48 KiB: the busiest user no longer fits (it is refused and
# SQL serves it), the others are evicted and loaded again, figures unchanged.
fd_out=$(fd_env "$FD_BIN" -s "$fd_seed" -n 100 -k 48 2>&1); fd_code=$?
printf '%s\n' "$fd_out" | grep -E '^(facts_diff|FAIL)' | head -20 | sed 's/^/# /'
check "facts diff: a small budget changes no figure" 0 "$fd_code"
check_match "facts diff: a small budget sends the busiest user to SQL" ' [1-9][0-9]* served by SQL' "$fd_out"

# It changes users' data: a database with accounts (someone's) is refused.
printf 'guard-password-1\n' | fd_env "$RC_PREFIX/bin/replycastctl" user add fdguard --fid 7 \
	--password-stdin >/dev/null 2>&1
fd_out=$(fd_env "$FD_BIN" -n 1 2>&1); fd_code=$?
check "facts diff: a database with accounts is refused" 2 "$fd_code"
check_match "facts diff: says why it refuses" 'has accounts' "$fd_out"
pg_psql -d postgres -c "DROP DATABASE IF EXISTS $FD_DB" >/dev/null 2>&1
