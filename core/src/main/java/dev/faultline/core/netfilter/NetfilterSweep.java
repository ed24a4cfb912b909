package dev.faultline.core.netfilter;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.HelperRequest;
import dev.faultline.core.helper.Helpers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one netfilter sweep: deletes the rules whose comment starts with a prefix (a fault's tag, a
 * run's prefix or every run's, see {@link RuleTag}) from every table (nat, filter, mangle, raw) of a
 * network namespace, keeps the rules of the runs it is told are alive, and reports each rule it
 * removes. Used by the faults' own reverts and their helpers' traps, by {@code safety.Undoer} for a
 * dead run's ledger, by {@code safety.Recover} for every run's leftovers and by the reaper's script.
 */
public final class NetfilterSweep {

    private NetfilterSweep() {}

    /** What was deleted ("deleted nat rule in web-1: -A OUTPUT ...") and what could not be; both empty when nothing matched. */
    public record Outcome(List<String> deleted, List<String> failed) {
        public Outcome {
            deleted = List.copyOf(deleted);
            failed = List.copyOf(failed);
        }
    }

    /**
     * The sweep as a bash script, run inside the network namespace. Arguments: $1 the comment prefix,
     * $2 space-separated prefixes to keep (may be empty), $3 the namespace's container name (for the
     * report). Prints {@code deleted <table> rule in <name>: <rule>} for each rule removed and
     * {@code failed ...} for each it could not; exits 1 when any failed or a matching rule is still
     * there afterwards, else 0 (also when there was none). {@code -S} quotes a comment holding colons,
     * so each rule is re-read by the shell with eval (comments only ever hold [A-Za-z0-9_.:-]).
     */
    public static String script() {
        return String.join("\n",
                "prefix=$1; keep=$2; name=$3; status=0",
                "kept() { for k in $keep; do case \"$1\" in *\"$k\"*) return 0;; esac; done; return 1; }",
                "for t in nat filter mangle raw; do",
                "  rules=$(iptables -w 5 -t \"$t\" -S 2>/dev/null | grep -F -- \"$prefix\")",
                "  [ -z \"$rules\" ] && continue",
                "  while read -r r; do",
                "    kept \"$r\" && continue",
                "    if eval \"iptables -w 5 -t $t ${r/#-A /-D }\"; then echo \"deleted $t rule in $name: $r\";",
                "    else echo \"failed to delete $t rule in $name: $r\"; status=1; fi",
                "  done <<< \"$rules\"",
                "done",
                "for t in nat filter mangle raw; do",
                "  while read -r r; do",
                "    [ -z \"$r\" ] && continue; kept \"$r\" && continue",
                "    echo \"failed: still there in $t of $name: $r\"; status=1",
                "  done <<< \"$(iptables -w 5 -t \"$t\" -S 2>/dev/null | grep -F -- \"$prefix\")\"",
                "done",
                "exit $status");
    }

    /**
     * {@link #script()} with its arguments written in (nothing kept), for a helper's trap, which runs
     * a command without arguments. {@code tag} and {@code name} hold only characters that need no
     * quoting inside single quotes.
     */
    public static String command(String tag, String name) {
        return "set -- '" + tag + "' '' '" + name + "'\n" + script();
    }

    /**
     * Sweeps {@code prefix} in each running container, except the rules of {@code keepPrefixes}: one short
     * NET_ADMIN helper of run {@code helperRunId} in each container's network namespace (entering
     * namespaces with nsenter would need a privileged helper, which an engine may not grant).
     */
    public static Outcome sweep(Engine engine, String helperRunId, List<ContainerInfo> containers, String prefix,
            Set<String> keepPrefixes) {
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
                if (stillRunning(engine, c)) {
                    failed.add("could not look for netfilter rules in " + c.name() + ": " + e.getMessage());
                }
                continue;
            }
            List<String> failedHere = new ArrayList<>();
            for (String line : r.output().split("\n")) {
                if (line.startsWith("deleted ")) {
                    deleted.add(line);
                } else if (line.startsWith("failed")) {
                    failedHere.add(line);
                }
            }
            if (r.exitCode() != 0 && failedHere.isEmpty()) {
                failedHere.add("could not look for netfilter rules in " + c.name() + " (helper exit " + r.exitCode() + "): "
                        + r.output().strip());
            }
            failed.addAll(failedHere);
        }
        return new Outcome(deleted, failed);
    }

    private static boolean stillRunning(Engine engine, ContainerInfo c) {
        try {
            return engine.inspect(c.id()).running();
        } catch (RuntimeException gone) {
            return false;
        }
    }
}
