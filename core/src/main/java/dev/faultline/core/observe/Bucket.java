package dev.faultline.core.observe;

import java.time.Duration;
import java.util.Map;

import dev.faultline.core.probe.ErrorClass;

/**
 * The requests whose intended start fell in one slot of the timeline.
 *
 * @param index      slot number from the clock's origin
 * @param startNanos run time of the slot's start
 * @param requests   requests in the slot, failed ones included
 * @param errors     failed requests by class
 * @param p50        median latency of the slot's requests that got one (ZERO when none)
 * @param p99        99th percentile latency
 */
public record Bucket(int index, long startNanos, long requests, Map<ErrorClass, Long> errors, Duration p50, Duration p99) {

    public Bucket {
        errors = Map.copyOf(errors);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Failed share of the slot's requests, 0 when it had none. */
    public double errorRatio() {
        return requests == 0 ? 0 : (double) errorCount() / requests;
    }

    public boolean hasRequests() {
        return requests > 0;
    }
}
