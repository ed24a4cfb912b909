package dev.faultline.core.experiment;

import dev.faultline.core.probe.ErrorClass;
import java.time.Duration;
import java.time.Instant;

/** One observed call: a steady-state check or a load request. */
public record Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail) {
    /** READINESS: a probe of a dependency, sampled for {@link Expectation.NoErrorsOnceReady}; not traffic. */
    public enum Source { STEADY_STATE, LOAD, READINESS }
}
