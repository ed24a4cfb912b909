package dev.faultline.dsl;

import dev.faultline.core.fault.Fault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A fault verb applied to a service. Faults that last are made from their duration, since some
 * (CPU stress, latency) enforce it themselves.
 *
 * @param services every service the fault needs, checked before anything is touched
 */
record PlannedFault(Project project, String service, String verb, Set<String> services,
        Function<Duration, Fault> make, boolean lasts, Optional<Duration> duration) implements FaultStage {

    /** What a fault that lasts lasts when nobody said. */
    static final Duration DEFAULT_LASTING = Duration.ofSeconds(10);
    static final Duration MAX_LASTING = Duration.ofHours(1);

    PlannedFault {
        services = Set.copyOf(services);
    }

    static PlannedFault oneShot(Project project, String service, String verb, Set<String> services, Fault fault) {
        return new PlannedFault(project, service, verb, services, d -> fault, false, Optional.empty());
    }

    static PlannedFault lasting(Project project, String service, String verb, Set<String> services,
            Function<Duration, Fault> make) {
        // Build once with the default now, so that a bad argument fails here and not at run time.
        make.apply(DEFAULT_LASTING);
        return new PlannedFault(project, service, verb, services, make, true, Optional.empty());
    }

    @Override
    public FaultStage lasting(Duration duration) {
        Args.positive("duration", duration, MAX_LASTING);
        if (!lasts) {
            throw new IllegalArgumentException("duration cannot be set for '" + describe()
                    + "': it happens once and has nothing to revert");
        }
        make.apply(duration); // the fault's own bounds (e.g. CPU stress needs at least 1 s)
        return new PlannedFault(project, service, verb, services, make, lasts, Optional.of(duration));
    }

    /** How long it lasts: its own duration, else {@code override}, else the default; empty for one-shot faults. */
    Optional<Duration> lastingOr(Optional<Duration> override) {
        if (!lasts) {
            return Optional.empty();
        }
        return Optional.of(override.or(() -> duration).orElse(DEFAULT_LASTING));
    }

    Fault faultLasting(Optional<Duration> lasting) {
        return make.apply(lasting.orElse(DEFAULT_LASTING));
    }

    @Override
    public ExpectStage expect(HealthCheck steadyState) {
        return new QuickExperiment(this, Args.notNull("steadyState", steadyState));
    }

    @Override
    public Fault fault() {
        return faultLasting(lastingOr(Optional.empty()));
    }

    @Override
    public String describe() {
        return fault().describe();
    }
}
