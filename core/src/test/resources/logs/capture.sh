#!/usr/bin/env bash
# How the log fixtures next to this script were captured: the demo stack under each of the four
# seed faults, with a light curl load, then `docker logs --timestamps` of every service for the
# fault's window. Kept so the fixtures can be captured again when the demo changes.
# Usage (from the repository root): core/src/test/resources/logs/capture.sh [STEP...]
#   STEP: crash-web restart-db cpu-stress-web latency-web-db (default: all four)
# Needs the demo images (make images). Creates projects fl-rep-cap-r / fl-rep-cap-f and removes them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)
OUT=$ROOT/core/src/test/resources/logs
HELPER=$(docker images --format '{{.Repository}}:{{.Tag}}' faultline/helper | head -n1)
R=fl-rep-cap-r; F=fl-rep-cap-f; RP=18471; FP=18472
cleanup() { "$ROOT/demo/down.sh" -p $R >/dev/null 2>&1 || true; "$ROOT/demo/down.sh" -p $F >/dev/null 2>&1 || true; }
trap cleanup EXIT
cid() { docker ps -aq --filter "label=com.docker.compose.project=$1" --filter "label=com.docker.compose.service=$2" | head -n1; }
now() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }
load() { # load PORT SECONDS: ~10 requests/s of GET / and POST /api/orders/
  local end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$1/" &
    curl -s -o /dev/null --max-time 5 -X POST -d item=x "http://127.0.0.1:$1/api/orders/" &
    sleep 0.2
  done
  wait
}
save() { # save DIR PROJECT SINCE FAULT-DESCRIPTION INJECTED-AT
  mkdir -p "$OUT/$1"
  local s
  for s in nginx web db; do
    docker logs --timestamps --since "$3" "$(cid "$2" $s)" > "$OUT/$1/$s.log" 2>&1 || true
  done
  printf 'fault=%s\ninjected=%s\nproject=%s\n' "$4" "$5" "$2" > "$OUT/$1/fault.properties"
}
crash() { docker run --rm --pid host --label faultline.capture=1 "$HELPER" kill -9 "$(docker inspect -f '{{.State.Pid}}' "$1")"; }

steps=" ${*:-crash-web restart-db cpu-stress-web latency-web-db} "
want() { [[ $steps == *" $1 "* ]]; }
if want crash-web || want cpu-stress-web; then DEMO_PORT=$RP "$ROOT/demo/up.sh" -p $R resilient; fi
if want restart-db || want latency-web-db; then DEMO_PORT=$FP "$ROOT/demo/up.sh" -p $F fragile; fi

# 1. crash web (resilient: the restart policy brings Gunicorn back)
if want crash-web; then
t0=$(now); load $RP 3; t1=$(now); crash "$(cid $R web)"; load $RP 12
save crash-web $R "$t0" "SIGKILL to web's PID 1 from the host PID namespace" "$t1"
fi

# 2. restart db (fragile: no connection health checks, stale connections)
if want restart-db; then
t0=$(now); load $FP 3; t1=$(now); docker restart "$(cid $F db)" >/dev/null; load $FP 12
save restart-db $F "$t0" "docker restart db" "$t1"
fi

# 3. CPU stress on web (resilient): burners charged to web's cgroup for 12 s
if want cpu-stress-web; then
t0=$(now); load $RP 3; t1=$(now)
docker exec -d -u 0 "$(cid $R web)" sh -c 'for i in 1 2 3 4; do timeout 12 sh -c "while :; do :; done" & done; wait'
load $RP 15
save cpu-stress-web $R "$t0" "4 busy loops in web's cgroup for 12 s" "$t1"
fi

# 4. latency web -> db (fragile): a delaying proxy in web's namespace, Gunicorn's connections to
# 5432 redirected to it by a netfilter rule (no netem in this kernel). The rule is deleted by
# itself: flushing OUTPUT would also remove Docker's embedded-DNS rules and break name resolution. The fragile Django keeps its
# connection for ever and NAT only applies to new connections: a HUP makes Gunicorn start a new
# worker, whose connection goes through the proxy.
if want latency-web-db; then
web=$(cid $F web); uid=$(docker exec "$web" id -u app)
docker exec -d -u 0 "$web" python3 -c '
import socket, threading, time
DELAY = 0.3
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            time.sleep(DELAY); b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.close()
        except OSError: pass
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 15432)); srv.listen(64)
end = time.time() + 40
while time.time() < end:
    c, _ = srv.accept(); u = socket.create_connection(("db", 5432))
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
'
sleep 1
t0=$(now); load $FP 3; t1=$(now)
docker run --rm --net "container:$web" --cap-add NET_ADMIN --label faultline.capture=1 "$HELPER" \
  iptables -t nat -A OUTPUT -p tcp --dport 5432 -m owner --uid-owner "$uid" -j REDIRECT --to-ports 15432
docker exec "$web" kill -HUP 1
load $FP 15
docker run --rm --net "container:$web" --cap-add NET_ADMIN --label faultline.capture=1 "$HELPER" \
  iptables -t nat -D OUTPUT -p tcp --dport 5432 -m owner --uid-owner "$uid" -j REDIRECT --to-ports 15432
load $FP 3
save latency-web-db $F "$t0" "0.3 s added to each read on web's connections to db:5432 (proxy + REDIRECT)" "$t1"
fi
echo "captured into $OUT"
