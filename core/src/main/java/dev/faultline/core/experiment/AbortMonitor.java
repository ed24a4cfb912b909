package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import io.github.resilience4j.core.metrics.Metrics;
import io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics;
import io.github.resilience4j.core.metrics.Snapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One resilience4j {@link SlidingTimeWindowMetrics} per {@link AbortRule}, in whole-second buckets. The
 * window is the current (partial) second and the {@code lasting} whole seconds before it, so it always
 * spans at least {@code lasting}: a burst of errors shorter than that is diluted by the calls around it.
 * (resilience4j's circuit breaker sizes its window without the extra bucket, so it spans between
 * {@code n - 1} and {@code n} seconds.) A rule fires when the failure rate of its window is above its
 * threshold and the run has been observed for {@code lasting}.
 * <p>
 * The metrics read time from a {@link Clock}; here that clock is the observations' own times, so the
 * decision does not depend on when it is evaluated and tests drive it without sleeping. The clock never
 * goes back: an observation that arrives late (a slow call is stamped with its send time) counts in the
 * newest bucket, since SlidingTimeWindowMetrics can only move forward. Thread-safe; fed from the
 * sampler and the load.
 */
final class AbortMonitor {

    /** The latest observation time seen: the "now" of every window. */
    private static final class ObservedClock extends Clock {
        private Instant now = Instant.EPOCH;

        void advanceTo(Instant time) {
            if (time.isAfter(now)) {
                now = time;
            }
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the observed clock has no zone");
        }
    }

    private record Window(AbortRule rule, SlidingTimeWindowMetrics metrics) {}

    private final ObservedClock clock = new ObservedClock();
    private final List<AbortRule> rules;
    private List<Window> windows;
    private Instant firstSeen;
    private String reason;

    AbortMonitor(List<AbortRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Records one outcome; returns the abort reason the first time a rule fires. */
    synchronized Optional<String> record(Instant time, boolean ok) {
        if (rules.isEmpty() || reason != null) {
            return Optional.empty();
        }
        clock.advanceTo(time);
        if (firstSeen == null) {
            firstSeen = time;
            // Made at the first observation: the buckets start at the run's time, not at the epoch.
            windows = rules.stream().map(r -> new Window(r, new SlidingTimeWindowMetrics(seconds(r), clock))).toList();
        }
        Metrics.Outcome outcome = ok ? Metrics.Outcome.SUCCESS : Metrics.Outcome.ERROR;
        for (Window w : windows) {
            Snapshot snapshot = w.metrics().record(0, TimeUnit.NANOSECONDS, outcome);
            if (clock.instant().isBefore(firstSeen.plus(w.rule().lasting()))) {
                continue; // not observed for the whole window yet
            }
            int total = snapshot.getTotalNumberOfCalls();
            int failed = snapshot.getNumberOfFailedCalls();
            if (total > 0 && (double) failed / total > w.rule().errorRate()) {
                reason = "aborted: " + failed + " of " + total + " calls failed ("
                        + Percent.of((double) failed / total) + ") over the last " + Durations.words(w.rule().lasting())
                        + ", above the abort threshold of " + Percent.of(w.rule().errorRate());
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /** The number of buckets: {@code lasting} whole seconds plus the current one. */
    private static int seconds(AbortRule rule) {
        return Math.toIntExact(rule.lasting().toSeconds()) + 1;
    }
}
