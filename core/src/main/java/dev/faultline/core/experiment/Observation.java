package dev.faultline.core.experiment;

import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.SenderLag;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One observed call: a steady-state check or a load request. The figures' definitions (README,
 * "Definitions") start here:
 *
 * @param time    when the call was meant to leave (its intended send time); a failure happens then
 * @param latency from the intended send time to the end of the answer, so a call that could not
 *                leave on time is as slow as its users found it (no coordinated omission)
 * @param ok      it succeeded; a call that is neither ok nor {@link #failed()} was {@link #cut()}
 * @param senderLag how long after {@code time} its sender got to the call, when the sender knows (zero otherwise):
 *                its own delay (its scheduler behind, e.g. short of CPU), which users would not have had; part of
 *                {@code latency} for a call that left. A wait for the target (a full in-flight cap) is not lag.
 *                {@link SenderLag} says when it is {@link #late()}
 */
public record Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail,
                          Duration senderLag) {

    /** An observation whose sender does not tell how late it got to the call. */
    public Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail) {
        this(time, source, ok, latency, errorClass, detail, Duration.ZERO);
    }

    /** Its sender got to it late ({@link SenderLag#late(Duration)}). */
    public boolean late() {
        return SenderLag.late(senderLag);
    }

    /**
     * What the console summary and the reports say when the sender of these calls was {@link SenderLag#behind}:
     * the load generator for load requests, the steady-state sampler for checks; empty otherwise. load.jsh's
     * "Limit: the generator" line applies the same rule to its {@code LoadSummary}.
     */
    public static Optional<String> senderBehind(Source source, long late, long calls) {
        return switch (source) {
            case LOAD -> SenderLag.fellBehind("the load generator", "load requests", late, calls);
            case STEADY_STATE -> SenderLag.fellBehind("the steady-state sampler", "steady-state checks", late, calls);
            case READINESS -> SenderLag.fellBehind("the readiness sampler", "readiness checks", late, calls);
        };
    }

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
