# shellcheck shell=bash
# Backups that restore (issue 21, item 4): script/backup takes a base backup
# of the running cluster; casts for fid 5201 are ingested in two batches
# after it, with a moment T between them; script/restore replays the WAL
# archive (RC_PG_ARCHIVE, on in script/test) into a fresh cluster up to T,
# and its figures equal the live ones as they were at T; without a time it
# replays to the end and equals the live figures now.  A bad backup folder,
# a used destination and a time without an archive are refused.
b52=$RC_VAR/backups/t52
d52=$RC_VAR/restore-t52
rm -rf "$b52" "$d52" "$d52-end"
# cast52 N FID MINUTE [PARENT_N]: a cast of 2025-03-02 at 10:MINUTE, to fid 5201.
cast52() { t_cast $((0x52000)) "$1" "$2" "$(printf '2025-03-02T10:%02d:00Z' "$3")" 5201 ${4:+"$4" 5202}; }
# The figures of fid 5201 from the cluster whose socket folder is $1.
figs52() {
	as_run env -S "$(rc_env_s)" "RC_PG_DSN=host=$1 dbname=replycast user=replycast" \
		"$RC_PREFIX/bin/replycastctl" stats 5201 --from 2025-03-01T00:00:00Z --to 2025-04-01T00:00:00Z --tz UTC |
		jq -cS .
}

if [ -z "${RC_PG_ARCHIVE:-}" ]; then
	nok "backups: RC_PG_ARCHIVE is set (script/test sets it)"
else
	out=$("$RC_ROOT/script/backup" "$b52" 2>&1)
	check "script/backup prints its folder" "$b52" "$out"
	check "the backup has the cluster, its WAL, the secrets and a note" "4" \
		"$(for f in base.tar.gz pg_wal.tar.gz secrets.tar.gz backup.txt; do [ -s "$b52/$f" ] && echo "$f"; done | wc -l)"
	check "the secrets in a backup are the run user's alone" "600" "$(stat -c %a "$b52/secrets.tar.gz")"
	check "script/backup refuses a folder that is not empty" 1 "$("$RC_ROOT/script/backup" "$b52" >/dev/null 2>&1; echo $?)"

	{ cast52 1 5202 0; cast52 2 5201 10 1; cast52 3 5203 20; } | t_ingest
	f_t=$(figs52 "$RC_SOCK")
	sleep 1.1
	t=$(pg_psql -d postgres -tAc "SELECT now()")
	sleep 1.1
	{ cast52 4 5204 30; cast52 5 5201 33 4; cast52 6 5201 40 3; } | t_ingest
	f_now=$(figs52 "$RC_SOCK")
	check "the second batch changed the live figures (else the test proves nothing)" 1 \
		"$([ "$f_t" != "$f_now" ] && [ "$f_t" != "" ] && echo 1)"
	# The last segment must reach the archive before a replay can read it.
	pg_psql -d postgres -tAc "SELECT pg_switch_wal()" >/dev/null
	w=$(pg_psql -d postgres -tAc "SELECT last_archived_wal FROM pg_stat_archiver")
	for _ in $(seq 100); do
		[ "$(pg_psql -d postgres -tAc "SELECT last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")" = t ] && break
		sleep 0.1
	done
	check_match "the archive has segments" '^[0-9A-F]{24}$' "$w"

	out=$("$RC_ROOT/script/restore" "$b52" "$d52" "$t" 2>&1)
	check "script/restore to a point in time succeeds" 0 "$?"
	check_match "the replay stopped at the time" "recovery stopping before commit" "$out"
	s52=$(as_run mktemp -d /tmp/rc-t52.XXXXXX)
	if as_run "$PGBIN/pg_ctl" -D "$d52" -l "$RC_VAR/log/t52-restored.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$s52' -c archive_mode=off" start >/dev/null; then
		check "restored to T: the figures are the live ones at T" "$f_t" "$(figs52 "$s52")"
		check "restored to T: the casts after T are not there" 3 \
			"$(as_run psql -X -tA -h "$s52" -U postgres -d replycast -c "SELECT count(*) FROM casts WHERE text LIKE 'cast $((0x52000)) %'")"
		check "restored to T: the accounts are there" "$(pg_psql -d replycast -tAc 'SELECT count(*) > 0 FROM accounts')" \
			"$(as_run psql -X -tA -h "$s52" -U postgres -d replycast -c 'SELECT count(*) > 0 FROM accounts')"
		as_run "$PGBIN/pg_ctl" -D "$d52" -m fast -w stop >/dev/null
	else
		nok "the cluster restored to T starts" "$(tail -3 "$RC_VAR/log/t52-restored.log")"
	fi

	"$RC_ROOT/script/restore" "$b52" "$d52-end" >/dev/null 2>&1
	check "script/restore to the end succeeds" 0 "$?"
	if as_run "$PGBIN/pg_ctl" -D "$d52-end" -l "$RC_VAR/log/t52-restored.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$s52' -c archive_mode=off" start >/dev/null; then
		check "restored to the end: the figures are the live ones now" "$f_now" "$(figs52 "$s52")"
		as_run "$PGBIN/pg_ctl" -D "$d52-end" -m fast -w stop >/dev/null
	else
		nok "the cluster restored to the end starts" "$(tail -3 "$RC_VAR/log/t52-restored.log")"
	fi
	rm -rf "$s52"

	check "script/restore refuses a destination that exists" 1 "$("$RC_ROOT/script/restore" "$b52" "$d52" >/dev/null 2>&1; echo $?)"
	check "script/restore refuses a folder that is no backup" 1 "$("$RC_ROOT/script/restore" "$RC_VAR/log" "$d52-x" >/dev/null 2>&1; echo $?)"
	check "a point in time without the archive is refused" 1 \
		"$(RC_PG_ARCHIVE='' "$RC_ROOT/script/restore" "$b52" "$d52-y" "$t" >/dev/null 2>&1; echo $?)"
	rm -rf "$b52" "$d52" "$d52-end" "$d52-x" "$d52-y"
fi
