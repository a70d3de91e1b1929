# shellcheck shell=bash
# PostgreSQL (sourced by script/lib.sh): the cluster, its access rules,
# the database and the demo data.

PGBIN=/usr/lib/postgresql/15/bin

pg_start() {
	if [ ! -f "$RC_VAR/pg/PG_VERSION" ]; then
		rc_log "creating the PostgreSQL cluster"
		as_run "$PGBIN/initdb" -D "$RC_VAR/pg" -U postgres --auth-local=peer --auth-host=reject \
			--no-sync -E UTF8 --locale=C.UTF-8 >"$RC_VAR/log/initdb.log" 2>&1 ||
			rc_die "initdb failed (see $RC_VAR/log/initdb.log)"
	fi
	if ! as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" status >/dev/null 2>&1; then
		pg_hba_write || true	# read at start
		local opts="-c listen_addresses='' -c unix_socket_directories='$RC_SOCK'"
		opts="$opts -c unix_socket_permissions=0700"
		[ "$RC_MODE" = test ] && opts="$opts -c fsync=off -c synchronous_commit=off"
		[ "$RC_MODE" = server ] && opts="$opts -c shared_buffers=$(pg_shared_buffers)"
		if [ -n "${RC_PG_ARCHIVE:-}" ]; then
			as_run mkdir -p "$RC_PG_ARCHIVE"
			opts="$opts -c archive_mode=on -c archive_timeout=60"
			opts="$opts -c archive_command='test ! -f \"$RC_PG_ARCHIVE/%f\" && cp %p \"$RC_PG_ARCHIVE/%f\"'"
		fi
		as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" -l "$RC_VAR/log/postgresql.log" \
			-w -t 60 -o "$opts" start >/dev/null || rc_die "PostgreSQL did not start (see $RC_VAR/log/postgresql.log)"
	elif ! pg_hba_write; then
		# A cluster of an older version (trust for every local user).
		as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" reload >/dev/null ||
			rc_die "PostgreSQL did not reload pg_hba.conf"
	fi
}

# Only the run user gets in, over the unix socket, as the roles replycast
# and postgres (peer authentication: the kernel says who connects; root
# goes through runuser like every script here).  Returns 1 when it had to
# change the files, which then need a reload.
pg_hba_write() {
	local d=$RC_VAR/pg hba ident
	hba="# Written by script/lib.sh: unix socket only, peer authentication.
local all all peer map=replycast
local replication postgres peer map=replycast"
	ident="# OS user -> database roles (script/lib.sh)
replycast $RC_RUN_USER replycast
replycast $RC_RUN_USER postgres"
	[ "$(cat "$d/pg_hba.conf" 2>/dev/null)" = "$hba" ] &&
		[ "$(cat "$d/pg_ident.conf" 2>/dev/null)" = "$ident" ] && return 0
	printf '%s\n' "$hba" | as_run tee "$d/pg_hba.conf" >/dev/null
	printf '%s\n' "$ident" | as_run tee "$d/pg_ident.conf" >/dev/null
	return 1
}

# shared_buffers: RC_PG_SHARED_BUFFERS, else a quarter of the memory
# within 128MB-2GB.  An ingest batch touches casts, inbound and their five
# indexes at random places (about 500 MB at 1 M casts): with 128MB it read
# them back and wrote dirty buffers itself (bench/README.md, third round).
pg_shared_buffers() {
	local mb
	if [ -n "${RC_PG_SHARED_BUFFERS:-}" ]; then
		echo "$RC_PG_SHARED_BUFFERS"
		return
	fi
	mb=$(awk '/^MemTotal:/ { print int($2 / 4096) }' /proc/meminfo 2>/dev/null)
	mb=${mb:-128}
	[ "$mb" -gt 2048 ] && mb=2048
	[ "$mb" -lt 128 ] && mb=128
	echo "${mb}MB"
}

pg_stop() {
	[ -f "$RC_VAR/pg/postmaster.pid" ] || return 0
	as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" -m fast -w stop >/dev/null 2>&1 || true
}

