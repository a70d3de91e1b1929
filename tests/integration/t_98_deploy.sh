# shellcheck shell=bash
# Deployment files (docker/, systemd/): linted here, since no container
# engine or cluster runs in the tests.  What each check proves:
#   shell files         ShellCheck on every one in script/ (and script/lib/),
#                       bench/, docker/, tests/
#   Dockerfile rules    hadolint is not packaged in Debian: a few grep rules
#                       (multi-stage, non-root USER in the last stage, no ADD,
#                       apt lists removed in every RUN that installs, ...) and
#                       apt-cache for the runtime package names
#   entrypoint + probe  docker/entrypoint.sh run for real outside a container
#                       (a pool on a TCP port), probed by docker/probe.sh
#                       with cgi-fcgi, behind docker/nginx/'s configuration
#                       (nginx -t, then served) with local upstreams
#   compose             dclint (the compose-spec JSON schema it ships, and
#                       its rules; tests/deploy/dclint.json) and
#                       tests/deploy/validate-compose.mjs
#   Kubernetes          tests/deploy/validate-k8s.mjs (kubernetes-models)
#   systemd             systemd-analyze verify on the units make install
#                       wrote into the test prefix (their ExecStart paths are
#                       the built programs)
# The npm packages are in tests/deploy/node_modules (script/test runs npm ci).

D_ROOT=$RC_ROOT
D_TMP=$RC_VAR/deploy
rm -rf "$D_TMP"
mkdir -p "$D_TMP"

