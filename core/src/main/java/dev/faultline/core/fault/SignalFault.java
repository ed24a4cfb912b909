package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Sends a signal to processes matched by name inside a container, e.g. one Gunicorn worker
 * ({@code "gunicorn: worker"}), the Gunicorn master, or a PostgreSQL backend.
 *
 * <p>A helper joins the target's PID namespace and matches full command lines ({@code pgrep -f},
 * an extended regular expression), leaving out its own processes. PID 1 of the target cannot be
 * SIGKILLed (or SIGSTOPped) this way: from inside its namespace, init only receives signals it has
 * handlers for. Matching PID 1 with KILL or STOP fails and names {@link CrashFault} as the route.
 * One-shot: closing the injection does nothing. A pattern that matches no process touches nothing
 * and is no error: the fault reached nothing, so its {@link Effect} is none and names what does run
 * in the container (a run with it comes out INCONCLUSIVE, never HELD).
 *
 * <p>Without {@code setproctitle} Gunicorn's master and workers share one command line
 * ({@code python3 /usr/bin/gunicorn ...}); {@link #sparePid1()} then reaches only the workers when
 * the master is the container's PID 1.
 *
 * @param signalAll true to signal every matched process, false for one chosen at random
 * @param excludePid1 true to leave the container's PID 1 out of the matches
 */
public record SignalFault(Targeting targeting, Signal signal, String pattern, boolean signalAll, boolean excludePid1) implements PerContainerFaultSupport {

    static final Duration HELPER_DEADLINE = Duration.ofSeconds(30);
    static final int NO_MATCH = 5;
    static final int PID1_UNCATCHABLE = 4;

    public SignalFault {
        Objects.requireNonNull(targeting, "targeting");
        Signal.checked(signal);
        Checks.text("pattern", pattern);
        if (pattern.indexOf('\n') >= 0 || pattern.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("pattern must be one line, got '" + pattern + "'");
        }
        try {
            java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern must be a regular expression, got '" + pattern + "': " + e.getDescription());
        }
    }

    /** Sends {@code signal} to one process matching {@code pattern} (chosen at random). */
    public static SignalFault of(String service, Signal signal, String pattern) {
        return new SignalFault(Targeting.all(service), signal, pattern, false, false);
    }

    /**
     * SIGKILL to one Gunicorn worker, chosen at random: the master (the container's PID 1) sees the
     * worker die and forks a new one with a new PID. Without setproctitle the workers share the
     * master's command line, so they are "the gunicorn processes that are not PID 1"; the master
     * must therefore be PID 1 (exec'd by the entrypoint, as in the demo). To crash the master use
     * {@link CrashFault}.
     */
    public static SignalFault gunicornWorker(String service) {
        return of(service, Signal.KILL, "gunicorn").sparePid1();
    }

    public SignalFault one() {
        return new SignalFault(targeting, signal, pattern, false, excludePid1);
    }

    public SignalFault all() {
        return new SignalFault(targeting, signal, pattern, true, excludePid1);
    }

    public SignalFault index(int index) {
        return new SignalFault(targeting.index(index), signal, pattern, signalAll, excludePid1);
    }

    public SignalFault limit(int max) {
        return new SignalFault(targeting.limit(max), signal, pattern, signalAll, excludePid1);
    }

    /** Leaves the container's PID 1 out: e.g. only Gunicorn's workers when their command line equals the master's. */
    public SignalFault sparePid1() {
        return new SignalFault(targeting, signal, pattern, signalAll, true);
    }

    @Override
    public String kind() {
        return "signal";
    }

    @Override
    public String describe() {
        return "SIG" + signal + " to " + (signalAll ? "every process" : "one process") + " matching '" + pattern + "'"
                + (excludePid1 ? " except PID 1" : "") + " in " + targeting;
    }

    /** The helper's script; the pattern, signal and mode arrive as arguments, never spliced into the code. */
    static String script() {
        return String.join("\n",
                "pat=$1; sig=$2; mode=$3; spare=$4",
                "self=$(cat /proc/self/cgroup)",
                "pids=''",
                // our own shell and pgrep match the pattern too (it is in our argv): skip processes in our cgroup
                "spared=no",
                "for p in $(pgrep -f -- \"$pat\"); do",
                "  [ \"$(cat /proc/$p/cgroup 2>/dev/null)\" = \"$self\" ] && continue",
                "  [ \"$spare\" = spare ] && [ \"$p\" = 1 ] && { spared=yes; continue; }",
                "  [ -d /proc/$p ] && pids=\"$pids $p\"",
                "done",
                // no match: what does run there (not our own processes), for the likely cause
                "if [ -z \"$pids\" ]; then",
                "  echo \"spared:$spared\"",
                "  for d in /proc/[0-9]*; do",
                "    [ \"$(cat $d/cgroup 2>/dev/null)\" = \"$self\" ] && continue",
                "    n=$(cat $d/comm 2>/dev/null) && echo \"process:${d#/proc/} $n\"",
                "  done",
                "  exit " + NO_MATCH,
                "fi",
                "[ \"$mode\" = one ] && pids=$(printf '%s\\n' $pids | shuf -n 1)",
                "for p in $pids; do",
                "  if [ \"$p\" = 1 ] && { [ \"$sig\" = KILL ] || [ \"$sig\" = 9 ] || [ \"$sig\" = STOP ] || [ \"$sig\" = 19 ]; }; then",
                "    echo 'matched PID 1'; exit " + PID1_UNCATCHABLE,
                "  fi",
                "done",
                "echo \"signalled:$(for p in $pids; do printf ' %s(%s)' $p \"$(tr '\\0' ' ' < /proc/$p/cmdline | cut -c1-60)\"; done)\"",
                "kill -s \"$sig\" $pids");
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        // bash -c 'script' $0 $1 ...: "signal" fills $0 so that the pattern is $1
        List<String> command = List.of("bash", "-c", script(), "signal", pattern, signal.name(), signalAll ? "all" : "one",
                excludePid1 ? "spare" : "any");
        HelperRequest request = HelperRequest.of(context.runId(), kind(), c, HELPER_DEADLINE, command)
                .withPidMode("container:" + c.id());
        Instant at = Instant.now();
        Helpers.Finished finished = Helpers.on(context.engine()).runToEnd(request, HELPER_DEADLINE.multipliedBy(2));
        String out = finished.output();
        if (finished.exitCode() == NO_MATCH) {
            // a fault that reached nothing, not a broken one: its effect is none, and the run cannot hold
            Effect none = noMatch(c, out);
            return SimpleInjection.oneShot("nothing signalled: " + none.cause().orElseThrow() + " (helper " + finished.name()
                    + " sharing its PID namespace)", List.of(c.name()), at).measuredBy(() -> none);
        }
        if (finished.exitCode() == PID1_UNCATCHABLE) {
            throw new FaultException("signal " + c.name() + ": nothing done, '" + pattern + "' matches PID 1, which ignores SIG"
                    + signal + " sent from inside its PID namespace; use CrashFault (SIGKILL from the host PID namespace) instead");
        }
        if (finished.exitCode() != 0) {
            throw new FaultException("signal " + c.name() + ": helper " + finished.name() + " failed (exit "
                    + finished.exitCode() + "): " + out);
        }
        String signalled = out.lines().filter(l -> l.startsWith("signalled:")).findFirst()
                .map(l -> l.substring("signalled:".length()).strip()).orElse("?");
        boolean pid1 = (" " + signalled).contains(" 1(");
        String mechanism = "SIG" + signal + " to PID(s) " + signalled + " in " + c.name() + " from helper " + finished.name()
                + " sharing its PID namespace"
                + (pid1 ? "; PID 1 only acts on it if it installed a handler for SIG" + signal : "");
        List<String> pids = java.util.Arrays.stream(signalled.split(" ")).filter(t -> t.matches("\\d+\\(.*"))
                .map(t -> t.substring(0, t.indexOf('('))).toList();
        return SimpleInjection.oneShot(mechanism, List.of(c.name()), at).measuredBy(() -> fate(context, c, pids));
    }

    /** How many names of the processes that do run are shown in a no-match cause. */
    static final int NAMES_SHOWN = 6;

    /**
     * The effect of a signal that matched no process: none, with the processes that do run in the
     * container (a few names, PID 1 first) as the likely cause. {@code out} is the helper's no-match output:
     * {@code spared:yes|no}, then {@code process:<pid> <name>} per process of the target.
     */
    Effect noMatch(ContainerInfo c, String out) {
        boolean spared = out.lines().anyMatch(l -> l.equals("spared:yes"));
        List<String[]> processes = out.lines().filter(l -> l.startsWith("process:"))
                .map(l -> l.substring("process:".length()).strip().split(" ", 2)).filter(a -> a.length == 2 && a[0].matches("\\d{1,9}"))
                .sorted(java.util.Comparator.comparingInt(a -> Integer.parseInt(a[0]))).toList();
        java.util.Map<String, Integer> byName = new java.util.LinkedHashMap<>();
        processes.stream().filter(a -> a[0].equals("1")).forEach(a -> byName.merge(a[1] + " (PID 1)", 1, Integer::sum));
        processes.stream().filter(a -> !a[0].equals("1")).forEach(a -> byName.merge(a[1], 1, Integer::sum));
        List<String> names = byName.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " \u00d7" + e.getValue() : "")).toList();
        String running = processes.isEmpty() ? "no process of its own was found there"
                : "what runs there: " + String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())))
                        + (names.size() > NAMES_SHOWN ? ", \u2026" : "") + " (" + processes.size() + " process(es))";
        String cause = "no process in " + c.name() + " matches '" + pattern + "'"
                + (spared ? " except PID 1, which sparePid1 leaves out" : "") + "; " + running;
        return Effect.none("SIG" + signal + " reached no process in " + c.name() + ": 0 processes matched '" + pattern + "'",
                cause, List.of(Effect.count("processes signalled", 0, ""), Effect.count("processes running", processes.size(), "")));
    }

    /**
     * What became of the signalled processes: a helper in the target's PID namespace looks for each for up to
     * 3 s (a TERM takes a moment); a container that is no longer running took them all with it.
     */
    Effect fate(FaultContext context, ContainerInfo c, List<String> pids) {
        List<Effect.Counter> counters = new java.util.ArrayList<>(List.of(Effect.count("processes signalled", pids.size(), "")));
        if (pids.isEmpty()) {
            return Effect.none("SIG" + signal + " reached no process in " + c.name(), "no process matched '" + pattern + "'", counters);
        }
        ContainerInfo now = context.engine().inspect(c.id());
        String who = "SIG" + signal + " to PID(s) " + String.join(", ", pids) + " in " + c.name();
        if (!now.running() || !java.util.Objects.equals(now.startedAt(), c.startedAt())) {
            counters.add(Effect.count("processes gone", pids.size(), ""));
            return Effect.bit(who + ": gone with the container's main process (container " + Lifecycles.state(now)
                    + (now.running() ? ", started again at " + now.startedAt() : ", exit " + now.exitCode()) + ")", counters);
        }
        String script = "for i in $(seq 30); do n=0; for p in \"$@\"; do [ -d /proc/$p ] && n=$((n+1)); done; [ $n = 0 ] && break;"
                + " sleep 0.1; done; for p in \"$@\"; do if [ -d /proc/$p ]; then echo \"effect alive $p $(awk '{print $3}'"
                + " /proc/$p/stat)\"; else echo \"effect gone $p\"; fi; done";
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script, "fate"));
        command.addAll(pids);
        HelperRequest request = HelperRequest.of(context.runId(), kind() + "-check", c, HELPER_DEADLINE, command)
                .withPidMode("container:" + c.id());
        String out = Helpers.on(context.engine()).runToEnd(request, HELPER_DEADLINE.multipliedBy(2)).output();
        List<String> gone = out.lines().filter(l -> l.startsWith("effect gone ")).map(l -> l.substring(12).strip()).toList();
        List<String> alive = out.lines().filter(l -> l.startsWith("effect alive ")).map(l -> l.substring(13).strip()).toList();
        counters.add(Effect.count("processes gone", gone.size(), ""));
        return Effect.bit(who + ": " + (gone.isEmpty() ? "" : gone.size() + " gone (" + String.join(", ", gone) + ")")
                + (alive.isEmpty() ? "" : (gone.isEmpty() ? "" : ", ") + alive.size() + " still there (PID state: "
                        + String.join(", ", alive) + ")"), counters);
    }
}
