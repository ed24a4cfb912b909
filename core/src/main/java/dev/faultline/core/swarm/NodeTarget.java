package dev.faultline.core.swarm;

import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmTask;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import java.util.List;
import java.util.Objects;

/**
 * Which swarm node a node fault acts on: one named by hostname, or the one that runs a service's task
 * (by slot order: index 0 is the lowest slot), looked up when the fault is injected.
 *
 * @param hostname the node's hostname, or empty when chosen by service
 * @param service  the service (name in the stack file) whose task's node is meant, or empty
 * @param index    which of the service's running tasks (0-based, by slot)
 */
public record NodeTarget(String hostname, String service, int index) {

    public NodeTarget {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(service, "service");
        if (hostname.isBlank() == service.isBlank()) {
            throw new IllegalArgumentException("a node target names either a hostname or a service, got hostname '"
                    + hostname + "' and service '" + service + "'");
        }
        if (index < 0 || index > 1000) {
            throw new IllegalArgumentException("index must be in [0, 1000], got " + index);
        }
    }

    public static NodeTarget named(String hostname) {
        return new NodeTarget(hostname == null ? "" : hostname, "", 0);
    }

    /** The node running the service's first task (lowest slot). */
    public static NodeTarget running(String service) {
        return new NodeTarget("", service == null ? "" : service, 0);
    }

    public NodeTarget index(int i) {
        return new NodeTarget(hostname, service, i);
    }

    /** The stack of a swarm fault; a Compose stack has no nodes. */
    static SwarmStack stack(FaultContext context, String fault) {
        if (context.targets() instanceof SwarmStack stack) {
            return stack;
        }
        throw new FaultException(fault + ": nothing done, this fault needs a swarm stack (Chaos.stack(\"shop\")...), got "
                + context.targets());
    }

    /**
     * The node, ready or not.
     *
     * @throws FaultException when there is no such node, or the service has no running task at that index
     */
    SwarmNode resolve(FaultContext context, String fault) {
        SwarmStack stack = stack(context, fault);
        List<SwarmNode> nodes = context.engine().swarmNodes();
        String wanted = hostname;
        if (!service.isEmpty()) {
            List<SwarmTask> running = stack.wantedTasks(service).stream().filter(SwarmTask::running).toList();
            if (index >= running.size()) {
                throw new FaultException(fault + ": nothing done, service '" + service + "' has " + running.size()
                        + " running task(s), index " + index + " is out of range");
            }
            String nodeId = running.get(index).nodeId();
            return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst()
                    .orElseThrow(() -> new FaultException(fault + ": nothing done, node " + nodeId + " is not in the swarm"));
        }
        return nodes.stream().filter(n -> n.hostname().equals(wanted)).findFirst()
                .orElseThrow(() -> new FaultException(fault + ": nothing done, no swarm node '" + wanted + "'; nodes: "
                        + nodes.stream().map(SwarmNode::hostname).toList()));
    }

    @Override
    public String toString() {
        return service.isEmpty() ? "node " + hostname : "the node running " + service + (index > 0 ? "[" + index + "]" : "");
    }
}
