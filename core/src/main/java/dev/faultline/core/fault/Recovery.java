package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Undoes what a run left behind when its injections could not be closed (the JVM was killed):
 * stops its helpers gently, so that each one's trap undoes its change (a DNAT rule, a qdisc), then
 * removes them, then sweeps the netfilter tables (filter, nat, mangle, raw) of their targets for rules still carrying the run id.
 */
public final class Recovery {


    private Recovery() {}

    /** What was found and done, one line each; empty when the run left nothing. */
    public static List<String> recover(Engine engine, String runId) {
        Checks.text("runId", runId);
        List<String> done = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        Helpers helpers = Helpers.on(engine);
        for (ContainerInfo h : helpers.of(runId)) {
            String target = h.labels().get(Helpers.TARGET);
            if (target != null && !target.isBlank()) {
                targets.add(target);
            }
            done.add(helpers.stopAndRemove(h));
        }
        for (String target : targets) {
            sweepRules(engine, helpers, runId, target).ifPresent(done::add);
        }
        return done;
    }

    private static java.util.Optional<String> sweepRules(Engine engine, Helpers helpers, String runId, String target) {
        ContainerInfo c;
        try {
            c = engine.inspect(target);
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // gone: its network namespace and rules went with it
        }
        if (!c.running()) {
            return java.util.Optional.empty();
        }
        String prefix = "faultline:" + runId.replaceAll("[^A-Za-z0-9_.-]", "-") + ":";
        var r = helpers.runToEnd(HelperRequest.of(runId, "recover", c, Duration.ofSeconds(30),
                        List.of("bash", "-c", "n=$(iptables-save | grep -cF -- \"$1\"); "
                                + NamespaceChange.deleteTaggedRulesScript() + " && echo $n", "recover", prefix))
                .withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"), Duration.ofSeconds(60));
        String removed = r.output().strip();
        if (r.exitCode() != 0) {
            return java.util.Optional.of("could not sweep netfilter rules of " + c.name() + ": " + removed);
        }
        return "0".equals(removed) ? java.util.Optional.empty()
                : java.util.Optional.of("deleted " + removed + " leftover netfilter rule(s) " + prefix + "* in " + c.name());
    }

    /** The helpers of a run, as labels select them (for a status view). */
    public static List<ContainerInfo> leftovers(Engine engine, String runId) {
        return engine.containers(Map.of(Helpers.RUN_ID, runId, Helpers.ROLE, Helpers.ROLE_HELPER), true);
    }
}
