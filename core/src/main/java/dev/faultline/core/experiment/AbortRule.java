package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * Stop the experiment early (reverting everything) when the error rate over the trailing
 * {@code lasting} window exceeds {@code errorRate}. The window must have been observed in full,
 * so a burst of errors shorter than {@code lasting} never aborts on its own.
 * <p>
 * The window is counted in whole-second buckets (resilience4j's {@code SlidingTimeWindowMetrics}): at
 * any moment it holds the current second and the {@code lasting} whole seconds before it. So
 * {@code lasting} is whole seconds, from 1 s to 1 h.
 */
public record AbortRule(double errorRate, Duration lasting) {

    public AbortRule {
        Objects.requireNonNull(lasting, "lasting");
        if (!(errorRate >= 0.0 && errorRate < 1.0)) {
            throw new IllegalArgumentException("errorRate must be in [0.0, 1.0), got " + errorRate);
        }
        if (lasting.compareTo(Duration.ofSeconds(1)) < 0 || lasting.compareTo(Duration.ofHours(1)) > 0
                || lasting.toNanosPart() != 0) {
            throw new IllegalArgumentException("lasting must be whole seconds in [PT1S, PT1H], got " + lasting);
        }
    }

    public String describe() {
        return "error rate above " + Percent.of(errorRate) + " for " + Durations.words(lasting);
    }

}
