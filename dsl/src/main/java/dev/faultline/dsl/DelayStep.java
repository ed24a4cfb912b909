package dev.faultline.dsl;

import dev.faultline.core.fault.NetworkLatencyFault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

record DelayStep(Project project, String service, Duration latency, Optional<Duration> jitter, boolean onlyNew)
        implements DelayStage {

    DelayStep(Project project, String service, Duration latency, Optional<Duration> jitter) {
        this(project, service, latency, jitter, false);
    }

    // The fault's own deadline outlives the planned revert a little, so the runner's revert is
    // what normally ends it, and a dead JVM still cannot leave the delay behind for long.
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(10);

    @Override
    public DelayStage jitter(Duration jitter) {
        Args.notNegative("jitter", jitter, latency);
        return new DelayStep(project, service, latency, Optional.of(jitter), onlyNew);
    }

    @Override
    public DelayStage onlyNewConnections() {
        return new DelayStep(project, service, latency, jitter, true);
    }

    @Override
    public FaultStage to(String destinationService, int port) {
        Args.service("service", destinationService);
        Args.between("port", port, 1, 65535);
        NetworkLatencyFault of = NetworkLatencyFault.of(service, destinationService, port, latency).jitter(jitter.orElse(Duration.ZERO));
        NetworkLatencyFault base = onlyNew ? of.onlyNewConnections() : of;
        return PlannedFault.lasting(project, service, "delay", Set.of(service, destinationService),
                d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }
}
