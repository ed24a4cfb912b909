package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * What must be true of the stack for the experiment to hold. Each gets its own {@link Verdict}.
 * An expectation the experiment could never check (p99 without any traffic, lost writes
 * without tracked writes) is rejected when the {@link Experiment} is built.
 */
public sealed interface Expectation {

    /** How tables and reasons name it: "recovered within 30 s". */
    String describe();

    static Expectation recoveredWithin(Duration within) {
        return new RecoveredWithin(within);
    }

    static Expectation errorRateBelow(double rate) {
        return new ErrorRateBelow(rate);
    }

    static Expectation p99Below(Duration bound) {
        return new P99Below(bound);
    }

    static Expectation noErrorsAfterRecovery() {
        return new NoErrorsAfterRecovery();
    }

    /**
     * No call fails once {@code readiness} passes again after the last fault, e.g. once the
     * database accepts connections again: {@code what} says it in words ("db accepted connections again").
     */
    static Expectation noErrorsOnceReady(dev.faultline.core.probe.Probe readiness, String what) {
        return new NoErrorsOnceReady(readiness, what);
    }

    static Expectation noLostWrites() {
        return new NoLostWrites();
    }

    /**
     * Not one call failed from the first fault to the end: with replicas, another one kept serving while
     * one died. Stricter than any {@link #errorRateBelow} bound.
     */
    static Expectation noFailedRequests() {
        return new NoFailedRequests();
    }

    /**
     * {@code readiness} failed after the first fault and passed again within {@code within} of it, e.g. a
     * swarm service had its desired replicas running again. The time it took is the verdict's measurement.
     */
    static Expectation backWithin(dev.faultline.core.probe.Probe readiness, String what, Duration within) {
        return new BackWithin(readiness, what, within);
    }

    /** The steady state holds again within {@code within} of the end of the last fault (its revert, or a one-shot fault). */
    record RecoveredWithin(Duration within) implements Expectation {
        public RecoveredWithin {
            Objects.requireNonNull(within, "within");
            if (within.isZero() || within.isNegative()) {
                throw new IllegalArgumentException("within must be positive, got " + within);
            }
        }

        @Override
        public String describe() {
            return "recovered within " + Durations.words(within);
        }
    }

    /** Failed requests (load, or steady-state checks without load) from the first fault to the end stay below {@code rate}. */
    record ErrorRateBelow(double rate) implements Expectation {
        public ErrorRateBelow {
            if (!(rate > 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("rate must be in (0.0, 1.0], got " + rate);
            }
        }

        @Override
        public String describe() {
            return "error rate below " + Percent.of(rate);
        }
    }

    /** The 99th percentile latency from the first fault to the end stays below {@code bound}. */
    record P99Below(Duration bound) implements Expectation {
        public P99Below {
            Objects.requireNonNull(bound, "bound");
            if (bound.isZero() || bound.isNegative()) {
                throw new IllegalArgumentException("bound must be positive, got " + bound);
            }
        }

        @Override
        public String describe() {
            return "p99 below " + Durations.words(bound);
        }
    }

    /** Once the stack answers again after the last fault, no request fails (e.g. no stale database connection). */
    record NoErrorsAfterRecovery() implements Expectation {
        @Override
        public String describe() {
            return "no errors after recovery";
        }
    }

    /**
     * No call fails once {@code readiness} passes again after the last fault. Sampled every 100 ms
     * whatever the steady state's rate, so the moment the dependency is back is known closely.
     */
    record NoErrorsOnceReady(dev.faultline.core.probe.Probe readiness, String what) implements Expectation {
        public NoErrorsOnceReady {
            Objects.requireNonNull(readiness, "readiness");
            if (what == null || what.isBlank()) {
                throw new IllegalArgumentException("what must say what readiness means, e.g. 'db accepted connections "
                        + "again', got " + (what == null ? "null" : "'" + what + "'"));
            }
        }

        @Override
        public String describe() {
            return "no errors once " + what;
        }
    }

    /** Every acknowledged write reads back after recovery. */
    record NoLostWrites() implements Expectation {
        @Override
        public String describe() {
            return "no lost writes";
        }
    }

    /** No call failed from the first fault to the end of the run. */
    record NoFailedRequests() implements Expectation {
        @Override
        public String describe() {
            return "no failed request";
        }
    }

    /**
     * {@code readiness} (sampled every 100 ms, not traffic) failed after the first fault and passed again
     * within {@code within} of the fault; {@code what} says what passing means ("web has its replicas running").
     */
    record BackWithin(dev.faultline.core.probe.Probe readiness, String what, Duration within) implements Expectation {
        public BackWithin {
            Objects.requireNonNull(readiness, "readiness");
            Objects.requireNonNull(within, "within");
            if (what == null || what.isBlank()) {
                throw new IllegalArgumentException("what must say what readiness means, e.g. 'web has its replicas "
                        + "running', got " + (what == null ? "null" : "'" + what + "'"));
            }
            if (within.isZero() || within.isNegative() || within.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("within must be in (0, PT1H], got " + within);
            }
        }

        @Override
        public String describe() {
            return what + " within " + Durations.words(within);
        }
    }
}
