package dev.faultline.core.safety;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds and deletes netfilter rules that faultline added (each carries the comment
 * {@code faultline:<run id>:...}) in the network namespaces of running containers, tables nat, filter,
 * mangle and raw.
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
     * the runs in {@code keepPrefixes} (runs still alive). One short NET_ADMIN helper in each container's
     * network namespace (entering namespaces with nsenter would need a privileged helper, which an
     * engine may not grant).
     */
    static Outcome sweep(Engine engine, String helperRunId, List<ContainerInfo> containers, String prefix, Set<String> keepPrefixes) {
        List<String> deleted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Helpers helpers = Helpers.on(engine);
        for (ContainerInfo c : containers) {
            if (!c.running()) {
                continue; // a stopped container's namespace, and its rules, are gone
            }
            Helpers.Finished r;
            try {
                r = helpers.runToEnd(HelperRequest.of(helperRunId, "rule-sweep", c, Duration.ofSeconds(30),
                                List.of("bash", "-c", script(), "sweep", prefix, String.join(" ", keepPrefixes), c.name()))
                        .withNetworkMode("container:" + c.id()).withCapAdd("NET_ADMIN"), Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                if (Undoer.inspect(engine, c.id()).map(ContainerInfo::running).orElse(false)) {
                    failed.add("could not look for netfilter rules in " + c.name() + ": " + e.getMessage());
                }
                continue;
            }
            for (String line : r.output().split("\n")) {
                if (line.startsWith("deleted ")) {
                    deleted.add(line);
                } else if (line.startsWith("failed ")) {
                    failed.add(line);
                }
            }
            if (r.exitCode() != 0 && failed.isEmpty()) {
                failed.add("could not look for netfilter rules in " + c.name() + " (helper exit " + r.exitCode() + "): "
                        + r.output().strip());
            }
        }
        return new Outcome(List.copyOf(deleted), List.copyOf(failed));
    }

    /**
     * Runs in the container's network namespace. $1 comment prefix, $2 space-separated prefixes to
     * keep, $3 the container's name. {@code -S} quotes a comment holding colons, so each rule is
     * re-read by the shell with eval (comments only ever hold [A-Za-z0-9_.:-]).
     */
    static String script() {
        return String.join("\n",
                "prefix=$1; keep=$2; name=$3",
                "for t in nat filter mangle raw; do",
                "  rules=$(iptables -w 5 -t \"$t\" -S 2>/dev/null | grep -F -- \"$prefix\")",
                "  [ -z \"$rules\" ] && continue",
                "  while read -r r; do",
                "    skip=0; for k in $keep; do case \"$r\" in *\"$k\"*) skip=1;; esac; done",
                "    [ $skip = 1 ] && continue",
                "    if eval \"iptables -w 5 -t $t ${r/#-A /-D }\"; then echo \"deleted $t rule in $name: $r\";",
                "    else echo \"failed to delete $t rule in $name: $r\"; fi",
                "  done <<< \"$rules\"",
                "done",
                "exit 0");
    }
}
