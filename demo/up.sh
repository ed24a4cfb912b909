#!/usr/bin/env bash
# Bring the demo stack up from a known state and wait until it serves /health/.
#
# Usage: demo/up.sh [-p PROJECT] [resilient|fragile|lossy|pooled]
#   PROJECT   Compose project name (default: demo, what Compose derives from this folder)
#   resilient docker-compose.yml (default)
#   fragile   docker-compose.fragile.yml
#   lossy     docker-compose.yml + docker-compose.lossy.yml (acknowledged writes get lost)
#   pooled    docker-compose.pooled.yml (Django keeps its database connections, 2 workers, nginx gives up after 3 s)
# Environment:
#   DEMO_PORT                published port of nginx (default 8081)
#   FAULTLINE_UP_TIMEOUT     seconds to wait for /health/ = 200 (default 120)
#
# Whatever a previous run left under PROJECT (containers, network, volume) is removed
# first. Different projects on different ports can be brought up concurrently.
# Exit status: 0 up and healthy; 1 failed (the logs' tail is printed); 2 bad usage.
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=demo/compose.sh
source "$DEMO/compose.sh"

usage() { echo "usage: $0 [-p PROJECT] [resilient|fragile|lossy|pooled]" >&2; exit 2; }

project=demo
while getopts ":p:h" opt; do
  case $opt in
    p) project=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
config=${1:-resilient}
(($# <= 1)) || usage

port=${DEMO_PORT:-8081}
timeout_s=${FAULTLINE_UP_TIMEOUT:-120}
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) \
  || die "DEMO_PORT must be a port number 1..65535, got '$port'"
[[ $timeout_s =~ ^[0-9]+$ ]] && ((timeout_s >= 1)) \
  || die "FAULTLINE_UP_TIMEOUT must be whole seconds >= 1, got '$timeout_s'"
compose_files "$config" || usage
check_project "$project"

docker info >/dev/null 2>&1 || die "the Docker engine does not answer; run tools/engine-up.sh first"

for name in db web nginx; do
  if ! docker image inspect "faultline-demo/$name:latest" >/dev/null 2>&1; then
    say "image faultline-demo/$name:latest missing: building images"
    "$DEMO/images.sh"
    break
  fi
done

export DEMO_PORT=$port
say "project $project, $config, port $port: removing what a previous run left"
if ! out=$(compose "$project" down -v --remove-orphans 2>&1); then
  printf '%s\n' "$out" >&2
  die "could not remove the previous state of project '$project'"
fi
say "starting"
start=$SECONDS
if ! compose "$project" up -d --no-build; then
  fail "$project" "docker-compose up failed"
fi

url="http://localhost:$port/health/"
code=000
while ((SECONDS - start < timeout_s)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" || true)
  [[ $code == 200 ]] && break
  sleep 0.5
done
[[ $code == 200 ]] || fail "$project" "$url did not answer 200 within ${timeout_s}s (last status: $code)"

# Callers check a steady state next, which may read Docker's health status: wait until
# no container with a health check is still "starting".
while :; do
  states=$(docker ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}: {{.Status}}')
  grep -qE 'health: starting|unhealthy|Exited' <<<"$states" || break
  ((SECONDS - start < timeout_s)) \
    || fail "$project" "containers not all running and healthy within ${timeout_s}s: $(tr '\n' ' ' <<<"$states")"
  sleep 0.5
done
say "up: $config stack '$project' healthy on http://localhost:$port/ after $((SECONDS - start))s"
