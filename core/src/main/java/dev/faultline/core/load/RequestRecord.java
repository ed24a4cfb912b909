package dev.faultline.core.load;

import dev.faultline.core.probe.ErrorClass;

/**
 * What happened to one request. Times are nanoseconds on the run's clock
 * ({@link dev.faultline.core.observe.RunClock}), so records of one run line up with its timeline.
 *
 * @param intendedStart when the schedule meant it to leave
 * @param actualStart   when it left; {@link #NOT_SENT} when it was dropped
 * @param latencyNanos  from the intended start to the end of the response (no coordinated omission);
 *                      {@link #NOT_SENT} when dropped
 * @param status        HTTP status, 0 when there was none (connection error, timeout, dropped)
 * @param errorClass    {@link ErrorClass#NONE} on success; a dropped send is {@link ErrorClass#OTHER}
 * @param requestName   the {@link RequestSpec#name()}
 * @param writeId       the id a tracked write's response carried, or null
 * @param writeOutcome  for tracked writes, what the response says about the write; null for other requests
 * @param senderLagNanos how long after {@code intendedStart} the generator's scheduler got to it: the generator's
 *                      own delay ({@link dev.faultline.core.probe.SenderLag}), known for dropped requests too. The
 *                      rest of {@link #sendDelayNanos()} is a wait for an in-flight slot, which is the target's
 *                      slowness. Files written before it was recorded read back as 0
 */
public record RequestRecord(long intendedStart, long actualStart, long latencyNanos, int status,
                            ErrorClass errorClass, String requestName, Long writeId, WriteOutcome writeOutcome,
                            long senderLagNanos) {

    public static final long NOT_SENT = -1;

    /** Whether the generator could not send it within its tolerance (in-flight cap reached). */
    public boolean dropped() {
        return actualStart == NOT_SENT;
    }

    public boolean ok() {
        return errorClass == ErrorClass.NONE;
    }

    /** Latency from the actual send: the figure a closed-model tool would report. */
    public long serviceNanos() {
        return dropped() ? NOT_SENT : latencyNanos - (actualStart - intendedStart);
    }

    /** How late the send left against its schedule: its {@link #senderLagNanos()} plus any wait for a slot. */
    public long sendDelayNanos() {
        return dropped() ? NOT_SENT : actualStart - intendedStart;
    }
}
