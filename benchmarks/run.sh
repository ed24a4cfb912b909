#!/usr/bin/env bash
# make bench: every figure of BENCHMARKS.md, measured side by side with its baseline or peer in one run.
#
# Usage: benchmarks/run.sh [SECTION...]   sections: jmh timer proxy faults load nginx footprint startup experiments
#                                          (default: all, in that order), and profile (JFR of the
#                                          load generator at 10k req/s; only when named)
# Environment:
#   BENCH_FOOTPRINT_SECONDS  length of the 1k req/s heap/CPU run (default 120; the issue's full run is 600)
#   BENCH_STEP_SECONDS       length of each constant-rate step of the load comparison (default 8)
#   BENCH_RATES              rates tried for the highest sustained one (default "1000 2000 5000 10000 20000")
#   BENCH_OUT                results folder (default benchmarks/results/<UTC time>)
#   DEMO_PORT                port of the demo stack for the experiments section (default 18091)
#
# Installs what it needs (wrk, hey, socat from Debian; Maven fetches JMH and Gatling), so it works on a
# fresh machine as root. Everything it starts listens on 127.0.0.1 only and is stopped at the end; the
# Docker objects it makes are in the compose projects fl-bench-faults and fl-bench, removed at the end.
# Figures go to $BENCH_OUT/results.txt as "RESULT section name value unit" lines; raw tool output beside.
# On this 2-core machine the whole run takes about 20 minutes (the goal is at most 30): iterations are
# short on purpose, which widens the confidence intervals JMH prints.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# the machine is shared: each section's figures carry the load average they were taken under
loadavg() { echo "NOTE loadavg $1 $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS"; }

