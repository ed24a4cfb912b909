package dev.faultline.core.experiment;

import static dev.faultline.core.experiment.Expectation.errorRateBelow;
import static dev.faultline.core.experiment.Expectation.noErrorsAfterRecovery;
import static dev.faultline.core.experiment.Expectation.p99Below;
import static dev.faultline.core.experiment.Expectation.recoveredWithin;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.experiment.Fakes.SwitchProbe;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.steadystate.SteadyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision of a run from a snapshot built by hand: no threads, no engine, no clock. */
class VerdictsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private final List<Observation> checks = new ArrayList<>();

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /** One steady-state check every 100 ms from {@code fromMs} to {@code toMs} (exclusive), all ok or all failed. */
    private VerdictsTest checks(long fromMs, long toMs, boolean ok) {
        for (long t = fromMs; t < toMs; t += 100) {
            checks.add(new Observation(at(t), Observation.Source.STEADY_STATE, ok, ofMillis(3),
                    ok ? ErrorClass.NONE : ErrorClass.HTTP_502, ok ? "ok in 3 ms" : "status 502 in 3 ms"));
        }
        return this;
    }

    private static Experiment.Builder experiment(Expectation first, Expectation... more) {
        return Experiment.named("judged").steadyState(SteadyState.of(new SwitchProbe()))
                .healthyFor(ofMillis(500)).expect(first, more)
                .fault(FaultStep.at(new Fakes.RecordingFault("crash web", Fakes.newJournal()), ofSeconds(1)));
    }

    /** A crash at +1 s whose injection returned at once: the fault ended at +1 s. */
    private RunSnapshot crashAtOneSecond(Experiment experiment, RunSnapshot.Ending ending) {
        return new RunSnapshot(experiment, T0, List.of(new RunSnapshot.FaultSpan(at(1_000), at(1_000))), checks,
                "", Optional.empty(), Optional.empty(), ending);
    }

    @Test
    void aStackThatRecoversInTimeHoldsWithTheFiguresOfItsRecovery() {
        checks(0, 1_000, true).checks(1_000, 2_000, false).checks(2_000, 4_000, true);

        Verdicts.Judgement j = Verdicts.judge(crashAtOneSecond(experiment(recoveredWithin(ofSeconds(2))).build(),
                RunSnapshot.Ending.ranItsCourse()));

        assertThat(j.outcome()).isEqualTo(Outcome.HELD);
        assertThat(j.reason()).isEqualTo("every expectation held");
        assertThat(j.recovery().timeToDetect()).contains(Duration.ZERO);
        assertThat(j.recovery().timeToRecover()).contains(ofSeconds(1));
        assertThat(j.verdicts()).singleElement().isEqualTo(new Verdict("recovered within 2 s", Verdict.Status.HELD,
                "the steady state held again 1 s after the fault"));
    }

    @Test
    void aFaultThatReachedNothingIsInconclusiveAndTheVerdictsStay() {
        checks(0, 4_000, true);
        dev.faultline.core.fault.Effect missed = dev.faultline.core.fault.Effect.none(
                "latency web-1\u2192db-1:5432: 0 connection(s) went through it",
                "web-1's 2 connection(s) to db-1:5432 were opened before the fault", List.of());
        RunSnapshot run = new RunSnapshot(experiment(recoveredWithin(ofSeconds(2)), errorRateBelow(0.0001)).build(), T0,
                List.of(new RunSnapshot.FaultSpan(at(1_000), at(3_000), "delay web to db:5432", missed)), checks, "",
                Optional.empty(), Optional.empty(), RunSnapshot.Ending.ranItsCourse());

        Verdicts.Judgement j = Verdicts.judge(run);

        assertThat(j.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(j.reason()).isEqualTo("inconclusive: 'delay web to db:5432' had no effect: latency web-1\u2192db-1:5432:"
                + " 0 connection(s) went through it; likely cause: web-1's 2 connection(s) to db-1:5432 were opened before the"
                + " fault (the expectations held, but say nothing about a fault that reached nothing)");
        assertThat(j.verdicts()).extracting(Verdict::held).containsExactly(true, true);
    }

    @Test
    void aFaultThatBitOrWasNotMeasuredLeavesTheDecisionToTheExpectations() {
        checks(0, 4_000, true);
        RunSnapshot run = new RunSnapshot(experiment(recoveredWithin(ofSeconds(2))).build(), T0, List.of(
                new RunSnapshot.FaultSpan(at(1_000), at(3_000), "pause db",
                        dev.faultline.core.fault.Effect.bit("pause db-1: seen paused", List.of())),
                new RunSnapshot.FaultSpan(at(1_000), at(1_000))), checks, "", Optional.empty(), Optional.empty(),
                RunSnapshot.Ending.ranItsCourse());
        assertThat(Verdicts.judge(run).outcome()).isEqualTo(Outcome.HELD);
    }

    @Test
    void anAbortOutranksAFaultThatReachedNothing() {
        checks(0, 4_000, true);
        RunSnapshot run = new RunSnapshot(experiment(recoveredWithin(ofSeconds(2))).build(), T0, List.of(
                new RunSnapshot.FaultSpan(at(1_000), at(3_000), "delay", dev.faultline.core.fault.Effect.none("0", "idle", List.of()))),
                checks, "", Optional.empty(), Optional.empty(),
                new RunSnapshot.Ending(List.of(), Optional.empty(), Optional.empty(), Optional.of("aborted: error rate")));
        assertThat(Verdicts.judge(run).outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aSlowRecoveryFailsAndSaysHowLateAndWhatTheContainersDid() {
        checks(0, 1_000, true).checks(1_000, 3_000, false).checks(3_000, 4_000, true);
        RunSnapshot run = new RunSnapshot(experiment(recoveredWithin(ofSeconds(1))).build(), T0,
                List.of(new RunSnapshot.FaultSpan(at(1_000), at(1_000))), checks,
                "web died once and is running again (restart policy 'unless-stopped')",
                Optional.empty(), Optional.empty(), RunSnapshot.Ending.ranItsCourse());

        Verdicts.Judgement j = Verdicts.judge(run);

        assertThat(j.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(j.reason()).isEqualTo("1 of 1 expectations did not hold: recovered within 1 s");
        assertThat(j.verdicts().get(0).reason()).isEqualTo("the steady state held again only 2 s after the fault, "
                + "later than 1 s: web died once and is running again (restart policy 'unless-stopped')");
    }

    @Test
    void errorRateP99AndErrorsAfterRecoveryAreMeasuredFromTheFirstFault() {
        checks(0, 1_000, true).checks(1_000, 1_500, false).checks(1_500, 2_500, true).checks(2_500, 2_600, false)
                .checks(2_600, 3_500, true);

        Verdicts.Judgement j = Verdicts.judge(crashAtOneSecond(experiment(errorRateBelow(0.5), p99Below(ofMillis(10)),
                noErrorsAfterRecovery()).build(), RunSnapshot.Ending.ranItsCourse()));

        assertThat(j.verdicts()).extracting(Verdict::reason).containsExactly(
                "24% of steady-state checks failed (6 of 25: 6 × 502)",
                "p99 was 3 ms over 25 steady-state checks",
                "1 of 19 steady-state checks failed once the stack answered again at +1.5 s (500 ms after the fault "
                        + "ended): 1 × 502; the first at +2.5 s: status 502 in 3 ms");
        assertThat(j.outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aFailedRevertDecidesBeforeAnythingElse() {
        checks(0, 3_000, true);
        RunSnapshot.Ending ending = new RunSnapshot.Ending(List.of("revert of 'pause db' failed"), Optional.empty(),
                Optional.of("could not inject 'x'"), Optional.of("aborted: the run was interrupted"));

        Verdicts.Judgement j = Verdicts.judge(crashAtOneSecond(experiment(recoveredWithin(ofSeconds(2))).build(), ending));

        assertThat(j.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(j.reason()).isEqualTo("revert of 'pause db' failed");
    }

    @Test
    void anAbortEndsTheRunAbortedAndLeavesRecoveryUnchecked() {
        checks(0, 1_000, true).checks(1_000, 2_000, false);
        RunSnapshot.Ending ending = new RunSnapshot.Ending(List.of(), Optional.empty(), Optional.empty(),
                Optional.of("aborted: 10 of 10 calls failed"));

        Verdicts.Judgement j = Verdicts.judge(crashAtOneSecond(experiment(recoveredWithin(ofSeconds(2))).build(), ending));

        assertThat(j.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(j.reason()).isEqualTo("aborted: 10 of 10 calls failed");
        assertThat(j.verdicts().get(0).status()).isEqualTo(Verdict.Status.NOT_CHECKED);
    }

    @Test
    void withoutAFaultNothingIsChecked() {
        checks(0, 1_000, true);
        RunSnapshot run = new RunSnapshot(experiment(recoveredWithin(ofSeconds(2))).build(), T0, List.of(), checks, "",
                Optional.empty(), Optional.empty(), RunSnapshot.Ending.ranItsCourse());

        Verdicts.Judgement j = Verdicts.judge(run);

        assertThat(j.verdicts()).singleElement().isEqualTo(new Verdict("recovered within 2 s",
                Verdict.Status.NOT_CHECKED, "no fault was injected"));
        assertThat(j.outcome()).isEqualTo(Outcome.FAILED);
    }

    /** Readiness samples of a probe named {@code name}, every 100 ms, all passing or all failing. */
    private VerdictsTest readiness(String name, long fromMs, long toMs, boolean ok, String detail) {
        for (long t = fromMs; t < toMs; t += 100) {
            checks.add(new Observation(at(t), Observation.Source.READINESS, ok, ofMillis(2),
                    ok ? ErrorClass.NONE : ErrorClass.UNEXPECTED, name + ": " + detail));
        }
        return this;
    }

    @Test
    void noFailedRequestHoldsOnlyWhenNotOneCallFailedSinceTheFirstFault() {
        checks(0, 3_000, true);
        Verdicts.Judgement held = Verdicts.judge(crashAtOneSecond(experiment(Expectation.noFailedRequests()).build(),
                RunSnapshot.Ending.ranItsCourse()));
        assertThat(held.verdicts()).singleElement().isEqualTo(new Verdict("no failed request", Verdict.Status.HELD,
                "all 20 steady-state checks since the first fault succeeded"));

        checks.clear();
        checks(0, 1_500, true).checks(1_500, 1_600, false).checks(1_600, 3_000, true);
        Verdicts.Judgement failed = Verdicts.judge(crashAtOneSecond(experiment(Expectation.noFailedRequests()).build(),
                RunSnapshot.Ending.ranItsCourse()));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.verdicts().get(0).reason()).isEqualTo("1 of 20 steady-state checks failed (1 × 502), the first at"
                + " +1.5 s: status 502 in 3 ms");
    }

    @Test
    void backWithinMeasuresFromTheFaultToTheFirstPassAfterTheProbeWentDown() {
        Fakes.SwitchProbe replicas = new SwitchProbe();
        String name = replicas.name();
        checks(0, 6_000, true);
        // the manager still counts the killed task for 300 ms, then 1/2 until +4.2 s
        readiness(name, 1_000, 1_300, true, "2/2 running").readiness(name, 1_300, 4_200, false, "1/2 running")
                .readiness(name, 4_200, 6_000, true, "2/2 running");
        Experiment e = experiment(Expectation.backWithin(replicas, "web has its replicas running", ofSeconds(5))).build();

        Verdicts.Judgement j = Verdicts.judge(crashAtOneSecond(e, RunSnapshot.Ending.ranItsCourse()));

        assertThat(j.verdicts()).singleElement().isEqualTo(new Verdict("web has its replicas running within 5 s",
                Verdict.Status.HELD, "web has its replicas running again 3.2 s after the fault (1/2 running at +1.3 s,"
                        + " 2/2 running at +4.2 s)"));
        Experiment strict = experiment(Expectation.backWithin(replicas, "web has its replicas running", ofSeconds(3))).build();
        assertThat(Verdicts.judge(crashAtOneSecond(strict, RunSnapshot.Ending.ranItsCourse())).verdicts().get(0).status())
                .isEqualTo(Verdict.Status.FAILED);
    }

    @Test
    void backWithinFailsWhenTheProbeIsNotBackByTheEnd() {
        Fakes.SwitchProbe replicas = new SwitchProbe();
        checks(0, 3_000, true);
        readiness(replicas.name(), 1_000, 3_000, false, "0/1 running");
        Experiment e = experiment(Expectation.backWithin(replicas, "db has its replica running", ofSeconds(30))).build();

        Verdict v = Verdicts.judge(crashAtOneSecond(e, RunSnapshot.Ending.ranItsCourse())).verdicts().get(0);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAILED);
        assertThat(v.reason()).isEqualTo("not back by the end of the run: 0/1 running at +2.9 s");
    }
}
