package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * API stop (TERM, then KILL after {@code timeout}); revert starts the container again.
 *
 * <p>Docker records an API stop as a manual stop and does <strong>not</strong> apply the restart
 * policy: without the revert the container stays down. To test restart behaviour use {@link CrashFault}.
 */
public record StopFault(Targeting targeting, Duration timeout) implements PerContainerFaultSupport {

    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public StopFault {
        Objects.requireNonNull(targeting, "targeting");
        Checks.between("timeout", timeout, Duration.ZERO, MAX_TIMEOUT);
    }

    /** Stop with Docker's usual grace period of 10 s. */
    public static StopFault of(String service) {
        return new StopFault(Targeting.all(service), Duration.ofSeconds(10));
    }

    public StopFault timeout(Duration grace) {
        return new StopFault(targeting, grace);
    }

    public StopFault index(int index) {
        return new StopFault(targeting.index(index), timeout);
    }

    public StopFault limit(int max) {
        return new StopFault(targeting.limit(max), timeout);
    }

    @Override
    public String kind() {
        return "stop";
    }

    @Override
    public String describe() {
        return "stop " + targeting + " (API stop, grace " + timeout.toSeconds() + " s; reverted by start)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo c) {
        Instant at = Instant.now();
        context.engine().stop(c.id(), timeout);
        return SimpleInjection.reverting("API stop of " + c.name() + " (grace " + timeout.toSeconds()
                        + " s); a manual stop that Docker does not restart, reverted by API start",
                List.of(c.name()), at, () -> context.engine().start(c.id()))
                .measuredBy(() -> Lifecycles.seen(context.engine(), c, kind(), dev.faultline.core.engine.ContainerState.EXITED,
                        c.name() + " was running again before the revert started it: something else started it"));
    }
}
