# shellcheck shell=bash
# Secrets and the TLS certificate (sourced by script/lib.sh).

# Secrets made once per var folder, readable by the run user only.  A
# secrets folder or file someone else made (another owner, or readable by
# others) is refused, never used: it could hold a key they know.
secrets_make() {
	local d=$RC_VAR/secrets f
	if [ -e "$d" ] || [ -L "$d" ]; then
		rc_var_owned "$d" || rc_die "$d is not $RC_RUN_USER's alone: refusing its secrets"
		for f in "$d"/*; do
			[ -e "$f" ] || continue
			[ -f "$f" ] && [ ! -L "$f" ] && [ "$(stat -c '%U %a' "$f")" = "$RC_RUN_USER 600" ] ||
				rc_die "$f is not $RC_RUN_USER's with mode 0600: refusing it"
		done
	else
		(umask 077 && mkdir "$d") || rc_die "cannot make $d"
	fi
	(
		umask 077
		[ -s "$d/jwt.key" ] || openssl rand -base64 48 | tr -d '\n' >"$d/jwt.key"
		[ -s "$d/neynar.secret" ] || openssl rand -hex 24 | tr -d '\n' >"$d/neynar.secret"
		[ -s "$d/redis.secret" ] || openssl rand -hex 24 | tr -d '\n' >"$d/redis.secret"
		[ -s "$d/front.secret" ] || openssl rand -hex 24 | tr -d '\n' >"$d/front.secret"
	)
	chmod 600 "$d"/*
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	return 0
}

tls_cert() {
	[ -f "$RC_VAR/tls/cert.pem" ] && return 0
	rc_log "generating a self-signed P-256 certificate"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$RC_VAR/tls/key.pem" -out "$RC_VAR/tls/cert.pem" -days 825 \
		-subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		>/dev/null 2>&1 || rc_die "openssl could not make a certificate"
	chmod 600 "$RC_VAR/tls/key.pem"
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$RC_VAR/tls"
}
