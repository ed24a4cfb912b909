package dev.faultline.core.swarm;

import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.SimpleInjection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Drains a swarm node, as for maintenance: the manager stops its tasks and schedules them on other nodes
 * that satisfy their constraints (a task pinned to that node has nowhere to go; a task with a local volume
 * starts elsewhere with another, empty one). Revert sets the availability it had back; tasks do not move
 * back by themselves.
 */
public record DrainFault(NodeTarget node) implements Fault {

    public DrainFault {
        Objects.requireNonNull(node, "node");
    }

    @Override
    public String describe() {
        return "drain " + node + " (the swarm moves its tasks to other nodes; reverted by making it active again)";
    }

    @Override
    public Injection inject(FaultContext context) {
        SwarmNode n = node.resolve(context, "drain");
        if (n.availability() == NodeAvailability.DRAIN) {
            throw new FaultException("drain " + n.hostname() + ": nothing done, the node is already drained");
        }
        NodeAvailability before = n.availability();
        Instant at = Instant.now();
        context.engine().updateNodeAvailability(n.id(), NodeAvailability.DRAIN);
        return SimpleInjection.reverting("swarm node " + n.hostname() + " set to drain through the manager (it was "
                        + before.key() + "), reverted by setting it " + before.key() + " again", List.of(n.hostname()), at,
                () -> context.engine().updateNodeAvailability(n.id(), before));
    }
}
