package dev.faultline.core.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one probe check.
 *
 * @param errorClass empty when ok; otherwise a class users recognise: "502", "503", "504",
 *                   "5xx", "4xx", "refused", "reset", "timeout", "unexpected" (a check on the
 *                   status, body or latency failed), "error"
 * @param detail     what was seen, e.g. "status 502 in 3 ms" or "connection refused"
 */
public record ProbeResult(String probe, Instant time, boolean ok, Duration latency, String errorClass, String detail) {}
