#!/usr/bin/env bash
# Removes a test swarm made by up.sh: its node containers (with their engines, tasks and
# overlay networks inside), volumes, bridge network and cgroups. Idempotent.
# Usage: tools/swarm/down.sh ID...   |   tools/swarm/down.sh -a  (every test swarm on this engine)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/common.sh"
[[ $# -gt 0 ]] || die "usage: down.sh ID... | down.sh -a"
ids=("$@")
if [[ $1 == -a ]]; then
  mapfile -t ids < <(docker ps -a --filter "label=$LABEL_KEY" --format "{{.Label \"$LABEL_KEY\"}}" | grep '^swarm-' | sed 's/^swarm-//' | sort -u)
fi
for id in "${ids[@]}"; do
  [[ $id =~ ^[a-z0-9]{1,16}$ ]] || die "an id is 1 to 16 of [a-z0-9], got '$id'"
  remove_cluster "$id"
  left=$(docker ps -aq --filter "label=$LABEL_KEY=swarm-$id"; docker volume ls -q --filter "label=$LABEL_KEY=swarm-$id"; docker network ls -q --filter "label=$LABEL_KEY=swarm-$id")
  [[ -z $left ]] || die "swarm-$id: could not remove: $left"
  say "swarm-$id removed"
done
