package dev.faultline.junit;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Expectations.errorRateBelow;
import static dev.faultline.dsl.Expectations.noErrorsOnceAccepting;
import static dev.faultline.dsl.Expectations.p99Below;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.dsl.Project;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three experiments on the fragile demo, in a random order (JUnit prints the seed; rerun one order with
 * {@code -Djunit.jupiter.execution.order.random.seed=<seed>}). The crash leaves web dead (restart policy
 * "no"); without the extension's restore every test after it would be REFUSED. With it, each gets the
 * verdict of its own fault: the crash and the database restart FAIL for the fragile demo's reasons (the
 * tests assert that, so the build stays green), the CPU stress HOLDS.
 */
@FaultlineTest(compose = "../demo/docker-compose.fragile.yml", project = "fl-junit-fragile", health = "nginx:80/health/",
        portVariable = "DEMO_PORT")
@TestMethodOrder(MethodOrderer.Random.class)
class FragileDemoThreeTestsIT {

    Project demo;

    @Test
    void aCrashedWebIsNotRestarted() {
        ExperimentResult result = demo.on("web").kill().expect(health(200)).within(ofSeconds(10));

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("recovered within 10 s").failed()
                .hasReasonContaining("web exited with 137 and was not restarted: its restart policy is 'no'");
    }

    @Test
    void aRestartedDatabaseBreaksTheNextRequestOnAKeptConnection(Project project) {
        // As the seed's 02 (SeedExperiments.dbRestart): checks 8 s apart, the restart 0.5 s after one, so the
        // next check is the first request on web's stale connection.
        ExperimentResult result = project.experiment("db-restart")
                .steadyState(health(200))
                .fault(project.on("db").restart(), at(ofMillis(8500)))
                .expect(recoveredWithin(ofSeconds(30)), noErrorsOnceAccepting("db", 5432))
                .sampleEvery(ofSeconds(8))
                .afterRecovery(ofSeconds(6))
                .run();

        System.out.println(result.table());
        assertThat(result).failed();
        assertThat(result).expectation("no errors once db accepted connections again").failed()
                .hasReasonContaining("failed once db accepted connections again at");
    }

    @Test
    void aStarvedCpuSlowsWebButDoesNotBreakIt() {
        ExperimentResult result = demo.experiment("cpu-stress")
                .steadyState(health(200).timeout(ofSeconds(7)))
                .fault(demo.on("web").stressCpu(2), at(ofSeconds(2)), lasting(ofSeconds(8)))
                .expect(p99Below(ofSeconds(3)), errorRateBelow(0.05), recoveredWithin(ofSeconds(30)))
                .sampleEvery(ofMillis(200))
                .run();

        System.out.println(result.table());
        assertThat(result).held();
    }
}
