package dev.faultline.core.experiment;

import static dev.faultline.core.experiment.Expectation.noLostWrites;
import static dev.faultline.core.experiment.Expectation.p99Below;
import static dev.faultline.core.experiment.Expectation.recoveredWithin;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.faultline.core.experiment.Fakes.RecordingFault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExperimentValidationTest {

    private final RecordingFault fault = new RecordingFault("crash web", Fakes.newJournal());

    @Test
    void rejectsABadName() {
        assertThatIllegalArgumentException().isThrownBy(() -> Experiment.named("db restart"))
                .withMessage("name must be 1 to 63 letters, digits, '.', '_' or '-' starting with a letter or digit, "
                        + "got 'db restart'");
        assertThatIllegalArgumentException().isThrownBy(() -> Experiment.named(null))
                .withMessageEndingWith("got null");
    }

    @Test
    void rejectsAnExperimentWithoutFaults() {
        assertThatIllegalArgumentException().isThrownBy(() -> Experiment.named("x").build())
                .withMessage("experiment 'x' has no fault: add at least one with fault(...)");
    }

    @Test
    void rejectsExpectationsThatCouldNeverBeChecked() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Experiment.named("x").fault(FaultStep.at(fault, Duration.ZERO))
                        .expect(p99Below(Duration.ofMillis(500))).build())
                .withMessage("expectation 'p99 below 500 ms' of experiment 'x' could never be checked: "
                        + "there is no traffic to measure: add steadyState(...) or load(...)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Experiment.named("x").fault(FaultStep.at(fault, Duration.ZERO))
                        .expect(noLostWrites()).build())
                .withMessage("expectation 'no lost writes' of experiment 'x' could never be checked: "
                        + "no load tracks its writes: add a load that tracks writes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Experiment.named("x").fault(FaultStep.at(fault, Duration.ZERO))
                        .expect(recoveredWithin(Duration.ofSeconds(30))).build())
                .withMessage("expectation 'recovered within 30 s' of experiment 'x' could never be checked: "
                        + "there is no steady state to recover to: add steadyState(...)");
    }

    @Test
    void rejectsBadDurationsAndRatesNamingTheArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> FaultStep.at(fault, Duration.ofSeconds(-1)))
                .withMessage("at must be zero or positive, got PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultStep.at(fault, Duration.ZERO, Duration.ZERO))
                .withMessage("lasting must be positive, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> new AbortRule(0.5, Duration.ofMillis(300)))
                .withMessage("lasting must be whole seconds in [PT1S, PT1H], got PT0.3S");
        assertThatIllegalArgumentException().isThrownBy(() -> recoveredWithin(Duration.ZERO))
                .withMessage("within must be positive, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectation.errorRateBelow(1.5))
                .withMessage("rate must be in (0.0, 1.0], got 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new AbortRule(1.0, Duration.ofSeconds(1)))
                .withMessage("errorRate must be in [0.0, 1.0), got 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Experiment.named("x").sampleInterval(Duration.ofMillis(1)))
                .withMessage("sampleInterval must be between 10 ms and 10 s, got PT0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> Experiment.named("x").recoveryWindow(Duration.ofHours(2)))
                .withMessage("recoveryWindow must be positive and at most 60 min, got PT2H");
    }

    @Test
    void fromCopiesAnExperimentToChangeAFewThings() {
        Experiment base = Experiment.named("base").steadyState(dev.faultline.core.steadystate.SteadyState.of(new Fakes.SwitchProbe()))
                .fault(FaultStep.at(fault, Duration.ofSeconds(2))).expect(recoveredWithin(Duration.ofSeconds(20)))
                .sampleInterval(Duration.ofMillis(200)).build();

        Experiment longer = Experiment.from(base).recoveryWindow(Duration.ofSeconds(60)).build();

        org.assertj.core.api.Assertions.assertThat(longer.recoveryWindow()).isEqualTo(Duration.ofSeconds(60));
        org.assertj.core.api.Assertions.assertThat(longer).usingRecursiveComparison().ignoringFields("recoveryWindow")
                .isEqualTo(base);
        org.assertj.core.api.Assertions.assertThat(base.recoveryWindow()).isEqualTo(Duration.ofSeconds(20));
    }
}
