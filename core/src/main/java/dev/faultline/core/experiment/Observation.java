package dev.faultline.core.experiment;

import dev.faultline.core.probe.ErrorClass;
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
 * @param sendDelay how long after {@code time} the call left, when its sender knows (zero otherwise); part of
 *                {@code latency}. Over {@link #LATE_SEND} it was the sender's own delay (its scheduler behind,
 *                e.g. short of CPU), which users would not have had
 */
public record Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail,
                          Duration sendDelay) {

    /** A send this late is the sender's delay, not the target's: the load generator's default send tolerance. */
    public static final Duration LATE_SEND = Duration.ofMillis(50);

    /** An observation whose sender does not tell how late it left. */
    public Observation(Instant time, Source source, boolean ok, Duration latency, ErrorClass errorClass, String detail) {
        this(time, source, ok, latency, errorClass, detail, Duration.ZERO);
    }

    /** Left more than {@link #LATE_SEND} after its intended time. */
    public boolean sentLate() {
        return sendDelay.compareTo(LATE_SEND) > 0;
    }

    /**
     * What the console summary and the reports say when 1 % or more of the load's requests were
     * {@link #sentLate()}; empty otherwise. load.jsh's "Limit: the generator" line applies the same 1 % to
     * the requests it sent (dropped ones left out), from its {@code LoadSummary}; a dropped request here is an
     * observation that was not late, so this share can only be the smaller of the two.
     */
    public static Optional<String> generatorBehind(long sentLate, long requests) {
        if (sentLate == 0 || sentLate * 100 < requests) return Optional.empty();
        return Optional.of("The load generator fell behind its own schedule: " + sentLate + " of " + requests
                + " load requests left more than " + LATE_SEND.toMillis() + " ms after their planned time (this JVM was"
                + " short of CPU, or paused). Their latency counts that wait, so the latency and error figures measure"
                + " this machine as well as the stack.");
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
