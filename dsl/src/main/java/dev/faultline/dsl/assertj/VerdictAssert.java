package dev.faultline.dsl.assertj;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Verdict;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one expectation's verdict. */
public class VerdictAssert extends AbstractAssert<VerdictAssert, Verdict> {

    private final ExperimentResult result;

    VerdictAssert(Verdict actual, ExperimentResult result) {
        super(actual, VerdictAssert.class);
        this.result = result;
    }

    public VerdictAssert held() {
        return hasStatus(Verdict.Status.HELD);
    }

    public VerdictAssert failed() {
        return hasStatus(Verdict.Status.FAILED);
    }

    public VerdictAssert couldNotBeChecked() {
        return hasStatus(Verdict.Status.NOT_CHECKED);
    }

    public VerdictAssert hasStatus(Verdict.Status expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithMessage("Expected '%s' of experiment '%s' to be %s, but it %s: %s", actual.expectation(),
                    result.name(), expected.label(), pastTense(actual.status()), actual.reason());
        }
        return this;
    }

    public VerdictAssert hasReasonContaining(String text) {
        isNotNull();
        if (!actual.reason().contains(text)) {
            failWithMessage("Expected the reason for '%s' of experiment '%s' to contain \"%s\", but it was \"%s\"",
                    actual.expectation(), result.name(), text, actual.reason());
        }
        return this;
    }

    private static String pastTense(Verdict.Status status) {
        return switch (status) {
            case HELD -> "held";
            case FAILED -> "failed";
            case NOT_CHECKED -> "could not be checked";
            case NOT_EVALUATED -> "was not evaluated";
        };
    }
}
