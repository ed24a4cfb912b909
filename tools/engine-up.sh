#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine, installing it first if needed.
#
# Idempotent: with a running engine and everything installed it only checks and exits 0.
# Machines here have no systemd (PID 1 is something else), so dockerd is started by hand
# in the background; systemctl is used only when systemd really is PID 1.
#
# Environment:
#   FAULTLINE_DOCKERD_LOG   where dockerd's output goes (default /var/log/faultline-dockerd.log)
#   FAULTLINE_ENGINE_WAIT   seconds to wait for `docker info` after starting (default 60)
set -euo pipefail

LOG=${FAULTLINE_DOCKERD_LOG:-/var/log/faultline-dockerd.log}
WAIT=${FAULTLINE_ENGINE_WAIT:-60}
PIDFILE=/var/run/docker.pid
# dockerd and iptables live in /usr/sbin, which a non-login root shell may lack on PATH.
export PATH="$PATH:/usr/sbin:/sbin"

say() { printf 'engine-up: %s\n' "$*"; }
die() { printf 'engine-up: ERROR: %s\n' "$*" >&2; exit 1; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }
# /proc rather than ps: a minimal machine may have no procps.
comm_of() { cat "/proc/$1/comm" 2>/dev/null || true; }
# A dead dockerd whose parent does not reap it stays as a zombie: that one does not count.
dockerd_runs() {
  local f pid
  for f in $(grep -lsx dockerd /proc/[0-9]*/comm); do
    pid=${f#/proc/}; pid=${pid%/comm}
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] && return 0
  done
  return 1
}

# --- 1. tools -------------------------------------------------------------------------
# command -> Debian package that provides it. curl is here because demo/up.sh polls with it.
# The docker CLI is part of docker.io up to bookworm, its own docker-cli package from
# trixie on: where apt knows no docker-cli, docker.io is installed instead.
declare -A NEEDED=(
  [dockerd]=docker.io
  [docker]=docker-cli
  [docker-compose]=docker-compose
  [debootstrap]=debootstrap
  [curl]=curl
)
missing=()
for cmd in "${!NEEDED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEEDED[$cmd]}")
done
read -r -a missing <<<"$(printf '%s\n' "${missing[@]-}" | sort -u | tr '\n' ' ')"

if ((${#missing[@]} > 0)); then
  [[ $(id -u) -eq 0 ]] || die "missing packages (${missing[*]}) and not root: run as root, or install them yourself"
  command -v apt-get >/dev/null 2>&1 \
    || die "missing packages (${missing[*]}) and no apt-get: this script installs only on Debian/Ubuntu"
  export DEBIAN_FRONTEND=noninteractive
  say "missing commands; apt-get update first"
  apt-get update -q || die "apt-get update failed (is Debian's archive reachable?)"
  if [[ " ${missing[*]} " == *" docker-cli "* ]]; then
    policy=$(apt-cache policy docker-cli 2>/dev/null || true)
    [[ $policy =~ Candidate:\ [0-9] ]] || missing=("${missing[@]/docker-cli/docker.io}")
  fi
  say "installing ${missing[*]} with apt-get"
  # With recommends: docker.io recommends apparmor, without which dockerd cannot start
  # containers on kernels that enforce AppArmor.
  apt-get install -y -q "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
else
  say "docker, docker-compose, debootstrap, curl: installed"
fi

# --- 2. engine ------------------------------------------------------------------------
if engine_answers; then
  say "engine already answers ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null))"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "the Docker engine does not answer and only root can start it"

if [[ $(comm_of 1) == systemd ]]; then
  say "systemd is PID 1: systemctl start docker"
  systemctl start docker || die "systemctl start docker failed; see: journalctl -u docker"
else
  # A dockerd that runs but does not answer yet (just started by someone else) is waited
  # for, not duplicated. A pid file whose process is gone is stale: remove it, so an
  # older dockerd cannot refuse to start because of it.
  running=""
  if [[ -s $PIDFILE ]]; then
    pid=$(cat "$PIDFILE")
    if [[ $pid =~ ^[0-9]+$ && $(comm_of "$pid") == dockerd \
          && $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]]; then
      running=$pid
      say "dockerd (pid $pid) runs but does not answer yet; waiting for it"
    else
      say "removing stale $PIDFILE (pid ${pid:-?} is not a running dockerd)"
      rm -f "$PIDFILE"
    fi
  fi
  if [[ -z $running ]]; then
    say "starting dockerd, log in $LOG"
    mkdir -p "$(dirname "$LOG")"
    # setsid + nohup: dockerd must outlive this script and the shell that ran it.
    (setsid nohup dockerd </dev/null >>"$LOG" 2>&1 &)
  fi
fi

reason="did not answer within ${WAIT}s"
for ((i = 0; i < WAIT; i++)); do
  if engine_answers; then
    say "engine up after ${i}s ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null))"
    exit 0
  fi
  # Waiting on a dockerd that already died would only delay the error.
  if ((i >= 2)) && [[ $(comm_of 1) != systemd ]] && ! dockerd_runs; then
    reason="exited after ${i}s"
    break
  fi
  sleep 1
done

printf 'engine-up: ERROR: the Docker engine %s. Last lines of %s:\n' "$reason" "$LOG" >&2
tail -n 30 "$LOG" >&2 2>/dev/null || true
exit 1
