#!/bin/sh
# Prints the front container's locations.conf, made from the same template as
# script/server's (nginx/locations.conf.in), so that both serve the same
# routes, limits and error documents; the same for the plain-HTTP server's
# plain.conf (nginx/plain.conf.in):
#
#   docker/nginx/locations.sh [TEMPLATE] > locations.conf
#   docker/nginx/locations.sh nginx/plain.conf.in > plain.conf
#
# The data folder is /usr/share/replycast (static files only: the front image
# copies them), the includes come from /etc/nginx/replycast/, the bursts are
# RC_NGINX_API_BURST and RC_NGINX_LOGIN_BURST (200 and 10), and the
# bench/run hook (extra/server-*.conf) is left out.  So is the front secret
# (front.conf): in containers no address is trusted for /metrics, which
# wants an admin's token or key.  HTTP redirects to HTTPS on the port that
# nginx.conf's $rc_https_port_suffix picks.
set -eu
tpl=${1:-$(dirname "$0")/../../nginx/locations.conf.in}
# shellcheck disable=SC2016  # $rc_https_port_suffix is nginx's variable
sed -e 's|@DATA@/nginx/|/etc/nginx/replycast/|g' \
	-e 's|@DATA@|/usr/share/replycast|g' \
	-e "s|@API_BURST@|${RC_NGINX_API_BURST:-200}|g" \
	-e "s|@LOGIN_BURST@|${RC_NGINX_LOGIN_BURST:-10}|g" \
	-e 's|@HTTPS_PORT_SUFFIX@|$rc_https_port_suffix|g' \
	-e '/@VAR@\/nginx\/extra\//d' -e '/@VAR@\/nginx\/front\.conf/d' "$tpl"
