package dev.faultline.examples;

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

/** The seed's experiments on the fragile demo: each fails, and its verdict says why in Django terms. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FragileDemoIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.fragile("fl-exp-fragile");

    private static SeedExperiments seed() {
        Project project = Chaos.project(demo.project()).healthUrl(demo.healthUrl());
        return SeedExperiments.demo(project);
    }

    @Test
    @Order(1)
    void aRestartedDatabaseBreaksTheNextRequestOnAKeptConnection() {
        ExperimentResult result = seed().dbRestart(ofSeconds(30));

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("no errors once db accepted connections again").failed()
                .hasReasonContaining("failed once db accepted connections again at")
                .hasReasonContaining("× 503");
    }

    @Test
    @Order(2)
    void aSlowDatabaseNetworkShowsAsTimeouts() {
        // The same load as on the resilient demo: one worker cannot keep up, requests queue past 6 s.
        ExperimentResult result = seed().networkDelay(ofMillis(500), ofMillis(50), ofSeconds(30), 1.3, ofSeconds(6), 0.10);

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("error rate below 10%").failed().hasReasonContaining("× timeout");
        assertThat(result).expectation("p99 below 6 s").failed();
    }

    @Test
    @Order(3)
    void aCrashedGunicornIsNotRestarted() {
        ExperimentResult result = seed().gunicornKill(ofSeconds(10));

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("recovered within 10 s").failed()
                .hasReasonContaining("web exited with 137 and was not restarted: its restart policy is 'no'");
    }
}