sections=("$@")
all_sections=$((${#sections[@]} == 0))
((${#sections[@]})) || sections=(jmh timer proxy faults load nginx footprint startup experiments)
want() { local s; for s in "${sections[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

OUT=${BENCH_OUT:-benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.txt
: > "$RESULTS"
STEP=${BENCH_STEP_SECONDS:-8}
RATES=${BENCH_RATES:-1000 2000 5000 10000 20000}
FOOTPRINT=${BENCH_FOOTPRINT_SECONDS:-120}
DEMO_PORT=${DEMO_PORT:-18091}
SERVER_PORT=18180
JAR=benchmarks/target/benchmarks.jar
MVN=${MVN:-mvn -B}

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  if want experiments; then demo/down.sh -p fl-bench >/dev/null 2>&1 || true; fi
  if want faults; then
    docker-compose -p fl-bench-faults -f benchmarks/stacks/faults.yml down -v -t 1 >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# ---- tools
missing=()
for tool in wrk hey socat; do command -v "$tool" >/dev/null || missing+=("$tool"); done
command -v nginx >/dev/null || missing+=(nginx-light)
if ((${#missing[@]})); then
  say "installing ${missing[*]} from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

say "building the benchmarks jar"
$MVN -q install -DskipTests -pl benchmarks -am

# ---- the machine, for BENCHMARKS.md
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
  echo "timer_slack_ns: $(cat /proc/self/timerslack_ns 2>/dev/null || echo unknown)"
  echo "wrk: $(dpkg-query -W -f '${Version}' wrk 2>/dev/null), hey: $(dpkg-query -W -f '${Version}' hey 2>/dev/null), socat: $(dpkg-query -W -f '${Version}' socat 2>/dev/null)"
  echo "docker: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo none)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

run_java() { java -cp "$JAR" "$@" 2>>"$OUT/java-stderr.log" | tee -a "$OUT/stdout.log" | grep -E '^(RESULT|NOTE) ' >>"$RESULTS" || true; }

# ---- 1. probe overhead (JMH)
if want jmh; then
  loadavg jmh
  say "JMH: HttpProbe vs raw OkHttp vs JDK HttpClient, alone and in pairs; steady state of 1/4/16 probes (~5 min)"
  java -jar "$JAR" 'ProbeBenchmark|ProbeOverheadBenchmark|SteadyStateBenchmark' -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1
  grep -E '^RESULT ' "$OUT/jmh.txt" >>"$RESULTS" || true # ProbeOverheadBenchmark's paired medians
  sed -n '/^Benchmark /,$p' "$OUT/jmh.txt" >&2
fi

# ---- 2. scheduling precision
if want timer; then
  loadavg timer
  say "timer: the runner's fault schedule and the wait primitives, default and -XX:TimerSlack=1"
  run_java dev.faultline.benchmarks.TimerJitter timer 250 3000
  run_java -XX:+UnlockExperimentalVMOptions -XX:TimerSlack=1 dev.faultline.benchmarks.TimerJitter timer-slack1 250 3000
fi

# ---- 3. the TCP proxy
if want proxy; then
  loadavg proxy
  say "proxy: ToxicProxy vs direct vs socat (latency, 50 ms toxic, 1 GiB stream)"
  run_java dev.faultline.benchmarks.ProxyBench 20000 $((1 << 30)) "$(command -v socat)"
fi

# ---- 4. faults end to end
if want faults; then
  loadavg faults
  say "faults: crash, pause, latency vs DockerEngine and the docker CLI (project fl-bench-faults)"
  run_java dev.faultline.benchmarks.FaultTiming benchmarks/stacks/faults.yml 7
fi

# ---- 5. load generators side by side, against one bench server in its own JVM
server_pid=
start_server() {
  java -cp "$JAR" dev.faultline.benchmarks.BenchServer "$SERVER_PORT" 64 >"$OUT/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$SERVER_PORT/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  # warm the server's JIT so the first tool does not pay for it
  hey -z 5s -c 32 "http://127.0.0.1:$SERVER_PORT/" >/dev/null 2>&1
}
URL="http://127.0.0.1:$SERVER_PORT/"
result() { echo "RESULT load $1 $2 $3" >>"$RESULTS"; }

# A rate is sustained, for every tool alike: >= 97 % of it achieved, no error, median latency < 10 ms
# (LoadBench.report says why not the p99).
# hey's summary -> RESULT lines; $1 label, $2 target rate, $3 output file
hey_results() {
  local rps slowest p50 p99 errors total
  rps=$(awk '/Requests\/sec:/ {print $2}' "$3")
  slowest=$(awk '/Slowest:/ {print $2 * 1e6}' "$3")
  p50=$(awk '/50%% in/ || /50% in/ {print $3 * 1e6}' "$3")
  p99=$(awk '/99%% in/ || /99% in/ {print $3 * 1e6}' "$3")
  total=$(awk '/\[200\]/ {print $2}' "$3")
  errors=$(grep -c 'Error distribution' "$3" || true)
  result "$1.achieved" "${rps:-0}" req/s
  result "$1.achieved/target" "$(awk -v a="${rps:-0}" -v t="$2" 'BEGIN {print a / t}')" ratio
  result "$1.ok" "${total:-0}" n
  result "$1.has-errors" "$errors" bool
  result "$1.latency.p50" "${p50:-0}" us
  result "$1.latency.p99" "${p99:-0}" us
  result "$1.latency.max" "${slowest:-0}" us
  awk -v a="${rps:-0}" -v t="$2" -v p="${p50:-1e9}" -v e="$errors" \
    'BEGIN {print (a >= 0.97 * t && p < 10000 && e == 0) ? 1 : 0}'
}

# Gatling's console summary -> RESULT lines; $1 label, $2 target rate, $3 output file
gatling_results() {
  local count ko rps max p50 p99
  count=$(awk -F'|' '/> request count/ {gsub(/[ ,]/, "", $2); print $2; exit}' "$3")
  ko=$(awk -F'|' '/> request count/ {gsub(/[ ,-]/, "", $4); print ($4 == "" ? 0 : $4); exit}' "$3")
  rps=$(awk -F'|' '/> mean throughput/ {gsub(/[ ,]/, "", $2); print $2; exit}' "$3")
  max=$(awk -F'|' '/> max response time/ {gsub(/[ ,]/, "", $2); print $2 * 1000; exit}' "$3")
  p50=$(awk -F'|' '/> response time 50th/ {gsub(/[ ,]/, "", $2); print $2 * 1000; exit}' "$3")
  p99=$(awk -F'|' '/> response time 99th/ {gsub(/[ ,]/, "", $2); print $2 * 1000; exit}' "$3")
  result "$1.achieved" "${rps:-0}" req/s
  result "$1.achieved/target" "$(awk -v a="${rps:-0}" -v t="$2" 'BEGIN {print a / t}')" ratio
  result "$1.sent" "${count:-0}" n
  result "$1.failed" "${ko:-0}" n
  result "$1.latency.p50" "${p50:-0}" us
  result "$1.latency.p99" "${p99:-0}" us
  result "$1.latency.max" "${max:-0}" us
  awk -v a="${rps:-0}" -v t="$2" -v p="${p50:-1e9}" -v k="${ko:-1}" \
    'BEGIN {print (a >= 0.97 * t && p < 10000 && k == 0) ? 1 : 0}'
}

gatling() { # rate seconds outfile
  (cd benchmarks/peers/gatling && $MVN gatling:test -Dgatling.simulationClass=faultline.peers.ConstantRate \
    -Durl="$URL" -Drate="$1" -Dseconds="$2") >"$3" 2>&1 || true
}

# pauses the server for 1 s, 2 s after now, or 2 s after file $1 says the simulation started
# (the coordinated-omission check; Gatling's JVM and Maven take seconds to start)
pause_server_later() {
  (
    if [[ -n ${1:-} ]]; then
      for _ in $(seq 300); do grep -q 'started\.\.\.' "$1" 2>/dev/null && break; sleep 0.1; done
    fi
    sleep 2; kill -STOP "$server_pid"; sleep 1; kill -CONT "$server_pid"
  ) &
}

if want load; then
  loadavg load
  say "load: bench server on $URL; faultline, Gatling, hey, wrk at ${RATES// /, } req/s for ${STEP}s each"
  (cd benchmarks/peers/gatling && $MVN -q test-compile >"$OUT/gatling-build.log" 2>&1)
  start_server

  run_java dev.faultline.benchmarks.LoadBench steps "$URL" "$STEP" $RATES
  # the same with hey's 50 connections: this server slows as connections multiply (BENCHMARKS.md section 5)
  run_java dev.faultline.benchmarks.LoadBench steps-capped "$URL" "$STEP" 50 $RATES

  best=0
  gatling 1000 3 "$OUT/gatling-warmup.txt"
  for rate in $RATES; do
    gatling "$rate" "$STEP" "$OUT/gatling-$rate.txt"
    ok=$(gatling_results "gatling.$rate" "$rate" "$OUT/gatling-$rate.txt")
    result "gatling.$rate.sustained" "$ok" bool
    ((ok)) && best=$rate
  done
  result gatling.highest-sustained "$best" req/s

  # hey: 50 workers, each capped at rate/50 per second (its -q is per worker)
  best=0
  for rate in $RATES; do
    hey -z "${STEP}s" -c 50 -q $((rate / 50)) "$URL" >"$OUT/hey-$rate.txt" 2>&1 || true
    ok=$(hey_results "hey.$rate" "$rate" "$OUT/hey-$rate.txt")
    result "hey.$rate.sustained" "$ok" bool
    ((ok)) && best=$rate
  done
  result hey.highest-sustained "$best" req/s

  # hey again with 1000 connections, about the generator's uncapped bound (1024 in flight): where faultline falls
  # short of hey's 50, this says whether the server at that many connections is the limit (BENCHMARKS.md section 5)
  for rate in $RATES; do
    ((rate >= 1000)) || continue # hey -q is per worker and whole: 1000 workers send at least 1/s each
    hey -z "${STEP}s" -c 1000 -q $((rate / 1000)) "$URL" >"$OUT/hey-c1000-$rate.txt" 2>&1 || true
    ok=$(hey_results "hey-c1000.$rate" "$rate" "$OUT/hey-c1000-$rate.txt")
    result "hey-c1000.$rate.sustained" "$ok" bool
  done

  # wrk (Debian's, not wrk2) cannot hold a rate: its closed-loop maximum, as a ceiling for the server
  wrk -t2 -c64 -d"${STEP}s" --latency "$URL" >"$OUT/wrk-max.txt" 2>&1 || true
  result wrk.closed-loop-max "$(awk '/Requests\/sec:/ {print $2}' "$OUT/wrk-max.txt")" req/s

  say "coordinated omission: server SIGSTOPped for 1 s during 6 s at 1000 req/s, per tool"
  pause_server_later
  run_java dev.faultline.benchmarks.LoadBench run "$URL" 1000 6 faultline.co-check
  sleep 2
  : >"$OUT/gatling-co.txt"
  pause_server_later "$OUT/gatling-co.txt"
  gatling 1000 6 "$OUT/gatling-co.txt"
  gatling_results gatling.co-check 1000 "$OUT/gatling-co.txt" >/dev/null
  sleep 2
  pause_server_later
  hey -z 6s -c 50 -q 20 "$URL" >"$OUT/hey-co.txt" 2>&1 || true
  hey_results hey.co-check 1000 "$OUT/hey-co.txt" >/dev/null
  sleep 2
  pause_server_later
  wrk -t2 -c50 -d6s --latency "$URL" >"$OUT/wrk-co.txt" 2>&1 || true
  result wrk.co-check.max "$(awk '/^ *Latency/ {v=$4; if (v ~ /ms$/) {sub(/ms/, "", v); v *= 1000} else if (v ~ /us$/) {sub(/us/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1e6}; print v; exit}' "$OUT/wrk-co.txt")" us
  sleep 2
fi

# ---- 5b. the issue-15 comparison: nginx return 200, faultline cold (jshell) and warm vs hey vs wrk
if want nginx; then
  loadavg nginx
  say "nginx: faultline (cold jshell, warm JVM) vs hey vs wrk against nginx 'return 200' on 127.0.0.1:18190"
  $MVN -q package -DskipTests -pl scripts -am
  bash benchmarks/nginx-peers.sh "$OUT" >&2
fi

if want footprint; then
  loadavg footprint
  [[ -n $server_pid ]] || start_server
  say "footprint: faultline at 1000 req/s for ${FOOTPRINT}s in a 256 MiB heap"
  run_java -Xmx256m dev.faultline.benchmarks.LoadBench footprint "$URL" 1000 "$FOOTPRINT"
fi

# ---- not in the default list: a JFR recording of the generator at 10k req/s, where it saturates here
if want profile; then
  [[ -n $server_pid ]] || start_server
  say "profile: JFR of the load generator at 10000 req/s for 10 s -> $OUT/load-10k.jfr"
  run_java -XX:StartFlightRecording=filename="$OUT/load-10k.jfr",settings=profile \
    dev.faultline.benchmarks.LoadBench run "$URL" 10000 10 profile.10000
  jfr print --events jdk.ExecutionSample "$OUT/load-10k.jfr" \
    | awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); n[$0]++; t++}
           END {for (f in n) printf "%5.1f%% %s\n", 100 * n[f] / t, f}' | sort -rn | head -20 >"$OUT/load-10k-top-frames.txt"
  cat "$OUT/load-10k-top-frames.txt" >&2
fi

if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi

# ---- 4b. jshell's start: bare, with a one-class jar, and with the scripts jar as every script loads it (median of 5 each)
if want startup; then
  loadavg startup
  say "startup: jshell bare vs /env of a one-class jar vs /env of the scripts jar (one Chaos class loaded), 5 runs each"
  $MVN -q package -DskipTests -pl scripts -am
  median_ms() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
  time_ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 </dev/null || true; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
  printf '/exit\n' >"$OUT/startup-bare.jsh"
  printf '/env --class-path scripts/target/faultline-scripts.jar\nSystem.out.println(dev.faultline.dsl.Chaos.class.getName());\n/exit\n' \
    >"$OUT/startup-scripts.jsh"
  # the floor of a script's start in the README's form: the same with a jar of one empty class. /env restarts jshell's
  # execution JVM, and `jshell FILE` takes no flags for a CDS archive (BENCHMARKS.md section 4)
  mkdir -p "$OUT/floor" && printf 'public class Floor {}\n' >"$OUT/floor/Floor.java"
  javac -d "$OUT/floor" "$OUT/floor/Floor.java" && jar cf "$OUT/floor.jar" -C "$OUT/floor" Floor.class
  printf '/env --class-path %s\nSystem.out.println(Floor.class.getName());\n/exit\n' "$OUT/floor.jar" >"$OUT/startup-floor.jsh"
  # interleaved, so that a drift of the machine's speed touches the three alike
  for _ in 1 2 3 4 5; do
    for kind in bare floor scripts; do time_ms jshell "$OUT/startup-$kind.jsh" >>"$OUT/startup-$kind.ms"; done
  done
  for kind in bare floor scripts; do
    echo "RESULT startup jshell.$kind.wall $(median_ms <"$OUT/startup-$kind.ms") ms" >>"$RESULTS"
  done
fi

# ---- 6. whole experiments on the demo
if want experiments; then
  loadavg experiments
  say "experiments: the four seed experiments on the demo (project fl-bench, port $DEMO_PORT)"
  demo/images.sh >"$OUT/demo-images.log" 2>&1
  DEMO_PORT=$DEMO_PORT demo/up.sh -p fl-bench resilient >"$OUT/demo-up.log" 2>&1
  run_java dev.faultline.benchmarks.ExperimentOverhead fl-bench "http://localhost:$DEMO_PORT/health/"
  demo/down.sh -p fl-bench >/dev/null 2>&1 || true
fi

say "done: $RESULTS"
# one screen: every goal against this run's figures; BENCHMARKS.md's summary block regenerated from them
# when every section ran (a partial run prints its summary but leaves the page alone)
if ((all_sections)); then
  java -cp "$JAR" dev.faultline.benchmarks.Summary "$OUT" BENCHMARKS.md
else
  java -cp "$JAR" dev.faultline.benchmarks.Summary "$OUT"
fi
