package dev.faultline.dsl.assertj;

import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.experiment.Recovery;
import dev.faultline.core.experiment.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExperimentAssertTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ExperimentResult result(Outcome outcome, String reason, Optional<Duration> timeToRecover,
            Verdict... verdicts) {
        Optional<Instant> back = timeToRecover.map(d -> T0.plusSeconds(2).plus(d));
        Recovery recovery = new Recovery(Optional.of(T0.plusSeconds(2)), Optional.of(T0.plusSeconds(2)),
                Optional.of(Duration.ofMillis(100)), back, back, back, timeToRecover, Optional.empty(),
                Duration.ofSeconds(38), 0.5, 0.5, Recovery.Tally.NONE, Recovery.Tally.NONE);
        return new ExperimentResult("web-kill", "web-kill-abc123", outcome, reason, T0, T0.plusSeconds(40), List.of(),
                List.of(), recovery, List.of(verdicts), List.of(), List.of(),
                dev.faultline.core.observe.Timeline.create(dev.faultline.core.observe.RunClock.startingNow()));
    }

    private static final Verdict NOT_RESTARTED = new Verdict("recovered within 30 s", Verdict.Status.FAILED,
            "the steady state did not hold again within 30 s of the fault: web exited with 137 and was not restarted: "
                    + "its restart policy is 'no'");
    private static final Verdict FEW_ERRORS = new Verdict("error rate below 5%", Verdict.Status.HELD,
            "2.5% of requests failed (5 of 200: 5 × 502)");

    @Test
    void oneStaticImportServesFaultlineResultsAndEveryOtherValue() {
        ExperimentResult held = result(Outcome.HELD, "every expectation held", Optional.of(Duration.ofSeconds(4)), FEW_ERRORS);

        // the same imported assertThat: ours for a result, AssertJ's own for a string, a list, a duration
        assertThat(held).held();
        assertThat(held.name()).startsWith("web-");
        assertThat(held.verdicts()).hasSize(1);
        assertThat(Duration.ofSeconds(4)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldEntryPointStillWorks() {
        ExperimentAssert.assertThat(result(Outcome.HELD, "every expectation held", Optional.of(Duration.ofSeconds(4)))).held();
    }

    @Test
    void heldPassesOnAHeldResult() {
        assertThat(result(Outcome.HELD, "every expectation held", Optional.of(Duration.ofSeconds(4)), FEW_ERRORS))
                .held()
                .recoveredWithin(Duration.ofSeconds(30))
                .expectation("error rate below 5%").held().hasReasonContaining("5 × 502");
    }

    @Test
    void heldSaysWhatFailedAndWhy() {
        ExperimentResult failed = result(Outcome.FAILED, "1 of 2 expectations did not hold: recovered within 30 s",
                Optional.empty(), NOT_RESTARTED, FEW_ERRORS);

        assertThatThrownBy(() -> assertThat(failed).held()).isInstanceOf(AssertionError.class)
                .hasMessage("Expected experiment 'web-kill' (run web-kill-abc123) to be HELD, but it was FAILED: "
                        + "1 of 2 expectations did not hold: recovered within 30 s\n"
                        + "  - recovered within 30 s: FAILED: the steady state did not hold again within 30 s of the fault: "
                        + "web exited with 137 and was not restarted: its restart policy is 'no'\n"
                        + "  - error rate below 5%: held: 2.5% of requests failed (5 of 200: 5 × 502)");
    }

    @Test
    void recoveredWithinSaysHowLongItTookOrThatItNeverDid() {
        assertThatThrownBy(() -> assertThat(result(Outcome.FAILED, "1 of 1 expectations did not hold: recovered within 30 s",
                Optional.of(Duration.ofMillis(41_500)))).recoveredWithin(Duration.ofSeconds(30)))
                .hasMessage("Expected experiment 'web-kill' (run web-kill-abc123) to recover within 30 s, but it took 41.5 s");
        assertThatThrownBy(() -> assertThat(result(Outcome.FAILED, "1 of 1 expectations did not hold: recovered within 30 s",
                Optional.empty(), NOT_RESTARTED)).recoveredWithin(Duration.ofSeconds(30)))
                .hasMessage("Expected experiment 'web-kill' (run web-kill-abc123) to recover within 30 s, but it never "
                        + "recovered: 1 of 1 expectations did not hold: recovered within 30 s\n"
                        + "  - recovered within 30 s: FAILED: the steady state did not hold again within 30 s of the fault: "
                        + "web exited with 137 and was not restarted: its restart policy is 'no'");
    }

    @Test
    void expectationAssertionsNameTheVerdictAndItsReason() {
        ExperimentResult failed = result(Outcome.FAILED, "1 of 2 expectations did not hold: recovered within 30 s",
                Optional.empty(), NOT_RESTARTED, FEW_ERRORS);

        assertThat(failed).expectation("recovered within 30 s").failed().hasReasonContaining("restart policy is 'no'");
        // by value, as the experiment was given it: no rendered text to get wrong
        assertThat(failed).expectation(dev.faultline.core.experiment.Expectation.recoveredWithin(java.time.Duration.ofSeconds(30)))
                .failed().hasReasonContaining("restart policy is 'no'");
        assertThatThrownBy(() -> assertThat(failed).expectation("error rate below 5%").failed())
                .hasMessage("Expected 'error rate below 5%' of experiment 'web-kill' to be FAILED, but it held: "
                        + "2.5% of requests failed (5 of 200: 5 × 502)");
        assertThatThrownBy(() -> assertThat(failed).expectation("recovered within 30 s").hasReasonContaining("restarted it"))
                .hasMessage("Expected the reason for 'recovered within 30 s' of experiment 'web-kill' to contain "
                        + "\"restarted it\", but it was \"" + NOT_RESTARTED.reason() + "\"");
        assertThatThrownBy(() -> assertThat(failed).expectation("p99 below 1 s"))
                .hasMessage("Expected experiment 'web-kill' to have the expectation 'p99 below 1 s', but it has: "
                        + "'recovered within 30 s', 'error rate below 5%'");
    }

    @Test
    void refusedAndAbortedOutcomes() {
        ExperimentResult refused = result(Outcome.REFUSED, "refused: steady state did not hold before injection: "
                + "GET http://localhost:8081/health/ -> 200: connection refused", Optional.empty());
        assertThat(refused).wasRefused();
        assertThatThrownBy(() -> assertThat(refused).wasAborted())
                .hasMessage("Expected experiment 'web-kill' (run web-kill-abc123) to be ABORTED, but it was REFUSED: "
                        + "refused: steady state did not hold before injection: "
                        + "GET http://localhost:8081/health/ -> 200: connection refused");
    }
}
