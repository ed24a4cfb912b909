package dev.faultline.core.safety;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds and deletes netfilter rules that faultline added (each carries the comment
 * {@code faultline:<run id>:...}) in the network namespaces of running containers, from one privileged
 * helper that enters each namespace by the container's host PID. Tables nat, filter and mangle.
 */
final class RuleSweep {

    static final String COMMENT_PREFIX = "faultline:";

    private RuleSweep() {}

    /** The comment prefix of one run's rules, as the faults write it. */
    static String prefixOf(String runId) {
        return COMMENT_PREFIX + runId.replaceAll("[^A-Za-z0-9_.-]", "-") + ":";
    }

    /** What was deleted ("deleted nat rule ... in web-1") and what could not be; both empty when nothing matched. */
    record Outcome(List<String> deleted, List<String> failed) {}

    /**
     * Deletes the rules whose comment starts with {@code prefix} in each container, except those of
     * the runs in {@code keepPrefixes} (runs still alive).
     */
    static Outcome sweep(Engine engine, String helperRunId, List<ContainerInfo> containers, String prefix, Set<String> keepPrefixes) {
        List<String> targets = containers.stream().filter(c -> c.running() && c.hostPid() > 0)
                .map(c -> c.name() + "=" + c.hostPid()).toList();
        if (targets.isEmpty()) {
            return new Outcome(List.of(), List.of());
        }
        List<String> command = new ArrayList<>(List.of("bash", "-c", script(), "sweep", prefix, String.join(" ", keepPrefixes)));
        command.addAll(targets);
        PrivilegedHelper.Result r = PrivilegedHelper.run(engine, helperRunId, "rule-sweep", Duration.ofSeconds(60), command);
        List<String> deleted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (line.startsWith("deleted ")) {
                deleted.add(line);
            } else if (line.startsWith("failed ")) {
                failed.add(line);
            }
        }
        if (r.exitCode() != 0 && failed.isEmpty()) {
            failed.add("failed to sweep netfilter rules (helper exit " + r.exitCode() + "): " + r.output().strip());
        }
        return new Outcome(List.copyOf(deleted), List.copyOf(failed));
    }

    /**
     * $1 comment prefix, $2 space-separated prefixes to keep, then name=pid pairs. {@code -S} quotes a
     * comment holding colons, so each rule is re-read by the shell with eval (comments only ever hold
     * [A-Za-z0-9_.:-]).
     */
    static String script() {
        return String.join("\n",
                "prefix=$1; keep=$2; shift 2",
                "for arg in \"$@\"; do",
                "  name=${arg%%=*}; pid=${arg#*=}",
                "  for t in nat filter mangle; do",
                "    rules=$(nsenter -t \"$pid\" -n iptables -w 5 -t \"$t\" -S 2>/dev/null | grep -F -- \"$prefix\")",
                "    [ -z \"$rules\" ] && continue",
                "    while read -r r; do",
                "      skip=0; for k in $keep; do case \"$r\" in *\"$k\"*) skip=1;; esac; done",
                "      [ $skip = 1 ] && continue",
                "      if eval \"nsenter -t $pid -n iptables -w 5 -t $t ${r/#-A /-D }\"; then echo \"deleted $t rule in $name: $r\";",
                "      else echo \"failed to delete $t rule in $name: $r\"; fi",
                "    done <<< \"$rules\"",
                "  done",
                "done",
                "exit 0");
    }
}
