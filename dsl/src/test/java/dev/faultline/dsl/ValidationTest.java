package dev.faultline.dsl;

import static dev.faultline.dsl.Chaos.on;
import static dev.faultline.dsl.Probes.health;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.faultline.core.fault.Signal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every public entry rejects a bad argument at once, naming it, its value and what is allowed. */
class ValidationTest {

    @Test
    void serviceAndProjectNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.on(null))
                .withMessage("service must be a Compose service name (letters, digits, '_', '.', '-'; 1 to 63 characters), got null");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.on("my web"))
                .withMessage("service must be a Compose service name (letters, digits, '_', '.', '-'; 1 to 63 characters), got 'my web'");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.project("My Shop"))
                .withMessage("project must be a Compose project name (lower-case letters, digits, '_', '-'; 1 to 63 characters), got 'My Shop'");
        assertThatIllegalArgumentException().isThrownBy(() -> Project.from(dev.faultline.core.cli.Settings.from(Map.of("FAULTLINE_URL", "localhost:8081"))))
                .withMessage("FAULTLINE_URL must be an http:// or https:// URL, got 'localhost:8081'");
    }

    @Test
    void faultVerbs() {
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").stressCpu(0))
                .withMessage("burners must be in [1, 64], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").cpuQuota(0))
                .withMessage("cpus must be in [0.01, 64.0], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").delay(Duration.ZERO))
                .withMessage("latency must be in (0, PT1M], got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").delay(ofMillis(500)).jitter(ofSeconds(1)))
                .withMessage("jitter must be in [0, PT0.5S], got PT1S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").delay(ofMillis(500)).to("db", 0))
                .withMessage("port must be in [1, 65535], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").delay(ofMillis(500)).to("", 5432))
                .withMessage("service must be a Compose service name (letters, digits, '_', '.', '-'; 1 to 63 characters), got ''");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").signal(null, "gunicorn"))
                .withMessageStartingWith("signal must be one of HUP(1), INT(2)").withMessageEndingWith("got null");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").killWithApi(null))
                .withMessageStartingWith("signal must be one of HUP(1), INT(2)").withMessageEndingWith("got null");
    }

    @Test
    void durations() {
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").pause().lasting(Duration.ZERO))
                .withMessage("duration must be in (0, PT1H], got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").kill().lasting(ofSeconds(5)))
                .withMessageStartingWith("duration cannot be set for 'crash web")
                .withMessageEndingWith("': it happens once and has nothing to revert");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").stressCpu(2).lasting(ofMillis(500)))
                .withMessage("duration must be in [PT1S, PT24H], got PT0.5S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").kill().expect(health(200)).within(Duration.ZERO))
                .withMessage("within must be in (0, PT1H], got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("web").kill().expect(health(200)).within(null))
                .withMessage("within must be in (0, PT1H], got null");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.at(ofSeconds(-1)))
                .withMessage("offset must be in [0, PT1H], got PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.lasting(Duration.ZERO))
                .withMessage("duration must be in (0, PT1H], got PT0S");
    }

    @Test
    void probesAndExpectations() {
        assertThatIllegalArgumentException().isThrownBy(() -> health(99))
                .withMessage("status must be in [100, 599], got 99");
        assertThatIllegalArgumentException().isThrownBy(() -> health("ftp://localhost/health"))
                .withMessage("url must be an http:// or https:// URL, got 'ftp://localhost/health'");
        assertThatIllegalArgumentException().isThrownBy(() -> health().latencyBelow(ofMillis(-1)))
                .withMessage("latencyBelow must be in (0, PT1M], got PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.errorRateBelow(0))
                .withMessage("rate must be in (0.0, 1.0], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.errorRateAbove(1.0))
                .withMessage("rate must be in [0.0, 1.0), got 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.errorRateAbove(0.9).lasting(Duration.ZERO))
                .withMessage("duration must be whole seconds in [PT1S, PT1H], got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.errorRateAbove(0.9).lasting(ofMillis(1500)))
                .withMessage("duration must be whole seconds in [PT1S, PT1H], got PT1.5S");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.recoveredWithin(ofSeconds(-5)))
                .withMessage("within must be in (0, PT1H], got PT-5S");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.experiment("no spaces"))
                .withMessageStartingWith("name must be 1 to 63 letters");
    }

    @Test
    void anExpectationThatCanNeverBeCheckedIsRejectedWhenBuilt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Chaos.project("demo").experiment("x").fault(on("db").restart(), Chaos.at(Duration.ZERO))
                        .expect(Expectations.noLostWrites()).build())
                .withMessage("expectation 'no lost writes' of experiment 'x' could never be checked: "
                        + "no load tracks its writes: add a load that tracks writes");
    }

    @Test
    void loadsAndReadinessChecks() {
        assertThatIllegalArgumentException().isThrownBy(() -> Load.writes(0, ofSeconds(10), "http://localhost:8081",
                        "/api/orders/", "{}", "/api/orders/{id}/"))
                .withMessage("perSecond must be in (0, 10000], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> Load.writes(5, ofSeconds(10), "http://localhost:8081",
                        "/api/orders/", "{}", "/api/orders/"))
                .withMessage("readBackPath must start with '/' and contain {id}, got '/api/orders/'");
        assertThatIllegalArgumentException().isThrownBy(() -> Load.writes(5, ofSeconds(10), "localhost:8081",
                        "/api/orders/", "{}", "/api/orders/{id}/"))
                .withMessage("baseUrl must be an http:// or https:// URL, got 'localhost:8081'");
        assertThatIllegalArgumentException().isThrownBy(() -> Expectations.noErrorsOnceAccepting("db", 70000))
                .withMessage("port must be in [1, 65535], got 70000");
        assertThatIllegalArgumentException().isThrownBy(() -> Chaos.experiment("x").sampleEvery(ofMillis(1)))
                .withMessage("interval must be in [PT0.01S, PT10S], got PT0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> on("db").signalAll(Signal.TERM, "("))
                .withMessageStartingWith("pattern must be a regular expression, got '('");
    }

    @Test
    void aFaultBuiltOnAnotherProjectIsRejectedNamingBoth() {
        Project shop = Chaos.project("shop");
        assertThatIllegalArgumentException().isThrownBy(() -> shop.experiment("x")
                        .fault(Chaos.project("other").on("db").restart(), Chaos.at(ofSeconds(1))))
                .withMessageStartingWith("fault '")
                .withMessageContaining("was built on project 'other', but experiment 'x' runs on project 'shop'");
        // the same name is the same project, whichever Project value built the fault
        shop.experiment("x").fault(Chaos.project("shop").on("db").restart(), Chaos.at(ofSeconds(1)));
    }
}
