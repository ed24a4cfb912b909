package dev.faultline.core.experiment;

import dev.faultline.core.probe.ErrorClass;
import java.time.Duration;
import java.time.Instant;

/**
 * One observed call: a steady-state check or a load request. The figures' definitions (README,
 * "Definitions") start here:
 *
 * @param time    when the call was meant to leave (its intended send time); a failure happens then
 * @param latency from the intended send time to the end of the answer, so a call that could not
 *                leave on time is as slow as its users found it (no coordinated omission)
 * @param ok      it succeeded; a call that is neither ok nor {@link #failed()} was {@link #cut()}
 */
public record Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail) {
    /** READINESS: a probe of a dependency, sampled for {@link Expectation.NoErrorsOnceReady}; not traffic. */
    public enum Source { STEADY_STATE, LOAD, READINESS }

    /** When the answer (or the failure) came: {@link #time()} plus {@link #latency()}. */
    public Instant completedAt() {
        return time.plus(latency);
    }

    public boolean failed() {
        return !ok && errorClass != ErrorClass.CUT;
    }

    /** Still running when the run ended: counted apart, never as a failure. */
    public boolean cut() {
        return !ok && errorClass == ErrorClass.CUT;
    }
}
