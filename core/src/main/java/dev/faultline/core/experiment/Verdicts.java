package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The decision of a run, as a pure function of its {@link RunSnapshot}: the recovery figures, a
 * {@link Verdict} per expectation and the {@link Outcome} with its reason. No threads, no engine,
 * no clock: what the runner observed goes in, the judgement comes out.
 *
 * <p>The outcome is the first of {@link #OUTCOME_RULES} that applies; a new way for a run to end
 * is one more rule in that list, in its place.
 */
final class Verdicts {

    /** The outcome of a run, its reason in one sentence, the recovery figures and the verdicts. */
    record Judgement(Outcome outcome, String reason, Recovery recovery, List<Verdict> verdicts) {
        Judgement {
            verdicts = List.copyOf(verdicts);
        }
    }

    /** An outcome and its reason, decided by one rule. */
    record Decision(Outcome outcome, String reason) {}

    /**
     * The rules that decide the outcome, most serious first; the first that returns a decision wins.
     * The last one always decides.
     */
    private static final List<BiFunction<RunSnapshot, List<Verdict>, Optional<Decision>>> OUTCOME_RULES = List.of(
            Verdicts::aRevertFailed,
            Verdicts::theGuardRefused,
            Verdicts::theRunFailed,
            Verdicts::anAbortFired,
            Verdicts::aFaultReachedNothing,
            Verdicts::byTheExpectations);

    private Verdicts() {}

    static Judgement judge(RunSnapshot run) {
        Recovery recovery = Figures.recovery(Analysis.from(run.observations(), run.recoverySource()),
                Analysis.from(run.observations(), run.trafficSource()), run.firstInjected(), run.faultEnded(),
                run.experiment().healthyFor());
        List<Verdict> verdicts = run.experiment().expectations().stream().map(e -> verdict(e, run, recovery)).toList();
        for (BiFunction<RunSnapshot, List<Verdict>, Optional<Decision>> rule : OUTCOME_RULES) {
            Optional<Decision> decision = rule.apply(run, verdicts);
            if (decision.isPresent()) {
                Decision d = decision.get();
                return new Judgement(d.outcome(), d.reason(), recovery,
                        NOT_EVALUATED.contains(d.outcome()) ? notEvaluated(verdicts, d.reason()) : verdicts);
            }
        }
        throw new IllegalStateException("no outcome rule decided; the last one must always decide");
    }

    /** Outcomes of runs that did not run their course: their expectations are not evaluated. */
    private static final java.util.Set<Outcome> NOT_EVALUATED = java.util.EnumSet.of(Outcome.ERROR, Outcome.REFUSED,
            Outcome.ABORTED);

    /**
     * A run that ended early does not pretend to judge: each expectation reads "not evaluated" with
     * why the run ended. Lost writes stay, if the writes were read back: that is a fact, not a judgement.
     */
    private static List<Verdict> notEvaluated(List<Verdict> verdicts, String why) {
        return verdicts.stream().map(v -> v.expectation().equals(Expectation.noLostWrites().describe())
                        && v.status() == Verdict.Status.FAILED ? v
                        : new Verdict(v.expectation(), Verdict.Status.NOT_EVALUATED, why))
                .toList();
    }

    private static Optional<Decision> aRevertFailed(RunSnapshot run, List<Verdict> verdicts) {
        List<String> errors = run.ending().revertErrors();
        return errors.isEmpty() ? Optional.empty() : Optional.of(new Decision(Outcome.ERROR, String.join("; ", errors)));
    }

    private static Optional<Decision> theGuardRefused(RunSnapshot run, List<Verdict> verdicts) {
        return run.ending().refusal().map(r -> new Decision(Outcome.REFUSED, r));
    }

    private static Optional<Decision> theRunFailed(RunSnapshot run, List<Verdict> verdicts) {
        return run.ending().error().map(e -> new Decision(Outcome.ERROR, e));
    }

    private static Optional<Decision> anAbortFired(RunSnapshot run, List<Verdict> verdicts) {
        return run.ending().abortReason().map(a -> new Decision(Outcome.ABORTED, a));
    }

    /**
     * No effect, no HELD: a run in which an injected fault measurably reached nothing (its counters
     * stayed at zero) tested nothing about that fault, whatever the expectations say. The reason names
     * each fault that missed, what it counted and the likely cause, then what the expectations said
     * (their verdicts are kept). A fault whose effect could not be measured does not decide this.
     */
    private static Optional<Decision> aFaultReachedNothing(RunSnapshot run, List<Verdict> verdicts) {
        List<RunSnapshot.FaultSpan> missed = run.faults().stream().filter(f -> f.effect().none()).toList();
        if (missed.isEmpty()) {
            return Optional.empty();
        }
        String which = String.join("; ", missed.stream().map(f -> "'" + f.fault() + "' had no effect: " + f.effect().summary()
                + "; likely cause: " + f.effect().cause().orElse("unknown")).toList());
        long notHeld = verdicts.stream().filter(v -> !v.held()).count();
        String expectations = verdicts.isEmpty() ? "" : notHeld == 0
                ? " (the expectations held, but say nothing about a fault that reached nothing)"
                : " (" + notHeld + " of " + verdicts.size() + " expectations did not hold)";
        return Optional.of(new Decision(Outcome.INCONCLUSIVE, "inconclusive: " + which + expectations));
    }

    private static Optional<Decision> byTheExpectations(RunSnapshot run, List<Verdict> verdicts) {
        List<Verdict> notHeld = verdicts.stream().filter(v -> !v.held()).toList();
        if (notHeld.isEmpty()) {
            return Optional.of(new Decision(Outcome.HELD, "every expectation held"));
        }
        return Optional.of(new Decision(Outcome.FAILED, notHeld.size() + " of " + verdicts.size()
                + " expectations did not hold: " + String.join(", ", notHeld.stream().map(Verdict::expectation).toList())));
    }

    private static Verdict verdict(Expectation e, RunSnapshot run, Recovery recovery) {
        if (recovery.faultEndedAt().isEmpty()) {
            return new Verdict(e.describe(), Verdict.Status.NOT_CHECKED, "no fault was injected");
        }
        if (e instanceof Expectation.RecoveredWithin r) {
            return recoveredWithin(r, run, recovery);
        }
        if (e instanceof Expectation.ErrorRateBelow r) {
            return errorRateBelow(r, run);
        }
        if (e instanceof Expectation.P99Below p) {
            return p99Below(p, run);
        }
        if (e instanceof Expectation.NoErrorsAfterRecovery n) {
            return noErrorsAfterRecovery(n, run, recovery);
        }
        if (e instanceof Expectation.NoErrorsOnceReady ready) {
            return noErrorsOnceReady(ready, run);
        }
        if (e instanceof Expectation.NoLostWrites n) {
            return noLostWrites(n, run);
        }
        if (e instanceof Expectation.NoFailedRequests n) {
            return noFailedRequests(n, run);
        }
        if (e instanceof Expectation.BackWithin back) {
            return backWithin(back, run);
        }
        throw new IllegalStateException("unknown expectation " + e);
    }

    private static Verdict recoveredWithin(Expectation.RecoveredWithin r, RunSnapshot run, Recovery recovery) {
        String name = r.describe();
        String what = run.diagnosis().isEmpty() ? "" : ": " + run.diagnosis();
        if (recovery.recovered() && recovery.timeToRecover().isPresent()) {
            Duration ttr = recovery.timeToRecover().get();
            String outage = recovery.outage().map(o -> " (outage " + Durations.words(o) + ")").orElse("");
            if (ttr.compareTo(r.within()) <= 0) {
                return new Verdict(name, Verdict.Status.HELD, "the stack was back "
                        + Durations.words(ttr) + " after the fault ended" + outage + what);
            }
            return new Verdict(name, Verdict.Status.FAILED, "the stack was back only "
                    + Durations.words(ttr) + " after the fault ended, later than " + Durations.words(r.within()) + outage + what);
        }
        String last = Analysis.from(run.observations(), run.recoverySource()).stream().filter(o -> !o.cut()).reduce((a, b) -> b)
                .map(o -> " (last check: " + o.detail() + ")").orElse("");
        return new Verdict(name, Verdict.Status.FAILED, "the steady state did not hold again within "
                + Durations.words(r.within()) + " of the fault" + last + what);
    }

    /** The traffic from the first fault on, without the calls cut by the end of the run. */
    private static List<Observation> trafficSinceTheFirstFault(RunSnapshot run) {
        Instant first = run.firstInjected().orElseThrow();
        return Analysis.from(run.observations(), run.trafficSource()).stream()
                .filter(o -> !o.time().isBefore(first) && !o.cut()).toList();
    }

    /** "; 2 cut by the end of the run, not counted", or nothing. */
    private static String cutNote(RunSnapshot run) {
        Instant first = run.firstInjected().orElseThrow();
        long cut = Analysis.from(run.observations(), run.trafficSource()).stream()
                .filter(o -> !o.time().isBefore(first) && o.cut()).count();
        return cut == 0 ? "" : "; " + cut + " cut by the end of the run, not counted";
    }

    private static Verdict errorRateBelow(Expectation.ErrorRateBelow r, RunSnapshot run) {
        List<Observation> traffic = trafficSinceTheFirstFault(run);
        if (traffic.isEmpty()) {
            return new Verdict(r.describe(), Verdict.Status.NOT_CHECKED, "no " + run.calls() + " were made after the first fault");
        }
        List<Observation> failed = traffic.stream().filter(Observation::failed).toList();
        double rate = (double) failed.size() / traffic.size();
        String measured = Percent.of(rate) + " of " + run.calls() + " failed (" + failed.size() + " of "
                + traffic.size() + (failed.isEmpty() ? "" : ": " + Analysis.errorBreakdown(failed)) + cutNote(run) + ")";
        return rate < r.rate()
                ? new Verdict(r.describe(), Verdict.Status.HELD, measured)
                : new Verdict(r.describe(), Verdict.Status.FAILED, measured + ", not below " + Percent.of(r.rate()));
    }

    private static Verdict p99Below(Expectation.P99Below p, RunSnapshot run) {
        List<Observation> traffic = trafficSinceTheFirstFault(run);
        if (traffic.isEmpty()) {
            return new Verdict(p.describe(), Verdict.Status.NOT_CHECKED, "no " + run.calls() + " were made after the first fault");
        }
        Duration p99 = Analysis.percentile(traffic, 0.99);
        String measured = "p99 was " + p99.toMillis() + " ms over " + traffic.size() + " " + run.calls();
        return p99.compareTo(p.bound()) < 0
                ? new Verdict(p.describe(), Verdict.Status.HELD, measured)
                : new Verdict(p.describe(), Verdict.Status.FAILED, measured + ", not below " + Durations.words(p.bound()));
    }

    private static Verdict noErrorsAfterRecovery(Expectation.NoErrorsAfterRecovery n, RunSnapshot run, Recovery recovery) {
        if (recovery.answeredAgainAt().isEmpty()) {
            return new Verdict(n.describe(), Verdict.Status.NOT_CHECKED, "the stack never answered again after the fault");
        }
        Instant back = recovery.answeredAgainAt().get();
        Instant end = recovery.faultEndedAt().get();
        return noFailuresAfter(n.describe(), run, back, "the stack answered again at "
                + Durations.offset(Duration.between(run.startedAt(), back))
                + " (" + Durations.words(Duration.between(end, back)) + " after the fault ended)");
    }

    private static Verdict noErrorsOnceReady(Expectation.NoErrorsOnceReady ready, RunSnapshot run) {
        String probeName = ready.readiness().name();
        Instant end = run.faultEnded().orElseThrow();
        Optional<Instant> readyAt = Analysis.from(run.observations(), Observation.Source.READINESS).stream()
                .filter(o -> o.ok() && !o.time().isBefore(end) && o.detail().startsWith(probeName + ": "))
                .map(Observation::time).findFirst();
        if (readyAt.isEmpty()) {
            return new Verdict(ready.describe(), Verdict.Status.NOT_CHECKED, "it never happened that " + ready.what()
                    + " (" + probeName + " never passed after the fault)");
        }
        Instant back = readyAt.get();
        return noFailuresAfter(ready.describe(), run, back,
                ready.what() + " at " + Durations.offset(Duration.between(run.startedAt(), back)));
    }

    private static Verdict noFailedRequests(Expectation.NoFailedRequests n, RunSnapshot run) {
        List<Observation> traffic = trafficSinceTheFirstFault(run);
        if (traffic.isEmpty()) {
            return new Verdict(n.describe(), Verdict.Status.NOT_CHECKED, "no " + run.calls() + " were made after the first fault");
        }
        List<Observation> failed = traffic.stream().filter(Observation::failed).toList();
        if (failed.isEmpty()) {
            return new Verdict(n.describe(), Verdict.Status.HELD, "all " + traffic.size() + " " + run.calls()
                    + " since the first fault succeeded");
        }
        Observation first = failed.get(0);
        return new Verdict(n.describe(), Verdict.Status.FAILED, failed.size() + " of " + traffic.size() + " " + run.calls()
                + " failed (" + Analysis.errorBreakdown(failed) + "), the first at "
                + Durations.offset(Duration.between(run.startedAt(), first.time())) + ": " + first.detail());
    }

    /** When the readiness probe first failed after the first fault, and when it first passed after that. */
    private static Verdict backWithin(Expectation.BackWithin back, RunSnapshot run) {
        String prefix = back.readiness().name() + ": ";
        Instant first = run.firstInjected().orElseThrow();
        List<Observation> samples = Analysis.from(run.observations(), Observation.Source.READINESS).stream()
                .filter(o -> !o.time().isBefore(first) && o.detail().startsWith(prefix)).toList();
        if (samples.isEmpty()) {
            return new Verdict(back.describe(), Verdict.Status.NOT_CHECKED, "no sample of " + back.readiness().name()
                    + " after the fault");
        }
        Optional<Observation> down = samples.stream().filter(o -> !o.ok()).findFirst();
        if (down.isEmpty()) {
            return new Verdict(back.describe(), Verdict.Status.HELD, "it never stopped being true that " + back.what()
                    + " (" + samples.size() + " samples after the fault)");
        }
        Optional<Observation> up = samples.stream().filter(o -> o.ok() && o.time().isAfter(down.get().time())).findFirst();
        if (up.isEmpty()) {
            Observation last = samples.get(samples.size() - 1);
            return new Verdict(back.describe(), run.ending().aborted() ? Verdict.Status.NOT_CHECKED : Verdict.Status.FAILED,
                    "not back by the end of the run: " + last.detail().substring(prefix.length()) + " at "
                            + Durations.offset(Duration.between(run.startedAt(), last.time())));
        }
        Duration took = Duration.between(first, up.get().time());
        String measured = back.what() + " again " + Durations.words(took) + " after the fault ("
                + down.get().detail().substring(prefix.length()) + " at "
                + Durations.offset(Duration.between(run.startedAt(), down.get().time())) + ", "
                + up.get().detail().substring(prefix.length()) + " at "
                + Durations.offset(Duration.between(run.startedAt(), up.get().time())) + ")";
        return took.compareTo(back.within()) <= 0
                ? new Verdict(back.describe(), Verdict.Status.HELD, measured)
                : new Verdict(back.describe(), Verdict.Status.FAILED, measured + ", later than " + Durations.words(back.within()));
    }

    /** Held when no call after {@code back} failed; otherwise how many, of which class, and the first. */
    private static Verdict noFailuresAfter(String name, RunSnapshot run, Instant back, String since) {
        List<Observation> after = Analysis.from(run.observations(), run.trafficSource()).stream()
                .filter(o -> o.time().isAfter(back) && !o.cut()).toList();
        List<Observation> failed = after.stream().filter(Observation::failed).toList();
        if (failed.isEmpty()) {
            return new Verdict(name, Verdict.Status.HELD, "none of " + after.size() + " " + run.calls()
                    + " failed once " + since);
        }
        Observation firstFailed = failed.get(0);
        return new Verdict(name, Verdict.Status.FAILED, failed.size() + " of " + after.size() + " " + run.calls()
                + " failed once " + since + ": " + Analysis.errorBreakdown(failed) + "; the first at "
                + Durations.offset(Duration.between(run.startedAt(), firstFailed.time())) + ": " + firstFailed.detail());
    }

    private static Verdict noLostWrites(Expectation.NoLostWrites n, RunSnapshot run) {
        String name = n.describe();
        if (run.writes().isEmpty() && run.writesError().isPresent()) {
            return new Verdict(name, Verdict.Status.NOT_CHECKED, "acknowledged writes could not be read back: "
                    + run.writesError().get());
        }
        if (run.writes().isEmpty()) {
            return new Verdict(name, Verdict.Status.NOT_CHECKED, "writes were not read back");
        }
        Workload.WriteCheck writes = run.writes().get();
        if (writes.lost() == 0) {
            return new Verdict(name, Verdict.Status.HELD, "all " + writes.acknowledged()
                    + " acknowledged writes read back (" + writes.uncertain() + " uncertain)");
        }
        return new Verdict(name, Verdict.Status.FAILED, writes.lost() + " of " + writes.acknowledged()
                + " acknowledged writes were LOST (ids " + String.join(", ", writes.lostIds().stream().limit(10).toList())
                + (writes.lostIds().size() > 10 ? ", ..." : "") + ")");
    }
}
