# shellcheck shell=bash
# Backups of PostgreSQL (sourced by script/lib.sh): a base backup with
# pg_basebackup, the WAL archive that RC_PG_ARCHIVE turns on (pg_start), and
# a restore into a fresh cluster folder, to the end of the backup or to a
# point in time after it.  Redis holds nothing that a backup needs (cache,
# rate limits, and copies of what PostgreSQL keeps); the secrets do.

# pg_backup DIR: DIR/base.tar.gz and DIR/pg_wal.tar.gz (the WAL written
# during the backup, so it restores without the archive), DIR/secrets.tar.gz,
# and DIR/backup.txt (when, which cluster, the WAL position it starts from).
pg_backup() {
	local dir=$1 lsn
	[ ! -e "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ] || rc_die "$dir is not empty"
	mkdir -p "$dir"
	chown "$RC_RUN_USER:" "$dir" 2>/dev/null || true
	as_run "$PGBIN/pg_basebackup" -h "$RC_SOCK" -U postgres -D "$dir" -Ft -z -X stream \
		-c fast -l "replycast $(date -u +%FT%TZ)" >"$RC_VAR/log/backup.log" 2>&1 ||
		{ tail -3 "$RC_VAR/log/backup.log" >&2; rc_die "pg_basebackup failed (see $RC_VAR/log/backup.log)"; }
	tar -czf "$dir/secrets.tar.gz" -C "$RC_VAR" secrets
	chmod 600 "$dir/secrets.tar.gz"
	lsn=$(tar -xzOf "$dir/base.tar.gz" backup_label 2>/dev/null | sed -n 's/^START WAL LOCATION: \([^ ]*\).*/\1/p')
	printf 'made %s\nfrom %s\nstart WAL %s\narchive %s\n' "$(date -u +%FT%TZ)" "$RC_VAR/pg" \
		"$lsn" "${RC_PG_ARCHIVE:-none}" | as_run tee "$dir/backup.txt" >/dev/null
}

# pg_restore_to BACKUP DEST [TIME]: DEST becomes a cluster restored from
# BACKUP; with TIME (anything PostgreSQL reads as a timestamptz), the WAL
# archive (RC_PG_ARCHIVE) is replayed up to that moment (transactions that
# committed after it are left out), else to its end.  The cluster is started
# on a private socket folder for the replay, promoted, and stopped again:
# DEST is then an ordinary cluster that pg_start can run.
pg_restore_to() {
	local backup=$1 dest=$2 target=${3:-} sock conf
	[ -f "$backup/base.tar.gz" ] || rc_die "$backup has no base.tar.gz (made by script/backup?)"
	[ ! -e "$dest" ] || rc_die "$dest exists: restore into a new folder"
	as_run mkdir -m 700 -p "$dest"
	as_run tar -xzf "$backup/base.tar.gz" -C "$dest"
	as_run tar -xzf "$backup/pg_wal.tar.gz" -C "$dest/pg_wal"
	conf="# Written by script/restore.
recovery_target_action = 'promote'"
	if [ -n "${RC_PG_ARCHIVE:-}" ]; then
		[ -d "$RC_PG_ARCHIVE" ] || rc_die "RC_PG_ARCHIVE=$RC_PG_ARCHIVE is not a folder"
		conf="$conf
restore_command = 'cp \"$RC_PG_ARCHIVE/%f\" \"%p\"'"
	elif [ -n "$target" ]; then
		rc_die "a point in time needs the WAL archive: set RC_PG_ARCHIVE"
	fi
	[ -z "$target" ] || conf="$conf
recovery_target_time = '$target'"
	printf '%s\n' "$conf" | as_run tee -a "$dest/postgresql.auto.conf" >/dev/null
	as_run touch "$dest/recovery.signal"
	sock=$(as_run mktemp -d /tmp/rc-restore.XXXXXX)
	if ! as_run "$PGBIN/pg_ctl" -D "$dest" -l "$RC_VAR/log/restore.log" -w -t 300 \
		-o "-c listen_addresses='' -c unix_socket_directories='$sock' -c archive_mode=off" start >/dev/null; then
		tail -5 "$RC_VAR/log/restore.log" >&2
		rm -rf "$sock"
		rc_die "the restored cluster did not start (see $RC_VAR/log/restore.log)"
	fi
	local i
	for i in $(seq 600); do
		[ "$(as_run psql -X -tA -h "$sock" -U postgres -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
		as_run "$PGBIN/pg_ctl" -D "$dest" status >/dev/null 2>&1 || { tail -5 "$RC_VAR/log/restore.log" >&2; rm -rf "$sock"
			rc_die "the restored cluster stopped during the replay (see $RC_VAR/log/restore.log)"; }
		[ "$i" -eq 600 ] && { as_run "$PGBIN/pg_ctl" -D "$dest" -m fast -w stop >/dev/null 2>&1; rm -rf "$sock"
			rc_die "the restored cluster is still replaying after 5 minutes (see $RC_VAR/log/restore.log)"; }
		sleep 0.5
	done
	as_run "$PGBIN/pg_ctl" -D "$dest" -m fast -w stop >/dev/null
	rm -rf "$sock"
	grep -E 'recovery stopping|archive recovery complete|redo done' "$RC_VAR/log/restore.log" | tail -3 || true
}
