# shellcheck shell=bash
# Other local users: no way into var/run (PostgreSQL's, Redis' and the
# pools' sockets), and PostgreSQL admits only the run user (peer
# authentication), also a cluster an older version made with trust.
if [ "$EUID" -ne 0 ]; then
	ok "t_06: needs root to act as another user (skipped)"
	return 0
fi
# psql_as USER ROLE: "1" when USER gets in as ROLE.
psql_as() {
	local who=$1 role=$2
	if [ "$who" = root ]; then
		psql -X -h "$RC_SOCK" -U "$role" -d postgres -tAc 'SELECT 1' 2>&1
	else
		runuser -u "$who" -- psql -X -h "$RC_SOCK" -U "$role" -d postgres -tAc 'SELECT 1' 2>&1
	fi
}
check "var/run is the run user's, mode 0700" "$RC_RUN_USER 700" "$(stat -c '%U %a' "$RC_SOCK")"
runuser -u nobody -- ls "$RC_SOCK" >/dev/null 2>&1 && nok "another user cannot enter var/run" ||
	ok "another user cannot enter var/run"
for role in postgres replycast; do
	out=$(psql_as nobody "$role")
	[ "$out" != 1 ] && ok "another user cannot connect as $role" ||
		nok "another user cannot connect as $role" "got: $out"
done
runuser -u nobody -- redis-cli -s "$RC_SOCK/redis.sock" ping >/dev/null 2>&1
check "another user cannot reach Redis" 1 "$?"
out=$(psql_as root postgres)
check_match "root without runuser: peer authentication refuses" 'Peer authentication failed' "$out"
check "the run user connects as postgres" 1 "$(psql_as "$RC_RUN_USER" postgres)"
check "the run user connects as replycast" 1 "$(psql_as "$RC_RUN_USER" replycast)"
check "root through runuser (pg_psql)" 1 "$(pg_psql -d postgres -tAc 'SELECT 1')"
rc_ctl user list >/dev/null 2>&1
check "the CLI still works (replycastctl user list)" 0 "$?"

# A running cluster of an older version, made with --auth=trust: the next
# start of the scripts rewrites pg_hba.conf and reloads it.
printf 'local all all trust\n' | as_run tee "$RC_VAR/pg/pg_hba.conf" >/dev/null
as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" reload >/dev/null
sleep 0.3
check "(a trust cluster lets root in)" 1 "$(psql_as root postgres)"
(pg_start) >/dev/null 2>&1
check "pg_start on a running trust cluster: ok" 0 "$?"
sleep 0.3
out=$(psql_as root postgres)
check_match "... and afterwards peer authentication refuses root" 'Peer authentication failed' "$out"
check "... while the run user still gets in" 1 "$(psql_as "$RC_RUN_USER" replycast)"