## shellcheck (settings and the project-wide exceptions: .shellcheckrc)
if command -v shellcheck >/dev/null; then
	for f in "$D_ROOT"/script/* "$D_ROOT"/script/lib/*.sh "$D_ROOT"/bench/* "$D_ROOT"/docker/*.sh "$D_ROOT"/docker/nginx/*.sh \
		"$D_ROOT"/tests/integration/run "$D_ROOT"/tests/integration/t_*.sh "$D_ROOT"/.ci/run "$D_ROOT"/autogen.sh; do
		[ -f "$f" ] || continue
		grep -Eq '^#!.*(sh|bash)|^# shellcheck shell=' <(head -3 "$f") || continue
		rel=${f#"$D_ROOT"/}
		if out=$(cd "$D_ROOT" && shellcheck -x -P SCRIPTDIR "$rel" 2>&1); then
			ok "shellcheck $rel"
		else
			nok "shellcheck $rel" "$(printf '%s\n' "$out" | grep -E '^(In |.*SC[0-9]{4})' | head -6)"
		fi
	done
else
	nok "shellcheck is installed"
fi

# script/lib.sh is what every script sources: it must source each part.
for f in "$D_ROOT"/script/lib/*.sh; do
	rel=${f#"$D_ROOT"/script/}
	grep -Eq "^\. \"\\\$RC_ROOT/script/$rel\"\$" "$D_ROOT/script/lib.sh" &&
		ok "script/lib.sh sources $rel" || nok "script/lib.sh sources $rel"
done

## Dockerfile (hadolint is not in Debian: these rules stand in for it)
df=$D_ROOT/docker/Dockerfile
d_from=$(grep -cE '^FROM ' "$df")
[ "$d_from" -ge 2 ] && ok "Dockerfile: multi-stage ($d_from stages)" || nok "Dockerfile: multi-stage" "$d_from FROM lines"
d_last=$(awk '/^FROM /{s=""} {s=s $0 "\n"} END{printf "%s", s}' "$df")
check_match "Dockerfile: the last stage is FROM debian:12-slim" '^FROM \$\{DEBIAN_SLIM_IMAGE\} AS runtime' "$d_last"
check "Dockerfile: DEBIAN_SLIM_IMAGE is debian:12-slim" "ARG DEBIAN_SLIM_IMAGE=debian:12-slim" "$(grep '^ARG DEBIAN_SLIM_IMAGE=' "$df")"
check "Dockerfile: DEBIAN_IMAGE is debian:12" "ARG DEBIAN_IMAGE=debian:12" "$(grep '^ARG DEBIAN_IMAGE=' "$df")"
d_user=$(printf '%s' "$d_last" | grep -E '^USER ' | tail -1 | awk '{print $2}')
if [ -n "$d_user" ] && ! [[ ${d_user%%:*} =~ ^(root|0)$ ]]; then
	ok "Dockerfile: the last stage runs as a non-root USER ($d_user)"
else
	nok "Dockerfile: the last stage runs as a non-root USER" "USER: ${d_user:-none}"
fi
check "Dockerfile: no ADD (no remote URLs, no implicit unpacking)" 0 "$(grep -cE '^ADD ' "$df")"
# Each RUN instruction, joined across its continuation lines.
d_runs=$(awk '/^RUN /{r=1; s=""} r{s=s $0; if ($0 !~ /\\$/){print s; r=0}}' "$df")
d_bad=$(printf '%s\n' "$d_runs" | grep 'apt-get install' | grep -vc 'rm -rf /var/lib/apt/lists/\*')
check "Dockerfile: every RUN with apt-get install removes /var/lib/apt/lists" 0 "$d_bad"
d_bad=$(printf '%s\n' "$d_runs" | grep 'apt-get install' | grep -vc -- '--no-install-recommends')
check "Dockerfile: apt-get install --no-install-recommends" 0 "$d_bad"
d_bad=$(printf '%s\n' "$d_runs" | grep 'apt-get install' | grep -vc 'apt-get update')
check "Dockerfile: apt-get update in the same RUN as install" 0 "$d_bad"
check "Dockerfile: the last stage has a HEALTHCHECK" 1 "$(printf '%s' "$d_last" | grep -c '^HEALTHCHECK ')"
check_match "Dockerfile: ENTRYPOINT in exec form" '^ENTRYPOINT \["/usr/local/bin/entrypoint.sh"\]' "$(grep '^ENTRYPOINT' "$df")"
check "Dockerfile: no -dev package in the last stage" 0 "$(printf '%s' "$d_last" | grep -cE 'lib[a-z0-9-]*-dev|build-essential')"
check_match "Dockerfile: the build stage runs make check" 'make check' "$(printf '%s\n' "$d_runs" | grep './configure')"
# The runtime packages must exist in Debian 12 under these names.
d_pkgs=$(printf '%s\n' "$d_runs" | grep 'libfcgi0ldbl' | sed -e 's/.*--no-install-recommends//' -e 's/&&.*//' -e 's/\\//g')
# (No "| grep -q" after apt-cache: with pipefail, its early exit fails the pipe.)
if [[ $(apt-cache policy libc6 2>/dev/null) == *"Candidate: "[0-9]* ]]; then
	d_missing=""
	for p in $d_pkgs; do
		[[ $(apt-cache policy "$p" 2>/dev/null) == *"Candidate: "[0-9]* ]] || d_missing="$d_missing $p"
	done
	check "Dockerfile: runtime packages exist in this Debian ($(echo "$d_pkgs" | wc -w) names)" "" "$d_missing"
	# Every shared library the programs link is in one of those packages
	# (or in what they depend on).
	# shellcheck disable=SC2086  # a list of package names
	d_deps=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances $d_pkgs 2>/dev/null | grep -v '^ ' | sort -u)
	d_libs=""
	for lib in $(ldd "$RC_PREFIX"/bin/replycast-* "$RC_PREFIX"/bin/replycastctl 2>/dev/null |
		awk '/=> \//{print $3}' | sort -u); do
		pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1)
		[ -z "$pkg" ] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1)
		case $pkg in ''|libasan*|libubsan*|libgcc-s1|libstdc++6|libc6) continue ;; esac
		[[ $'\n'$d_deps$'\n' == *$'\n'"$pkg"$'\n'* ]] || d_libs="$d_libs $pkg"
	done
	check "Dockerfile: every linked library comes with the runtime packages" "" "$d_libs"
else
	ok "Dockerfile: runtime package names (skipped: no apt lists; run apt-get update)"
fi

