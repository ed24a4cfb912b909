package dev.faultline.core.safety;

import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import java.util.Map;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.ContainerState;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.helper.Helpers;
import dev.faultline.core.netfilter.NetfilterSweep;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out one {@link Undo} through the engine, looking first at the container's state so that an
 * undo is idempotent: a container no longer paused is not unpaused, one running again is not started.
 * The same steps as the reaper's script, in Java, for {@link Recover} and for settling a revert.
 */
final class Undoer {


    private Undoer() {}

    /**
     * The order to undo a run's open entries in: containers running again first (a paused or stopped
     * container's network namespace cannot be entered to delete rules), then CPU quotas, then helpers (TERM
     * lets each one's trap undo its own change), then memory limits (a stressor is gone before its target's
     * limit is lifted or lowered), then what is left of the rules; newest first within each.
     */
    static final java.util.Comparator<Ledger.Entry> ORDER = java.util.Comparator
            .comparingInt((Ledger.Entry e) -> e.undo().action().ordinal())
            .thenComparing(java.util.Comparator.comparingLong(Ledger.Entry::seq).reversed());

    /** What was done, in words; empty when nothing needed doing. Throws when the undo failed. */
    static Optional<String> undo(Engine engine, Undo undo, String helperRunId) {
        if (undo.action() == Undo.Action.NODE_AVAILABILITY || undo.action() == Undo.Action.SCALE) {
            return undoSwarm(engine, undo);
        }
        Optional<ContainerInfo> found = inspect(engine, undo.containerId());
        if (found.isEmpty()) {
            return Optional.empty(); // gone: with it went its pause, quota, rules and helper
        }
        ContainerInfo c = found.get();
        switch (undo.action()) {
            case UNPAUSE -> {
                if (c.state() != ContainerState.PAUSED) {
                    return Optional.empty();
                }
                engine.unpause(c.id());
                return Optional.of("unpaused " + c.name());
            }
            case START -> {
                if (c.running() || c.state() == ContainerState.RESTARTING) {
                    return Optional.empty();
                }
                if (c.state() == ContainerState.PAUSED) {
                    return Optional.empty();
                }
                engine.start(c.id());
                return Optional.of("started " + c.name() + " (a fault had stopped it)");
            }
            case RESTORE_CPU_QUOTA -> {
                long want = undo.quota() > 0 ? undo.quota() : 0;
                long have = c.cpuQuota() > 0 ? c.cpuQuota() : 0;
                long period = undo.period() > 0 ? undo.period() : 100_000;
                if (want == have && (want == 0 || c.cpuPeriod() == period)) {
                    return Optional.empty();
                }
                engine.updateCpuQuota(c.id(), want > 0 ? want : -1, period);
                return Optional.of("restored " + (want > 0 ? "CPU quota " + want + " us per " + period + " us" : "no CPU limit")
                        + " on " + c.name() + " (was " + (have > 0 ? have + " us per " + c.cpuPeriod() + " us" : "unlimited") + ")");
            }
            case REMOVE_HELPER -> {
                return Optional.of(removeHelper(engine, c));
            }
            case RESTORE_MEMORY_LIMIT -> {
                long want = Math.max(0, undo.quota());
                long have = engine.memoryLimit(c.id());
                if (want == have) {
                    return Optional.empty();
                }
                engine.updateMemoryLimit(c.id(), want);
                return Optional.of("restored " + Undo.memoryLimit(want) + " on " + c.name() + " (was "
                        + (have > 0 ? Undo.size(have) : "unlimited") + ")");
            }
            case DELETE_RULES -> {
                NetfilterSweep.Outcome o = NetfilterSweep.sweep(engine, helperRunId, List.of(c), undo.comment(), Set.of());
                if (!o.failed().isEmpty()) {
                    throw new IllegalStateException(String.join("; ", o.failed()));
                }
                return o.deleted().isEmpty() ? Optional.empty()
                        : Optional.of("deleted " + o.deleted().size() + " netfilter rule(s) " + undo.comment() + "* in " + c.name());
            }
            default -> throw new IllegalStateException("unknown undo " + undo.action());
        }
    }

    /** Swarm changes are undone through the manager, and only when still needed (idempotent like the rest). */
    private static Optional<String> undoSwarm(Engine engine, Undo undo) {
        if (undo.action() == Undo.Action.NODE_AVAILABILITY) {
            NodeAvailability want = NodeAvailability.ofKey(undo.comment());
            Optional<SwarmNode> node = engine.swarmNodes().stream().filter(n -> n.id().equals(undo.containerId())).findFirst();
            if (node.isEmpty() || node.get().availability() == want) {
                return Optional.empty();
            }
            engine.updateNodeAvailability(undo.containerId(), want);
            return Optional.of("set swarm node " + undo.containerName() + " back to " + want.key()
                    + " (was " + node.get().availability().key() + ")");
        }
        Optional<SwarmService> service = engine.swarmServices(Map.of()).stream()
                .filter(s -> s.id().equals(undo.containerId())).findFirst();
        if (service.isEmpty() || service.get().replicas() == undo.quota()) {
            return Optional.empty();
        }
        engine.scaleService(undo.containerId(), (int) undo.quota());
        return Optional.of("scaled swarm service " + undo.containerName() + " back to " + undo.quota()
                + " replica(s) (was " + service.get().replicas() + ")");
    }

    /** TERM first, so that the helper's trap undoes its change (a rule, a qdisc), then remove. */
    static String removeHelper(Engine engine, ContainerInfo h) {
        return Helpers.on(engine).stopAndRemove(h);
    }

    static Optional<ContainerInfo> inspect(Engine engine, String id) {
        try {
            return Optional.of(engine.inspect(id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
