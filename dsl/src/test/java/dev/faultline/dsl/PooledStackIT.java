package dev.faultline.dsl;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Expectations.errorRateBelow;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Load.constantRate;
import static dev.faultline.dsl.Probes.health;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.fault.Effect;
import dev.faultline.core.testing.DemoStack;
import dev.faultline.dsl.assertj.ExperimentAssert;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #11 on an app that keeps its database connections (the demo's pooled configuration: Django
 * CONN_MAX_AGE=None, 2 Gunicorn workers, nginx gives up after 3 s), with the library alone: a delay
 * web→db reaches the established connections (reset at injection, they come back through the delay),
 * and a delay that reaches nothing is INCONCLUSIVE, never HELD.
 */
class PooledStackIT {

    @RegisterExtension
    static final DemoStack demo = DemoStack.pooled("fl-pooled-it");

    Project project() {
        return Chaos.project(demo.project()).healthUrl(demo.healthUrl()).noReports();
    }

    /** GET / reads the database twice; 5 a second for 2 workers, as the user ran it. */
    ExperimentResult delay(DelayStage delay, int port, Duration seconds, double errorRate) {
        Project project = project();
        return project.experiment("slow-database")
                .steadyState(health(200))
                .load(constantRate(5).perSecond().get("/").timeout(ofSeconds(10)))
                .fault(delay.to("db", port), at(ofSeconds(3)), lasting(seconds))
                .expect(recoveredWithin(ofSeconds(30)), errorRateBelow(errorRate))
                .run();
    }

    static FaultRecord theDelay(ExperimentResult r) {
        return r.faults().get(0);
    }

    @Test
    void fourSecondsOfDelayReachTheKeptConnectionsAndFailWith504s() {
        ExperimentResult r = delay(project().on("web").delay(ofSeconds(4)), 5432, ofSeconds(12), 0.05);

        assertThat(r.outcome()).as(r.table()).isEqualTo(Outcome.FAILED);
        assertThat(r.verdict("error rate below 5%").orElseThrow().reason()).as(r.table()).contains("× 504");
        Effect effect = theDelay(r).effect();
        assertThat(effect.bit()).as(effect.line()).isTrue();
        // the workers' kept connections were found and reset, and came back through the delay
        assertThat(effect.value("established at injection").orElseThrow()).as(effect.line()).isPositive();
        assertThat(effect.value("reset at injection")).as(effect.line()).isEqualTo(effect.value("established at injection"));
        assertThat(effect.value("connections through the proxy").orElseThrow()).as(effect.line()).isPositive();
        assertThat(effect.value("bytes back").orElseThrow()).as(effect.line()).isPositive();
        assertThat(r.table()).contains("effect: latency ").contains("established connection(s) reset at injection");
        // most of the window failed, and the figures agree with each other (README "Definitions"):
        // availability by time is at least what the outage (first failure -> back) leaves of the observed
        // window, equal when the outage was one episode
        var recovery = r.recovery();
        double outageShare = (double) recovery.outage().orElseThrow().toMillis() / recovery.observedWindow().toMillis();
        assertThat(outageShare).as(r.table()).isGreaterThan(0.5);
        assertThat(recovery.availabilityByTime()).as(r.table()).isBetween(1 - outageShare - 0.001, 1.0).isLessThan(0.5);
    }

    @Test
    void aHundredMillisecondsHoldWithANonZeroEffect() {
        // 2 workers: each fails one request when its connection is reset at injection and one when the
        // proxy closes it at revert (Django without CONN_HEALTH_CHECKS finds out on use): at most 4 of
        // about 100 requests, hence the 10 % bound
        ExperimentResult r = delay(project().on("web").delay(ofMillis(100)), 5432, ofSeconds(12), 0.10);

        ExperimentAssert.assertThat(r).held();
        Effect effect = theDelay(r).effect();
        assertThat(effect.bit()).as(effect.line()).isTrue();
        assertThat(effect.value("connections through the proxy").orElseThrow()).as(effect.line()).isPositive();
        assertThat(effect.value("bytes back").orElseThrow()).as(effect.line()).isPositive();
    }

    @Test
    void aDelayToAPortNothingUsesIsInconclusiveAndHeldSaysWhy() {
        ExperimentResult r = delay(project().on("web").delay(ofSeconds(4)), 5433, ofSeconds(6), 0.05);

        assertThat(r.outcome()).as(r.table()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(r.reason()).startsWith("inconclusive: '4000 ms latency from web to db:5433' had no effect: latency ")
                .contains("0 connection(s) went through it")
                .contains("opened no connection to ").contains(":5433 during the fault and had none open at injection:"
                        + " nothing there uses this destination")
                .endsWith("(the expectations held, but say nothing about a fault that reached nothing)");
        assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.held()).as(v.reason()).isTrue());
        assertThat(theDelay(r).effect().value("connections through the proxy")).contains(0L);
        assertThat(ExitCode.of(r)).isEqualTo(ExitCode.INCONCLUSIVE);
        assertThatThrownBy(() -> ExperimentAssert.assertThat(r).held()).hasMessageContaining("to be HELD, but it was INCONCLUSIVE")
                .hasMessageContaining("nothing there uses this destination");
    }

    @Test
    void onlyNewConnectionsMissesTheKeptOnesAndSaysSo() {
        ExperimentResult r = delay(project().on("web").delay(ofSeconds(4)).onlyNewConnections(), 5432, ofSeconds(6), 0.05);

        assertThat(r.outcome()).as(r.table()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(r.reason()).contains("connection(s) to ").contains(":5432 were opened before the fault and kept their direct path"
                + " (onlyNewConnections), and it opened no new one");
        assertThat(theDelay(r).effect().value("established at injection").orElseThrow()).isPositive();
        assertThat(theDelay(r).effect().value("reset at injection")).contains(0L);
    }
}
