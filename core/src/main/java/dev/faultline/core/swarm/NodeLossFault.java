package dev.faultline.core.swarm;

import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.SimpleInjection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Loses a swarm node, where the node is a container on a machine engine ({@link SwarmEngine#withMachines}):
 * <ul>
 * <li>{@link Mode#PAUSE}: the node's container is frozen: its dockerd and containerd stop answering, so the
 * manager stops hearing from it and marks it down; the task containers on it are in cgroups of their own and
 * keep running (a hung engine, not a dead machine). Revert unpauses it.
 * <li>{@link Mode#STOP}: the node's container is stopped, and with it its engine and every container on it, as
 * in a power loss. Revert starts it; the engine rejoins the swarm with the state it kept on disk.
 * </ul>
 * Both are recorded in the run's ledger on the machine engine, where the run's reaper can undo them after the
 * JVM died.
 */
public record NodeLossFault(NodeTarget node, Mode mode) implements Fault {

    /** How long a stop waits before SIGKILL: a node that is lost does not shut down gracefully. */
    static final Duration STOP_GRACE = Duration.ofSeconds(1);

    public enum Mode { PAUSE, STOP }

    public NodeLossFault {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(mode, "mode");
    }

    @Override
    public String describe() {
        return mode == Mode.PAUSE
                ? "pause the engine of " + node + " (dockerd frozen: the manager loses it; reverted by unpause)"
                : "stop " + node + " (its engine and containers die; reverted by starting it)";
    }

    @Override
    public Injection inject(FaultContext context) {
        SwarmStack stack = NodeTarget.stack(context, "node loss");
        SwarmNode n = node.resolve(context, "node loss");
        String container = stack.engine().machineOf(n.hostname()).orElseThrow(() -> new FaultException("node loss "
                + n.hostname() + ": nothing done, this swarm's nodes are not containers on a machine engine that faultline"
                + " knows (SwarmEngine.withMachines); on real machines, lose a node with your platform's tools"));
        Instant at = Instant.now();
        if (mode == Mode.PAUSE) {
            context.engine().pause(container);
            return SimpleInjection.reverting("container of swarm node " + n.hostname() + " paused on the machine engine"
                    + " (its dockerd and containerd frozen; containers on it keep running), reverted by unpause",
                    List.of(n.hostname()), at, () -> context.engine().unpause(container));
        }
        context.engine().stop(container, STOP_GRACE);
        return SimpleInjection.reverting("container of swarm node " + n.hostname() + " stopped on the machine engine"
                + " (its engine and every container on it gone), reverted by starting it", List.of(n.hostname()), at,
                () -> context.engine().start(container));
    }
}
