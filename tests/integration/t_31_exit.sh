# shellcheck shell=bash
# A handler stopped as the scripts stop it (SIGTERM to its multiwatch,
# script/pool and script/server stop) leaves through srv_main's clean
# path: it logs "stopping", frees what it holds and returns from main, so
# the sanitizer build's leak check runs in it as it exits (script/test
# reads the reports once the stack has stopped).  Debian's multiwatch
# passes "-s TERM" on as SIGQUIT, which must end it the same way: before,
# an idle process left through _exit (no leak check) and, under
# multiwatch, died of SIGQUIT before any of it.
for p in auth api dash; do
	victim=$(pgrep -P "$(cat "$RC_SOCK/$p-1.pid")")
	pool_stop_one "$p" 1
	check "$p: a process stopped through multiwatch leaves cleanly (logs stopping)" 1 \
		"$(grep -c "\"pid\":$victim,.*\"msg\":\"stopping\"" "$RC_VAR/log/$p.log")"
	check "$p: the process is gone" 1 "$(kill -0 "$victim" 2>/dev/null || echo 1)"
	pool_start_one "$p" 1
	pool_wait_answer "$p" 1
done

# SIGQUIT sent to a handler directly ends it the same way.
victim=$(pgrep -P "$(cat "$RC_SOCK/api-2.pid")")
kill -QUIT "$victim"
for _ in $(seq 100); do kill -0 "$victim" 2>/dev/null || break; sleep 0.05; done
check "api: SIGQUIT leaves cleanly too (logs stopping)" 1 \
	"$(grep -c "\"pid\":$victim,.*\"msg\":\"stopping\"" "$RC_VAR/log/api.log")"
pool_wait_answer api 2
