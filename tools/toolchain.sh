#!/usr/bin/env bash
# Make sure the build tools are here: make, a JDK (17 or newer: javac, jshell) and Maven.
# Installs what is missing with Debian's packages (default-jdk-headless is 17 on
# bookworm and 21 on trixie; the build compiles with --release 17 on either).
# Idempotent: with everything present it only checks.
set -euo pipefail

say() { printf 'toolchain: %s\n' "$*"; }
die() { printf 'toolchain: ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
command -v make >/dev/null 2>&1 || missing+=(make)
if ! command -v javac >/dev/null 2>&1 || ! command -v jshell >/dev/null 2>&1; then
  missing+=(default-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || missing+=(maven)

if ((${#missing[@]} > 0)); then
  [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]} and not root: run as root, or install them yourself"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get: install them yourself"
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || die "apt-get update failed (is Debian's archive reachable?)"
  apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
fi

version=$(javac -version 2>&1 | awk '{print $2}')
[[ ${version%%.*} -ge 17 ]] 2>/dev/null || die "javac $version found on PATH; the build needs a JDK 17 or newer"
# Whole output first: `| head` would SIGPIPE mvn and, with pipefail, end the script.
maven=$(mvn -B -v 2>/dev/null || true)
maven=$(sed -n '1s/\x1b\[[0-9;]*m//g; 1p' <<<"$maven" | awk '{print $3}')
say "make, JDK $version, Maven $maven: ready"
