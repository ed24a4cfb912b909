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

/**
 * The advanced scenarios, shortened, on the fragile demo. What it survives is asserted as
 * measured (the cascade recovers once the slots are freed; no write is lost under load); the
 * crashed database is not restarted, for the right reason. That one breaks the stack, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvancedFragileIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.fragile("fl-scen-adv-f");

    static AdvancedScenarios scenarios() {
        return AdvancedScenarios.demo(Chaos.project(demo.project()).healthUrl(demo.healthUrl()));
    }

    @Test
    @Order(1)
    void exhaustedConnectionsCascadeToNginxAndRecoverOnceFreed() {
        ExperimentResult result = scenarios().connectionExhaustionCascade(ofSeconds(6), ofSeconds(15)).run();

        System.out.println(result.table());
        // Django opens a new connection on the next request after a failed one, whatever CONN_MAX_AGE says
        assertThat(result).held();
        org.assertj.core.api.Assertions.assertThat(result.recovery().timeToDetect()).isPresent();
    }

    @Test
    @Order(2)
    void noAcknowledgedOrderIsLostUnderLoadAndChaos() {
        ExperimentResult result = scenarios().loadUnderChaos(30, ofSeconds(14), ofMillis(50), 0.05, ofSeconds(15)).run();

        System.out.println(result.table());
        assertThat(result).expectation("no lost writes").held().hasReasonContaining("acknowledged writes read back");
    }

    @Test
    @Order(3)
    void aCrashedDatabaseIsNotRestarted() {
        ExperimentResult result = scenarios().dbRestartWhileCpuStarved(2, ofSeconds(6), 0.5).run();

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("recovered within 30 s").failed()
                .hasReasonContaining("db exited with 137 and was not restarted: its restart policy is 'no'");
    }
}