## docker/entrypoint.sh and docker/probe.sh, outside a container
cp "$D_ROOT/docker/entrypoint.sh" "$D_ROOT/docker/probe.sh" "$D_TMP/"
chmod 755 "$D_TMP"/*.sh
[ "$(id -u)" -eq 0 ] && chown -R "$RC_RUN_USER:" "$D_TMP"
check "entrypoint: api 3" \
	"spawn-fcgi -n -a 0.0.0.0 -p 9000 -- /usr/bin/multiwatch -f 3 -r 1000000 -t 1000 -s TERM -- $RC_PREFIX/bin/replycast-api" \
	"$(PATH="$RC_PREFIX/bin:$PATH" RC_DRY_RUN=1 "$D_TMP/entrypoint.sh" api 3)"
check "entrypoint: migrate" "replycastctl migrate" "$(RC_DRY_RUN=1 "$D_TMP/entrypoint.sh" migrate)"
check "entrypoint: ingest passes its arguments" "replycast-ingest --hub http://h:3381 --follow" \
	"$(RC_DRY_RUN=1 "$D_TMP/entrypoint.sh" ingest --hub http://h:3381 --follow)"
RC_DRY_RUN=1 "$D_TMP/entrypoint.sh" bogus >/dev/null 2>&1
check "entrypoint: an unknown role exits 2" 2 "$?"
RC_DRY_RUN=1 "$D_TMP/entrypoint.sh" api 0 >/dev/null 2>&1
check "entrypoint: N outside [1, 64] exits 2" 2 "$?"
printf 'p:w\\d\n' >"$D_TMP/pw"
RC_DRY_RUN=1 RC_PG_PASSWORD_FILE="$D_TMP/pw" RC_RUN_DIR="$D_TMP/run" "$D_TMP/entrypoint.sh" migrate >/dev/null
check "entrypoint: .pgpass from RC_PG_PASSWORD_FILE, : and \\ escaped" '*:*:*:*:p\:w\\d' "$(cat "$D_TMP/run/pgpass" 2>/dev/null)"
check "entrypoint: .pgpass is 0600" 600 "$(stat -c %a "$D_TMP/run/pgpass" 2>/dev/null)"

# A real pool on TCP, the container's way, then nginx with docker/nginx/.
d_port=$((RC_HTTP_PORT + 5))
d_fcgi=$((d_port + 3))
d_pidf=$RC_SOCK/deploy-api.pid
# (sh -c: the pid file gets the pid that becomes spawn-fcgi, then multiwatch.)
# shellcheck disable=SC2016  # $0, $@ and $$ are sh's
as_run env -S "$(rc_env_s)" PATH="$RC_PREFIX/bin:/usr/bin:/bin" \
	RC_FCGI_ADDR=127.0.0.1 RC_FCGI_PORT="$d_fcgi" \
	sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$d_pidf" "$D_TMP/entrypoint.sh" api 2 \
	>>"$RC_VAR/log/deploy-api.log" 2>&1 &
d_up=""
# (The handlers log to standard error, into that file: a container's way.)
for _ in $(seq 50); do
	if RC_PROBE_ADDR=127.0.0.1:$d_fcgi RC_PROBE_TIMEOUT=1 "$D_TMP/probe.sh" api healthz >/dev/null 2>&1; then
		d_up=1
		break
	fi
	sleep 0.1
done
check "entrypoint api 2: the pool answers on TCP port $d_fcgi" 1 "$d_up"
check "entrypoint api 2: two workers under multiwatch" 2 "$(pgrep -c -P "$(cat "$d_pidf" 2>/dev/null || echo 1)" 2>/dev/null)"
check "probe api healthz" "api healthz: ok" "$(RC_PROBE_ADDR=127.0.0.1:$d_fcgi "$D_TMP/probe.sh" api healthz)"
check "probe api readyz" "api readyz: ok" "$(RC_PROBE_ADDR=127.0.0.1:$d_fcgi "$D_TMP/probe.sh" api readyz)"
RC_PROBE_ADDR=127.0.0.1:$d_fcgi "$D_TMP/probe.sh" dash healthz >/dev/null
check "probe: another pool's route (404) fails" 1 "$?"
check "probe: unix sockets too (the stack's auth-1)" "auth readyz: ok" \
	"$(as_run env RC_PROBE_ADDR="$RC_SOCK/auth-1.sock" "$D_TMP/probe.sh" auth readyz)"

d_ng=$D_TMP/nginx
mkdir -p "$d_ng/replycast" "$d_ng/tls" "$d_ng/tmp"
cp "$RC_VAR/tls/cert.pem" "$d_ng/tls/tls.crt"
cp "$RC_VAR/tls/key.pem" "$d_ng/tls/tls.key"
cp "$D_ROOT/nginx/fastcgi.conf" "$D_ROOT/nginx/security-headers.conf" "$D_ROOT/nginx/maps.conf" \
	"$D_ROOT/nginx/tls.conf" "$d_ng/replycast/"
for d_conf in locations plain; do
	"$D_ROOT/docker/nginx/locations.sh" "$D_ROOT/nginx/$d_conf.conf.in" |
		sed -e "s|/usr/share/replycast|$RC_DATA|g" -e "s|/etc/nginx/|$d_ng/|g" >"$d_ng/replycast/$d_conf.conf"
done
# The compose upstreams need nginx >= 1.27.3 ("resolve") and Docker's DNS:
# here every pool is the entrypoint's api pool (only /api/ is asked for).
printf 'upstream %s_pool { server 127.0.0.1:%s max_fails=0; }\n' \
	auth "$d_fcgi" api "$d_fcgi" dash "$d_fcgi" >"$d_ng/replycast/upstreams.conf"
sed -e "s|/tmp/|$d_ng/tmp/|g" -e "s|/etc/nginx/|$d_ng/|g" \
	-e "s|/dev/stdout|$d_ng/access.log|" -e "s|/dev/stderr|$d_ng/error.log|" \
	-e "s|listen 8080;|listen 127.0.0.1:$d_port;|" \
	-e "s|listen 8443 ssl|listen 127.0.0.1:$((d_port + 1)) ssl|" \
	-e "s|listen 8081;|listen 127.0.0.1:$((d_port + 2));|" \
	"$D_ROOT/docker/nginx/nginx.conf" >"$d_ng/nginx.conf"
[ "$(id -u)" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d_ng"
if out=$(as_run nginx -t -q -p "$d_ng/" -c "$d_ng/nginx.conf" 2>&1); then
	ok "docker/nginx: nginx -t accepts the configuration"
	as_run nginx -p "$d_ng/" -c "$d_ng/nginx.conf" 2>>"$RC_VAR/log/deploy-nginx.log"
	for _ in $(seq 50); do [ -s "$d_ng/tmp/nginx.pid" ] && break; sleep 0.05; done
	req GET "http://127.0.0.1:$d_port/api/healthz"
	check "docker/nginx: /api/healthz through the TCP upstream" "200 api" "$R_CODE $(jget .pool)"
	req GET "https://127.0.0.1:$((d_port + 1))/api/readyz"
	check "docker/nginx: HTTPS /api/readyz" 200 "$R_CODE"
	check "docker/nginx: HSTS on TLS" "max-age=31536000" "$(header Strict-Transport-Security)"
	req GET "https://127.0.0.1:$((d_port + 1))/static/app.css"
	check "docker/nginx: static files" 200 "$R_CODE"
	req GET "http://127.0.0.1:$d_port/static/app.css?v=1" -H "Host: example.org:8080"
	check "docker/nginx: plain HTTP on 8080 redirects to 8443" "301 https://example.org:8443/static/app.css?v=1" \
		"$R_CODE $(header Location)"
	req POST "http://127.0.0.1:$d_port/auth/login" -H "Host: example.org" -d '{}'
	check "docker/nginx: plain HTTP via port 80 redirects to 443 (308 for POST)" "308 https://example.org/auth/login" \
		"$R_CODE $(header Location)"
	timeout 5 openssl s_client -connect "127.0.0.1:$((d_port + 1))" -tls1_2 -cipher AES128-SHA </dev/null >/dev/null 2>&1
	check "docker/nginx: the TLS profile refuses a CBC suite" 1 "$?"
	check "docker/nginx: nginx's own 429 and 503 pages" "2 0" \
		"$(grep -cE '^error_page (429 @too_many|503 @overloaded);' "$d_ng/replycast/locations.conf") $(grep -c 'front.conf' "$d_ng/replycast/locations.conf")"
	req GET "http://127.0.0.1:$((d_port + 2))/healthz"
	check "docker/nginx: its own /healthz on the status port" 200 "$R_CODE"
	pid_alive "$d_ng/tmp/nginx.pid" && kill -QUIT "$(cat "$d_ng/tmp/nginx.pid")"
else
	nok "docker/nginx: nginx -t accepts the configuration" "$out"
fi

if pid_alive "$d_pidf"; then
	d_pid=$(cat "$d_pidf")
	kill -TERM "$d_pid"
	for _ in $(seq 100); do kill -0 "$d_pid" 2>/dev/null || break; sleep 0.05; done
	if kill -0 "$d_pid" 2>/dev/null; then
		nok "entrypoint api 2: SIGTERM stops the pool"
		kill -KILL "$d_pid" 2>/dev/null
	else
		ok "entrypoint api 2: SIGTERM stops the pool"
	fi
fi
RC_PROBE_ADDR=127.0.0.1:$d_fcgi RC_PROBE_TIMEOUT=1 "$D_TMP/probe.sh" api healthz >/dev/null
check "probe: a stopped pool fails" 1 "$?"
rm -f "$d_pidf"

## npm-based linters (tests/deploy)
d_node=$D_ROOT/tests/deploy
if [ -x "$d_node/node_modules/.bin/dclint" ]; then
	if out=$(cd "$d_node" && node_modules/.bin/dclint --color=false -c dclint.json --max-warnings 0 \
		../../docker/docker-compose.yml 2>&1); then
		ok "compose: dclint (compose-spec schema and rules)"
	else
		nok "compose: dclint (compose-spec schema and rules)" "$(printf '%s\n' "$out" | grep -E 'error|warning' | head -8)"
	fi
	if out=$(node "$d_node/validate-compose.mjs" 2>&1); then
		ok "compose: references, scaling and pool rules ($(printf '%s\n' "$out" | grep -c '^pending') files pending)"
	else
		nok "compose: references, scaling and pool rules" "$(printf '%s\n' "$out" | grep FAIL | head -8)"
	fi
	if out=$(node "$d_node/validate-k8s.mjs" 2>&1); then
		ok "kubernetes: $(printf '%s\n' "$out" | tail -1) (kubernetes-models and the pod rules)"
	else
		nok "kubernetes: kubernetes-models and the pod rules" "$(printf '%s\n' "$out" | grep FAIL | head -8)"
	fi
	# The linters must catch what they claim to: a broken copy fails.
	sed 's/^    read_only: true/    read_only: true\n    no_such_key: 1/' "$D_ROOT/docker/docker-compose.yml" >"$D_TMP/bad-compose.yml"
	(cd "$d_node" && node_modules/.bin/dclint --color=false -c dclint.json "$D_TMP/bad-compose.yml" >/dev/null 2>&1)
	check "compose: dclint rejects an unknown key" 1 "$?"
	sed 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/; s/containerPort: 9000/containerPort: "9000"/' \
		"$D_ROOT/docker/k8s/20-pools.yaml" >"$D_TMP/bad-pools.yaml"
	node "$d_node/validate-k8s.mjs" "$D_TMP/bad-pools.yaml" >"$D_TMP/bad-pools.out" 2>&1
	check "kubernetes: a wrong type and a writable root fs are caught" "1 yes yes" \
		"$? $(grep -q 'containerPort must be integer' "$D_TMP/bad-pools.out" && echo yes) $(grep -q 'readOnlyRootFilesystem is not true' "$D_TMP/bad-pools.out" && echo yes)"
	# NetworkPolicies: none at all; pools open to every pod; a front that
	# reaches PostgreSQL.
	d_k8s=("$D_ROOT"/docker/k8s/[0-3]*.yaml)
	node "$d_node/validate-k8s.mjs" "${d_k8s[@]}" >"$D_TMP/bad-net0.out" 2>&1
	check "kubernetes: no NetworkPolicy is caught" "1 yes yes" \
		"$? $(grep -q 'no default deny' "$D_TMP/bad-net0.out" && echo yes) $(grep -q 'pool api: no policy admits the front' "$D_TMP/bad-net0.out" && echo yes)"
	sed '/^              app.kubernetes.io\/component: front$/d' "$D_ROOT/docker/k8s/40-network.yaml" >"$D_TMP/bad-net1.yaml"
	node "$d_node/validate-k8s.mjs" "${d_k8s[@]}" "$D_TMP/bad-net1.yaml" >"$D_TMP/bad-net1.out" 2>&1
	check "kubernetes: pools open to every pod are caught" "1 yes" \
		"$? $(grep -q 'ingress admits more than the front' "$D_TMP/bad-net1.out" && echo yes)"
	sed '0,/port: 9000/s//port: 5432/' "$D_ROOT/docker/k8s/40-network.yaml" >"$D_TMP/bad-net2.yaml"
	node "$d_node/validate-k8s.mjs" "${d_k8s[@]}" "$D_TMP/bad-net2.yaml" >"$D_TMP/bad-net2.out" 2>&1
	check "kubernetes: a front that reaches PostgreSQL is caught" "1 yes" \
		"$? $(grep -q 'other than the pools and migrate reach PostgreSQL' "$D_TMP/bad-net2.out" && echo yes)"
	sed 's/RC_REDIS_PASSWORD_FILE/RC_NO_SUCH_VARIABLE/; s/POSTGRES_USER: postgres/POSTGRES_USER: replycast/' \
		"$D_ROOT/docker/docker-compose.yml" >"$D_TMP/bad-compose2.yml"
	node "$d_node/validate-compose.mjs" "$D_TMP/bad-compose2.yml" >"$D_TMP/bad-compose2.out" 2>&1
	check "compose: no Redis password and a superuser DSN are caught" "1 yes yes" \
		"$? $(grep -q 'RC_REDIS_PASSWORD_FILE does not name' "$D_TMP/bad-compose2.out" && echo yes) $(grep -q 'as its superuser' "$D_TMP/bad-compose2.out" && echo yes)"
else
	nok "npm linters installed (tests/deploy: npm ci)" "no tests/deploy/node_modules/.bin/dclint"
fi

## systemd
d_units=$RC_PREFIX/lib/systemd/system
d_n=$(find "$d_units" -name 'replycast*' 2>/dev/null | wc -l)
check "systemd: make install put 7 units in \$(prefix)/lib/systemd/system" 7 "$d_n"
check "systemd: make install put the sysusers.d file" 1 "$(find "$RC_PREFIX/lib/sysusers.d" -name replycast.conf 2>/dev/null | wc -l)"
check "systemd: @bindir@ filled in" "" "$(grep -l '@bindir@' "$d_units"/replycast* 2>/dev/null)"
# verify checks the program ExecStart runs (spawn-fcgi for the pools), not
# the programs it is given as arguments (multiwatch, replycast-POOL): those
# are checked here.
d_missing=""
for p in $(grep -h '^ExecStart=' "$d_units"/replycast* 2>/dev/null | tr ' =' '\n' | grep '^/' | grep -v '\.sock$' | sort -u); do
	[ -x "$p" ] || d_missing="$d_missing $p"
done
check "systemd: every program path in ExecStart lines is an executable" "" "$d_missing"
if command -v systemd-analyze >/dev/null; then
	out=$(cd "$d_units" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./replycast* 2>&1)
	d_rc=$?
	check "systemd: systemd-analyze verify, no error and no warning" "0 " "$d_rc $out"
	# And it does notice a program that is not there.
	sed "s|$RC_PREFIX/bin/replycast-ingest|$RC_PREFIX/bin/no-such-program|" "$d_units/replycast-follow.service" \
		>"$D_TMP/replycast-follow.service"
	(cd "$D_TMP" && systemd-analyze verify ./replycast-follow.service >/dev/null 2>&1)
	check "systemd: verify fails on a missing ExecStart program" 1 "$?"
else
	nok "systemd-analyze is installed"
fi
