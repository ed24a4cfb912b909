#!/usr/bin/env bash
# The load generator against the issue-15 target, side by side with hey and wrk in one run: a trivial
# nginx on loopback (1 worker, `return 200`), each tool at the same target rates, faultline both from a
# cold `jshell scripts/load.jsh` (how users run it) and from a warm JVM (LoadBench steps, each rate after the
# warm-up load.jsh does by default at that rate).
#
# Usage: benchmarks/nginx-peers.sh OUT_DIR     (benchmarks/run.sh calls it as its section "nginx")
#        benchmarks/nginx-peers.sh OUT_DIR summary   (only the summary, from OUT_DIR/results.txt)
# Environment: BENCH_STEP_SECONDS (default 8), BENCH_NGINX_RATES (default "1000 5000 10000 20000 40000 60000")
# Needs nginx-light (or nginx), wrk and hey from Debian, and benchmarks/target/benchmarks.jar and
# scripts/target/faultline-scripts.jar built. Listens on 127.0.0.1:18190 only; nginx is stopped at the end.
# Writes RESULT lines to OUT_DIR/results.txt, a one-screen summary with each goal met/missed to stdout
# and OUT_DIR/nginx.md (the table BENCHMARKS.md carries).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
RESULTS=$OUT/results.txt
STEP=${BENCH_STEP_SECONDS:-8}
RATES=${BENCH_NGINX_RATES:-1000 5000 10000 20000 40000 60000}
URL=http://127.0.0.1:18190/
result() { echo "RESULT nginx $1 $2 $3" >>"$RESULTS"; }

if [[ ${2:-} != summary ]]; then
mkdir -p "$OUT/nginx/tmp"
nginx -p "$OUT/nginx" -c "$ROOT/benchmarks/stacks/nginx-return-200.conf" -g 'daemon off;' >"$OUT/nginx/out.log" 2>&1 &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$URL" >/dev/null 2>&1 && break; sleep 0.1; done

# "1.234ms" / "850µs" / "2.5s" / "0.0012 secs" -> microseconds
to_us() { awk -v v="$1" 'BEGIN { if (v ~ /µs$/) { sub(/µs/, "", v); print v + 0 } else if (v ~ /ms$/) { sub(/ms/, "", v); print v * 1000 }
  else if (v ~ /ns$/) { sub(/ns/, "", v); print v / 1000 } else if (v ~ /s$/) { sub(/s/, "", v); print v * 1e6 } else print v * 1e6 }'; }

echo "NOTE loadavg nginx $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"
wrk -t2 -c64 -d"${STEP}s" "$URL" >"$OUT/nginx-wrk.txt" 2>&1 || true
wrk_max=$(awk '/Requests\/sec:/ {print $2}' "$OUT/nginx-wrk.txt")
result wrk.closed-loop-max "${wrk_max:-0}" req/s

