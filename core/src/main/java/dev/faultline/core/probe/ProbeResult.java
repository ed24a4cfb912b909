package dev.faultline.core.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one probe check.
 *
 * @param errorClass {@link ErrorClass#NONE} when ok
 * @param detail     what was seen, e.g. "status 502 in 3 ms" or "connection refused"
 */
public record ProbeResult(String probe, Instant time, boolean ok, Duration latency, ErrorClass errorClass, String detail) {}
