package dev.faultline.core.experiment;

import dev.faultline.core.fault.Fault;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One fault of an experiment and when it happens.
 *
 * @param at      offset from the start of observation; the time before the first fault is the baseline
 * @param lasting how long the fault stays in effect before it is reverted; empty for a fault that
 *                is reverted only at the end of the experiment (a one-shot fault such as a crash
 *                has nothing to revert)
 */
public record FaultStep(Fault fault, Duration at, Optional<Duration> lasting) {

    public FaultStep {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lasting, "lasting");
        if (at.isNegative()) {
            throw new IllegalArgumentException("at must be zero or positive, got " + at);
        }
        lasting.ifPresent(d -> {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("lasting must be positive, got " + d);
            }
        });
    }

    public static FaultStep at(Fault fault, Duration at) {
        return new FaultStep(fault, at, Optional.empty());
    }

    public static FaultStep at(Fault fault, Duration at, Duration lasting) {
        return new FaultStep(fault, at, Optional.of(lasting));
    }
}
