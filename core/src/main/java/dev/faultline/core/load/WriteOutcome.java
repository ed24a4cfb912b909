package dev.faultline.core.load;

import dev.faultline.core.probe.ErrorClass;

/**
 * What a tracked write's response says about whether it was stored, in the set model Jepsen uses:
 * only an acknowledged write must read back; an uncertain one may or may not have committed.
 */
public enum WriteOutcome {
    /** Acknowledged (2xx with an id): it must be readable after recovery. */
    OK,
    /** 502, 504, timeout or reset (or a 2xx without an id): it may have committed. */
    UNCERTAIN,
    /** A definite error: connection refused, 4xx, 503, other 5xx. */
    FAILED;

    static WriteOutcome of(int status, ErrorClass error, Long writeId) {
        if (error == ErrorClass.NONE) return writeId != null ? OK : UNCERTAIN;
        return switch (error) {
            case HTTP_502, HTTP_504, TIMEOUT, RESET -> UNCERTAIN;
            default -> FAILED;
        };
    }
}
