package dev.faultline.core.swarm;

import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.status.Warning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A stack on a swarm at one moment: its services, the tasks the swarm wants running (on which node, in which
 * state) and the nodes; {@link #warnings()} is a pure function of that snapshot.
 *
 * @param tasks by service id: the tasks with desired state running
 */
public record SwarmStatus(String stack, Instant time, List<SwarmNode> nodes, List<SwarmService> services,
        Map<String, List<SwarmTask>> tasks) {

    public SwarmStatus {
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        tasks = Map.copyOf(tasks);
    }

    /** Asks the manager now. */
    public static SwarmStatus of(SwarmStack stack) {
        List<SwarmService> services = stack.swarmServices();
        Map<String, List<SwarmTask>> tasks = new LinkedHashMap<>();
        for (SwarmService s : services) {
            tasks.put(s.id(), stack.engine().swarmTasks(s.id()).stream().filter(SwarmTask::wanted).toList());
        }
        return new SwarmStatus(stack.project(), Instant.now(), stack.engine().swarmNodes(), services, tasks);
    }

    /** What matters on a swarm before an experiment, per service, then per node. */
    public List<Warning> warnings() {
        List<Warning> warnings = new ArrayList<>();
        for (SwarmService s : services) {
            String name = s.shortName();
            List<SwarmTask> wanted = tasks.getOrDefault(s.id(), List.of());
            long running = wanted.stream().filter(SwarmTask::running).count();
            if (!s.global() && running < s.replicas()) {
                warnings.add(new Warning(name, "", running + " of " + s.replicas() + " replicas running"));
            }
            if (s.replicas() == 1) {
                warnings.add(new Warning(name, "", "one replica: when its task dies the service is down until the swarm"
                        + " has started and health-checked another"));
            }
            if (!s.healthcheck()) {
                warnings.add(new Warning(name, "", "no healthcheck: the swarm counts a task as running as soon as its"
                        + " process starts, and keeps it when it hangs"));
            }
            if (!s.updateConfig()) {
                warnings.add(new Warning(name, "", "no update_config: a deploy replaces its tasks with the defaults"
                        + " (one at a time, stopping the old task first)"));
            }
            if (!s.rollbackConfig()) {
                warnings.add(new Warning(name, "", "no rollback_config: a failed update is not rolled back the way you chose"));
            }
            List<String> pinned = s.constraints().stream()
                    .filter(c -> c.replace(" ", "").matches("node\\.(hostname|id)==.*")).toList();
            if (!pinned.isEmpty()) {
                warnings.add(new Warning(name, "", "placed on one node (" + String.join(", ", pinned)
                        + "): it cannot move when that node is lost or drained"));
            }
            Set<String> on = wanted.stream().filter(SwarmTask::running).map(SwarmTask::nodeId)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (running > 1 && on.size() == 1) {
                warnings.add(new Warning(name, "", "all " + running + " running tasks are on node " + hostname(on.iterator().next())
                        + ": losing that node loses the service"));
            }
        }
        for (SwarmNode n : nodes) {
            if (!n.ready()) {
                warnings.add(new Warning("", n.hostname(), "node is " + n.state() + ": the swarm moves its tasks away"));
            }
            if (n.availability() != NodeAvailability.ACTIVE) {
                warnings.add(new Warning("", n.hostname(), "node availability is " + n.availability().key()
                        + ": it takes no new tasks"));
            }
        }
        return List.copyOf(warnings);
    }

    /** Hostname of a node id, or the id when the node is unknown. */
    public String hostname(String nodeId) {
        return nodes.stream().filter(n -> n.id().equals(nodeId)).map(SwarmNode::hostname).findFirst().orElse(nodeId);
    }

    /** A table of services, tasks and nodes, then the warnings. */
    public String render() {
        StringBuilder b = new StringBuilder("stack " + stack + " (" + nodes.size() + " nodes)\n");
        for (SwarmService s : services) {
            List<SwarmTask> wanted = tasks.getOrDefault(s.id(), List.of());
            long running = wanted.stream().filter(SwarmTask::running).count();
            b.append(String.format("  %-10s %s/%s running, endpoint %s%n", s.shortName(), running,
                    s.global() ? "global" : Integer.toString(s.replicas()), s.endpointMode()));
            for (SwarmTask t : wanted) {
                b.append(String.format("    %s.%d  %-9s on %s%n", s.shortName(), t.slot(), t.state(), hostname(t.nodeId())));
            }
        }
        for (SwarmNode n : nodes) {
            b.append(String.format("  node %-30s %-7s %-6s %s%n", n.hostname(), n.role(), n.state(), n.availability().key()));
        }
        List<Warning> w = warnings();
        b.append(w.isEmpty() ? "no warnings\n" : w.size() + " warning(s):\n");
        w.forEach(x -> b.append("  ! ").append(x).append('\n'));
        return b.toString();
    }
}
