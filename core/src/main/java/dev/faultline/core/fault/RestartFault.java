package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * API restart (stop with a grace period, then start), e.g. a database restart under load.
 * One-shot: the container comes back by itself; closing the injection does nothing.
 */
public record RestartFault(Targeting targeting, Duration timeout) implements PerContainerFaultSupport {

    public RestartFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.between("timeout", timeout, Duration.ZERO, StopFault.MAX_TIMEOUT);
    }

    public static RestartFault of(String service) {
        return new RestartFault(Targeting.all(service), Duration.ofSeconds(10));
    }

    public RestartFault timeout(Duration grace) {
        return new RestartFault(targeting, grace);
    }

    public RestartFault index(int index) {
        return new RestartFault(targeting.index(index), timeout);
    }

    public RestartFault limit(int max) {
        return new RestartFault(targeting.limit(max), timeout);
    }

    @Override
    public String kind() {
        return "restart";
    }

    @Override
    public String describe() {
        return "restart " + targeting + " (API restart, grace " + timeout.toSeconds() + " s)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo listed) {
        ContainerInfo c = context.engine().inspect(listed.id());
        Instant at = Instant.now();
        context.engine().restart(c.id(), timeout);
        return SimpleInjection.oneShot("API restart of " + c.name() + " (stop with grace " + timeout.toSeconds()
                + " s, then start)", List.of(c.name()), at)
                .measuredBy(() -> Lifecycles.death(context.engine(), c, kind(), Lifecycles.DEATH_WAIT));
    }
}
