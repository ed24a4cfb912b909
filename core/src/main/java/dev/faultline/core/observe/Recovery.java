package dev.faultline.core.observe;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run's service coped with a fault, computed from its {@link Timeline}.
 *
 * @param timeToDetect        fault injected to the start of the first failing bucket at or after it (clamped at 0);
 *                            empty when nothing failed
 * @param outage              total time of failing buckets from the injection on
 * @param timeToRecover       revert (or, for a one-shot fault, injection) to the start of the first run of
 *                            {@link RecoveryCriteria#healthyBuckets()} healthy buckets; the run is looked for from
 *                            the reference or the first failure after the injection, whichever is later, so a
 *                            failure that shows up late is not missed; ZERO when nothing failed; empty when the
 *                            service never recovered within the timeline
 * @param availability        successful share of all requests of the timeline, 0..1 (1 when there were none)
 * @param errorBudgetConsumed failed requests over those the SLO allows (1.0: the whole budget; may exceed 1)
 * @param requests            requests in the timeline
 * @param failed              failed requests in the timeline
 */
public record Recovery(Optional<Duration> timeToDetect, Duration outage, Optional<Duration> timeToRecover,
                       double availability, double errorBudgetConsumed, long requests, long failed) {

    public boolean recovered() {
        return timeToRecover.isPresent();
    }

    /**
     * Uses the timeline's marks: the first fault injection, and the last revert after it (if any; none
     * means a one-shot fault such as a kill).
     *
     * @throws IllegalStateException if the timeline has no injection mark
     */
    public static Recovery of(Timeline timeline, RecoveryCriteria criteria) {
        List<Mark> marks = timeline.marks();
        Mark inject = marks.stream().filter(m -> m.kind() == Mark.Kind.FAULT_INJECTED).findFirst()
                .orElseThrow(() -> new IllegalStateException("the timeline has no FAULT_INJECTED mark; marks: " + marks));
        Long revert = null;
        for (Mark m : marks) {
            if (m.kind() == Mark.Kind.FAULT_REVERTED && m.atNanos() >= inject.atNanos()) revert = m.atNanos();
        }
        return between(timeline, inject.atNanos(), revert, criteria);
    }

    /**
     * @param injectNanos run time the fault was injected
     * @param revertNanos run time it was reverted, or null for a one-shot fault
     */
    public static Recovery between(Timeline timeline, long injectNanos, Long revertNanos, RecoveryCriteria criteria) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(criteria, "criteria");
        if (revertNanos != null && revertNanos < injectNanos) {
            throw new IllegalArgumentException("revert (" + Duration.ofNanos(revertNanos) + ") must not be before inject ("
                    + Duration.ofNanos(injectNanos) + ")");
        }
        List<Bucket> buckets = timeline.buckets();
        long width = timeline.bucketWidth().toNanos();
        double threshold = criteria.errorRatioThreshold();

        long requests = 0, failed = 0;
        for (Bucket b : buckets) {
            requests += b.requests();
            failed += b.errorCount();
        }

        int injectIndex = timeline.bucketIndex(injectNanos);
        int firstFailing = -1;
        long failingBuckets = 0;
        for (int i = injectIndex; i < buckets.size(); i++) {
            if (failing(buckets.get(i), threshold)) {
                if (firstFailing < 0) firstFailing = i;
                failingBuckets++;
            }
        }
        Optional<Duration> detect = firstFailing < 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(Math.max(0, timeline.bucketStart(firstFailing) - injectNanos)));

        long reference = revertNanos != null ? revertNanos : injectNanos;
        Optional<Duration> recover;
        if (firstFailing < 0) {
            recover = Optional.of(Duration.ZERO);
        } else {
            int from = Math.max(timeline.bucketIndex(reference), firstFailing);
            int run = 0;
            int start = -1;
            for (int i = from; i < buckets.size(); i++) {
                if (healthy(buckets.get(i), threshold)) {
                    if (++run == criteria.healthyBuckets()) {
                        start = i - run + 1;
                        break;
                    }
                } else {
                    run = 0;
                }
            }
            recover = start < 0 ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, timeline.bucketStart(start) - reference)));
        }

        double availability = requests == 0 ? 1 : (double) (requests - failed) / requests;
        double allowed = (1 - criteria.slo()) * requests;
        double budget = requests == 0 ? 0 : failed / allowed;
        return new Recovery(detect, Duration.ofNanos(failingBuckets * width), recover, availability, budget, requests, failed);
    }

    private static boolean failing(Bucket b, double threshold) {
        return b.hasRequests() && b.errorRatio() >= threshold;
    }

    private static boolean healthy(Bucket b, double threshold) {
        return b.hasRequests() && b.errorRatio() < threshold;
    }
}
