#!/bin/sh
# Prints the front container's locations.conf, made from the same template as
# script/server's (nginx/locations.conf.in), so that both serve the same
# routes, limits and error documents:
#
#   docker/nginx/locations.sh [TEMPLATE] > locations.conf
#
# The data folder is /usr/share/replycast (static files only: the front image
# copies them), the includes come from /etc/nginx/replycast/, the bursts are
# RC_NGINX_API_BURST and RC_NGINX_LOGIN_BURST (200 and 10), and the
# bench/run hook (extra/server-*.conf) is left out.
set -eu
tpl=${1:-$(dirname "$0")/../../nginx/locations.conf.in}
sed -e 's|@DATA@/nginx/|/etc/nginx/replycast/|g' \
	-e 's|@DATA@|/usr/share/replycast|g' \
	-e "s|@API_BURST@|${RC_NGINX_API_BURST:-200}|g" \
	-e "s|@LOGIN_BURST@|${RC_NGINX_LOGIN_BURST:-10}|g" \
	-e '/@VAR@\/nginx\/extra\//d' "$tpl"
