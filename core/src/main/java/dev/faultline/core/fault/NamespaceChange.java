package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ExecResult;
import dev.faultline.core.helper.Helper;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.netfilter.NetfilterSweep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A change to a target's network namespace (netfilter rules, a qdisc) or files, held by a helper
 * placed next to it (by default with NET_ADMIN in its network namespace): the helper applies it with {@code setup}, and runs {@code cleanup} when it is
 * told to stop or reaches its deadline (TERM from its {@code timeout}), so the change ends even if
 * the JVM that made it died. Revert runs {@code cleanup} through exec, then removes the helper.
 * Shared by the packet loss, blackhole, partition, DNS, bandwidth and disk fill faults.
 */
final class NamespaceChange {

    private NamespaceChange() {}

    /** The helper's main command, the cleanup script as $1: waits; on TERM/INT (deadline or revert) cleans up and ends. */
    static String watchdogScript() {
        return String.join("\n",
                "cleanup=$1",
                "trap 'bash -c \"$cleanup\"; exit 0' TERM INT",
                "while true; do sleep 1 & wait $!; done");
    }

    /** One iptables rule: {@code table}, {@code chain}, its matches and its target (e.g. {@code DROP}). */
    record Rule(String table, String chain, String match, String target) {
        String insert(String tag) {
            return "iptables -w 5 -t " + table + " -I " + chain + " " + match + " -m comment --comment " + tag + " -j " + target;
        }

        @Override
        public String toString() {
            return "-t " + table + " " + chain + " " + match + " -j " + target;
        }
    }

