#!/bin/sh
# PostgreSQL's first start on an empty volume (the postgres image runs the
# files of /docker-entrypoint-initdb.d as its superuser, postgres): the
# handlers' role, replycast, is no superuser, cannot create roles or
# databases, and owns the database replycast and its schema, nothing else.
# Its password is the db_password secret; the superuser's is
# db_admin_password and stays with the operator.
set -eu
psql -v ON_ERROR_STOP=1 -X -q --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
\set pw `cat /run/secrets/db_password`
CREATE ROLE replycast LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pw';
CREATE DATABASE replycast OWNER replycast;
REVOKE ALL ON DATABASE replycast FROM PUBLIC;
\connect replycast
ALTER SCHEMA public OWNER TO replycast;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL
