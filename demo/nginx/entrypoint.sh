#!/bin/bash
# Pick the configuration named by NGINX_PROFILE (resilient | fragile) and become nginx
# (PID 1, in the foreground).
set -euo pipefail
conf=/etc/nginx/faultline/${NGINX_PROFILE:-resilient}.conf
if [[ ! -f $conf ]]; then
  echo "nginx-entrypoint: NGINX_PROFILE must be 'resilient', 'fragile' or 'pooled' (mounted), got '${NGINX_PROFILE}'" >&2
  exit 2
fi
exec nginx -c "$conf" -g 'daemon off;'
