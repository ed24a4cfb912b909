#!/usr/bin/env bash
# Executable description of how the demo configurations behave under the faults that
# faultline's experiments use. Each configuration runs in its own project, taken down at
# the end (also on failure or Ctrl-C).
#
# Usage: demo/check.sh [resilient|fragile|lossy ...]     (default: all three)
# Environment: DEMO_CHECK_PORT  first port to use (default 18390; one per configuration)
#
# Needs root in the host's PID namespace (or falls back to a helper container with
# --pid host) to SIGKILL a container's PID 1 from outside: `docker kill` would not do,
# since Docker never applies a restart policy after its own kill.
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=demo/compose.sh
source "$DEMO/compose.sh"

configs=("$@")
((${#configs[@]} > 0)) || configs=(resilient fragile lossy)
port=${DEMO_CHECK_PORT:-18390}
failures=0
projects=()

cleanup() {
  local p
  for p in "${projects[@]-}"; do
    [[ -n $p ]] && "$DEMO/down.sh" -p "$p" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

pass() { printf 'check: PASS %s\n' "$*"; }
flunk() { printf 'check: FAIL %s\n' "$*"; failures=$((failures + 1)); }
expect() { # expect NAME EXPECTED ACTUAL
  if [[ $2 == "$3" ]]; then pass "$1 ($3)"; else flunk "$1: expected $2, got $3"; fi
}

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true; }
container() { # container PROJECT SERVICE -> id
  docker ps -aq --filter "label=com.docker.compose.project=$1" \
    --filter "label=com.docker.compose.service=$2" | head -n1
}
crash() { # SIGKILL the container's PID 1 from outside its PID namespace
  local pid
  pid=$(docker inspect -f '{{.State.Pid}}' "$1")
  if [[ -d /proc/$pid ]] && kill -9 "$pid" 2>/dev/null; then
    return
  fi
  docker run --rm --pid host --label faultline.check=1 faultline/debian:trixie kill -9 "$pid"
}
wait_for() { # wait_for SECONDS COMMAND...: true once COMMAND succeeds
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
db_ready() { docker exec "$1" pg_isready -q -h 127.0.0.1 -U demo -d demo; }
serves() { [[ $(status "$1") == 200 ]]; }
codes() { # codes N URL -> N status codes, space-separated
  local i out=()
  for ((i = 0; i < $1; i++)); do out+=("$(status "$2")"); done
  echo "${out[*]}"
}

check_resilient() {
  local p=$1 base=$2 id web db t0
  id=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"item":"check"}' "$base/api/orders/" \
    | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
  [[ -n $id ]] && pass "resilient: POST /api/orders/ acknowledged id $id" || flunk "resilient: POST gave no id"
  expect "resilient: GET /api/orders/$id/" 200 "$(status "$base/api/orders/$id/")"
  expect "resilient: GET /api/orders/999999/" 404 "$(status "$base/api/orders/999999/")"
  expect "resilient: POST with a broken JSON body" 400 \
    "$(status -X POST -H 'Content-Type: application/json' -d '{oops' "$base/api/orders/")"
  expect "resilient: GET /" 200 "$(status "$base/")"

  db=$(container "$p" db)
  codes 30 "$base/" >/dev/null # every worker now holds a database connection
  docker restart "$db" >/dev/null
  wait_for 30 db_ready "$db" || flunk "resilient: db not ready 30 s after restart"
  expect "resilient: 10 x GET / once the restarted db is ready (connection health checks)" \
    "200 200 200 200 200 200 200 200 200 200" "$(codes 10 "$base/")"

  web=$(container "$p" web)
  t0=$SECONDS
  crash "$web"
  if wait_for 30 serves "$base/"; then
    pass "resilient: web SIGKILLed from the host serves again after $((SECONDS - t0)) s"
  else
    flunk "resilient: web SIGKILLed from the host did not serve again within 30 s"
  fi
  expect "resilient: web restarted by Docker's restart policy (restart count)" 1 \
    "$(docker inspect -f '{{.RestartCount}}' "$web")"
}

check_fragile() {
  local p=$1 base=$2 web db
  db=$(container "$p" db)
  web=$(container "$p" web)
  codes 5 "$base/" >/dev/null
  docker restart "$db" >/dev/null
  wait_for 30 db_ready "$db" || flunk "fragile: db not ready 30 s after restart"
  expect "fragile: 6 x GET / once the restarted db is ready (one stale connection, one worker)" \
    "500 200 200 200 200 200" "$(codes 6 "$base/")"
  local logs
  logs=$(docker logs --since 60s "$web" 2>&1)
  if [[ $logs == *"Traceback (most recent call last)"* ]]; then
    pass "fragile: the 500's traceback is in the web container's log"
  else
    flunk "fragile: no traceback in the web container's log"
  fi

  crash "$web"
  wait_for 10 bash -c "[[ \$(docker inspect -f '{{.State.Status}}' $web) == exited ]]" || true
  sleep 3 # long enough for a restart policy to have acted, had there been one
  expect "fragile: web SIGKILLed from the host stays down (state, restart count)" "exited 0" \
    "$(docker inspect -f '{{.State.Status}} {{.RestartCount}}' "$web")"
}

check_lossy() {
  local base=$2 i id lost=() kept=0
  for ((i = 0; i < 10; i++)); do
    id=$(curl -s -X POST -d 'item=lossy' "$base/api/orders/" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
    if [[ $(status "$base/api/orders/$id/") == 404 ]]; then lost+=("$id"); else kept=$((kept + 1)); fi
  done
  expect "lossy: of 10 acknowledged orders, ids lost" "5 10" "${lost[*]-}"
}

for config in "${configs[@]}"; do
  compose_files "$config" >/dev/null || { echo "usage: $0 [resilient|fragile|lossy ...]" >&2; exit 2; }
  project="fl-check-$config-$$"
  projects+=("$project")
  say "check: $config on port $port (project $project)"
  if ! DEMO_PORT=$port "$DEMO/up.sh" -p "$project" "$config" >/dev/null 2>&1; then
    flunk "$config: demo/up.sh failed"
  else
    "check_$config" "$project" "http://localhost:$port"
  fi
  "$DEMO/down.sh" -p "$project" >/dev/null 2>&1 || true
  port=$((port + 1))
done

if ((failures > 0)); then
  echo "check: $failures check(s) failed"
  exit 1
fi
echo "check: all passed"
