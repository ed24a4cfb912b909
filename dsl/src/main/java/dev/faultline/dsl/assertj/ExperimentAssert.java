package dev.faultline.dsl.assertj;

import dev.faultline.core.time.Durations;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.experiment.Verdict;
import java.time.Duration;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link ExperimentResult}; failure messages say what the experiment found and why.
 * <pre>{@code
 * assertThat(result).held();
 * assertThat(result).expectation("recovered within 30 s").failed().hasReasonContaining("restart policy is 'no'");
 * }</pre>
 */
public class ExperimentAssert extends AbstractAssert<ExperimentAssert, ExperimentResult> {

    protected ExperimentAssert(ExperimentResult actual) {
        super(actual, ExperimentAssert.class);
    }

    /**
     * @deprecated a single static import of this method hides every other {@code assertThat} (AssertJ's own);
     *     use {@link FaultlineAssertions#assertThat(ExperimentResult)}, which brings them along
     */
    @Deprecated(since = "0.1.0")
    public static ExperimentAssert assertThat(ExperimentResult actual) {
        return new ExperimentAssert(actual);
    }

    /**
     * Every expectation held and every fault measurably bit: an {@link Outcome#INCONCLUSIVE} run (a fault
     * that reached nothing) fails here with its reason.
     */
    public ExperimentAssert held() {
        return hasOutcome(Outcome.HELD);
    }

    public ExperimentAssert failed() {
        return hasOutcome(Outcome.FAILED);
    }

    public ExperimentAssert wasRefused() {
        return hasOutcome(Outcome.REFUSED);
    }

    public ExperimentAssert wasInconclusive() {
        return hasOutcome(Outcome.INCONCLUSIVE);
    }

    public ExperimentAssert wasAborted() {
        return hasOutcome(Outcome.ABORTED);
    }

    public ExperimentAssert hasOutcome(Outcome expected) {
        isNotNull();
        if (actual.outcome() != expected) {
            failWithMessage("Expected experiment '%s' (run %s) to be %s, but it was %s: %s%s", actual.name(),
                    actual.runId(), expected, actual.outcome(), actual.reason(), verdictLines());
        }
        return this;
    }

    /** The steady state held again within {@code bound} of the end of the last fault. */
    public ExperimentAssert recoveredWithin(Duration bound) {
        isNotNull();
        if (actual.recovery().timeToRecover().isEmpty()) {
            failWithMessage("Expected experiment '%s' (run %s) to recover within %s, but it never recovered: %s%s",
                    actual.name(), actual.runId(), Durations.words(bound), actual.reason(), verdictLines());
        } else if (actual.recovery().timeToRecover().get().compareTo(bound) > 0) {
            failWithMessage("Expected experiment '%s' (run %s) to recover within %s, but it took %s",
                    actual.name(), actual.runId(), Durations.words(bound), Durations.words(actual.recovery().timeToRecover().get()));
        }
        return this;
    }

    /** The verdict on one expectation, given as the value the experiment was given: {@code expectation(recoveredWithin(ofSeconds(30)))}. */
    public VerdictAssert expectation(dev.faultline.core.experiment.Expectation expectation) {
        isNotNull();
        if (expectation == null) {
            failWithMessage("Expected an expectation to look up, but it was null");
        }
        return expectation(expectation.describe());
    }

    /**
     * The verdict on one expectation, named as tables name it: "recovered within 30 s". Prefer
     * {@link #expectation(dev.faultline.core.experiment.Expectation)}, which cannot be misspelt.
     */
    public VerdictAssert expectation(String expectation) {
        isNotNull();
        Verdict verdict = actual.verdict(expectation).orElse(null);
        if (verdict == null) {
            failWithMessage("Expected experiment '%s' to have the expectation '%s', but it has: %s", actual.name(),
                    expectation, actual.verdicts().stream().map(v -> "'" + v.expectation() + "'")
                            .collect(Collectors.joining(", ")));
        }
        return new VerdictAssert(verdict, actual);
    }

    // Passed as a %s argument, never as the format itself: reasons contain '%'.
    private String verdictLines() {
        if (actual.verdicts().isEmpty()) {
            return "";
        }
        return actual.verdicts().stream()
                .map(v -> "\n  - " + v.expectation() + ": " + v.status().label() + ": " + v.reason())
                .collect(Collectors.joining());
    }

}
