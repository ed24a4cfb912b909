package dev.faultline.examples;

import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static java.time.Duration.ofSeconds;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.dsl.Chaos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stack that acknowledges orders it never commits: the worst finding, reported first. */
class LostWritesIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.lossy("fl-exp-lossy");

    @Test
    void acknowledgedButUncommittedOrdersAreReportedLost() {
        ExperimentResult result = SeedExperiments.demo(Chaos.project(demo.project()).healthUrl(demo.healthUrl()))
                .ordersSurviveDbRestart(demo.baseUrl(), 5, ofSeconds(10)).run();

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("no lost writes").failed().hasReasonContaining("acknowledged writes were LOST");
        org.assertj.core.api.Assertions.assertThat(result.table()).contains("!! ACKNOWLEDGED WRITES LOST: ");
    }
}
