#!/bin/bash
# Initialise the cluster on first start (empty volume), then become the postgres server.
# postgres must end up as PID 1: a "crash" fault kills PID 1 from the host and expects
# Docker to see the database server die.
set -euo pipefail

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  echo "db-entrypoint: empty $PGDATA, creating the cluster and database '$POSTGRES_DB'"
  # Superuser 'postgres' with trust over the local socket only; the app user needs a
  # password over TCP.
  as_postgres initdb -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"

  # Socket only while setting up, so that nothing (health checks included) sees a
  # half-initialised server on TCP.
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  as_postgres psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres \
    -v user="$POSTGRES_USER" -v pass="$POSTGRES_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'pass';
CREATE DATABASE :"db" OWNER :"user";
SQL
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "db-entrypoint: cluster ready"
fi

exec setpriv --reuid=postgres --regid=postgres --init-groups \
  postgres -D "$PGDATA" -c listen_addresses='*' "$@"
