package dev.faultline.examples;

import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.dsl.Chaos;
import dev.faultline.dsl.Project;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos experiments embedded in an ordinary JUnit 5 test, asserted with AssertJ: the seed's four
 * experiments, two faults at once, and load plus chaos, all on the resilient demo, all holding.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosJUnitExampleIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.resilient("fl-exp-junit");

    private static Project project() {
        return Chaos.project(demo.project()).healthUrl(demo.healthUrl());
    }

    @Test
    @Order(1)
    void gunicornComesBackAfterACrash() {
        // The DSL's one line, with the project and URL of this test's own stack.
        ExperimentResult result = project().on("web").kill().expect(health(200)).within(ofSeconds(30));

        System.out.println(result.table());
        assertThat(result).held().recoveredWithin(ofSeconds(30));
        assertThat(result).expectation("recovered within 30 s").held().hasReasonContaining("web died once");
    }

    @Test
    @Order(2)
    void noRequestFailsOnceTheDatabaseIsBack() {
        ExperimentResult result = SeedExperiments.demo(project()).dbRestart(ofSeconds(30));

        System.out.println(result.table());
        assertThat(result).held();
    }

    @Test
    @Order(3)
    void cpuStarvationSlowsButDoesNotBreak() {
        ExperimentResult result = SeedExperiments.demo(project()).cpuStress(2, ofSeconds(8), ofSeconds(3), 0.05);

        System.out.println(result.table());
        assertThat(result).held();
    }

    @Test
    @Order(4)
    void aSlowDatabaseNetworkCausesNoErrors() {
        // 1.3 GET / a second: within what 3 workers serve at 500 ms per query (see SeedExperiments).
        ExperimentResult result = SeedExperiments.demo(project())
                .networkDelay(ofMillis(500), ofMillis(50), ofSeconds(30), 1.3, ofSeconds(6), 0.10);

        System.out.println(result.table());
        assertThat(result).held();
        org.assertj.core.api.Assertions.assertThat(result.observations())
                .anyMatch(o -> o.source() == dev.faultline.core.experiment.Observation.Source.LOAD);
        // the library alone moved Django's kept connections onto the delay, and counted them
        dev.faultline.core.fault.Effect delay = result.faults().get(0).effect();
        org.assertj.core.api.Assertions.assertThat(delay.value("reset at injection").orElseThrow()).as(delay.line()).isPositive();
        org.assertj.core.api.Assertions.assertThat(delay.value("connections through the proxy").orElseThrow()).isPositive();
    }

    @Test
    @Order(5)
    void databaseRestartWhileCpuStarved() {
        ExperimentResult result = SeedExperiments.demo(project()).multiFault(ofSeconds(8)).run();

        System.out.println(result.table());
        assertThat(result).held();
        org.assertj.core.api.Assertions.assertThat(result.faults()).hasSize(2);
    }

    @Test
    @Order(6)
    void databaseRestartUnderLoad() {
        ExperimentResult result = SeedExperiments.demo(project()).dbRestartUnderLoad(demo.baseUrl(), 10, ofSeconds(20)).run();

        System.out.println(result.table());
        assertThat(result).held();
        org.assertj.core.api.Assertions.assertThat(result.observations())
                .anyMatch(o -> o.source() == dev.faultline.core.experiment.Observation.Source.LOAD);
    }

    @Test
    @Order(7)
    void acknowledgedOrdersSurviveADatabaseRestart() {
        ExperimentResult result = SeedExperiments.demo(project()).ordersSurviveDbRestart(demo.baseUrl(), 5, ofSeconds(12)).run();

        System.out.println(result.table());
        assertThat(result).held();
        assertThat(result).expectation("no lost writes").held().hasReasonContaining("acknowledged writes read back");
    }
}
