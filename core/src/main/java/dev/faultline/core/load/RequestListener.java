package dev.faultline.core.load;

import dev.faultline.core.observe.Timeline;

/**
 * Receives every request's record as it completes, on the thread that made the request. Must be fast
 * and thread-safe; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RequestListener {

    void onRequest(RequestRecord record);

    /** Feeds a timeline: each request lands in the bucket of its intended start; a dropped one counts as failed. */
    static RequestListener into(Timeline timeline) {
        return r -> timeline.recordRequest(r.intendedStart(), r.dropped() ? -1 : r.latencyNanos(), r.errorClass());
    }
}