# A streaming replica of the stack's cluster (pg_basebackup -R: it follows
# the primary over its unix socket) in $RC_VAR/pg-replica, on the socket
# folder $RC_VAR/run-replica, once it streams; RC_PG_READ_DSN points the
# handlers at it.
pg_replica_start() {
	local d=$RC_VAR/pg-replica s=$RC_VAR/run-replica opts
	as_run mkdir -p "$s"
	chmod 700 "$s"
	if [ ! -f "$d/PG_VERSION" ]; then
		as_run "$PGBIN/pg_basebackup" -h "$RC_SOCK" -U postgres -D "$d" -R -X stream -c fast \
			>"$RC_VAR/log/replica-basebackup.log" 2>&1 ||
			rc_die "pg_basebackup for the replica failed (see $RC_VAR/log/replica-basebackup.log)"
	fi
	as_run "$PGBIN/pg_ctl" -D "$d" status >/dev/null 2>&1 && return 0
	opts="-c listen_addresses='' -c unix_socket_directories='$s' -c unix_socket_permissions=0700"
	opts="$opts -c hot_standby=on -c archive_mode=off"
	[ "$RC_MODE" = test ] && opts="$opts -c fsync=off"
	as_run "$PGBIN/pg_ctl" -D "$d" -l "$RC_VAR/log/postgresql-replica.log" -w -t 60 -o "$opts" start >/dev/null ||
		rc_die "the replica did not start (see $RC_VAR/log/postgresql-replica.log)"
	local _
	for _ in $(seq 100); do
		[ "$(pg_psql -d postgres -tAc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] && return 0
		sleep 0.1
	done
	rc_die "the replica does not stream after 10 s (see $RC_VAR/log/postgresql-replica.log)"
}

pg_replica_stop() {
	[ -f "$RC_VAR/pg-replica/postmaster.pid" ] || return 0
	as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg-replica" -m fast -w stop >/dev/null 2>&1 || true
}

# A lock the replica's replay holds makes a read wait: fail after 10 s
# rather than hang a test run.
pg_replica_psql() { PGOPTIONS='-c lock_timeout=10000' as_run psql -X -q -v ON_ERROR_STOP=1 -h "$RC_VAR/run-replica" -U postgres "$@"; }

pg_psql() { as_run psql -X -q -v ON_ERROR_STOP=1 -h "$RC_SOCK" -U postgres "$@"; }

db_setup() {
	pg_psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'replycast'" | grep -q 1 ||
		pg_psql -d postgres -c "CREATE ROLE replycast LOGIN"
	pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'replycast'" | grep -q 1 ||
		pg_psql -d postgres -c "CREATE DATABASE replycast OWNER replycast"
	rc_ctl migrate >"$RC_VAR/log/migrate.log" 2>&1 || { cat "$RC_VAR/log/migrate.log"; rc_die "migrations failed"; }
}

# The demo data set, once, into an empty database (script/server only).
demo_load() {
	local n
	n=$(pg_psql -d replycast -tAc "SELECT count(*) FROM casts")
	[ "$n" = 0 ] || return 0
	rc_log "loading demo data (${RC_DEMO_CASTS:-20000} casts)"
	as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" -q \
		--generate "${RC_DEMO_CASTS:-20000}" --seed 42 >"$RC_VAR/log/demo.log" 2>&1 ||
		{ tail -5 "$RC_VAR/log/demo.log"; rc_die "demo data failed to load"; }
	pg_psql -d replycast -c "INSERT INTO tracked (fid) VALUES (1000) ON CONFLICT DO NOTHING" >/dev/null
	demo_account
}

# The demo account (README.md): demo / demo-password, bound to fid 1000.
demo_account() {
	rc_ctl user list 2>/dev/null | grep -q '^demo ' && return 0
	printf 'demo-password\n' | rc_ctl user add demo --fid 1000 --role admin \
		--password-stdin >/dev/null || rc_die "cannot create the demo account"
}
