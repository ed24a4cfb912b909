# Shared by up.sh and down.sh. Everything a test swarm consists of carries the label
# faultline.test=swarm-<id>: three node containers, their /var/lib/docker volumes, one
# bridge network, and the cgroups /<node> their dockerd made on the host.
LABEL_KEY=faultline.test
OWNER_KEY=faultline.swarm.owner
say() { printf 'swarm: %s\n' "$*" >&2; }
die() { printf 'swarm: ERROR: %s\n' "$*" >&2; exit 1; }

# Removes one cluster by id: containers first (they hold the volumes and the network).
remove_cluster() {
  local id=$1 label="$LABEL_KEY=swarm-$1" c
  # In parallel: each node's /var/lib/docker holds the demo's images unpacked (about 2 GB to delete).
  local pids=()
  for c in $(docker ps -aq --filter "label=$label"); do
    docker rm -f -v "$c" >/dev/null 2>&1 & pids+=($!)
  done
  for c in "${pids[@]}"; do wait "$c" || true; done
  pids=()
  for c in $(docker volume ls -q --filter "label=$label"); do
    docker volume rm -f "$c" >/dev/null 2>&1 & pids+=($!)
  done
  for c in "${pids[@]}"; do wait "$c" || true; done
  for c in $(docker network ls -q --filter "label=$label"); do
    docker network rm "$c" >/dev/null 2>&1 || true
  done
  # The nodes' dockerd put their containers under /faultline-swarm-<id>-<role> in every
  # cgroup v1 hierarchy (v2: one tree); empty once the nodes are gone, removed deepest first.
  local d
  for d in /sys/fs/cgroup/*/"faultline-swarm-$id-"* /sys/fs/cgroup/"faultline-swarm-$id-"*; do
    [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# A process is the owner only if pid and start time both match (a reused pid does not).
owner_alive() {
  local pid=${1%%:*} start=${1#*:}
  [[ $1 == user ]] && return 0
  [[ -r /proc/$pid/stat ]] || return 1
  [[ $(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20) == "$start" ]]
}
