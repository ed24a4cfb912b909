package dev.faultline.core.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the stack coped with the faults, as its users saw it, from the steady-state checks (or the
 * load, without a steady state). Computed in one place, {@link Figures}, by the definitions in the
 * README ("Definitions"):
 *
 * @param faultEndedAt        the end of the last fault: its revert, or the one-shot fault itself
 * @param firstFailureAt      the send time of the first failed check since the first fault
 * @param timeToDetect        first fault to the first failure
 * @param backAt              the completion of the first successful check sent after the last failure
 *                            (after the first fault when nothing failed); empty while the steady state
 *                            was not seen to hold again for the healthy window
 * @param answeredAgainAt     the completion of the first successful check sent after the fault ended and
 *                            after the first failure: the stack answered again, maybe only for a while
 * @param recoveredAt         the send time of the first check of that healthy window
 * @param timeToRecover       fault end to {@code backAt}; zero when the stack was back before the fault ended
 * @param outage              first failure to {@code backAt}; empty when nothing failed or the stack never came back
 * @param observedWindow      first fault to the last answer of a check
 * @param availabilityByTime  the share of the observed window in which checks sent then succeeded
 * @param availabilityByCall  the share of calls (load requests, or checks without a load) sent from the
 *                            first fault on that succeeded; cut calls are not counted
 * @param checks              the checks from the first fault on: sent, ok, failed, cut
 * @param calls               the calls behind {@code availabilityByCall}
 */
public record Recovery(
        Optional<Instant> faultEndedAt,
        Optional<Instant> firstFailureAt,
        Optional<Duration> timeToDetect,
        Optional<Instant> backAt,
        Optional<Instant> answeredAgainAt,
        Optional<Instant> recoveredAt,
        Optional<Duration> timeToRecover,
        Optional<Duration> outage,
        Duration observedWindow,
        double availabilityByTime,
        double availabilityByCall,
        Tally checks,
        Tally calls) {

    public Recovery {
        Objects.requireNonNull(observedWindow, "observedWindow");
        Objects.requireNonNull(checks, "checks");
        Objects.requireNonNull(calls, "calls");
    }

    /** Nothing was injected: no figures. */
    static Recovery none() {
        return new Recovery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, 1.0, 1.0, Tally.NONE, Tally.NONE);
    }

    /** Whether the steady state was seen to hold again for the healthy window. */
    public boolean recovered() {
        return recoveredAt.isPresent();
    }

    /** Calls counted apart: {@code sent = ok + failed + cut}. */
    public record Tally(long sent, long ok, long failed, long cut) {
        public static final Tally NONE = new Tally(0, 0, 0, 0);

        public Tally {
            if (sent != ok + failed + cut) {
                throw new IllegalArgumentException("sent must be ok + failed + cut, got " + sent + " != " + ok + " + "
                        + failed + " + " + cut);
            }
        }

        static Tally of(java.util.List<Observation> calls) {
            long ok = calls.stream().filter(Observation::ok).count();
            long failed = calls.stream().filter(Observation::failed).count();
            long cut = calls.stream().filter(Observation::cut).count();
            return new Tally(calls.size(), ok, failed, cut);
        }
    }
}
