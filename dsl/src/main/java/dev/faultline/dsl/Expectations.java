package dev.faultline.dsl;

import dev.faultline.core.experiment.AbortRule;
import dev.faultline.core.experiment.Expectation;
import java.time.Duration;

/** What must hold, and when to give up: {@code recoveredWithin(ofSeconds(30))}, {@code errorRateAbove(0.9).lasting(ofSeconds(20))}. */
public final class Expectations {

    private Expectations() {}

    /** The steady state holds again within {@code within} of the end of the last fault. */
    public static Expectation recoveredWithin(Duration within) {
        return Expectation.recoveredWithin(Args.positive("within", within, Duration.ofHours(1)));
    }

    /** Less than {@code rate} (0 to 1) of the calls fail from the first fault on. */
    public static Expectation errorRateBelow(double rate) {
        if (!(rate > 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be in (0.0, 1.0], got " + rate);
        }
        return Expectation.errorRateBelow(rate);
    }

    /** The 99th percentile latency from the first fault on stays below {@code bound}. */
    public static Expectation p99Below(Duration bound) {
        return Expectation.p99Below(Args.positive("bound", bound, Duration.ofMinutes(10)));
    }

    /** No call fails once the stack answers again after the last fault. */
    public static Expectation noErrorsAfterRecovery() {
        return Expectation.noErrorsAfterRecovery();
    }

    /**
     * No call fails once {@code service} accepts connections on {@code port} again after the last
     * fault, e.g. {@code noErrorsOnceAccepting("db", 5432)}: a Django that keeps a connection the
     * database closed fails here, one that checks its connections (CONN_HEALTH_CHECKS) does not.
     */
    public static Expectation noErrorsOnceAccepting(String service, int port) {
        return Expectation.noErrorsOnceReady(ServicePortProbe.unbound(service, port), service + " accepted connections again");
    }

    /** Not one call failed from the first fault on: with replicas, another one kept serving while one died. */
    public static Expectation noFailedRequests() {
        return Expectation.noFailedRequests();
    }

    /**
     * On a swarm stack: after the first fault, the service lost running tasks and had as many running as it wants
     * again within {@code within}; the verdict says how long it took.
     */
    public static Expectation replicasBackWithin(String service, Duration within) {
        return Expectation.backWithin(ReplicasProbe.unbound(service), service + " has its replicas running",
                Args.positive("within", within, Duration.ofHours(1)));
    }

    /** Every acknowledged write reads back after recovery (needs a load that tracks writes). */
    public static Expectation noLostWrites() {
        return Expectation.noLostWrites();
    }

    /** Abort when more than {@code rate} of the calls fail ... for how long: {@link AbortStage#lasting}. */
    public static AbortStage errorRateAbove(double rate) {
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalArgumentException("rate must be in [0.0, 1.0), got " + rate);
        }
        return new AbortStep(rate);
    }

    /** An abort rule waiting for its duration. */
    public sealed interface AbortStage permits AbortStep {
        AbortRule lasting(Duration duration);
    }

    record AbortStep(double rate) implements AbortStage {
        @Override
        public AbortRule lasting(Duration duration) {
            // whole seconds: the window is counted in one-second buckets (AbortRule)
            if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0
                    || duration.toNanosPart() != 0) {
                throw new IllegalArgumentException("duration must be whole seconds in [PT1S, PT1H], got " + duration);
            }
            return new AbortRule(rate, duration);
        }
    }
}