for rate in $RATES; do
  # hey: 100 workers, each capped at rate/100 per second (its -q is per worker), as in the issue
  hey -z "${STEP}s" -c 100 -q $((rate / 100)) "$URL" >"$OUT/nginx-hey-$rate.txt" 2>&1 || true
  result "hey.$rate.achieved" "$(awk '/Requests\/sec:/ {print $2}' "$OUT/nginx-hey-$rate.txt")" req/s
  result "hey.$rate.p50" "$(awk '/50% in/ {print $3 * 1e6}' "$OUT/nginx-hey-$rate.txt")" us
  result "hey.$rate.p99" "$(awk '/99% in/ {print $3 * 1e6}' "$OUT/nginx-hey-$rate.txt")" us

  # faultline, cold: a fresh jshell per rate, as a user runs it
  FAULTLINE_URL=$URL FAULTLINE_RATE=$rate FAULTLINE_DURATION=${STEP}s jshell scripts/load.jsh >"$OUT/nginx-cold-$rate.txt" 2>&1 || true
  f="$OUT/nginx-cold-$rate.txt"
  result "cold.$rate.achieved" "$(awk '/^Requests/ {gsub(/,/, ""); print $6}' "$f")" req/s
  lat=$(awk '/^Latencies/ {print $11, $14}' "$f" | tr -d ,)
  result "cold.$rate.p50" "$(to_us "${lat%% *}")" us
  result "cold.$rate.p99" "$(to_us "${lat##* }")" us
  result "cold.$rate.late-dropped" "$(awk '/^Schedule/ {gsub(/,/, ""); print $4 + $5}' "$f")" n
done

# faultline, cold, writing every request to a results file (FAULTLINE_RESULTS), as at 20k above; the file
# (about 30 MB) is deleted, only the figures are kept
rate=20000
f="$OUT/nginx-cold-results-$rate.txt"
FAULTLINE_URL=$URL FAULTLINE_RATE=$rate FAULTLINE_DURATION=${STEP}s FAULTLINE_RESULTS="$OUT/nginx/results-$rate.jsonl" \
  jshell scripts/load.jsh >"$f" 2>&1 || true
rm -f "$OUT/nginx/results-$rate.jsonl"
result "cold-results.$rate.achieved" "$(awk '/^Requests/ {gsub(/,/, ""); print $6}' "$f")" req/s
lat=$(awk '/^Latencies/ {print $11, $14}' "$f" | tr -d ,)
result "cold-results.$rate.p50" "$(to_us "${lat%% *}")" us
result "cold-results.$rate.p99" "$(to_us "${lat##* }")" us

# faultline, warm: one JVM, every rate in turn, each after the warm-up load.jsh does by default at its rate
java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.LoadBench steps "$URL" "$STEP" $RATES \
  2>"$OUT/nginx-warm-stderr.log" | tee "$OUT/nginx-warm.txt" | grep -E '^RESULT ' \
  | sed 's/^RESULT load faultline\./RESULT nginx warm./' >>"$RESULTS" || true
echo "NOTE loadavg nginx-end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"

fi

get() { awk -v k="$1" '$1 == "RESULT" && $2 == "nginx" && $3 == k {print $4; exit}' "$RESULTS"; }
verdict() { awk -v c="$1" 'BEGIN {print c ? "met" : "MISSED"}'; }
wrk_max=$(get wrk.closed-loop-max)
{
  echo "| target req/s | hey achieved | faultline cold achieved, p50 / p99 | faultline warm achieved, p50 / p99 | goal: faultline >= hey (cold, warm) | goal: p99 < 10 ms (warm) |"
  echo "| ---: | ---: | ---: | ---: | --- | --- |"
  for rate in $RATES; do
    h=$(get "hey.$rate.achieved"); c=$(get "cold.$rate.achieved"); w=$(get "warm.$rate.achieved")
    wp99=$(get "warm.$rate.latency.p99")
    printf '| %s | %.0f (p50 %.1f ms, p99 %.1f ms) | %.0f, %.1f / %.1f ms | %.0f, %.1f / %.1f ms | %s, %s | %s |\n' \
      "$rate" "${h:-0}" "$(awk -v v="$(get "hey.$rate.p50")" 'BEGIN {print v / 1000}')" "$(awk -v v="$(get "hey.$rate.p99")" 'BEGIN {print v / 1000}')" \
      "${c:-0}" "$(awk -v v="$(get "cold.$rate.p50")" 'BEGIN {print v / 1000}')" "$(awk -v v="$(get "cold.$rate.p99")" 'BEGIN {print v / 1000}')" \
      "${w:-0}" "$(awk -v v="$(get "warm.$rate.latency.p50")" 'BEGIN {print v / 1000}')" "$(awk -v v="${wp99:-0}" 'BEGIN {print v / 1000}')" \
      "$(verdict "$(awk -v a="${c:-0}" -v b="${h:-0}" 'BEGIN {print (a >= 0.97 * b)}')")" \
      "$(verdict "$(awk -v a="${w:-0}" -v b="${h:-0}" 'BEGIN {print (a >= 0.97 * b)}')")" \
      "$(verdict "$(awk -v p="${wp99:-1e12}" 'BEGIN {print (p < 10000)}')")"
  done
  best=0
  for rate in $RATES; do w=$(get "warm.$rate.achieved"); best=$(awk -v a="$best" -v b="${w:-0}" 'BEGIN {print (b > a) ? b : a}'); done
  printf '\nwrk -t2 -c64 closed-loop ceiling: %.0f req/s; faultline warm best achieved: %.0f req/s = %.2f x wrk (goal >= 0.5: %s)\n' \
    "${wrk_max:-0}" "$best" "$(awk -v a="$best" -v b="${wrk_max:-1}" 'BEGIN {print a / b}')" \
    "$(verdict "$(awk -v a="$best" -v b="${wrk_max:-1}" 'BEGIN {print (a >= 0.5 * b)}')")"
  echo "load average: $(grep 'NOTE loadavg nginx ' "$RESULTS" | cut -d' ' -f4-6) at the start, $(grep 'NOTE loadavg nginx-end' "$RESULTS" | cut -d' ' -f4-6) at the end"
} | tee "$OUT/nginx.md"
