package dev.faultline.core.experiment;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a run was asked to stop, and why: set once (the first reason wins) by an abort rule, an
 * interrupt or the caller; every wait of the run wakes on it at once.
 */
final class AbortSignal {

    private static final Logger log = LoggerFactory.getLogger(AbortSignal.class);

    private final String runId;
    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile String reason;

    AbortSignal(String runId) {
        this.runId = runId;
    }

    /** Asks the run to stop with {@code why}, unless it already was. */
    synchronized void abort(String why) {
        if (reason == null) {
            reason = why;
            log.warn("run {}: {}", runId, why);
        }
        latch.countDown();
    }

    boolean aborted() {
        return reason != null;
    }

    /** Why the run was aborted; null when it was not. */
    String reason() {
        return reason;
    }

    /** Waits up to {@code nanos}; true as soon as the run is aborted. */
    boolean await(long nanos) throws InterruptedException {
        return latch.await(nanos, TimeUnit.NANOSECONDS);
    }
}
