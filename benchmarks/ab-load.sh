#!/usr/bin/env bash
# The load generator of two builds side by side in one run, against the trivial nginx of the nginx
# section (1 worker, `return 200`, 127.0.0.1:18190): for each rate, build A then build B, warm (one JVM
# per build: every rate twice in turn, and the second pass is reported, its JIT warmed by the first) and cold
# (a fresh JVM per rate and build).
# How BENCHMARKS.md §5b compares a change of the generator with what it replaced.
#
# Usage: benchmarks/ab-load.sh JAR_A JAR_B OUT_DIR
#   JAR_A, JAR_B: benchmarks/target/benchmarks.jar of each build (e.g. of a `git worktree` at the older commit)
# Environment: BENCH_STEP_SECONDS (default 8), BENCH_AB_WARM_RATES (default "20000 40000 60000"),
#              BENCH_AB_COLD_RATES (default "5000 20000")
# Writes OUT_DIR/results.txt ("RESULT ab <A|B>.<warm|cold>.<rate>.<figure> value unit") and prints a table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -eq 3 ]] || { echo "usage: $0 JAR_A JAR_B OUT_DIR" >&2; exit 2; }
declare -A JAR=([A]=$(realpath "$1") [B]=$(realpath "$2"))
OUT=$(mkdir -p "$3" && cd "$3" && pwd)
STEP=${BENCH_STEP_SECONDS:-8}
WARM=${BENCH_AB_WARM_RATES:-20000 40000 60000}
COLD=${BENCH_AB_COLD_RATES:-5000 20000}
URL=http://127.0.0.1:18190/
RESULTS=$OUT/results.txt
: >"$RESULTS"

mkdir -p "$OUT/nginx/tmp"
nginx -p "$OUT/nginx" -c "$ROOT/benchmarks/stacks/nginx-return-200.conf" -g 'daemon off;' >"$OUT/nginx/out.log" 2>&1 &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$URL" >/dev/null 2>&1 && break; sleep 0.1; done
echo "NOTE loadavg start $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"

# LoadBench prints "RESULT load <label>.<figure> value unit"; keep them under the build's name
keep() { grep -E '^RESULT ' | sed "s/^RESULT load [a-z]*\./RESULT ab $1./" >>"$RESULTS" || true; }
for rate in $COLD; do
  for b in A B; do
    java -cp "${JAR[$b]}" dev.faultline.benchmarks.LoadBench run "$URL" "$rate" "$STEP" "cold.$rate" 2>/dev/null \
      | sed "s/^RESULT load cold\./RESULT load x.cold./" | keep "$b"
  done
done
for b in A B; do
  java -cp "${JAR[$b]}" dev.faultline.benchmarks.LoadBench steps "$URL" "$STEP" $WARM $WARM 2>/dev/null \
    | sed -E "s/^RESULT load faultline\.([0-9])/RESULT load x.warm.\1/" | keep "$b"
done
echo "NOTE loadavg end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"

# the last value of a figure: the warm pass, for the warm rates that ran twice
get() { awk -v k="$1" '$1 == "RESULT" && $3 == k {v = $4} END {print v}' "$RESULTS"; }
{
  echo "| run | rate | A achieved, p50 / p99 | B achieved, p50 / p99 | B/A achieved | B/A p99 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for how in cold warm; do
    rates=$COLD; [[ $how == warm ]] && rates=$WARM
    for rate in $rates; do
      row="| $how | $rate"
      for b in A B; do
        row+=$(printf ' | %.0f, %.2f / %.1f ms' "$(get "$b.$how.$rate.achieved")" \
          "$(awk -v v="$(get "$b.$how.$rate.latency.p50")" 'BEGIN {print v / 1000}')" \
          "$(awk -v v="$(get "$b.$how.$rate.latency.p99")" 'BEGIN {print v / 1000}')")
      done
      row+=$(awk -v a="$(get "A.$how.$rate.achieved")" -v b="$(get "B.$how.$rate.achieved")" \
        -v pa="$(get "A.$how.$rate.latency.p99")" -v pb="$(get "B.$how.$rate.latency.p99")" \
        'BEGIN {printf " | %.2f× | %.2f× |", b / a, pb / pa}')
      echo "$row"
    done
  done
  echo "load average: $(grep 'NOTE loadavg start' "$RESULTS" | cut -d' ' -f4-6) at the start, $(grep 'NOTE loadavg end' "$RESULTS" | cut -d' ' -f4-6) at the end"
} | tee "$OUT/ab.md"
