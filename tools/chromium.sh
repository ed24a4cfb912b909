#!/usr/bin/env bash
# Install Debian's headless-capable Chromium, which the report.html test opens the report in.
# Idempotent: exits 0 at once when /usr/bin/chromium exists. Needs root and Debian's archive.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# A lock held by another apt run (a parallel build) is waited for rather than failed on.
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[[ -x /usr/bin/chromium ]] || { echo "chromium.sh: /usr/bin/chromium still missing after install" >&2; exit 1; }
