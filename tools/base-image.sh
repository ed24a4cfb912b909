#!/usr/bin/env bash
# Make sure the base image every faultline image builds FROM exists.
#
# Usage: tools/base-image.sh [TAG]        (default TAG: faultline/debian:trixie)
#
# The cheapest path that works wins, and the script says which one it took:
#   1. TAG is already there                      -> nothing to do
#   2. debian:trixie-slim is here, or pullable   -> tag it as TAG
#      within FAULTLINE_PULL_TIMEOUT seconds (default 20; 0 = do not try)
#   3. otherwise (no registry reachable)         -> debootstrap a minbase trixie from
#      FAULTLINE_DEBIAN_MIRROR (default http://deb.debian.org/debian) and docker import it
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

TAG=${1:-faultline/debian:trixie}
SLIM=debian:trixie-slim
PULL_TIMEOUT=${FAULTLINE_PULL_TIMEOUT:-20}
MIRROR=${FAULTLINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf 'base-image: %s\n' "$*"; }
die() { printf 'base-image: ERROR: %s\n' "$*" >&2; exit 1; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

docker info >/dev/null 2>&1 || die "the Docker engine does not answer; run tools/engine-up.sh first"

if have_image "$TAG"; then
  say "$TAG present: nothing to do (path: present)"
  exit 0
fi

if have_image "$SLIM"; then
  docker tag "$SLIM" "$TAG"
  say "$TAG tagged from local $SLIM (path: local slim)"
  exit 0
fi

[[ $PULL_TIMEOUT =~ ^[0-9]+$ ]] || die "FAULTLINE_PULL_TIMEOUT must be a whole number of seconds >= 0, got '$PULL_TIMEOUT'"
if ((PULL_TIMEOUT == 0)); then
  say "FAULTLINE_PULL_TIMEOUT=0: not trying to pull $SLIM"
elif say "trying to pull $SLIM (at most ${PULL_TIMEOUT}s)" && timeout "$PULL_TIMEOUT" docker pull -q "$SLIM" >/dev/null 2>&1 && have_image "$SLIM"; then
  docker tag "$SLIM" "$TAG"
  say "$TAG tagged from pulled $SLIM (path: pull)"
  exit 0
fi

# No registry: build the root filesystem from Debian's archive, which is reachable.
[[ $(id -u) -eq 0 ]] || die "debootstrap needs root"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed; run tools/engine-up.sh first"

ROOTFS=$(mktemp -d /tmp/faultline-rootfs.XXXXXX)
# The rootfs holds device nodes and root-owned files: always remove it, also on failure.
trap 'rm -rf --one-file-system "$ROOTFS"' EXIT

say "no $SLIM: debootstrap --variant=minbase trixie from $MIRROR into $ROOTFS"
start=$SECONDS
if ! debootstrap --variant=minbase trixie "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1; then
  tail -n 20 "$ROOTFS.log" >&2
  rm -f "$ROOTFS.log"
  die "debootstrap failed (is $MIRROR reachable?)"
fi
rm -f "$ROOTFS.log"

# Smaller image, and apt inside a build starts from a fresh `apt-get update` anyway.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*

tar -C "$ROOTFS" --numeric-owner -c . \
  | docker import --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$TAG" >/dev/null \
  || die "docker import of the debootstrapped rootfs failed"
say "$TAG imported from a debootstrapped rootfs in $((SECONDS - start))s (path: debootstrap)"
