package dev.faultline.core.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one probe check.
 *
 * @param errorClass {@link ErrorClass#NONE} when ok
 * @param detail     what was seen, e.g. "status 502 in 3 ms" or "connection refused"
 * @param senderLag  how long after {@code time} its sender got to the call, when the sender knows (the load
 *                   generator does: a scheduler behind its clock); zero otherwise. See {@link SenderLag}
 */
public record ProbeResult(String probe, Instant time, boolean ok, Duration latency, ErrorClass errorClass, String detail,
                          Duration senderLag) {

    /** A result whose sender does not tell how late it got to the call. */
    public ProbeResult(String probe, Instant time, boolean ok, Duration latency, ErrorClass errorClass, String detail) {
        this(probe, time, ok, latency, errorClass, detail, Duration.ZERO);
    }
}
