package dev.faultline.core.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Sliding time windows of call outcomes, one check per {@link AbortRule}: the rule fires when the
 * error rate over its trailing window is above its threshold and the window has been observed in
 * full. Thread-safe; fed from the sampler and the load. Times come from the observations, so the
 * decision does not depend on when it is evaluated.
 */
final class AbortMonitor {

    private record Outcome(Instant time, boolean ok) {}

    private final List<AbortRule> rules;
    private final Duration longest;
    private final Deque<Outcome> window = new ArrayDeque<>();
    private Instant firstSeen;
    private String reason;

    AbortMonitor(List<AbortRule> rules) {
        this.rules = List.copyOf(rules);
        this.longest = rules.stream().map(AbortRule::lasting).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Records one outcome; returns the abort reason the first time a rule fires. */
    synchronized Optional<String> record(Instant time, boolean ok) {
        if (rules.isEmpty() || reason != null) {
            return Optional.empty();
        }
        if (firstSeen == null) {
            firstSeen = time;
        }
        window.addLast(new Outcome(time, ok));
        while (!window.isEmpty() && window.peekFirst().time().isBefore(time.minus(longest))) {
            window.removeFirst();
        }
        for (AbortRule rule : rules) {
            Instant from = time.minus(rule.lasting());
            if (firstSeen.isAfter(from)) {
                continue; // not observed for the whole window yet
            }
            int total = 0;
            int failed = 0;
            for (Outcome o : window) {
                if (!o.time().isBefore(from)) {
                    total++;
                    if (!o.ok()) {
                        failed++;
                    }
                }
            }
            if (total > 0 && (double) failed / total > rule.errorRate()) {
                reason = "aborted: " + failed + " of " + total + " calls failed ("
                        + Percent.of((double) failed / total) + ") over the last " + Durations.words(rule.lasting())
                        + ", above the abort threshold of " + Percent.of(rule.errorRate());
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
