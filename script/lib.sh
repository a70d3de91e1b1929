# shellcheck shell=bash
# Shared by script/server, script/test, script/pool, tests/integration and
# bench: install, build and run the whole replycast stack under one folder
# ($RC_VAR).  The functions live in script/lib/, one file per part.
#
# Callers set RC_MODE (server|test) and may set RC_VAR, RC_HTTP_PORT,
# RC_HTTPS_PORT, RC_STATUS_PORT and RC_POOL_{AUTH,API,DASH}_SIZE first.

RC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The parts call each other's functions (rc_die, pid_alive, ...): source
# them all, in the order rc_setup uses them.
# shellcheck source=script/lib/setup.sh
. "$RC_ROOT/script/lib/setup.sh"
# shellcheck source=script/lib/secrets.sh
. "$RC_ROOT/script/lib/secrets.sh"
# shellcheck source=script/lib/postgres.sh
. "$RC_ROOT/script/lib/postgres.sh"
# shellcheck source=script/lib/backup.sh
. "$RC_ROOT/script/lib/backup.sh"
# shellcheck source=script/lib/redis.sh
. "$RC_ROOT/script/lib/redis.sh"
# shellcheck source=script/lib/pools.sh
. "$RC_ROOT/script/lib/pools.sh"
# shellcheck source=script/lib/nginx.sh
. "$RC_ROOT/script/lib/nginx.sh"
# shellcheck source=script/lib/services.sh
. "$RC_ROOT/script/lib/services.sh"

## The whole stack

rc_setup() {
	rc_install "$@"
	rc_user
	rc_var
	hub_url_resolve
	rc_ports
	rc_build
	secrets_make
	pg_start
	redis_start
	db_setup
	[ "$RC_MODE" = server ] && demo_load
	tls_cert
	nginx_conf
	local up=0
	pid_alive "$RC_SOCK/dash-1.pid" && up=1
	pools_lock
	pools_apply
	# Pools that ran before a new RC_HUB_URL learn it (the dashboard tells
	# users whether a Hub is there).
	[ "$up" = 1 ] && [ "$RC_HUB_CHANGED" = 1 ] && pools_restart
	pools_unlock
	rc_wait_ready
	# The test stack's Hub is a fixture a test starts (t_89): the tests
	# that need the worker or the follower start them (t_82).
	[ "$RC_MODE" = server ] && services_start
	return 0
}

rc_stop() {
	services_stop
	nginx_stop
	pools_stop
	redis_ha_stop
	redis_stop
	pg_replica_stop
	pg_stop
}
