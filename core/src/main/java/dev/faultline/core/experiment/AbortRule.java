package dev.faultline.core.experiment;

import java.time.Duration;
import java.util.Objects;

/**
 * Stop the experiment early (reverting everything) when the error rate over the trailing
 * {@code lasting} window exceeds {@code errorRate}. The window must have been observed in full,
 * so a burst of errors shorter than {@code lasting} never aborts on its own.
 */
public record AbortRule(double errorRate, Duration lasting) {

    public AbortRule {
        Objects.requireNonNull(lasting, "lasting");
        if (!(errorRate >= 0.0 && errorRate < 1.0)) {
            throw new IllegalArgumentException("errorRate must be in [0.0, 1.0), got " + errorRate);
        }
        if (lasting.isZero() || lasting.isNegative()) {
            throw new IllegalArgumentException("lasting must be positive, got " + lasting);
        }
    }

    public String describe() {
        return "error rate above " + Percent.of(errorRate) + " for " + Durations.words(lasting);
    }

}