    /**
     * Inserts {@code rules}, each commented with {@code tag}, and holds them until revert or {@code duration}.
     * The effect is the packets and bytes that hit the rules (netfilter's own counters, read by comment
     * in the same exec that deletes them).
     *
     * @param hit   what a packet hitting the rules means, for the effect: "dropped"
     * @param cause why none would hit them: "web-1 sent nothing to db:5432 during the fault"
     */
    static Injection holdRules(FaultContext context, String kind, ContainerInfo c, Duration duration, String tag,
                               List<Rule> rules, String what, String hit, String cause) {
        StringBuilder setup = new StringBuilder("set -e\n");
        rules.forEach(r -> setup.append(r.insert(tag)).append('\n'));
        String mechanism = what + ": iptables rule(s) " + rules + " (comment " + tag + ") in " + c.name() + "'s network namespace";
        Measure counters = new Measure(ruleCountersScript(tag), lines -> {
            if (lines.isEmpty()) {
                return Effect.notMeasured("no rule carrying " + tag + " was there to read in " + c.name()
                        + "'s network namespace: something else removed it");
            }
            long packets = 0;
            long bytes = 0;
            for (String l : lines) {
                String[] p = l.split(" ");
                packets += Long.parseLong(p[0]);
                bytes += Long.parseLong(p[1]);
            }
            return Effect.of(packets > 0, kind + " " + c.name() + ": " + packets + " packet(s) (" + bytes + " bytes) " + hit
                            + " by its " + lines.size() + " rule(s)", cause,
                    List.of(Effect.count("packets " + hit, packets, ""), Effect.count("bytes " + hit, bytes, "B")));
        });
        return hold(context, kind, c, duration, setup.toString(), NetfilterSweep.command(tag, c.name()), mechanism, counters,
                r -> r.withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"));
    }

    /** Prints {@code effect <packets> <bytes>} for each rule carrying {@code tag}, from netfilter's counters. */
    static String ruleCountersScript(String tag) {
        return "for t in filter nat mangle raw; do iptables-save -c -t $t 2>/dev/null; done | grep -F -- '" + tag + "'"
                + " | sed -E 's/^\\[([0-9]+):([0-9]+)\\].*/effect \\1 \\2/'";
    }

    /**
     * How a held change measures its effect: {@code script} runs in the helper and prints lines starting
     * with {@code effect }, which {@code parse} turns (without the prefix) into the {@link Effect}.
     */
    record Measure(String script, java.util.function.Function<List<String>, Effect> parse) {

        Effect read(String stdout) {
            List<String> lines = stdout.lines().filter(l -> l.startsWith("effect ")).map(l -> l.substring(7).strip()).toList();
            return parse.apply(lines);
        }
    }

    /** Sent bytes and packets from {@code tc -s} output ({@code Sent 1234 bytes 56 pkt}), summed over every line. */
    static long[] sent(String tcStats) {
        long[] sum = new long[2];
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Sent (\\d+) bytes (\\d+) pkt").matcher(tcStats);
        while (m.find()) {
            sum[0] += Long.parseLong(m.group(1));
            sum[1] += Long.parseLong(m.group(2));
        }
        return sum;
    }

    /**
     * Starts the helper in {@code c}'s network namespace, runs {@code setup} there (undoing it when it
     * fails), and returns the injection whose close runs {@code cleanup} and removes the helper.
     */
    static Injection hold(FaultContext context, String kind, ContainerInfo c, Duration duration, String setup, String cleanup,
                          String mechanism, Measure measure) {
        return hold(context, kind, c, duration, setup, cleanup, mechanism, measure,
                r -> r.withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"));
    }

    /**
     * As {@link #hold(FaultContext, String, ContainerInfo, Duration, String, String, String)}, with the
     * helper placed by {@code placement} (e.g. in the target's PID namespace instead of its network one).
     * Where {@code mechanism} contains {@code {out}}, it is replaced by the last line {@code setup} printed.
     */
    static Injection hold(FaultContext context, String kind, ContainerInfo c, Duration duration, String setup, String cleanup,
                          String mechanism, Measure measure, java.util.function.UnaryOperator<HelperRequest> placement) {
        HelperRequest request = placement.apply(HelperRequest.of(context.runId(), kind, c, duration,
                List.of("bash", "-c", watchdogScript(), kind, cleanup)));
        Helper helper = Helpers.on(context.engine()).start(request);
        Runnable revert = () -> revert(kind, helper, cleanup, measure);
        Instant at = Instant.now();
        String out;
        try {
            ExecResult r = helper.exec(List.of("bash", "-c", setup), Duration.ofSeconds(60));
            out = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
            if (!r.ok()) {
                throw new FaultException(kind + " " + c.name() + ": nothing done, helper " + helper.name() + " failed to apply it (exit "
                        + r.exitCode() + "): " + (r.stderr().strip() + " " + r.stdout().strip()).strip());
            }
        } catch (RuntimeException e) {
            throw SimpleInjection.undoing(e, revert);
        }
        return SimpleInjection.revertingMeasured(mechanism.replace("{out}", out) + ", held by helper " + helper.name()
                        + ", which undoes it after " + duration.toSeconds() + " s or on revert", List.of(c.name()), at,
                () -> revert(kind, helper, cleanup, measure),
                () -> measure.read(helper.exec(List.of("bash", "-c", measure.script()), Duration.ofSeconds(10)).stdout()));
    }

    /** Reads the effect and undoes the change in one exec (the counters go with the change); returns the effect. */
    private static Effect revert(String kind, Helper helper, String cleanup, Measure measure) {
        RuntimeException failure = null;
        Effect effect = Effect.notMeasured("the helper " + helper.name() + " had already ended (at its deadline), taking the"
                + " counters with the change it undid");
        try {
            // the measurement first, in a subshell so that nothing it does can change the cleanup's exit status
            ExecResult r = helper.exec(List.of("bash", "-c", "( " + measure.script() + " ) 2>/dev/null\n" + cleanup),
                    Duration.ofSeconds(20));
            effect = SimpleInjection.safely(() -> measure.read(r.stdout()));
            if (!r.ok()) {
                failure = new FaultException(kind + " revert: helper " + helper.name() + " could not undo it (exit " + r.exitCode()
                        + "): " + (r.stderr().strip() + " " + r.stdout().strip()).strip());
            }
        } catch (RuntimeException e) {
            // the helper may have ended at its deadline, having cleaned up itself
            failure = gone(helper) ? null : e;
        }
        try {
            helper.remove();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw failure instanceof FaultException f ? f : new FaultException(kind + " revert: " + failure.getMessage(), failure);
        }
        return effect;
    }

    private static boolean gone(Helper helper) {
        try {
            return !helper.engine().inspect(helper.id()).running();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
