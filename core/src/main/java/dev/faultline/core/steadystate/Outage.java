package dev.faultline.core.steadystate;

import java.time.Duration;
import java.time.Instant;

/**
 * A run of consecutive failed checks.
 *
 * @param start     wall time of the first failed check
 * @param duration  from the first failed check to the next good one (or to the end of the watch)
 * @param failedChecks how many checks failed in a row
 * @param recovered false when the watch ended during the outage
 */
public record Outage(Instant start, Duration duration, int failedChecks, boolean recovered) {}
