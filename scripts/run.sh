#!/usr/bin/env bash
# Run a JShell script so that a compile error fails loudly.
#
# Usage: scripts/run.sh SCRIPT.jsh      (from the repository root, after
#                                        mvn -B package -pl scripts -am -DskipTests)
#
# jshell prints a compile error, skips that statement, runs the rest and exits 0 (measured with
# JDK 17), so a script with a typo can inject half its faults and report success. This checks the
# whole script first, without running anything (dev.faultline.scripts.ScriptCheck: the class path
# line, the final /exit, and every statement compiled as jshell splits them), and only then runs it.
# Exit status: the script's own (0 held, 1 failed, 2 unusable, 3 refused, 4 aborted, 130 Ctrl-C);
# 2 when the check finds a problem (each printed as "SCRIPT: line N: ...") or the jar is missing.
set -euo pipefail

(($# == 1)) || { echo "usage: $0 SCRIPT.jsh" >&2; exit 2; }
script=$1
[[ -f $script ]] || { echo "run.sh: no such script: $script" >&2; exit 2; }
jar=scripts/target/faultline-scripts.jar
[[ -f $jar ]] || { echo "run.sh: $jar is missing: run from the repository root after mvn -B package -pl scripts -am -DskipTests" >&2; exit 2; }

java -cp "$jar" dev.faultline.scripts.ScriptCheck "$script" || {
  echo "run.sh: $script does not compile; nothing was run" >&2
  exit 2
}
exec jshell "$script"
