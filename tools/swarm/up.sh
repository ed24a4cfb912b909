#!/usr/bin/env bash
# Brings up a test swarm on the local engine without ever making that engine a swarm node:
# three Docker engines in containers (one manager, two workers) on a bridge network made for
# them, a swarm among them, the demo images loaded into each (docker save | docker load: no
# registry here) and the demo deployed with `docker stack deploy` (demo/swarm/stack.yml).
#
# Usage: tools/swarm/up.sh [-i ID] [-o OWNER] [-s STACK] [-n] [-f ENVFILE] [-I IMAGE]...
#   -i ID      cluster id (default: random); names are faultline-swarm-<id>-{manager,worker1,worker2}
#   -o OWNER   pid:start-ticks of the process that owns the cluster, or "user" (default). A cluster
#              whose owner is gone is removed by the next up.sh (a test JVM killed mid-run).
#   -s STACK   stack name (default shop)
#   -n         no stack: the swarm only
#   -I IMAGE   one more image to load into every node (e.g. faultline's helper image: the nodes
#              cannot pull); the newest faultline/helper image here and the base image always go in
#   -f ENVFILE where to write what a client needs (default: stdout), shell syntax:
#              SWARM_ID, SWARM_MANAGER (tcp://ip:2375), SWARM_NODES (name=ip ...),
#              SWARM_NODE_CONTAINERS (name=container ...), SWARM_STACK, SWARM_URL (published endpoint)
#
# Measured on these machines (docs/swarm.md): --privileged is refused, but these capabilities,
# unconfined profiles and the host's cgroup tree are enough for dockerd 26.1.5 in a container.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$HERE/common.sh"

ID="" OWNER=user STACK=shop DEPLOY=1 ENVFILE="" EXTRA=()
while getopts "i:o:s:nf:I:" opt; do
  case $opt in
    i) ID=$OPTARG ;; o) OWNER=$OPTARG ;; s) STACK=$OPTARG ;; n) DEPLOY=0 ;; f) ENVFILE=$OPTARG ;; I) EXTRA+=("$OPTARG") ;;
    *) die "usage: up.sh [-i ID] [-o OWNER] [-s STACK] [-n] [-f ENVFILE]" ;;
  esac
done
[[ -z $ID ]] && ID=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
[[ $ID =~ ^[a-z0-9]{1,16}$ ]] || die "-i must be 1 to 16 of [a-z0-9], got '$ID'"
[[ $STACK =~ ^[a-z][a-z0-9_-]{0,30}$ ]] || die "-s must match [a-z][a-z0-9_-]{0,30}, got '$STACK'"
[[ $OWNER == user || $OWNER =~ ^[0-9]+:[0-9]+$ ]] || die "-o must be 'user' or pid:start-ticks, got '$OWNER'"
START=$SECONDS
docker info >/dev/null 2>&1 || die "the Docker engine does not answer; run tools/engine-up.sh first"
[[ $(docker info --format '{{.Swarm.LocalNodeState}}') == inactive ]] \
  || die "the local engine is in swarm mode; this tool never touches a swarm engine (see docs/swarm.md)"

