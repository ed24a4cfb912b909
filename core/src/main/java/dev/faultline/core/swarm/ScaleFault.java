package dev.faultline.core.swarm;

import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.FaultException;
import dev.faultline.core.fault.Injection;
import dev.faultline.core.fault.SimpleInjection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Scales a replicated service to fewer (or more) replicas through the manager, the rest of its spec untouched;
 * revert scales it back to what it had.
 */
public record ScaleFault(String service, int replicas) implements Fault {

    public static final int MAX_REPLICAS = 1000;

    public ScaleFault {
        Objects.requireNonNull(service, "service");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must be a non-empty service name, got '" + service + "'");
        }
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be in [0, " + MAX_REPLICAS + "], got " + replicas);
        }
    }

    @Override
    public String describe() {
        return "scale " + service + " to " + replicas + " replica(s) (reverted by scaling it back)";
    }

    @Override
    public Injection inject(FaultContext context) {
        SwarmService s = NodeTarget.stack(context, "scale").service(service);
        if (s.global()) {
            throw new FaultException("scale " + service + ": nothing done, it is a global service (one task per node)");
        }
        if (s.replicas() == replicas) {
            throw new FaultException("scale " + service + ": nothing done, it already has " + replicas + " replica(s)");
        }
        int before = s.replicas();
        Instant at = Instant.now();
        context.engine().scaleService(s.id(), replicas);
        return SimpleInjection.reverting("swarm service " + s.name() + " scaled from " + before + " to " + replicas
                + " replica(s) through the manager, reverted by scaling it back to " + before, List.of(s.name()), at,
                () -> context.engine().scaleService(s.id(), before));
    }
}
