# shellcheck shell=bash
# Shared by script/server, script/test, script/pool, tests/integration and
# bench: install, build and run the whole replycast stack under one folder
# ($RC_VAR).  The functions live in script/lib/, one file per part.
#
# Callers set RC_MODE (server|test) and may set RC_VAR, RC_HTTP_PORT,
# RC_HTTPS_PORT, RC_STATUS_PORT and RC_POOL_{AUTH,API,DASH}_SIZE first.

RC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# shellcheck source=script/lib/setup.sh
. "$RC_ROOT/script/lib/setup.sh"
