#!/bin/bash
# Migrate, then become Gunicorn. Gunicorn's master must be PID 1 (exec): a "crash" fault
# kills PID 1 from the host and expects Docker to see the server die.
#
# Knobs (environment; the compose files set them per configuration):
#   GUNICORN_WORKERS (3)  GUNICORN_TIMEOUT (30)  GUNICORN_GRACEFUL_TIMEOUT (10)
#   DB_WAIT_SECONDS (60): how long to retry migrations while the database is not up yet,
#     since the fragile configuration starts web without waiting for a healthy db.
set -euo pipefail

wait_s=${DB_WAIT_SECONDS:-60}
start=$SECONDS
until python3 manage.py migrate --noinput; do
  if ((SECONDS - start >= wait_s)); then
    echo "web-entrypoint: migrations still failing after ${wait_s}s, giving up" >&2
    exit 1
  fi
  echo "web-entrypoint: database not ready, retrying migrations in 1s" >&2
  sleep 1
done

exec gunicorn demoapp.wsgi:application \
  --bind 0.0.0.0:8000 \
  --workers "${GUNICORN_WORKERS:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-10}" \
  --access-logfile - \
  --error-logfile - \
  --log-level info
