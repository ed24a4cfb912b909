package dev.faultline.examples.advanced;

import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.dsl.Chaos;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The advanced scenarios, shortened, on the resilient demo: each holds. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvancedResilientIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.resilient("fl-scen-adv-r");

    static AdvancedScenarios scenarios() {
        return AdvancedScenarios.demo(Chaos.project(demo.project()).healthUrl(demo.healthUrl()));
    }

    @Test
    @Order(1)
    void theDatabaseRestartsWhileWebIsStarvedOfCpu() {
        ExperimentResult result = scenarios().dbRestartWhileCpuStarved(2, ofSeconds(6), 0.5).run();

        System.out.println(result.table());
        assertThat(result).held();
        assertThat(result).expectation("no errors once db accepted connections again").held();
    }

    @Test
    @Order(2)
    void noAcknowledgedOrderIsLostWhileWorkersDieAndTheDatabaseIsSlow() {
        ExperimentResult result = scenarios().loadUnderChaos(30, ofSeconds(14), ofMillis(50), 0.05, ofSeconds(15)).run();

        System.out.println(result.table());
        assertThat(result).held();
        assertThat(result).expectation("no lost writes").held().hasReasonContaining("acknowledged writes read back");
    }

    @Test
    @Order(3)
    void exhaustedConnectionsCascadeToNginxAndRecoverOnceFreed() {
        ExperimentResult result = scenarios().connectionExhaustionCascade(ofSeconds(6), ofSeconds(15)).run();

        System.out.println(result.table());
        assertThat(result).held();
        // the cascade did reach users: checks through nginx failed while the slots were taken
        org.assertj.core.api.Assertions.assertThat(result.recovery().timeToDetect()).isPresent();
    }
}
