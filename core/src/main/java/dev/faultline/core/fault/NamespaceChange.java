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

    /** Inserts {@code rules}, each commented with {@code tag}, and holds them until revert or {@code duration}. */
    static Injection holdRules(FaultContext context, String kind, ContainerInfo c, Duration duration, String tag,
                               List<Rule> rules, String what) {
        StringBuilder setup = new StringBuilder("set -e\n");
        rules.forEach(r -> setup.append(r.insert(tag)).append('\n'));
        String mechanism = what + ": iptables rule(s) " + rules + " (comment " + tag + ") in " + c.name() + "'s network namespace";
        return hold(context, kind, c, duration, setup.toString(), NetfilterSweep.command(tag, c.name()), mechanism);
    }

    /**
     * Starts the helper in {@code c}'s network namespace, runs {@code setup} there (undoing it when it
     * fails), and returns the injection whose close runs {@code cleanup} and removes the helper.
     */
    static Injection hold(FaultContext context, String kind, ContainerInfo c, Duration duration, String setup, String cleanup,
                          String mechanism) {
        return hold(context, kind, c, duration, setup, cleanup, mechanism,
                r -> r.withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"));
    }

    /**
     * As {@link #hold(FaultContext, String, ContainerInfo, Duration, String, String, String)}, with the
     * helper placed by {@code placement} (e.g. in the target's PID namespace instead of its network one).
     * Where {@code mechanism} contains {@code {out}}, it is replaced by the last line {@code setup} printed.
     */
    static Injection hold(FaultContext context, String kind, ContainerInfo c, Duration duration, String setup, String cleanup,
                          String mechanism, java.util.function.UnaryOperator<HelperRequest> placement) {
        HelperRequest request = placement.apply(HelperRequest.of(context.runId(), kind, c, duration,
                List.of("bash", "-c", watchdogScript(), kind, cleanup)));
        Helper helper = Helpers.on(context.engine()).start(request);
        Runnable revert = () -> revert(kind, helper, cleanup);
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
            try {
                revert.run();
            } catch (RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
        return SimpleInjection.reverting(mechanism.replace("{out}", out) + ", held by helper " + helper.name() + ", which undoes it after "
                + duration.toSeconds() + " s or on revert", List.of(c.name()), at, revert);
    }

    private static void revert(String kind, Helper helper, String cleanup) {
        RuntimeException failure = null;
        try {
            ExecResult r = helper.exec(List.of("bash", "-c", cleanup), Duration.ofSeconds(20));
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
    }

    private static boolean gone(Helper helper) {
        try {
            return !helper.engine().inspect(helper.id()).running();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
