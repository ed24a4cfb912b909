package dev.faultline.core.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How often one pattern appeared in one service's log, and when.
 *
 * @param firstAfterFault first appearance relative to the fault (negative: before it); empty when no fault time is known
 * @param samples         up to three matching lines, redacted
 */
public record LogFinding(LogPattern pattern, String service, int count, Instant firstSeen, Instant lastSeen,
                         Optional<Duration> firstAfterFault, Optional<Duration> lastAfterFault, List<String> samples) {

    public LogFinding {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(service, "service");
        samples = List.copyOf(samples);
    }
}
