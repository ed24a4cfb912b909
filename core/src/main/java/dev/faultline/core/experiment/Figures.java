package dev.faultline.core.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The definitions of a run's figures, written once; the runner, the verdicts, the journal and
 * every report use these and nothing else (README, "Definitions"):
 * <ul>
 *   <li>a call's latency counts from its intended send time, and a failure happens at its send time;
 *   <li>a call cut by the end of the run is neither ok nor failed: it is counted apart;
 *   <li>"back" is the completion of the first success after the last failure;
 *   <li>"answered again" is the completion of the first success sent after the fault ended and
 *       after the first failure (the stack may fail again after it: that is what
 *       {@link Expectation.NoErrorsAfterRecovery} looks for);
 *   <li>outage = first failure → back; time to detect = first fault → first failure;
 *       time to recover = fault end → back;
 *   <li>the stack is recovered once checks held for the healthy window after the fault ended;
 *   <li>availability by time = the share of the observed window (first fault → last answer) that no
 *       failure episode covers, an episode lasting from its first failure to the completion of the
 *       first success after its last failure; availability by call = ok / (ok + failed).
 * </ul>
 * Pure functions of the observations; no clock, no threads.
 */
final class Figures {

    private Figures() {}

    /**
     * The start of the first run of passing checks, sent at or after {@code from}, whose sends span
     * {@code healthyFor}: the stack is recovered. Cut checks neither break nor extend a run.
     */
    static Optional<Instant> recoveredAt(List<Observation> checks, Instant from, Duration healthyFor) {
        Instant candidate = null;
        for (Observation o : sorted(checks)) {
            if (o.time().isBefore(from) || o.cut()) {
                continue;
            }
            if (o.failed()) {
                candidate = null;
            } else if (candidate == null) {
                candidate = o.time();
            }
            if (candidate != null && Duration.between(candidate, o.time()).compareTo(healthyFor) >= 0) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param checks        the calls recovery is judged on (steady-state checks, or load without one)
     * @param calls         the calls availability by call is counted on (load, or the checks without one)
     * @param firstInjected when the first fault took effect
     * @param faultEnded    when the last fault ended
     */
    static Recovery recovery(List<Observation> checks, List<Observation> calls, Optional<Instant> firstInjected,
            Optional<Instant> faultEnded, Duration healthyFor) {
        if (firstInjected.isEmpty() || faultEnded.isEmpty()) {
            return Recovery.none();
        }
        Instant first = firstInjected.get();
        Instant end = faultEnded.get();
        List<Observation> since = sorted(checks).stream().filter(o -> !o.time().isBefore(first)).toList();
        List<Observation> answered = since.stream().filter(o -> !o.cut()).toList();
        Optional<Instant> firstFailure = answered.stream().filter(Observation::failed).map(Observation::time).findFirst();
        Optional<Instant> recovered = recoveredAt(since, end, healthyFor);
        // the last failure of the outage: before the healthy window that ended it, or the last of all
        Optional<Instant> lastFailure = answered.stream().filter(Observation::failed).map(Observation::time)
                .filter(t -> recovered.isEmpty() || t.isBefore(recovered.get())).reduce((a, b) -> b);
        Optional<Instant> back = recovered.isEmpty() ? Optional.empty()
                : firstCompletionAfter(answered, lastFailure.orElse(null), first);
        Instant answerFrom = firstFailure.filter(f -> f.isAfter(end)).orElse(end);
        Optional<Instant> answeredAgain = answered.stream().filter(o -> o.ok() && !o.time().isBefore(answerFrom))
                .map(Observation::completedAt).min(Comparator.naturalOrder());
        Optional<Duration> timeToRecover = back.map(b -> b.isBefore(end) ? Duration.ZERO : Duration.between(end, b));
        // no failure before the healthy window: whatever failed later came after the stack was back
        Optional<Duration> outage = lastFailure.isEmpty() ? Optional.empty()
                : firstFailure.flatMap(f -> back.map(b -> Duration.between(f, b)));

        Instant windowEnd = answered.stream().map(Observation::completedAt).max(Comparator.naturalOrder()).orElse(first);
        Duration window = windowEnd.isAfter(first) ? Duration.between(first, windowEnd) : Duration.ZERO;
        Duration down = downTime(answered, first, windowEnd);
        double byTime = window.isZero() ? (down.isZero() ? 1.0 : 0.0) : 1.0 - (double) down.toNanos() / window.toNanos();

        List<Observation> callsSince = calls.stream().filter(o -> !o.time().isBefore(first)).toList();
        Recovery.Tally callTally = Recovery.Tally.of(callsSince);
        long judged = callTally.ok() + callTally.failed();
        double byCall = judged == 0 ? 1.0 : (double) callTally.ok() / judged;
        return new Recovery(faultEnded, firstFailure, firstFailure.map(f -> Duration.between(first, f)), back, answeredAgain,
                recovered,
                timeToRecover, outage, window, byTime, byCall, Recovery.Tally.of(since), callTally);
    }

    /** The earliest completion of a success sent after {@code after} (after {@code orElse} when null). */
    private static Optional<Instant> firstCompletionAfter(List<Observation> answered, Instant after, Instant orElse) {
        return answered.stream().filter(Observation::ok)
                .filter(o -> after == null ? !o.time().isBefore(orElse) : o.time().isAfter(after))
                .map(Observation::completedAt).min(Comparator.naturalOrder());
    }

    /**
     * The time covered by failure episodes within [from, to]: each run of consecutive failures lasts
     * from its first failure to the completion of the first success sent after its last failure (to
     * {@code to} when none came); overlapping episodes count once.
     */
    static Duration downTime(List<Observation> answered, Instant from, Instant to) {
        List<Instant[]> episodes = new ArrayList<>();
        Instant start = null;
        Instant lastFailure = null;
        for (Observation o : answered) {
            if (o.failed()) {
                if (start == null) {
                    start = o.time();
                }
                lastFailure = o.time();
            } else if (start != null) {
                Instant last = lastFailure;
                Instant endOfEpisode = firstCompletionAfter(answered, last, from).orElse(to);
                episodes.add(new Instant[] {start, endOfEpisode});
                start = null;
            }
        }
        if (start != null) {
            episodes.add(new Instant[] {start, to});
        }
        episodes.sort(Comparator.comparing(e -> e[0]));
        Duration total = Duration.ZERO;
        Instant coveredTo = from;
        for (Instant[] e : episodes) {
            Instant s = e[0].isBefore(coveredTo) ? coveredTo : e[0];
            Instant f = e[1].isAfter(to) ? to : e[1];
            if (f.isAfter(s)) {
                total = total.plus(Duration.between(s, f));
                coveredTo = f;
            }
        }
        return total;
    }

    private static List<Observation> sorted(List<Observation> calls) {
        return calls.stream().sorted(Comparator.comparing(Observation::time)).toList();
    }
}
