#!/usr/bin/env bash
# Build the demo's three images: faultline-demo/{db,web,nginx}:latest.
#
# Fast when nothing changed (Docker's layer cache). The base image is picked here:
#   BASE from the environment if set; else debian:trixie-slim if it is here or can be
#   pulled within FAULTLINE_PULL_TIMEOUT seconds (default 20); else faultline/debian:trixie,
#   which tools/base-image.sh makes (debootstrap + import) when no registry is reachable.
# Safe to run concurrently: builds are serialised with a lock file.
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$DEMO")
PULL_TIMEOUT=${FAULTLINE_PULL_TIMEOUT:-20}
LOCK=${FAULTLINE_IMAGES_LOCK:-/tmp/faultline-demo-images.lock}

say() { printf 'images: %s\n' "$*"; }
die() { printf 'images: ERROR: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "the Docker engine does not answer; run tools/engine-up.sh first"

exec 9>"$LOCK"
flock 9

"$ROOT/tools/base-image.sh"

if [[ -z ${BASE:-} ]]; then
  if docker image inspect debian:trixie-slim >/dev/null 2>&1; then
    BASE=debian:trixie-slim
  elif ((PULL_TIMEOUT > 0)) && timeout "$PULL_TIMEOUT" docker pull -q debian:trixie-slim >/dev/null 2>&1; then
    BASE=debian:trixie-slim
  else
    BASE=faultline/debian:trixie
  fi
fi
docker image inspect "$BASE" >/dev/null 2>&1 || die "base image '$BASE' does not exist"
say "base image: $BASE"

for name in db web nginx; do
  start=$SECONDS
  # Output only on failure: a cached build has nothing worth reading.
  if ! out=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$BASE" \
        -t "faultline-demo/$name:latest" "$DEMO/$name" 2>&1); then
    printf '%s\n' "$out" | tail -n 40 >&2
    die "building faultline-demo/$name failed"
  fi
  say "faultline-demo/$name:latest ready ($((SECONDS - start))s)"
done
