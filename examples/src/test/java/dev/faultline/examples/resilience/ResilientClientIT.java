package dev.faultline.examples.resilience;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Probes.health;
import static dev.faultline.dsl.assertj.FaultlineAssertions.assertThat;
import static java.time.Duration.ofSeconds;

import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultRecord;
import dev.faultline.dsl.Project;
import dev.faultline.junit.FaultlineTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * "Does my resilience configuration actually hold?": a client of the demo under a resilience4j circuit
 * breaker and retry ({@link ShopClient}), while faultline stops web for 8 s. The breaker must open before
 * one window of failed calls has gone by, and close again once the shop is back. Fails when the breaker
 * never opens (a configuration that cannot trip), opens too late, or stays open.
 */
@FaultlineTest(compose = "../demo/docker-compose.yml", project = "fl-exp-r4j", health = "nginx:80/health/",
        portVariable = "DEMO_PORT")
class ResilientClientIT {

    /** The breaker's sliding window, in calls. */
    static final int WINDOW = 10;

    Project demo;

    @Test
    void theBreakerOpensWithinItsWindowWhileWebIsDownAndClosesAfterRecovery() throws Exception {
        ShopClient client = new ShopClient(demo.baseUrl(), WINDOW, Duration.ofSeconds(2));
        AtomicBoolean calling = new AtomicBoolean(true);
        Thread caller = new Thread(() -> {
            while (calling.get()) {
                client.get("/health/");
                try {
                    Thread.sleep(100); // a steady trickle of calls, like a user-facing client's
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "shop-client");
        caller.start();
        ExperimentResult result;
        try {
            result = demo.experiment("web-down-under-a-breaker")
                    .steadyState(health(200))
                    .fault(demo.on("web").stop(), at(ofSeconds(3)), lasting(ofSeconds(8)))
                    .expect(recoveredWithin(ofSeconds(60)))
                    .run();
            // The run ends once /health/ answers again; the breaker then needs its 2 s open wait and 3 good
            // trial calls at 10 a second. 30 s allows for a loaded machine; a breaker stuck open fails here.
            Awaitility.await("the breaker to close after recovery").atMost(ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> client.state().equals("CLOSED") && client.transitions().stream().anyMatch(t -> t.to().equals("OPEN")));
        } finally {
            calling.set(false);
            caller.join(10_000);
        }

        System.out.println(result.table());
        client.transitions().forEach(t -> System.out.println("breaker: " + t.time() + " " + t.from() + " -> " + t.to()));
        assertThat(result).held();
        FaultRecord stop = result.faults().get(0);
        Instant injected = stop.injectedAt().orElseThrow();
        Instant reverted = stop.revertedAt().orElseThrow();

        ShopClient.Transition open = client.transitions().stream().filter(t -> t.to().equals("OPEN")).findFirst()
                .orElseThrow(() -> new AssertionError("the breaker never opened while web was down; attempts after the fault: "
                        + client.attempts().stream().filter(a -> a.time().isAfter(injected)).toList()));
        assertThat(open.time()).as("the breaker opened after the fault, not before").isAfter(injected);
        List<ShopClient.Attempt> failedBeforeOpen = client.attempts().stream()
                .filter(a -> !a.ok() && a.time().isAfter(injected) && !a.time().isAfter(open.time())).toList();
        assertThat(failedBeforeOpen).as("failed calls between the fault and the breaker opening (window %d)", WINDOW)
                .isNotEmpty().hasSizeLessThanOrEqualTo(WINDOW);
        assertThat(open.time()).as("it opened while web was down").isBefore(reverted);

        ShopClient.Transition closed = client.transitions().get(client.transitions().size() - 1);
        assertThat(closed.from() + " -> " + closed.to()).isEqualTo("HALF_OPEN -> CLOSED");
        assertThat(closed.time()).as("closed after web came back").isAfter(reverted);
    }
}
