package dev.faultline.dsl;

import static dev.faultline.dsl.Chaos.at;
import static dev.faultline.dsl.Chaos.lasting;
import static dev.faultline.dsl.Chaos.on;
import static dev.faultline.dsl.Expectations.errorRateAbove;
import static dev.faultline.dsl.Expectations.errorRateBelow;
import static dev.faultline.dsl.Expectations.noErrorsAfterRecovery;
import static dev.faultline.dsl.Expectations.noLostWrites;
import static dev.faultline.dsl.Expectations.recoveredWithin;
import static dev.faultline.dsl.Load.constantRate;
import static dev.faultline.dsl.Probes.health;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Outcome;
import dev.faultline.core.experiment.Workload;
import dev.faultline.core.load.LoadConfig;
import dev.faultline.core.load.RequestSpec;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChaosTest {

    private final MockWebServer server = new MockWebServer();
    private final FakeEngine engine = new FakeEngine();
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).body("ok").build();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theOneLinerReadsAsWrittenAndBuildsTheSeedExperiment() {
        // Compiles exactly as DESIGN.md writes it; not run here (it needs the demo).
        ExpectStage oneLiner = Chaos.on("web").kill().expect(health(200));
        assertThat(oneLiner).isNotNull();
        assertThat(Chaos.on("web").kill().describe()).startsWith("crash web");
    }

    @Test
    void anotherStackWithItsOwnServiceNamesAndHealthUrl() throws Exception {
        engine.add(FakeEngine.container("shop", "api"))
                .add(FakeEngine.container("shop", "postgres"))
                .add(FakeEngine.container("shop", "edge"));
        String healthz = server.url("/healthz").toString();
        Project shop = Chaos.project("shop").healthUrl(healthz).using(engine);

        ExperimentResult result = shop.experiment("postgres-restart")
                .steadyState(health())
                .fault(shop.on("postgres").restart(), at(ofMillis(200)))
                .expect(recoveredWithin(ofSeconds(5)), noErrorsAfterRecovery())
                .afterRecovery(ofMillis(200))
                .run();

        assertThat(result.outcome()).as(result.table()).isEqualTo(Outcome.HELD);
        assertThat(engine.calls()).anyMatch(c -> c.startsWith("restart "));
        assertThat(result.faults()).singleElement().satisfies(f -> assertThat(f.fault()).contains("postgres"));
        assertThat(server.getRequestCount()).isGreaterThan(3);
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/healthz");
    }

    @Test
    void theFullBuilderReadsLikeTheDesignSketch() {
        // DESIGN.md's "What a user does", as written there (built, not run).
        Experiment experiment = Chaos.experiment("db-restart-under-load")
                .steadyState(health("http://localhost:8081/health/").status(200).latencyBelow(ofMillis(500)))
                .load(constantRate(50).perSecond().get("/").post("/api/orders/", "{\"item\": \"faultline\", \"quantity\": 1}").trackWrites())
                .fault(on("db").restart(), at(ofSeconds(5)))
                .fault(on("web").stressCpu(2), at(ofSeconds(5)), lasting(ofSeconds(20)))
                .expect(recoveredWithin(ofSeconds(30)), errorRateBelow(0.20), noLostWrites())
                .abortWhen(errorRateAbove(0.90).lasting(ofSeconds(20)))
                .build();

        assertThat(experiment.name()).isEqualTo("db-restart-under-load");
        assertThat(experiment.load()).get().satisfies(load -> {
            assertThat(load.tracksWrites()).isTrue();
            assertThat(load.describe()).endsWith(" against " + Chaos.project().baseUrl());
        });
        assertThat(experiment.faults()).hasSize(2);
        assertThat(experiment.faults().get(0).lasting()).isEmpty();
        assertThat(experiment.faults().get(1).lasting()).contains(ofSeconds(20));
        assertThat(experiment.faults().get(1).fault().describe()).contains("web");
        assertThat(experiment.steadyState().orElseThrow().describe()).contains("http://localhost:8081/health/");
        assertThat(experiment.expectations()).extracting(e -> e.describe())
                .containsExactly("recovered within 30 s", "error rate below 20%", "no lost writes");
        assertThat(experiment.abortRules()).singleElement()
                .satisfies(r -> assertThat(r.describe()).isEqualTo("error rate above 90% for 20 s"));
    }

    @Test
    void aLoadRequestThatWaitedForTheTargetIsNotCountedAsTheGeneratorsLag() {
        // one request in flight at most, answers after 30 ms, sends planned 10 ms apart: later sends wait for
        // the slot and leave late (or are dropped after the 50 ms tolerance). That wait is the target's slowness:
        // a report must not say the generator fell behind for it
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.MILLISECONDS).body("ok").build();
            }
        });
        LoadConfig config = LoadConfig.custom().baseUrl(server.url("/").toString()).constantRate(100, ofMillis(300))
                .request(RequestSpec.get("/")).maxInFlight(1).build();
        List<ProbeResult> results = new CopyOnWriteArrayList<>();
        try (Workload.Running running = Load.of(config).start(results::add)) {
            await().atMost(ofSeconds(10)).until(() -> results.size() == 30);
        }
        // these waited 30 ms or more for the slot before their own 30 ms answer
        List<Duration> lagOfWaited = results.stream().filter(r -> r.ok() && r.latency().compareTo(ofMillis(60)) >= 0)
                .map(ProbeResult::senderLag).sorted().toList();
        assertThat(lagOfWaited).isNotEmpty();
        // the median, not each: on a machine shared with a CPU hog the scheduler itself is sometimes late
        assertThat(lagOfWaited.get(lagOfWaited.size() / 2)).isLessThan(ofMillis(10));
        assertThat(results).filteredOn(ProbeResult::ok)
                .allSatisfy(r -> assertThat(r.latency()).isGreaterThanOrEqualTo(r.senderLag()));
    }

    @Test
    void loadGoesToTheProjectsAddressUnlessItNamesOne() {
        Project shop = Chaos.project("shop").healthUrl("http://localhost:9000/healthz");
        assertThat(shop.baseUrl()).isEqualTo("http://localhost:9000");
        assertThat(constantRate(10).perSecond().get("/").toWorkload(shop.baseUrl()).describe())
                .endsWith(" against http://localhost:9000");
        assertThat(constantRate(10).perSecond().get("/").baseUrl("http://127.0.0.1:7000").toWorkload(shop.baseUrl())
                .describe()).endsWith(" against http://127.0.0.1:7000");
        assertThatThrownBy(() -> constantRate(10).perSecond().get("/").trackWrites().toWorkload(shop.baseUrl()))
                .hasMessage("trackWrites() needs a post(path, json) to track");
        assertThatThrownBy(() -> constantRate(0).perSecond()).hasMessage("rate must be in (0, 600000], got 0.0");
    }

    @Test
    void loadTimeoutDefaultsToTheGeneratorsAndIsValidated() {
        LoadPlan plan = constantRate(4).perSecond().get("/");
        assertThat(((LoadStep) plan).timeout()).isEqualTo(dev.faultline.core.load.LoadConfig.DEFAULT_CALL_TIMEOUT);
        assertThat(((LoadStep) plan.timeout(ofSeconds(6))).timeout()).isEqualTo(ofSeconds(6));
        assertThat(((LoadStep) plan).timeout()).isEqualTo(dev.faultline.core.load.LoadConfig.DEFAULT_CALL_TIMEOUT);
        assertThatThrownBy(() -> plan.timeout(Duration.ZERO)).hasMessage("timeout must be in (0, PT10M], got PT0S");
    }

    @Test
    void everyStepReturnsANewValueAndLeavesTheOldOneAlone() {
        ExperimentStage base = Chaos.project("demo").experiment("x").steadyState(health());
        ExperimentStage withFault = base.fault(on("db").restart(), at(Duration.ZERO));
        assertThat(withFault).isNotSameAs(base);
        assertThatThrownBy(base::build).hasMessage("experiment 'x' has no fault: add at least one with fault(...)");
        assertThat(withFault.build().faults()).hasSize(1);

        FaultStage pause = on("web").pause();
        FaultStage longer = pause.lasting(ofSeconds(30));
        assertThat(((PlannedFault) pause).duration()).isEmpty();
        assertThat(((PlannedFault) longer).duration()).contains(ofSeconds(30));
    }

    @Test
    void statusDelegatesToTheStatusCheck() {
        engine.add(FakeEngine.container("shop", "api")).add(FakeEngine.container("shop", "postgres"));

        var status = Chaos.project("shop").using(engine).status();

        assertThat(status.project()).isEqualTo("shop");
        assertThat(status.services()).hasSize(2);
    }

    @Test
    void refusesWhenTheSteadyStateDoesNotHoldBeforeInjection() {
        engine.add(FakeEngine.container("demo", "web"));
        status = 502;
        ExperimentResult result = Chaos.project("demo").healthUrl(server.url("/health/").toString()).using(engine)
                .on("web").restart().expect(health(200)).within(ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(result.reason()).startsWith("refused: steady state did not hold before injection: GET ")
                .contains("502");
        assertThat(engine.calls()).noneMatch(c -> c.startsWith("restart "));
    }

    @Test
    void anUnknownServiceFailsBeforeAnythingIsTouched() {
        engine.add(FakeEngine.container("demo", "web")).add(FakeEngine.container("demo", "db"));
        Project demo = Chaos.project("demo").healthUrl(server.url("/health/").toString()).using(engine);

        assertThatThrownBy(() -> demo.on("wbe").restart().expect(health()).within(ofSeconds(5)))
                .isInstanceOf(TargetNotFoundException.class)
                .hasMessage("experiment 'wbe-restart' needs service 'wbe', but project 'demo' has only db, web; "
                        + "nothing was touched");
        assertThat(server.getRequestCount()).isZero();
        assertThat(engine.calls()).noneMatch(c -> c.startsWith("restart "));
    }
}