# --- leftovers of runs whose owner died -------------------------------------------------
for c in $(docker ps -aq --filter "label=$LABEL_KEY" --filter "label=$OWNER_KEY"); do
  labels=$(docker inspect -f "{{index .Config.Labels \"$LABEL_KEY\"}} {{index .Config.Labels \"$OWNER_KEY\"}}" "$c" 2>/dev/null) || continue
  old=${labels%% *}; owner=${labels#* }
  [[ $old == swarm-* ]] || continue
  if ! owner_alive "$owner"; then
    say "removing ${old} (its owner $owner is gone)"
    remove_cluster "${old#swarm-}"
  fi
done

# --- node image: built once per content (Dockerfile, entrypoint, base image) ------------
BASE=${BASE:-faultline/debian:trixie}
base_id=$(docker image inspect -f '{{.Id}}' "$BASE" 2>/dev/null) || die "base image $BASE does not exist; run make images"
hash=$( (cat "$HERE/node/Dockerfile" "$HERE/node/entrypoint.sh"; echo "$base_id") | sha256sum | cut -c1-12)
IMAGE=faultline/swarm-node:$hash
exec 9>/tmp/faultline-swarm-node-image.lock
flock 9
if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "building $IMAGE (once per content)"
  out=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$BASE" -t "$IMAGE" "$HERE/node" 2>&1) \
    || { printf '%s\n' "$out" | tail -n 30 >&2; die "building $IMAGE failed"; }
fi
flock -u 9

# --- network and nodes, in parallel ----------------------------------------------------
PREFIX=faultline-swarm-$ID
LABELS=(--label "$LABEL_KEY=swarm-$ID" --label "$OWNER_KEY=$OWNER")
NET=$PREFIX
cleanup_on_error() { say "failed; removing swarm-$ID"; remove_cluster "$ID"; }
trap cleanup_on_error ERR
docker network create "${LABELS[@]}" "$NET" >/dev/null
ROLES=(manager worker1 worker2)
start_node() {
  local name=$PREFIX-$1
  docker volume create "${LABELS[@]}" "$name" >/dev/null
  docker run -d --name "$name" --hostname "$name" --network "$NET" "${LABELS[@]}" \
    --label faultline.swarm.role="$1" \
    --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add MKNOD --cap-add SYS_PTRACE --cap-add NET_RAW \
    --cap-add SYS_CHROOT --cap-add AUDIT_WRITE --cap-add SETFCAP \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
    --cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw -v "$name:/var/lib/docker" \
    -e FAULTLINE_NODE="$name" "$IMAGE" >/dev/null
}
pids=()
for r in "${ROLES[@]}"; do start_node "$r" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
declare -A IP
for r in "${ROLES[@]}"; do
  IP[$r]=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$PREFIX-$r")
done
on() { local r=$1; shift; docker -H "tcp://${IP[$r]}:2375" "$@"; }
for r in "${ROLES[@]}"; do
  for _ in $(seq 1 120); do on "$r" version >/dev/null 2>&1 && break; sleep 0.5; done
  on "$r" version >/dev/null 2>&1 || { docker logs --tail 20 "$PREFIX-$r" >&2; die "dockerd in $PREFIX-$r did not answer within 60 s"; }
done
say "3 engines up ($((SECONDS - START)) s)"

# --- the swarm ----------------------------------------------------------------------------
on manager swarm init --advertise-addr "${IP[manager]}" >/dev/null
token=$(on manager swarm join-token -q worker)
for r in worker1 worker2; do on "$r" swarm join --token "$token" "${IP[manager]}:2377" >/dev/null & pids+=($!); done
wait
say "swarm formed ($((SECONDS - START)) s)"

# --- images: saved once per set of image ids, loaded into the nodes in parallel ------------
mapfile -t HELPERS < <(docker images --format '{{.Repository}}:{{.Tag}}' faultline/helper | head -n1)
IMAGES=(faultline-demo/db:latest faultline-demo/web:latest faultline-demo/nginx:latest "$BASE" "${HELPERS[@]}" "${EXTRA[@]}")
mapfile -t IMAGES < <(printf '%s\n' "${IMAGES[@]}" | sort -u)
ids=$(docker image inspect -f '{{.Id}}' "${IMAGES[@]}" | sha256sum | cut -c1-12)
TAR=/tmp/faultline-swarm-images-$ids.tar
exec 9>/tmp/faultline-swarm-images.lock
flock 9
if [[ ! -s $TAR ]]; then
  rm -f /tmp/faultline-swarm-images-*.tar
  docker save -o "$TAR.part" "${IMAGES[@]}" && mv "$TAR.part" "$TAR"
fi
flock -u 9
pids=()
for r in "${ROLES[@]}"; do on "$r" load -q -i "$TAR" >/dev/null & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
say "images loaded: ${IMAGES[*]} ($((SECONDS - START)) s)"

URL=""
if ((DEPLOY)); then
  SWARM_PORT=8080 on manager stack deploy --resolve-image never -c "$ROOT/demo/swarm/stack.yml" "$STACK" >/dev/null
  URL="http://${IP[manager]}:8080"
  for _ in $(seq 1 240); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/health/" || true) == 200 ]] \
      && [[ $(on manager service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Replicas}}' | awk -F'[/ ]' '$1 != $2' | wc -l) == 0 ]] \
      && break
    sleep 0.5
  done
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/health/" || true) == 200 ]] \
    || { on manager service ps --no-trunc "${STACK}_web" "${STACK}_db" >&2 || true; die "$URL/health/ did not answer 200 within 120 s"; }
  say "stack $STACK deployed, $URL/health/ answers 200 ($((SECONDS - START)) s)"
fi
trap - ERR

nodes="" containers=""
for r in "${ROLES[@]}"; do nodes+="$PREFIX-$r=${IP[$r]} "; containers+="$PREFIX-$r=$(docker inspect -f '{{.Id}}' "$PREFIX-$r") "; done
out="SWARM_ID=$ID
SWARM_MANAGER=tcp://${IP[manager]}:2375
SWARM_NODES='${nodes% }'
SWARM_NODE_CONTAINERS='${containers% }'
SWARM_STACK=$STACK
SWARM_URL=$URL"
if [[ -n $ENVFILE ]]; then printf '%s\n' "$out" >"$ENVFILE"; else printf '%s\n' "$out"; fi
