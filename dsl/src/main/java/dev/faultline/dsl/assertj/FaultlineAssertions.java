package dev.faultline.dsl.assertj;

import dev.faultline.core.experiment.ExperimentResult;
import org.assertj.core.api.Assertions;

/**
 * The AssertJ entry point for faultline, one static import for everything:
 * <pre>{@code
 * import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
 *
 * assertThat(result).held();                 // an ExperimentResult
 * assertThat(result.faults()).hasSize(1);    // any other value: AssertJ's own assertThat
 * }</pre>
 * It extends AssertJ's {@link Assertions}, so importing its {@code assertThat} brings every AssertJ
 * overload along instead of shadowing them (a single static import of a method named {@code assertThat}
 * hides {@code import static org.assertj.core.api.Assertions.*}).
 */
public class FaultlineAssertions extends Assertions {

    protected FaultlineAssertions() {}

    /** Assertions on an experiment's result: outcome, recovery, each expectation's verdict. */
    public static ExperimentAssert assertThat(ExperimentResult actual) {
        return new ExperimentAssert(actual);
    }
}
