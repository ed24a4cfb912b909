package dev.faultline.dsl;

import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.swarm.Replicas;
import dev.faultline.core.swarm.SwarmStack;
import dev.faultline.core.target.Targets;
import java.util.function.Supplier;

/**
 * Core's {@link Replicas} for a service named before its stack is known: an experiment binds it to its
 * project when built (as {@link ServicePortProbe}). Checking it on a Compose project fails with that reason.
 */
final class ReplicasProbe implements Probe {

    private final String service;
    private final Supplier<Probe> probe;

    private ReplicasProbe(String service, Supplier<Probe> probe) {
        this.service = service;
        this.probe = probe;
    }

    static ReplicasProbe unbound(String service) {
        return new ReplicasProbe(Args.service("service", service), null);
    }

    ReplicasProbe bind(Project project) {
        return new ReplicasProbe(service, ServicePortProbe.memoize(() -> {
            Targets targets = project.targetsForProbes();
            if (!(targets instanceof SwarmStack stack)) {
                throw new IllegalArgumentException("replicas of '" + service + "' are a swarm's: project " + targets.project()
                        + " is not a swarm stack (use Chaos.stack(name))");
            }
            return Replicas.of(stack, service);
        }));
    }

    boolean bound() {
        return probe != null;
    }

    @Override
    public String name() {
        return "replicas of " + service;
    }

    @Override
    public ProbeResult check() {
        if (probe == null) {
            throw new IllegalStateException("replicas of '" + service + "' checked outside an experiment");
        }
        ProbeResult r = probe.get().check();
        return new ProbeResult(name(), r.time(), r.ok(), r.latency(), r.errorClass(), r.detail());
    }
}
